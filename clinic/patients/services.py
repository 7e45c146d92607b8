"""Writing patients: registration (issues the MRN), updates and family links.

Every function validates everything first and raises :class:`ValidationFailed` with one
Indonesian message per field, so nothing is saved half-done; each write runs in one transaction
and is audited.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from django.db import IntegrityError, transaction
from django.db.models import F
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from clinic.core.audit import audit
from clinic.core.errors import Conflict, ValidationFailed
from clinic.core.models import Facility, User
from clinic.patients import nik as ids
from clinic.patients.eligibility import EligibilityResult, apply_result, schedule_verification
from clinic.patients.models import (
    FamilyLink,
    FamilyRelation,
    MrnCounter,
    Patient,
    Sex,
    format_mrn,
)

#: The fields a caller may give (to register or update); anything else is refused.
PATIENT_FIELDS = (
    "name",
    "birth_date",
    "sex",
    "nik",
    "bpjs_card_number",
    "phone",
    "address",
    "rt",
    "rw",
    "province_code",
    "regency_code",
    "district_code",
    "village_code",
    "family_card_number",
)

_REGION_RULES = (
    # field, digits, the field whose code it must start with
    ("province_code", 2, None),
    ("regency_code", 4, "province_code"),
    ("district_code", 6, "regency_code"),
    ("village_code", 10, "district_code"),
)

EARLIEST_BIRTH_DATE = date(1900, 1, 1)


class DuplicatePatient(Conflict):
    """The NIK or card number belongs to a patient of this facility already."""

    code = "duplicate_patient"

    def __init__(self, message: str, *, existing: Patient, field: str) -> None:
        self.existing = existing
        self.url = reverse("patients:detail", args=[existing.pk])
        super().__init__(message, fields={field: [message], "existing_patient": [self.url]})


class LikelyDuplicate(Conflict):
    """Someone with the same name and birth date is registered; confirm to register anyway."""

    code = "likely_duplicate"

    def __init__(self, message: str, *, candidates: list[Patient]) -> None:
        self.candidates = candidates
        super().__init__(
            message,
            fields={
                "confirm_duplicate": [message],
                "existing_patient": [reverse("patients:detail", args=[p.pk]) for p in candidates],
            },
        )


# --- validation ------------------------------------------------------------------------------


def _text(value: Any) -> str:
    return "" if value is None else str(value).strip()


def clean_patient_data(data: dict[str, Any], *, today: date | None = None) -> dict[str, Any]:
    """Check and normalize every field; raise :class:`ValidationFailed` listing each problem."""
    today = today or timezone.localdate()
    errors: dict[str, list[str]] = {}
    out: dict[str, Any] = {}

    def fail(field: str, message: str) -> None:
        errors.setdefault(field, []).append(message)

    name = ids.clean_name(_text(data.get("name")))
    if not name:
        fail("name", _("The name is required."))
    elif len(name) > 150:
        fail("name", _("The name may have at most 150 characters."))
    elif sum(ch.isalpha() for ch in name) < 2:
        fail("name", _("The name must contain at least 2 letters."))
    out["name"] = name

    birth_date = data.get("birth_date")
    if isinstance(birth_date, str) and birth_date.strip():
        try:
            birth_date = date.fromisoformat(birth_date.strip())
        except ValueError:
            fail("birth_date", _("The birth date is not a valid date."))
            birth_date = None
    if not birth_date:
        if "birth_date" not in errors:
            fail("birth_date", _("The birth date is required."))
        birth_date = None
    elif birth_date > today:
        fail("birth_date", _("The birth date cannot be in the future."))
    elif birth_date < EARLIEST_BIRTH_DATE:
        fail("birth_date", _("The birth date cannot be before 1900."))
    out["birth_date"] = birth_date

    sex = _text(data.get("sex")).upper()
    if sex not in Sex.values:
        fail("sex", _("Choose the sex: L (male) or P (female)."))
    out["sex"] = sex

    nik_value = _text(data.get("nik"))
    out["nik"] = None
    if nik_value:
        try:
            info = ids.parse_nik(nik_value, today=today)
        except ids.IdentityError as exc:
            fail("nik", exc.message)
        else:
            out["nik"] = info.nik
            problems = ids.check_nik_matches(
                info,
                birth_date=birth_date if "birth_date" not in errors else None,
                sex=sex if "sex" not in errors else None,
            )
            for message in problems.values():
                fail("nik", message)

    card_value = _text(data.get("bpjs_card_number"))
    out["bpjs_card_number"] = None
    if card_value:
        try:
            out["bpjs_card_number"] = ids.clean_card_number(card_value)
        except ids.IdentityError as exc:
            fail("bpjs_card_number", exc.message)

    try:
        out["phone"] = ids.clean_phone(_text(data.get("phone")))
    except ids.IdentityError as exc:
        fail("phone", exc.message)
        out["phone"] = ""

    address = _text(data.get("address"))
    if len(address) > 300:
        fail("address", _("The address may have at most 300 characters."))
    out["address"] = address

    for field, label in (("rt", "RT"), ("rw", "RW")):
        value = _text(data.get(field))
        if value and (not value.isdigit() or len(value) > 3):
            fail(field, _("%(label)s must be at most 3 digits.") % {"label": label})
        out[field] = value.zfill(3) if value.isdigit() and len(value) <= 3 else value

    for field, digits, parent in _REGION_RULES:
        value = ids.clean_digits(_text(data.get(field)))
        out[field] = value
        if not value:
            continue
        if not value.isdigit() or len(value) != digits:
            fail(
                field,
                _("This region code must have %(digits)d digits (Kemendagri code).")
                % {"digits": digits},
            )
        elif parent and out.get(parent) and not value.startswith(out[parent]):
            fail(field, _("This region code does not belong to the region above it."))

    kk = ids.clean_digits(_text(data.get("family_card_number")))
    if kk and (not kk.isdigit() or len(kk) != 16):
        fail("family_card_number", _("The family card number (KK) must have 16 digits."))
    out["family_card_number"] = kk

    if errors:
        messages = [m for field_messages in errors.values() for m in field_messages]
        raise ValidationFailed(" ".join(messages), fields=errors)
    return out


# --- duplicates ------------------------------------------------------------------------------


def _refuse_duplicates(facility: Facility, data: dict[str, Any], *, exclude: int | None) -> None:
    patients = Patient.objects.filter(facility=facility)
    if exclude is not None:
        patients = patients.exclude(pk=exclude)
    if data.get("nik"):
        existing = patients.filter(nik=data["nik"]).first()
        if existing is not None:
            raise DuplicatePatient(
                _("A patient with this NIK is already registered: %(mrn)s.")
                % {"mrn": existing.mrn},
                existing=existing,
                field="nik",
            )
    if data.get("bpjs_card_number"):
        existing = patients.filter(bpjs_card_number=data["bpjs_card_number"]).first()
        if existing is not None:
            raise DuplicatePatient(
                _("A patient with this BPJS card number is already registered: %(mrn)s.")
                % {"mrn": existing.mrn},
                existing=existing,
                field="bpjs_card_number",
            )


def likely_duplicates(
    facility: Facility, *, name: str, birth_date: date, exclude: int | None = None
) -> list[Patient]:
    """Patients of the facility with the same normalized name and birth date."""
    patients = Patient.objects.filter(
        facility=facility, name_key=ids.normalize_name(name), birth_date=birth_date
    )
    if exclude is not None:
        patients = patients.exclude(pk=exclude)
    return list(patients.order_by("id")[:5])


def _check_likely_duplicates(
    facility: Facility, data: dict[str, Any], *, confirm: bool, exclude: int | None
) -> bool:
    candidates = likely_duplicates(
        facility, name=data["name"], birth_date=data["birth_date"], exclude=exclude
    )
    if candidates and not confirm:
        raise LikelyDuplicate(
            _(
                "A patient with the same name and birth date is already registered (%(mrns)s). "
                "Check that this is a different person, then confirm to register anyway."
            )
            % {"mrns": ", ".join(p.mrn for p in candidates)},
            candidates=candidates,
        )
    return bool(candidates)


# --- MRN -------------------------------------------------------------------------------------


def mrn_issue(facility: Facility) -> str:
    """The next medical record number of ``facility``. Runs inside the caller's transaction:
    the counter row is bumped with one UPDATE (which locks it until commit), so two
    registrations never get the same number, and a number once committed is never given again,
    even after the patient is deleted."""
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("mrn_issue must run inside transaction.atomic()")
    for _attempt in range(3):
        updated = MrnCounter.objects.filter(facility=facility).update(
            last_number=F("last_number") + 1
        )
        if updated:
            number = MrnCounter.objects.values_list("last_number", flat=True).get(facility=facility)
            return format_mrn(number)
        try:
            with transaction.atomic():
                MrnCounter.objects.create(facility=facility, last_number=0)
        except IntegrityError:
            pass  # created by a concurrent registration: bump it on the next round
    raise RuntimeError("MRN counter could not be allocated")


# --- services --------------------------------------------------------------------------------


def _keys(patient: Patient) -> None:
    patient.name_key = ids.normalize_name(patient.name)
    patient.phone_normalized = ids.normalize_phone(patient.phone)


def _unknown_fields(fields: dict[str, Any]) -> None:
    unknown = sorted(set(fields) - set(PATIENT_FIELDS))
    if unknown:
        raise TypeError(f"unknown patient fields: {', '.join(unknown)}")


def _save_unique(patient: Patient, facility: Facility, data: dict[str, Any]) -> None:
    """Save; a concurrent registration of the same NIK/card becomes a DuplicatePatient."""
    try:
        with transaction.atomic():
            patient.save()
    except IntegrityError:
        _refuse_duplicates(facility, data, exclude=patient.pk)
        raise


def _apply_eligibility(patient: Patient, eligibility: EligibilityResult | None) -> bool:
    """Store a check made before registration if it was about this patient's card or NIK.
    Returns True when BPJS has to be asked again in the background."""
    if eligibility is None:
        return False
    same_card = (
        bool(eligibility.card_number) and eligibility.card_number == patient.bpjs_card_number
    )
    same_nik = bool(eligibility.nik) and eligibility.nik == patient.nik
    if not (same_card or same_nik):
        return False
    apply_result(patient, eligibility)
    return eligibility.retry_later


def patient_register(
    *,
    facility: Facility,
    created_by: User | None = None,
    confirm_duplicate: bool = False,
    eligibility: EligibilityResult | None = None,
    **fields: Any,
) -> Patient:
    """Register a new patient and issue their MRN (``RM-000001`` ...).

    Refuses a NIK or card number already registered in the facility (:class:`DuplicatePatient`,
    with a link to that patient); asks for confirmation when a patient with the same name and
    birth date exists (:class:`LikelyDuplicate`) and marks the new patient ``likely_duplicate``
    when confirmed. ``eligibility`` is a check made on the registration page: its facts are
    stored, and when BPJS did not answer a background check is scheduled.
    """
    _unknown_fields(fields)
    data = clean_patient_data(fields)
    with transaction.atomic():
        _refuse_duplicates(facility, data, exclude=None)
        flagged = _check_likely_duplicates(facility, data, confirm=confirm_duplicate, exclude=None)
        patient = Patient(facility=facility, likely_duplicate=flagged, **data)
        _keys(patient)
        retry = _apply_eligibility(patient, eligibility)
        patient.mrn = mrn_issue(facility)
        _save_unique(patient, facility, data)
        audit(created_by, "create", patient, summary="patient registered")
        if retry:
            schedule_verification(patient.pk)
    return patient


def patient_update(
    *,
    patient: Patient,
    updated_by: User | None,
    confirm_duplicate: bool = False,
    **fields: Any,
) -> Patient:
    """Change a patient's identity or contact data (never the MRN). Same checks as
    registration; the fields left out keep their values."""
    _unknown_fields(fields)
    current = {name: getattr(patient, name) for name in PATIENT_FIELDS}
    data = clean_patient_data({**current, **fields})
    changed = sorted(name for name in PATIENT_FIELDS if data[name] != current[name])
    if not changed:
        return patient
    facility = patient.facility
    with transaction.atomic():
        locked = Patient.objects.select_for_update().get(pk=patient.pk)
        _refuse_duplicates(facility, data, exclude=locked.pk)
        if {"name", "birth_date"} & set(changed) and _check_likely_duplicates(
            facility, data, confirm=confirm_duplicate, exclude=locked.pk
        ):
            locked.likely_duplicate = True
        for name in changed:
            setattr(locked, name, data[name])
        if {"bpjs_card_number", "nik"} & set(changed):
            # Facts of the last check were about another number.
            locked.bpjs_eligibility = ""
        _keys(locked)
        _save_unique(locked, facility, data)
        audit(updated_by, "update", locked, summary="changed: " + ", ".join(changed))
    return locked


_RECIPROCAL = {
    FamilyRelation.SPOUSE: FamilyRelation.SPOUSE,
    FamilyRelation.CHILD: FamilyRelation.PARENT,
    FamilyRelation.PARENT: FamilyRelation.CHILD,
    FamilyRelation.SIBLING: FamilyRelation.SIBLING,
    FamilyRelation.OTHER: FamilyRelation.OTHER,
}


def family_link_add(
    *, patient: Patient, relative: Patient, relation: str, created_by: User | None
) -> FamilyLink:
    """Link two patients of the same facility (``relative`` is ``relation`` of ``patient``);
    the reverse link is added too."""
    if relation not in FamilyRelation.values:
        raise ValidationFailed(
            _("Choose a valid family relation."), fields={"relation": [_("Not a valid choice.")]}
        )
    if relative.facility_id != patient.facility_id:
        raise ValidationFailed(
            _("The relative must be a patient of this clinic."),
            fields={"relative": [_("Not a patient of this clinic.")]},
        )
    if relative.pk == patient.pk:
        raise ValidationFailed(
            _("A patient cannot be linked to themselves."),
            fields={"relative": [_("Choose another patient.")]},
        )
    if FamilyLink.objects.filter(patient=patient, relative=relative).exists():
        raise Conflict(_("These patients are already linked."))
    with transaction.atomic():
        link = FamilyLink.objects.create(
            facility_id=patient.facility_id, patient=patient, relative=relative, relation=relation
        )
        FamilyLink.objects.get_or_create(
            patient=relative,
            relative=patient,
            defaults={
                "facility_id": patient.facility_id,
                "relation": _RECIPROCAL[FamilyRelation(relation)],
            },
        )
        audit(created_by, "update", patient, summary=f"family link added ({relation})")
    return link
