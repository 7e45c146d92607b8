"""The roster: importing the participants file BPJS gives clinics, arrivals and departures, and
keeping it current from eligibility answers.

Columns are found by header name (case, spaces and underscores ignored). The default names are
the layout in SANDBOX.md ("The roster file"); ``RosterColumnAlias`` rows add other names.
Re-importing a file is idempotent: rows are keyed by (facility, month, card number), a row that
did not change is left alone, and rows of that month that came from an earlier file and are no
longer in this one are removed (the file is the whole roster of its month).
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from typing import Any

from django.db import transaction
from django.db.models import Exists, OuterRef, QuerySet

from clinic.capitation.models import (
    ProlanisCondition,
    ProlanisMember,
    RosterColumnAlias,
    RosterEntry,
    RosterField,
    RosterImport,
    RosterSource,
)
from clinic.capitation.periods import month_start, previous_month
from clinic.core.errors import ValidationFailed
from clinic.core.models import Facility, User

DEFAULT_HEADERS: dict[str, str] = {
    RosterField.ROW_NUMBER: "No",
    RosterField.CARD_NUMBER: "No Kartu",
    RosterField.NIK: "NIK",
    RosterField.NAME: "Nama",
    RosterField.RELATIONSHIP: "Hubungan Keluarga",
    RosterField.SEX: "Jenis Kelamin",
    RosterField.BIRTH_DATE: "Tanggal Lahir",
    RosterField.MEMBERSHIP_TYPE: "Jenis Peserta",
    RosterField.CARE_CLASS: "Kelas",
    RosterField.PHONE: "No HP",
    RosterField.ADDRESS: "Alamat",
    RosterField.PROVIDER_CODE: "Kode Provider",
    RosterField.ACTIVE_SINCE: "Tgl Mulai Aktif",
    RosterField.PROLANIS: "Prolanis",
}
# Names seen in other exports, accepted without configuration.
BUILTIN_ALIASES: dict[str, str] = {
    "noka": RosterField.CARD_NUMBER,
    "nokartu": RosterField.CARD_NUMBER,
    "nomorkartu": RosterField.CARD_NUMBER,
    "nama peserta": RosterField.NAME,
    "tgl lahir": RosterField.BIRTH_DATE,
    "sex": RosterField.SEX,
    "jk": RosterField.SEX,
    "no hp": RosterField.PHONE,
    "no telp": RosterField.PHONE,
    "kd provider": RosterField.PROVIDER_CODE,
    "kdproviderpst": RosterField.PROVIDER_CODE,
    "pstprol": RosterField.PROLANIS,
}
REQUIRED_FIELDS = (RosterField.CARD_NUMBER, RosterField.NAME)
MAX_FILE_BYTES = 20 * 1024 * 1024

_CARD = re.compile(r"^\d{13}$")
_NIK = re.compile(r"^\d{16}$")


def normalize_header(text: object) -> str:
    return re.sub(r"[\s_]+", " ", str(text or "")).strip().lower()


def header_map() -> dict[str, str]:
    """Normalized header -> field: defaults, built-in aliases, then configured aliases."""
    mapping = {normalize_header(header): name for name, header in DEFAULT_HEADERS.items()}
    mapping.update({normalize_header(k): v for k, v in BUILTIN_ALIASES.items()})
    for alias in RosterColumnAlias.objects.all():
        mapping[normalize_header(alias.header)] = alias.field
    return mapping


# --- reading files ---------------------------------------------------------------------------


def _decode(data: bytes) -> str:
    for encoding in ("utf-8-sig", "cp1252"):
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    return data.decode("latin-1")


def read_csv(data: bytes) -> Iterator[list[Any]]:
    text = _decode(data)
    first_line = text.split("\n", 1)[0]
    delimiter = ";" if first_line.count(";") > first_line.count(",") else ","
    yield from csv.reader(io.StringIO(text), delimiter=delimiter)


def read_xlsx(data: bytes) -> Iterator[list[Any]]:
    from openpyxl import load_workbook

    try:
        workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises several kinds for a file that is not XLSX
        raise ValidationFailed("Berkas XLSX tidak dapat dibaca.") from exc
    try:
        sheet = workbook.worksheets[0]
        for row in sheet.iter_rows(values_only=True):
            yield list(row)
    finally:
        workbook.close()


def file_format(file_name: str) -> str:
    lower = file_name.lower()
    if lower.endswith(".xlsx"):
        return "xlsx"
    if lower.endswith(".csv") or lower.endswith(".txt"):
        return "csv"
    raise ValidationFailed("Format berkas harus CSV atau XLSX.")


# --- parsing and validating rows -------------------------------------------------------------


@dataclass
class ParsedRow:
    line: int
    values: dict[str, Any]


@dataclass
class Rejection:
    line: int
    card: str
    reasons: list[str]

    def as_dict(self) -> dict[str, Any]:
        return {"row": self.line, "card": self.card, "reasons": self.reasons}


def _text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return str(value).strip()


def _date(value: Any) -> dt.date | None:
    """``dd-mm-yyyy`` (also with ``/``), ``yyyy-mm-dd``, or a date cell; ``None`` if not one."""
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    text = _text(value)
    for pattern in ("%d-%m-%Y", "%d/%m/%Y", "%Y-%m-%d"):
        try:
            return dt.datetime.strptime(text, pattern).date()
        except ValueError:
            continue
    return None


def _digits(value: Any) -> str:
    """Card numbers and NIKs as text; a spreadsheet may have turned them into numbers or put
    an apostrophe in front."""
    text = _text(value).lstrip("'")
    return text


def clean_row(
    raw: dict[str, Any], *, line: int, provider_code: str
) -> tuple[dict[str, Any] | None, Rejection | None]:
    reasons: list[str] = []
    card = _digits(raw.get(RosterField.CARD_NUMBER))
    if not card:
        reasons.append("No Kartu kosong.")
    elif not _CARD.match(card):
        reasons.append("No Kartu harus 13 digit angka.")
    name = _text(raw.get(RosterField.NAME))
    if not name:
        reasons.append("Nama kosong.")
    nik = _digits(raw.get(RosterField.NIK))
    if nik and not _NIK.match(nik):
        reasons.append("NIK harus 16 digit angka.")
    sex = _text(raw.get(RosterField.SEX)).upper()
    sex = {"LAKI-LAKI": "L", "PEREMPUAN": "P"}.get(sex, sex)
    if sex and sex not in ("L", "P"):
        reasons.append("Jenis Kelamin harus L atau P.")
    birth_raw = raw.get(RosterField.BIRTH_DATE)
    birth_date = _date(birth_raw)
    if _text(birth_raw) and birth_date is None:
        reasons.append("Tanggal Lahir tidak valid (format dd-mm-yyyy).")
    since_raw = raw.get(RosterField.ACTIVE_SINCE)
    active_since = _date(since_raw)
    if _text(since_raw) and active_since is None:
        reasons.append("Tgl Mulai Aktif tidak valid (format dd-mm-yyyy).")
    provider = _text(raw.get(RosterField.PROVIDER_CODE)).upper()
    if provider and provider != provider_code.upper():
        reasons.append(f"Terdaftar di FKTP lain (Kode Provider {provider}).")
    prolanis = _text(raw.get(RosterField.PROLANIS)).upper()
    if prolanis and prolanis not in ProlanisCondition.values:
        reasons.append("Prolanis harus DM, HT atau kosong.")
    if reasons:
        return None, Rejection(line=line, card=card[:20], reasons=reasons)
    return {
        "card_number": card,
        "nik": nik,
        "name": name[:150],
        "sex": sex,
        "birth_date": birth_date,
        "relationship": _text(raw.get(RosterField.RELATIONSHIP))[:40],
        "membership_type": _text(raw.get(RosterField.MEMBERSHIP_TYPE))[:100],
        "care_class": _text(raw.get(RosterField.CARE_CLASS))[:10],
        "phone": _text(raw.get(RosterField.PHONE)).lstrip("'")[:20],
        "address": _text(raw.get(RosterField.ADDRESS))[:300],
        "provider_code": provider,
        "active_since": active_since,
        "prolanis": prolanis,
    }, None


@dataclass
class ParseResult:
    rows: list[dict[str, Any]] = field(default_factory=list)
    rejected: list[Rejection] = field(default_factory=list)
    columns: dict[str, str] = field(default_factory=dict)
    total: int = 0


def parse_rows(rows: Iterable[list[Any]], *, provider_code: str) -> ParseResult:
    """Header row first; blank rows are skipped; duplicates of a card are rejected."""
    iterator = iter(rows)
    header: list[Any] | None = None
    line = 0
    for candidate in iterator:
        line += 1
        if any(_text(cell) for cell in candidate):
            header = candidate
            break
    if header is None:
        raise ValidationFailed("Berkas kosong: tidak ada baris judul kolom.")
    known = header_map()
    positions: dict[str, int] = {}
    result = ParseResult()
    for index, cell in enumerate(header):
        name = known.get(normalize_header(cell))
        if name is not None and name not in positions:
            positions[name] = index
            result.columns[name] = _text(cell)
    missing = [DEFAULT_HEADERS[name] for name in REQUIRED_FIELDS if name not in positions]
    if missing:
        raise ValidationFailed(
            "Kolom wajib tidak ditemukan: {}.".format(", ".join(missing)),
            fields={"file": ["Kolom wajib tidak ditemukan: {}.".format(", ".join(missing))]},
        )
    seen: dict[str, int] = {}
    for raw_row in iterator:
        line += 1
        if not any(_text(cell) for cell in raw_row):
            continue
        result.total += 1
        raw = {
            name: (raw_row[index] if index < len(raw_row) else None)
            for name, index in positions.items()
        }
        cleaned, rejection = clean_row(raw, line=line, provider_code=provider_code)
        if cleaned is not None and cleaned["card_number"] in seen:
            rejection = Rejection(
                line=line,
                card=cleaned["card_number"],
                reasons=[
                    f"No Kartu ganda dalam berkas (sama dengan baris "
                    f"{seen[cleaned['card_number']]})."
                ],
            )
            cleaned = None
        if rejection is not None:
            result.rejected.append(rejection)
            continue
        assert cleaned is not None
        seen[cleaned["card_number"]] = line
        result.rows.append(cleaned)
    return result


# --- the import service ----------------------------------------------------------------------

ENTRY_FIELDS = (
    "nik",
    "name",
    "sex",
    "birth_date",
    "relationship",
    "membership_type",
    "care_class",
    "phone",
    "address",
    "provider_code",
    "active_since",
)


def roster_import(
    *,
    facility: Facility,
    month: dt.date,
    file_name: str,
    data: bytes,
    imported_by: User | None = None,
) -> RosterImport:
    """Import one roster file as the whole roster of ``month``. Raises ``ValidationFailed``
    for a file that cannot be read at all; rejected rows are reported on the result."""
    if len(data) > MAX_FILE_BYTES:
        raise ValidationFailed("Berkas terlalu besar (maksimal 20 MB).")
    kind = file_format(file_name)
    month = month_start(month)
    rows = read_xlsx(data) if kind == "xlsx" else read_csv(data)
    parsed = parse_rows(rows, provider_code=facility.bpjs_provider_code)
    with transaction.atomic():
        record = RosterImport.objects.create(
            facility=facility,
            month=month,
            file_name=file_name[:200],
            file_format=kind,
            imported_by=imported_by,
            rows_total=parsed.total,
            rows_accepted=len(parsed.rows),
            rows_rejected=len(parsed.rejected),
            rejected=[r.as_dict() for r in parsed.rejected],
            columns=parsed.columns,
        )
        existing = {
            entry.card_number: entry
            for entry in RosterEntry.objects.filter(facility=facility, month=month)
        }
        created: list[RosterEntry] = []
        changed: list[RosterEntry] = []
        unchanged = 0
        for row in parsed.rows:
            entry = existing.pop(row["card_number"], None)
            if entry is None:
                created.append(
                    RosterEntry(
                        facility=facility,
                        month=month,
                        card_number=row["card_number"],
                        source=RosterSource.IMPORT,
                        roster_import=record,
                        **{name: row[name] for name in ENTRY_FIELDS},
                    )
                )
                continue
            differs = any(getattr(entry, name) != row[name] for name in ENTRY_FIELDS)
            if differs or entry.source != RosterSource.IMPORT:
                for name in ENTRY_FIELDS:
                    setattr(entry, name, row[name])
                entry.source = RosterSource.IMPORT
                entry.roster_import = record
                changed.append(entry)
            else:
                unchanged += 1
        RosterEntry.objects.bulk_create(created, batch_size=1000)
        if changed:
            RosterEntry.objects.bulk_update(
                changed, [*ENTRY_FIELDS, "source", "roster_import"], batch_size=1000
            )
        # Rows of this month no longer in the file: from an earlier file they go; those known
        # only from an eligibility check stay (the file may be older than the check).
        stale = [entry.pk for entry in existing.values() if entry.source == RosterSource.IMPORT]
        RosterEntry.objects.filter(pk__in=stale).delete()
        record.rows_created = len(created)
        record.rows_updated = len(changed)
        record.rows_unchanged = unchanged
        record.rows_removed = len(stale)
        record.save(
            update_fields=["rows_created", "rows_updated", "rows_unchanged", "rows_removed"]
        )
        _sync_prolanis_members(facility, parsed.rows)
    return record


def _sync_prolanis_members(facility: Facility, rows: list[dict[str, Any]]) -> None:
    """Participants the file marks DM or HT become Prolanis members (never removed here)."""
    flagged = [row for row in rows if row["prolanis"]]
    if not flagged:
        return
    known = set(
        ProlanisMember.objects.filter(facility=facility).values_list("card_number", "condition")
    )
    new = [
        ProlanisMember(
            facility=facility,
            card_number=row["card_number"],
            condition=row["prolanis"],
            name=row["name"],
            birth_date=row["birth_date"],
            phone=row["phone"],
            source="roster",
        )
        for row in flagged
        if (row["card_number"], row["prolanis"]) not in known
    ]
    ProlanisMember.objects.bulk_create(new, batch_size=1000)


# --- selectors -------------------------------------------------------------------------------


def roster_month_for(facility_id: int, month: dt.date) -> dt.date | None:
    """The roster month that stands for ``month``: itself when imported, else the latest
    earlier month that has one (a roster carries forward until the next file)."""
    month = month_start(month)
    found: dt.date | None = (
        RosterEntry.objects.filter(facility_id=facility_id, month__lte=month)
        .order_by("-month")
        .values_list("month", flat=True)
        .first()
    )
    return found


def roster_entries(facility_id: int, month: dt.date) -> QuerySet[RosterEntry]:
    used = roster_month_for(facility_id, month)
    if used is None:
        return RosterEntry.objects.none()
    return RosterEntry.objects.filter(facility_id=facility_id, month=used)


def roster_size(facility_id: int, month: dt.date) -> int:
    return roster_entries(facility_id, month).count()


def _not_in(month_a: dt.date, month_b: dt.date, facility_id: int) -> QuerySet[RosterEntry]:
    """Entries of ``month_a`` whose card is not in ``month_b``."""
    other = RosterEntry.objects.filter(
        facility_id=facility_id, month=month_b, card_number=OuterRef("card_number")
    )
    return RosterEntry.objects.filter(facility_id=facility_id, month=month_a).filter(~Exists(other))


def arrivals(facility_id: int, month: dt.date) -> QuerySet[RosterEntry]:
    """In this month's roster and not in the previous month's."""
    month = month_start(month)
    return _not_in(month, previous_month(month), facility_id)


def departures(facility_id: int, month: dt.date) -> QuerySet[RosterEntry]:
    """In the previous month's roster and not in this one's (rows of the previous month)."""
    month = month_start(month)
    return _not_in(previous_month(month), month, facility_id)


@dataclass(frozen=True)
class MonthSummary:
    month: dt.date
    size: int
    arrivals: int
    departures: int


def roster_history(facility_id: int, months: int = 12) -> list[MonthSummary]:
    """Roster size, arrivals and departures for the latest months that have a roster, newest
    first. One read of those months' card numbers, compared in memory (a roster is a few
    thousand rows a month); arrivals and departures are 0 when the previous month has none."""
    recent = list(
        RosterEntry.objects.filter(facility_id=facility_id)
        .order_by("-month")
        .values_list("month", flat=True)
        .distinct()[:months]
    )
    if not recent:
        return []
    wanted = set(recent) | {previous_month(m) for m in recent}
    cards: dict[dt.date, set[str]] = {m: set() for m in wanted}
    rows = (
        RosterEntry.objects.filter(facility_id=facility_id, month__in=sorted(wanted))
        .order_by()
        .values_list("month", "card_number")
    )
    for month, card in rows.iterator(chunk_size=10_000):
        cards[month].add(card)
    result = []
    for month in recent:
        now, before = cards[month], cards[previous_month(month)]
        result.append(
            MonthSummary(
                month=month,
                size=len(now),
                arrivals=len(now - before) if before else 0,
                departures=len(before - now) if before else 0,
            )
        )
    return result


# --- eligibility answers ---------------------------------------------------------------------


def roster_apply_eligibility(
    *,
    facility: Facility,
    card_number: str,
    provider_code: str,
    active: bool,
    checked_on: dt.date,
    name: str = "",
    birth_date: dt.date | None = None,
    sex: str = "",
    phone: str = "",
) -> str:
    """Keep the month's roster current from a BPJS participant answer (``kdProviderPst``).

    Registered here and active: the participant is added to the month's roster when missing.
    Registered at another FKTP: removed from this month's roster. Returns what happened:
    ``added``, ``removed`` or ``unchanged``. Only the month of the check is touched; a
    month without its own roster rows first copies the roster it carried forward."""
    if not card_number or not provider_code:
        return "unchanged"
    month = month_start(checked_on)
    here = provider_code.upper() == facility.bpjs_provider_code.upper()
    with transaction.atomic():
        _materialise_month(facility.pk, month)
        entry = RosterEntry.objects.filter(
            facility=facility, month=month, card_number=card_number
        ).first()
        if here and active and entry is None:
            if not RosterEntry.objects.filter(facility=facility, month=month).exists():
                # No roster for the month at all: one eligibility answer does not make one.
                return "unchanged"
            RosterEntry.objects.create(
                facility=facility,
                month=month,
                card_number=card_number,
                name=name[:150] or "-",
                birth_date=birth_date,
                sex=sex if sex in ("L", "P") else "",
                phone=phone[:20],
                provider_code=provider_code.upper(),
                source=RosterSource.ELIGIBILITY,
            )
            return "added"
        if not here and entry is not None:
            entry.delete()
            return "removed"
    return "unchanged"


def _materialise_month(facility_id: int, month: dt.date) -> None:
    """Copy the carried-forward roster into ``month`` so a change can be recorded there."""
    if RosterEntry.objects.filter(facility_id=facility_id, month=month).exists():
        return
    used = roster_month_for(facility_id, month)
    if used is None:
        return
    copies = []
    for entry in RosterEntry.objects.filter(facility_id=facility_id, month=used):
        entry.pk = None
        entry.month = month
        copies.append(entry)
    RosterEntry.objects.bulk_create(copies, batch_size=1000)
