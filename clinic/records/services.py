"""Writing medical records: triage, the encounter, signing, addenda, re-sending and voiding.

Every function validates first (Indonesian messages through gettext, nothing saved on
refusal), writes in one transaction with its outbox jobs, and audits the write.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from bridging.outbox.models import JobState, SyncJob
from bridging.outbox.services import CANCELLABLE, job_cancel, job_retry
from clinic.core.audit import audit
from clinic.core.errors import Conflict, NotAllowed, ValidationFailed
from clinic.core.models import Role, User
from clinic.queues.models import Poli, Visit, VisitStatus
from clinic.records import sync
from clinic.records.icd10 import icd10_get
from clinic.records.models import (
    Addendum,
    AirAllergy,
    Consciousness,
    Discharge,
    DrugAllergy,
    FoodAllergy,
    MedicalRecord,
    Prescription,
    Procedure,
    Prognosis,
    RecordDiagnosis,
    RecordStatus,
)

# --- vitals ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class VitalRange:
    field: str
    label: str
    low: Decimal  # plausible
    high: Decimal
    min: Decimal  # possible at all
    max: Decimal
    integer: bool = True


VITALS: tuple[VitalRange, ...] = (
    VitalRange("systolic", "Sistole", Decimal(70), Decimal(220), Decimal(20), Decimal(350)),
    VitalRange("diastolic", "Diastole", Decimal(40), Decimal(130), Decimal(10), Decimal(250)),
    VitalRange(
        "weight_kg", "Berat badan", Decimal(2), Decimal(200), Decimal("0.3"), Decimal(400), False
    ),
    VitalRange(
        "height_cm", "Tinggi badan", Decimal(40), Decimal(210), Decimal(20), Decimal(260), False
    ),
    VitalRange("respiratory_rate", "Napas", Decimal(8), Decimal(40), Decimal(2), Decimal(120)),
    VitalRange("heart_rate", "Nadi", Decimal(40), Decimal(180), Decimal(10), Decimal(300)),
    VitalRange(
        "temperature_c", "Suhu", Decimal("35.0"), Decimal("41.0"), Decimal(25), Decimal(45), False
    ),
    VitalRange(
        "waist_cm", "Lingkar perut", Decimal(40), Decimal(160), Decimal(20), Decimal(300), False
    ),
)
VITAL_FIELDS = tuple(v.field for v in VITALS)


def parse_vitals(
    data: dict[str, Any],
) -> tuple[dict[str, Decimal | int | None], dict[str, list[str]], dict[str, list[str]]]:
    """(values, errors, warnings): errors for impossible values, warnings for implausible ones
    that the nurse must confirm. Accepts a decimal comma."""
    values: dict[str, Decimal | int | None] = {}
    errors: dict[str, list[str]] = {}
    warnings: dict[str, list[str]] = {}
    for vital in VITALS:
        raw = str(data.get(vital.field) or "").strip().replace(",", ".")
        if not raw:
            values[vital.field] = None
            continue
        try:
            number = Decimal(raw)
        except InvalidOperation:
            errors[vital.field] = [_("Enter a number.")]
            continue
        if vital.integer and number != number.to_integral_value():
            errors[vital.field] = [_("Enter a whole number.")]
            continue
        if number < vital.min or number > vital.max:
            errors[vital.field] = [
                _("%(value)s is not possible (allowed %(min)s to %(max)s).")
                % {"value": raw, "min": vital.min, "max": vital.max}
            ]
            continue
        if number < vital.low or number > vital.high:
            warnings[vital.field] = [
                _("%(value)s is outside the usual range (%(low)s to %(high)s): check and confirm.")
                % {"value": raw, "low": vital.low, "high": vital.high}
            ]
        values[vital.field] = int(number) if vital.integer else number.quantize(Decimal("0.1"))
    systolic, diastolic = values.get("systolic"), values.get("diastolic")
    if systolic is not None and diastolic is not None and diastolic >= systolic:
        errors.setdefault("diastolic", []).append(
            _("The diastolic pressure must be lower than the systolic.")
        )
    return values, errors, warnings


class VitalsNeedConfirmation(ValidationFailed):
    code = "confirm_vitals"


def _require_draft(record: MedicalRecord) -> None:
    if record.status == RecordStatus.SIGNED:
        raise Conflict(
            _("This record is signed and can no longer be changed: add an addendum."),
            code="record_signed",
        )
    if record.status == RecordStatus.VOIDED:
        raise Conflict(_("This record was voided."), code="record_voided")


def _choice(value: Any, choices: Any, default: str) -> str:
    value = str(value or default)
    return value if value in choices.values else default


def triage_save(*, record: MedicalRecord, by: User, data: dict[str, Any]) -> MedicalRecord:
    """The nurse's triage: vitals, consciousness, allergies, chief complaint. Values outside
    plausible ranges need ``data["confirm_vitals"]``."""
    if by.role not in (Role.NURSE, Role.DOCTOR):
        raise NotAllowed()
    _require_draft(record)
    values, errors, warnings = parse_vitals(data)
    complaint = str(data.get("chief_complaint") or "").strip()
    if len(complaint) > 500:
        errors["chief_complaint"] = [_("The complaint is too long (500 characters).")]
    if errors:
        raise ValidationFailed(fields=errors)
    confirmed = str(data.get("confirm_vitals") or "") in ("1", "on", "true", "True")
    if warnings and not confirmed:
        raise VitalsNeedConfirmation(
            _("Some values are outside the usual range. Check them and confirm."),
            fields=warnings,
        )
    with transaction.atomic():
        for field, value in values.items():
            setattr(record, field, value)
        record.consciousness = _choice(data.get("consciousness"), Consciousness, "01")
        record.food_allergy = _choice(data.get("food_allergy"), FoodAllergy, "00")
        record.air_allergy = _choice(data.get("air_allergy"), AirAllergy, "00")
        record.drug_allergy = _choice(data.get("drug_allergy"), DrugAllergy, "00")
        record.chief_complaint = complaint
        record.vitals_confirmed = bool(warnings)
        record.triage_by = by
        record.triage_at = timezone.now()
        record.save()
        audit(by, "update", record, summary="triage saved")
    return record


# --- encounter ---------------------------------------------------------------------------------

TEXT_FIELDS = {
    "anamnesis": 4000,
    "physical_exam": 4000,
    "subjective": 4000,
    "objective": 4000,
    "assessment": 4000,
    "plan": 4000,
    "non_drug_therapy": 500,
    "consumables": 500,
}


def diagnoses_parse(codes: list[str]) -> tuple[list[Any], dict[str, list[str]]]:
    """Up to three ICD-10 codes, in order, no repeats: (rows, errors)."""
    rows: list[Any] = []
    errors: dict[str, list[str]] = {}
    seen: set[str] = set()
    for index, raw in enumerate(codes[:3], start=1):
        code = (raw or "").strip()
        if not code:
            continue
        row = icd10_get(code.split(" ")[0])
        if row is None:
            errors[f"diagnosis{index}"] = [_("Unknown ICD-10 code %(code)s.") % {"code": code}]
        elif row.code in seen:
            errors[f"diagnosis{index}"] = [_("This diagnosis is already listed.")]
        else:
            seen.add(row.code)
            rows.append(row)
    return rows, errors


def _set_diagnoses(record: MedicalRecord, rows: list[Any]) -> None:
    record.diagnoses.all().delete()
    RecordDiagnosis.objects.bulk_create(
        [
            RecordDiagnosis(
                record=record,
                rank=rank,
                code=row.code,
                title=row.title,
                non_specialist=row.non_specialist,
            )
            for rank, row in enumerate(rows, start=1)
        ]
    )


def encounter_save(
    *, record: MedicalRecord, by: User, data: dict[str, Any], diagnoses: list[str]
) -> MedicalRecord:
    """The doctor's encounter (a draft until signed)."""
    if by.role != Role.DOCTOR:
        raise NotAllowed()
    _require_draft(record)
    errors: dict[str, list[str]] = {}
    texts: dict[str, str] = {}
    for field, limit in TEXT_FIELDS.items():
        texts[field] = str(data.get(field) or "").strip()
        if len(texts[field]) > limit:
            errors[field] = [_("Too long (%(limit)d characters).") % {"limit": limit}]
    rows, diagnosis_errors = diagnoses_parse(diagnoses)
    errors.update(diagnosis_errors)
    discharge = _choice(data.get("discharge"), Discharge, Discharge.OUTPATIENT)
    poli: Poli | None = None
    if discharge == Discharge.INTERNAL_REFERRAL:
        poli_id = str(data.get("internal_referral_poli") or "")
        poli = (
            Poli.objects.filter(
                pk=int(poli_id), facility_id=record.facility_id, is_active=True
            ).first()
            if poli_id.isdigit()
            else None
        )
        if poli is None or poli.pk == record.visit.poli_id:
            errors["internal_referral_poli"] = [_("Choose the poli the patient is sent to.")]
    if errors:
        raise ValidationFailed(fields=errors)
    with transaction.atomic():
        for field, value in texts.items():
            setattr(record, field, value)
        record.prognosis = _choice(data.get("prognosis"), Prognosis, Prognosis.BONAM)
        record.discharge = discharge
        record.internal_referral_poli = poli
        record.encounter_by = by
        doctor = getattr(by, "doctor", None)
        if doctor is not None and doctor.facility_id == record.facility_id:
            record.doctor = doctor
        elif record.doctor_id is None:
            record.doctor_id = record.visit.doctor_id
        record.save()
        _set_diagnoses(record, rows)
        if discharge not in (Discharge.VERTICAL_REFERRAL, Discharge.HORIZONTAL_REFERRAL):
            # No referral any more: a referral saved with an earlier draft goes.
            from clinic.referrals.models import Referral

            Referral.objects.filter(record=record).delete()
        audit(by, "update", record, summary="encounter saved")
    return record


def _decimal(
    value: Any, field: str, errors: dict[str, list[str]], *, required: bool = True
) -> Decimal:
    raw = str(value or "").strip().replace(",", ".")
    if not raw:
        if required:
            errors[field] = [_("Required.")]
        return Decimal(0)
    try:
        number = Decimal(raw)
    except InvalidOperation:
        errors[field] = [_("Enter a number.")]
        return Decimal(0)
    if number < 0 or number > 100000:
        errors[field] = [_("Enter a number from 0 to 100000.")]
    return number


def prescription_add(*, record: MedicalRecord, by: User, data: dict[str, Any]) -> Prescription:
    """A drug line: DPHO (with its PCare code) or non-DPHO (by name), optionally part of a
    racikan (lines with the same racikan code are compounded together)."""
    if by.role != Role.DOCTOR:
        raise NotAllowed()
    _require_draft(record)
    item = prescription_build(record, data)
    with transaction.atomic():
        item.save()
        audit(by, "update", record, summary="prescription added")
    return item


def prescription_build(record: MedicalRecord, data: dict[str, Any]) -> Prescription:
    """A validated, unsaved drug line."""
    errors: dict[str, list[str]] = {}
    dpho = str(data.get("dpho") or "") in ("1", "on", "true", "True")
    code = str(data.get("drug_code") or "").strip()
    name = str(data.get("drug_name") or "").strip()
    if dpho and not code:
        errors["drug_code"] = [_("Choose a DPHO drug.")]
    if not name:
        errors["drug_name"] = [_("Enter the drug name.")]
    compounded = str(data.get("compounded") or "") in ("1", "on", "true", "True")
    compound_code = str(data.get("compound_code") or "").strip().upper()
    if compounded and not compound_code:
        compound_code = "R.01"
    signa1 = _decimal(data.get("signa1"), "signa1", errors)
    signa2 = _decimal(data.get("signa2"), "signa2", errors)
    quantity = _decimal(data.get("quantity"), "quantity", errors)
    if not errors and quantity <= 0:
        errors["quantity"] = [_("The quantity must be more than zero.")]
    days_raw = str(data.get("days") or "").strip()
    if days_raw and not days_raw.isdigit():
        errors["days"] = [_("Enter a whole number.")]
    if errors:
        raise ValidationFailed(fields=errors)
    return Prescription(
        record=record,
        dpho=dpho,
        drug_code=code if dpho else "",
        drug_name=name[:200],
        compounded=compounded,
        compound_code=compound_code if compounded else "",
        signa1=signa1,
        signa2=signa2,
        quantity=quantity,
        requested_quantity=quantity,
        days=int(days_raw) if days_raw else None,
        instructions=str(data.get("instructions") or "").strip()[:200],
    )


def procedure_add(*, record: MedicalRecord, by: User, data: dict[str, Any]) -> Procedure:
    """A PCare tindakan with its tariff (never above PCare's maximum)."""
    if by.role != Role.DOCTOR:
        raise NotAllowed()
    _require_draft(record)
    item = procedure_build(record, data)
    with transaction.atomic():
        item.save()
        audit(by, "update", record, summary="procedure added")
    return item


def procedure_build(record: MedicalRecord, data: dict[str, Any]) -> Procedure:
    """A validated, unsaved procedure line."""
    errors: dict[str, list[str]] = {}
    code = str(data.get("code") or "").strip()
    name = str(data.get("name") or "").strip()
    if not code or not name:
        errors["code"] = [_("Choose a procedure.")]
    fee = _decimal(data.get("fee"), "fee", errors, required=False)
    max_raw = str(data.get("max_tariff") or "").strip()
    max_tariff = int(max_raw) if max_raw.isdigit() else None
    if max_tariff is not None and fee > max_tariff:
        errors["fee"] = [
            _("The tariff is above PCare's maximum (Rp %(max)s).") % {"max": max_tariff}
        ]
    result_raw = str(data.get("result") or "0").strip()
    if not result_raw.lstrip("-").isdigit():
        errors["result"] = [_("Enter a whole number.")]
    if errors:
        raise ValidationFailed(fields=errors)
    return Procedure(
        record=record,
        code=code[:20],
        name=name[:200],
        fee=int(fee),
        max_tariff=max_tariff,
        note=str(data.get("note") or "").strip()[:200],
        result=int(result_raw),
    )


def item_remove(*, record: MedicalRecord, by: User, kind: str, pk: int) -> None:
    if by.role != Role.DOCTOR:
        raise NotAllowed()
    _require_draft(record)
    model = Prescription if kind == "prescription" else Procedure
    with transaction.atomic():
        model.objects.filter(record=record, pk=pk).delete()
        audit(by, "update", record, summary=f"{kind} removed")


# --- signing -----------------------------------------------------------------------------------


def sign_problems(record: MedicalRecord) -> dict[str, list[str]]:
    """What stops signing, by field (the TACC guard is the referral app's ``tacc_problem``)."""
    from clinic.referrals.services import referral_problems

    errors: dict[str, list[str]] = {}
    if not record.diagnoses.exists():
        errors["diagnosis1"] = [_("Enter at least one diagnosis.")]
    if sync.syncs_to_pcare(record) and not sync.doctor_code(record):
        errors["doctor"] = [_("The doctor has no PCare doctor code.")]
    errors.update(referral_problems(record))
    return errors


def record_sign(*, record: MedicalRecord, by: User) -> MedicalRecord:
    """Sign the record: it becomes read-only and, for a BPJS visit, is sent to PCare
    (kunjungan after the pendaftaran, then drugs and procedures)."""
    from clinic.referrals.services import referral_snapshot, tacc_problem

    if by.role != Role.DOCTOR:
        raise NotAllowed()
    with transaction.atomic():
        record = MedicalRecord.objects.select_for_update().get(pk=record.pk)
        _require_draft(record)
        errors = sign_problems(record)
        if errors:
            raise ValidationFailed(_("The record cannot be signed yet."), fields=errors)
        tacc = tacc_problem(record)
        if tacc is not None:
            raise tacc
        record.status = RecordStatus.SIGNED
        record.signed_by = by
        record.signed_at = timezone.now()
        record.save(update_fields=["status", "signed_by", "signed_at", "updated_at"])
        referral_snapshot(record)
        if sync.syncs_to_pcare(record):
            sync.enqueue_record_sync(record)
        audit(by, "update", record, summary="record signed")
    return record


# --- addenda -----------------------------------------------------------------------------------

# Fields an addendum may correct (all of them are part of what PCare holds).
CORRECTABLE = (*VITAL_FIELDS, "prognosis", "consciousness")


def _display(value: Any) -> str:
    return "" if value is None else str(value)


def addendum_add(
    *,
    record: MedicalRecord,
    by: User,
    text: str,
    corrections: dict[str, Any] | None = None,
    diagnoses: list[str] | None = None,
    tacc: dict[str, Any] | None = None,
    prescription: dict[str, Any] | None = None,
    procedure: dict[str, Any] | None = None,
) -> Addendum:
    """A note or correction after signing, with author and time. Corrections (vitals,
    prognosis, consciousness, diagnoses, the referral's TACC) update the record, keep the old
    values in the addendum and update PCare: a kunjungan already sent is edited (PUT); one that
    PCare refused is re-sent."""
    from clinic.referrals.services import tacc_correct

    if by.role not in (Role.DOCTOR, Role.NURSE):
        raise NotAllowed()
    text = (text or "").strip()
    if not text:
        raise ValidationFailed(fields={"text": [_("Write the addendum.")]})
    record.refresh_from_db()
    if record.status != RecordStatus.SIGNED:
        raise Conflict(_("Only a signed record takes addenda."), code="record_not_signed")
    corrections = {k: v for k, v in (corrections or {}).items() if k in CORRECTABLE}
    changes: list[dict[str, str]] = []
    errors: dict[str, list[str]] = {}
    wants_change = any(
        (corrections, diagnoses is not None, tacc is not None, prescription, procedure)
    )
    if wants_change and by.role != Role.DOCTOR:
        raise NotAllowed(_("Only a doctor can correct a signed record."))
    vitals = {k: v for k, v in corrections.items() if k in VITAL_FIELDS and str(v or "").strip()}
    values, vital_errors, _warnings = parse_vitals(vitals)
    errors.update(vital_errors)
    rows: list[Any] | None = None
    if diagnoses is not None:
        rows, diagnosis_errors = diagnoses_parse(diagnoses)
        errors.update(diagnosis_errors)
        if not rows:
            errors["diagnosis1"] = [_("Enter at least one diagnosis.")]
    new_drug = prescription_build(record, prescription) if prescription else None
    new_procedure = procedure_build(record, procedure) if procedure else None
    if errors:
        raise ValidationFailed(fields=errors)
    with transaction.atomic():
        record = MedicalRecord.objects.select_for_update().get(pk=record.pk)
        for field in VITAL_FIELDS:
            if field in vitals and values.get(field) is not None:
                old, new = getattr(record, field), values[field]
                if _display(old) != _display(new):
                    changes.append(_change(record, field, old, new))
                    setattr(record, field, new)
        for field, choices in (("prognosis", Prognosis), ("consciousness", Consciousness)):
            new_value = str(corrections.get(field) or "")
            if new_value and new_value in choices.values and new_value != getattr(record, field):
                changes.append(_change(record, field, getattr(record, field), new_value))
                setattr(record, field, new_value)
        if rows is not None:
            old_codes = [d.code for d in record.diagnosis_list()]
            new_codes = [row.code for row in rows]
            if old_codes != new_codes:
                changes.append(
                    {
                        "field": "diagnoses",
                        "label": str(_("Diagnoses")),
                        "old": ", ".join(old_codes),
                        "new": ", ".join(new_codes),
                    }
                )
                _set_diagnoses(record, rows)
        if tacc is not None:
            changes.extend(tacc_correct(record, tacc))
        if new_drug is not None:
            changes.append(
                {
                    "field": "prescription",
                    "label": str(_("Drug")),
                    "old": "",
                    "new": f"{new_drug.drug_name} {new_drug.signa}",
                }
            )
        if new_procedure is not None:
            changes.append(
                {
                    "field": "procedure",
                    "label": str(_("Procedure")),
                    "old": "",
                    "new": f"{new_procedure.code} {new_procedure.name}",
                }
            )
        record.save()
        addendum = Addendum.objects.create(record=record, author=by, text=text, changes=changes)
        new_items: list[Prescription | Procedure] = []
        for item in (new_drug, new_procedure):
            if item is not None:
                item.record = record
                item.addendum = addendum
                item.save()
                new_items.append(item)
        if changes and sync.syncs_to_pcare(record):
            _pcare_after_correction(record, addendum, by, new_items)
        audit(by, "update", record, summary=f"addendum {addendum.pk} ({len(changes)} corrections)")
    return addendum


def _change(record: MedicalRecord, field: str, old: Any, new: Any) -> dict[str, str]:
    label = str(getattr(MedicalRecord._meta.get_field(field), "verbose_name", field))
    return {"field": field, "label": label, "old": _display(old), "new": _display(new)}


def _pcare_after_correction(
    record: MedicalRecord, addendum: Addendum, by: User, new_items: list[Prescription | Procedure]
) -> None:
    add = sync.kunjungan_job(record)
    if add is None:
        sync.enqueue_record_sync(record)
        return
    kunjungan_changed = any(
        c["field"] not in ("prescription", "procedure") for c in addendum.changes
    )
    if kunjungan_changed:
        if add.state == JobState.SENT:
            sync.enqueue_kunjungan_edit(record, addendum.pk, add)
        elif add.state in (JobState.ATTENTION, JobState.CANCELLED):
            # PCare refused it (412): it is sent again, now corrected.
            job_retry(job=add, by=by)
        # Waiting, sending or retrying: the next attempt builds its request from the record.
    for item in new_items:
        if isinstance(item, Prescription):
            sync.enqueue_obat_add(record, item, add)
        else:
            sync.enqueue_tindakan_add(record, item, add)


def job_resend(*, record: MedicalRecord, job: SyncJob, by: User) -> SyncJob:
    """Send a refused or stuck job of this record again ("fix and re-send")."""
    if by.role != Role.DOCTOR:
        raise NotAllowed()
    if job.subject_type != sync.SUBJECT_VISIT or job.subject_id != str(record.visit_id):
        raise NotAllowed()
    retried = job_retry(job=job, by=by)
    audit(by, "action", record, summary=f"re-send {job.operation}")
    return retried


def record_void(*, record: MedicalRecord, by: User, reason: str) -> MedicalRecord:
    """Void the record and cancel its visit: what PCare holds of it is deleted (kunjungan,
    then pendaftaran); what was not sent yet is cancelled."""
    if by.role != Role.DOCTOR:
        raise NotAllowed()
    reason = (reason or "").strip()
    if not reason:
        raise ValidationFailed(fields={"reason": [_("Give a reason.")]})
    with transaction.atomic():
        record = MedicalRecord.objects.select_for_update().get(pk=record.pk)
        if record.status == RecordStatus.VOIDED:
            raise Conflict(_("This record was voided."), code="record_voided")
        record.status = RecordStatus.VOIDED
        record.voided_by = by
        record.voided_at = timezone.now()
        record.void_reason = reason[:200]
        record.save()
        Visit.objects.filter(pk=record.visit_id).update(
            status=VisitStatus.CANCELLED, updated_at=timezone.now()
        )
        if sync.syncs_to_pcare(record):
            _pcare_void(record, by)
        audit(by, "delete", record, summary="record voided")
    return record


def _pcare_void(record: MedicalRecord, by: User) -> None:
    add = sync.kunjungan_job(record)
    before: list[SyncJob] = []
    if add is not None:
        for job in SyncJob.objects.filter(
            subject_type=sync.SUBJECT_VISIT,
            subject_id=str(record.visit_id),
            operation__in=sync.RECORD_OPERATIONS,
            state__in=list(CANCELLABLE),
        ).exclude(pk=add.pk):
            job_cancel(job=job, by=by)
        add.refresh_from_db()
        if add.state in CANCELLABLE and not add.maybe_applied:
            job_cancel(job=add, by=by)
            add.refresh_from_db()
        else:
            before.append(sync.enqueue_kunjungan_delete(record, add))
    sync.enqueue_pendaftaran_delete_after(record, before)
