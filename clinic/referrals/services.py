"""Referrals: saving the referral of an encounter, the TACC guard with its RRNS preview, PCare
reference lists for the specialist chain, and the letter's data."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from bridging.transport.errors import BridgingError
from clinic.core.audit import audit
from clinic.core.errors import ValidationFailed
from clinic.core.models import User
from clinic.referrals.models import (
    SPECIAL_WITH_SUBSPECIALTY,
    TACC_REASONS,
    Referral,
    ReferralKind,
    Tacc,
)

if TYPE_CHECKING:
    from clinic.records.models import MedicalRecord

VERTICAL = (ReferralKind.SPECIALIST, ReferralKind.SPECIAL)
REFERENCE_TTL = 6 * 3600


class TaccRequired(ValidationFailed):
    """A referral on a non-specialist diagnosis without a TACC code and reason."""

    code = "tacc_required"


def _parse_date(value: Any) -> date | None:
    text = str(value or "").strip()
    if not text:
        return None
    try:
        if "-" in text and len(text.split("-")[0]) == 2:
            day, month, year = text.split("-")
            return date(int(year), int(month), int(day))
        return date.fromisoformat(text)
    except ValueError:
        return None


def _int_or_none(value: Any) -> int | None:
    text = str(value or "").strip()
    try:
        return int(Decimal(text)) if text else None
    except ArithmeticError:
        return None


# --- PCare reference lists --------------------------------------------------------------------


def _pcare(facility_id: int) -> Any:
    from clinic.records.references import ui_pcare

    return ui_pcare(facility_id)


def _cached(facility_id: int, key: str, fetch: Any) -> list[dict[str, str]]:
    from clinic.records.references import cached_read

    return list(
        cached_read(
            f"referrals:ref:{facility_id}:{key}",
            lambda: fetch(_pcare(facility_id)),
            REFERENCE_TTL,
        )
    )


def specialties(facility_id: int) -> list[dict[str, str]]:
    return _cached(
        facility_id,
        "spesialis",
        lambda c: [{"code": s.code, "name": s.name or s.code} for s in c.list_specialties()],
    )


def subspecialties(facility_id: int, specialty_code: str) -> list[dict[str, str]]:
    return _cached(
        facility_id,
        f"sub:{specialty_code}",
        lambda c: [
            {"code": s.code, "name": s.name or s.code, "poli": s.referral_poli_code or ""}
            for s in c.list_subspecialties(specialty_code)
        ],
    )


def facility_types(facility_id: int) -> list[dict[str, str]]:
    return _cached(
        facility_id,
        "sarana",
        lambda c: [{"code": s.code, "name": s.name or s.code} for s in c.list_facility_types()],
    )


def special_categories(facility_id: int) -> list[dict[str, str]]:
    return _cached(
        facility_id,
        "khusus",
        lambda c: [{"code": s.code, "name": s.name or s.code} for s in c.list_special_categories()],
    )


def hospitals(
    facility_id: int,
    *,
    planned_date: date,
    subspecialty_code: str = "",
    facility_type_code: str = "",
    special_code: str = "",
    card_number: str = "",
) -> list[dict[str, Any]]:
    """The hospitals PCare offers for the date, with distance and capacity (never cached)."""
    client = _pcare(facility_id)
    if special_code:
        found = client.find_special_referral_hospitals(
            special_code,
            card_number,
            planned_date,
            subspecialty_code if special_code in SPECIAL_WITH_SUBSPECIALTY else None,
        )
    else:
        found = client.find_referral_hospitals(
            subspecialty_code, facility_type_code or "1", planned_date
        )
    return [
        {
            "code": h.provider_code,
            "name": h.name or h.provider_code,
            "address": h.address or "",
            "phone": h.phone or "",
            "distance": h.distance,
            "capacity": h.capacity,
            "count": h.referral_count,
            "schedule": h.schedule or "",
            "percentage": h.percentage,
        }
        for h in found
    ]


def _name(items: list[dict[str, str]], code: str) -> str:
    for item in items:
        if item["code"] == code:
            return item["name"]
    return ""


# --- saving ------------------------------------------------------------------------------------


def referral_save(*, record: MedicalRecord, by: User, data: dict[str, Any]) -> Referral:
    """Save the referral part of the encounter form (a draft record only)."""
    from clinic.records.services import _require_draft

    _require_draft(record)
    kind = str(data.get("referral_kind") or ReferralKind.SPECIALIST)
    if kind not in ReferralKind.values:
        kind = ReferralKind.SPECIALIST
    referral = Referral.objects.filter(record=record).first() or Referral(
        record=record, facility_id=record.facility_id
    )
    referral.kind = kind
    referral.planned_date = _parse_date(data.get("planned_date"))
    referral.note = str(data.get("referral_note") or "").strip()[:300]
    referral.specialty_code = str(data.get("specialty") or "").strip()
    referral.subspecialty_code = str(data.get("subspecialty") or "").strip()
    referral.facility_type_code = str(data.get("facility_type") or "").strip()
    referral.special_code = str(data.get("special") or "").strip()
    provider = str(data.get("provider") or "").strip()
    referral.provider_code = provider
    referral.provider_name = str(
        data.get(f"provider_name_{provider}") or data.get("provider_name") or ""
    ).strip()[:200]
    referral.provider_address = str(data.get(f"provider_address_{provider}") or "")[:300]
    distance = str(data.get(f"provider_distance_{provider}") or "").strip()
    try:
        referral.distance_km = Decimal(distance) if distance else None
    except ArithmeticError:
        referral.distance_km = None
    referral.capacity = _int_or_none(data.get(f"provider_capacity_{provider}"))
    referral.referral_count = _int_or_none(data.get(f"provider_count_{provider}"))
    tacc_raw = str(data.get("tacc") or "-1").strip()
    referral.tacc = int(tacc_raw) if tacc_raw.lstrip("-").isdigit() else Tacc.NONE
    if referral.tacc not in Tacc.values:
        referral.tacc = Tacc.NONE
    referral.tacc_reason = str(data.get("tacc_reason") or "").strip()[:300]
    _fill_names(referral)
    referral.save()
    audit(by, "update", record, summary="referral saved")
    return referral


def _fill_names(referral: Referral) -> None:
    """Names of the chosen codes, from the cached PCare lists (best effort)."""
    try:
        facility_id = referral.facility_id
        if referral.specialty_code:
            referral.specialty_name = _name(specialties(facility_id), referral.specialty_code)
            if referral.subspecialty_code:
                subs = subspecialties(facility_id, referral.specialty_code)
                referral.subspecialty_name = _name(subs, referral.subspecialty_code)
                for sub in subs:
                    if sub["code"] == referral.subspecialty_code:
                        referral.referral_poli_code = sub.get("poli", "")
        if referral.facility_type_code:
            referral.facility_type_name = _name(
                facility_types(facility_id), referral.facility_type_code
            )
        if referral.special_code:
            referral.special_name = _name(special_categories(facility_id), referral.special_code)
    except BridgingError:
        pass


def referral_problems(record: MedicalRecord) -> dict[str, list[str]]:
    """What a referral still lacks before the record can be signed."""
    from clinic.records.models import Discharge

    if record.discharge not in (Discharge.VERTICAL_REFERRAL, Discharge.HORIZONTAL_REFERRAL):
        return {}
    referral = Referral.objects.filter(record=record).first()
    errors: dict[str, list[str]] = {}
    if record.discharge == Discharge.HORIZONTAL_REFERRAL:
        if referral is None or not referral.provider_name:
            errors["provider_name"] = [_("Enter the facility the patient is referred to.")]
        return errors
    if referral is None or referral.kind not in VERTICAL:
        return {"referral_kind": [_("Fill in the referral.")]}
    if referral.planned_date is None:
        errors["planned_date"] = [_("Enter the planned referral date.")]
    if referral.kind == ReferralKind.SPECIALIST and not referral.subspecialty_code:
        errors["subspecialty"] = [_("Choose the specialty and subspecialty.")]
    if referral.kind == ReferralKind.SPECIAL:
        if not referral.special_code:
            errors["special"] = [_("Choose the special referral category.")]
        elif referral.special_code in SPECIAL_WITH_SUBSPECIALTY and not referral.subspecialty_code:
            errors["subspecialty"] = [_("This category also needs a subspecialty.")]
    if not referral.provider_code:
        errors["provider"] = [_("Choose the hospital.")]
    return errors


def primary_non_specialist(record: MedicalRecord) -> bool:
    first = record.diagnoses.order_by("rank").first()
    return bool(first is not None and first.non_specialist)


def tacc_errors(tacc: int, reason: str) -> dict[str, list[str]]:
    if tacc not in (1, 2, 3, 4):
        return {"tacc": [_("Choose a TACC (Time, Age, Complication or Comorbidity).")]}
    reason = reason.strip()
    if not reason:
        return {"tacc_reason": [_("Give the TACC reason.")]}
    allowed = TACC_REASONS.get(tacc)
    if allowed is not None and reason not in allowed:
        return {"tacc_reason": [_("Choose one of the reasons PCare lists for this TACC.")]}
    return {}


def tacc_problem(record: MedicalRecord) -> TaccRequired | None:
    """The TACC guard: a vertical referral whose primary diagnosis is non-specialist needs a
    TACC code and reason. Returns the error to raise (with the fields), or ``None``."""
    from clinic.records.models import Discharge

    if record.discharge != Discharge.VERTICAL_REFERRAL or not primary_non_specialist(record):
        return None
    referral = Referral.objects.filter(record=record).first()
    if referral is None:
        return None
    errors = tacc_errors(referral.tacc, referral.tacc_reason)
    if not errors:
        return None
    return TaccRequired(
        _(
            "The diagnosis is one a primary-care doctor is expected to treat (non-specialist): "
            "a referral needs a TACC code and reason, or it counts against the clinic's "
            "referral ratio (RRNS)."
        ),
        fields=errors,
    )


def tacc_correct(record: MedicalRecord, data: dict[str, Any]) -> list[dict[str, str]]:
    """Correct the referral's TACC through an addendum; returns the changes."""
    referral = Referral.objects.filter(record=record).first()
    if referral is None:
        return []
    raw = str(data.get("tacc") or "").strip()
    if not raw:
        return []
    tacc = int(raw) if raw.lstrip("-").isdigit() else 0
    reason = str(data.get("tacc_reason") or "").strip()
    errors = tacc_errors(tacc, reason)
    if errors:
        raise ValidationFailed(fields=errors)
    old = f"{referral.tacc} {referral.tacc_reason}".strip()
    new = f"{tacc} {reason}".strip()
    if old == new:
        return []
    referral.tacc = tacc
    referral.tacc_reason = reason[:300]
    referral.save(update_fields=["tacc", "tacc_reason", "updated_at"])
    return [{"field": "tacc", "label": "TACC", "old": old, "new": new}]


def referral_snapshot(record: MedicalRecord) -> None:
    """At signing: keep whether the primary diagnosis was non-specialist (for RRNS)."""
    Referral.objects.filter(record=record).update(
        non_specialist=primary_non_specialist(record), updated_at=timezone.now()
    )


# --- RRNS ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Ratio:
    count: int
    total: int

    @property
    def percent(self) -> Decimal:
        if not self.total:
            return Decimal("0.00")
        return (Decimal(self.count) * 100 / self.total).quantize(Decimal("0.01"))


def _month_referrals(facility_id: int, day: date, exclude_record_id: int | None) -> Any:
    from clinic.records.models import RecordStatus

    rows = Referral.objects.filter(
        facility_id=facility_id,
        kind__in=VERTICAL,
        record__status=RecordStatus.SIGNED,
        record__discharge="4",
        record__visit__visit_date__year=day.year,
        record__visit__visit_date__month=day.month,
    )
    if exclude_record_id is not None:
        rows = rows.exclude(record_id=exclude_record_id)
    return rows


def rrns(facility_id: int, day: date, *, exclude_record_id: int | None = None) -> Ratio:
    """Referrals on a non-specialist diagnosis without a valid TACC, over all referrals, in the
    month of ``day`` (PROTOCOL.md §9.2)."""
    rows = _month_referrals(facility_id, day, exclude_record_id)
    justified = Q(tacc__in=[1, 2, 3, 4]) & ~Q(tacc_reason="")
    count = rows.filter(non_specialist=True).exclude(justified).count()
    return Ratio(count=count, total=rows.count())


def rrns_preview(record: MedicalRecord) -> dict[str, Ratio]:
    """This month's RRNS before this referral, after it without a TACC, and after it with one."""
    before = rrns(record.facility_id, record.visit.visit_date, exclude_record_id=record.pk)
    non_specialist = primary_non_specialist(record)
    return {
        "before": before,
        "without_tacc": Ratio(before.count + (1 if non_specialist else 0), before.total + 1),
        "with_tacc": Ratio(before.count, before.total + 1),
    }


# --- letter ------------------------------------------------------------------------------------


def referral_letter_refresh(referral: Referral) -> dict[str, Any] | None:
    """PCare's letter data (``kunjungan/rujukan``) when the referral has its number."""
    if not referral.pcare_number:
        return None
    try:
        letter = _pcare(referral.facility_id).get_visit_referral(referral.pcare_number)
    except BridgingError:
        return None
    if letter is None:
        return None
    data: dict[str, Any] = letter.model_dump(mode="json")
    return data
