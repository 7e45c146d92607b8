from __future__ import annotations

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.test import override_settings

from clinic.core.models import Facility, User
from clinic.queues.models import DoctorSchedule, Poli

pytestmark = pytest.mark.django_db


def test_demo_seed_creates_the_demo_clinic_once():
    call_command("seed_demo")
    call_command("seed_demo")
    facility = Facility.objects.get()
    assert (facility.name, facility.bpjs_provider_code) == (
        "KLINIK PRATAMA SEHAT BERSAMA",
        "0999K001",
    )
    assert sorted(Poli.objects.values_list("pcare_code", "queue_prefix", "name")) == [
        ("001", "A", "Umum"),
        ("002", "B", "Gigi"),
        ("003", "C", "KIA"),
    ]
    assert DoctorSchedule.objects.count() == 18  # 3 polis x Monday..Saturday
    assert not DoctorSchedule.objects.filter(weekday=6).exists()
    umum = DoctorSchedule.objects.filter(poli__pcare_code="001").first()
    assert (umum.hours, umum.daily_quota, umum.doctor.pcare_code) == ("08:00-14:00", 50, "131491")
    users = {u.username: u for u in User.objects.all()}
    assert set(users) == {"frontdesk", "perawat", "dokter", "admin"}
    assert all(u.check_password("Demo#2026") and u.is_demo for u in users.values())
    assert users["admin"].role == "clinic_admin"


@override_settings(PRODUCTION=True)
def test_demo_seed_is_refused_on_production():
    with pytest.raises(CommandError, match="production"):
        call_command("seed_demo")
    assert not User.objects.exists()
