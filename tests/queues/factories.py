"""Factories for the queue tests: patients and a clinic laid out like the demo clinic."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, time

import factory

from clinic.core.models import Facility
from clinic.patients.models import Patient
from clinic.queues.models import Doctor, DoctorSchedule, Poli


class PatientFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Patient

    mrn = factory.Sequence(lambda n: f"RM{n + 1:06d}")
    name = factory.Sequence(lambda n: f"PASIEN {n}")
    birth_date = date(1985, 7, 5)
    sex = "L"
    nik = factory.Sequence(lambda n: f"3273010507{n:06d}")
    bpjs_card_number = factory.Sequence(lambda n: f"0002{n + 1:09d}")
    bpjs_provider_code = "0999K001"
    phone = "081200000000"


@dataclass
class Clinic:
    facility: Facility
    umum: Poli
    gigi: Poli
    kia: Poli
    dokter_umum: Doctor
    dokter_gigi: Doctor


def make_clinic(facility: Facility, *, quota_umum: int = 50, days: range = range(7)) -> Clinic:
    """Polis and doctors as in SANDBOX.md, with sessions on ``days`` (default every day, so the
    tests do not depend on the weekday they run on)."""
    andi = Doctor.objects.create(facility=facility, name="dr. ANDI PRATAMA", pcare_code="131491")
    sari = Doctor.objects.create(facility=facility, name="drg. SARI WULANDARI", pcare_code="131492")
    umum = Poli.objects.create(
        facility=facility, name="Umum", pcare_code="001", queue_prefix="A", is_sick_visit=True
    )
    gigi = Poli.objects.create(
        facility=facility, name="Gigi", pcare_code="002", queue_prefix="B", is_sick_visit=True
    )
    kia = Poli.objects.create(
        facility=facility, name="KIA", pcare_code="003", queue_prefix="C", is_sick_visit=False
    )
    for weekday in days:
        DoctorSchedule.objects.create(
            facility=facility,
            poli=umum,
            doctor=andi,
            weekday=weekday,
            start_time=time(8),
            end_time=time(14),
            daily_quota=quota_umum,
        )
        DoctorSchedule.objects.create(
            facility=facility,
            poli=gigi,
            doctor=sari,
            weekday=weekday,
            start_time=time(9),
            end_time=time(15),
            daily_quota=20,
        )
        DoctorSchedule.objects.create(
            facility=facility,
            poli=kia,
            doctor=andi,
            weekday=weekday,
            start_time=time(14),
            end_time=time(16),
            daily_quota=10,
        )
    return Clinic(facility, umum, gigi, kia, andi, sari)
