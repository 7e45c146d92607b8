"""Personas named after the roles, and the facilities they belong to."""

from __future__ import annotations

import os

import pytest

from tests.factories import FacilityFactory, UserFactory
from tests.support.browser import browser, page  # noqa: F401 - one Chromium for every test

# Playwright's sync API keeps an event loop in the test thread; the ORM calls the tests make
# between page actions are still synchronous and safe.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
# Parallel test workers share one Redis: each keeps its cache keys under its own prefix. Set,
# not defaulted: xdist workers inherit the controller's environment, prefix included. The
# servers a test starts inherit the worker's.
os.environ["CACHE_KEY_PREFIX"] = (
    f"klinik-test-{os.environ.get('PYTEST_XDIST_WORKER', 'main')}-{os.getpid()}"
)


def _use_the_test_key_prefix() -> None:
    """pytest-django reads the settings before this file is imported, so the settings took the
    default prefix: give this process's cache the test prefix (no cache is open yet). Servers
    the tests start read it from the environment."""
    from django.conf import settings

    for alias in settings.CACHES.values():
        if "KEY_PREFIX" in alias:
            alias["KEY_PREFIX"] = os.environ["CACHE_KEY_PREFIX"]


_use_the_test_key_prefix()


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


def _ensure_reference_data() -> None:
    """Reference tables that migrations fill (ICD-10, capitation rules). A transactional test
    (live_server, browser, threads) empties every table when it ends, so later tests on the
    same worker would find them empty: put them back when they are missing."""
    import importlib

    from clinic.capitation.models import CapitationTariff
    from clinic.records.icd10 import icd10_load
    from clinic.records.models import Icd10Code

    if not Icd10Code.objects.exists():
        icd10_load(Icd10Code)
    if not CapitationTariff.objects.exists():
        from django.apps import apps

        seed_rules = importlib.import_module("clinic.capitation.migrations.0002_seed_rules")
        seed_rules.seed(apps, None)


@pytest.fixture(autouse=True)
def _reference_data(request, _django_db_marker):
    """Runs after pytest-django has opened the test's database access (marker or fixture)."""
    uses_db = request.node.get_closest_marker("django_db") is not None
    if not uses_db and {"db", "transactional_db"} & set(request.fixturenames):
        request.getfixturevalue(
            "transactional_db" if "transactional_db" in request.fixturenames else "db"
        )
        uses_db = True
    if uses_db:
        # With SQLite in memory a live server thread of an earlier test may still hold a table
        # lock for a moment ("database table is locked"): wait for it rather than fail.
        import time

        from django.db import OperationalError

        for attempt in range(50):
            try:
                _ensure_reference_data()
                break
            except OperationalError as exc:
                if "locked" not in str(exc) or attempt == 49:
                    raise
                time.sleep(0.1)


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
