"""The queue's outbox handlers against the BPJS sandbox over HTTP (jobs run by hand)."""

from __future__ import annotations

import pytest

from bridging.outbox.models import SyncAttempt, SyncJob
from clinic.queues.models import Visit
from clinic.queues.services import (
    ticket_call,
    ticket_cancel,
    ticket_skip,
    ticket_start_service,
    visit_register,
)
from tests.queues.conftest import run_outbox
from tests.queues.factories import PatientFactory

pytestmark = pytest.mark.django_db


def register(clinic, today, card, *, source="frontdesk", poli=None, complaint="demam"):
    patient = PatientFactory(facility=clinic.facility, bpjs_card_number=card)
    return visit_register(
        facility=clinic.facility,
        patient=patient,
        poli=poli or clinic.umum,
        visit_date=today,
        payer="bpjs",
        is_sick_visit=None,
        tkp="10",
        complaint=complaint,
        source=source,
    )


def states():
    return dict(SyncJob.objects.values_list("operation", "state"))


def test_pendaftaran_reaches_pcare_and_its_no_urut_is_stored(
    clinic, today, sandbox, bpjs_clients, pcare_client
):
    visit = register(clinic, today, "0001000000001", complaint="batuk")
    run_outbox(bpjs_clients)
    assert states() == {"pcare.pendaftaran.add": "sent", "antrean.add": "sent"}
    page = pcare_client.list_registrations(today, 0, 500)
    assert page.count == 1
    registration = page.items[0]
    assert registration.participant.card_number == "0001000000001"
    assert (registration.poli.code, registration.sick_visit, registration.complaint) == (
        "001",
        True,
        "batuk",
    )
    visit.refresh_from_db()
    assert visit.pcare_no_urut == registration.queue_number
    add = SyncJob.objects.get(operation="pcare.pendaftaran.add")
    assert add.remote_id == visit.pcare_no_urut
    assert add.state_label == f"Terkirim ({visit.pcare_no_urut})"
    antrean = sandbox.control("GET", "/state/antrean", tanggal=today.isoformat())
    rows = antrean["antrean"] if isinstance(antrean, dict) else antrean
    assert [(r["nomorkartu"], r["nomorantrean"]) for r in rows] == [("0001000000001", "A-1")]
    assert rows[0]["request"]["kodedokter"] == 131491
    assert rows[0]["request"]["jampraktek"] == "08:00-14:00"
    assert rows[0]["request"]["angkaantrean"] == 1


def test_pendaftaran_refused_by_pcare_needs_attention_with_its_message(
    clinic, today, sandbox, bpjs_clients
):
    register(clinic, today, "0001000000003", source="mobilejkn")  # not active
    run_outbox(bpjs_clients)
    job = SyncJob.objects.get(operation="pcare.pendaftaran.add")
    assert job.state == "attention"
    assert "Peserta tidak aktif" in job.state_label


def test_reconcile_finds_a_pendaftaran_that_was_applied_without_answer(
    clinic, today, sandbox, bpjs_clients, pcare_client
):
    from bridging.pcare.schemas import RegistrationRequest

    visit = register(clinic, today, "0001000000005", source="mobilejkn")
    # An earlier attempt reached PCare but its answer was lost.
    applied = pcare_client.add_registration(
        RegistrationRequest(
            participant_provider_code="0999K001",
            registration_date=today,
            card_number="0001000000005",
            poli_code="001",
            sick_visit=True,
        )
    ).queue_number
    SyncJob.objects.filter(operation="pcare.pendaftaran.add").update(maybe_applied=True)
    run_outbox(bpjs_clients)
    visit.refresh_from_db()
    assert visit.pcare_no_urut == applied
    assert pcare_client.list_registrations(today, 0, 500).count == 1
    attempt = SyncAttempt.objects.get(job__operation="pcare.pendaftaran.add")
    assert attempt.outcome == "reconciled"


def test_already_registered_answer_is_read_as_sent(
    clinic, today, sandbox, bpjs_clients, pcare_client
):
    from bridging.pcare.schemas import RegistrationRequest

    visit = register(clinic, today, "0001000000006", source="mobilejkn")
    applied = pcare_client.add_registration(
        RegistrationRequest(
            participant_provider_code="0999K001",
            registration_date=today,
            card_number="0001000000006",
            poli_code="001",
            sick_visit=True,
        )
    ).queue_number
    run_outbox(bpjs_clients)
    visit.refresh_from_db()
    assert (states(), visit.pcare_no_urut) == ({"pcare.pendaftaran.add": "sent"}, applied)


def test_cancelling_deletes_the_pendaftaran_and_the_antrean(
    clinic, today, sandbox, bpjs_clients, pcare_client, frontdesk
):
    visit = register(clinic, today, "0001000000001")
    run_outbox(bpjs_clients)
    ticket_cancel(ticket=visit.ticket, reason="Dokter berhalangan", user=frontdesk)
    run_outbox(bpjs_clients)
    assert states() == {
        "pcare.pendaftaran.add": "sent",
        "antrean.add": "sent",
        "pcare.pendaftaran.delete": "sent",
        "antrean.batal": "sent",
    }
    assert pcare_client.list_registrations(today, 0, 500).count == 0
    held = sandbox.control("GET", "/state/pendaftaran", tglDaftar=today.strftime("%d-%m-%Y"))
    rows = held["pendaftaran"] if isinstance(held, dict) else held
    assert [r["deleted"] for r in rows] == [True]
    antrean = sandbox.control("GET", "/state/antrean", tanggal=today.isoformat())
    rows = antrean["antrean"] if isinstance(antrean, dict) else antrean
    assert [(r["deleted"], r["batal"]["alasan"]) for r in rows] == [(True, "Dokter berhalangan")]


def test_calls_are_reported_as_no_show_then_present(clinic, today, sandbox, bpjs_clients, perawat):
    visit = register(clinic, today, "0001000000007")
    ticket = ticket_skip(ticket=ticket_call(ticket=visit.ticket, user=perawat), user=perawat)
    ticket_start_service(ticket=ticket, user=perawat)
    run_outbox(bpjs_clients)
    panggil = SyncJob.objects.filter(operation="antrean.panggil")
    assert sorted(panggil.values_list("state", flat=True)) == ["sent", "sent"]
    antrean = sandbox.control("GET", "/state/antrean", tanggal=today.isoformat())
    rows = antrean["antrean"] if isinstance(antrean, dict) else antrean
    assert rows[0]["panggilStatus"] == 1
    assert isinstance(rows[0]["panggil"]["waktu"], int)
    assert rows[0]["panggil"]["waktu"] > 1_700_000_000_000
    assert Visit.objects.get(pk=visit.pk).status == "in_service"
