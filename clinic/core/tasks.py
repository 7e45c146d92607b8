from __future__ import annotations

import socket

from celery import shared_task

from clinic.core.health import record_heartbeat


@shared_task(name="clinic.core.tasks.beat_heartbeat", ignore_result=True)
def beat_heartbeat() -> None:
    """Scheduled by beat: proves beat schedules and a worker runs what it schedules."""
    record_heartbeat("beat", socket.gethostname())
