"""``POST /_sandbox/mobilejkn/run`` against a tiny fake clinic web service started here."""

from __future__ import annotations

import json
import re
import secrets
import threading
import time
from collections.abc import Iterator
from socketserver import ThreadingMixIn
from wsgiref.simple_server import WSGIRequestHandler, WSGIServer, make_server

import pytest

from tests.support.sandbox import free_port

STEPS = [
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
]


class _ThreadingServer(ThreadingMixIn, WSGIServer):
    daemon_threads = True


class _QuietHandler(WSGIRequestHandler):
    def log_message(self, format, *args):
        pass


class FakeClinic:
    """The clinic's Antrean FKTP web service, to the contract, in memory."""

    def __init__(self, *, token_seconds: float = 3600, accept_duplicates: bool = False) -> None:
        self.token_seconds = token_seconds
        self.accept_duplicates = accept_duplicates
        self.tokens: dict[str, float] = {}
        self.patients: set[str] = set()
        self.bookings: dict[tuple[str, str, str], dict] = {}
        self.seen: list[tuple[str, str]] = []

    def reply(self, start_response, code: int, message: str, response=None, status: str = "200 OK"):
        body = {"metadata": {"message": message, "code": code}}
        if response is not None:
            body = {"response": response, **body}
        start_response(status, [("Content-Type", "application/json")])
        return [json.dumps(body).encode()]

    def __call__(self, environ, start_response):
        method = environ["REQUEST_METHOD"]
        path = environ["PATH_INFO"].removeprefix("/ws/antreanfktp")
        self.seen.append((method, path))
        if path == "/auth":
            if (
                environ.get("HTTP_X_USERNAME") == "mobilejkn"
                and environ.get("HTTP_X_PASSWORD") == "Demo#2026"
            ):
                token = secrets.token_urlsafe(16)
                self.tokens[token] = time.time() + self.token_seconds
                return self.reply(start_response, 200, "Ok", {"token": token})
            return self.reply(start_response, 201, "Username atau Password Tidak Sesuai")
        token = environ.get("HTTP_X_TOKEN", "")
        if token not in self.tokens:
            return self.reply(start_response, 201, "Token tidak valid")
        if self.tokens[token] < time.time():
            return self.reply(start_response, 201, "Token expired")
        length = int(environ.get("CONTENT_LENGTH") or 0)
        body = json.loads(environ["wsgi.input"].read(length)) if length else {}
        if match := re.fullmatch(r"/antrean/status/(\d{3})/([\d-]{10})", path):
            live = [
                b for k, b in self.bookings.items() if k[1:] == match.groups() and not b["batal"]
            ]
            return self.reply(
                start_response,
                200,
                "Ok",
                {
                    "namapoli": "UMUM",
                    "totalantrean": len(live),
                    "sisaantrean": len(live),
                    "antreanpanggil": "",
                    "keterangan": "",
                },
            )
        if path == "/peserta" and method == "POST":
            self.patients.add(body["nomorkartu"])
            return self.reply(start_response, 200, "Ok")
        if path == "/antrean" and method == "POST":
            if body["nomorkartu"] not in self.patients:
                return self.reply(start_response, 202, "Pasien Baru")
            key = (body["nomorkartu"], body["kodepoli"], body["tanggalperiksa"])
            if (
                key in self.bookings
                and not self.bookings[key]["batal"]
                and not self.accept_duplicates
            ):
                return self.reply(start_response, 201, "Nomor Antrean Hanya Dapat Diambil 1 Kali")
            number = len(self.bookings) + 1
            self.bookings[key] = {"nomorantrean": f"A-{number}", "batal": False, "body": body}
            return self.reply(
                start_response,
                200,
                "Ok",
                {
                    "nomorantrean": f"A-{number}",
                    "angkaantrean": number,
                    "namapoli": "UMUM",
                    "sisaantrean": 1,
                    "antreanpanggil": "",
                    "keterangan": "",
                },
            )
        if match := re.fullmatch(r"/antrean/sisapeserta/(\d{13})/(\d{3})/([\d-]{10})", path):
            booking = self.bookings.get(match.groups())
            if booking is None or booking["batal"]:
                return self.reply(start_response, 201, "Antrean Tidak Ditemukan")
            return self.reply(
                start_response,
                200,
                "Ok",
                {
                    "nomorantrean": booking["nomorantrean"],
                    "namapoli": "UMUM",
                    "sisaantrean": 0,
                    "antreanpanggil": "",
                    "keterangan": "",
                },
            )
        if path == "/antrean/batal" and method == "PUT":
            booking = self.bookings.get(
                (body["nomorkartu"], body["kodepoli"], body["tanggalperiksa"])
            )
            if booking is None or booking["batal"]:
                return self.reply(start_response, 201, "Antrean Tidak Ditemukan")
            booking["batal"] = True
            return self.reply(start_response, 200, "Ok")
        return self.reply(start_response, 201, "Tidak ditemukan", status="404 Not Found")


@pytest.fixture
def clinic_ws() -> Iterator[tuple[FakeClinic, str]]:
    clinic = FakeClinic()
    port = free_port()
    server = make_server(
        "127.0.0.1", port, clinic, server_class=_ThreadingServer, handler_class=_QuietHandler
    )
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield clinic, f"http://127.0.0.1:{port}/ws/antreanfktp"
    finally:
        server.shutdown()
        server.server_close()


def _run(sandbox, base_url: str, **extra):
    body = {
        "base_url": base_url,
        "username": "mobilejkn",
        "password": "Demo#2026",
        "kodepoli": "001",
        **extra,
    }
    return sandbox.control("POST", "/mobilejkn/run", body)


def test_runner_passes_against_a_clinic_that_keeps_the_contract(sandbox, clinic_ws):
    clinic, base_url = clinic_ws
    result = _run(sandbox, base_url)
    assert [step["name"] for step in result["steps"]] == STEPS
    assert [step["ok"] for step in result["steps"]] == [True] * len(STEPS), result["steps"]
    assert result["passed"] is True
    assert set(result["steps"][0]) == {"name", "ok", "expected", "got", "ms"}
    # The booking went to the first open day after today, for a roster participant.
    [(card, poli, day)] = list(clinic.bookings)
    assert card == "0002000005000"
    assert poli == "001"
    booked = clinic.bookings[(card, poli, day)]["body"]
    assert booked["nik"] == "3273025206085000"
    assert booked["kodedokter"] == 131491
    assert booked["jampraktek"] == "08:00-14:00"


def test_runner_uses_a_new_patient_each_run(sandbox, clinic_ws):
    clinic, base_url = clinic_ws
    assert _run(sandbox, base_url)["passed"] is True
    assert _run(sandbox, base_url)["passed"] is True
    assert sorted({key[0] for key in clinic.bookings}) == ["0002000004999", "0002000005000"]


def test_runner_reports_the_step_a_clinic_gets_wrong(sandbox, clinic_ws):
    clinic, base_url = clinic_ws
    clinic.accept_duplicates = True
    result = _run(sandbox, base_url, roster_n=77)
    assert result["passed"] is False
    failed = [step["name"] for step in result["steps"] if not step["ok"]]
    # The fake re-books with a new number, so sisa no longer shows the number first booked.
    assert failed == ["duplicate_booking", "sisa"]
    step = next(s for s in result["steps"] if s["name"] == "duplicate_booking")
    assert step["expected"] == "code 201"
    assert step["got"].startswith("HTTP 200, code 200")


def test_runner_checks_token_expiry_when_asked(sandbox, clinic_ws):
    clinic, base_url = clinic_ws
    clinic.token_seconds = 1.0
    result = _run(
        sandbox, base_url, wait_for_expiry_seconds=1.2, roster_n=78, tanggalperiksa="2030-01-07"
    )
    assert result["steps"][-1]["name"] == "token_expired"
    assert result["steps"][-1]["ok"] is True
    assert next(iter(clinic.bookings))[2] == "2030-01-07"


def test_runner_reports_an_unreachable_clinic(sandbox):
    result = _run(sandbox, f"http://127.0.0.1:{free_port()}/ws/antreanfktp")
    assert result["passed"] is False
    assert all(step["ok"] is False for step in result["steps"])
    assert "ConnectionError" in result["steps"][0]["got"]


def test_runner_needs_a_base_url(sandbox):
    import requests

    response = requests.post(
        f"{sandbox.control_url}/mobilejkn/run", json={"username": "x"}, timeout=10
    )
    assert response.status_code == 400
