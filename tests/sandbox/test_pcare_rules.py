"""PCare state and rules (SANDBOX.md "State and rules")."""

from __future__ import annotations

import datetime as dt
import re

import pytest

from tests.sandbox.helpers import (
    CARD,
    add_visit,
    daftar_body,
    kunjungan_body,
    referral,
    rejected,
    state,
)


# ---- pendaftaran ------------------------------------------------------------------------------
def test_pendaftaran_is_created_with_a_queue_number_per_poli(sandbox, pcare, tgl):
    first = pcare.post("pendaftaran", daftar_body(tgl))
    assert first.status == 201
    assert first.body["metaData"] == {"message": "CREATED", "code": 201}
    assert first.data == {"field": "noUrut", "message": "A1"}
    assert pcare.post("pendaftaran", daftar_body(tgl, "0001000000005")).data["message"] == "A2"
    assert pcare.post("pendaftaran", daftar_body(tgl, kd_poli="002")).data["message"] == "B1"
    kia = pcare.post("pendaftaran", daftar_body(tgl, kd_poli="003", kunj_sakit=False))
    assert kia.data["message"] == "C1"


@pytest.mark.parametrize(
    ("card", "field", "message"),
    [
        ("0002000005001", "noKartu", "Peserta tidak ditemukan"),
        ("0001000000003", "noKartu", "Peserta tidak aktif"),
        ("0001000000004", "noKartu", "Peserta tidak aktif"),
        ("0001000000002", "kdProviderPeserta", "Peserta terdaftar di FKTP lain"),
    ],
)
def test_pendaftaran_refuses_participants_who_cannot_register(
    sandbox, pcare, tgl, card, field, message
):
    rejected(pcare.post("pendaftaran", daftar_body(tgl, card)), field, message)
    assert state(sandbox, "pendaftaran") == []


def test_other_fktp_participant_is_accepted_when_the_setting_allows(sandbox, pcare, tgl):
    sandbox.control("PATCH", "/settings", {"allow_other_fktp_pendaftaran": True})
    assert pcare.post("pendaftaran", daftar_body(tgl, "0001000000002")).code == 201


def test_duplicate_pendaftaran_is_refused(sandbox, pcare, tgl):
    assert pcare.post("pendaftaran", daftar_body(tgl)).code == 201
    rejected(
        pcare.post("pendaftaran", daftar_body(tgl)),
        "noKartu",
        "Peserta sudah terdaftar di poli yang sama pada tanggal tersebut",
    )
    assert len(state(sandbox, "pendaftaran")) == 1
    # Another poli the same day is fine.
    assert pcare.post("pendaftaran", daftar_body(tgl, kd_poli="002")).code == 201


def test_pendaftaran_refuses_unknown_poli_wrong_kind_and_future_date(sandbox, pcare, today, tgl):
    rejected(
        pcare.post("pendaftaran", daftar_body(tgl, kd_poli="099")),
        "kdPoli",
        "Kode poli tidak ditemukan",
    )
    rejected(
        pcare.post("pendaftaran", daftar_body(tgl, kd_poli="003", kunj_sakit=True)),
        "kunjSakit",
        "Jenis kunjungan (sakit/sehat) tidak sesuai dengan poli",
    )
    tomorrow = (today + dt.timedelta(days=1)).strftime("%d-%m-%Y")
    rejected(
        pcare.post("pendaftaran", daftar_body(tomorrow)),
        "tglDaftar",
        "Tanggal pendaftaran tidak boleh melebihi tanggal hari ini",
    )
    assert state(sandbox, "pendaftaran") == []


def test_pendaftaran_accepts_any_content_type_and_parses_raw_json(sandbox, pcare, tgl):
    answer = pcare.post("pendaftaran", daftar_body(tgl), headers={"Content-Type": "text/plain"})
    assert answer.code == 201
    answer = pcare.post(
        "pendaftaran", daftar_body(tgl, "0001000000005"), headers={"Content-Type": ""}
    )
    assert answer.code == 201


def test_pendaftaran_read_back_shows_what_was_sent(sandbox, pcare, tgl):
    pcare.post("pendaftaran", daftar_body(tgl))
    one = pcare.get(f"pendaftaran/noUrut/A1/tglDaftar/{tgl}").data
    assert one["noUrut"] == "A1"
    assert one["tgldaftar"] == tgl
    assert one["peserta"]["noKartu"] == CARD
    assert one["poli"] == {"kdPoli": "001", "nmPoli": "UMUM", "poliSakit": True}
    assert one["status"] == "Baru"
    assert (one["sistole"], one["diastole"], one["keluhan"]) == (120, 80, "demam")
    assert one["tkp"] == {"kdTkp": "10", "nmTkp": "RJTP"}
    [held] = state(sandbox, "pendaftaran", tglDaftar=tgl)
    assert held["request"] == daftar_body(tgl)
    assert held["deleted"] is False


def test_pendaftaran_list_is_oldest_first_and_pages_up_to_500(sandbox, pcare, tgl):
    cards = [f"0002{n:09d}" for n in range(1, 13)]
    for card in cards:
        assert pcare.post("pendaftaran", daftar_body(tgl, card)).code == 201
    everything = pcare.get(f"pendaftaran/tglDaftar/{tgl}/0/500").data
    assert everything["count"] == 12
    assert [item["peserta"]["noKartu"] for item in everything["list"]] == cards
    assert [item["noUrut"] for item in everything["list"]] == [f"A{i}" for i in range(1, 13)]
    second_page = pcare.get(f"pendaftaran/tglDaftar/{tgl}/5/5").data
    assert [item["noUrut"] for item in second_page["list"]] == ["A6", "A7", "A8", "A9", "A10"]


def test_deleted_pendaftaran_is_marked_and_blocks_nothing(sandbox, pcare, tgl):
    pcare.post("pendaftaran", daftar_body(tgl))
    deleted = pcare.delete(f"pendaftaran/peserta/{CARD}/tglDaftar/{tgl}/noUrut/A1/kdPoli/001")
    assert deleted.status == 200
    assert deleted.body == {"response": "", "metaData": {"message": "OK", "code": 200}}
    again = pcare.post("pendaftaran", daftar_body(tgl))
    assert again.data["message"] == "A2"
    rows = state(sandbox, "pendaftaran", tglDaftar=tgl)
    assert [(r["noUrut"], r["deleted"]) for r in rows] == [("A1", True), ("A2", False)]
    listed = pcare.get(f"pendaftaran/tglDaftar/{tgl}/0/10").data
    assert [item["noUrut"] for item in listed["list"]] == ["A2"]


def test_pendaftaran_with_a_kunjungan_cannot_be_deleted(sandbox, pcare, tgl):
    add_visit(pcare, tgl)
    answer = pcare.delete(f"pendaftaran/peserta/{CARD}/tglDaftar/{tgl}/noUrut/A1/kdPoli/001")
    rejected(answer, "noUrut", "Pendaftaran sudah memiliki kunjungan")
    assert state(sandbox, "pendaftaran")[0]["deleted"] is False
    assert pcare.get(f"pendaftaran/noUrut/A1/tglDaftar/{tgl}").data["status"] == "Sudah dilayani"


# ---- kunjungan -------------------------------------------------------------------------------
def test_kunjungan_number_format_and_list_response(sandbox, pcare, today, tgl):
    pcare.post("pendaftaran", daftar_body(tgl))
    answer = pcare.post("kunjungan/V1", kunjungan_body(tgl))
    assert answer.status == 201
    assert answer.body["metaData"] == {"message": "CREATED", "code": 201}
    number = f"0999K001{today:%m%y}Y000001"
    assert answer.data == [{"field": "noKunjungan", "message": number}]
    assert add_visit(pcare, tgl, "0001000000005") == f"0999K001{today:%m%y}Y000002"


def test_kunjungan_response_shape_object_setting(sandbox, pcare, tgl):
    sandbox.control("PATCH", "/settings", {"kunjungan_response_shape": "object"})
    pcare.post("pendaftaran", daftar_body(tgl))
    answer = pcare.post("kunjungan/V1", kunjungan_body(tgl))
    assert answer.data["field"] == "noKunjungan"


def test_kunjungan_without_pendaftaran_is_refused(sandbox, pcare, tgl):
    answer = pcare.post("kunjungan/V1", kunjungan_body(tgl))
    rejected(answer, "noKartu", "Belum melakukan pendaftaran pada poli tersebut.")
    pcare.post("pendaftaran", daftar_body(tgl, kd_poli="002"))
    rejected(
        pcare.post("kunjungan/V1", kunjungan_body(tgl)),
        "noKartu",
        "Belum melakukan pendaftaran pada poli tersebut.",
    )
    assert state(sandbox, "kunjungan") == []


def test_second_kunjungan_for_a_pendaftaran_is_refused(sandbox, pcare, tgl):
    add_visit(pcare, tgl)
    rejected(pcare.post("kunjungan/V1", kunjungan_body(tgl)), "noKartu", "Kunjungan sudah ada")
    assert len(state(sandbox, "kunjungan")) == 1


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        ({"kdDiag1": "ZZZ"}, "kdDiag1", "Kode diagnosa tidak ditemukan"),
        ({"kdDiag2": "Q99.99"}, "kdDiag2", "Kode diagnosa tidak ditemukan"),
        ({"kdDokter": "999999"}, "kdDokter", "Kode dokter tidak ditemukan"),
        ({"kdSadar": "09"}, "kdSadar", "Kode kesadaran tidak ditemukan"),
        ({"kdPrognosa": "09"}, "kdPrognosa", "Kode prognosa tidak ditemukan"),
    ],
)
def test_kunjungan_with_unknown_codes_is_refused(sandbox, pcare, tgl, changes, field, message):
    pcare.post("pendaftaran", daftar_body(tgl))
    rejected(pcare.post("kunjungan/V1", kunjungan_body(tgl, **changes)), field, message)
    assert state(sandbox, "kunjungan") == []


def test_referral_without_rujuklanjut_answers_newtonsoft_500(sandbox, pcare, tgl):
    pcare.post("pendaftaran", daftar_body(tgl))
    answer = pcare.post("kunjungan/V1", kunjungan_body(tgl, kdStatusPulang="4", kdDiag1="I20.9"))
    assert answer.status == 500
    assert answer.body == {
        "response": [],
        "metaData": {
            "message": "Cannot access child value on Newtonsoft.Json.Linq.JValue.",
            "code": 500,
        },
    }
    assert state(sandbox, "kunjungan") == []


def test_referral_without_rujuklanjut_answers_412_when_set(sandbox, pcare, tgl):
    sandbox.control("PATCH", "/settings", {"referral_without_rujuklanjut": "412"})
    pcare.post("pendaftaran", daftar_body(tgl))
    answer = pcare.post("kunjungan/V1", kunjungan_body(tgl, kdStatusPulang="4", kdDiag1="I20.9"))
    rejected(answer, "rujukLanjut", "Rujukan lanjut wajib diisi untuk status pulang rujuk")


def test_non_specialist_referral_needs_tacc(sandbox, pcare, tgl):
    pcare.post("pendaftaran", daftar_body(tgl))
    body = kunjungan_body(tgl, kdStatusPulang="4", kdDiag1="K29.7", rujukLanjut=referral(tgl))
    rejected(
        pcare.post("kunjungan/V1", body), "kdTacc", "Diagnosa non spesialistik, TACC wajib diisi"
    )
    body.update(kdTacc=1, alasanTacc="")
    rejected(
        pcare.post("kunjungan/V1", body), "kdTacc", "Diagnosa non spesialistik, TACC wajib diisi"
    )
    body.update(kdTacc=5, alasanTacc="< 3 Hari")
    rejected(
        pcare.post("kunjungan/V1", body), "kdTacc", "Diagnosa non spesialistik, TACC wajib diisi"
    )
    body.update(kdTacc="1", alasanTacc="< 3 Hari")
    assert pcare.post("kunjungan/V1", body).code == 201


def test_specialist_referral_needs_no_tacc(sandbox, pcare, tgl):
    number = add_visit(
        pcare, tgl, kdStatusPulang="4", kdDiag1="I20.9", rujukLanjut=referral(tgl), kdTacc=-1
    )
    letter = pcare.get(f"kunjungan/rujukan/{number}").data
    assert letter["noRujukan"] == number
    assert letter["ppk"]["kdPPK"] == "0999R001"
    assert letter["diag1"]["kdDiag"] == "I20.9"
    assert letter["poli"] == {"kdPoli": "INT", "nmPoli": "PENYAKIT DALAM"}


def test_kunjungan_history_is_oldest_first_without_deleted_visits(sandbox, pcare, today, tgl):
    yesterday = (today - dt.timedelta(days=1)).strftime("%d-%m-%Y")
    first = add_visit(pcare, yesterday)
    second = add_visit(pcare, tgl)
    history = pcare.get(f"kunjungan/peserta/{CARD}").data
    assert [item["noKunjungan"] for item in history["list"]] == [first, second]
    assert history["list"][0]["diagnosa1"] == {
        "kdDiag": "A09",
        "nmDiag": "Other gastroenteritis and colitis of infectious and unspecified origin",
        "nonSpesialis": True,
    }
    deleted = pcare.delete(f"kunjungan/{first}")
    assert deleted.body == {"response": None, "metaData": {"message": "OK", "code": 200}}
    assert [i["noKunjungan"] for i in pcare.get(f"kunjungan/peserta/{CARD}").data["list"]] == [
        second
    ]
    rows = state(sandbox, "kunjungan", noKartu=CARD)
    assert [(r["noKunjungan"], r["deleted"]) for r in rows] == [(first, True), (second, False)]


def test_deleted_kunjungan_blocks_nothing(sandbox, pcare, tgl):
    number = add_visit(pcare, tgl)
    pcare.delete(f"kunjungan/{number}")
    again = pcare.post("kunjungan/V1", kunjungan_body(tgl))
    assert again.code == 201
    assert again.data[0]["message"] != number
    pcare.delete(f"kunjungan/{again.data[0]['message']}")
    assert (
        pcare.delete(f"pendaftaran/peserta/{CARD}/tglDaftar/{tgl}/noUrut/A1/kdPoli/001").code == 200
    )


def test_kunjungan_edit_keeps_every_version(sandbox, pcare, tgl):
    number = add_visit(pcare, tgl)
    edited = pcare.put("kunjungan/V1", kunjungan_body(tgl, noKunjungan=number, kdDiag1="J06.9"))
    assert edited.status == 200
    assert edited.data == [{"field": "noKunjungan", "message": number}]
    [row] = state(sandbox, "kunjungan")
    assert row["request"]["kdDiag1"] == "J06.9"
    assert [r["kdDiag1"] for r in row["requests"]] == ["A09", "J06.9"]
    missing = pcare.put("kunjungan/V1", kunjungan_body(tgl, noKunjungan="0999K0010101Y999999"))
    rejected(missing, "noKunjungan", "Kunjungan tidak ditemukan")


def test_legacy_kunjungan_path_answers_404_by_default(sandbox, pcare, tgl):
    pcare.post("pendaftaran", daftar_body(tgl))
    answer = pcare.post("kunjungan", kunjungan_body(tgl))
    assert answer.status == 404
    assert answer.body == {
        "response": None,
        "metaData": {
            "message": "Unauthorized! You are not registered for this service!",
            "code": 404,
        },
    }
    sandbox.control("PATCH", "/settings", {"legacy_kunjungan_path": "serve"})
    served = pcare.post("kunjungan", kunjungan_body(tgl))
    assert served.code == 201
    assert served.data["field"] == "noKunjungan"


def test_v1_path_is_accepted_in_lower_case(sandbox, pcare, tgl):
    pcare.post("pendaftaran", daftar_body(tgl))
    assert pcare.post("kunjungan/v1", kunjungan_body(tgl)).code == 201


def test_encrypt_412_list_setting(sandbox, pcare, tgl):
    sandbox.control("PATCH", "/settings", {"encrypt_412_list": True})
    answer = pcare.post("pendaftaran", daftar_body(tgl, "0001000000003"))
    assert answer.status == 412
    assert isinstance(answer.raw, str)
    assert answer.data == [{"field": "noKartu", "message": "Peserta tidak aktif"}]


# ---- obat, tindakan, MCU ---------------------------------------------------------------------
def test_obat_tindakan_mcu_need_a_known_kunjungan(sandbox, pcare):
    unknown = "0999K0010101Y999999"
    obat = {
        "kdObatSK": 0,
        "noKunjungan": unknown,
        "racikan": False,
        "kdRacikan": None,
        "obatDPHO": True,
        "kdObat": "110100020",
        "signa1": 3,
        "signa2": 1,
        "jmlObat": 10,
        "jmlPermintaan": 10,
        "nmObatNonDPHO": "",
    }
    rejected(pcare.post("obat/kunjungan", obat), "noKunjungan", "Kunjungan tidak ditemukan")
    tindakan = {
        "kdTindakanSK": 0,
        "noKunjungan": unknown,
        "kdTindakan": "01001",
        "biaya": 15000,
        "keterangan": "",
        "hasil": 110,
    }
    rejected(pcare.post("tindakan", tindakan), "noKunjungan", "Kunjungan tidak ditemukan")
    mcu = {
        "kdMCU": 0,
        "noKunjungan": unknown,
        "kdProvider": "0999K001",
        "tglPelayanan": "01-01-2026",
    }
    rejected(pcare.post("MCU", mcu), "noKunjungan", "Kunjungan tidak ditemukan")


def test_obat_tindakan_mcu_round_trip(sandbox, pcare, tgl):
    number = add_visit(pcare, tgl)
    obat = {
        "kdObatSK": 0,
        "noKunjungan": number,
        "racikan": False,
        "kdRacikan": None,
        "obatDPHO": True,
        "kdObat": "110100020",
        "signa1": 3,
        "signa2": 1,
        "jmlObat": 10,
        "jmlPermintaan": 10,
        "nmObatNonDPHO": "",
    }
    added = pcare.post("obat/kunjungan", obat)
    assert added.status == 201
    assert added.data == [
        {"field": "kdObatSK", "message": "1"},
        {"field": "kdRacikan", "message": None},
    ]
    listed = pcare.get(f"obat/kunjungan/{number}").data
    assert listed["count"] == 1
    assert listed["list"][0]["obat"] == {
        "kdObat": "110100020",
        "nmObat": "Parasetamol tab 500 mg",
        "sedia": 2000,
    }
    assert pcare.delete(f"obat/1/kunjungan/{number}").code == 200
    assert pcare.get(f"obat/kunjungan/{number}").data == {"count": 0, "list": []}

    tindakan = {
        "kdTindakanSK": 0,
        "noKunjungan": number,
        "kdTindakan": "01001",
        "biaya": 15000,
        "keterangan": "GDS",
        "hasil": 110,
    }
    created = pcare.post("tindakan", tindakan)
    assert created.data == {"field": "kdTindakanSK", "message": "1"}
    edited = pcare.put("tindakan", {**tindakan, "kdTindakanSK": 1, "hasil": 120})
    assert edited.status == 200
    assert pcare.get(f"tindakan/kunjungan/{number}").data["list"][0]["hasil"] == 120
    rejected(
        pcare.post("tindakan", {**tindakan, "kdTindakan": "99999"}),
        "kdTindakan",
        "Kode tindakan tidak ditemukan",
    )

    mcu = {
        "kdMCU": 0,
        "noKunjungan": number,
        "kdProvider": "0999K001",
        "tglPelayanan": tgl,
        "gulaDarahPuasa": 110,
    }
    assert pcare.post("MCU", mcu).data == {"field": "kdMCU", "message": "1"}
    assert pcare.get(f"MCU/kunjungan/{number}").data["list"][0]["gulaDarahPuasa"] == 110
    assert pcare.delete(f"MCU/1/kunjungan/{number}").code == 200
    [row] = state(sandbox, "kunjungan")
    assert [o["deleted"] for o in row["obat"]] == [True]
    assert [t["hasil"] for t in row["tindakan"]] == [120]
    assert [m["deleted"] for m in row["mcu"]] == [True]


# ---- kelompok ---------------------------------------------------------------------------------
def test_kelompok_kegiatan_and_peserta(sandbox, pcare, today, tgl):
    clubs = pcare.get("kelompok/club/01").data
    assert [c["clubId"] for c in clubs["list"]] == [2001]
    body = {
        "eduId": None,
        "clubId": 2001,
        "tglPelayanan": tgl,
        "kdKegiatan": "01",
        "kdKelompok": "01",
        "materi": "Senam kaki diabetes",
        "pembicara": "dr. ANDI PRATAMA",
        "lokasi": "Aula",
        "keterangan": "",
        "biaya": 0,
    }
    added = pcare.post("kelompok/kegiatan", body)
    edu_id = added.data["message"]
    assert re.fullmatch(rf"{today:%y%m}\d{{7}}", edu_id)
    assert pcare.post("kelompok/peserta", {"eduId": edu_id, "noKartu": "0001000000006"}).code == 201
    rejected(
        pcare.post("kelompok/peserta", {"eduId": edu_id, "noKartu": "0001000000006"}),
        "noKartu",
        "Peserta sudah terdaftar pada kegiatan ini",
    )
    listed = pcare.get(f"kelompok/kegiatan/{tgl}").data
    assert [k["eduId"] for k in listed["list"]] == [edu_id]
    members = pcare.get(f"kelompok/peserta/{edu_id}").data
    assert [m["peserta"]["noKartu"] for m in members["list"]] == ["0001000000006"]
    assert pcare.delete(f"kelompok/peserta/{edu_id}/0001000000006").code == 200
    assert pcare.delete(f"kelompok/kegiatan/{edu_id}").code == 200
    assert pcare.get(f"kelompok/kegiatan/{tgl}").data == {"count": 0, "list": []}


def test_concurrent_pendaftaran_get_distinct_numbers(sandbox, tgl):
    from concurrent.futures import ThreadPoolExecutor

    from tests.sandbox.bpjs import Bpjs

    cards = [f"0002{n:09d}" for n in range(100, 130)]

    def register(card: str) -> str:
        return Bpjs(sandbox.pcare_url).post("pendaftaran", daftar_body(tgl, card)).data["message"]

    with ThreadPoolExecutor(max_workers=10) as pool:
        numbers = list(pool.map(register, cards))
    assert sorted(numbers, key=lambda n: int(n[1:])) == [f"A{i}" for i in range(1, 31)]
    assert len(state(sandbox, "pendaftaran")) == 30
