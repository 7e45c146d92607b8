"""Fixtures for the records tests: the demo clinic, a JKN visit, a BPJS sandbox on a free port
with the demo credentials pointing at it, and the outbox run by hand."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

import pytest
from django.db import transaction

from tests.records.factories import PatientFactory, make_doctor, make_poli, make_visit
from tests.support.sandbox import SandboxServer


@pytest.fixture
def poli(facility):
    return make_poli(facility)


@pytest.fixture
def poli_gigi(facility):
    return make_poli(facility, "002", "Gigi", "B")


@pytest.fixture
def doctor(facility, dokter):
    return make_doctor(facility, dokter)


@pytest.fixture
def patient(facility):
    return PatientFactory(facility=facility)


@pytest.fixture
def visit(facility, patient, poli, doctor):
    return make_visit(facility, patient, poli, doctor)


@pytest.fixture
def delivered(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """Jobs handed to the broker are only recorded; tests run them with ``run_jobs``."""
    calls: list[int] = []
    monkeypatch.setattr("bridging.outbox.dispatch.deliver", calls.append)
    monkeypatch.setattr("bridging.outbox.runner.deliver", calls.append)
    return calls


@pytest.fixture
def pendaftaran(visit, delivered):
    """The visit's PCare pendaftaran job, as the queue enqueues it."""
    from clinic.queues import sync as queue_sync

    with transaction.atomic():
        return queue_sync.enqueue_pendaftaran_add(visit)


@pytest.fixture(scope="session")
def records_sandbox() -> Iterator[SandboxServer]:
    with SandboxServer() as server:
        yield server


@pytest.fixture
def sandbox(records_sandbox: SandboxServer, settings: Any, facility) -> SandboxServer:
    """A reset sandbox; the facility's demo credentials point at it."""
    from bridging.credentials.demo import seed_demo_credentials

    records_sandbox.reset()
    settings.BPJS_SANDBOX_URL = records_sandbox.base_url
    seed_demo_credentials(facility)
    return records_sandbox


@pytest.fixture
def run_jobs(delivered) -> Callable[..., list[tuple[str, str]]]:
    """Run every job that can run, until nothing moves; returns (operation, outcome) pairs."""
    from bridging.outbox.models import FINAL_STATES, SyncJob
    from bridging.outbox.runner import run_job

    def run(max_rounds: int = 10) -> list[tuple[str, str]]:
        outcomes: list[tuple[str, str]] = []
        for _ in range(max_rounds):
            moved = False
            for job in SyncJob.objects.exclude(state__in=FINAL_STATES).order_by("id"):
                outcome = run_job(job.pk)
                outcomes.append((job.operation, outcome))
                if outcome not in ("blocked", "not_claimed", "paused"):
                    moved = True
            if not moved:
                break
        return outcomes

    return run


def sandbox_state(sandbox: SandboxServer, kind: str, **params: Any) -> list[dict[str, Any]]:
    answer = sandbox.control("GET", f"/state/{kind}", None, **params)
    if isinstance(answer, dict):
        for value in answer.values():
            if isinstance(value, list):
                return value
    return list(answer or [])
