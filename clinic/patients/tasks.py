"""Background BPJS checks for patients registered while BPJS did not answer."""

from __future__ import annotations

import logging
from typing import Any

from celery import shared_task
from django.db import transaction

log = logging.getLogger(__name__)

#: Seconds before each retry: 1, 2, 4, 8, 15, 30, 60 minutes, then hourly until the limit.
RETRY_COUNTDOWNS = (60, 120, 240, 480, 900, 1800, 3600)
MAX_RETRIES = 24
#: A background check may wait longer for BPJS than the front desk does.
BACKGROUND_TIMEOUT_SECONDS = 20.0


def retry_countdown(retries: int) -> int:
    return RETRY_COUNTDOWNS[min(retries, len(RETRY_COUNTDOWNS) - 1)]


@shared_task(
    bind=True,
    name="clinic.patients.tasks.verify_eligibility_later",
    ignore_result=True,
    acks_late=True,
    max_retries=MAX_RETRIES,
)
def verify_eligibility_later(self: Any, patient_id: int) -> str:
    """Ask PCare again about one patient and store the answer on them. It is a read, so it
    does not go through the outbox; it is idempotent (the last answer wins). Retries with
    backoff while BPJS does not answer; returns the stored status."""
    from clinic.patients.eligibility import apply_result, eligibility_check
    from clinic.patients.models import EligibilityState, Patient

    patient = Patient.objects.filter(pk=patient_id).first()
    if patient is None or not (patient.bpjs_card_number or patient.nik):
        return "skipped"
    if patient.bpjs_eligibility not in (EligibilityState.NOT_VERIFIED, EligibilityState.UNKNOWN):
        return "skipped"  # checked successfully since (at the desk or by an earlier run)
    result = eligibility_check(
        facility_id=patient.facility_id,
        card_number=patient.bpjs_card_number or None,
        nik=None if patient.bpjs_card_number else patient.nik,
        timeout_seconds=BACKGROUND_TIMEOUT_SECONDS,
    )
    if result.retry_later:
        log.info("eligibility of patient %s still not verified; retrying", patient_id)
        raise self.retry(countdown=retry_countdown(self.request.retries))
    with transaction.atomic():
        locked = Patient.objects.select_for_update().get(pk=patient_id)
        fields = apply_result(locked, result)
        locked.save(update_fields=[*fields, "updated_at"])
    return str(result.status)
