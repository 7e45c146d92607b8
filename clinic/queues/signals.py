"""Changes to polis, doctors and their sessions reach the Mobile JKN web service at once: its
adapter caches them for a few seconds (``clinic.queues.mobilejkn``)."""

from __future__ import annotations

from typing import Any

from django.db.models.signals import post_delete, post_save


def _poli_changed(sender: Any, instance: Any, **kwargs: Any) -> None:
    from clinic.queues.mobilejkn import forget_definitions

    forget_definitions(
        instance.facility_id, poli_ids=[instance.pk], poli_codes=[instance.pcare_code]
    )


def _schedule_changed(sender: Any, instance: Any, **kwargs: Any) -> None:
    from clinic.queues.mobilejkn import forget_definitions

    forget_definitions(instance.facility_id, poli_ids=[instance.poli_id])


def _doctor_changed(sender: Any, instance: Any, **kwargs: Any) -> None:
    from clinic.queues.mobilejkn import forget_definitions
    from clinic.queues.models import DoctorSchedule

    polis = DoctorSchedule.objects.filter(doctor_id=instance.pk).values_list("poli_id", flat=True)
    forget_definitions(instance.facility_id, poli_ids=set(polis))


def connect() -> None:
    for name, signal in (("save", post_save), ("delete", post_delete)):
        signal.connect(_poli_changed, sender="queues.Poli", dispatch_uid=f"jkn-poli-{name}")
        signal.connect(
            _schedule_changed, sender="queues.DoctorSchedule", dispatch_uid=f"jkn-sched-{name}"
        )
        signal.connect(_doctor_changed, sender="queues.Doctor", dispatch_uid=f"jkn-doctor-{name}")
