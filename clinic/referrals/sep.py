"""SEP for a clinic that runs a hospital polyclinic (FKRTL mode): look the FKTP referral up in
VClaim by its number, then insert the SEP (``SEP/2.0/insert``) and keep it."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from django.utils import timezone
from django.utils.translation import gettext as _

from bridging.transport.errors import BridgingError
from bridging.vclaim.schemas import SepCareClass, SepInsert, SepPoli, SepReferral
from clinic.core.audit import audit
from clinic.core.errors import ClinicError, ValidationFailed
from clinic.core.models import User
from clinic.patients.models import Patient
from clinic.referrals.models import FkrtlSetting, Sep


@dataclass(frozen=True)
class ReferralLookup:
    number: str
    visit_date: date | None
    card_number: str
    participant_name: str
    class_code: str
    diagnosis_code: str
    diagnosis_name: str
    poli_code: str
    poli_name: str
    provider_code: str
    provider_name: str
    patient: Patient | None


def _vclaim(facility_id: int) -> Any:
    from bridging.credentials.clients import vclaim_client

    return vclaim_client(facility_id)


def sep_lookup(user: User, number: str) -> ReferralLookup:
    """The FKTP referral ``number`` as VClaim knows it (raises with a message if not)."""
    try:
        referral = _vclaim(int(user.facility_id or 0)).get_referral(number)
    except BridgingError as exc:
        raise ClinicError(
            _("VClaim could not look up the referral: %(message)s") % {"message": exc.message}
        ) from exc
    if referral is None:
        raise ValidationFailed(
            _("VClaim does not know this referral number."),
            fields={"referral_number": [_("Unknown referral number.")]},
        )
    participant = referral.participant
    card = str(participant.card_number or "") if participant is not None else ""
    patient = (
        Patient.objects.filter(
            facility_id=int(user.facility_id or 0), bpjs_card_number=card
        ).first()
        if card
        else None
    )
    return ReferralLookup(
        number=str(referral.referral_number),
        visit_date=referral.visit_date,
        card_number=card,
        participant_name=str(participant.name or "") if participant is not None else "",
        class_code=str(
            participant.class_entitlement.code
            if participant is not None
            and participant.class_entitlement is not None
            and participant.class_entitlement.code
            else "3"
        ),
        diagnosis_code=str(referral.diagnosis.code or "") if referral.diagnosis else "",
        diagnosis_name=str(referral.diagnosis.name or "") if referral.diagnosis else "",
        poli_code=str(referral.referred_poli.code or "") if referral.referred_poli else "",
        poli_name=str(referral.referred_poli.name or "") if referral.referred_poli else "",
        provider_code=str(referral.referring_provider.code or "")
        if referral.referring_provider
        else "",
        provider_name=str(referral.referring_provider.name or "")
        if referral.referring_provider
        else "",
        patient=patient,
    )


def sep_create(
    *, user: User, setting: FkrtlSetting, lookup: ReferralLookup, data: dict[str, Any]
) -> Sep:
    """Insert the SEP at VClaim and keep it. The patient must be registered here."""
    errors: dict[str, list[str]] = {}
    if lookup.patient is None:
        errors["referral_number"] = [_("Register this participant as a patient here first.")]
    dpjp = str(data.get("dpjp_code") or "").strip()
    if not dpjp:
        errors["dpjp_code"] = [_("Enter the DPJP (attending doctor) code.")]
    phone = str(data.get("phone") or "").strip() or (
        lookup.patient.phone if lookup.patient is not None else ""
    )
    if not phone:
        errors["phone"] = [_("Enter the patient's phone number.")]
    if errors or lookup.patient is None:
        raise ValidationFailed(fields=errors)
    today = timezone.localdate()
    request = SepInsert(
        card_number=lookup.card_number,
        sep_date=today,
        service_provider_code=setting.ppk_code,
        service_type="2",
        care_class=SepCareClass(entitled_class=lookup.class_code or "3"),
        medical_record_number=lookup.patient.mrn,
        referral=SepReferral(
            origin="1",
            referral_date=lookup.visit_date or today,
            referral_number=lookup.number,
            referring_provider_code=lookup.provider_code,
        ),
        note=str(data.get("note") or "")[:200],
        initial_diagnosis=lookup.diagnosis_code,
        poli=SepPoli(destination=lookup.poli_code),
        attending_doctor_code=dpjp,
        phone=phone,
        user=user.get_username()[:30],
    )
    try:
        result = _vclaim(setting.facility_id).insert_sep(request)
    except BridgingError as exc:
        raise ClinicError(
            _("VClaim refused the SEP: %(message)s") % {"message": exc.bpjs_message or exc.message}
        ) from exc
    sep = Sep.objects.create(
        facility_id=setting.facility_id,
        patient=lookup.patient,
        referral_number=lookup.number,
        referral_date=lookup.visit_date,
        referring_provider_code=lookup.provider_code,
        referring_provider_name=lookup.provider_name,
        sep_date=today,
        poli_code=lookup.poli_code,
        poli_name=lookup.poli_name,
        diagnosis_code=lookup.diagnosis_code,
        diagnosis_text=lookup.diagnosis_name,
        care_class=lookup.class_code,
        dpjp_code=dpjp,
        phone=phone,
        note=request.note,
        sep_number=result.sep_number,
        response=result.sep.model_dump(mode="json") if result.sep is not None else None,
        created_by=user,
    )
    audit(user, "create", sep, summary="SEP issued")
    return sep
