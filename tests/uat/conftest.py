"""A sandbox per module and the demo clinic, seeded, with the sandbox credentials pointing at
it; the clinic's web service is the live test server."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from tests.support.sandbox import SandboxServer


@pytest.fixture(scope="module")
def uat_sandbox() -> Iterator[SandboxServer]:
    with SandboxServer() as server:
        yield server


@pytest.fixture
def sandbox(uat_sandbox: SandboxServer, settings: Any) -> Iterator[SandboxServer]:
    uat_sandbox.reset()
    settings.BPJS_SANDBOX_URL = uat_sandbox.base_url
    yield uat_sandbox
    uat_sandbox.reset()


@pytest.fixture
def demo_clinic(settings: Any) -> Any:
    """The demo seed (facility 0999K001, polis, schedules, users, credentials, WS account)."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    from clinic.core.models import Facility
    from clinic.portal.demo import seed_demo

    seed_demo()
    return Facility.objects.get(bpjs_provider_code="0999K001")
