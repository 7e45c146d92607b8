"""Firing ``run_job`` after commit. A message that is lost (broker down, worker killed before
the task ran) only delays the job: the sweeper finds it again in the database."""

from __future__ import annotations

import logging

from django.db import transaction

logger = logging.getLogger("bridging.outbox")


def fire_on_commit(job_id: int) -> None:
    """Queue ``run_job(job_id)`` once the current transaction commits."""
    transaction.on_commit(lambda: deliver(job_id))


def deliver(job_id: int) -> None:
    """Send the task message now. Never raises: the sweeper is the safety net."""
    from bridging.outbox.tasks import run_job

    try:
        run_job.apply_async(args=[job_id])
    except Exception as exc:
        logger.warning(
            "outbox: could not queue job %s (%s); the sweeper will pick it up",
            job_id,
            type(exc).__name__,
        )
