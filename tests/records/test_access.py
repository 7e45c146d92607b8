"""Only clinical roles see clinical content; every read of a record is audited."""

from __future__ import annotations

import pytest
from django.urls import reverse

from clinic.core.models import AuditEvent
from clinic.records.access import record_of_visit
from tests.records.factories import PatientFactory, make_poli, make_visit
from tests.records.helpers import triaged

pytestmark = pytest.mark.django_db


def _reads(record) -> int:
    return AuditEvent.objects.filter(
        action="view", object_type="records.medicalrecord", object_id=str(record.pk)
    ).count()


@pytest.mark.parametrize("persona", ["frontdesk", "admin"])
def test_non_clinical_staff_get_403_on_the_record_page_and_api(
    request, persona, visit, perawat, client_for
):
    record = triaged(visit, perawat)
    client = client_for(request.getfixturevalue(persona))
    pages = [
        reverse("records:visit", args=[visit.pk]),
        reverse("records:resume", args=[record.pk]),
        reverse("records:icd10") + "?q=A09",
        reverse("referrals:letter", args=[record.pk]),
        reverse("api-record", args=[record.pk]),
        reverse("api-icd10") + "?q=A09",
        reverse("records:drugs") + "?q=para",
        reverse("records:sync", args=[record.pk]),
        reverse("referrals:hospitals", args=[record.pk]),
        reverse("referrals:subspecialties", args=[record.pk]) + "?specialty=INT",
        reverse("referrals:sep-new"),
    ]
    for url in pages:
        assert client.get(url).status_code == 403, url
    posts = [
        reverse("records:triage", args=[visit.pk]),
        reverse("records:encounter", args=[visit.pk]),
        reverse("records:addendum", args=[record.pk]),
        reverse("records:icare", args=[record.pk]),
        reverse("records:void", args=[record.pk]),
        reverse("records:item-add", args=[record.pk, "prescription"]),
    ]
    for url in posts:
        assert client.post(url, {"systolic": "120"}).status_code == 403, url
    assert _reads(record) == 1  # only the nurse's triage read


def test_front_desk_sees_the_visit_and_its_sync_state_but_not_the_notes(
    visit, perawat, dokter, frontdesk, client_for
):
    from clinic.records import services

    record = triaged(visit, perawat)
    services.encounter_save(
        record=record,
        by=dokter,
        data={"anamnesis": "RAHASIA-ANAMNESIS", "discharge": "3"},
        diagnoses=["A09"],
    )
    response = client_for(frontdesk).get(reverse("queues:visit-detail", args=[visit.pk]))
    assert response.status_code == 200
    assert "RAHASIA-ANAMNESIS" not in response.content.decode()


def test_doctor_of_another_facility_gets_404(visit, perawat, dokter_other_facility, client_for):
    record = triaged(visit, perawat)
    client = client_for(dokter_other_facility)
    assert client.get(reverse("records:visit", args=[visit.pk])).status_code == 404
    assert client.get(reverse("records:resume", args=[record.pk])).status_code == 404
    assert client.get(reverse("api-record", args=[record.pk])).status_code == 404


def test_every_read_of_a_record_is_in_the_audit_log(visit, perawat, dokter, client_for):
    record = triaged(visit, perawat)
    assert _reads(record) == 1
    client = client_for(dokter)
    client.get(reverse("records:visit", args=[visit.pk]))
    client.get(reverse("records:visit", args=[visit.pk]))
    client.get(reverse("records:resume", args=[record.pk]))
    client.get(reverse("api-record", args=[record.pk]))
    assert _reads(record) == 5
    last = AuditEvent.objects.filter(object_id=str(record.pk), action="view").first()
    assert last is not None
    assert last.actor == dokter
    assert "0001000000001" not in last.summary
    assert "BUDI" not in last.summary


def test_sync_panel_refresh_is_not_a_read_of_clinical_content(visit, perawat, dokter, client_for):
    record = triaged(visit, perawat)
    client_for(dokter).get(reverse("records:sync", args=[record.pk]))
    assert _reads(record) == 1


def test_record_of_another_facility_visit_is_refused(facility, other_facility, dokter):
    patient = PatientFactory(facility=other_facility, bpjs_card_number="0001000000005")
    poli = make_poli(other_facility)
    visit = make_visit(other_facility, patient, poli, None)
    from django.core.exceptions import PermissionDenied

    with pytest.raises(PermissionDenied):
        record_of_visit(dokter, visit)
