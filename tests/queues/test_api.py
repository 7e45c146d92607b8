from __future__ import annotations

import pytest

from bridging.outbox.models import SyncJob
from clinic.queues.models import QueueTicket, Visit
from tests.queues.factories import PatientFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def api(client_for, frontdesk):
    client = client_for(frontdesk)
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "id"
    return client


def create(api, **body):
    return api.post("/api/v1/visits/", body, content_type="application/json")


def test_registering_a_visit_returns_its_number_and_sync_states(api, clinic, pasien, today):
    answer = create(api, patient=pasien.pk, poli=clinic.umum.pk, complaint="pusing")
    assert answer.status_code == 201, answer.content
    data = answer.json()
    visit = Visit.objects.get()
    assert data["id"] == visit.pk
    assert (data["queue_number"], data["queue_position"], data["ticket_source"]) == (
        "A-1",
        1,
        "frontdesk",
    )
    assert (data["visit_date"], data["payer"], data["is_sick_visit"], data["tkp"]) == (
        today.isoformat(),
        "bpjs",
        True,
        "10",
    )
    assert [(s["operation"], s["state"], s["state_label"]) for s in data["sync"]] == [
        ("pcare.pendaftaran.add", "waiting", "Menunggu"),
        ("antrean.add", "waiting", "Menunggu"),
    ]
    assert data["pcare_no_urut"] == ""


def test_unknown_poli_gets_an_indonesian_message_and_saves_nothing(api, clinic, pasien):
    answer = create(api, patient=pasien.pk, poli=999999)
    assert answer.status_code == 400
    assert answer.json() == {
        "code": "validation_failed",
        "message": "Poli tidak dikenal: pilih salah satu poli aktif di klinik ini.",
        "fields": {"poli": ["Poli tidak dikenal: pilih salah satu poli aktif di klinik ini."]},
    }
    assert (Visit.objects.count(), QueueTicket.objects.count(), SyncJob.objects.count()) == (
        0,
        0,
        0,
    )


def test_another_facilitys_patient_or_poli_is_unknown(api, clinic, other_clinic, pasien):
    stranger = PatientFactory(facility=other_clinic.facility)
    assert create(api, patient=stranger.pk, poli=clinic.umum.pk).json()["fields"] == {
        "patient": ["Pasien tidak dikenal: daftarkan dulu pasien di klinik ini."]
    }
    assert create(api, patient=pasien.pk, poli=other_clinic.umum.pk).status_code == 400
    assert Visit.objects.count() == 0


def test_doctor_cannot_register_a_visit(client_for, dokter, clinic, pasien):
    client = client_for(dokter)
    answer = client.post(
        "/api/v1/visits/",
        {"patient": pasien.pk, "poli": clinic.umum.pk},
        content_type="application/json",
    )
    assert answer.status_code == 403
    assert Visit.objects.count() == 0


def test_visits_are_listed_and_read_only_within_the_facility(
    api, client_for, dokter_other_facility, clinic, pasien
):
    visit_id = create(api, patient=pasien.pk, poli=clinic.umum.pk).json()["id"]
    assert [v["id"] for v in api.get("/api/v1/visits/").json()["results"]] == [visit_id]
    assert api.get(f"/api/v1/visits/{visit_id}/").json()["queue_number"] == "A-1"
    other = client_for(dokter_other_facility)
    assert other.get("/api/v1/visits/").json()["results"] == []
    assert other.get(f"/api/v1/visits/{visit_id}/").status_code == 404


def test_queue_ticket_actions(api, client_for, perawat, clinic, pasien, today):
    create(api, patient=pasien.pk, poli=clinic.umum.pk)
    create(api, patient=PatientFactory(facility=clinic.facility).pk, poli=clinic.umum.pk)
    nurse = client_for(perawat)
    listed = nurse.get("/api/v1/queue-tickets/", {"poli": clinic.umum.pk, "status": "waiting"})
    assert [t["label"] for t in listed.json()["results"]] == ["A-1", "A-2"]
    called = nurse.post(
        "/api/v1/queue-tickets/call-next/",
        {"poli": clinic.umum.pk},
        content_type="application/json",
    ).json()
    assert (called["label"], called["status"]) == ("A-1", "called")
    ticket = f"/api/v1/queue-tickets/{called['id']}"
    assert nurse.post(f"{ticket}/recall/").json()["call_count"] == 2
    assert nurse.post(f"{ticket}/skip/").json()["status"] == "skipped"
    assert nurse.post(f"{ticket}/call/").json()["status"] == "called"
    refused = nurse.post(f"{ticket}/cancel/", {}, content_type="application/json")
    assert refused.status_code == 400
    assert refused.json()["message"] == "Isi alasan pembatalan."
    cancelled = nurse.post(
        f"{ticket}/cancel/", {"reason": "Pasien pulang"}, content_type="application/json"
    ).json()
    assert (cancelled["status"], cancelled["cancel_reason"]) == ("cancelled", "Pasien pulang")
    moved = nurse.post(f"{ticket}/skip/")
    assert moved.status_code == 409
    assert moved.json()["code"] == "ticket_moved"


def test_another_facility_cannot_touch_a_ticket(
    api, client_for, dokter_other_facility, clinic, pasien
):
    ticket_id = create(api, patient=pasien.pk, poli=clinic.umum.pk).json()["ticket_id"]
    other = client_for(dokter_other_facility)
    assert other.post(f"/api/v1/queue-tickets/{ticket_id}/call/").status_code == 404
    assert QueueTicket.objects.get(pk=ticket_id).status == "waiting"


def test_openapi_schema_has_visits_and_queue_ticket_actions(api):
    schema = api.get("/api/schema/", {"format": "json"}).json()
    paths = schema["paths"]
    for path in (
        "/api/v1/visits/",
        "/api/v1/visits/{id}/",
        "/api/v1/queue-tickets/",
        "/api/v1/queue-tickets/{id}/call/",
        "/api/v1/queue-tickets/{id}/recall/",
        "/api/v1/queue-tickets/{id}/skip/",
        "/api/v1/queue-tickets/{id}/cancel/",
        "/api/v1/queue-tickets/call-next/",
    ):
        assert path in paths
    visit = schema["components"]["schemas"]["Visit"]["properties"]
    assert {"queue_number", "sync", "pcare_no_urut"} <= set(visit)
