"""Shared bodies and helpers of the sandbox tests."""

from __future__ import annotations

CARD = "0001000000001"


def daftar_body(tgl: str, card: str = CARD, kd_poli: str = "001", kunj_sakit: bool = True) -> dict:
    return {
        "kdProviderPeserta": "0999K001",
        "tglDaftar": tgl,
        "noKartu": card,
        "kdPoli": kd_poli,
        "keluhan": "demam",
        "kunjSakit": kunj_sakit,
        "sistole": 120,
        "diastole": 80,
        "beratBadan": 60,
        "tinggiBadan": 165,
        "respRate": 18,
        "lingkarPerut": 80,
        "heartRate": 80,
        "rujukBalik": 0,
        "kdTkp": "10",
    }


def kunjungan_body(tgl: str, card: str = CARD, **changes) -> dict:
    body = {
        "noKunjungan": None,
        "noKartu": card,
        "tglDaftar": tgl,
        "kdPoli": "001",
        "keluhan": "demam",
        "anamnesa": "demam 2 hari",
        "kdSadar": "01",
        "sistole": 120,
        "diastole": 80,
        "beratBadan": 60,
        "tinggiBadan": 165,
        "respRate": 18,
        "heartRate": 80,
        "lingkarPerut": 80,
        "kdStatusPulang": "3",
        "tglPulang": tgl,
        "kdDokter": "131491",
        "kdDiag1": "A09",
        "kdDiag2": None,
        "kdDiag3": None,
        "kdPoliRujukInternal": None,
        "rujukLanjut": None,
        "kdTacc": -1,
        "alasanTacc": None,
        "alergiMakan": "00",
        "alergiUdara": "00",
        "alergiObat": "00",
        "kdPrognosa": "02",
        "terapiObat": "Parasetamol 3x500 mg",
        "terapiNonObat": "istirahat",
        "bmhp": "-",
        "suhu": "36,4",
    }
    body.update(changes)
    return body


def referral(tgl: str) -> dict:
    return {
        "kdppk": "0999R001",
        "tglEstRujuk": tgl,
        "subSpesialis": {"kdSubSpesialis1": "3", "kdSarana": None},
        "khusus": None,
    }


def rejected(answer, field: str, message: str) -> None:
    assert answer.status == 412
    assert answer.body == {
        "response": [{"field": field, "message": message}],
        "metaData": {"message": "PRECONDITION_FAILED", "code": 412},
    }


def add_visit(pcare, tgl, card=CARD, **changes) -> str:
    assert pcare.post("pendaftaran", daftar_body(tgl, card)).code == 201
    answer = pcare.post("kunjungan/V1", kunjungan_body(tgl, card, **changes))
    assert answer.code == 201, answer.body
    return answer.data[0]["message"]


def state(sandbox, kind: str, **params) -> list:
    return sandbox.control("GET", f"/state/{kind}", **params)[kind]


# Worked by hand from the formula in SANDBOX.md.
ROSTER = {
    1: (
        "0002000000001",
        "3273020609610001",
        "BAMBANG SAPUTRA",
        "L",
        "06-09-1961",
        "2",
        "13",
        "081300000001",
        "Jl. Contoh No. 2, Bandung",
        "",
    ),
    2: (
        "0002000000002",
        "3273025305830002",
        "CITRA SAPUTRA",
        "P",
        "13-05-1983",
        "3",
        "21",
        "081300000002",
        "Jl. Contoh No. 3, Bandung",
        "",
    ),
    25: (
        "0002000000025",
        "3273021903890025",
        "GUNAWAN HIDAYAT",
        "L",
        "19-03-1989",
        "2",
        "13",
        "081300000025",
        "Jl. Contoh No. 26, Bandung",
        "HT",
    ),
    40: (
        "0002000000040",
        "3273026011850040",
        "ANI PURNAMA",
        "P",
        "20-11-1985",
        "2",
        "21",
        "081300000040",
        "Jl. Contoh No. 41, Bandung",
        "DM",
    ),
    5000: (
        "0002000005000",
        "3273025206085000",
        "ANI SAPUTRA",
        "P",
        "12-06-2008",
        "3",
        "21",
        "081300005000",
        "Jl. Contoh No. 1, Bandung",
        "DM",
    ),
}
