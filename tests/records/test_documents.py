"""The medical resume (print and PDF) and iCare."""

from __future__ import annotations

import pytest
from django.urls import reverse

from clinic.core.models import AuditEvent
from clinic.records import services
from tests.records.factories import PatientFactory, make_visit
from tests.records.helpers import drug_and_procedure, encounter, triaged

pytestmark = pytest.mark.django_db


def test_resume_is_in_indonesian_with_the_clinic_header(visit, perawat, dokter, client_for):
    record = encounter(triaged(visit, perawat), dokter, ["A09"])
    drug_and_procedure(record, dokter)
    page = client_for(dokter).get(reverse("records:resume", args=[record.pk])).content.decode()
    assert 'data-testid="resume-title">RESUME MEDIS<' in page
    assert "KLINIK PRATAMA SEHAT BERSAMA" in page
    assert "Kode PPK 0999K001" in page
    assert "Parasetamol tab 500 mg" in page
    assert "DRAF: belum ditandatangani" in page


def test_resume_pdf(visit, perawat, dokter, client_for):
    record = encounter(triaged(visit, perawat), dokter, ["A09"])
    response = client_for(dokter).get(
        reverse("records:resume", args=[record.pk]), {"format": "pdf"}
    )
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF-")
    assert AuditEvent.objects.filter(action="export", object_id=str(record.pk)).count() == 1


def test_icare_opens_the_history_beside_the_form_and_is_audited(
    sandbox, visit, perawat, dokter, doctor, client_for
):
    record = triaged(visit, perawat)
    response = client_for(dokter).post(reverse("records:icare", args=[record.pk]))
    page = response.content.decode()
    assert 'data-testid="icare-frame"' in page
    assert f'src="{sandbox.base_url}/_sandbox/icare/history?token=' in page
    event = AuditEvent.objects.filter(action="action", object_id=str(record.pk)).first()
    assert event is not None
    assert event.summary == "iCare history opened"


def test_icare_refusal_is_shown_in_words(
    sandbox, facility, poli, doctor, perawat, dokter, client_for
):
    inactive = PatientFactory(facility=facility, bpjs_card_number="0001000000003", name="AGUS")
    visit = make_visit(facility, inactive, poli, doctor)
    record = triaged(visit, perawat)
    page = client_for(dokter).post(reverse("records:icare", args=[record.pk])).content.decode()
    assert 'data-testid="icare-error">iCare menolak: ' in page
    event = AuditEvent.objects.filter(action="action", object_id=str(record.pk)).first()
    assert event is not None
    assert event.summary == "iCare refused (validation)"


def test_icare_down_is_shown_in_words(visit, perawat, dokter, doctor, client_for, settings):
    from bridging.credentials.demo import seed_demo_credentials

    seed_demo_credentials(visit.facility)
    settings.BPJS_SANDBOX_URL = "http://127.0.0.1:9"  # nothing listens there
    record = triaged(visit, perawat)
    page = client_for(dokter).post(reverse("records:icare", args=[record.pk])).content.decode()
    assert "iCare tidak dapat dihubungi saat ini. Coba lagi sebentar lagi." in page


def test_icare_without_credentials(visit, perawat, dokter, doctor, client_for):
    record = triaged(visit, perawat)
    page = client_for(dokter).post(reverse("records:icare", args=[record.pk])).content.decode()
    assert "Kredensial iCare belum ada atau tidak diterima: hubungi admin klinik." in page


def test_signed_record_page_shows_the_encounter_read_only(visit, perawat, dokter, client_for):
    visit.payer = "umum"
    visit.save()
    record = encounter(triaged(visit, perawat), dokter, ["R51"])
    services.record_sign(record=record, by=dokter)
    page = client_for(dokter).get(reverse("records:visit", args=[visit.pk])).content.decode()
    assert 'data-testid="encounter-view"' in page
    assert 'data-testid="encounter-form"' not in page
    assert 'data-testid="addendum-form"' in page


def test_doctors_page_opens_when_pcare_is_down_and_says_so(
    visit, perawat, dokter, doctor, client_for, settings
):
    from bridging.credentials.demo import seed_demo_credentials

    seed_demo_credentials(visit.facility)
    settings.BPJS_SANDBOX_URL = "http://127.0.0.1:9"
    triaged(visit, perawat)
    page = client_for(dokter).get(reverse("records:visit", args=[visit.pk]))
    assert page.status_code == 200
    text = page.content.decode()
    assert "Daftar referensi PCare tidak tersedia" in text
    assert 'data-testid="encounter-form"' in text
