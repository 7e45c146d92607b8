from __future__ import annotations

import pytest
from django.utils import translation

from bridging.outbox.models import SyncJob
from clinic.core.errors import ValidationFailed
from clinic.core.models import AuditEvent
from clinic.queues.models import QueueCall, QueueTicket, TicketStatus, Visit, VisitStatus
from clinic.queues.services import (
    TicketMoved,
    kiosk_ticket_take,
    ticket_call,
    ticket_call_next,
    ticket_cancel,
    ticket_finish,
    ticket_recall,
    ticket_skip,
    ticket_start_service,
    ticket_transfer,
    visit_register,
)
from tests.queues.factories import PatientFactory

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _indonesian():
    with translation.override("id"):
        yield


def visit(clinic, today, *, payer="bpjs", source="frontdesk", poli=None):
    patient = PatientFactory(facility=clinic.facility)
    return visit_register(
        facility=clinic.facility,
        patient=patient,
        poli=poli or clinic.umum,
        visit_date=today,
        payer=payer,
        is_sick_visit=None,
        tkp="10",
        complaint="",
        source=source,
    )


def operations(v):
    from clinic.queues.sync import visit_jobs

    return [job.operation for job in visit_jobs(v)]


def test_call_next_calls_the_lowest_waiting_number(clinic, today, perawat):
    first, second = visit(clinic, today), visit(clinic, today)
    called = ticket_call_next(poli=clinic.umum, day=today, user=perawat)
    assert (called.label, called.status, called.call_count) == ("A-1", "called", 1)
    assert called.called_at is not None
    assert ticket_call_next(poli=clinic.umum, day=today, user=perawat).label == "A-2"
    assert ticket_call_next(poli=clinic.umum, day=today, user=perawat) is None
    assert {first.ticket.pk, second.ticket.pk} == set(
        QueueTicket.objects.filter(status="called").values_list("pk", flat=True)
    )
    assert AuditEvent.objects.filter(action="action", summary="called A-1").count() == 1


def test_recall_counts_the_calls(clinic, today, perawat):
    ticket = ticket_call(ticket=visit(clinic, today).ticket, user=perawat)
    ticket = ticket_recall(ticket=ticket, user=perawat)
    assert (ticket.status, ticket.call_count) == ("called", 2)


def test_skip_reports_a_no_show_and_a_skipped_number_can_be_called_again(clinic, today, perawat):
    v = visit(clinic, today)
    ticket = ticket_skip(ticket=ticket_call(ticket=v.ticket, user=perawat), user=perawat)
    assert ticket.status == "skipped"
    call = QueueCall.objects.get(ticket=ticket)
    assert call.outcome == 2
    panggil = SyncJob.objects.get(operation="antrean.panggil")
    assert (panggil.subject_type, panggil.subject_id) == ("queues.queuecall", str(call.pk))
    assert list(panggil.depends_on.values_list("operation", flat=True)) == ["antrean.add"]
    assert ticket_recall(ticket=ticket, user=perawat).status == "called"


def test_start_reports_present_and_finish_closes_the_visit(clinic, today, dokter):
    v = visit(clinic, today)
    ticket = ticket_start_service(ticket=ticket_call(ticket=v.ticket, user=dokter), user=dokter)
    assert ticket.status == "in_service"
    assert Visit.objects.get(pk=v.pk).status == VisitStatus.IN_SERVICE
    assert list(QueueCall.objects.values_list("outcome", flat=True)) == [1]
    ticket = ticket_finish(ticket=ticket, user=dokter)
    assert ticket.status == "done" and ticket.finished_at is not None
    assert Visit.objects.get(pk=v.pk).status == VisitStatus.DONE
    assert operations(v) == ["pcare.pendaftaran.add", "antrean.add", "antrean.panggil"]


def test_self_pay_patient_is_never_reported_to_bpjs(clinic, today, perawat):
    v = visit(clinic, today, payer="umum")
    ticket = ticket_skip(ticket=ticket_call(ticket=v.ticket, user=perawat), user=perawat)
    ticket_start_service(ticket=ticket, user=perawat)
    assert SyncJob.objects.count() == 0
    assert QueueCall.objects.count() == 0


def test_cancel_needs_a_reason_and_then_deletes_the_pendaftaran_and_cancels_the_antrean(
    clinic, today, frontdesk
):
    v = visit(clinic, today)
    with pytest.raises(ValidationFailed) as refused:
        ticket_cancel(ticket=v.ticket, reason="  ", user=frontdesk)
    assert refused.value.message == "Isi alasan pembatalan."
    assert QueueTicket.objects.get(pk=v.ticket.pk).status == "waiting"
    ticket = ticket_cancel(ticket=v.ticket, reason="Dokter berhalangan", user=frontdesk)
    assert (ticket.status, ticket.cancel_reason) == ("cancelled", "Dokter berhalangan")
    assert Visit.objects.get(pk=v.pk).status == VisitStatus.CANCELLED
    delete = SyncJob.objects.get(operation="pcare.pendaftaran.delete")
    assert list(delete.depends_on.values_list("operation", flat=True)) == ["pcare.pendaftaran.add"]
    batal = SyncJob.objects.get(operation="antrean.batal")
    assert list(batal.depends_on.values_list("operation", flat=True)) == ["antrean.add"]


def test_mobile_jkn_booking_cancel_sends_batal_without_dependency(clinic, today, frontdesk):
    v = visit(clinic, today, source="mobilejkn")
    ticket_cancel(ticket=v.ticket, reason="Pasien tidak datang", user=frontdesk)
    batal = SyncJob.objects.get(operation="antrean.batal")
    assert batal.depends_on.count() == 0


def test_a_move_from_the_wrong_status_is_refused_and_changes_nothing(clinic, today, perawat):
    v = visit(clinic, today)
    with pytest.raises(TicketMoved) as refused:
        ticket_finish(ticket=v.ticket, user=perawat)
    assert refused.value.message == ("Nomor antrean A-1 sudah berubah status (sekarang: Menunggu).")
    assert QueueTicket.objects.get(pk=v.ticket.pk).status == "waiting"


def test_two_screens_calling_the_same_number_one_wins(clinic, today, perawat, dokter):
    v = visit(clinic, today)
    stale = QueueTicket.objects.get(pk=v.ticket.pk)
    ticket_call(ticket=v.ticket, user=perawat)
    with pytest.raises(TicketMoved):
        ticket_call(ticket=stale, user=dokter)
    assert QueueTicket.objects.get(pk=v.ticket.pk).call_count == 1


def test_transfer_gives_a_number_at_the_other_poli_and_registers_there(clinic, today, perawat):
    v = visit(clinic, today)
    visit(clinic, today, poli=clinic.gigi)
    old = ticket_call(ticket=v.ticket, user=perawat)
    new = ticket_transfer(ticket=old, to_poli=clinic.gigi, user=perawat)
    old.refresh_from_db()
    assert (old.status, old.transferred_to, old.visit) == ("transferred", new, None)
    assert (new.label, new.status, new.visit_id) == ("B-2", "waiting", v.pk)
    v.refresh_from_db()
    assert (v.poli, v.doctor, v.status) == (clinic.gigi, clinic.dokter_gigi, "registered")
    keys = sorted(
        SyncJob.objects.filter(subject_id=str(v.pk), operation="pcare.pendaftaran.add").values_list(
            "idempotency_key", flat=True
        )
    )
    assert keys == [
        f"pcare.pendaftaran.add:visit:{v.pk}",
        f"pcare.pendaftaran.add:visit:{v.pk}:ticket:{new.pk}",
    ]
    with pytest.raises(ValidationFailed, match="Pasien sudah berada di poli tersebut"):
        ticket_transfer(ticket=new, to_poli=clinic.gigi, user=perawat)


def test_kiosk_ticket_shares_the_sequence_with_the_front_desk(clinic, today):
    visit(clinic, today)
    ticket = kiosk_ticket_take(poli=clinic.umum)
    assert (ticket.label, ticket.source, ticket.visit) == ("A-2", "kiosk", None)
    assert visit(clinic, today).ticket.label == "A-3"
    assert ticket.status == TicketStatus.WAITING
