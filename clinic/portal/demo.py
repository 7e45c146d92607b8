"""The demo clinic, as SANDBOX.md fixes it. Idempotent: running it twice adds nothing."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import time

from django.conf import settings
from django.db import transaction

from bridging.antrean_ws.demo import seed_demo_antrean_ws
from bridging.credentials.demo import seed_demo_credentials
from clinic.core.models import Facility, Role, User
from clinic.queues.models import Doctor, DoctorSchedule, Poli

DEMO_PASSWORD = "Demo#2026"
DEMO_PROVIDER_CODE = "0999K001"
DEMO_FACILITY_NAME = "KLINIK PRATAMA SEHAT BERSAMA"


@dataclass(frozen=True)
class DemoPoli:
    name: str
    code: str
    prefix: str
    sick: bool
    doctor_code: str
    start: time
    end: time
    quota: int


DEMO_DOCTORS = {"131491": "dr. ANDI PRATAMA", "131492": "drg. SARI WULANDARI"}
DEMO_POLIS = (
    DemoPoli("Umum", "001", "A", True, "131491", time(8), time(14), 50),
    DemoPoli("Gigi", "002", "B", True, "131492", time(9), time(15), 20),
    DemoPoli("KIA", "003", "C", False, "131491", time(14), time(16), 10),
)
DEMO_USERS = (
    ("frontdesk", Role.FRONTDESK, "Petugas", "Pendaftaran"),
    ("perawat", Role.NURSE, "Perawat", "Jaga"),
    ("dokter", Role.DOCTOR, "Andi", "Pratama"),
    ("admin", Role.CLINIC_ADMIN, "Admin", "Klinik"),
)
OPEN_WEEKDAYS = range(0, 6)  # Monday to Saturday; closed on Sundays


class DemoRefused(Exception):
    pass


@transaction.atomic
def seed_demo() -> dict[str, int]:
    """Create or refresh the demo clinic. Returns how many rows were created per kind."""
    if settings.PRODUCTION:
        raise DemoRefused("The demo seed never runs on a production install.")
    created = {"facility": 0, "poli": 0, "doctor": 0, "schedule": 0, "user": 0, "credential": 0}
    facility, made = Facility.objects.get_or_create(
        bpjs_provider_code=DEMO_PROVIDER_CODE,
        defaults={
            "name": DEMO_FACILITY_NAME,
            "address": "Jl. Sehat No. 1, Bandung",
            "phone": "022-0000000",
        },
    )
    created["facility"] += made
    doctors: dict[str, Doctor] = {}
    for code, name in DEMO_DOCTORS.items():
        doctors[code], made = Doctor.objects.get_or_create(
            facility=facility, pcare_code=code, defaults={"name": name}
        )
        created["doctor"] += made
    for spec in DEMO_POLIS:
        poli, made = Poli.objects.get_or_create(
            facility=facility,
            pcare_code=spec.code,
            defaults={"name": spec.name, "queue_prefix": spec.prefix, "is_sick_visit": spec.sick},
        )
        created["poli"] += made
        for weekday in OPEN_WEEKDAYS:
            _s, made = DoctorSchedule.objects.get_or_create(
                facility=facility,
                poli=poli,
                doctor=doctors[spec.doctor_code],
                weekday=weekday,
                start_time=spec.start,
                defaults={"end_time": spec.end, "daily_quota": spec.quota},
            )
            created["schedule"] += made
    for username, role, first, last in DEMO_USERS:
        user, made = User.objects.get_or_create(
            username=username,
            defaults={
                "role": role,
                "facility": facility,
                "first_name": first,
                "last_name": last,
                "is_demo": True,
            },
        )
        if made:
            user.set_password(DEMO_PASSWORD)
            user.save(update_fields=["password"])
        created["user"] += made
    # Sandbox BPJS credentials (SANDBOX.md demo consumer); an admin's edits are kept.
    created["credential"] += seed_demo_credentials(facility)
    created["antrean_ws"] = int(seed_demo_antrean_ws(facility))
    dokter = User.objects.get(username="dokter")
    Doctor.objects.filter(facility=facility, pcare_code="131491", user__isnull=True).update(
        user=dokter
    )
    return created
