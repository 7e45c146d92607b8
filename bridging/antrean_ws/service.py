"""What each endpoint of the web service does (PROTOCOL.md §5.1, SANDBOX.md "The other
direction"): the rules, in the order they are checked, and the answers. HTTP plumbing
(routing, tokens, bodies, rate limits, logging) is in :mod:`bridging.antrean_ws.views`."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, time
from typing import Any

from bridging.antrean_ws import clock, ports
from bridging.antrean_ws import messages as msg
from bridging.antrean_ws.models import AntreanWsAccount

CARD_RE = re.compile(r"^\d{13}$")
NIK_RE = re.compile(r"^\d{16}$")
DATE_RE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
HOURS_RE = re.compile(r"^([01]\d|2[0-3]):([0-5]\d)-([01]\d|2[0-3]):([0-5]\d)$")
PHONE_RE = re.compile(r"^\+?\d{8,15}$")
DIGITS_RE = re.compile(r"^\d+$")
NO_LABEL = "-"


@dataclass(frozen=True)
class Answer:
    code: int
    message: str
    response: Any = None
    http_status: int = 200


class Refusal(Exception):
    """A rule refused the request: metadata code 201 (or ``code``) with ``message``."""

    def __init__(self, message: str, code: int = 201) -> None:
        self.message = message
        self.code = code
        super().__init__(message)


def ok(response: Any = None, message: str = msg.OK) -> Answer:
    return Answer(200, message, response)


# ---- field checks ------------------------------------------------------------------------------
def _text(value: Any, *, wrong_type: str) -> str:
    """A string field: None and "" are empty; numbers and other types are refused."""
    if value is None:
        return ""
    if not isinstance(value, str):
        raise Refusal(wrong_type)
    return value.strip()


def card_number(value: Any) -> str:
    text = _text(value, wrong_type=msg.CARD_FORMAT)
    if not text:
        raise Refusal(msg.CARD_EMPTY)
    if not CARD_RE.match(text):
        raise Refusal(msg.CARD_FORMAT)
    return text


def nik(value: Any) -> str:
    text = _text(value, wrong_type=msg.NIK_FORMAT)
    if not text:
        raise Refusal(msg.NIK_EMPTY)
    if not NIK_RE.match(text):
        raise Refusal(msg.NIK_FORMAT)
    return text


def poli_code(value: Any) -> str:
    text = _text(value, wrong_type=msg.POLI_NOT_FOUND)
    if not text:
        raise Refusal(msg.POLI_EMPTY)
    if len(text) > 10:
        raise Refusal(msg.POLI_NOT_FOUND)
    return text


def visit_date(value: Any) -> date:
    text = _text(value, wrong_type=msg.DATE_FORMAT)
    if not text:
        raise Refusal(msg.DATE_EMPTY)
    if not DATE_RE.match(text):
        raise Refusal(msg.DATE_FORMAT)
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise Refusal(msg.DATE_FORMAT) from None


def _doctor_code(value: Any) -> str:
    """Optional ``kodedokter``: an integer or a string of digits; "" counts as absent."""
    if value is None or value == "":
        return ""
    if isinstance(value, bool):
        raise Refusal(msg.DOCTOR_FORMAT)
    if isinstance(value, int):
        if value < 0:
            raise Refusal(msg.DOCTOR_FORMAT)
        return str(value)
    if isinstance(value, str) and DIGITS_RE.match(value.strip()) and len(value.strip()) <= 20:
        return value.strip()
    raise Refusal(msg.DOCTOR_FORMAT)


def _hours(value: Any) -> tuple[time, time] | None:
    text = _text(value, wrong_type=msg.HOURS_FORMAT)
    if not text:
        return None
    match = HOURS_RE.match(text.replace(" ", ""))
    if not match:
        raise Refusal(msg.HOURS_FORMAT)
    h1, m1, h2, m2 = (int(g) for g in match.groups())
    return time(h1, m1), time(h2, m2)


def _phone(value: Any, *, required: bool = False) -> str:
    text = _text(value, wrong_type=msg.PHONE_FORMAT).replace(" ", "").replace("-", "")
    if not text:
        if required:
            raise Refusal(msg.FIELD_EMPTY.format(field="Nomor HP"))
        return ""
    if not PHONE_RE.match(text):
        raise Refusal(msg.PHONE_FORMAT)
    return text


def _same_code(a: str, b: str) -> bool:
    """Doctor codes compare as numbers when both are digits ("0131491" == 131491)."""
    if a.isdigit() and b.isdigit():
        return int(a) == int(b)
    return a == b


def _as_int_code(code: str) -> int | str:
    return int(code) if code.isdigit() else code


# ---- shared rules ------------------------------------------------------------------------------
class Service:
    def __init__(self, port: ports.ClinicQueuePort, account: AntreanWsAccount) -> None:
        self.port = port
        self.account = account
        self.facility_id: int = account.facility_id

    def _poli(self, code: str) -> ports.PoliInfo:
        poli = self.port.find_poli(self.facility_id, code)
        if poli is None or not poli.is_active:
            raise Refusal(msg.POLI_NOT_FOUND)
        return poli

    def _not_past(self, day: date) -> None:
        if day < clock.today():
            raise Refusal(msg.DATE_PAST)

    def _not_too_far(self, day: date) -> None:
        days = self.account.booking_days_ahead
        if (day - clock.today()).days > days:
            raise Refusal(msg.DATE_TOO_FAR.format(days=days))

    # ---- A2 status ---------------------------------------------------------------------------
    def status(self, kodepoli: str, tanggal: str, *, listing: bool = False) -> Answer:
        code = poli_code(kodepoli)
        day = visit_date(tanggal)
        poli = self._poli(code)
        self._not_past(day)
        status = self.port.poli_status(self.facility_id, code, day)
        if not status.schedules and status.counts.total == 0:
            raise Refusal(msg.POLI_CLOSED)
        if not listing:
            counts = status.counts
            return ok(
                {
                    "namapoli": poli.display_name,
                    "totalantrean": counts.total,
                    "sisaantrean": counts.waiting,
                    "antreanpanggil": counts.called_label or NO_LABEL,
                    "keterangan": "",
                }
            )
        return ok(
            [
                {
                    "namapoli": poli.display_name,
                    "totalantrean": entry.counts.total,
                    "sisaantrean": entry.counts.waiting,
                    "antreanpanggil": entry.counts.called_label or NO_LABEL,
                    "keterangan": "",
                    "kodedokter": _as_int_code(entry.schedule.doctor_code),
                    "namadokter": entry.schedule.doctor_name,
                    "jampraktek": entry.schedule.hours,
                }
                for entry in status.schedules
            ]
        )

    # ---- A3 ambil antrean --------------------------------------------------------------------
    def book(self, body: dict[str, Any]) -> Answer:
        card = card_number(body.get("nomorkartu"))
        patient_nik = nik(body.get("nik"))
        code = poli_code(body.get("kodepoli"))
        day = visit_date(body.get("tanggalperiksa"))
        complaint = _text(body.get("keluhan"), wrong_type=msg.COMPLAINT_FORMAT)
        doctor_code = _doctor_code(body.get("kodedokter"))
        hours = _hours(body.get("jampraktek"))
        norm = _text(body.get("norm"), wrong_type=msg.NORM_FORMAT)
        phone = _phone(body.get("nohp"))
        poli = self._poli(code)
        self._not_past(day)
        self._not_too_far(day)

        schedules = self.port.schedules(self.facility_id, code, day, with_counts=False)
        if not schedules:
            raise Refusal(msg.POLI_CLOSED)
        if doctor_code:
            schedules = [s for s in schedules if _same_code(s.doctor_code, doctor_code)]
            if not schedules:
                raise Refusal(msg.DOCTOR_NOT_FOUND)
        if hours is not None:
            schedules = [s for s in schedules if (s.start, s.end) == hours]
            if not schedules:
                raise Refusal(msg.HOURS_NOT_FOUND)
        now = clock.now()
        if day == now.date():
            still_open = [s for s in schedules if now.time() < s.end]
            if not still_open:
                closing = max(s.end for s in schedules)
                raise Refusal(
                    msg.POLI_CLOSED_TODAY.format(
                        poli=poli.display_name, time=closing.strftime("%H:%M:%S")
                    )
                )
            schedules = still_open

        patient = self.port.find_patient(self.facility_id, card_number=card, nik=patient_nik)
        if patient is None:
            return Answer(202, msg.NEW_PATIENT)
        if patient.card_number and patient.card_number != card:
            raise Refusal(msg.CARD_MISMATCH)
        if patient.nik and patient.nik != patient_nik:
            raise Refusal(msg.NIK_MISMATCH)
        if norm and norm != patient.mrn:
            raise Refusal(msg.NORM_MISMATCH)
        try:
            booking = self.port.book(
                self.facility_id,
                ports.BookingRequest(
                    patient_id=patient.id,
                    poli_code=code,
                    day=day,
                    schedule_ids=tuple(s.id for s in schedules),
                    complaint=complaint,
                    phone=phone,
                    card_number=card,
                ),
            )
        except ports.DuplicateBooking:
            raise Refusal(msg.DUPLICATE) from None
        except ports.QuotaFull:
            raise Refusal(msg.QUOTA_FULL.format(poli=poli.display_name)) from None
        schedule = booking.schedule
        note = msg.BOOKED_NOTE.format(
            poli=poli.display_name,
            date=day.strftime("%d-%m-%Y"),
            hours=schedule.hours if schedule else "-",
            doctor=schedule.doctor_name if schedule else "",
            label=booking.label,
        ).replace(", .", ".")
        return ok(
            {
                "nomorantrean": booking.label,
                "angkaantrean": booking.number,
                "namapoli": poli.display_name,
                "sisaantrean": booking.waiting_before,
                "antreanpanggil": booking.called_label or NO_LABEL,
                "keterangan": note,
            }
        )

    # ---- A4 sisa antrean ---------------------------------------------------------------------
    def remaining(self, nomorkartu: str, kodepoli: str, tanggal: str) -> Answer:
        card = card_number(nomorkartu)
        code = poli_code(kodepoli)
        day = visit_date(tanggal)
        poli = self._poli(code)
        self._not_past(day)
        found = self.port.remaining(self.facility_id, card_number=card, poli_code=code, day=day)
        if found is None:
            raise Refusal(msg.BOOKING_NOT_FOUND)
        return ok(
            {
                "nomorantrean": found.label,
                "namapoli": poli.display_name,
                "sisaantrean": found.waiting_before,
                "antreanpanggil": found.called_label or NO_LABEL,
                "keterangan": "" if found.waiting else msg.CALLED_NOTE,
            }
        )

    # ---- A5 batal ----------------------------------------------------------------------------
    def cancel(self, body: dict[str, Any]) -> Answer:
        card = card_number(body.get("nomorkartu"))
        code = poli_code(body.get("kodepoli"))
        day = visit_date(body.get("tanggalperiksa"))
        reason = _text(body.get("keterangan"), wrong_type=msg.REASON_FORMAT)
        self._poli(code)
        self._not_past(day)
        try:
            self.port.cancel(
                self.facility_id, card_number=card, poli_code=code, day=day, reason=reason
            )
        except ports.BookingNotFound:
            raise Refusal(msg.BOOKING_NOT_FOUND) from None
        except ports.AlreadyCancelled:
            raise Refusal(msg.ALREADY_CANCELLED) from None
        except ports.AlreadyServed:
            raise Refusal(msg.ALREADY_SERVED) from None
        return ok()

    # ---- A6 pasien baru ----------------------------------------------------------------------
    def register(self, body: dict[str, Any]) -> Answer:
        patient = new_patient(body)
        try:
            created = self.port.register_patient(self.facility_id, patient)
        except ports.AlreadyRegistered:
            raise Refusal(msg.ALREADY_REGISTERED) from None
        return ok({"norm": created.mrn}, msg.REGISTERED)


# ---- A6 fields ---------------------------------------------------------------------------------
def _required(body: dict[str, Any], key: str, label: str, *, max_length: int) -> str:
    text = _text(body.get(key), wrong_type=msg.FIELD_FORMAT.format(field=label))
    if not text:
        raise Refusal(msg.FIELD_EMPTY.format(field=label))
    if len(text) > max_length:
        raise Refusal(msg.FIELD_FORMAT.format(field=label))
    return text


def _digits(body: dict[str, Any], key: str, label: str, *, lengths: range) -> str:
    text = _required(body, key, label, max_length=lengths.stop)
    if not DIGITS_RE.match(text) or len(text) not in lengths:
        raise Refusal(msg.FIELD_FORMAT.format(field=label))
    return text


def new_patient(body: dict[str, Any]) -> ports.NewPatient:
    card = card_number(body.get("nomorkartu"))
    patient_nik = nik(body.get("nik"))
    kk = _digits(body, "nomorkk", "Nomor KK", lengths=range(16, 17))
    name = _required(body, "nama", "Nama", max_length=150)
    if sum(ch.isalpha() for ch in name) < 2:
        raise Refusal(msg.FIELD_FORMAT.format(field="Nama"))
    sex = _required(body, "jeniskelamin", "Jenis Kelamin", max_length=1).upper()
    if sex not in ("L", "P"):
        raise Refusal(msg.SEX_FORMAT)
    birth_text = _required(body, "tanggallahir", "Tanggal Lahir", max_length=10)
    try:
        if not DATE_RE.match(birth_text):
            raise ValueError
        birth = date.fromisoformat(birth_text)
    except ValueError:
        raise Refusal(msg.FIELD_FORMAT.format(field="Tanggal Lahir")) from None
    if birth > clock.today():
        raise Refusal(msg.BIRTH_DATE_FUTURE)
    if birth < date(1900, 1, 1):
        raise Refusal(msg.FIELD_FORMAT.format(field="Tanggal Lahir"))
    phone = _phone(body.get("nohp"), required=True)
    address = _required(body, "alamat", "Alamat", max_length=300)
    return ports.NewPatient(
        card_number=card,
        nik=patient_nik,
        family_card_number=kk,
        name=name,
        sex=sex,
        birth_date=birth,
        phone=phone,
        address=address,
        province_code=_digits(body, "kodeprop", "Kode Provinsi", lengths=range(1, 3)),
        province_name=_required(body, "namaprop", "Nama Provinsi", max_length=100),
        regency_code=_digits(body, "kodedati2", "Kode Dati II", lengths=range(1, 5)),
        regency_name=_required(body, "namadati2", "Nama Dati II", max_length=100),
        district_code=_digits(body, "kodekec", "Kode Kecamatan", lengths=range(1, 8)),
        district_name=_required(body, "namakec", "Nama Kecamatan", max_length=100),
        village_code=_digits(body, "kodekel", "Kode Kelurahan", lengths=range(1, 11)),
        village_name=_required(body, "namakel", "Nama Kelurahan", max_length=100),
        rw=_digits(body, "rw", "RW", lengths=range(1, 4)),
        rt=_digits(body, "rt", "RT", lengths=range(1, 4)),
    )


def auth(username: str, password: str) -> tuple[AntreanWsAccount | None, Answer]:
    from bridging.antrean_ws import tokens

    account = (
        AntreanWsAccount.objects.filter(username=username, is_active=True).first()
        if username
        else None
    )
    if account is None:
        AntreanWsAccount.burn_time(password)
        return None, Answer(201, msg.AUTH_FAILED)
    if not account.check_password(password):
        return account, Answer(201, msg.AUTH_FAILED)
    return account, ok({"token": tokens.issue(account)})
