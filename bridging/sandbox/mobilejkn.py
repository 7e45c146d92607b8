"""Plays Mobile JKN (the BPJS backend) against a clinic's Antrean FKTP web service.

The flow of SANDBOX.md "The other direction" and PROTOCOL.md §5.1: token, wrong password,
tampered token, status, booking for an unknown patient (202), ``/peserta``, booking (200),
duplicate booking (201), sisa, cancel, cancel again (201), and optionally an expired token.

The patient is a roster participant the clinic is unlikely to know yet: run k (counted in the
sandbox's store) uses roster number ``5000 - ((k - 1) mod 2500)``; ``roster_n`` overrides it.
"""

from __future__ import annotations

import datetime as dt
import time
from collections.abc import Callable
from typing import Any

import requests

from bridging.sandbox import data

TIMEOUT = (5.0, 15.0)


class RunError(ValueError):
    pass


class _Step:
    def __init__(self, name: str, expected: str, ok: bool, got: str, ms: float) -> None:
        self.record = {"name": name, "ok": ok, "expected": expected, "got": got, "ms": ms}


def _describe(response: requests.Response) -> tuple[dict[str, Any] | None, str]:
    try:
        body = response.json()
    except ValueError:
        return None, f"HTTP {response.status_code}, bukan JSON: {response.text[:80]!r}"
    if not isinstance(body, dict):
        return None, f"HTTP {response.status_code}, JSON bukan objek"
    meta = body.get("metadata")
    if not isinstance(meta, dict):
        return body, f"HTTP {response.status_code}, tanpa 'metadata' (huruf kecil)"
    return (
        body,
        f"HTTP {response.status_code}, code {meta.get('code')}, message {meta.get('message')!r}",
    )


def _code(body: dict[str, Any] | None) -> Any:
    if not body or not isinstance(body.get("metadata"), dict):
        return None
    return body["metadata"].get("code")


def _is_int(value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


class MobileJknRun:
    def __init__(self, params: dict[str, Any], *, today: dt.date, run_number: int) -> None:
        base_url = params.get("base_url")
        if not isinstance(base_url, str) or not base_url.startswith(("http://", "https://")):
            raise RunError("base_url wajib diisi (http://… atau https://…)")
        self.base = base_url.rstrip("/")
        self.username = str(params.get("username") or "")
        self.password = str(params.get("password") or "")
        self.kodepoli = str(params.get("kodepoli") or "001")
        tanggal = params.get("tanggalperiksa")
        if tanggal:
            try:
                self.day = dt.date.fromisoformat(str(tanggal))
            except ValueError as exc:
                raise RunError("tanggalperiksa harus yyyy-mm-dd") from exc
        else:
            self.day = data.first_open_day_after(today)
        wait = params.get("wait_for_expiry_seconds")
        if wait is not None and (isinstance(wait, bool) or not isinstance(wait, int | float)):
            raise RunError("wait_for_expiry_seconds harus angka")
        self.wait = float(wait) if wait else 0.0
        roster_n = params.get("roster_n")
        if roster_n is None:
            roster_n = data.ROSTER_SIZE - ((run_number - 1) % 2500)
        if not isinstance(roster_n, int) or not 1 <= roster_n <= data.ROSTER_SIZE:
            raise RunError("roster_n harus 1..5000")
        self.patient = data.roster_participant(roster_n)
        self.session = requests.Session()
        self.steps: list[dict[str, Any]] = []
        self.token: str | None = None
        self.booked: str | None = None

    # ---- plumbing ------------------------------------------------------------------------
    def _headers(self, token: str | None) -> dict[str, str]:
        return {
            "x-token": token or "",
            "x-username": self.username,
            "x-password": self.password,
            "Content-Type": "application/json",
        }

    def _call(
        self, method: str, path: str, *, headers: dict[str, str], json: Any = None
    ) -> requests.Response:
        return self.session.request(
            method, f"{self.base}{path}", headers=headers, json=json, timeout=TIMEOUT
        )

    def _step(
        self,
        name: str,
        expected: str,
        action: Callable[[], requests.Response],
        check: Callable[[dict[str, Any] | None, requests.Response], bool],
    ) -> dict[str, Any] | None:
        started = time.monotonic()
        body: dict[str, Any] | None = None
        try:
            response = action()
            body, got = _describe(response)
            passed = check(body, response)
        except requests.RequestException as exc:
            got, passed = f"{type(exc).__name__}: {exc}", False
        except (KeyError, TypeError, ValueError) as exc:
            got, passed = f"jawaban tidak sesuai: {exc}", False
        ms = round((time.monotonic() - started) * 1000, 1)
        self.steps.append(_Step(name, expected, passed, got, ms).record)
        return body

    # ---- bodies --------------------------------------------------------------------------
    def _booking(self) -> dict[str, Any]:
        p = self.patient
        body: dict[str, Any] = {
            "nomorkartu": p.no_kartu,
            "nik": p.nik,
            "kodepoli": self.kodepoli,
            "tanggalperiksa": self.day.isoformat(),
            "keluhan": "Demam dan batuk sejak 2 hari (simulasi Mobile JKN)",
            "norm": "",
            "nohp": p.no_hp,
        }
        schedules = data.schedules_on(self.kodepoli, self.day)
        if schedules:
            body["kodedokter"] = int(schedules[0].kd_dokter)
            body["jampraktek"] = schedules[0].jampraktek
        return body

    def _pasien_baru(self) -> dict[str, Any]:
        p = self.patient
        n = p.roster_n or 0
        return {
            "nomorkartu": p.no_kartu,
            "nik": p.nik,
            "nomorkk": f"3273020101{n:06d}",
            "nama": p.nama,
            "jeniskelamin": p.sex,
            "tanggallahir": p.tgl_lahir.isoformat(),
            "nohp": p.no_hp,
            "alamat": p.alamat,
            "kodeprop": "32",
            "namaprop": "JAWA BARAT",
            "kodedati2": "0273",
            "namadati2": "KOTA BANDUNG",
            "kodekec": "3273010",
            "namakec": "SUKASARI",
            "kodekel": "3273010001",
            "namakel": "SARIJADI",
            "rw": "001",
            "rt": "002",
        }

    # ---- the flow ------------------------------------------------------------------------
    def run(self) -> dict[str, Any]:
        status_path = f"/antrean/status/{self.kodepoli}/{self.day.isoformat()}"
        auth_headers = {"x-username": self.username, "x-password": self.password}

        def token_ok(body: dict[str, Any] | None, response: requests.Response) -> bool:
            if response.status_code != 200 or _code(body) != 200 or body is None:
                return False
            token = body["response"]["token"]
            if isinstance(token, str) and token:
                self.token = token
                return True
            return False

        self._step(
            "token",
            "HTTP 200, code 200, response.token",
            lambda: self._call("GET", "/auth", headers=auth_headers),
            token_ok,
        )
        wrong = {"x-username": self.username, "x-password": self.password + "-salah"}
        self._step(
            "wrong_password",
            "code 201",
            lambda: self._call("GET", "/auth", headers=wrong),
            lambda body, _: _code(body) == 201,
        )
        tampered = _tamper(self.token or "token")
        self._step(
            "tampered_token",
            "code 201",
            lambda: self._call("GET", status_path, headers=self._headers(tampered)),
            lambda body, _: _code(body) == 201,
        )

        def status_ok(body: dict[str, Any] | None, response: requests.Response) -> bool:
            if response.status_code != 200 or _code(body) != 200 or body is None:
                return False
            result = body["response"]
            return (
                isinstance(result, dict)
                and _is_int(result["totalantrean"])
                and _is_int(result["sisaantrean"])
            )

        self._step(
            "status",
            "HTTP 200, code 200, totalantrean and sisaantrean integers",
            lambda: self._call("GET", status_path, headers=self._headers(self.token)),
            status_ok,
        )
        booking = self._booking()
        self._step(
            "booking_unknown_patient",
            "code 202 (pasien baru)",
            lambda: self._call("POST", "/antrean", headers=self._headers(self.token), json=booking),
            lambda body, _: _code(body) == 202,
        )
        self._step(
            "pasien_baru",
            "code 200",
            lambda: self._call(
                "POST", "/peserta", headers=self._headers(self.token), json=self._pasien_baru()
            ),
            lambda body, _: _code(body) == 200,
        )

        def booked(body: dict[str, Any] | None, response: requests.Response) -> bool:
            if response.status_code != 200 or _code(body) != 200 or body is None:
                return False
            result = body["response"]
            if isinstance(result["nomorantrean"], str) and _is_int(result["angkaantrean"]):
                self.booked = result["nomorantrean"]
                return True
            return False

        self._step(
            "booking",
            "HTTP 200, code 200, nomorantrean string, angkaantrean integer",
            lambda: self._call("POST", "/antrean", headers=self._headers(self.token), json=booking),
            booked,
        )
        self._step(
            "duplicate_booking",
            "code 201",
            lambda: self._call("POST", "/antrean", headers=self._headers(self.token), json=booking),
            lambda body, _: _code(body) == 201,
        )
        sisa_path = (
            f"/antrean/sisapeserta/{self.patient.no_kartu}/{self.kodepoli}/{self.day.isoformat()}"
        )

        def sisa_ok(body: dict[str, Any] | None, response: requests.Response) -> bool:
            if response.status_code != 200 or _code(body) != 200 or body is None:
                return False
            result = body["response"]
            return (
                self.booked is not None
                and result["nomorantrean"] == self.booked
                and _is_int(result["sisaantrean"])
            )

        self._step(
            "sisa",
            "HTTP 200, code 200, the booked nomorantrean",
            lambda: self._call("GET", sisa_path, headers=self._headers(self.token)),
            sisa_ok,
        )
        cancel = {
            "nomorkartu": self.patient.no_kartu,
            "kodepoli": self.kodepoli,
            "tanggalperiksa": self.day.isoformat(),
            "keterangan": "peserta batal hadir (simulasi Mobile JKN)",
        }
        self._step(
            "cancel",
            "code 200",
            lambda: self._call(
                "PUT", "/antrean/batal", headers=self._headers(self.token), json=cancel
            ),
            lambda body, _: _code(body) == 200,
        )
        self._step(
            "cancel_again",
            "code 201",
            lambda: self._call(
                "PUT", "/antrean/batal", headers=self._headers(self.token), json=cancel
            ),
            lambda body, _: _code(body) == 201,
        )
        if self.wait > 0:
            time.sleep(self.wait)
            first_token = self.token

            def expired(body: dict[str, Any] | None, response: requests.Response) -> bool:
                if _code(body) != 201 or body is None:
                    return False
                return "expired" in str(body["metadata"].get("message", "")).lower()

            self._step(
                "token_expired",
                'code 201, message "Token expired"',
                lambda: self._call("GET", status_path, headers=self._headers(first_token)),
                expired,
            )
        self.session.close()
        return {"passed": all(step["ok"] for step in self.steps), "steps": self.steps}


def _tamper(token: str) -> str:
    """Change one character in the middle (never the last: its low bits may be padding)."""
    index = len(token) // 2
    if token[index] == ".":
        index -= 1
    replacement = "x" if token[index] != "x" else "y"
    return token[:index] + replacement + token[index + 1 :]
