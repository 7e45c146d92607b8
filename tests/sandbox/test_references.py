"""Reference data: PROTOCOL.md §4.7 values, the demo clinic, ICD-10 with nonSpesialis."""

from __future__ import annotations

import pytest


def test_status_pulang_lists(pcare):
    outpatient = pcare.get("statuspulang/rawatInap/false").data
    assert outpatient == {
        "count": 3,
        "list": [
            {"kdStatusPulang": "3", "nmStatusPulang": "Berobat Jalan"},
            {"kdStatusPulang": "4", "nmStatusPulang": "Rujuk Vertikal"},
            {"kdStatusPulang": "6", "nmStatusPulang": "Rujuk Horizontal"},
        ],
    }
    inpatient = pcare.get("statuspulang/rawatInap/true").data
    assert inpatient["list"] == [
        {"kdStatusPulang": "1", "nmStatusPulang": "Sembuh"},
        {"kdStatusPulang": "2", "nmStatusPulang": "Rujuk"},
    ]


def test_inpatient_status_pulang_is_a_setting(sandbox, pcare):
    custom = [{"kdStatusPulang": "1", "nmStatusPulang": "Meninggal"}]
    sandbox.control("PATCH", "/settings", {"status_pulang_inpatient": custom})
    assert pcare.get("statuspulang/rawatInap/true").data["list"] == custom


def test_prognosa_alergi_khusus_values(pcare):
    prognosa = pcare.get("prognosa").data["list"]
    assert [p["kdPrognosa"] for p in prognosa] == ["01", "02", "03", "04", "05"]
    assert prognosa[0]["nmPrognosa"] == "Sanam (Sembuh)"
    food = pcare.get("alergi/jenis/01").data["list"]
    assert [a["nmAlergi"] for a in food] == [
        "Tidak Ada",
        "Seafood",
        "Gandum",
        "Susu Sapi",
        "Kacang-Kacangan",
        "Makanan Lain",
    ]
    khusus = [k["kdKhusus"] for k in pcare.get("spesialis/khusus").data["list"]]
    assert khusus == ["HDL", "THA", "HEM", "IGD", "JIW", "KLT", "PAR", "KEM", "RAT", "HIV"]
    sarana = pcare.get("spesialis/sarana").data["list"]
    assert sarana == [
        {"kdSarana": "1", "nmSarana": "Rekam Medik"},
        {"kdSarana": "2", "nmSarana": "Laboratorium"},
    ]


def test_demo_clinic_polis_and_doctors(pcare):
    polis = pcare.get("poli/fktp/0/100").data
    assert polis["list"] == [
        {"kdPoli": "001", "nmPoli": "UMUM", "poliSakit": True},
        {"kdPoli": "002", "nmPoli": "GIGI", "poliSakit": True},
        {"kdPoli": "003", "nmPoli": "KIA", "poliSakit": False},
    ]
    doctors = pcare.get("dokter/0/100").data["list"]
    assert doctors == [
        {"kdDokter": "131491", "nmDokter": "dr. ANDI PRATAMA"},
        {"kdDokter": "131492", "nmDokter": "drg. SARI WULANDARI"},
    ]
    providers = pcare.get("provider/0/100").data["list"]
    assert [p["kdProvider"] for p in providers] == ["0999K001", "0999K002"]


def test_subspesialis_and_referral_hospital(pcare, tgl):
    subs = pcare.get("spesialis/ANA/subspesialis").data["list"]
    assert subs[0] == {"kdSubSpesialis": "26", "nmSubSpesialis": "ANAK", "kdPoliRujuk": "ANA"}
    hospitals = pcare.get(f"spesialis/rujuk/subspesialis/26/sarana/1/tglEstRujuk/{tgl}").data
    [hospital] = hospitals["list"]
    assert hospital["kdppk"] == "0999R001"
    assert hospital["nmppk"] == "RSU DEMO HARAPAN"
    assert hospital["kapasitas"] == 120
    assert "Senin - Sabtu" in hospital["jadwal"]
    special = pcare.get(f"spesialis/rujuk/khusus/HDL/noKartu/0001000000001/tglEstRujuk/{tgl}")
    assert special.data["list"][0]["kdppk"] == "0999R001"


@pytest.mark.parametrize(
    ("query", "first"),
    [
        (
            "A09",
            {
                "kdDiag": "A09",
                "nmDiag": "Other gastroenteritis and colitis of infectious and unspecified origin",
                "nonSpesialis": True,
            },
        ),
        ("K29.7", {"kdDiag": "K29.7", "nmDiag": "Gastritis, unspecified", "nonSpesialis": True}),
        ("k297", {"kdDiag": "K29.7", "nmDiag": "Gastritis, unspecified", "nonSpesialis": True}),
        (
            "I20.9",
            {"kdDiag": "I20.9", "nmDiag": "Angina pectoris, unspecified", "nonSpesialis": False},
        ),
    ],
)
def test_diagnosa_searches_codes(pcare, query, first):
    found = pcare.get(f"diagnosa/{query}/0/10").data
    assert found["list"][0] == first


def test_diagnosa_flags_subcodes_of_a_listed_category(pcare):
    # A01 is listed as a category: every A01.x is non-specialist.
    found = pcare.get("diagnosa/A01/0/20").data
    assert [d["kdDiag"] for d in found["list"]] == [
        "A01",
        "A01.0",
        "A01.1",
        "A01.2",
        "A01.3",
        "A01.4",
    ]
    assert all(d["nonSpesialis"] for d in found["list"])


def test_diagnosa_searches_words_and_pages(pcare):
    found = pcare.get("diagnosa/typhoid fever/0/2").data
    assert found["count"] >= 2
    assert len(found["list"]) == 2
    assert all(
        "typhoid" in d["nmDiag"].lower() and "fever" in d["nmDiag"].lower() for d in found["list"]
    )
    assert pcare.get("diagnosa/zzzzqqq/0/10").data == {"count": 0, "list": []}


def test_dpho_and_tindakan_with_tariffs(pcare):
    drugs = pcare.get("obat/dpho/amlodipin/0/10").data["list"]
    assert drugs == [
        {"kdObat": "160100032", "nmObat": "Amlodipin tab 5 mg", "sedia": 500},
        {"kdObat": "160100033", "nmObat": "Amlodipin tab 10 mg", "sedia": 300},
    ]
    procedures = pcare.get("tindakan/kdTkp/50/0/10").data["list"]
    assert procedures == [
        {
            "kdTindakan": "05001",
            "nmTindakan": "Penyuluhan kesehatan kelompok",
            "maxTarif": 0,
            "withValue": False,
        },
        {"kdTindakan": "05002", "nmTindakan": "Senam Prolanis", "maxTarif": 0, "withValue": False},
    ]
    rjtp = pcare.get("tindakan/kdTkp/10/0/3").data
    assert rjtp["list"][0] == {
        "kdTindakan": "01001",
        "nmTindakan": "Pemeriksaan gula darah sewaktu",
        "maxTarif": 15000,
        "withValue": True,
    }
    assert len(rjtp["list"]) == 3
