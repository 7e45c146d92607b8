"""Fixtures for the credentials tests: demo sandbox credentials, and a real sandbox process."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from bridging.credentials.demo import seed_demo_credentials
from bridging.credentials.models import BpjsCredential
from tests.support.sandbox import SandboxServer


@pytest.fixture
def demo_credentials(facility: Any) -> list[BpjsCredential]:
    """The demo consumer's sandbox credentials for the demo clinic, for all four services."""
    seed_demo_credentials(facility)
    return list(BpjsCredential.objects.filter(facility=facility).order_by("service"))


@pytest.fixture(scope="session")
def sandbox_process() -> Iterator[SandboxServer]:
    with SandboxServer() as server:
        yield server


@pytest.fixture
def sandbox(sandbox_process: SandboxServer, settings: Any) -> SandboxServer:
    """A reset sandbox, with ``settings.BPJS_SANDBOX_URL`` pointing at it."""
    sandbox_process.reset()
    settings.BPJS_SANDBOX_URL = sandbox_process.base_url
    return sandbox_process
