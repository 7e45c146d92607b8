"""run_job(): claim, send, record, and decide the next state."""

from __future__ import annotations

import json
import random
from datetime import timedelta

import pytest
from django.db import transaction
from django.utils import timezone

from bridging.outbox import enqueue, runner
from bridging.outbox.handlers import SendResult
from bridging.outbox.models import AttemptOutcome, JobState, SyncAttempt, SyncJob
from bridging.transport.errors import (
    AuthenticationError,
    BpjsTimeout,
    ConfigurationError,
    FieldError,
    NetworkError,
    Rejected,
    ServerError,
)

pytestmark = pytest.mark.django_db


def test_success_marks_sent_with_remote_number_and_calls_on_sent(make_job, fake):
    job = make_job()
    fake.send_script = [SendResult("A12", {"field": "noUrut", "message": "A12"})]

    assert runner.run_job(job.pk) == "sent"

    job.refresh_from_db()
    assert job.state == JobState.SENT
    assert job.remote_id == "A12"
    assert job.attempts == 1
    assert job.sent_at is not None
    assert job.lease_expires_at is None
    assert job.state_label == "Terkirim (A12)"
    assert fake.sent == [(job.pk, "A12")]
    attempt = job.attempt_log.get()
    assert attempt.number == 1
    assert attempt.outcome == AttemptOutcome.SENT
    assert attempt.response == {"field": "noUrut", "message": "A12"}
    assert attempt.finished_at is not None


def test_running_a_sent_job_again_does_nothing(make_job, fake):
    job = make_job()
    runner.run_job(job.pk)
    assert runner.run_job(job.pk) == "final"
    assert fake.calls == [("send", job.pk)]
    assert SyncAttempt.objects.filter(job=job).count() == 1


def test_missing_job_is_a_no_op(db):
    assert runner.run_job(987654) == "missing"


def test_second_claim_of_the_same_job_loses(make_job):
    job = make_job()
    assert runner.claim(job.pk, "worker-a") is True
    assert runner.claim(job.pk, "worker-b") is False
    job.refresh_from_db()
    assert job.state == JobState.SENDING
    assert job.claimed_by == "worker-a"
    assert job.attempts == 1
    assert job.state_label == "Sedang dikirim"


def test_job_being_sent_elsewhere_is_not_claimed_by_run_job(make_job, fake):
    job = make_job()
    assert runner.claim(job.pk, "worker-a") is True
    assert runner.run_job(job.pk) == "not_claimed"
    assert fake.calls == []


def test_retry_not_yet_due_is_not_claimed(make_job, fake):
    job = make_job()
    fake.send_script = [ServerError("BPJS sedang gangguan.")]
    runner.run_job(job.pk)
    assert runner.run_job(job.pk) == "not_claimed"
    assert fake.calls == [("send", job.pk)]


def test_retryable_failure_stores_backoff_in_the_database(make_job, fake, settings):
    settings.OUTBOX_BACKOFF_BASE_SECONDS = 20
    job = make_job()
    fake.send_script = [NetworkError("Tidak dapat terhubung ke server BPJS.")]
    before = timezone.now()

    assert runner.run_job(job.pk) == "retry"

    after = timezone.now()
    job.refresh_from_db()
    assert job.state == JobState.RETRY
    assert job.last_error_code == "connect_failed"
    assert job.last_error_message == "Tidak dapat terhubung ke server BPJS."
    assert job.maybe_applied is False
    # First failure: base 20 s, jittered into [10 s, 20 s].
    assert before + timedelta(seconds=10) <= job.next_attempt_at <= after + timedelta(seconds=20)
    local = timezone.localtime(job.next_attempt_at)
    assert job.state_label == f"Akan dicoba lagi pukul {local:%H:%M}"
    attempt = job.attempt_log.get()
    assert attempt.outcome == AttemptOutcome.RETRY
    assert attempt.error_code == "connect_failed"


def test_backoff_doubles_per_failure_and_is_capped(settings):
    settings.OUTBOX_BACKOFF_BASE_SECONDS = 10
    settings.OUTBOX_BACKOFF_CAP_SECONDS = 300

    class Top(random.Random):
        def uniform(self, a, b):
            return b

    top = Top()
    assert [runner.backoff_delay(n, rng=top) for n in range(1, 8)] == [
        10.0,
        20.0,
        40.0,
        80.0,
        160.0,
        300.0,
        300.0,
    ]
    assert runner.backoff_delay(500, rng=top) == 300.0


def test_jitter_stays_within_half_and_full_delay(settings):
    settings.OUTBOX_BACKOFF_BASE_SECONDS = 10
    settings.OUTBOX_BACKOFF_CAP_SECONDS = 300
    rng = random.Random(1234)
    delays = [runner.backoff_delay(3, rng=rng) for _ in range(2000)]
    assert min(delays) >= 20.0
    assert max(delays) <= 40.0
    # Really spread out, not a constant.
    assert max(delays) - min(delays) > 15.0


def test_consecutive_failures_wait_longer(make_job, fake, settings):
    settings.OUTBOX_BACKOFF_BASE_SECONDS = 100
    settings.OUTBOX_BACKOFF_CAP_SECONDS = 100_000
    job = make_job()
    fake.send_script = [ServerError("gangguan"), ServerError("gangguan")]
    runner.run_job(job.pk)
    job.refresh_from_db()
    first_wait = job.next_attempt_at - job.attempt_log.get(number=1).finished_at
    SyncJob.objects.filter(pk=job.pk).update(next_attempt_at=timezone.now())
    runner.run_job(job.pk)
    job.refresh_from_db()
    second_wait = job.next_attempt_at - job.attempt_log.get(number=2).finished_at
    assert timedelta(seconds=50) <= first_wait <= timedelta(seconds=100)
    assert timedelta(seconds=100) <= second_wait <= timedelta(seconds=200)


@pytest.mark.parametrize(
    ("error", "code"),
    [
        (
            Rejected(
                "BPJS menolak data: kdPoli tidak valid.",
                http_status=412,
                code="412",
                field_errors=[FieldError("kdPoli", "tidak valid")],
            ),
            "rejected",
        ),
        (AuthenticationError("BPJS menolak X-signature."), "authentication_failed"),
        (ConfigurationError("Kredensial PCare belum diisi."), "configuration"),
    ],
)
def test_non_retryable_error_needs_attention_at_once(make_job, fake, error, code):
    job = make_job()
    fake.send_script = [error]

    assert runner.run_job(job.pk) == "attention"

    job.refresh_from_db()
    assert job.state == JobState.ATTENTION
    assert job.attempts == 1
    assert job.last_error_code == code
    assert job.state_label == f"Perlu tindakan: {error.message}"
    attempt = job.attempt_log.get()
    assert attempt.outcome == AttemptOutcome.ATTENTION
    assert attempt.response["type"] == type(error).__name__
    # Needs a person: running it again does nothing.
    assert runner.run_job(job.pk) == "final"
    assert fake.calls == [("send", job.pk)]


def test_rejected_412_keeps_status_and_field_errors_in_the_attempt(make_job, fake):
    job = make_job()
    fake.send_script = [
        Rejected(
            "Data ditolak",
            http_status=412,
            code="412",
            bpjs_message="PRECONDITION FAILED",
            field_errors=[FieldError("kdPoli", "Poli tidak ditemukan")],
        )
    ]
    runner.run_job(job.pk)
    attempt = SyncAttempt.objects.get(job=job)
    assert attempt.http_status == 412
    assert attempt.bpjs_code == "412"
    assert attempt.bpjs_message == "PRECONDITION FAILED"
    assert attempt.response["field_errors"] == [
        {"field": "kdPoli", "message": "Poli tidak ditemukan"}
    ]


def test_after_max_attempts_a_retryable_error_needs_attention(make_job, fake, settings):
    settings.OUTBOX_MAX_ATTEMPTS = 3
    job = make_job()
    fake.send_script = [ServerError("BPJS gangguan.")] * 3
    outcomes = []
    for _ in range(3):
        outcomes.append(runner.run_job(job.pk))
        SyncJob.objects.filter(pk=job.pk).update(next_attempt_at=timezone.now())
    assert outcomes == ["retry", "retry", "attention"]
    job.refresh_from_db()
    assert job.state == JobState.ATTENTION
    assert job.last_error_message == "Masih gagal setelah 3 kali percobaan: BPJS gangguan."
    assert list(job.attempt_log.values_list("number", "outcome")) == [
        (1, "retry"),
        (2, "retry"),
        (3, "attention"),
    ]


def test_ambiguous_failure_is_reconciled_without_sending_again(make_job, fake):
    job = make_job()
    fake.send_script = [BpjsTimeout("Waktu tunggu habis.", maybe_applied=True)]
    fake.reconcile_script = [SendResult("A7", {"noUrut": "A7"})]

    assert runner.run_job(job.pk) == "retry"
    job.refresh_from_db()
    assert job.maybe_applied is True
    SyncJob.objects.filter(pk=job.pk).update(next_attempt_at=timezone.now())

    assert runner.run_job(job.pk) == "reconciled"

    job.refresh_from_db()
    assert job.state == JobState.SENT
    assert job.remote_id == "A7"
    assert job.maybe_applied is False
    assert fake.calls == [("send", job.pk), ("reconcile", job.pk)]
    assert fake.sent == [(job.pk, "A7")]
    assert list(job.attempt_log.values_list("outcome", flat=True)) == ["retry", "reconciled"]


def test_ambiguous_failure_not_found_at_bpjs_is_sent_again(make_job, fake):
    job = make_job()
    fake.send_script = [BpjsTimeout("Waktu tunggu habis.", maybe_applied=True), SendResult("A8")]
    fake.reconcile_script = [None]
    runner.run_job(job.pk)
    SyncJob.objects.filter(pk=job.pk).update(next_attempt_at=timezone.now())

    assert runner.run_job(job.pk) == "sent"

    assert fake.calls == [("send", job.pk), ("reconcile", job.pk), ("send", job.pk)]
    job.refresh_from_db()
    assert job.remote_id == "A8"


def test_reconcile_that_fails_keeps_the_job_ambiguous(make_job, fake):
    job = make_job()
    fake.send_script = [BpjsTimeout("Waktu tunggu habis.", maybe_applied=True)]
    fake.reconcile_script = [NetworkError("Tidak dapat terhubung.")]
    runner.run_job(job.pk)
    SyncJob.objects.filter(pk=job.pk).update(next_attempt_at=timezone.now())

    assert runner.run_job(job.pk) == "retry"

    job.refresh_from_db()
    assert job.maybe_applied is True
    assert fake.calls == [("send", job.pk), ("reconcile", job.pk)]


def test_clean_failure_after_reconcile_clears_the_ambiguity(make_job, fake):
    job = make_job()
    fake.send_script = [
        BpjsTimeout("Waktu tunggu habis.", maybe_applied=True),
        NetworkError("Tidak dapat terhubung."),
    ]
    fake.reconcile_script = [None]
    runner.run_job(job.pk)
    SyncJob.objects.filter(pk=job.pk).update(next_attempt_at=timezone.now())
    runner.run_job(job.pk)
    job.refresh_from_db()
    assert job.state == JobState.RETRY
    assert job.maybe_applied is False


def test_failure_in_on_sent_rolls_back_and_reconciles_next_time(make_job, fake):
    job = make_job()
    fake.on_sent_error = KeyError("visit")
    assert runner.run_job(job.pk) == "retry"
    job.refresh_from_db()
    assert job.state == JobState.RETRY
    assert job.remote_id == ""
    assert job.maybe_applied is True
    assert job.last_error_code == "internal_error"
    assert job.last_error_message == "Terjadi kesalahan internal saat mengirim (KeyError)."

    fake.on_sent_error = None
    fake.reconcile_script = [SendResult("A3")]
    SyncJob.objects.filter(pk=job.pk).update(next_attempt_at=timezone.now())
    assert runner.run_job(job.pk) == "reconciled"
    assert fake.calls == [("send", job.pk), ("reconcile", job.pk)]
    assert fake.sent == [(job.pk, "A3")]


def test_dependent_is_never_attempted_before_its_dependency_is_sent(
    facility, fake, delivered, django_capture_on_commit_callbacks
):
    with transaction.atomic():
        first = enqueue(
            facility_id=facility.pk,
            service="pcare",
            operation="test.fake.add",
            subject_type="queues.visit",
            subject_id="1",
            idempotency_key="first",
        )
        second = enqueue(
            facility_id=facility.pk,
            service="antreanfktp",
            operation="test.fake.add",
            subject_type="queues.visit",
            subject_id="1",
            idempotency_key="second",
            depends_on=[first],
        )
    fake.send_script = [ServerError("gangguan"), SendResult("A1"), SendResult("")]

    assert runner.run_job(second.pk) == "blocked"
    assert runner.run_job(first.pk) == "retry"
    assert runner.run_job(second.pk) == "blocked"
    assert fake.calls == [("send", first.pk)]
    second.refresh_from_db()
    assert second.state == JobState.WAITING
    assert second.attempts == 0
    # The sweeper leaves it alone too.
    SyncJob.objects.filter(pk=second.pk).update(next_attempt_at=timezone.now() - timedelta(hours=1))
    assert second.pk not in runner.due_jobs()

    SyncJob.objects.filter(pk=first.pk).update(next_attempt_at=timezone.now())
    delivered.clear()
    with django_capture_on_commit_callbacks(execute=True):
        assert runner.run_job(first.pk) == "sent"
    assert delivered == [second.pk]

    assert runner.run_job(second.pk) == "sent"
    assert fake.calls == [("send", first.pk), ("send", first.pk), ("send", second.pk)]
    second.refresh_from_db()
    assert second.state == JobState.SENT
    assert second.state_label == "Terkirim"


def test_dependent_of_a_job_needing_attention_waits_with_a_note(make_job, fake):
    first = make_job()
    second = make_job(depends_on=[first])
    fake.send_script = [Rejected("Peserta tidak aktif.")]

    runner.run_job(first.pk)

    second.refresh_from_db()
    assert second.state == JobState.WAITING
    assert second.state_label == "Menunggu: Operasi uji perlu tindakan lebih dulu"
    assert runner.run_job(second.pk) == "blocked"
    assert fake.calls == [("send", first.pk)]


def test_stored_attempts_hold_no_secret_nor_patient_identifier(make_job, fake):
    job = make_job(
        payload={
            "noKartu": "0001234567890",
            "nik": "3201234567890001",
            "password": "Rahasia#2026",
            "kdPoli": "001",
        }
    )
    fake.send_script = [
        Rejected(
            "Peserta dengan kartu 0001234567890 tidak aktif",
            bpjs_message="noKartu 0001234567890 / NIK 3201234567890001 tidak aktif",
        )
    ]
    runner.run_job(job.pk)

    attempt = SyncAttempt.objects.get(job=job)
    stored = json.dumps([attempt.request, attempt.response, attempt.message, attempt.bpjs_message])
    assert "0001234567890" not in stored
    assert "3201234567890001" not in stored
    assert "Rahasia#2026" not in stored
    assert attempt.request["kdPoli"] == "001"
    assert attempt.request["noKartu"] == "***"
    assert attempt.request["password"] == "***"
    assert attempt.message == "Peserta dengan kartu [NOKARTU] tidak aktif"


def test_stored_success_response_is_redacted(make_job, fake):
    job = make_job()
    fake.send_script = [SendResult("A1", {"noKartu": "0001234567890", "noUrut": "A1"})]
    runner.run_job(job.pk)
    attempt = SyncAttempt.objects.get(job=job)
    assert attempt.response == {"noKartu": "***", "noUrut": "A1"}


def test_operation_without_handler_needs_attention(make_job, fake):
    job = make_job()
    SyncJob.objects.filter(pk=job.pk).update(operation="gone.away")
    assert runner.run_job(job.pk) == "attention"
    job.refresh_from_db()
    assert job.state == JobState.ATTENTION
    assert job.last_error_message == "Belum ada penangan untuk gone.away."
