"""The sweeper finds due, lost and abandoned jobs; the pause switch holds a service's jobs."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from bridging.outbox import runner, service_pause
from bridging.outbox.handlers import SendResult
from bridging.outbox.models import AttemptOutcome, JobState, ServicePause, SyncAttempt, SyncJob
from bridging.outbox.tasks import sweep as sweep_task
from bridging.transport.errors import ServerError

pytestmark = pytest.mark.django_db


def _set(job, **fields):
    SyncJob.objects.filter(pk=job.pk).update(**fields)
    job.refresh_from_db()


def test_sweeper_picks_due_retries_lost_messages_and_expired_leases(make_job, delivered):
    now = timezone.now()
    due_retry = make_job()
    _set(due_retry, state=JobState.RETRY, next_attempt_at=now - timedelta(seconds=1))
    later_retry = make_job()
    _set(later_retry, state=JobState.RETRY, next_attempt_at=now + timedelta(minutes=5))
    lost = make_job()
    _set(lost, next_attempt_at=now - timedelta(minutes=2))
    fresh = make_job()
    _set(fresh, next_attempt_at=now - timedelta(seconds=5))
    dead_worker = make_job()
    _set(dead_worker, state=JobState.SENDING, lease_expires_at=now - timedelta(seconds=1))
    live_worker = make_job()
    _set(live_worker, state=JobState.SENDING, lease_expires_at=now + timedelta(minutes=4))
    done = make_job()
    _set(done, state=JobState.SENT, next_attempt_at=now - timedelta(hours=1))
    stuck = make_job()
    _set(stuck, state=JobState.ATTENTION, next_attempt_at=now - timedelta(hours=1))
    delivered.clear()

    picked = runner.sweep(now=now)

    assert sorted(picked) == sorted([due_retry.pk, lost.pk, dead_worker.pk])
    assert sorted(delivered) == sorted(picked)


def test_sweep_task_returns_how_many_jobs_it_queued(make_job, delivered):
    job = make_job()
    _set(job, state=JobState.RETRY, next_attempt_at=timezone.now() - timedelta(seconds=1))
    delivered.clear()
    assert sweep_task() == 1
    assert delivered == [job.pk]


def test_killed_worker_only_delays_the_job_and_reconciles_first(make_job, fake):
    job = make_job()
    assert runner.claim(job.pk, "worker-that-dies") is True
    SyncAttempt.objects.create(job=job, number=1, started_at=timezone.now())
    _set(job, lease_expires_at=timezone.now() - timedelta(seconds=1))
    fake.reconcile_script = [SendResult("A5")]

    assert runner.run_job(job.pk) == "reconciled"

    job.refresh_from_db()
    assert job.state == JobState.SENT
    assert job.remote_id == "A5"
    assert job.attempts == 2
    assert fake.calls == [("reconcile", job.pk)]
    assert list(job.attempt_log.values_list("number", "outcome")) == [
        (1, AttemptOutcome.ABANDONED),
        (2, AttemptOutcome.RECONCILED),
    ]


def test_job_interrupted_too_often_needs_attention(make_job, fake, settings):
    settings.OUTBOX_MAX_ATTEMPTS = 2
    job = make_job()
    past = timezone.now() - timedelta(seconds=1)
    assert runner.claim(job.pk, "worker-a") is True
    _set(job, lease_expires_at=past)
    assert runner.claim(job.pk, "worker-b") is True
    _set(job, lease_expires_at=past)

    assert runner.run_job(job.pk) == "attention"

    job.refresh_from_db()
    assert job.state == JobState.ATTENTION
    assert job.last_error_message == "Pengiriman terputus 2 kali."
    assert fake.calls == []


def test_paused_service_holds_jobs_and_resume_drains_them(
    make_job, fake, admin, delivered, django_capture_on_commit_callbacks
):
    pause = service_pause(service="pcare", paused=True, by=admin, reason="BPJS maintenance")
    assert pause.facility_id == admin.facility_id
    assert pause.by == admin
    job = make_job()
    other_service = make_job(service="antreanfktp")
    _set(job, next_attempt_at=timezone.now() - timedelta(minutes=5))
    _set(other_service, next_attempt_at=timezone.now() - timedelta(minutes=5))

    assert runner.run_job(job.pk) == "paused"
    assert runner.due_jobs() == [other_service.pk]
    job.refresh_from_db()
    assert job.state == JobState.WAITING
    assert job.attempts == 0
    assert job.state_label == "Menunggu: layanan PCare sedang dijeda"
    assert fake.calls == []

    delivered.clear()
    with django_capture_on_commit_callbacks(execute=True):
        service_pause(service="pcare", paused=False, by=admin)
    assert delivered == [job.pk]
    job.refresh_from_db()
    assert job.state_label == "Menunggu"
    assert runner.run_job(job.pk) == "sent"
    assert ServicePause.objects.get(service="pcare").paused is False


def test_pause_of_one_facility_does_not_hold_another(make_job, fake, admin, other_facility):
    service_pause(service="pcare", paused=True, by=admin)
    theirs = make_job(facility_id=other_facility.pk)
    assert runner.run_job(theirs.pk) == "sent"


def test_pause_without_facility_holds_every_facility(make_job, fake, db):
    service_pause(service="pcare", paused=True, by=None, reason="gangguan nasional")
    job = make_job()
    assert runner.run_job(job.pk) == "paused"


def test_retry_that_falls_due_while_paused_is_sent_after_resume(
    make_job, fake, admin, delivered, django_capture_on_commit_callbacks
):
    job = make_job()
    fake.send_script = [ServerError("gangguan")]
    runner.run_job(job.pk)
    service_pause(service="pcare", paused=True, by=admin)
    _set(job, next_attempt_at=timezone.now() - timedelta(seconds=1))
    assert runner.due_jobs() == []
    assert runner.run_job(job.pk) == "paused"
    job.refresh_from_db()
    assert job.state == JobState.RETRY
    assert job.state_label == "Menunggu: layanan PCare sedang dijeda"
    delivered.clear()
    with django_capture_on_commit_callbacks(execute=True):
        service_pause(service="pcare", paused=False, by=admin)
    assert delivered == [job.pk]
    assert runner.run_job(job.pk) == "sent"
