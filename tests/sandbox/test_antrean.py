"""Antrean FKTP, BPJS side: references, antrean add / panggil / batal."""

from __future__ import annotations

import datetime as dt

import pytest

CARD = "0001000000001"


def open_day(today: dt.date) -> dt.date:
    day = today + dt.timedelta(days=1)
    while day.weekday() == 6:
        day += dt.timedelta(days=1)
    return day


def next_sunday(today: dt.date) -> dt.date:
    return today + dt.timedelta(days=(6 - today.weekday()) or 7)


def add_body(
    day: dt.date, card: str = CARD, nomor: str = "A-1", angka: int = 1, poli: str = "001"
) -> dict:
    return {
        "nomorkartu": card,
        "nik": "3273010507850001",
        "nohp": "081200000001",
        "kodepoli": poli,
        "namapoli": "UMUM",
        "norm": "RM0001",
        "tanggalperiksa": day.isoformat(),
        "kodedokter": 131491,
        "namadokter": "dr. ANDI PRATAMA",
        "jampraktek": "08:00-14:00",
        "nomorantrean": nomor,
        "angkaantrean": angka,
        "keterangan": "",
    }


def refused(answer, message: str) -> None:
    assert answer.status == 200
    assert answer.body == {"response": None, "metadata": {"message": message, "code": 201}}


def test_ref_poli_and_dokter_on_an_open_day(antrean, today):
    day = open_day(today)
    polis = antrean.get(f"ref/poli/tanggal/{day}")
    assert polis.status == 200
    assert polis.body["metadata"] == {"message": "Ok", "code": 1}
    assert [p["kodepoli"] for p in polis.data["list"]] == ["001", "002", "003"]
    doctors = antrean.get(f"ref/dokter/kodepoli/001/tanggal/{day}").data
    assert doctors == {
        "list": [
            {
                "namadokter": "dr. ANDI PRATAMA",
                "kodedokter": 131491,
                "jampraktek": "08:00-14:00",
                "kapasitas": 50,
            }
        ]
    }
    kia = antrean.get(f"ref/dokter/kodepoli/003/tanggal/{day}").data["list"]
    assert [(d["jampraktek"], d["kapasitas"]) for d in kia] == [("14:00-16:00", 10)]


def test_ref_on_sunday_answers_201(antrean, today):
    sunday = next_sunday(today)
    refused(antrean.get(f"ref/poli/tanggal/{sunday}"), "No Content")
    refused(antrean.get(f"ref/dokter/kodepoli/001/tanggal/{sunday}"), "No Content")


def test_envelope_spelling_is_a_setting(sandbox, antrean, today):
    sandbox.control("PATCH", "/settings", {"antrean_fktp_envelope": "metaData"})
    answer = antrean.get(f"ref/poli/tanggal/{open_day(today)}")
    assert answer.body["metaData"] == {"message": "Ok", "code": 1}
    assert "metadata" not in answer.body


def test_antrean_add_panggil_batal_flow(sandbox, antrean, today):
    added = antrean.post("antrean/add", add_body(today))
    assert added.status == 200
    assert added.body == {"response": None, "metadata": {"message": "Ok", "code": 200}}
    called = antrean.post(
        "antrean/panggil",
        {
            "tanggalperiksa": today.isoformat(),
            "kodepoli": "001",
            "nomorkartu": CARD,
            "status": 1,
            "waktu": 1767225600000,
        },
    )
    assert called.body["metadata"]["code"] == 200
    refused(
        antrean.post(
            "antrean/batal",
            {
                "tanggalperiksa": today.isoformat(),
                "kodepoli": "001",
                "nomorkartu": CARD,
                "alasan": "x",
            },
        ),
        "Antrean sudah dilayani",
    )
    [row] = sandbox.control("GET", "/state/antrean", tanggal=today.isoformat())["antrean"]
    assert row["nomorantrean"] == "A-1"
    assert row["panggilStatus"] == 1
    assert row["deleted"] is False
    assert row["request"] == add_body(today)


def test_batal_of_a_no_show_is_accepted_and_blocks_nothing(sandbox, antrean, today):
    antrean.post("antrean/add", add_body(today))
    antrean.post(
        "antrean/panggil",
        {
            "tanggalperiksa": today.isoformat(),
            "kodepoli": "001",
            "nomorkartu": CARD,
            "status": 2,
            "waktu": 1,
        },
    )
    batal = antrean.post(
        "antrean/batal",
        {
            "tanggalperiksa": today.isoformat(),
            "kodepoli": "001",
            "nomorkartu": CARD,
            "alasan": "jadwal dokter berubah",
        },
    )
    assert batal.body["metadata"] == {"message": "Ok", "code": 200}
    refused(
        antrean.post(
            "antrean/batal",
            {
                "tanggalperiksa": today.isoformat(),
                "kodepoli": "001",
                "nomorkartu": CARD,
                "alasan": "x",
            },
        ),
        "Antrean tidak ditemukan",
    )
    assert (
        antrean.post("antrean/add", add_body(today, nomor="A-2", angka=2)).body["metadata"]["code"]
        == 200
    )
    rows = sandbox.control("GET", "/state/antrean", tanggal=today.isoformat())["antrean"]
    assert [(r["nomorantrean"], r["deleted"]) for r in rows] == [("A-1", True), ("A-2", False)]


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"kodepoli": "099"}, "Poli tidak ditemukan"),
        ({"tanggalperiksa": "2020-01-06"}, "Tanggal periksa tidak berlaku mundur"),
    ],
)
def test_antrean_add_refuses_bad_poli_and_past_dates(sandbox, antrean, today, changes, message):
    refused(antrean.post("antrean/add", {**add_body(today), **changes}), message)
    assert sandbox.control("GET", "/state/antrean")["antrean"] == []


def test_antrean_add_refuses_used_number_and_second_booking(sandbox, antrean, today):
    antrean.post("antrean/add", add_body(today))
    refused(
        antrean.post("antrean/add", add_body(today, card="0001000000005")),
        "Nomor antrean sudah digunakan pada tanggal dan poli tersebut",
    )
    refused(
        antrean.post("antrean/add", add_body(today, nomor="A-2", angka=2)),
        "Peserta sudah terdaftar dalam antrean pada tanggal dan poli yang sama",
    )
    assert len(sandbox.control("GET", "/state/antrean")["antrean"]) == 1


def test_panggil_and_batal_without_add_are_refused(antrean, today):
    body = {
        "tanggalperiksa": today.isoformat(),
        "kodepoli": "001",
        "nomorkartu": CARD,
        "status": 1,
        "waktu": 1,
    }
    refused(antrean.post("antrean/panggil", body), "Antrean tidak ditemukan")
    refused(antrean.post("antrean/batal", {**body, "alasan": "x"}), "Antrean tidak ditemukan")
