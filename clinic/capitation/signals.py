"""Keeping the roster current from eligibility answers (``kdProviderPst``): when a patient's
BPJS facts are saved after a check, the month's roster gains or loses that participant, and a
Prolanis flag (``pstProl`` DM/HT) enrols them in Prolanis here."""

from __future__ import annotations

from typing import Any

from django.utils import timezone

from clinic.capitation.models import ProlanisCondition, ProlanisMember
from clinic.capitation.roster import roster_apply_eligibility


def patient_saved(sender: Any, instance: Any, **kwargs: Any) -> None:
    update_fields = kwargs.get("update_fields")
    if update_fields is not None and "bpjs_provider_code" not in update_fields:
        return
    if kwargs.get("raw") or instance.bpjs_checked_at is None:
        return
    card = instance.bpjs_card_number or ""
    provider = instance.bpjs_provider_code or ""
    if not card or not provider:
        return
    facility = instance.facility
    roster_apply_eligibility(
        facility=facility,
        card_number=card,
        provider_code=provider,
        active=instance.bpjs_eligibility == "verified",
        checked_on=timezone.localdate(instance.bpjs_checked_at),
        name=instance.name,
        birth_date=instance.birth_date,
        sex=instance.sex,
        phone=instance.phone,
    )
    condition = (instance.bpjs_prolanis or "").strip().upper()
    here = provider.upper() == facility.bpjs_provider_code.upper()
    if here and condition in ProlanisCondition.values:
        ProlanisMember.objects.get_or_create(
            facility=facility,
            card_number=card,
            condition=condition,
            defaults={
                "name": instance.name,
                "birth_date": instance.birth_date,
                "phone": instance.phone,
                "source": "eligibility",
            },
        )
