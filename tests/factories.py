from __future__ import annotations

import factory

from clinic.core.models import Facility, User
from clinic.queues.models import Doctor, DoctorSchedule, Poli

PASSWORD = "Rahasia#2026"


class FacilityFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Facility
        django_get_or_create = ("bpjs_provider_code",)

    name = factory.Sequence(lambda n: f"KLINIK {n}")
    bpjs_provider_code = factory.Sequence(lambda n: f"0999K{n + 100:03d}")


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        django_get_or_create = ("username",)
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    role = "frontdesk"
    facility = factory.SubFactory(FacilityFactory)
    password = factory.PostGenerationMethodCall("set_password", PASSWORD)

    @factory.post_generation
    def _save(obj, create, extracted, **kwargs):
        if create:
            obj.save()


class PoliFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Poli

    facility = factory.SubFactory(FacilityFactory)
    name = "Umum"
    pcare_code = "001"
    queue_prefix = "A"


class DoctorFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Doctor

    facility = factory.SubFactory(FacilityFactory)
    name = "dr. ANDI PRATAMA"
    pcare_code = "131491"


class DoctorScheduleFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = DoctorSchedule
