"""Outbox handlers for the queue's BPJS writes (registered in ``QueuesConfig.ready``).

Each turns a job's subject (a visit, or a :class:`QueueCall`) into one typed client call. They
are safe to repeat: after an ambiguous failure the pendaftaran is looked up at PCare before it is
sent again, and an answer that says the record already exists (or is already gone, for a
delete or a cancellation) is read as the desired end state, not as an error.
"""

from __future__ import annotations

import contextlib
from typing import Any

from bridging.antrean.schemas import (
    CallStatus,
    QueueAddRequest,
    QueueCallRequest,
    QueueCancelRequest,
)
from bridging.outbox.handlers import Handler, SendResult, register_handler
from bridging.outbox.models import SyncJob
from bridging.pcare.schemas import CareSetting, RegistrationRequest
from bridging.transport.errors import NotFound, Rejected
from clinic.queues import sync
from clinic.queues.models import QueueCall, QueueTicket, Visit


def _visit(job: SyncJob) -> Visit:
    return Visit.objects.select_related("patient", "poli", "facility", "doctor").get(
        pk=int(job.subject_id)
    )


def _messages(exc: Rejected) -> str:
    parts = [exc.message, exc.bpjs_message or ""]
    parts += [f.message for f in exc.field_errors]
    return " ".join(parts).lower()


def _card(visit: Visit) -> str:
    return str(visit.patient.bpjs_card_number or "")


def _jkn_ticket(visit: Visit) -> QueueTicket | None:
    """The ticket BPJS Antrean FKTP knows for this visit (the first one, before a transfer)."""
    ticket: QueueTicket | None = (
        QueueTicket.objects.filter(jkn_antrean=True)
        .filter(visit=visit)
        .select_related("poli", "schedule__doctor")
        .first()
    )
    if ticket is None:
        ticket = (
            QueueTicket.objects.filter(jkn_antrean=True, transferred_to__isnull=False)
            .filter(facility_id=visit.facility_id, date=visit.visit_date)
            .filter(transferred_to__visit=visit)
            .select_related("poli", "schedule__doctor")
            .first()
        )
    return ticket


@register_handler(sync.PENDAFTARAN_ADD)
class PendaftaranAdd(Handler):
    """PCare ``POST pendaftaran``; ``remote_id`` is PCare's ``noUrut``, stored on the visit."""

    label = "PCare pendaftaran"

    def _found(self, job: SyncJob, client_factory: Any, visit: Visit) -> SendResult | None:
        found = client_factory.pcare().find_registration(
            _card(visit), visit.visit_date, visit.poli.pcare_code, page_size=500
        )
        if found is None:
            return None
        return SendResult(
            remote_id=str(found.queue_number), response={"noUrut": found.queue_number}
        )

    def send(self, job: SyncJob, client_factory: Any) -> SendResult:
        visit = _visit(job)
        patient = visit.patient
        request = RegistrationRequest(
            participant_provider_code=patient.bpjs_provider_code
            or visit.facility.bpjs_provider_code,
            registration_date=visit.visit_date,
            card_number=_card(visit),
            poli_code=visit.poli.pcare_code,
            complaint=visit.complaint or None,
            sick_visit=visit.is_sick_visit,
            care_setting=CareSetting(visit.tkp),
        )
        client_factory.note_request(request)
        try:
            result = client_factory.pcare().add_registration(request)
        except Rejected as exc:
            # Registered already (by an earlier attempt whose answer was lost): take that one.
            if "sudah terdaftar di poli yang sama" in _messages(exc):
                found = self._found(job, client_factory, visit)
                if found is not None:
                    return found
            raise
        return SendResult(
            remote_id=str(result.queue_number), response={"noUrut": result.queue_number}
        )

    def reconcile(self, job: SyncJob, client_factory: Any) -> SendResult | None:
        return self._found(job, client_factory, _visit(job))

    def on_sent(self, job: SyncJob, result: SendResult) -> None:
        Visit.objects.filter(pk=int(job.subject_id)).update(pcare_no_urut=result.remote_id)


@register_handler(sync.PENDAFTARAN_DELETE)
class PendaftaranDelete(Handler):
    """PCare ``DELETE pendaftaran/...`` of a cancelled visit (after its add was sent)."""

    label = "PCare hapus pendaftaran"

    def send(self, job: SyncJob, client_factory: Any) -> SendResult:
        visit = _visit(job)
        pcare = client_factory.pcare()
        no_urut = visit.pcare_no_urut
        if not no_urut:
            found = pcare.find_registration(
                _card(visit), visit.visit_date, visit.poli.pcare_code, page_size=500
            )
            if found is None:
                return SendResult(remote_id="", response={"deleted": False})
            no_urut = str(found.queue_number)
        client_factory.note_request({"noUrut": no_urut, "kdPoli": visit.poli.pcare_code})
        # NotFound: already gone (an earlier attempt whose answer was lost).
        with contextlib.suppress(NotFound):
            pcare.delete_registration(
                _card(visit), visit.visit_date, no_urut, visit.poli.pcare_code
            )
        return SendResult(remote_id=no_urut, response={"deleted": True})


@register_handler(sync.ANTREAN_ADD)
class AntreanAdd(Handler):
    """Antrean FKTP ``antrean/add``: show a walk-in JKN patient's number in Mobile JKN."""

    label = "Antrean FKTP: tambah antrean"

    def send(self, job: SyncJob, client_factory: Any) -> SendResult:
        visit = _visit(job)
        ticket = _jkn_ticket(visit)
        if ticket is None or ticket.schedule is None:
            return SendResult(remote_id="", response={"skipped": "no ticket"})
        patient = visit.patient
        schedule = ticket.schedule
        request = QueueAddRequest(
            card_number=_card(visit),
            nik=patient.nik or "",
            phone=patient.phone or "",
            poli_code=ticket.poli.pcare_code,
            poli_name=f"Poli {ticket.poli.name}",
            medical_record_number=patient.mrn,
            visit_date=ticket.date,
            doctor_code=int(schedule.doctor.pcare_code),
            doctor_name=schedule.doctor.name,
            practice_hours=schedule.hours,
            queue_number=ticket.label,
            queue_position=ticket.number,
            note="",
        )
        client_factory.note_request(request)
        try:
            client_factory.antrean().add_queue(request)
        except Rejected as exc:
            text = _messages(exc)
            if "sudah digunakan" not in text and "sudah terdaftar dalam antrean" not in text:
                raise
        return SendResult(remote_id=ticket.label, response={"nomorantrean": ticket.label})


@register_handler(sync.ANTREAN_CALL)
class AntreanCall(Handler):
    """Antrean FKTP ``antrean/panggil``: 1 present, 2 no-show; ``waktu`` in epoch ms."""

    label = "Antrean FKTP: panggil"

    def send(self, job: SyncJob, client_factory: Any) -> SendResult:
        call = QueueCall.objects.select_related("ticket__poli", "ticket__visit__patient").get(
            pk=int(job.subject_id)
        )
        ticket = call.ticket
        visit = ticket.visit
        if visit is None and ticket.transferred_to is not None:
            visit = ticket.transferred_to.visit
        card = str(visit.patient.bpjs_card_number or "") if visit is not None else ""
        request = QueueCallRequest(
            visit_date=ticket.date,
            poli_code=ticket.poli.pcare_code,
            card_number=card,
            status=CallStatus(call.outcome),
            called_at=call.at,
        )
        client_factory.note_request(request)
        client_factory.antrean().call_queue(request)
        return SendResult(remote_id="", response={"status": int(call.outcome)})


@register_handler(sync.ANTREAN_CANCEL)
class AntreanCancel(Handler):
    """Antrean FKTP ``antrean/batal`` when the clinic cancels a JKN number."""

    label = "Antrean FKTP: batal"

    def send(self, job: SyncJob, client_factory: Any) -> SendResult:
        visit = _visit(job)
        ticket = (
            _jkn_ticket(visit)
            or QueueTicket.objects.filter(facility_id=visit.facility_id, visit=visit).first()
        )
        poli_code = ticket.poli.pcare_code if ticket is not None else visit.poli.pcare_code
        reason = (ticket.cancel_reason if ticket is not None else "") or "Dibatalkan klinik"
        request = QueueCancelRequest(
            visit_date=visit.visit_date,
            poli_code=poli_code,
            card_number=_card(visit),
            reason=reason,
        )
        client_factory.note_request(request)
        try:
            client_factory.antrean().cancel_queue(request)
        except Rejected as exc:
            if "antrean tidak ditemukan" not in _messages(exc):
                raise
            return SendResult(remote_id="", response={"cancelled": False})
        return SendResult(remote_id="", response={"cancelled": True})
