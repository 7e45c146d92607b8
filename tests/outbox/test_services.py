"""Retry, cancel and pause by hand: states, signals for the clinic's audit log, labels."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from bridging.outbox import job_cancel, job_retry, runner, service_pause, signals
from bridging.outbox.models import JobState, SyncJob
from bridging.outbox.services import JobStateError
from bridging.transport.errors import Rejected, ServerError

pytestmark = pytest.mark.django_db


@pytest.fixture
def received():
    events = []

    def on_retry(sender, job, by, **kwargs):
        events.append(("retried", job.pk, by.username))

    def on_cancel(sender, job, by, **kwargs):
        events.append(("cancelled", job.pk, by.username))

    def on_pause(sender, pause, by, paused, **kwargs):
        events.append(("paused" if paused else "resumed", pause.service, by.username))

    signals.job_retried.connect(on_retry)
    signals.job_cancelled.connect(on_cancel)
    signals.service_paused.connect(on_pause)
    yield events
    signals.job_retried.disconnect(on_retry)
    signals.job_cancelled.disconnect(on_cancel)
    signals.service_paused.disconnect(on_pause)


def test_retry_of_a_job_needing_attention_runs_it_again(
    make_job, fake, admin, received, delivered, django_capture_on_commit_callbacks
):
    job = make_job()
    fake.send_script = [Rejected("Poli tidak valid.")]
    runner.run_job(job.pk)
    delivered.clear()

    with django_capture_on_commit_callbacks(execute=True):
        job = job_retry(job=job, by=admin)

    assert delivered == [job.pk]
    assert received == [("retried", job.pk, "admin")]
    job.refresh_from_db()
    assert job.state == JobState.RETRY
    assert job.max_attempts == 1 + 12
    assert runner.run_job(job.pk) == "sent"
    assert [call for call, _ in fake.calls] == ["send", "send"]


def test_retry_gives_a_fresh_allowance_of_attempts(make_job, fake, admin, settings):
    settings.OUTBOX_MAX_ATTEMPTS = 1
    job = make_job()
    fake.send_script = [ServerError("gangguan"), ServerError("gangguan")]
    assert runner.run_job(job.pk) == "attention"
    job_retry(job=job, by=admin)
    assert runner.run_job(job.pk) == "attention"
    settings.OUTBOX_MAX_ATTEMPTS = 3
    job_retry(job=job, by=admin)
    fake.send_script = [ServerError("gangguan")]
    assert runner.run_job(job.pk) == "retry"


def test_sent_job_cannot_be_retried_or_cancelled(make_job, fake, admin, received):
    job = make_job()
    runner.run_job(job.pk)
    with pytest.raises(JobStateError) as retry_error:
        job_retry(job=job, by=admin)
    assert (
        retry_error.value.message == "Tugas ini tidak dapat dicoba lagi karena berstatus Terkirim."
    )
    with pytest.raises(JobStateError) as cancel_error:
        job_cancel(job=job, by=admin)
    assert cancel_error.value.message == (
        "Tugas ini tidak dapat dibatalkan karena berstatus Terkirim."
    )
    job.refresh_from_db()
    assert job.state == JobState.SENT
    assert received == []


def test_job_being_sent_cannot_be_cancelled(make_job, admin):
    job = make_job()
    runner.claim(job.pk, "worker-a")
    with pytest.raises(JobStateError):
        job_cancel(job=job, by=admin)
    job.refresh_from_db()
    assert job.state == JobState.SENDING


def test_cancel_stops_a_job_and_its_dependents_wait_with_a_note(make_job, fake, admin, received):
    first = make_job()
    second = make_job(depends_on=[first])

    job_cancel(job=first, by=admin)

    first.refresh_from_db()
    second.refresh_from_db()
    assert first.state == JobState.CANCELLED
    assert first.state_label == "Dibatalkan"
    assert second.state == JobState.WAITING
    assert second.state_label == "Menunggu: Operasi uji dibatalkan"
    assert received == [("cancelled", first.pk, "admin")]
    assert runner.run_job(first.pk) == "final"
    assert runner.run_job(second.pk) == "blocked"
    assert fake.calls == []


def test_cancelled_job_can_be_reopened(make_job, fake, admin):
    job = make_job()
    job_cancel(job=job, by=admin)
    job_retry(job=job, by=admin)
    assert runner.run_job(job.pk) == "sent"


def test_pause_and_resume_send_signals(admin, received):
    service_pause(service="vclaim", paused=True, by=admin, reason="uji")
    service_pause(service="vclaim", paused=False, by=admin)
    assert received == [("paused", "vclaim", "admin"), ("resumed", "vclaim", "admin")]


def test_pause_of_unknown_service_is_refused(admin):
    with pytest.raises(ValueError, match="unknown BPJS service"):
        service_pause(service="mobilejkn", paused=True, by=admin)


def test_retry_label_shows_the_day_when_not_today(make_job):
    job = make_job()
    tomorrow = timezone.localtime() + timedelta(days=1)
    SyncJob.objects.filter(pk=job.pk).update(state=JobState.RETRY, next_attempt_at=tomorrow)
    job.refresh_from_db()
    assert job.state_label == f"Akan dicoba lagi pukul {tomorrow:%d/%m %H:%M}"


def test_attention_label_carries_the_message_for_staff(make_job):
    job = make_job()
    SyncJob.objects.filter(pk=job.pk).update(
        state=JobState.ATTENTION, last_error_message="BPJS menolak user_key."
    )
    job.refresh_from_db()
    assert job.state_label == "Perlu tindakan: BPJS menolak user_key."
