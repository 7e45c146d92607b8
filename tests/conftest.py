"""Personas named after the roles, and the facilities they belong to."""

from __future__ import annotations

import os

import pytest

from tests.factories import FacilityFactory, UserFactory

# Playwright's sync API keeps an event loop in the test thread; the ORM calls the tests make
# between page actions are still synchronous and safe.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
# Parallel test workers share one Redis: each keeps its cache keys under its own prefix.
os.environ.setdefault(
    "CACHE_KEY_PREFIX", f"klinik-test-{os.environ.get('PYTEST_XDIST_WORKER', 'main')}-{os.getpid()}"
)


@pytest.fixture(autouse=True)
def _fresh_cache():
    """Throttle counters and cached values never leak from one test into the next."""
    from django.core.cache import cache

    yield
    backend = cache._cache if hasattr(cache, "_cache") else None
    if backend is not None and hasattr(backend, "get_client"):
        client = backend.get_client(write=True)
        prefix = os.environ["CACHE_KEY_PREFIX"]
        for key in client.scan_iter(f"{prefix}:*"):
            client.delete(key)
    else:
        cache.clear()


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
