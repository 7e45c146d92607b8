"""Factories for the records and referrals tests: the demo clinic's poli and doctor, a JKN
patient and a BPJS visit today."""

from __future__ import annotations

from datetime import date

import factory
from django.utils import timezone

from clinic.core.models import Facility, User
from clinic.patients.models import Patient
from clinic.queues.models import Doctor, Poli, Visit


class PatientFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Patient

    mrn = factory.Sequence(lambda n: f"RM-{n + 1:06d}")
    name = "BUDI SANTOSO"
    birth_date = date(1985, 7, 5)
    sex = "L"
    nik = factory.Sequence(lambda n: f"32730105078{n:05d}")
    bpjs_card_number = "0001000000001"
    bpjs_provider_code = "0999K001"
    phone = "081200000001"


def make_poli(facility: Facility, code: str = "001", name: str = "Umum", prefix: str = "A") -> Poli:
    return Poli.objects.create(
        facility=facility, name=name, pcare_code=code, queue_prefix=prefix, is_sick_visit=True
    )


def make_doctor(facility: Facility, user: User | None = None, code: str = "131491") -> Doctor:
    return Doctor.objects.create(
        facility=facility, name="dr. ANDI PRATAMA", pcare_code=code, user=user
    )


def make_visit(
    facility: Facility, patient: Patient, poli: Poli, doctor: Doctor | None, **fields: object
) -> Visit:
    values: dict[str, object] = {
        "facility": facility,
        "patient": patient,
        "poli": poli,
        "doctor": doctor,
        "visit_date": timezone.localdate(),
        "payer": "bpjs",
        "complaint": "demam dan batuk",
    }
    values.update(fields)
    return Visit.objects.create(**values)
