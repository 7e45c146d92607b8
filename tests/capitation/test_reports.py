"""Reports on hand-built data; each expected figure is worked out beside it."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from clinic.capitation import reports
from tests.capitation.factories import card, doctor, patient, record, referral, visit

pytestmark = pytest.mark.django_db

MARCH = dt.date(2026, 3, 1)
APRIL = dt.date(2026, 4, 1)


def test_top_diagnoses_by_sex_and_age_group(facility):
    # Ages on 1 March 2026: born 2023-03-02 is 2 (0-4); born 1991-03-01 is 35 (25-44);
    # born 1961-03-02 is 64 (45-64); born 1961-03-01 is 65 (65+).
    toddler = patient(facility, card(1), sex="P", birth_date=dt.date(2023, 3, 2))
    adult_m = patient(facility, card(2), sex="L", birth_date=dt.date(1991, 3, 1))
    near_65 = patient(facility, card(3), sex="L", birth_date=dt.date(1961, 3, 2))
    senior = patient(facility, card(4), sex="P", birth_date=dt.date(1961, 3, 1))
    for _ in range(3):
        record(facility, adult_m, dt.date(2026, 3, 5), diagnosis="J06.9")
    record(facility, toddler, dt.date(2026, 3, 6), diagnosis="J06.9")
    record(facility, near_65, dt.date(2026, 3, 7), diagnosis="I10")
    record(facility, senior, dt.date(2026, 3, 31), diagnosis="I10")
    record(facility, senior, dt.date(2026, 3, 8), diagnosis="K30")
    record(facility, senior, dt.date(2026, 4, 1), diagnosis="K30")  # April: not counted
    record(facility, senior, dt.date(2026, 3, 9), diagnosis="K30", status="voided")
    result = reports.top_diagnoses(facility.pk, MARCH, APRIL)
    headers = result.table.headers
    assert headers[:3] == ["Peringkat", "ICD-10", "Diagnosis"]
    assert headers[3:9] == ["L 0-4", "L 5-14", "L 15-24", "L 25-44", "L 45-64", "L 65+"]
    assert headers[9:15] == ["P 0-4", "P 5-14", "P 15-24", "P 25-44", "P 45-64", "P 65+"]
    rows = result.table.rows
    #            rank code    title            L: 0-4 .. 65+       P: 0-4 .. 65+       L  P  all
    assert rows == [
        [1, "J06.9", "Diagnosis J06.9", 0, 0, 0, 3, 0, 0, 1, 0, 0, 0, 0, 0, 3, 1, 4],
        [2, "I10", "Diagnosis I10", 0, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0, 1, 1, 1, 2],
        [3, "K30", "Diagnosis K30", 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1, 0, 1, 1],
    ]
    assert result.chart["labels"] == ["J06.9", "I10", "K30"]


def test_top_diagnoses_keeps_only_ten(facility):
    who = patient(facility, card(1))
    for i in range(12):
        for _ in range(12 - i):
            record(facility, who, dt.date(2026, 3, 2), diagnosis=f"A{i:02d}")
    rows = reports.top_diagnoses(facility.pk, MARCH, APRIL).table.rows
    assert [r[1] for r in rows] == [f"A{i:02d}" for i in range(10)]
    assert [r[-1] for r in rows] == list(range(12, 2, -1))


def test_visits_per_poli_and_day(facility):
    who = patient(facility, card(1))
    visit(facility, who, dt.date(2026, 3, 2))
    visit(facility, who, dt.date(2026, 3, 2))
    visit(facility, who, dt.date(2026, 3, 2), poli_code="002", payer="umum")
    visit(facility, who, dt.date(2026, 3, 3), status="cancelled")
    visit(facility, who, dt.date(2026, 4, 1))
    result = reports.visits_per_poli_day(facility.pk, MARCH, APRIL)
    assert result.table.headers == ["Tanggal", "Gigi", "Umum", "Jumlah"]
    assert len(result.table.rows) == 32  # 31 days + the total
    assert result.table.rows[1] == [dt.date(2026, 3, 2), 1, 2, 3]
    assert result.table.rows[2] == [dt.date(2026, 3, 3), 0, 0, 0]
    assert result.table.rows[-1] == ["Jumlah", 1, 2, 3]


def test_referrals_by_doctor_with_rate_and_rrns(facility):
    andi = doctor(facility)
    budi = doctor(facility, "dr. BUDI", "131499")
    who = patient(facility, card(1))
    for _ in range(6):
        record(facility, who, dt.date(2026, 3, 4), by=andi)
    referral(facility, who, dt.date(2026, 3, 5), by=andi, non_specialist=True)
    referral(facility, who, dt.date(2026, 3, 5), by=andi, non_specialist=False)
    referral(
        facility,
        who,
        dt.date(2026, 3, 6),
        by=budi,
        non_specialist=True,
        tacc=2,
        tacc_reason=">= 55 Tahun",
    )
    record(facility, who, dt.date(2026, 3, 6), by=budi)
    table = reports.referrals_by_doctor(facility.pk, MARCH, APRIL)
    # Andi: 8 records (6 + 2 with referrals), 2 referrals = 25 %, 1 non-specialist = 50 %
    # Budi: 2 records, 1 referral = 50 %, TACC-justified: 0 non-specialist = 0 %
    assert table.rows == [
        ["dr. ANDI PRATAMA", 8, 2, Decimal("25.00"), 1, Decimal("50.00")],
        ["dr. BUDI", 2, 1, Decimal("50.00"), 0, Decimal("0.00")],
        ["Jumlah", 10, 3, Decimal("30.00"), 1, Decimal("33.33")],
    ]


def test_unusual_occurrence_flags_a_rise_above_the_baseline(facility):
    who = patient(facility, card(1))
    as_of = dt.date(2026, 3, 31)
    # A09: 1 case in each of the 8 weeks before (mean 1, SD 0 -> taken as 1: threshold 3),
    # then 6 cases this week (25-31 March): flagged.
    for week in range(1, 9):
        record(facility, who, as_of - dt.timedelta(days=7 * week), diagnosis="A09")
    for day in range(6):
        record(facility, who, as_of - dt.timedelta(days=day), diagnosis="A09")
    # J06.9: 6 a week throughout (mean 6, SD 0, threshold 8): 7 this week is not unusual.
    for week in range(1, 9):
        for _ in range(6):
            record(facility, who, as_of - dt.timedelta(days=7 * week + 1), diagnosis="J06.9")
    for _ in range(7):
        record(facility, who, as_of - dt.timedelta(days=2), diagnosis="J06.9")
    # B05: 4 this week, never before: below the minimum of 5 cases.
    for _ in range(4):
        record(facility, who, as_of, diagnosis="B05")
    alerts, table = reports.unusual_occurrences(facility.pk, as_of)
    assert [(a.code, a.this_week, a.mean, a.sd, a.threshold) for a in alerts] == [
        ("A09", 6, 1.0, 0.0, 3.0)
    ]
    assert alerts[0].weekly == [1, 1, 1, 1, 1, 1, 1, 1, 6]
    assert table.rows == [["A09", "Diagnosis A09", 6, 1.0, 0.0, 3.0]]
