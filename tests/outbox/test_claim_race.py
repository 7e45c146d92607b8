"""Two workers claiming the same job at the same moment: exactly one wins (PostgreSQL)."""

from __future__ import annotations

import threading

import pytest
from django.db import connection, transaction

from bridging.outbox import enqueue, runner
from bridging.outbox.models import JobState, SyncAttempt, SyncJob
from tests.outbox.conftest import FAKE


def _job(facility, n):
    with transaction.atomic():
        return enqueue(
            facility_id=facility.pk,
            service="pcare",
            operation=FAKE,
            subject_type="queues.visit",
            subject_id=str(n),
            idempotency_key=f"{FAKE}:race:{n}",
        )


def _together(count, target):
    barrier = threading.Barrier(count)
    results = [None] * count
    errors = []

    def worker(i):
        from django.db import connections

        try:
            barrier.wait(timeout=10)
            results[i] = target(i)
        except Exception as exc:  # pragma: no cover - reported below
            errors.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=worker, args=(i,)) for i in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert errors == []
    return results


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_concurrent_claims_of_one_job_have_one_winner(facility, fake, delivered):
    assert connection.vendor == "postgresql"
    for n in range(10):
        job = _job(facility, n)
        results = _together(8, lambda i, pk=job.pk: runner.claim(pk, f"worker-{i}"))
        assert sorted(results) == [False] * 7 + [True]
        job.refresh_from_db()
        assert job.attempts == 1
        assert job.claimed_by == f"worker-{results.index(True)}"


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_concurrent_runs_send_a_job_once(facility, fake, delivered):
    job = _job(facility, 99)
    outcomes = _together(6, lambda i: runner.run_job(job.pk))
    assert sorted(outcomes, key=str).count("sent") == 1
    assert set(outcomes) <= {"sent", "not_claimed", "final"}
    assert fake.calls == [("send", job.pk)]
    assert SyncAttempt.objects.filter(job=job).count() == 1
    assert SyncJob.objects.get(pk=job.pk).state == JobState.SENT


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_concurrent_enqueue_of_one_key_makes_one_job(facility, fake, delivered):
    def add(i):
        with transaction.atomic():
            return enqueue(
                facility_id=facility.pk,
                service="pcare",
                operation=FAKE,
                subject_type="queues.visit",
                subject_id="5",
                idempotency_key=f"{FAKE}:visit:5",
            ).pk

    ids = _together(6, add)
    assert len(set(ids)) == 1
    assert SyncJob.objects.filter(idempotency_key=f"{FAKE}:visit:5").count() == 1


def test_second_claim_loses_on_any_database(facility, fake, delivered, db):
    job = _job(facility, 1)
    assert [runner.claim(job.pk, "a"), runner.claim(job.pk, "b")] == [True, False]
