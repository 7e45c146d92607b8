"""Over real HTTP: the sandbox's Mobile JKN role plays the whole flow against the clinic, and
concurrent bookings (with the front desk registering walk-ins at the same time) get distinct,
gap-free numbers and never pass the quota."""

from __future__ import annotations

import json
import os
import sqlite3
import subprocess
import sys
import threading
from concurrent.futures import ThreadPoolExecutor

import pytest
import requests
from django.db import connection, connections

from bridging.antrean_ws import tokens
from bridging.antrean_ws.models import AntreanWsAccount
from clinic.core.processes import BASE_DIR, ProcessGroup, free_port, wait_for_port, web_command
from clinic.patients.models import Patient
from clinic.queues import services
from clinic.queues.models import DoctorSchedule, QueueTicket, TicketSource
from tests.antrean_ws.conftest import USERNAME, make_patient, register_walk_in
from tests.support.sandbox import SandboxServer

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.slow]


@pytest.fixture(scope="module")
def sandbox_server():
    with SandboxServer() as server:
        yield server


def _run(sandbox: SandboxServer, base_url: str, **extra) -> dict:
    response = requests.post(
        f"{sandbox.control_url}/mobilejkn/run",
        json={
            "base_url": base_url,
            "username": USERNAME,
            "password": "Demo#2026",
            "kodepoli": "001",
            **extra,
        },
        timeout=120,
    )
    assert response.status_code == 200, response.text
    return response.json()


def test_sandbox_mobile_jkn_role_passes_the_whole_flow(
    live_server, sandbox_server, clinic_setup, facility
):
    from bridging.antrean_ws.demo import seed_demo_antrean_ws

    seed_demo_antrean_ws(facility)
    AntreanWsAccount.objects.update(token_lifetime_seconds=4)
    result = _run(sandbox_server, f"{live_server.url}/ws/antreanfktp", wait_for_expiry_seconds=6)
    failed = [step for step in result["steps"] if not step["ok"]]
    assert failed == []
    assert [step["name"] for step in result["steps"]] == [
        "token",
        "wrong_password",
        "tampered_token",
        "status",
        "booking_unknown_patient",
        "pasien_baru",
        "booking",
        "duplicate_booking",
        "sisa",
        "cancel",
        "cancel_again",
        "token_expired",
    ]
    assert result["passed"] is True
    patient = Patient.objects.get()
    ticket = QueueTicket.objects.get()
    assert (ticket.visit.patient, ticket.source, ticket.status) == (
        patient,
        TicketSource.MOBILE_JKN,
        "cancelled",
    )


def _concurrent_bookings(
    live_server, clinic_setup, facility, day, *, bookings, walk_ins, quota, batch
):
    DoctorSchedule.objects.filter(poli=clinic_setup["001"]).update(daily_quota=quota)
    account = AntreanWsAccount(
        facility=facility, username=USERNAME, rate_per_second=100000, rate_burst=100000
    )
    account.set_password("Demo#2026")
    account.save()
    token = tokens.issue(account)
    patients = [
        make_patient(facility, f"0002{n:09d}", f"3273020101{n:06d}", mrn=f"RM-{n:06d}")
        for n in range(1, bookings + walk_ins + 1)
    ]
    online, desk = patients[:bookings], patients[bookings:]
    url = f"{live_server.url}/ws/antreanfktp/antrean"
    headers = {"x-username": USERNAME, "x-token": token}

    def book(p: Patient) -> tuple[int, dict]:
        with requests.Session() as session:
            response = session.post(
                url,
                json={
                    "nomorkartu": p.bpjs_card_number,
                    "nik": p.nik,
                    "kodepoli": "001",
                    "tanggalperiksa": day.isoformat(),
                    "keluhan": "demam",
                },
                headers=headers,
                timeout=120,
            )
        return response.status_code, response.json()

    desk_results: list[str] = []

    def front_desk() -> None:
        try:
            for p in desk:
                try:
                    register_walk_in(facility, p, clinic_setup["001"], day)
                    desk_results.append("ok")
                except services.QuotaFull:
                    desk_results.append("full")
        finally:
            connections.close_all()

    desk_thread = threading.Thread(target=front_desk)
    desk_thread.start()
    results: list[tuple[int, dict]] = []
    with ThreadPoolExecutor(max_workers=batch) as pool:
        for start in range(0, len(online), batch):
            results.extend(pool.map(book, online[start : start + batch]))
    desk_thread.join()

    assert {status for status, _ in results} == {200}
    codes = [body["metadata"]["code"] for _, body in results]
    assert set(codes) <= {200, 201}
    refusals = {
        body["metadata"]["message"] for _, body in results if body["metadata"]["code"] != 200
    }
    assert all("Kuota" in message for message in refusals), refusals
    tickets = QueueTicket.objects.filter(poli=clinic_setup["001"], date=day)
    numbers = sorted(tickets.values_list("number", flat=True))
    assert numbers == list(range(1, len(numbers) + 1))  # distinct, no gaps
    assert len(numbers) == min(quota, bookings + walk_ins)
    booked = [
        body["response"]["angkaantrean"] for _, body in results if body["metadata"]["code"] == 200
    ]
    assert len(booked) == len(set(booked))
    assert tickets.filter(source="mobilejkn").count() == len(booked)
    assert tickets.filter(source="frontdesk").count() == desk_results.count("ok")
    return len(booked), desk_results


def test_concurrent_bookings_on_sqlite_get_distinct_gap_free_numbers(tmp_path, day):
    """A gunicorn clinic (threads) on its own SQLite file, as ``make run`` serves it."""
    env = dict(os.environ)
    env.update(
        DATABASE_URL=f"sqlite:///{tmp_path / 'clinic.sqlite3'}",
        CLINIC_VAR_DIR=str(tmp_path / "var"),
        DJANGO_SETTINGS_MODULE="clinic.settings",
    )
    env.pop("REDIS_URL", None)

    def run(*args: str) -> dict:
        done = subprocess.run(
            [sys.executable, *args],
            cwd=BASE_DIR,
            env=env,
            capture_output=True,
            text=True,
            check=True,
        )
        return json.loads(done.stdout.strip().splitlines()[-1]) if args[0] == "-m" else {}

    run("manage.py", "migrate", "--noinput", "-v", "0")
    bookings, walk_ins, quota = 60, 15, 65
    token = run(
        "-m",
        "tests.antrean_ws.live_support",
        "seed",
        day.isoformat(),
        str(bookings + walk_ins),
        str(quota),
    )["token"]
    port = free_port()
    group = ProcessGroup(env=env)
    group.start(
        "web", web_command("127.0.0.1", port, workers=2, threads=8), stdout=subprocess.DEVNULL
    )
    try:
        assert wait_for_port("127.0.0.1", port, timeout=30)
        desk = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "tests.antrean_ws.live_support",
                "walk-ins",
                day.isoformat(),
                str(bookings + 1),
                str(walk_ins),
            ],
            cwd=BASE_DIR,
            env=env,
            stdout=subprocess.PIPE,
            text=True,
        )
        url = f"http://127.0.0.1:{port}/ws/antreanfktp/antrean"
        headers = {"x-username": USERNAME, "x-token": token}

        def book(n: int) -> tuple[int, dict]:
            response = requests.post(
                url,
                json={
                    "nomorkartu": f"0002{n:09d}",
                    "nik": f"3273020101{n:06d}",
                    "kodepoli": "001",
                    "tanggalperiksa": day.isoformat(),
                },
                headers=headers,
                timeout=120,
            )
            return response.status_code, response.json()

        with ThreadPoolExecutor(max_workers=10) as pool:
            results = list(pool.map(book, range(1, bookings + 1)))
        out, _ = desk.communicate(timeout=120)
        desk_results = json.loads(out.strip().splitlines()[-1])["results"]
    finally:
        group.stop()
    assert {status for status, _ in results} == {200}
    refusals = {b["metadata"]["message"] for _, b in results if b["metadata"]["code"] != 200}
    assert all("Kuota" in message for message in refusals), refusals
    with sqlite3.connect(tmp_path / "clinic.sqlite3") as db:
        rows = db.execute("select number, source from queues_queueticket").fetchall()
    numbers = sorted(number for number, _ in rows)
    assert numbers == list(range(1, quota + 1))
    booked = [b["response"]["angkaantrean"] for _, b in results if b["metadata"]["code"] == 200]
    assert len(booked) == len(set(booked)) == sum(1 for _, s in rows if s == "mobilejkn")
    assert desk_results.count("ok") == sum(1 for _, s in rows if s == "frontdesk")
    assert len(booked) + desk_results.count("ok") == quota


@pytest.mark.postgres
def test_300_concurrent_bookings_on_postgresql_with_front_desk_walk_ins(
    live_server, clinic_setup, facility, day
):
    if connection.vendor != "postgresql":
        pytest.skip("needs PostgreSQL (DATABASE_URL)")
    booked, desk = _concurrent_bookings(
        live_server, clinic_setup, facility, day, bookings=300, walk_ins=40, quota=250, batch=50
    )
    assert booked + desk.count("ok") == 250
    assert booked >= 200
