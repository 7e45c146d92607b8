"""NIK and card rules (PROTOCOL/SANDBOX: DDMMYY with +40 for women)."""

from __future__ import annotations

from datetime import date

import pytest
from django.utils import translation
from hypothesis import given
from hypothesis import strategies as st

from clinic.patients.nik import (
    IdentityError,
    check_nik_matches,
    clean_card_number,
    normalize_name,
    normalize_phone,
    parse_nik,
)

TODAY = date(2026, 11, 24)

DEMO = [
    ("3273010507850001", date(1985, 7, 5), "L"),
    ("3273015203900002", date(1990, 3, 12), "P"),
    ("3273012011780003", date(1978, 11, 20), "L"),
    ("3273017001820004", date(1982, 1, 30), "P"),
    ("3273011704550005", date(1955, 4, 17), "L"),
    ("3273014809600006", date(1960, 9, 8), "P"),
    ("3273016506930007", date(1993, 6, 25), "P"),
]


@pytest.fixture(autouse=True)
def _indonesian():
    with translation.override("id"):
        yield


@pytest.mark.parametrize(("nik", "birth_date", "sex"), DEMO)
def test_demo_participants_niks_give_their_birth_date_and_sex(nik, birth_date, sex):
    info = parse_nik(nik, today=TODAY)
    assert info.birth_date_candidates == (birth_date,)
    assert info.sex == sex
    assert info.district_code == "327301"
    assert info.province_code == "32"
    assert check_nik_matches(info, birth_date=birth_date, sex=sex) == {}


def test_two_digit_year_gives_both_centuries_when_neither_is_in_the_future():
    info = parse_nik("3273010507100001", today=TODAY)
    assert info.birth_date_candidates == (date(2010, 7, 5), date(1910, 7, 5))
    assert check_nik_matches(info, birth_date=date(1910, 7, 5), sex="L") == {}
    assert check_nik_matches(info, birth_date=date(2010, 7, 5), sex="L") == {}


def test_century_in_the_future_is_left_out():
    info = parse_nik("3273010507300001", today=TODAY)
    assert info.birth_date_candidates == (date(1930, 7, 5),)


def test_birth_date_disagreement_is_explained_in_indonesian():
    info = parse_nik("3273010507850001", today=TODAY)
    assert check_nik_matches(info, birth_date=date(1985, 7, 6), sex="L") == {
        "birth_date": "Tanggal lahir pada NIK (05-07-1985) tidak sama dengan tanggal lahir "
        "yang diisi (06-07-1985)."
    }


def test_sex_disagreement_is_explained_in_indonesian():
    info = parse_nik("3273015203900002", today=TODAY)
    assert check_nik_matches(info, birth_date=date(1990, 3, 12), sex="L") == {
        "sex": "Jenis kelamin pada NIK (perempuan) tidak sama dengan jenis kelamin yang diisi "
        "(laki-laki)."
    }


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ("327301050785000", "NIK harus 16 digit (yang diisi 15 digit)."),
        ("32730105078500011", "NIK harus 16 digit (yang diisi 17 digit)."),
        ("327301050785000A", "NIK hanya boleh berisi angka."),
        ("9973010507850001", "NIK tidak diawali kode provinsi yang dikenal (99)."),
        ("3200010507850001", "Kode wilayah pada NIK (digit 1-6) tidak valid."),
        (
            "3273013102850001",
            "Tanggal lahir pada NIK (digit 7-12: 310285) bukan tanggal yang valid.",
        ),
        ("3273010507850000", "Nomor urut pada NIK (4 digit terakhir) tidak boleh 0000."),
    ],
)
def test_malformed_nik_is_refused_with_a_clear_message(value, message):
    with pytest.raises(IdentityError) as exc:
        parse_nik(value, today=TODAY)
    assert exc.value.message == message


def test_separators_typed_inside_a_nik_are_ignored():
    assert parse_nik("3273 0105 0785 0001", today=TODAY).nik == "3273010507850001"


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ("000100000000A", "Nomor kartu BPJS hanya boleh berisi angka."),
        ("000100000001", "Nomor kartu BPJS harus 13 digit (yang diisi 12 digit)."),
    ],
)
def test_bad_card_numbers_are_refused(value, message):
    with pytest.raises(IdentityError) as exc:
        clean_card_number(value)
    assert exc.value.message == message


def test_card_number_keeps_its_13_digits():
    assert clean_card_number(" 0001 0000 00001 ") == "0001000000001"


@pytest.mark.parametrize(
    "typed", ["081200000001", "+62 812-0000-0001", "6281200000001", "0812 0000 0001"]
)
def test_phone_forms_normalize_to_leading_zero(typed):
    assert normalize_phone(typed) == "081200000001"


def test_name_key_ignores_case_punctuation_and_spaces():
    assert normalize_name("  Siti   aminah, S.Pd ") == normalize_name("SITI AMINAH S PD")


regions = st.sampled_from(["327301", "317404", "110101", "947102", "510301"])


@given(
    birth_date=st.dates(min_value=date(1927, 1, 1), max_value=TODAY),
    sex=st.sampled_from(["L", "P"]),
    region=regions,
    serial=st.integers(min_value=1, max_value=9999),
)
def test_any_well_formed_nik_gives_back_its_birth_date_and_sex(birth_date, sex, region, serial):
    day = birth_date.day + (40 if sex == "P" else 0)
    nik = f"{region}{day:02d}{birth_date:%m%y}{serial:04d}"
    info = parse_nik(nik, today=TODAY)
    assert birth_date in info.birth_date_candidates
    assert all(candidate <= TODAY for candidate in info.birth_date_candidates)
    assert info.sex == sex
    assert info.serial == f"{serial:04d}"
    assert check_nik_matches(info, birth_date=birth_date, sex=sex) == {}


@given(text=st.text(max_size=20))
def test_any_text_either_parses_or_gives_a_message(text):
    try:
        info = parse_nik(text, today=TODAY)
    except IdentityError as exc:
        assert exc.message
    else:
        assert len(info.nik) == 16 and info.nik.isdigit()
        assert info.birth_date_candidates


@given(
    birth_date=st.dates(min_value=date(1927, 1, 1), max_value=TODAY),
    typed=st.dates(min_value=date(1927, 1, 1), max_value=TODAY),
)
def test_a_different_typed_birth_date_is_always_reported(birth_date, typed):
    nik = f"327301{birth_date:%d%m%y}0001"
    info = parse_nik(nik, today=TODAY)
    problems = check_nik_matches(info, birth_date=typed, sex="L")
    assert ("birth_date" in problems) == (typed not in info.birth_date_candidates)
