from __future__ import annotations

from typing import Any

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

SWEEP_SCHEDULE_NAME = "outbox-sweep"


def beat_entry() -> dict[str, Any]:
    """The beat schedule entry of the sweeper (``clinic/celery.py`` may also list it)."""
    from bridging.outbox import conf

    interval = conf.sweep_interval()
    return {
        "task": "bridging.outbox.sweep",
        "schedule": interval,
        # A sweep that waited longer than its interval is replaced by the next one.
        "options": {"expires": max(1.0, interval - 1.0)},
    }


class OutboxConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "bridging.outbox"
    label = "outbox"
    verbose_name = _("BPJS outbox")

    def ready(self) -> None:
        # The current Celery app is the project's (created when the settings package loads);
        # beat reads its schedule after Django is set up, so adding the entry here is enough.
        from celery import current_app

        schedule = current_app.conf.beat_schedule
        if schedule is None:
            current_app.conf.beat_schedule = schedule = {}
        schedule.setdefault(SWEEP_SCHEDULE_NAME, beat_entry())
