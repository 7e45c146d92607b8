"""The one search box: each key, part of the name, facility isolation."""

from __future__ import annotations

from datetime import date

import pytest

from clinic.patients.selectors import classify_query, patient_search

pytestmark = pytest.mark.django_db


@pytest.fixture
def budi(make_patient):
    return make_patient(
        name="Budi Santoso",
        birth_date=date(1985, 7, 5),
        nik="3273010507850001",
        bpjs_card_number="0001000000001",
        phone="0812-0000-0001",
    )


@pytest.fixture
def siti(make_patient):
    return make_patient(
        name="Siti Aminah",
        birth_date=date(1990, 3, 12),
        sex="P",
        nik="3273015203900002",
        phone="+62 813 0000 0002",
    )


@pytest.mark.parametrize(
    ("q", "kind", "value"),
    [
        ("3273010507850001", "nik", "3273010507850001"),
        ("3273 0105 0785 0001", "nik", "3273010507850001"),
        ("0001000000001", "card_or_phone", "0001000000001"),
        ("RM-000123", "mrn", "RM-000123"),
        ("rm123", "mrn", "RM-000123"),
        ("123", "mrn", "RM-000123"),
        ("+62 812-0000-0001", "phone", "081200000001"),
        ("6281200000001", "card_or_phone", "6281200000001"),
        ("santo", "name", "santo"),
        ("bu", "too_short", "bu"),
        ("  ", "empty", ""),
    ],
)
def test_query_is_classified_by_its_shape(q, kind, value):
    query = classify_query(q)
    assert (query.kind, query.value) == (kind, value)


def test_search_by_nik(frontdesk, budi, siti):
    assert patient_search(user=frontdesk, q="3273015203900002") == [siti]


def test_search_by_card(frontdesk, budi, siti):
    assert patient_search(user=frontdesk, q="0001000000001") == [budi]


def test_search_by_mrn_in_any_form(frontdesk, budi, siti):
    assert budi.mrn == "RM-000001"
    for q in ("RM-000001", "rm-1", "RM000001", "1"):
        assert patient_search(user=frontdesk, q=q) == [budi], q


@pytest.mark.parametrize("q", ["081300000002", "+6281300000002", "6281300000002", "0813 0000 0002"])
def test_search_by_phone_in_any_form(frontdesk, budi, siti, q):
    assert patient_search(user=frontdesk, q=q) == [siti]


def test_search_by_part_of_the_name_ignores_case(frontdesk, budi, siti, make_patient):
    amin = make_patient(name="Aminudin", birth_date=date(1970, 1, 1))
    assert patient_search(user=frontdesk, q="amin") == [amin, siti]
    assert patient_search(user=frontdesk, q="SANTO") == [budi]
    assert patient_search(user=frontdesk, q="nobody here") == []


def test_short_or_empty_query_finds_nothing(frontdesk, budi):
    assert patient_search(user=frontdesk, q="bu") == []
    assert patient_search(user=frontdesk, q="") == []


def test_search_respects_the_limit(frontdesk, make_patient):
    for n in range(5):
        make_patient(name=f"WARGA {n}", birth_date=date(1990, 1, n + 1))
    assert [p.name for p in patient_search(user=frontdesk, q="warga", limit=3)] == [
        "WARGA 0",
        "WARGA 1",
        "WARGA 2",
    ]


def test_another_facility_sees_none_of_them(dokter_other_facility, budi, siti):
    for q in ("3273010507850001", "0001000000001", "RM-000001", "081200000001", "budi"):
        assert patient_search(user=dokter_other_facility, q=q) == []


def test_every_staff_role_can_search(perawat, dokter, admin, budi):
    for user in (perawat, dokter, admin):
        assert patient_search(user=user, q="budi") == [budi]


def test_more_matches_than_the_limit_are_announced(frontdesk, make_patient):
    from clinic.patients.selectors import patient_search_result

    for n in range(4):
        make_patient(name=f"WARGA {n}", birth_date=date(1990, 1, n + 1))
    assert patient_search_result(user=frontdesk, q="warga", limit=3).more is True
    assert patient_search_result(user=frontdesk, q="warga", limit=4).more is False


def test_htmx_results_say_when_more_match(client_for, frontdesk, make_patient):
    for n in range(21):
        make_patient(name=f"WARGA {n:02d}", birth_date=date(1990, 1, n + 1))
    html = (
        client_for(frontdesk)
        .get("/patients/", {"q": "warga"}, HTTP_HX_REQUEST="true")
        .content.decode()
    )
    assert 'data-testid="more-results"' in html
    assert html.count("WARGA ") == 20


@pytest.mark.postgres
def test_postgresql_name_search_uses_trigrams_and_restores_the_planner(
    frontdesk, make_patient, monkeypatch
):
    from django.db import connection

    if connection.vendor != "postgresql":
        pytest.skip("PostgreSQL only")
    from clinic.patients import selectors

    monkeypatch.setattr(selectors, "NAME_CANDIDATES", 3)
    for name in ("SITI AMINAH", "AMINUDIN", "NUR AMINI", "AMINAH PUTRI", "BUDI"):
        make_patient(name=name)
    result = selectors.patient_search_result(user=frontdesk, q="amin", limit=2)
    assert result.more is True
    assert len(result.patients) == 2
    assert all("AMIN" in p.name for p in result.patients)
    exact = selectors.patient_search_result(user=frontdesk, q="aminu", limit=2)
    assert [p.name for p in exact.patients] == ["AMINUDIN"]
    assert exact.more is False
    # A literal % or _ typed is searched for, not used as a wildcard.
    assert selectors.patient_search(user=frontdesk, q="a%n") == []
    with connection.cursor() as cursor:
        cursor.execute("SHOW enable_seqscan")
        assert cursor.fetchone()[0] == "on"
        cursor.execute("SELECT indexdef FROM pg_indexes WHERE indexname = 'patient_name_trgm'")
        assert "gin_trgm_ops" in cursor.fetchone()[0]
