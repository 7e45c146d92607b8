"""Celery tasks of the outbox. They take ids, are idempotent, ``acks_late`` and never sleep:
retry timing lives in the database and the sweeper fires what fell due."""

from __future__ import annotations

from celery import shared_task

from bridging.outbox import runner


@shared_task(name="bridging.outbox.run_job", acks_late=True, ignore_result=True)
def run_job(job_id: int) -> str:
    """One attempt of job ``job_id`` if it is due; a no-op otherwise."""
    return runner.run_job(int(job_id))


@shared_task(name="bridging.outbox.sweep", acks_late=True, ignore_result=True)
def sweep() -> int:
    """Beat task: queue due retries, lost waiting jobs and jobs of killed workers."""
    return len(runner.sweep())
