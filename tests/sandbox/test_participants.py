"""Demo participants and the 5,000 roster, as PCare and VClaim serve them."""

from __future__ import annotations

import pytest

from tests.sandbox.helpers import ROSTER

DEMO = {
    "0001000000001": (
        "3273010507850001",
        "BUDI SANTOSO",
        "L",
        "05-07-1985",
        "3",
        "21",
        "PBI (APBN)",
        "0999K001",
        True,
        "AKTIF",
        "",
        0,
    ),
    "0001000000002": (
        "3273015203900002",
        "SITI AMINAH",
        "P",
        "12-03-1990",
        "2",
        "13",
        "PEKERJA PENERIMA UPAH",
        "0999K002",
        True,
        "AKTIF",
        "",
        0,
    ),
    "0001000000003": (
        "3273012011780003",
        "AGUS SETIAWAN",
        "L",
        "20-11-1978",
        "3",
        "22",
        "PBI (APBD)",
        "0999K001",
        False,
        "TIDAK AKTIF",
        "",
        0,
    ),
    "0001000000004": (
        "3273017001820004",
        "DEWI LESTARI",
        "P",
        "30-01-1982",
        "1",
        "14",
        "PEKERJA BUKAN PENERIMA UPAH",
        "0999K001",
        False,
        "TIDAK AKTIF",
        "",
        1250000,
    ),
    "0001000000005": (
        "3273011704550005",
        "HARTONO",
        "L",
        "17-04-1955",
        "1",
        "15",
        "PENERIMA PENSIUN PNS",
        "0999K001",
        True,
        "AKTIF",
        "HT",
        0,
    ),
    "0001000000006": (
        "3273014809600006",
        "SRI WAHYUNI",
        "P",
        "08-09-1960",
        "2",
        "13",
        "PEKERJA PENERIMA UPAH",
        "0999K001",
        True,
        "AKTIF",
        "DM",
        0,
    ),
    "0001000000007": (
        "3273016506930007",
        "RINA KARTIKA",
        "P",
        "25-06-1993",
        "1",
        "13",
        "PEKERJA PENERIMA UPAH",
        "0999K001",
        True,
        "AKTIF",
        "",
        0,
    ),
}
KELAS = {"1": "KELAS I", "2": "KELAS II", "3": "KELAS III"}
PROVIDERS = {"0999K001": "KLINIK PRATAMA SEHAT BERSAMA", "0999K002": "KLINIK PRATAMA MITRA SEHAT"}


@pytest.mark.parametrize("card", sorted(DEMO))
def test_demo_participant_is_served_as_sandbox_md_says(pcare, card):
    nik, nama, sex, lahir, kelas, jns, jns_nama, provider, aktif, ket, prol, tunggakan = DEMO[card]
    answer = pcare.get(f"peserta/{card}")
    assert answer.status == 200
    peserta = answer.data
    assert peserta["noKartu"] == card
    assert peserta["noKTP"] == nik
    assert peserta["nama"] == nama
    assert peserta["sex"] == sex
    assert peserta["tglLahir"] == lahir
    assert peserta["jnsKelas"] == {"kode": kelas, "nama": KELAS[kelas]}
    assert peserta["jnsPeserta"] == {"kode": jns, "nama": jns_nama}
    assert peserta["kdProviderPst"] == {"kdProvider": provider, "nmProvider": PROVIDERS[provider]}
    assert peserta["aktif"] is aktif
    assert peserta["ketAktif"] == ket
    assert peserta["pstProl"] == prol
    assert peserta["tunggakan"] == tunggakan
    assert peserta["noHP"] == "08120000000" + card[-1]
    assert peserta["hubunganKeluarga"] == "Peserta"
    assert peserta["tglMulaiAktif"] == "01-01-2020"
    assert peserta["tglAkhirBerlaku"] == "31-12-2030"


def test_card_7_has_a_private_top_up_insurer(pcare):
    assert pcare.get("peserta/0001000000007").data["asuransi"] == {
        "kdAsuransi": "0001",
        "nmAsuransi": "ASURANSI SEHAT SEJAHTERA (DEMO)",
        "noAsuransi": "ASJ-0007",
        "cob": True,
    }


@pytest.mark.parametrize("n", sorted(ROSTER))
def test_roster_participant_follows_the_formula(pcare, n):
    card, nik, nama, sex, lahir, kelas, jns, hp, _alamat, prol = ROSTER[n]
    peserta = pcare.get(f"peserta/{card}").data
    assert (peserta["noKartu"], peserta["noKTP"], peserta["nama"], peserta["sex"]) == (
        card,
        nik,
        nama,
        sex,
    )
    assert peserta["tglLahir"] == lahir
    assert peserta["jnsKelas"]["kode"] == kelas
    assert peserta["jnsPeserta"]["kode"] == jns
    assert peserta["noHP"] == hp
    assert peserta["pstProl"] == prol
    assert peserta["aktif"] is True
    assert peserta["kdProviderPst"]["kdProvider"] == "0999K001"


@pytest.mark.parametrize("n", sorted(ROSTER))
def test_roster_participant_is_found_by_nik(pcare, n):
    card, nik = ROSTER[n][0], ROSTER[n][1]
    assert pcare.get(f"peserta/nik/{nik}").data["noKartu"] == card


@pytest.mark.parametrize(
    "card", ["0002000000000", "0002000005001", "0001000000008", "1234567890123", "0009000000499"]
)
def test_other_card_numbers_are_not_found_as_no_data(pcare, card):
    answer = pcare.get(f"peserta/{card}")
    assert answer.status == 200
    assert answer.body == {
        "response": None,
        "metaData": {"message": "Data tidak ditemukan", "code": 204},
    }


def test_vclaim_unknown_card_answers_string_201(vclaim):
    answer = vclaim.get("Peserta/nokartu/0002000005001/tglSEP/2026-01-05")
    assert answer.status == 200
    assert answer.body == {
        "response": None,
        "metaData": {"message": "Peserta tidak ditemukan", "code": "201"},
    }


def test_vclaim_peserta_by_card_and_by_nik(vclaim):
    by_card = vclaim.get("Peserta/nokartu/0001000000005/tglSEP/2026-01-05")
    assert by_card.body["metaData"] == {"message": "OK", "code": "200"}
    peserta = by_card.data["peserta"]
    assert peserta["nik"] == "3273011704550005"
    assert peserta["tglLahir"] == "1955-04-17"
    assert peserta["statusPeserta"] == {"kode": "0", "keterangan": "AKTIF"}
    assert peserta["hakKelas"] == {"kode": "1", "keterangan": "KELAS I"}
    assert peserta["jenisPeserta"] == {"kode": "15", "keterangan": "PENERIMA PENSIUN PNS"}
    assert peserta["umur"]["umurSaatPelayanan"].startswith("70 tahun ,8 bulan")
    by_nik = vclaim.get("Peserta/nik/3273011704550005/tglSEP/2026-01-05")
    assert by_nik.data["peserta"]["noKartu"] == "0001000000005"


def test_vclaim_inactive_card_is_found_as_not_active(vclaim):
    peserta = vclaim.get("Peserta/nokartu/0001000000003/tglSEP/2026-01-05").data["peserta"]
    assert peserta["statusPeserta"]["keterangan"] == "TIDAK AKTIF"
