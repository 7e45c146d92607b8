"""Acceptance (sync monitor): with the Celery worker stopped, jobs pile up visibly on the
monitor; when it starts again it drains them, and BPJS holds each registration exactly once.

The worker is a separate process on the test's own database (a file on SQLite, the test
database on PostgreSQL) and its own queue on the configured broker.
"""

from __future__ import annotations

import datetime as dt
import os
import time
import uuid

import pytest
from django.db import connection
from django.utils import timezone

from bridging.outbox.models import JobState, SyncJob
from clinic.core.models import Facility, User
from clinic.core.processes import ProcessGroup, worker_command
from clinic.patients.models import Patient
from clinic.portal.demo import seed_demo
from clinic.queues.models import DoctorSchedule, Poli
from clinic.queues.services import visit_register

pytestmark = [pytest.mark.slow, pytest.mark.django_db(transaction=True)]

CARDS = [f"0002{n:09d}" for n in (11, 13, 15, 17, 19)]


def _database_url() -> str:
    db = connection.settings_dict
    if connection.vendor == "sqlite":
        return f"sqlite:///{db['NAME']}"
    auth = db["USER"] or "postgres"
    if db.get("PASSWORD"):
        auth += f":{db['PASSWORD']}"
    return f"postgres://{auth}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}"


@pytest.fixture
def own_queue():
    from clinic.celery import app

    queue = f"outage_{uuid.uuid4().hex[:12]}"
    previous = app.conf.task_default_queue
    app.conf.task_default_queue = queue
    yield queue
    app.conf.task_default_queue = previous


def _register_visits(poli: Poli, facility: Facility, frontdesk: User) -> list[int]:
    visits = []
    for card in CARDS:
        patient = Patient.objects.create(
            facility=facility,
            mrn=f"RM-{card[-6:]}",
            bpjs_card_number=card,
            name=f"PESERTA {card[-2:]}",
            birth_date=dt.date(1980, 1, 1),
            sex="L",
            bpjs_provider_code="0999K001",
        )
        visit = visit_register(
            facility=facility,
            patient=patient,
            poli=poli,
            visit_date=timezone.localdate(),
            payer="bpjs",
            is_sick_visit=True,
            tkp="10",
            complaint="demam",
            source="frontdesk",
            created_by=frontdesk,
        )
        visits.append(visit.pk)
    return visits


def test_jobs_pile_up_without_a_worker_and_drain_when_it_starts(
    sandbox, settings, own_queue, client
):
    settings.BPJS_SANDBOX_URL = sandbox.base_url
    seed_demo()
    facility = Facility.objects.get(bpjs_provider_code="0999K001")
    poli = Poli.objects.get(facility=facility, pcare_code="001")
    today = timezone.localdate()
    DoctorSchedule.objects.filter(poli=poli).update(daily_quota=100)
    if not DoctorSchedule.objects.filter(poli=poli, weekday=today.weekday()).exists():
        DoctorSchedule.objects.create(
            facility=facility,
            poli=poli,
            doctor=poli.schedules.first().doctor,
            weekday=today.weekday(),
            start_time=dt.time(0, 0),
            end_time=dt.time(23, 59),
            daily_quota=100,
        )
    _register_visits(poli, facility, User.objects.get(username="frontdesk"))

    # No worker: every job waits, untried, and the monitor shows the pile.
    jobs = SyncJob.objects.filter(facility=facility, operation="pcare.pendaftaran.add")
    assert jobs.count() == len(CARDS)
    assert set(jobs.values_list("state", "attempts")) == {(JobState.WAITING, 0)}
    client.force_login(User.objects.get(username="admin"))
    monitor = client.get("/outbox/", {"service": "pcare", "state": "waiting"})
    assert monitor.status_code == 200
    page = monitor.content.decode()
    assert page.count("PCare pendaftaran") >= len(CARDS)
    waiting = SyncJob.objects.filter(
        facility=facility, service="pcare", state=JobState.WAITING
    ).count()
    assert waiting == len(CARDS)
    assert f"{waiting} tugas" in page

    # The worker starts: the messages waiting on the broker are drained, nothing lost.
    env = dict(os.environ)
    env.update({"DATABASE_URL": _database_url(), "BPJS_SANDBOX_URL": sandbox.base_url})
    env.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
    group = ProcessGroup(env=env)
    group.start("worker", [*worker_command(concurrency=1, name=own_queue), "-Q", own_queue])
    try:
        deadline = time.monotonic() + 90
        while time.monotonic() < deadline:
            if jobs.filter(state=JobState.SENT).count() == len(CARDS):
                break
            time.sleep(0.5)
    finally:
        group.stop()
    assert sorted(jobs.values_list("state", flat=True)) == [JobState.SENT] * len(CARDS)
    held = sandbox.control("GET", f"/state/pendaftaran?tglDaftar={today:%d-%m-%Y}")["pendaftaran"]
    live_cards = sorted(row["noKartu"] for row in held if not row.get("deleted"))
    assert live_cards == sorted(CARDS)
