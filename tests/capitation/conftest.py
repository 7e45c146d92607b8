"""Fixtures for capitation tests: the browser (``browser``, ``page``), a BPJS sandbox, typed
clients on it for the outbox runner, and ``run_outbox``."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

import pytest

from tests.support.sandbox import SandboxServer


@pytest.fixture(scope="session")
def sandbox_server() -> Iterator[SandboxServer]:
    with SandboxServer() as server:
        yield server


@pytest.fixture
def sandbox(sandbox_server: SandboxServer) -> Iterator[SandboxServer]:
    sandbox_server.reset()
    yield sandbox_server
    sandbox_server.control("DELETE", "/faults")


@pytest.fixture
def pcare_clients(sandbox: SandboxServer) -> Callable[[Any], Any]:
    """``clients`` for ``runner.run_job``: a PCare client on the test's sandbox."""
    from bridging.outbox.clients import ClientFactory
    from bridging.pcare import PcareClient
    from bridging.transport.http import ServiceConfig

    options: dict[str, float] = {"read_timeout": 5.0}

    def build(job: Any) -> ClientFactory:
        config = ServiceConfig(
            service="pcare",
            base_url=sandbox.pcare_url,
            cons_id="1000",
            secret="sandbox-secret",
            user_key="sandbox-user-key",
            username="klinik.demo",
            password="Demo#2026",
            **options,  # type: ignore[arg-type]
        )
        return ClientFactory(
            job.facility_id, builders={"pcare": lambda _id: PcareClient.from_config(config)}
        )

    build.options = options  # type: ignore[attr-defined]
    return build


def run_outbox(clients: Callable[[Any], Any], *, rounds: int = 50) -> None:
    """Run every job until each is final, making retries due at once."""
    from django.utils import timezone

    from bridging.outbox import runner
    from bridging.outbox.models import FINAL_STATES, JobState, SyncJob

    for _ in range(rounds):
        pending = list(
            SyncJob.objects.exclude(state__in=FINAL_STATES)
            .order_by("pk")
            .values_list("pk", flat=True)
        )
        if not pending:
            return
        SyncJob.objects.filter(state=JobState.RETRY).update(
            next_attempt_at=timezone.now() - timezone.timedelta(seconds=1)
        )
        for job_id in pending:
            runner.run_job(job_id, clients=clients)
    raise AssertionError("outbox jobs did not settle")
