from __future__ import annotations

from datetime import date

import pytest
from django.utils import timezone

from tests.queues.factories import Clinic, PatientFactory, make_clinic


@pytest.fixture
def clinic(facility) -> Clinic:
    return make_clinic(facility)


@pytest.fixture
def other_clinic(other_facility) -> Clinic:
    return make_clinic(other_facility)


@pytest.fixture
def today() -> date:
    return timezone.localdate()


@pytest.fixture
def pasien(facility):
    """An active JKN participant of the roster, registered at the demo clinic."""
    return PatientFactory(facility=facility, bpjs_card_number="0002000000001")


@pytest.fixture
def pasien_umum(facility):
    return PatientFactory(facility=facility, bpjs_card_number=None, nik=None)


# --- the BPJS sandbox over HTTP, and the outbox run by hand ---------------------------------

SANDBOX_CREDENTIALS = {
    "cons_id": "1000",
    "secret": "sandbox-secret",
    "user_key": "sandbox-user-key",
}


@pytest.fixture(scope="session")
def sandbox_server():
    from tests.support.sandbox import SandboxServer

    with SandboxServer() as server:
        yield server


@pytest.fixture
def sandbox(sandbox_server):
    sandbox_server.reset()
    yield sandbox_server
    sandbox_server.control("DELETE", "/faults")


def service_config(sandbox, service: str, **options):
    from bridging.transport.http import ServiceConfig

    paths = {"pcare": sandbox.pcare_url, "antreanfktp": sandbox.antrean_url}
    extra = {"username": "klinik.demo", "password": "Demo#2026"} if service == "pcare" else {}
    return ServiceConfig(
        service=service, base_url=paths[service], **SANDBOX_CREDENTIALS, **extra, **options
    )


@pytest.fixture
def bpjs_clients(sandbox):
    """``clients`` for ``runner.run_job``: typed clients on the test's sandbox."""
    from bridging.antrean import AntreanFktpClient
    from bridging.outbox.clients import ClientFactory
    from bridging.pcare import PcareClient

    options = {"read_timeout": 5.0}

    def build(job):
        return ClientFactory(
            job.facility_id,
            builders={
                "pcare": lambda _id: PcareClient.from_config(
                    service_config(sandbox, "pcare", **options)
                ),
                "antreanfktp": lambda _id: AntreanFktpClient.from_config(
                    service_config(sandbox, "antreanfktp", **options)
                ),
            },
        )

    build.options = options  # tests may shorten the timeouts
    return build


@pytest.fixture
def pcare_client(sandbox):
    from bridging.pcare import PcareClient

    return PcareClient.from_config(service_config(sandbox, "pcare"))


def run_outbox(clients, *, rounds: int = 200) -> None:
    """Run every job until each is final, making retries due at once (a fake clock)."""
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


# Headless Chromium fixtures (``browser``, ``page``) for the acceptance test in this folder.
