"""Fixtures for the patient tests: a BPJS sandbox on a free port that the eligibility code
reaches through a PcareClient built from a ServiceConfig (as ``bridging.credentials`` would)."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from datetime import date
from typing import Any

import pytest

from bridging.pcare import PcareClient
from bridging.transport.http import ServiceConfig
from clinic.patients.services import patient_register
from tests.support.sandbox import SandboxServer


@pytest.fixture(scope="session")
def patients_sandbox() -> Iterator[SandboxServer]:
    with SandboxServer() as server:
        yield server


@pytest.fixture
def sandbox_pcare(
    patients_sandbox: SandboxServer, monkeypatch: pytest.MonkeyPatch
) -> SandboxServer:
    """Reset the sandbox and point every eligibility check at it."""
    patients_sandbox.reset()
    config = ServiceConfig(
        service="pcare",
        base_url=patients_sandbox.pcare_url,
        cons_id="1000",
        secret="sandbox-secret",
        user_key="sandbox-user-key",
        username="klinik.demo",
        password="Demo#2026",
        read_timeout=10.0,
    )
    monkeypatch.setattr(
        "clinic.patients.eligibility.pcare_client_for",
        lambda facility_id: PcareClient.from_config(config),
    )
    return patients_sandbox


@pytest.fixture
def enqueued(monkeypatch: pytest.MonkeyPatch) -> list[tuple[Any, ...]]:
    """Background eligibility checks scheduled (captured instead of sent to the broker)."""
    calls: list[tuple[Any, ...]] = []
    from clinic.patients.tasks import verify_eligibility_later

    monkeypatch.setattr(
        verify_eligibility_later,
        "apply_async",
        lambda args=None, **kwargs: calls.append(tuple(args or ())),
    )
    return calls


@pytest.fixture
def make_patient(facility, frontdesk) -> Callable[..., Any]:
    counter = iter(range(1, 10_000))

    def make(**fields: Any) -> Any:
        n = next(counter)
        values: dict[str, Any] = {
            "name": f"PASIEN UJI {chr(64 + n % 26 or 26)}{n}",
            "birth_date": date(1990, 1, 1),
            "sex": "L",
        }
        values.update(fields)
        target = values.pop("facility", facility)
        user = values.pop("created_by", frontdesk)
        return patient_register(facility=target, created_by=user, **values)

    return make
