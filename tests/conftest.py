"""Personas named after the roles, and the facilities they belong to."""

from __future__ import annotations

import os

import pytest

from tests.factories import FacilityFactory, UserFactory

# Playwright's sync API keeps an event loop in the test thread; the ORM calls the tests make
# between page actions are still synchronous and safe.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

PASSWORD = "Rahasia#2026"


@pytest.fixture
def facility(db):
    return FacilityFactory(name="KLINIK PRATAMA SEHAT BERSAMA", bpjs_provider_code="0999K001")


@pytest.fixture
def other_facility(db):
    return FacilityFactory(name="KLINIK PRATAMA MITRA SEHAT", bpjs_provider_code="0999K002")


@pytest.fixture
def frontdesk(facility):
    return UserFactory(username="frontdesk", role="frontdesk", facility=facility)


@pytest.fixture
def perawat(facility):
    return UserFactory(username="perawat", role="nurse", facility=facility)


@pytest.fixture
def dokter(facility):
    return UserFactory(username="dokter", role="doctor", facility=facility)


@pytest.fixture
def admin(facility):
    return UserFactory(username="admin", role="clinic_admin", facility=facility)


@pytest.fixture
def dokter_other_facility(other_facility):
    return UserFactory(username="dokter_lain", role="doctor", facility=other_facility)


@pytest.fixture
def client_for(client):
    """``client_for(user)`` returns the test client logged in as that user."""

    def _login(user):
        client.force_login(user)
        return client

    return _login
