"""The Celery application. Tasks take ids, are idempotent, acks_late, and never sleep."""

from __future__ import annotations

import os

from celery import Celery, bootsteps

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "clinic.settings")

app = Celery("clinic")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()

app.conf.beat_schedule = {
    "beat-heartbeat": {"task": "clinic.core.tasks.beat_heartbeat", "schedule": 15.0},
    # BPJS visits booked ahead (Mobile JKN) get their PCare pendaftaran on their day.
    "queues-due-pendaftaran": {
        "task": "clinic.queues.tasks.enqueue_due_pendaftaran",
        "schedule": 1800.0,
        "options": {"expires": 1700.0},
    },
}


class HeartbeatStep(bootsteps.StartStopStep):
    """Records in the database that this worker is alive, every few seconds.

    /healthz reads it. A database row works whatever the broker is (the filesystem transport
    has no broadcast for ``celery inspect ping``), and it proves the worker can reach the
    database too.
    """

    requires = {"celery.worker.components:Timer"}

    def __init__(self, parent: object, **kwargs: object) -> None:
        super().__init__(parent, **kwargs)
        self.tref: object | None = None

    def start(self, parent: object) -> None:
        from django.conf import settings

        from clinic.core.health import record_heartbeat

        hostname = str(getattr(parent, "hostname", "worker"))
        record_heartbeat("worker", hostname)
        timer = parent.timer  # type: ignore[attr-defined]
        self.tref = timer.call_repeatedly(
            settings.WORKER_HEARTBEAT_SECONDS, record_heartbeat, ("worker", hostname), priority=10
        )

    def stop(self, parent: object) -> None:
        if self.tref is not None:
            self.tref.cancel()  # type: ignore[attr-defined]


app.steps["worker"].add(HeartbeatStep)
