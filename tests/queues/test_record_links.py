"""The queue's pages lead clinical staff to the medical record, and nobody else."""

from __future__ import annotations

from datetime import time

import pytest
from django.urls import reverse
from django.utils import timezone

from clinic.patients.models import Patient
from clinic.queues.models import Doctor, DoctorSchedule, Poli
from clinic.queues.services import visit_register

pytestmark = pytest.mark.django_db


@pytest.fixture
def visit(facility, frontdesk):
    poli = Poli.objects.create(facility=facility, name="Umum", pcare_code="001", queue_prefix="A")
    doctor = Doctor.objects.create(facility=facility, name="dr. ANDI", pcare_code="131491")
    today = timezone.localdate()
    DoctorSchedule.objects.create(
        facility=facility,
        poli=poli,
        doctor=doctor,
        weekday=today.weekday(),
        start_time=time(0),
        end_time=time(23, 59),
        daily_quota=10,
    )
    patient = Patient.objects.create(
        facility=facility, mrn="RM-000001", name="BUDI", birth_date="1985-07-05", sex="L"
    )
    return visit_register(
        facility=facility,
        patient=patient,
        poli=poli,
        visit_date=today,
        payer="umum",
        is_sick_visit=True,
        tkp="10",
        complaint="",
        source="frontdesk",
        created_by=frontdesk,
    )


@pytest.mark.parametrize("persona", ["perawat", "dokter"])
def test_clinical_staff_see_the_record_link(client_for, request, persona, visit):
    client = client_for(request.getfixturevalue(persona))
    link = reverse("records:visit", args=[visit.pk])
    assert link in client.get(reverse("queues:visit-detail", args=[visit.pk])).content.decode()
    assert link in client.get(reverse("queues:board"), {"poli": visit.poli_id}).content.decode()


def test_front_desk_does_not_see_the_record_link(client_for, frontdesk, visit):
    client = client_for(frontdesk)
    link = reverse("records:visit", args=[visit.pk])
    page = client.get(reverse("queues:visit-detail", args=[visit.pk]))
    assert page.status_code == 200
    assert link not in page.content.decode()
    board = client.get(reverse("queues:board"), {"poli": visit.poli_id})
    assert board.status_code == 200
    assert link not in board.content.decode()
