"""iCare URL and history page; VClaim referral lookup and the SEP flow."""

from __future__ import annotations

import datetime as dt
import re

import requests

from tests.sandbox.helpers import add_visit, referral


def test_icare_answers_a_url_on_the_host_as_reached(sandbox, icare, pcare, tgl):
    add_visit(pcare, tgl, "0001000000005", kdDiag1="I10")
    answer = icare.post("api/pcare/validate", {"param": "0001000000005", "kodedokter": 131491})
    assert answer.status == 200
    assert answer.body["metaData"] == {"message": "Sukses", "code": 200}
    url = answer.data["url"]
    assert re.fullmatch(rf"{re.escape(sandbox.base_url)}/_sandbox/icare/history\?token=[\w-]+", url)
    page = requests.get(url, timeout=10)
    assert page.status_code == 200
    assert page.headers["Content-Type"].startswith("text/html")
    assert "X-Frame-Options" not in page.headers
    assert "HARTONO" in page.text
    assert "I10 - Essential (primary) hypertension" in page.text


def test_icare_history_page_needs_no_control_token_and_expires(sandbox, icare):
    url = icare.post("api/rs/validate", {"param": "0001000000001", "kodedokter": 12345}).data["url"]
    assert requests.get(url, timeout=10).status_code == 200
    sandbox.control("POST", "/clock", {"offset_seconds": 601})
    expired = requests.get(url, timeout=10)
    assert expired.status_code == 403
    assert "Token tidak valid" in expired.text


def test_icare_refuses_unknown_and_inactive_cards(icare):
    unknown = icare.post("api/pcare/validate", {"param": "0002000005001"})
    assert unknown.status == 412
    assert unknown.body == {
        "response": [{"field": "param", "message": "Peserta tidak ditemukan"}],
        "metaData": {"message": "Peserta tidak ditemukan", "code": 412},
    }
    inactive = icare.post("api/pcare/validate", {"param": "0001000000004"})
    assert inactive.status == 412
    assert inactive.body["metaData"] == {"message": "Peserta tidak aktif", "code": 412}


def _specialist_referral(pcare, tgl: str, card: str = "0001000000001") -> str:
    return add_visit(
        pcare, tgl, card, kdStatusPulang="4", kdDiag1="I20.9", rujukLanjut=referral(tgl)
    )


def sep_body(no_rujukan: str, tgl_sep: dt.date, card: str = "0001000000001") -> dict:
    return {
        "request": {
            "t_sep": {
                "noKartu": card,
                "tglSep": tgl_sep.isoformat(),
                "ppkPelayanan": "0999R001",
                "jnsPelayanan": "2",
                "klsRawat": {
                    "klsRawatHak": "3",
                    "klsRawatNaik": "",
                    "pembiayaan": "",
                    "penanggungJawab": "",
                },
                "noMR": "RM001",
                "rujukan": {
                    "asalRujukan": "1",
                    "tglRujukan": tgl_sep.isoformat(),
                    "noRujukan": no_rujukan,
                    "ppkRujukan": "0999K001",
                },
                "catatan": "",
                "diagAwal": "I20.9",
                "poli": {"tujuan": "INT", "eksekutif": "0"},
                "cob": {"cob": "0"},
                "katarak": {"katarak": "0"},
                "jaminan": {"lakaLantas": "0", "noLP": "", "penjamin": {}},
                "tujuanKunj": "0",
                "flagProcedure": "",
                "kdPenunjang": "",
                "assesmentPel": "",
                "skdp": {"noSurat": "", "kodeDPJP": ""},
                "dpjpLayan": "12345",
                "noTelp": "081200000001",
                "user": "admisi1",
            }
        }
    }


def test_vclaim_finds_the_clinics_referral_by_number_and_card(vclaim, pcare, today, tgl):
    number = _specialist_referral(pcare, tgl)
    found = vclaim.get(f"Rujukan/{number}")
    assert found.body["metaData"] == {"message": "OK", "code": "200"}
    rujukan = found.data["rujukan"]
    assert rujukan["noKunjungan"] == number
    assert rujukan["tglKunjungan"] == today.isoformat()
    assert rujukan["provPerujuk"] == {"kode": "0999K001", "nama": "KLINIK PRATAMA SEHAT BERSAMA"}
    assert rujukan["diagnosa"] == {"kode": "I20.9", "nama": "Angina pectoris, unspecified"}
    assert rujukan["poliRujukan"] == {"kode": "INT", "nama": "PENYAKIT DALAM"}
    assert rujukan["peserta"]["noKartu"] == "0001000000001"
    assert vclaim.get("Rujukan/Peserta/0001000000001").data["rujukan"]["noKunjungan"] == number
    assert [
        r["noKunjungan"] for r in vclaim.get("Rujukan/List/Peserta/0001000000001").data["rujukan"]
    ] == [number]


def test_vclaim_does_not_find_visits_that_are_not_referrals(vclaim, pcare, tgl):
    number = add_visit(pcare, tgl)
    answer = vclaim.get(f"Rujukan/{number}")
    assert answer.body == {
        "response": None,
        "metaData": {"message": "Data rujukan tidak ditemukan", "code": "201"},
    }


def test_sep_insert_update_delete(sandbox, vclaim, pcare, today, tgl):
    number = _specialist_referral(pcare, tgl)
    inserted = vclaim.post("SEP/2.0/insert", sep_body(number, today))
    assert inserted.status == 200
    assert inserted.body["metaData"] == {"message": "Sukses", "code": "200"}
    sep = inserted.data["sep"]
    assert sep["noSep"] == f"0999R001{today:%m%y}V000001"
    assert sep["noRujukan"] == number
    assert sep["peserta"]["noMr"] == "RM001"
    assert sep["diagnosa"] == "I20.9 - Angina pectoris, unspecified"

    duplicate = vclaim.post("SEP/2.0/insert", sep_body(number, today))
    assert duplicate.body == {
        "response": None,
        "metaData": {
            "message": "SEP untuk rujukan ini sudah terbit pada tanggal tersebut",
            "code": "201",
        },
    }

    update = {
        "request": {"t_sep": {"noSep": sep["noSep"], "catatan": "kontrol", "user": "admisi1"}}
    }
    updated = vclaim.put("SEP/2.0/update", update)
    assert updated.body == {
        "response": sep["noSep"],
        "metaData": {"message": "Sukses", "code": "200"},
    }
    sandbox.control("PATCH", "/settings", {"sep_update_response": "encrypted"})
    assert vclaim.put("SEP/2.0/update", update).data == sep["noSep"]

    deleted = vclaim.delete(
        "SEP/2.0/delete", {"request": {"t_sep": {"noSep": sep["noSep"], "user": "admisi1"}}}
    )
    assert deleted.body == {"response": sep["noSep"], "metaData": {"message": "OK", "code": "200"}}
    again = vclaim.delete(
        "SEP/2.0/delete", {"request": {"t_sep": {"noSep": sep["noSep"], "user": "admisi1"}}}
    )
    assert again.body == {
        "response": None,
        "metaData": {"message": "SEP tidak ditemukan", "code": "201"},
    }
    # A deleted SEP blocks nothing.
    reissued = vclaim.post("SEP/2.0/insert", sep_body(number, today))
    assert reissued.data["sep"]["noSep"] == f"0999R001{today:%m%y}V000002"
    held = sandbox.control("GET", "/state/sep")["sep"]
    assert [(s["noSep"][-6:], s["deleted"]) for s in held] == [("000001", True), ("000002", False)]
    assert [r.get("catatan") for r in held[0]["requests"]] == ["", "kontrol", "kontrol"]


def test_sep_needs_the_referral_for_the_same_card_within_90_days(
    sandbox, vclaim, pcare, today, tgl
):
    number = _specialist_referral(pcare, tgl)
    missing = vclaim.post("SEP/2.0/insert", sep_body("0999K0010101Y999999", today))
    assert missing.body["metaData"] == {"message": "Data rujukan tidak ditemukan", "code": "201"}
    other_card = vclaim.post("SEP/2.0/insert", sep_body(number, today, card="0001000000005"))
    assert other_card.body["metaData"] == {
        "message": "No. Kartu peserta tidak sesuai dengan rujukan",
        "code": "201",
    }
    late = vclaim.post("SEP/2.0/insert", sep_body(number, today + dt.timedelta(days=91)))
    assert late.body["metaData"] == {
        "message": "Rujukan sudah tidak berlaku (lebih dari 90 hari)",
        "code": "201",
    }
    assert sandbox.control("GET", "/state/sep")["sep"] == []
    on_day_90 = vclaim.post("SEP/2.0/insert", sep_body(number, today + dt.timedelta(days=90)))
    assert on_day_90.body["metaData"]["code"] == "200"
    next_day = vclaim.post("SEP/2.0/insert", sep_body(number, today + dt.timedelta(days=1)))
    assert next_day.body["metaData"]["code"] == "200"
