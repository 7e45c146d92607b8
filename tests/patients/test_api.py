"""``/api/v1/patients/``: search, read, register, eligibility, schema."""

from __future__ import annotations

from datetime import date

import pytest
import yaml

from clinic.core.models import AuditEvent
from clinic.patients.models import Patient

pytestmark = pytest.mark.django_db

BUDI = {
    "name": "Budi Santoso",
    "birth_date": "1985-07-05",
    "sex": "L",
    "nik": "3273010507850001",
    "bpjs_card_number": "0001000000001",
}


@pytest.fixture
def budi(make_patient):
    return make_patient(
        name="BUDI SANTOSO",
        birth_date=date(1985, 7, 5),
        nik="3273010507850001",
        bpjs_card_number="0001000000001",
    )


def test_list_with_q_searches(client_for, perawat, budi, make_patient):
    make_patient(name="LAIN", birth_date=date(1970, 1, 1))
    response = client_for(perawat).get("/api/v1/patients/", {"q": "santo"})
    assert response.status_code == 200
    body = response.json()
    assert body["count"] == 1
    assert body["results"][0]["mrn"] == "RM-000001"
    assert body["results"][0]["url"] == f"/patients/{budi.pk}/"


def test_list_is_scoped_to_the_facility(client_for, dokter_other_facility, budi):
    body = client_for(dokter_other_facility).get("/api/v1/patients/").json()
    assert body["count"] == 0


def test_retrieve_is_audited_and_isolated(client_for, dokter, dokter_other_facility, budi):
    response = client_for(dokter).get(f"/api/v1/patients/{budi.pk}/")
    assert response.status_code == 200
    assert response.json()["nik"] == "3273010507850001"
    assert AuditEvent.objects.filter(action="view", object_id=str(budi.pk)).count() == 1
    other = client_for(dokter_other_facility).get(f"/api/v1/patients/{budi.pk}/")
    assert other.status_code == 404
    assert other.json()["code"] == "not_found"


def test_create_registers(client_for, frontdesk):
    response = client_for(frontdesk).post(
        "/api/v1/patients/", BUDI, content_type="application/json"
    )
    assert response.status_code == 201
    assert response.json()["mrn"] == "RM-000001"
    assert response.json()["name"] == "BUDI SANTOSO"


def test_create_bad_nik_is_400_in_indonesian(client_for, frontdesk):
    response = client_for(frontdesk).post(
        "/api/v1/patients/", {**BUDI, "nik": "327301050785000"}, content_type="application/json"
    )
    assert response.status_code == 400
    assert response.json() == {
        "code": "validation_failed",
        "message": "NIK harus 16 digit (yang diisi 15 digit).",
        "fields": {"nik": ["NIK harus 16 digit (yang diisi 15 digit)."]},
    }
    assert Patient.objects.count() == 0


def test_create_duplicate_nik_is_409_with_link(client_for, frontdesk, budi):
    response = client_for(frontdesk).post(
        "/api/v1/patients/", {**BUDI, "bpjs_card_number": ""}, content_type="application/json"
    )
    assert response.status_code == 409
    body = response.json()
    assert body["code"] == "duplicate_patient"
    assert body["fields"]["existing_patient"] == [f"/patients/{budi.pk}/"]


def test_create_likely_duplicate_then_confirm(client_for, frontdesk, budi):
    client = client_for(frontdesk)
    data = {**BUDI, "nik": "", "bpjs_card_number": ""}
    first = client.post("/api/v1/patients/", data, content_type="application/json")
    assert first.status_code == 409
    assert first.json()["code"] == "likely_duplicate"
    second = client.post(
        "/api/v1/patients/", {**data, "confirm_duplicate": True}, content_type="application/json"
    )
    assert second.status_code == 201
    assert second.json()["likely_duplicate"] is True


def test_nurse_cannot_create(client_for, perawat):
    response = client_for(perawat).post("/api/v1/patients/", BUDI, content_type="application/json")
    assert response.status_code == 403
    assert response.json()["code"] == "permission_denied"


def test_eligibility_by_card(client_for, frontdesk, sandbox_pcare):
    response = client_for(frontdesk).post(
        "/api/v1/patients/eligibility/",
        {"card_number": "0001000000003"},
        content_type="application/json",
    )
    assert response.status_code == 200
    body = response.json()
    assert body["status"] == "inactive"
    assert body["warnings"] == ["Kepesertaan BPJS tidak aktif (keterangan BPJS: TIDAK AKTIF)."]
    assert body["birth_date"] == "1978-11-20"
    assert body["token"]
    created = client_for(frontdesk).post(
        "/api/v1/patients/",
        {
            "name": body["name"],
            "birth_date": body["birth_date"],
            "sex": body["sex"],
            "nik": body["nik"],
            "bpjs_card_number": body["card_number"],
            "eligibility_token": body["token"],
        },
        content_type="application/json",
    )
    assert created.status_code == 201
    assert created.json()["bpjs_eligibility"] == "inactive"


def test_eligibility_with_a_letter_in_the_card(client_for, frontdesk):
    response = client_for(frontdesk).post(
        "/api/v1/patients/eligibility/",
        {"card_number": "00010000000X1"},
        content_type="application/json",
    )
    assert response.status_code == 400
    assert response.json()["message"] == "Nomor kartu BPJS hanya boleh berisi angka."


def test_eligibility_of_a_patient_is_stored(client_for, frontdesk, budi, sandbox_pcare):
    response = client_for(frontdesk).post(f"/api/v1/patients/{budi.pk}/eligibility/")
    assert response.status_code == 200
    assert response.json()["status"] == "verified"
    budi.refresh_from_db()
    assert budi.bpjs_provider_code == "0999K001"


def test_schema_describes_the_patient_endpoints(client_for, admin):
    response = client_for(admin).get("/api/schema/")
    assert response.status_code == 200
    schema = yaml.safe_load(response.content)
    paths = schema["paths"]
    assert set(paths["/api/v1/patients/"]) >= {"get", "post"}
    assert "get" in paths["/api/v1/patients/{id}/"]
    assert "post" in paths["/api/v1/patients/eligibility/"]
    assert "post" in paths["/api/v1/patients/{id}/eligibility/"]
    params = {p["name"] for p in paths["/api/v1/patients/"]["get"]["parameters"]}
    assert "q" in params
    assert "EligibilityResult" in schema["components"]["schemas"]
