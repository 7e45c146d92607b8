"""The roster file a clinic imports (CSV or XLSX), SANDBOX.md "The roster file".

Rows: every active participant registered at the demo clinic, by card number: demo cards 1, 5, 6
and 7, then the 5,000 roster participants (5,004 rows).
"""

from __future__ import annotations

import csv
import io

from bridging.sandbox.data import TGL_MULAI_AKTIF, registered_participants

COLUMNS = (
    "No",
    "No Kartu",
    "NIK",
    "Nama",
    "Hubungan Keluarga",
    "Jenis Kelamin",
    "Tanggal Lahir",
    "Jenis Peserta",
    "Kelas",
    "No HP",
    "Alamat",
    "Kode Provider",
    "Tgl Mulai Aktif",
)


def rows() -> list[list[str]]:
    result = []
    for index, p in enumerate(registered_participants(), start=1):
        result.append(
            [
                str(index),
                p.no_kartu,
                p.nik,
                p.nama,
                "Peserta",
                p.sex,
                p.tgl_lahir.strftime("%d-%m-%Y"),
                p.jns_peserta,
                str(p.kelas),
                p.no_hp,
                p.alamat,
                p.kd_provider,
                TGL_MULAI_AKTIF.strftime("%d-%m-%Y"),
            ]
        )
    return result


def as_csv() -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(COLUMNS)
    writer.writerows(rows())
    return buffer.getvalue().encode("utf-8")


def as_xlsx() -> bytes:
    from openpyxl import Workbook

    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet("Peserta")
    sheet.append(list(COLUMNS))
    for row in rows():
        # "No" is a number; every other cell is text, so card numbers, NIKs and phone numbers
        # keep their leading zeros.
        sheet.append([int(row[0]), *row[1:]])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
