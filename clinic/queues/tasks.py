from __future__ import annotations

from celery import shared_task

from clinic.queues.services import visits_due_pendaftaran


@shared_task(name="clinic.queues.tasks.enqueue_due_pendaftaran", ignore_result=True)
def enqueue_due_pendaftaran() -> int:
    """Beat task (daily after midnight, and again during the day): enqueue the PCare
    pendaftaran of today's BPJS visits booked ahead in Mobile JKN. Idempotent."""
    return visits_due_pendaftaran()
