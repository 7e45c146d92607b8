"""Outbox handlers for what a medical record sends to PCare (registered in
``RecordsConfig.ready``). Each builds its request from the record as it stands when sent, so a
job retried after a correction sends the corrected record."""

from __future__ import annotations

import contextlib
from typing import Any

from bridging.outbox.handlers import Handler, SendResult, register_handler
from bridging.outbox.models import SyncJob
from bridging.transport.errors import NotFound, Rejected
from clinic.records import sync
from clinic.records.models import MedicalRecord, Prescription, Procedure


def _record(job: SyncJob) -> MedicalRecord:
    return MedicalRecord.objects.select_related(
        "visit__poli", "visit__doctor", "patient", "doctor", "internal_referral_poli"
    ).get(visit_id=int(job.subject_id))


def _text(exc: Rejected) -> str:
    parts = [exc.message, exc.bpjs_message or "", *[f.message for f in exc.field_errors]]
    return " ".join(parts).lower()


def _visit_number(job: SyncJob, record: MedicalRecord) -> str:
    """PCare's noKunjungan: stored on the record, else the sent kunjungan job's."""
    if record.pcare_visit_number:
        return record.pcare_visit_number
    add = sync.kunjungan_job(record)
    if add is not None and add.remote_id:
        return add.remote_id
    raise Rejected(
        "Nomor kunjungan PCare belum ada: kunjungan belum terkirim.",
        service="pcare",
        operation=job.operation,
    )


def _found_visit(client_factory: Any, record: MedicalRecord) -> SendResult | None:
    found = client_factory.pcare().find_visit(
        str(record.patient.bpjs_card_number or ""),
        record.visit.visit_date,
        record.visit.poli.pcare_code,
    )
    if found is None:
        return None
    number = str(found.visit_number)
    return SendResult(remote_id=number, response={"noKunjungan": number, "found": True})


@register_handler(sync.KUNJUNGAN_ADD)
class KunjunganAdd(Handler):
    """``POST kunjungan/V1``; ``remote_id`` is PCare's noKunjungan (the referral number)."""

    label = "PCare kunjungan"

    def send(self, job: SyncJob, client_factory: Any) -> SendResult:
        record = _record(job)
        request = sync.visit_request(record)
        client_factory.note_request(request)
        try:
            result = client_factory.pcare().add_visit(request)
        except Rejected as exc:
            # Added already by an attempt whose answer was lost: take that one.
            if "kunjungan sudah ada" in _text(exc):
                found = _found_visit(client_factory, record)
                if found is not None:
                    return found
            raise
        number = str(result.visit_number)
        return SendResult(remote_id=number, response={"noKunjungan": number})

    def reconcile(self, job: SyncJob, client_factory: Any) -> SendResult | None:
        return _found_visit(client_factory, _record(job))

    def on_sent(self, job: SyncJob, result: SendResult) -> None:
        from clinic.referrals.models import Referral, ReferralKind

        record_id = MedicalRecord.objects.filter(visit_id=int(job.subject_id)).values_list(
            "pk", flat=True
        )[0]
        MedicalRecord.objects.filter(pk=record_id).update(pcare_visit_number=result.remote_id)
        Referral.objects.filter(
            record_id=record_id, kind__in=[ReferralKind.SPECIALIST, ReferralKind.SPECIAL]
        ).update(pcare_number=result.remote_id)


@register_handler(sync.KUNJUNGAN_EDIT)
class KunjunganEdit(Handler):
    """``PUT kunjungan/V1`` with the record as corrected by its addenda."""

    label = "PCare ubah kunjungan"

    def send(self, job: SyncJob, client_factory: Any) -> SendResult:
        record = _record(job)
        number = _visit_number(job, record)
        request = sync.visit_request(record)
        client_factory.note_request(request.model_copy(update={"visit_number": number}))
        result = client_factory.pcare().edit_visit(number, request)
        return SendResult(remote_id=str(result.visit_number), response={"noKunjungan": number})


@register_handler(sync.KUNJUNGAN_DELETE)
class KunjunganDelete(Handler):
    """``DELETE kunjungan/{noKunjungan}`` of a voided record (gone already counts as done)."""

    label = "PCare hapus kunjungan"

    def send(self, job: SyncJob, client_factory: Any) -> SendResult:
        record = _record(job)
        number = record.pcare_visit_number
        if not number:
            add = sync.kunjungan_job(record)
            number = add.remote_id if add is not None else ""
        if not number:
            found = _found_visit(client_factory, record)
            if found is None:
                return SendResult(remote_id="", response={"deleted": False})
            number = found.remote_id
        client_factory.note_request({"noKunjungan": number})
        with contextlib.suppress(NotFound):
            client_factory.pcare().delete_visit(number)
        return SendResult(remote_id=number, response={"deleted": True})


def _unclaimed(ids: set[str], model: Any, record: MedicalRecord, own_pk: int) -> set[str]:
    taken = set(
        model.objects.filter(record=record).exclude(pk=own_pk).values_list("pcare_id", flat=True)
    )
    return ids - taken


@register_handler(sync.OBAT_ADD)
class ObatAdd(Handler):
    """``POST obat/kunjungan``; ``remote_id`` is PCare's kdObatSK."""

    label = "PCare obat"

    def _item(self, job: SyncJob) -> Prescription:
        return Prescription.objects.select_related("record").get(
            pk=int((job.payload or {})["prescription"])
        )

    def send(self, job: SyncJob, client_factory: Any) -> SendResult:
        item = self._item(job)
        record = _record(job)
        request = sync.medicine_request(item, _visit_number(job, record))
        client_factory.note_request(request)
        result = client_factory.pcare().add_medicine(request)
        return SendResult(
            remote_id=str(result.medicine_id),
            response={"kdObatSK": result.medicine_id, "kdRacikan": result.compound_code},
        )

    def reconcile(self, job: SyncJob, client_factory: Any) -> SendResult | None:
        item = self._item(job)
        record = _record(job)
        page = client_factory.pcare().list_visit_medicines(_visit_number(job, record))
        candidates = {
            str(line.medicine_id)
            for line in page.items
            if line.drug is not None and str(line.drug.code) == item.drug_code
        }
        free = _unclaimed(candidates, Prescription, record, item.pk)
        if not free:
            return None
        medicine_id = sorted(free)[0]
        return SendResult(remote_id=medicine_id, response={"kdObatSK": medicine_id})

    def on_sent(self, job: SyncJob, result: SendResult) -> None:
        Prescription.objects.filter(pk=int((job.payload or {})["prescription"])).update(
            pcare_id=result.remote_id
        )


@register_handler(sync.TINDAKAN_ADD)
class TindakanAdd(Handler):
    """``POST tindakan``; ``remote_id`` is PCare's kdTindakanSK."""

    label = "PCare tindakan"

    def _item(self, job: SyncJob) -> Procedure:
        return Procedure.objects.get(pk=int((job.payload or {})["procedure"]))

    def send(self, job: SyncJob, client_factory: Any) -> SendResult:
        item = self._item(job)
        record = _record(job)
        request = sync.procedure_request(item, _visit_number(job, record))
        client_factory.note_request(request)
        result = client_factory.pcare().add_procedure(request)
        return SendResult(
            remote_id=str(result.procedure_id), response={"kdTindakanSK": result.procedure_id}
        )

    def reconcile(self, job: SyncJob, client_factory: Any) -> SendResult | None:
        item = self._item(job)
        record = _record(job)
        page = client_factory.pcare().list_visit_procedures(_visit_number(job, record))
        candidates = {
            str(line.procedure_id) for line in page.items if str(line.procedure_code) == item.code
        }
        free = _unclaimed(candidates, Procedure, record, item.pk)
        if not free:
            return None
        procedure_id = sorted(free)[0]
        return SendResult(remote_id=procedure_id, response={"kdTindakanSK": procedure_id})

    def on_sent(self, job: SyncJob, result: SendResult) -> None:
        Procedure.objects.filter(pk=int((job.payload or {})["procedure"])).update(
            pcare_id=result.remote_id
        )
