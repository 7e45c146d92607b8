"""What a medical record sends to PCare, as outbox jobs (enqueued inside the caller's
transaction), and the PCare request built from the record.

Every job has the visit as its subject (``queues.visit``), so the visit page shows its sync
state to the front desk without showing the record. Keys are deterministic:

- ``pcare.kunjungan.add:record:<id>``, after the visit's ``pcare.pendaftaran.add``;
- ``pcare.obat.add:prescription:<id>`` and ``pcare.tindakan.add:procedure:<id>``, after it;
- ``pcare.kunjungan.edit:addendum:<id>`` when an addendum changes what PCare holds;
- ``pcare.kunjungan.delete:record:<id>`` when the record (and its visit) is voided.
"""

from __future__ import annotations

from typing import Any

from bridging.outbox.models import JobState, SyncJob
from bridging.outbox.services import enqueue
from bridging.pcare.schemas import (
    MedicineRequest,
    OnwardReferral,
    ProcedureRequest,
    SpecialistReferral,
    SpecialReferral,
    VisitRequest,
)
from clinic.queues.models import Payer, Visit
from clinic.records.models import Discharge, MedicalRecord, Prescription, Procedure

SUBJECT_VISIT = "queues.visit"
PENDAFTARAN_ADD = "pcare.pendaftaran.add"
PENDAFTARAN_DELETE = "pcare.pendaftaran.delete"
KUNJUNGAN_ADD = "pcare.kunjungan.add"
KUNJUNGAN_EDIT = "pcare.kunjungan.edit"
KUNJUNGAN_DELETE = "pcare.kunjungan.delete"
OBAT_ADD = "pcare.obat.add"
TINDAKAN_ADD = "pcare.tindakan.add"
RECORD_OPERATIONS = (KUNJUNGAN_ADD, KUNJUNGAN_EDIT, KUNJUNGAN_DELETE, OBAT_ADD, TINDAKAN_ADD)


def syncs_to_pcare(record: MedicalRecord) -> bool:
    return bool(record.visit.payer == Payer.BPJS and record.patient.bpjs_card_number)


def kunjungan_add_key(record: MedicalRecord) -> str:
    return f"{KUNJUNGAN_ADD}:record:{record.pk}"


def pendaftaran_job(visit: Visit) -> SyncJob | None:
    """The visit's latest PCare pendaftaran job (a transfer to another poli registers again)."""
    return (
        SyncJob.objects.filter(
            subject_type=SUBJECT_VISIT, subject_id=str(visit.pk), operation=PENDAFTARAN_ADD
        )
        .order_by("-created_at", "-id")
        .first()
    )


def kunjungan_job(record: MedicalRecord) -> SyncJob | None:
    return SyncJob.objects.filter(idempotency_key=kunjungan_add_key(record)).first()


def record_jobs(record: MedicalRecord) -> list[SyncJob]:
    """The visit's BPJS jobs: its pendaftaran and everything the record sent, oldest first."""
    return list(
        SyncJob.objects.filter(subject_type=SUBJECT_VISIT, subject_id=str(record.visit_id))
        .filter(operation__in=(PENDAFTARAN_ADD, PENDAFTARAN_DELETE, *RECORD_OPERATIONS))
        .order_by("created_at", "id")
    )


def _enqueue(
    record: MedicalRecord,
    operation: str,
    key: str,
    *,
    depends_on: list[SyncJob] | None = None,
    payload: dict[str, Any] | None = None,
) -> SyncJob:
    job: SyncJob = enqueue(
        facility_id=record.facility_id,
        service="pcare",
        operation=operation,
        subject_type=SUBJECT_VISIT,
        subject_id=str(record.visit_id),
        idempotency_key=key,
        depends_on=depends_on or None,
        payload={"record": record.pk, **(payload or {})},
    )
    return job


def enqueue_kunjungan_add(record: MedicalRecord) -> SyncJob:
    """The kunjungan, after the visit's pendaftaran (enqueued now if the queue has not yet)."""
    registration = pendaftaran_job(record.visit)
    if registration is None:
        from clinic.queues.services import visit_pendaftaran_ensure

        visit_pendaftaran_ensure(record.visit)
        registration = pendaftaran_job(record.visit)
    return _enqueue(
        record,
        KUNJUNGAN_ADD,
        kunjungan_add_key(record),
        depends_on=[registration] if registration is not None else None,
    )


def enqueue_obat_add(record: MedicalRecord, item: Prescription, add: SyncJob) -> SyncJob:
    return _enqueue(
        record,
        OBAT_ADD,
        f"{OBAT_ADD}:prescription:{item.pk}",
        depends_on=[add],
        payload={"prescription": item.pk},
    )


def enqueue_tindakan_add(record: MedicalRecord, item: Procedure, add: SyncJob) -> SyncJob:
    return _enqueue(
        record,
        TINDAKAN_ADD,
        f"{TINDAKAN_ADD}:procedure:{item.pk}",
        depends_on=[add],
        payload={"procedure": item.pk},
    )


def enqueue_record_sync(record: MedicalRecord) -> SyncJob:
    """Everything a signed record sends: kunjungan, then each drug and procedure."""
    add = enqueue_kunjungan_add(record)
    for item in record.prescriptions.all():
        enqueue_obat_add(record, item, add)
    for procedure in record.procedures.all():
        enqueue_tindakan_add(record, procedure, add)
    return add


def enqueue_kunjungan_edit(record: MedicalRecord, addendum_pk: int, add: SyncJob) -> SyncJob:
    return _enqueue(
        record,
        KUNJUNGAN_EDIT,
        f"{KUNJUNGAN_EDIT}:addendum:{addendum_pk}",
        depends_on=[add],
        payload={"addendum": addendum_pk},
    )


def enqueue_kunjungan_delete(record: MedicalRecord, add: SyncJob | None) -> SyncJob:
    blocked = (JobState.CANCELLED, JobState.ATTENTION)
    depends = [add] if add is not None and add.state not in blocked else None
    return _enqueue(
        record, KUNJUNGAN_DELETE, f"{KUNJUNGAN_DELETE}:record:{record.pk}", depends_on=depends
    )


def enqueue_pendaftaran_delete_after(
    record: MedicalRecord, before: list[SyncJob]
) -> SyncJob | None:
    """The queue's ``pcare.pendaftaran.delete`` of a voided visit, after the kunjungan delete
    (PCare refuses to delete a pendaftaran that still has a kunjungan)."""
    registration = pendaftaran_job(record.visit)
    if registration is None:
        return None
    depends = [registration, *[job for job in before if job.state != JobState.CANCELLED]]
    job: SyncJob = enqueue(
        facility_id=record.facility_id,
        service="pcare",
        operation=PENDAFTARAN_DELETE,
        subject_type=SUBJECT_VISIT,
        subject_id=str(record.visit_id),
        idempotency_key=f"{PENDAFTARAN_DELETE}:visit:{record.visit_id}",
        depends_on=depends,
    )
    return job


# --- the requests ------------------------------------------------------------------------------


def _int(value: Any) -> int:
    return round(value) if value is not None else 0


def onward_referral(record: MedicalRecord) -> tuple[OnwardReferral | None, int, str | None]:
    """``rujukLanjut``, ``kdTacc`` and ``alasanTacc`` of a vertical referral."""
    from clinic.referrals.models import SPECIAL_WITH_SUBSPECIALTY, Referral, ReferralKind

    if record.discharge != Discharge.VERTICAL_REFERRAL:
        return None, -1, None
    referral = Referral.objects.filter(record=record).first()
    if referral is None or referral.planned_date is None:
        return None, -1, None
    tacc = referral.tacc if referral.has_valid_tacc else -1
    reason = referral.tacc_reason.strip() if referral.has_valid_tacc else None
    if referral.kind == ReferralKind.SPECIAL:
        special = SpecialReferral(
            category_code=referral.special_code,
            subspecialty_code=referral.subspecialty_code
            if referral.special_code in SPECIAL_WITH_SUBSPECIALTY
            else None,
            note=referral.note or None,
        )
        onward = OnwardReferral(
            provider_code=referral.provider_code,
            planned_date=referral.planned_date,
            specialist=None,
            special=special,
        )
        return onward, (tacc if tacc != -1 else 0), reason
    onward = OnwardReferral(
        provider_code=referral.provider_code,
        planned_date=referral.planned_date,
        specialist=SpecialistReferral(
            subspecialty_code=referral.subspecialty_code,
            facility_type_code=referral.facility_type_code or None,
        ),
        special=None,
    )
    return onward, tacc, reason


def doctor_code(record: MedicalRecord) -> str:
    doctor = record.doctor or record.visit.doctor
    return doctor.pcare_code if doctor is not None else ""


def drug_therapy_text(record: MedicalRecord) -> str:
    lines = [f"{item.drug_name} {item.signa}" for item in record.prescriptions.all()]
    return "; ".join(lines)[:500]


def visit_request(record: MedicalRecord) -> VisitRequest:
    """The ``kunjungan/V1`` body for the record as it stands (with its addenda applied)."""
    visit = record.visit
    codes = [d.code for d in record.diagnosis_list()]
    onward, tacc, reason = onward_referral(record)
    internal = record.discharge == Discharge.INTERNAL_REFERRAL
    return VisitRequest(
        card_number=str(record.patient.bpjs_card_number or ""),
        registration_date=visit.visit_date,
        poli_code=visit.poli.pcare_code,
        complaint=record.chief_complaint or visit.complaint,
        consciousness_code=record.consciousness,
        systolic=_int(record.systolic),
        diastolic=_int(record.diastolic),
        weight_kg=_int(record.weight_kg),
        height_cm=_int(record.height_cm),
        respiratory_rate=_int(record.respiratory_rate),
        heart_rate=_int(record.heart_rate),
        waist_cm=_int(record.waist_cm),
        discharge_status_code="3" if internal else str(record.discharge),
        discharge_date=visit.visit_date,
        doctor_code=doctor_code(record),
        diagnosis1_code=codes[0] if codes else "",
        diagnosis2_code=codes[1] if len(codes) > 1 else None,
        diagnosis3_code=codes[2] if len(codes) > 2 else None,
        internal_referral_poli_code=record.internal_referral_poli.pcare_code
        if internal and record.internal_referral_poli is not None
        else None,
        referral=onward,
        tacc_code=tacc,
        tacc_reason=reason,
        anamnesis=record.anamnesis,
        food_allergy_code=record.food_allergy,
        air_allergy_code=record.air_allergy,
        drug_allergy_code=record.drug_allergy,
        prognosis_code=record.prognosis,
        drug_therapy=drug_therapy_text(record),
        non_drug_therapy=record.non_drug_therapy,
        consumables=record.consumables,
        temperature=record.temperature_c,
    )


def medicine_request(item: Prescription, visit_number: str) -> MedicineRequest:
    return MedicineRequest(
        visit_number=visit_number,
        compounded=item.compounded,
        compound_code=item.compound_code or None,
        dpho=item.dpho,
        drug_code=item.drug_code if item.dpho else "",
        signa1=float(item.signa1),
        signa2=float(item.signa2),
        quantity=float(item.quantity),
        requested_quantity=float(item.requested_quantity or item.quantity),
        non_dpho_name="" if item.dpho else item.drug_name,
    )


def procedure_request(item: Procedure, visit_number: str) -> ProcedureRequest:
    return ProcedureRequest(
        visit_number=visit_number,
        procedure_code=item.code,
        fee=item.fee,
        note=item.note,
        result=item.result,
    )
