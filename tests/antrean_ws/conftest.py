"""The demo clinic's polis and schedules (SANDBOX.md), the web service account, and a small
client that speaks to ``/ws/antreanfktp/`` the way BPJS does."""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

import pytest

from bridging.antrean_ws import clock, tokens
from bridging.antrean_ws.models import AntreanWsAccount
from clinic.patients.models import Patient
from tests.factories import DoctorFactory, DoctorScheduleFactory, PoliFactory

BASE = "/ws/antreanfktp"
USERNAME = "mobilejkn"
PASSWORD = "Demo#2026"
CARD = "0001000000001"
NIK = "3273010507850001"
OPEN_WEEKDAYS = range(0, 6)


def open_day_after(day: dt.date, n: int = 1) -> dt.date:
    """The n-th day after ``day`` that is not a Sunday."""
    found = 0
    while True:
        day += dt.timedelta(days=1)
        if day.weekday() != 6:
            found += 1
            if found == n:
                return day


@pytest.fixture(autouse=True)
def _fast_hashing(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    # Write each call's log row at once (production batches them every second).
    settings.ANTREAN_WS_LOG_FLUSH_SECONDS = 0


@pytest.fixture
def clinic_setup(facility):
    """Poli Umum (A, 08-14, 50), Gigi (B, 09-15, 20), KIA (C, 14-16, 10), Monday-Saturday."""
    andi = DoctorFactory(facility=facility, name="dr. ANDI PRATAMA", pcare_code="131491")
    sari = DoctorFactory(facility=facility, name="drg. SARI WULANDARI", pcare_code="131492")
    polis = {}
    for name, code, prefix, sick, doctor, start, end, quota in (
        ("Umum", "001", "A", True, andi, 8, 14, 50),
        ("Gigi", "002", "B", True, sari, 9, 15, 20),
        ("KIA", "003", "C", False, andi, 14, 16, 10),
    ):
        poli = PoliFactory(
            facility=facility, name=name, pcare_code=code, queue_prefix=prefix, is_sick_visit=sick
        )
        polis[code] = poli
        for weekday in OPEN_WEEKDAYS:
            DoctorScheduleFactory(
                facility=facility,
                poli=poli,
                doctor=doctor,
                weekday=weekday,
                start_time=dt.time(start),
                end_time=dt.time(end),
                daily_quota=quota,
            )
    return polis


@pytest.fixture
def account(facility):
    account = AntreanWsAccount(facility=facility, username=USERNAME)
    account.set_password(PASSWORD)
    account.save()
    return account


@pytest.fixture
def token(account):
    return tokens.issue(account)


@pytest.fixture
def today():
    return clock.today()


@pytest.fixture
def day(today):
    """The first open day after today (WIB): bookable whatever the time of day."""
    return open_day_after(today)


@pytest.fixture
def at_time(monkeypatch):
    """``at_time(hour, minute)``: the web service's clock reads today (WIB) at that time."""

    def _set(hour: int, minute: int = 0) -> dt.datetime:
        moment = dt.datetime.combine(clock.today(), dt.time(hour, minute), tzinfo=clock.WIB)
        monkeypatch.setattr(clock, "now", lambda: moment)
        return moment

    return _set


@pytest.fixture
def patient(facility):
    return make_patient(facility, CARD, NIK, mrn="RM-000001", name="BUDI SANTOSO")


def make_patient(facility, card: str, nik: str, *, mrn: str, name: str = "PASIEN") -> Patient:
    return Patient.objects.create(
        facility=facility,
        mrn=mrn,
        nik=nik,
        bpjs_card_number=card,
        name=name,
        birth_date=dt.date(1985, 7, 5),
        sex="L",
    )


def register_walk_in(facility, patient: Patient, poli, day: dt.date):
    """A JKN walk-in registered at the front desk (the same number sequence as Mobile JKN)."""
    from clinic.queues import services

    return services.visit_register(
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


class Ws:
    """The web service as BPJS calls it, through Django's test client."""

    def __init__(self, client, token: str | None = None) -> None:
        self.client = client
        self.token = token

    def headers(self, token: str | None = None, **extra: str) -> dict[str, str]:
        headers = {"x-username": USERNAME}
        if token is not None or self.token is not None:
            headers["x-token"] = token if token is not None else self.token  # type: ignore[assignment]
        headers.update(extra)
        return headers

    def call(
        self,
        method: str,
        path: str,
        body: Any = None,
        *,
        raw: bytes | str | None = None,
        headers: dict[str, str] | None = None,
    ):
        data = raw if raw is not None else (json.dumps(body) if body is not None else None)
        response = self.client.generic(
            method,
            f"{BASE}{path}",
            data=data or "",
            content_type="application/json",
            headers=headers if headers is not None else self.headers(),
        )
        assert response["Content-Type"] == "application/json", response.content[:200]
        return response, json.loads(response.content)

    def get(self, path: str, **kw):
        return self.call("GET", path, **kw)

    def post(self, path: str, body: Any = None, **kw):
        return self.call("POST", path, body, **kw)

    def put(self, path: str, body: Any = None, **kw):
        return self.call("PUT", path, body, **kw)


@pytest.fixture
def ws(client, token):
    return Ws(client, token)


def booking(day: dt.date, *, card: str = CARD, nik: str = NIK, poli: str = "001", **extra) -> dict:
    body = {
        "nomorkartu": card,
        "nik": nik,
        "kodepoli": poli,
        "tanggalperiksa": day.isoformat(),
        "keluhan": "demam",
    }
    body.update(extra)
    return body


def meta(body: dict) -> tuple[int, str]:
    return body["metadata"]["code"], body["metadata"]["message"]
