"""The clinic's own Antrean FKTP web service, called as BPJS (Mobile JKN) calls it
(PROTOCOL.md §5.1, SANDBOX.md "The other direction"): tokens, status, booking with every
refusal rule, 202 and pasien baru, sisa, cancel, and cancel after service.

Bookings use the first open day after today (WIB) and roster participants the clinic does not
know yet, so a run never depends on the time of day or on earlier runs. Settings a step changes
on the clinic's side (token lifetime, booking window, quota) are put back before it ends.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from datetime import timedelta
from typing import Any

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from bridging.uat import clinic_side, roster
from bridging.uat.context import UatContext, next_sunday_after
from bridging.uat.scenarios.base import StepFailed, check, step

G = "clinic_ws"


def _token(ctx: UatContext) -> str:
    token = ctx.state.get("ws_token_fresh")
    if not token:
        token = ctx.ws_token()
        ctx.state["ws_token_fresh"] = token
    return str(token)


def _expect_refusal(answer: Any, contains: str = "", *, http_status: int = 200) -> str:
    check(
        answer.code == 201,
        f"Diharapkan kode 201, didapat {answer.describe()}.",
    )
    check(
        answer.status == http_status,
        f"Diharapkan HTTP {http_status}, didapat {answer.describe()}.",
    )
    if contains:
        check(
            contains.lower() in answer.message.lower(),
            f"Pesan tidak memuat “{contains}”: {answer.describe()}.",
        )
    return f"Ditolak seperti diharapkan: {answer.message}"


def _patient(ctx: UatContext, key: str) -> roster.RosterParticipant:
    if "ws_patients" not in ctx.state:
        numbers = clinic_side.fresh_roster_numbers(
            ctx.facility_id, 2, start=int(ctx.state["ws_roster_start"])
        )
        ctx.state["ws_patients"] = {"first": numbers[0], "second": numbers[1]}
    return roster.participant(int(ctx.state["ws_patients"][key]))


def _booking(ctx: UatContext, person: roster.RosterParticipant, **changes: Any) -> dict[str, Any]:
    body: dict[str, Any] = {
        "nomorkartu": person.card_number,
        "nik": person.nik,
        "kodepoli": ctx.options.poli_code,
        "tanggalperiksa": ctx.open_day.isoformat(),
        "keluhan": "UAT: demam",
        "nohp": person.phone,
        "norm": "",
    }
    schedule = ctx.state.get("ws_schedule")
    if schedule:
        body["kodedokter"] = schedule["kodedokter"]
        body["jampraktek"] = schedule["jampraktek"]
    body.update(changes)
    return body


def _new_patient_body(person: roster.RosterParticipant) -> dict[str, Any]:
    return {
        "nomorkartu": person.card_number,
        "nik": person.nik,
        "nomorkk": f"3273020101{person.n:06d}",
        "nama": person.name,
        "jeniskelamin": person.sex,
        "tanggallahir": person.birth_date.isoformat(),
        "nohp": person.phone,
        "alamat": person.address,
        "kodeprop": "32",
        "namaprop": "JAWA BARAT",
        "kodedati2": "3273",
        "namadati2": "KOTA BANDUNG",
        "kodekec": "327301",
        "namakec": "SUKASARI",
        "kodekel": "3273011001",
        "namakel": "SARIJADI",
        "rw": "001",
        "rt": "002",
    }


def _book(ctx: UatContext, body: Any) -> Any:
    return ctx.ws("POST", "antrean", token=_token(ctx), body=body)


# ---- tokens -----------------------------------------------------------------------------------
@step(
    G,
    "token_valid",
    title=_("Token with the right credentials"),
    expect=_("GET /auth with x-username and x-password gives a token (code 200)."),
)
def token_valid(ctx: UatContext) -> str:
    answer = ctx.ws_login()
    check(answer.code == 200 and answer.status == 200, f"Didapat {answer.describe()}.")
    token = answer.response.get("token") if isinstance(answer.response, dict) else None
    check(token, "Jawaban tidak memuat token.")
    ctx.recorder.add_secrets(str(token))
    ctx.state["ws_token_fresh"] = str(token)
    return "Token diterima."


@step(
    G,
    "token_wrong_password",
    title=_("Token with a wrong password"),
    expect=_("A wrong x-password gets code 201 and no token."),
)
def token_wrong_password(ctx: UatContext) -> str:
    answer = ctx.ws_login(password=ctx.options.ws_password + "-salah")
    check(
        not (isinstance(answer.response, dict) and answer.response.get("token")), "Token diberikan."
    )
    return _expect_refusal(answer)


@step(
    G,
    "token_invalid",
    title=_("Tampered token"),
    expect=_("A token with one character changed is refused: code 201 “Token tidak valid”."),
)
def token_invalid(ctx: UatContext) -> str:
    token = _token(ctx)
    middle = len(token) // 2
    tampered = token[:middle] + ("A" if token[middle] != "A" else "B") + token[middle + 1 :]
    answer = ctx.ws("GET", f"antrean/status/{ctx.options.poli_code}/{ctx.open_day}", token=tampered)
    return _expect_refusal(answer, "Token tidak valid")


@step(
    G,
    "token_expired",
    title=_("Expired token"),
    expect=_(
        "With the token lifetime set to 1 second, a token used after it is refused: code "
        "201 “Token expired”. The lifetime is put back afterwards."
    ),
    writes=True,
)
def token_expired(ctx: UatContext) -> str:
    path = f"antrean/status/{ctx.options.poli_code}/{ctx.open_day}"
    # The web server may hold the account in its cache a few seconds: try until the new
    # lifetime shows, then wait until the old one is back before the next step.
    patience = clinic_side.ws_cache_seconds() + 2
    with clinic_side.account_settings(ctx.facility_id, token_lifetime_seconds=1) as before:
        deadline = time.monotonic() + patience + ctx.options.token_wait_seconds
        while True:
            token = ctx.ws_token()
            time.sleep(ctx.options.token_wait_seconds)
            answer = ctx.ws("GET", path, token=token)
            if answer.code == 201 or time.monotonic() > deadline:
                break
    result = _expect_refusal(answer, "Token expired")
    _wait_until_tokens_last(ctx, path, patience)
    return f"{result} (masa berlaku token dikembalikan ke {before['token_lifetime_seconds']} detik)"


def _wait_until_tokens_last(ctx: UatContext, path: str, patience: float) -> None:
    """After the lifetime is put back: until a fresh token works again (bounded)."""
    deadline = time.monotonic() + patience
    token = ctx.ws_token()
    while time.monotonic() < deadline:
        time.sleep(1)
        if ctx.ws("GET", path, token=token).code != 201:
            break
    ctx.state["ws_token_fresh"] = ctx.ws_token()


# ---- status ---------------------------------------------------------------------------------
@step(
    G,
    "status",
    title=_("Queue status of a poli"),
    expect=_("GET /antrean/status gives the poli's counts as integers (code 200)."),
)
def status(ctx: UatContext) -> str:
    answer = ctx.ws(
        "GET", f"antrean/status/{ctx.options.poli_code}/{ctx.open_day}", token=_token(ctx)
    )
    check(answer.code == 200, f"Didapat {answer.describe()}.")
    body = answer.response if isinstance(answer.response, dict) else {}
    for key in ("totalantrean", "sisaantrean"):
        check(isinstance(body.get(key), int), f"{key} bukan bilangan bulat.")
    check(isinstance(body.get("namapoli"), str), "namapoli tidak ada.")
    return f"{body.get('namapoli')}: total {body['totalantrean']}, sisa {body['sisaantrean']}."


@step(
    G,
    "status_v2",
    title=_("Queue status per doctor (v2)"),
    expect=_("GET /v2/antrean/status lists each doctor's session with code and hours."),
)
def status_v2(ctx: UatContext) -> str:
    answer = ctx.ws(
        "GET", f"v2/antrean/status/{ctx.options.poli_code}/{ctx.open_day}", token=_token(ctx)
    )
    check(answer.code == 200, f"Didapat {answer.describe()}.")
    sessions = answer.response if isinstance(answer.response, list) else []
    check(sessions, "Daftar sesi dokter kosong.")
    first = sessions[0]
    check(first.get("kodedokter") and first.get("jampraktek"), "Sesi tanpa kodedokter/jam.")
    ctx.state["ws_schedule"] = {
        "kodedokter": first["kodedokter"],
        "jampraktek": first["jampraktek"],
    }
    return f"{len(sessions)} sesi dokter; pertama {first['jampraktek']}."


# ---- 202, pasien baru, booking, sisa, batal --------------------------------------------------
@step(
    G,
    "booking_new_patient",
    title=_("Booking for a patient the clinic does not know"),
    expect=_("The clinic answers code 202 (pasien baru)."),
    writes=True,
)
def booking_new_patient(ctx: UatContext) -> str:
    answer = _book(ctx, _booking(ctx, _patient(ctx, "first")))
    check(answer.code == 202, f"Diharapkan kode 202, didapat {answer.describe()}.")
    return f"Kode 202: {answer.message}"


@step(
    G,
    "pasien_baru",
    title=_("Pasien baru (POST /peserta)"),
    expect=_(
        "The clinic registers the patient (code 200) and gives the new medical record number."
    ),
    writes=True,
)
def pasien_baru(ctx: UatContext) -> str:
    answer = ctx.ws(
        "POST", "peserta", token=_token(ctx), body=_new_patient_body(_patient(ctx, "first"))
    )
    check(answer.code == 200, f"Didapat {answer.describe()}.")
    norm = answer.response.get("norm") if isinstance(answer.response, dict) else None
    ctx.state["ws_registered"] = True
    return f"Pasien terdaftar{', norm ' + str(norm) if norm else ''}."


@step(
    G,
    "pasien_baru_again",
    title=_("Pasien baru twice"),
    expect=_("Registering the same patient again is refused (code 201)."),
)
def pasien_baru_again(ctx: UatContext) -> str:
    ctx.need("ws_registered", "Pasien baru")
    answer = ctx.ws(
        "POST", "peserta", token=_token(ctx), body=_new_patient_body(_patient(ctx, "first"))
    )
    return _expect_refusal(answer)


@step(
    G,
    "booking",
    title=_("Booking"),
    expect=_(
        "The clinic gives a queue number (code 200): nomorantrean a string, angkaantrean "
        "and sisaantrean integers."
    ),
    writes=True,
)
def booking(ctx: UatContext) -> str:
    ctx.need("ws_registered", "Pasien baru")
    answer = _book(ctx, _booking(ctx, _patient(ctx, "first")))
    check(answer.code == 200, f"Didapat {answer.describe()}.")
    body = answer.response if isinstance(answer.response, dict) else {}
    check(isinstance(body.get("nomorantrean"), str) and body["nomorantrean"], "nomorantrean salah.")
    check(isinstance(body.get("angkaantrean"), int), "angkaantrean bukan bilangan bulat.")
    check(isinstance(body.get("sisaantrean"), int), "sisaantrean bukan bilangan bulat.")
    ctx.state["ws_booked"] = body["nomorantrean"]
    return f"Nomor antrean {body['nomorantrean']}."


@step(
    G,
    "booking_duplicate",
    title=_("Booking twice"),
    expect=_("A second booking for the same date and poli is refused (code 201)."),
)
def booking_duplicate(ctx: UatContext) -> str:
    ctx.need("ws_booked", "Booking")
    answer = _book(ctx, _booking(ctx, _patient(ctx, "first")))
    return _expect_refusal(answer, "1 Kali")


@step(
    G,
    "sisa",
    title=_("Remaining queue of the patient"),
    expect=_(
        "GET /antrean/sisapeserta gives the booked number and the count before it (code 200)."
    ),
)
def sisa(ctx: UatContext) -> str:
    label = ctx.need("ws_booked", "Booking")
    person = _patient(ctx, "first")
    answer = ctx.ws(
        "GET",
        f"antrean/sisapeserta/{person.card_number}/{ctx.options.poli_code}/{ctx.open_day}",
        token=_token(ctx),
    )
    check(answer.code == 200, f"Didapat {answer.describe()}.")
    body = answer.response if isinstance(answer.response, dict) else {}
    check(body.get("nomorantrean") == label, "Nomor antrean berbeda dengan booking.")
    check(isinstance(body.get("sisaantrean"), int), "sisaantrean bukan bilangan bulat.")
    return f"Nomor {label}, sisa {body['sisaantrean']}."


def _cancel_body(ctx: UatContext, person: roster.RosterParticipant) -> dict[str, Any]:
    return {
        "nomorkartu": person.card_number,
        "kodepoli": ctx.options.poli_code,
        "tanggalperiksa": ctx.open_day.isoformat(),
        "keterangan": "UAT: peserta batal hadir",
    }


@step(
    G,
    "cancel",
    title=_("Cancel the booking"),
    expect=_("PUT /antrean/batal cancels the booking (code 200)."),
    writes=True,
)
def cancel(ctx: UatContext) -> str:
    ctx.need("ws_booked", "Booking")
    answer = ctx.ws(
        "PUT", "antrean/batal", token=_token(ctx), body=_cancel_body(ctx, _patient(ctx, "first"))
    )
    check(answer.code == 200, f"Didapat {answer.describe()}.")
    ctx.state["ws_cancelled"] = True
    return "Booking dibatalkan."


@step(
    G,
    "cancel_again",
    title=_("Cancel twice"),
    expect=_("Cancelling the same booking again is refused (code 201)."),
)
def cancel_again(ctx: UatContext) -> str:
    ctx.need("ws_cancelled", "Batal")
    answer = ctx.ws(
        "PUT", "antrean/batal", token=_token(ctx), body=_cancel_body(ctx, _patient(ctx, "first"))
    )
    return _expect_refusal(answer)


@step(
    G,
    "cancel_after_service",
    title=_("Cancel after the patient was served"),
    expect=_(
        "A second new patient registers and books; once the clinic puts the booking in "
        "service, cancelling it is refused (code 201 “Sudah Dilayani”)."
    ),
    writes=True,
)
def cancel_after_service(ctx: UatContext) -> str:
    person = _patient(ctx, "second")
    token = _token(ctx)
    answer = ctx.ws("POST", "peserta", token=token, body=_new_patient_body(person))
    check(answer.code == 200, f"Pasien baru kedua: {answer.describe()}.")
    answer = ctx.ws("POST", "antrean", token=token, body=_booking(ctx, person))
    check(answer.code == 200, f"Booking pasien kedua: {answer.describe()}.")
    clinic_side.mark_served(
        ctx.facility_id,
        card_number=person.card_number,
        poli_code=ctx.options.poli_code,
        day=ctx.open_day,
    )
    answer = ctx.ws("PUT", "antrean/batal", token=token, body=_cancel_body(ctx, person))
    return _expect_refusal(answer, "Sudah Dilayani")


# ---- every refusal rule of a booking -----------------------------------------------------------
Change = Callable[[UatContext], dict[str, Any]]


def _refusal(
    name: str,
    title: str | Promise,
    expect: str | Promise,
    change: Change,
    contains: str = "",
    *,
    writes: bool = False,
) -> None:
    def run(ctx: UatContext) -> str:
        body = _booking(ctx, _patient(ctx, "first"), **change(ctx))
        return _expect_refusal(_book(ctx, body), contains)

    run.__name__ = f"refusal_{name}"
    step(G, f"refusal_{name}", title=title, expect=expect, writes=writes)(run)


_refusal(
    "card_empty",
    _("Refused: card number empty"),
    _("An empty nomorkartu is refused (code 201)."),
    lambda c: {"nomorkartu": ""},
)
_refusal(
    "card_format",
    _("Refused: card number not 13 digits"),
    _("A card number of 12 digits is refused (code 201)."),
    lambda c: {"nomorkartu": "000200000001"},
    "Nomor Kartu",
)
_refusal(
    "nik_format",
    _("Refused: NIK not 16 digits"),
    _("A NIK with letters is refused (code 201)."),
    lambda c: {"nik": "32730A0000000001"},
    "NIK",
)
_refusal(
    "poli_unknown",
    _("Refused: unknown poli"),
    _("An unknown poli code is refused: “Poli Tidak Ditemukan”."),
    lambda c: {"kodepoli": "999"},
    "Poli Tidak Ditemukan",
)
_refusal(
    "date_format",
    _("Refused: date not yyyy-mm-dd"),
    _("A date in another format is refused (code 201)."),
    lambda c: {"tanggalperiksa": c.open_day.strftime("%d-%m-%Y")},
    "Format Tanggal",
)
_refusal(
    "date_past",
    _("Refused: date in the past"),
    _("Yesterday is refused: “Tidak Berlaku Mundur”."),
    lambda c: {"tanggalperiksa": (c.today - timedelta(days=1)).isoformat()},
    "Mundur",
)
_refusal(
    "date_too_far",
    _("Refused: date too far ahead"),
    _("A date beyond the booking window (30 days ahead) is refused (code 201)."),
    lambda c: {"tanggalperiksa": (c.today + timedelta(days=30)).isoformat()},
)
_refusal(
    "doctor_unknown",
    _("Refused: doctor without a schedule"),
    _("A kodedokter without a schedule at the poli that day is refused (code 201)."),
    lambda c: {"kodedokter": 999999},
)
_refusal(
    "hours_mismatch",
    _("Refused: practice hours not in the schedule"),
    _("A jampraktek that matches no schedule is refused (code 201)."),
    lambda c: {"jampraktek": "01:00-02:00"},
)
_refusal(
    "nik_mismatch",
    _("Refused: NIK of someone else"),
    _("A known card with another person's NIK is refused (code 201)."),
    lambda c: {"nik": roster.participant(int(c.state["ws_patients"]["second"])).nik},
)


@step(
    G,
    "refusal_poli_closed",
    title=_("Refused: poli closed that day"),
    expect=_(
        "A Sunday (no schedule) is refused: “Sedang Tutup”. The booking window is "
        "widened to 7 days for this step and put back."
    ),
    writes=True,
)
def refusal_poli_closed(ctx: UatContext) -> str:
    sunday = next_sunday_after(ctx.today)
    body = _booking(ctx, _patient(ctx, "first"), tanggalperiksa=sunday.isoformat())
    body.pop("kodedokter", None)
    body.pop("jampraktek", None)
    deadline = time.monotonic() + clinic_side.ws_cache_seconds() + 2
    with clinic_side.account_settings(ctx.facility_id, booking_days_ahead=7):
        while True:
            answer = _book(ctx, body)
            # Until the web server sees the wider window it answers "too far ahead".
            if answer.code != 201 or "tutup" in answer.message.lower():
                break
            if time.monotonic() > deadline:
                break
            time.sleep(1)
    return _expect_refusal(answer, "Tutup")


@step(
    G,
    "refusal_quota_full",
    title=_("Refused: quota full"),
    expect=_(
        "With the poli's daily quota at 0 for the day, a booking is refused with a message "
        "containing “Kuota”. The quota is put back."
    ),
    writes=True,
)
def refusal_quota_full(ctx: UatContext) -> str:
    ctx.need("ws_registered", "Pasien baru")
    body = _booking(ctx, _patient(ctx, "first"))
    with clinic_side.quota_zero(ctx.facility_id, ctx.options.poli_code, ctx.open_day):
        answer = _book(ctx, body)
    if answer.code == 200:
        # Accepted although full: undo the booking so the clinic is left as it was.
        ctx.ws(
            "PUT",
            "antrean/batal",
            token=_token(ctx),
            body=_cancel_body(ctx, _patient(ctx, "first")),
        )
        raise StepFailed(f"Booking diterima walau kuota 0: {answer.describe()}.")
    return _expect_refusal(answer, "Kuota")


@step(
    G,
    "refusal_not_json",
    title=_("Refused: body is not JSON"),
    expect=_("A body that is not JSON gets HTTP 400 with code 201, never a server error."),
)
def refusal_not_json(ctx: UatContext) -> str:
    return _expect_refusal(_book(ctx, "bukan json"), http_status=400)


@step(
    G,
    "unknown_path",
    title=_("Unknown address"),
    expect=_("An unknown path gets HTTP 404 with a metadata body (code 201), never HTML."),
)
def unknown_path(ctx: UatContext) -> str:
    answer = ctx.ws("GET", "antrean/tidak-ada", token=_token(ctx))
    return _expect_refusal(answer, http_status=404)
