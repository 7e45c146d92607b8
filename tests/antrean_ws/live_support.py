"""Run inside a clinic process of its own (``python -m tests.antrean_ws.live_support``) against
the database named by DATABASE_URL: seed a clinic for a concurrency run, or register front-desk
walk-ins while bookings arrive over HTTP."""

from __future__ import annotations

import datetime as dt
import json
import sys


def _setup() -> None:
    import os

    import django

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "clinic.settings")
    django.setup()


def seed(day: dt.date, patients: int, quota: int) -> dict:
    from bridging.antrean_ws import tokens
    from bridging.antrean_ws.models import AntreanWsAccount
    from clinic.core.models import Facility
    from clinic.patients.models import Patient
    from clinic.queues.models import Doctor, DoctorSchedule, Poli

    facility = Facility.objects.create(name="KLINIK UJI", bpjs_provider_code="0999K001")
    poli = Poli.objects.create(facility=facility, name="Umum", pcare_code="001", queue_prefix="A")
    doctor = Doctor.objects.create(facility=facility, name="dr. ANDI PRATAMA", pcare_code="131491")
    DoctorSchedule.objects.create(
        facility=facility,
        poli=poli,
        doctor=doctor,
        weekday=day.weekday(),
        start_time=dt.time(0, 0),
        end_time=dt.time(23, 59),
        daily_quota=quota,
    )
    Patient.objects.bulk_create(
        Patient(
            facility=facility,
            mrn=f"RM-{n:06d}",
            nik=f"3273020101{n:06d}",
            bpjs_card_number=f"0002{n:09d}",
            name=f"PASIEN {n}",
            birth_date=dt.date(1990, 1, 1),
            sex="L",
        )
        for n in range(1, patients + 1)
    )
    account = AntreanWsAccount(
        facility=facility, username="mobilejkn", rate_per_second=100000, rate_burst=100000
    )
    account.set_password("Demo#2026")
    account.save()
    return {"token": tokens.issue(account)}


def walk_ins(day: dt.date, first: int, count: int) -> dict:
    from django.db import OperationalError

    from clinic.core.models import Facility
    from clinic.patients.models import Patient
    from clinic.queues import services
    from clinic.queues.models import Poli

    facility = Facility.objects.get(bpjs_provider_code="0999K001")
    poli = Poli.objects.get(facility=facility, pcare_code="001")
    results = []
    for n in range(first, first + count):
        patient = Patient.objects.get(facility=facility, mrn=f"RM-{n:06d}")
        for _attempt in range(20):
            try:
                services.visit_register(
                    facility=facility,
                    patient=patient,
                    poli=poli,
                    visit_date=day,
                    payer="bpjs",
                    is_sick_visit=True,
                    tkp="10",
                    complaint="",
                    source="frontdesk",
                )
                results.append("ok")
                break
            except services.QuotaFull:
                results.append("full")
                break
            except OperationalError:
                continue
    return {"results": results}


if __name__ == "__main__":
    _setup()
    command, day_text, *numbers = sys.argv[1:]
    day = dt.date.fromisoformat(day_text)
    if command == "seed":
        print(json.dumps(seed(day, int(numbers[0]), int(numbers[1]))))
    else:
        print(json.dumps(walk_ins(day, int(numbers[0]), int(numbers[1]))))
