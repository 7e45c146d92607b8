from __future__ import annotations

import datetime as dt
import io

import pytest
from django.utils import timezone

from clinic.capitation.models import ProlanisMember, RosterColumnAlias, RosterEntry
from clinic.capitation.roster import (
    arrivals,
    departures,
    roster_entries,
    roster_import,
    roster_month_for,
)
from clinic.core.errors import ValidationFailed
from tests.capitation.factories import patient

pytestmark = pytest.mark.django_db

MARCH = dt.date(2026, 3, 1)
APRIL = dt.date(2026, 4, 1)
HEADER = (
    "No,No Kartu,NIK,Nama,Hubungan Keluarga,Jenis Kelamin,Tanggal Lahir,Jenis Peserta,Kelas,"
    "No HP,Alamat,Kode Provider,Tgl Mulai Aktif"
)


def row(
    n: int,
    *,
    card: str | None = None,
    sex: str = "L",
    birth: str = "05-07-1985",
    provider: str = "0999K001",
    nik: str | None = None,
    name: str | None = None,
) -> str:
    card = card if card is not None else f"0002{n:09d}"
    nik = nik if nik is not None else f"32730205078500{n:02d}"
    name = name if name is not None else f"PESERTA {n}"
    return (
        f"{n},{card},{nik},{name},Peserta,{sex},{birth},PBI (APBN),3,0813{n:08d},"
        f'"Jl. Contoh No. {n}, Bandung",{provider},01-01-2020'
    )


def csv_bytes(*rows: str, header: str = HEADER) -> bytes:
    return ("\r\n".join([header, *rows]) + "\r\n").encode("utf-8")


def test_import_accepts_valid_rows_and_reports_each_rejected_row_with_reasons(facility):
    data = csv_bytes(
        row(1),
        row(2, card="12345"),
        row(3, sex="X", birth="31-02-1990"),
        row(4, provider="0999K002"),
        row(5, name=""),
        row(6),
        row(7, card="0002000000001"),
        row(8, nik="123"),
    )
    result = roster_import(facility=facility, month=MARCH, file_name="roster.csv", data=data)
    assert (result.rows_total, result.rows_accepted, result.rows_rejected) == (8, 2, 6)
    assert result.rejected == [
        {"row": 3, "card": "12345", "reasons": ["No Kartu harus 13 digit angka."]},
        {
            "row": 4,
            "card": "0002000000003",
            "reasons": [
                "Jenis Kelamin harus L atau P.",
                "Tanggal Lahir tidak valid (format dd-mm-yyyy).",
            ],
        },
        {
            "row": 5,
            "card": "0002000000004",
            "reasons": ["Terdaftar di FKTP lain (Kode Provider 0999K002)."],
        },
        {"row": 6, "card": "0002000000005", "reasons": ["Nama kosong."]},
        {
            "row": 8,
            "card": "0002000000001",
            "reasons": ["No Kartu ganda dalam berkas (sama dengan baris 2)."],
        },
        {"row": 9, "card": "0002000000008", "reasons": ["NIK harus 16 digit angka."]},
    ]
    entries = RosterEntry.objects.filter(facility=facility, month=MARCH).order_by("card_number")
    assert [e.card_number for e in entries] == ["0002000000001", "0002000000006"]
    first = entries[0]
    assert (first.name, first.sex, first.birth_date, first.phone, first.active_since) == (
        "PESERTA 1",
        "L",
        dt.date(1985, 7, 5),
        "081300000001",
        dt.date(2020, 1, 1),
    )
    assert first.address == "Jl. Contoh No. 1, Bandung"


def test_reimporting_the_same_file_changes_nothing(facility):
    data = csv_bytes(row(1), row(2), row(3))
    first = roster_import(facility=facility, month=MARCH, file_name="r.csv", data=data)
    ids = sorted(RosterEntry.objects.values_list("pk", flat=True))
    again = roster_import(facility=facility, month=MARCH, file_name="r.csv", data=data)
    assert (first.rows_created, first.rows_unchanged) == (3, 0)
    assert (again.rows_created, again.rows_updated, again.rows_unchanged, again.rows_removed) == (
        0,
        0,
        3,
        0,
    )
    assert sorted(RosterEntry.objects.values_list("pk", flat=True)) == ids


def test_a_newer_file_for_the_month_updates_changed_rows_and_removes_missing_ones(facility):
    roster_import(facility=facility, month=MARCH, file_name="a.csv", data=csv_bytes(row(1), row(2)))
    changed = row(1).replace("081300000001", "081299999999")
    result = roster_import(
        facility=facility, month=MARCH, file_name="b.csv", data=csv_bytes(changed, row(3))
    )
    assert (result.rows_created, result.rows_updated, result.rows_removed) == (1, 1, 1)
    cards = sorted(RosterEntry.objects.filter(month=MARCH).values_list("card_number", "phone"))
    assert cards == [("0002000000001", "081299999999"), ("0002000000003", "081300000003")]


def test_xlsx_with_numeric_cells_imports_like_csv(facility):
    from openpyxl import Workbook

    workbook = Workbook()
    sheet = workbook.active
    sheet.append(HEADER.split(","))
    sheet.append(
        [
            1,
            "0002000000001",
            "3273020507850001",
            "AHMAD SAPUTRA",
            "Peserta",
            "L",
            dt.datetime(1985, 7, 5),
            "PBI (APBN)",
            3,
            "081300000001",
            "Jl. Contoh",
            "0999K001",
            "01-01-2020",
        ]
    )
    buffer = io.BytesIO()
    workbook.save(buffer)
    result = roster_import(
        facility=facility, month=MARCH, file_name="ROSTER.XLSX", data=buffer.getvalue()
    )
    assert (result.rows_accepted, result.rows_rejected, result.file_format) == (1, 0, "xlsx")
    entry = RosterEntry.objects.get()
    assert (entry.card_number, entry.birth_date, entry.care_class) == (
        "0002000000001",
        dt.date(1985, 7, 5),
        "3",
    )


def test_configured_alias_and_semicolon_csv_are_read(facility):
    RosterColumnAlias.objects.create(field="card_number", header="Nomor Peserta JKN")
    data = b"Nomor Peserta JKN;Nama Peserta;JK;Prolanis\n0002000000040;ANI;P;DM\n"
    result = roster_import(facility=facility, month=MARCH, file_name="x.csv", data=data)
    assert result.rows_accepted == 1
    assert result.columns == {
        "card_number": "Nomor Peserta JKN",
        "name": "Nama Peserta",
        "sex": "JK",
        "prolanis": "Prolanis",
    }
    assert list(ProlanisMember.objects.values_list("card_number", "condition")) == [
        ("0002000000040", "DM")
    ]


def test_file_without_a_required_column_is_refused_whole(facility):
    data = b"No,Nama\n1,BUDI\n"
    with pytest.raises(ValidationFailed) as caught:
        roster_import(facility=facility, month=MARCH, file_name="x.csv", data=data)
    assert caught.value.message == "Kolom wajib tidak ditemukan: No Kartu."
    assert RosterEntry.objects.count() == 0


def test_other_file_types_are_refused(facility):
    with pytest.raises(ValidationFailed) as caught:
        roster_import(facility=facility, month=MARCH, file_name="x.pdf", data=b"%PDF")
    assert caught.value.message == "Format berkas harus CSV atau XLSX."


def test_arrivals_and_departures_between_months(facility):
    roster_import(
        facility=facility, month=MARCH, file_name="m.csv", data=csv_bytes(row(1), row(2), row(3))
    )
    roster_import(
        facility=facility, month=APRIL, file_name="a.csv", data=csv_bytes(row(2), row(3), row(4))
    )
    assert [e.card_number for e in arrivals(facility.pk, APRIL)] == ["0002000000004"]
    assert [e.card_number for e in departures(facility.pk, APRIL)] == ["0002000000001"]


def test_a_month_without_its_own_file_carries_the_latest_roster_forward(facility):
    roster_import(facility=facility, month=MARCH, file_name="m.csv", data=csv_bytes(row(1)))
    assert roster_month_for(facility.pk, dt.date(2026, 5, 17)) == MARCH
    assert roster_month_for(facility.pk, dt.date(2026, 2, 1)) is None
    assert roster_entries(facility.pk, dt.date(2026, 5, 1)).count() == 1


def test_the_sandbox_roster_file_imports_5004_participants(facility):
    from bridging.sandbox import roster as sandbox_roster

    result = roster_import(
        facility=facility, month=MARCH, file_name="roster.csv", data=sandbox_roster.as_csv()
    )
    assert (result.rows_accepted, result.rows_rejected) == (5004, 0)
    xlsx = roster_import(
        facility=facility, month=MARCH, file_name="roster.xlsx", data=sandbox_roster.as_xlsx()
    )
    assert (xlsx.rows_accepted, xlsx.rows_unchanged, xlsx.rows_created) == (5004, 5004, 0)


def _checked(p, provider: str, eligibility: str, when: dt.datetime) -> None:
    p.bpjs_provider_code = provider
    p.bpjs_eligibility = eligibility
    p.bpjs_checked_at = when
    p.save(update_fields=["bpjs_provider_code", "bpjs_eligibility", "bpjs_checked_at"])


def test_eligibility_answers_keep_the_month_roster_current(facility):
    roster_import(facility=facility, month=MARCH, file_name="m.csv", data=csv_bytes(row(1), row(2)))
    when = timezone.make_aware(dt.datetime(2026, 4, 6, 9, 0))
    moved = patient(facility, "0002000000001")
    _checked(moved, "0999K002", "other_fktp", when)
    newcomer = patient(facility, "0002000000077", name="PENDATANG BARU")
    _checked(newcomer, "0999K001", "verified", when)
    april = sorted(RosterEntry.objects.filter(month=APRIL).values_list("card_number", "source"))
    assert april == [("0002000000002", "import"), ("0002000000077", "eligibility")]
    # March (the file's month) is left as imported.
    assert RosterEntry.objects.filter(month=MARCH).count() == 2
    assert [e.card_number for e in departures(facility.pk, APRIL)] == ["0002000000001"]
    assert [e.card_number for e in arrivals(facility.pk, APRIL)] == ["0002000000077"]
