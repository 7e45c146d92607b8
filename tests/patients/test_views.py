"""The patient pages: search box, registration with "Cek BPJS", detail, edit, family."""

from __future__ import annotations

from datetime import date

import pytest
from django.urls import NoReverseMatch, reverse

from clinic.core.models import AuditEvent
from clinic.patients.models import FamilyLink, Patient

pytestmark = pytest.mark.django_db

BUDI_FORM = {
    "action": "save",
    "bpjs_card_number": "0001000000001",
    "nik": "3273010507850001",
    "name": "BUDI SANTOSO",
    "birth_date": "1985-07-05",
    "sex": "L",
    "phone": "081200000001",
}


@pytest.fixture
def budi(make_patient):
    return make_patient(
        name="BUDI SANTOSO",
        birth_date=date(1985, 7, 5),
        nik="3273010507850001",
        bpjs_card_number="0001000000001",
    )


def test_search_page_needs_login(client):
    response = client.get(reverse("patients:search"))
    assert response.status_code == 302
    assert response.url.startswith("/login/")


def test_search_page_lists_matches(client_for, frontdesk, budi):
    response = client_for(frontdesk).get(reverse("patients:search"), {"q": "santoso"})
    assert response.status_code == 200
    html = response.content.decode()
    assert 'data-testid="patient-search"' in html
    assert f'href="/patients/{budi.pk}/"' in html
    assert "RM-000001" in html


def test_htmx_search_returns_only_the_results(client_for, perawat, budi):
    response = client_for(perawat).get(
        reverse("patients:search"), {"q": "0001000000001"}, HTTP_HX_REQUEST="true"
    )
    html = response.content.decode()
    assert "<html" not in html
    assert "BUDI SANTOSO" in html
    assert 'data-testid="register-link"' not in html


def test_search_with_no_match_offers_registration_to_front_desk(client_for, frontdesk):
    html = client_for(frontdesk).get(reverse("patients:search"), {"q": "3273010507850001"})
    text = html.content.decode()
    assert "Pasien tidak ditemukan." in text
    assert "/patients/baru/?nik=3273010507850001" in text


def test_other_facility_cannot_open_a_patient(client_for, dokter_other_facility, budi):
    response = client_for(dokter_other_facility).get(reverse("patients:detail", args=[budi.pk]))
    assert response.status_code == 404


def test_detail_is_audited_for_clinical_staff(client_for, dokter, budi):
    response = client_for(dokter).get(reverse("patients:detail", args=[budi.pk]))
    assert response.status_code == 200
    html = response.content.decode()
    assert "3273010507850001" in html
    assert 'data-testid="check-bpjs"' not in html  # doctors do not edit
    event = AuditEvent.objects.get(action="view", object_id=str(budi.pk))
    assert event.actor == dokter


def test_detail_links_to_visit_registration_only_when_it_exists(client_for, frontdesk, budi):
    html = client_for(frontdesk).get(reverse("patients:detail", args=[budi.pk])).content.decode()
    try:
        url = reverse("queues:visit-register")
    except NoReverseMatch:
        assert 'data-testid="register-visit"' not in html
    else:
        assert f'href="{url}?patient={budi.pk}"' in html


@pytest.mark.parametrize("role_fixture", ["perawat", "dokter"])
def test_clinical_staff_cannot_register(request, client_for, role_fixture):
    user = request.getfixturevalue(role_fixture)
    assert client_for(user).get(reverse("patients:register")).status_code == 403
    assert client_for(user).post(reverse("patients:register"), BUDI_FORM).status_code == 403
    assert Patient.objects.count() == 0


def test_register_saves_and_redirects(client_for, frontdesk):
    response = client_for(frontdesk).post(reverse("patients:register"), BUDI_FORM)
    patient = Patient.objects.get()
    assert response.status_code == 302
    assert response.url == reverse("patients:detail", args=[patient.pk])
    assert patient.mrn == "RM-000001"


def test_register_shows_indonesian_errors_and_saves_nothing(client_for, frontdesk):
    form = {**BUDI_FORM, "nik": "327301050785000", "bpjs_card_number": "000100000000A"}
    response = client_for(frontdesk).post(reverse("patients:register"), form)
    assert response.status_code == 200
    html = response.content.decode()
    assert "NIK harus 16 digit (yang diisi 15 digit)." in html
    assert "Nomor kartu BPJS hanya boleh berisi angka." in html
    assert Patient.objects.count() == 0


def test_register_future_birth_date_is_refused(client_for, frontdesk):
    form = {**BUDI_FORM, "nik": "", "birth_date": "2999-01-01"}
    html = client_for(frontdesk).post(reverse("patients:register"), form).content.decode()
    assert "Tanggal lahir tidak boleh di masa depan." in html
    assert Patient.objects.count() == 0


def test_register_duplicate_nik_links_to_the_existing_patient(client_for, frontdesk, budi):
    form = {**BUDI_FORM, "bpjs_card_number": ""}
    html = client_for(frontdesk).post(reverse("patients:register"), form).content.decode()
    assert "Pasien dengan NIK ini sudah terdaftar: RM-000001." in html
    assert f'href="/patients/{budi.pk}/" data-testid="existing-patient"' in html
    assert Patient.objects.count() == 1


def test_register_likely_duplicate_asks_for_confirmation(client_for, frontdesk, budi):
    form = {**BUDI_FORM, "bpjs_card_number": "", "nik": ""}
    client = client_for(frontdesk)
    html = client.post(reverse("patients:register"), form).content.decode()
    assert 'data-testid="likely-duplicate"' in html
    assert 'name="confirm_duplicate"' in html
    assert Patient.objects.count() == 1
    response = client.post(reverse("patients:register"), {**form, "confirm_duplicate": "on"})
    assert response.status_code == 302
    assert Patient.objects.get(mrn="RM-000002").likely_duplicate is True


def test_check_bpjs_prefills_the_form(client_for, frontdesk, sandbox_pcare):
    response = client_for(frontdesk).post(
        reverse("patients:register"), {"action": "check", "bpjs_card_number": "0001000000002"}
    )
    html = response.content.decode()
    assert 'data-status="other_fktp"' in html
    assert "Terdaftar di FKTP lain: KLINIK PRATAMA MITRA SEHAT (0999K002)" in html
    assert 'value="SITI AMINAH"' in html
    assert 'value="1990-03-12"' in html
    assert 'value="3273015203900002"' in html
    assert '<option value="P" selected>' in html
    assert Patient.objects.count() == 0


def test_check_bpjs_with_a_bad_card_says_so(client_for, frontdesk):
    response = client_for(frontdesk).post(
        reverse("patients:register"), {"action": "check", "bpjs_card_number": "12345"}
    )
    assert "Nomor kartu BPJS harus 13 digit (yang diisi 5 digit)." in response.content.decode()


def test_check_then_register_keeps_the_bpjs_facts(client_for, frontdesk, sandbox_pcare):
    client = client_for(frontdesk)
    html = client.post(
        reverse("patients:register"), {"action": "check", "bpjs_card_number": "0001000000003"}
    ).content.decode()
    assert "Kepesertaan BPJS tidak aktif (keterangan BPJS: TIDAK AKTIF)." in html
    token = html.split('name="eligibility_token" value="')[1].split('"')[0]
    form = {
        **BUDI_FORM,
        "bpjs_card_number": "0001000000003",
        "nik": "3273012011780003",
        "name": "AGUS SETIAWAN",
        "birth_date": "1978-11-20",
        "eligibility_token": token,
    }
    assert client.post(reverse("patients:register"), form).status_code == 302
    patient = Patient.objects.get()
    assert patient.bpjs_eligibility == "inactive"
    assert patient.bpjs_status_text == "TIDAK AKTIF"


def test_detail_check_stores_the_answer(client_for, frontdesk, budi, sandbox_pcare):
    client = client_for(frontdesk)
    response = client.post(reverse("patients:check", args=[budi.pk]), follow=True)
    html = response.content.decode()
    assert "Kepesertaan BPJS aktif dan terdaftar di klinik ini." in html
    budi.refresh_from_db()
    assert budi.bpjs_eligibility == "verified"
    assert budi.bpjs_class == "KELAS III"
    event = AuditEvent.objects.get(action="action", object_id=str(budi.pk))
    assert event.summary == "BPJS eligibility check: verified"


def test_edit_changes_phone(client_for, admin, budi):
    response = client_for(admin).post(
        reverse("patients:edit", args=[budi.pk]),
        {**BUDI_FORM, "phone": "0813 9999 0000"},
    )
    assert response.status_code == 302
    budi.refresh_from_db()
    assert budi.phone_normalized == "081399990000"


def test_family_link_by_mrn(client_for, frontdesk, budi, make_patient):
    wife = make_patient(name="SRI", birth_date=date(1987, 1, 1), sex="P")
    client_for(frontdesk).post(
        reverse("patients:family-add", args=[budi.pk]),
        {"relative_mrn": wife.mrn, "relation": "spouse"},
    )
    assert FamilyLink.objects.filter(patient=budi, relative=wife, relation="spouse").exists()
    html = client_for(frontdesk).get(reverse("patients:detail", args=[wife.pk])).content.decode()
    assert f"{budi.mrn} BUDI SANTOSO" in html
