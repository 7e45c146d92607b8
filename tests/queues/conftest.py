from __future__ import annotations

from datetime import date

import pytest
from django.utils import timezone

from tests.queues.factories import Clinic, PatientFactory, make_clinic


@pytest.fixture
def clinic(facility) -> Clinic:
    return make_clinic(facility)


@pytest.fixture
def other_clinic(other_facility) -> Clinic:
    return make_clinic(other_facility)


@pytest.fixture
def today() -> date:
    return timezone.localdate()


@pytest.fixture
def pasien(facility):
    """An active JKN participant of the roster, registered at the demo clinic."""
    return PatientFactory(facility=facility, bpjs_card_number="0002000000001")


@pytest.fixture
def pasien_umum(facility):
    return PatientFactory(facility=facility, bpjs_card_number=None, nik=None)
