from __future__ import annotations

import pytest
from django.urls import reverse

from clinic.core.models import AuditEvent
from clinic.queues.models import QueueTicket, Visit
from clinic.queues.services import ticket_call, visit_register
from tests.queues.factories import PatientFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def page_client(client_for, frontdesk):
    client = client_for(frontdesk)
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "id"
    return client


def form(clinic, today, **overrides):
    data = {
        "poli": clinic.umum.pk,
        "schedule": "",
        "visit_date": today.isoformat(),
        "payer": "bpjs",
        "insurer_name": "",
        "is_sick_visit": "1",
        "tkp": "10",
        "complaint": "demam",
    }
    data.update(overrides)
    return data


def register(clinic, today, **kwargs):
    return visit_register(
        facility=clinic.facility,
        patient=kwargs.pop("patient", None) or PatientFactory(facility=clinic.facility),
        poli=kwargs.pop("poli", clinic.umum),
        visit_date=today,
        payer=kwargs.pop("payer", "bpjs"),
        is_sick_visit=None,
        tkp="10",
        complaint="",
        source=kwargs.pop("source", "frontdesk"),
    )


def test_register_page_saves_the_visit_and_shows_the_number_big(page_client, clinic, pasien, today):
    url = reverse("queues:visit-register") + f"?patient={pasien.pk}"
    page = page_client.get(url)
    assert page.status_code == 200
    assert "Daftarkan kunjungan" in page.content.decode()
    answer = page_client.post(url, form(clinic, today), follow=True)
    visit = Visit.objects.get()
    assert answer.redirect_chain == [(reverse("queues:visit-detail", args=[visit.pk]), 302)]
    html = answer.content.decode()
    assert 'data-testid="queue-number">A-1<' in html
    assert "Kunjungan terdaftar. Nomor antrean A-1." in html
    assert "PCare pendaftaran" in html and "Menunggu" in html


def test_register_page_refusal_is_shown_in_indonesian_and_saves_nothing(
    page_client, clinic, pasien, today
):
    url = reverse("queues:visit-register") + f"?patient={pasien.pk}"
    answer = page_client.post(url, form(clinic, today, payer="insurance"))
    assert answer.status_code == 200
    assert "Isi nama asuransi." in answer.content.decode()
    answer = page_client.post(url, form(clinic, today, poli="999999"))
    assert "Poli tidak dikenal: pilih salah satu poli aktif di klinik ini." in (
        answer.content.decode()
    )
    assert (Visit.objects.count(), QueueTicket.objects.count()) == (0, 0)


def test_register_page_hides_another_facilitys_patient(page_client, clinic, other_clinic):
    stranger = PatientFactory(facility=other_clinic.facility)
    url = reverse("queues:visit-register") + f"?patient={stranger.pk}"
    assert page_client.get(url).status_code == 404


def test_doctor_cannot_open_the_register_page(client_for, dokter, clinic, pasien):
    url = reverse("queues:visit-register") + f"?patient={pasien.pk}"
    assert client_for(dokter).get(url).status_code == 403


def test_visit_page_is_audited_and_hidden_from_other_facilities(
    page_client, client_for, dokter_other_facility, clinic, today
):
    visit = register(clinic, today)
    url = reverse("queues:visit-detail", args=[visit.pk])
    assert page_client.get(url).status_code == 200
    assert (
        AuditEvent.objects.filter(
            action="view", object_type="queues.visit", object_id=str(visit.pk)
        ).count()
        == 1
    )
    assert client_for(dokter_other_facility).get(url).status_code == 404


def test_board_shows_the_statuses_and_moves_tickets(page_client, clinic, today):
    first = register(clinic, today)
    register(clinic, today, source="mobilejkn")
    board = page_client.get(reverse("queues:board") + f"?poli={clinic.umum.pk}")
    html = board.content.decode()
    for status in ("waiting", "called", "in_service", "done", "skipped", "cancelled"):
        assert f'data-testid="column-{status}"' in html
    assert html.count("Mobile JKN</span>") == 1
    page_client.post(reverse("queues:call-next", args=[clinic.umum.pk]))
    assert QueueTicket.objects.get(pk=first.ticket.pk).status == "called"
    cancel = reverse("queues:ticket-action", args=[first.ticket.pk, "cancel"])
    answer = page_client.post(cancel, {"reason": ""}, follow=True)
    assert "Isi alasan pembatalan." in answer.content.decode()
    page_client.post(cancel, {"reason": "Salah poli"})
    assert QueueTicket.objects.get(pk=first.ticket.pk).status == "cancelled"
    partial = page_client.get(
        reverse("queues:board") + f"?poli={clinic.umum.pk}", HTTP_HX_REQUEST="true"
    )
    assert "<nav" not in partial.content.decode()
    assert "Salah poli" in partial.content.decode()


def test_board_transfer_sends_the_patient_to_another_poli(page_client, clinic, today):
    visit = register(clinic, today)
    url = reverse("queues:ticket-action", args=[visit.ticket.pk, "transfer"])
    answer = page_client.post(url, {"poli": clinic.gigi.pk}, follow=True)
    assert "A-1 dipindahkan ke Poli Gigi dengan nomor B-1." in answer.content.decode()


def test_tv_page_and_state_are_public_and_show_numbers_only(client, clinic, today, perawat):
    visit = register(clinic, today, patient=PatientFactory(facility=clinic.facility, name="BUDI"))
    ticket_call(ticket=visit.ticket, user=perawat)
    code = clinic.facility.bpjs_provider_code
    page = client.get(reverse("queues:tv", args=[code]))
    assert page.status_code == 200
    html = page.content.decode()
    assert 'data-testid="tv-number-001">A-1<' in html
    assert "speechSynthesis" in html and "id-ID" in html and "AudioContext" in html
    assert "BUDI" not in html
    state = client.get(reverse("queues:tv-state", args=[code])).json()
    umum = state["polis"][0]
    assert (umum["poli"], umum["current"], umum["status"], umum["waiting"]) == (
        "Umum",
        "A-1",
        "called",
        0,
    )
    assert "BUDI" not in str(state)
    assert client.get(reverse("queues:tv", args=["NOPE"])).status_code == 404


def test_kiosk_gives_a_printable_number_from_the_shared_sequence(client, clinic, today):
    register(clinic, today)
    code = clinic.facility.bpjs_provider_code
    kiosk = client.get(reverse("queues:kiosk", args=[code]))
    assert 'data-testid="kiosk-poli-001"' in kiosk.content.decode()
    answer = client.post(
        reverse("queues:kiosk", args=[code]), {"poli": clinic.umum.pk}, follow=True
    )
    html = answer.content.decode()
    assert 'data-testid="kiosk-number">A-2<' in html
    assert "window.print()" in html
    ticket = QueueTicket.objects.get(label="A-2")
    assert (ticket.source, ticket.visit) == ("kiosk", None)


def test_register_page_takes_over_a_kiosk_number(page_client, clinic, pasien, today):
    from clinic.queues.services import kiosk_ticket_take

    kiosk_ticket_take(poli=clinic.umum)
    url = reverse("queues:visit-register") + f"?patient={pasien.pk}"
    answer = page_client.post(url, form(clinic, today, kiosk_number="B-9"))
    assert "Tidak ada nomor antrean B-9 di Poli Umum pada tanggal itu." in (answer.content.decode())
    answer = page_client.post(url, form(clinic, today, kiosk_number="a1"), follow=True)
    assert 'data-testid="queue-number">A-1<' in answer.content.decode()
    assert QueueTicket.objects.count() == 1
