"""KBK indicators on hand-built data; each expected figure is worked out beside it."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from clinic.capitation import kbk
from clinic.capitation.indicators import contacted, dashboard, not_contacted, prolanis_status
from clinic.capitation.models import (
    CapitationProfile,
    KbkIndicator,
    RosterEntry,
    RpptRuleSet,
)
from clinic.capitation.periods import period_for
from tests.capitation.factories import (
    attend,
    card,
    doctor,
    member,
    patient,
    record,
    referral,
    roster_entry,
    visit,
)

pytestmark = pytest.mark.django_db

MARCH = dt.date(2026, 3, 1)
END_OF_MARCH = dt.date(2026, 4, 1)  # "today" after the month: the month is complete


def march(day: int) -> dt.date:
    return dt.date(2026, 3, day)


def test_contacts_count_each_roster_participant_once_within_the_month(facility, other_facility):
    for n in range(1, 11):
        roster_entry(facility, MARCH, n)
    p = {n: patient(facility, card(n)) for n in range(1, 11)}
    visit(facility, p[1], march(1), sick=True)  # first day of the month: counts
    visit(facility, p[2], march(31), sick=False, poli_code="003")  # healthy visit, last day
    visit(facility, p[3], dt.date(2026, 2, 28))  # previous month: no
    visit(facility, p[4], dt.date(2026, 4, 1))  # next month: no
    visit(facility, p[5], march(3))
    visit(facility, p[5], march(4))  # twice: still one participant
    attend(facility, march(12), card(6))  # Prolanis activity: counts
    visit(facility, p[7], march(5), status="cancelled")  # cancelled: no
    visit(facility, p[8], march(5), payer="umum")  # not a BPJS visit: no
    stranger = patient(facility, card(99))
    visit(facility, stranger, march(6))  # not on the roster: no
    elsewhere = patient(other_facility, card(9))
    visit(other_facility, elsewhere, march(6))  # another facility's visit: no
    period = period_for(facility.pk, MARCH, END_OF_MARCH)
    got = sorted(e.card_number for e in contacted(facility.pk, period))
    assert got == [card(1), card(2), card(5), card(6)]
    # AK = 4 x 1000 / 10 = 400 per mil
    assert kbk.contact_rate(len(got), 10) == Decimal("400.00")
    outreach = sorted(e.card_number for e in not_contacted(facility.pk, period))
    assert outreach == [card(n) for n in (3, 4, 7, 8, 9, 10)]


def test_contact_rate_rounds_to_two_places_and_needs_a_roster():
    assert kbk.contact_rate(1, 3) == Decimal("333.33")
    assert kbk.contact_rate(2, 3) == Decimal("666.67")
    assert kbk.contact_rate(0, 0) is None


def test_rrns_counts_non_specialist_referrals_without_tacc_over_all_referrals(facility):
    dr = doctor(facility)
    who = patient(facility, card(1))
    for _ in range(6):
        referral(facility, who, march(10), by=dr, non_specialist=False, diagnosis="I21")
    referral(facility, who, march(1), by=dr, non_specialist=True, diagnosis="K30")
    referral(facility, who, march(31), by=dr, non_specialist=True, diagnosis="J06")
    # TACC 3 with its reason: justified, stays in the denominator only
    referral(
        facility,
        who,
        march(11),
        by=dr,
        non_specialist=True,
        tacc=3,
        tacc_reason="E11 - Type 2 diabetes mellitus",
    )
    # TACC 1 without a reason: not justified
    referral(facility, who, march(12), by=dr, non_specialist=True, tacc=1, tacc_reason=" ")
    # not counted: another month, a horizontal referral, a voided record
    referral(facility, who, dt.date(2026, 2, 28), by=dr, non_specialist=True)
    referral(facility, who, dt.date(2026, 4, 1), by=dr, non_specialist=True)
    referral(facility, who, march(15), by=dr, non_specialist=True, kind="horizontal")
    voided = referral(facility, who, march(16), by=dr, non_specialist=True)
    voided.record.status = "voided"
    voided.record.save()
    # nor a record not yet signed (it has not gone to PCare)
    draft = referral(facility, who, march(17), by=dr, non_specialist=True)
    draft.record.status = "draft"
    draft.record.save()
    period = period_for(facility.pk, MARCH, END_OF_MARCH)
    from clinic.capitation.indicators import referral_facts

    result = kbk.rrns(referral_facts(facility.pk, period))
    # 6 specialist + 4 non-specialist = 10 referrals; 3 non-specialist without a valid TACC
    assert (result.non_specialist, result.total, result.percent) == (3, 10, Decimal("30.00"))
    detail = referral_facts(facility.pk, period, detail=True)
    flagged = sorted(
        (f.date, f.diagnosis_code, f.doctor_name) for f in detail if f.counts_as_non_specialist
    )
    assert flagged == [
        (march(1), "K30", "dr. ANDI PRATAMA"),
        (march(12), "K29", "dr. ANDI PRATAMA"),
        (march(31), "J06", "dr. ANDI PRATAMA"),
    ]


def test_rrns_without_referrals_is_zero():
    assert kbk.rrns([]) == kbk.RrnsResult(non_specialist=0, total=0, percent=Decimal("0.00"))


def _rppt_data(facility):
    born_50 = dt.date(1976, 1, 1)
    m = {}
    m[1] = member(facility, card(1), "DM", dt.date(1960, 5, 1))
    attend(facility, march(10), card(1), fasting_glucose=120)  # 80-130: controlled
    m[2] = member(facility, card(2), "DM", dt.date(1960, 5, 1))
    attend(facility, march(10), card(2), fasting_glucose=140)  # too high
    m[3] = member(facility, card(3), "HT", born_50)
    record(facility, patient(facility, card(3)), march(5), systolic=125, diastolic=75)
    m[4] = member(facility, card(4), "HT", dt.date(1961, 3, 5))  # 65 on 5 March
    record(facility, patient(facility, card(4)), march(5), systolic=125, diastolic=75)
    m[5] = member(facility, card(5), "HT", born_50)
    p5 = patient(facility, card(5))
    record(facility, p5, march(3), systolic=125, diastolic=75)
    attend(facility, march(20), card(5), systolic=150, diastolic=95)  # latest: not controlled
    m[6] = member(facility, card(6), "HT", born_50)
    p6 = patient(facility, card(6))
    record(facility, p6, dt.date(2026, 2, 28), systolic=125, diastolic=75)  # outside month
    record(facility, p6, dt.date(2026, 4, 1), systolic=125, diastolic=75)  # outside month
    m[7] = member(facility, card(7), "HT", born_50)
    record(facility, patient(facility, card(7)), march(31), systolic=125, diastolic=75)
    m[8] = member(facility, card(8), "HT", dt.date(1961, 3, 6))  # still 64 on 5 March
    record(facility, patient(facility, card(8)), march(5), systolic=125, diastolic=75)
    return m


def test_rppt_with_the_age_dependent_hypertension_rule(facility):
    _rppt_data(facility)
    rule_a = RpptRuleSet.objects.get(is_active=True)
    assert rule_a.name.startswith("Varian A")
    period = period_for(facility.pk, MARCH, END_OF_MARCH)
    result = prolanis_status(facility.pk, period, rule_a)
    controlled = sorted(s.member.card_number for s in result.statuses if s.controlled)
    # 1 (DM 120), 3 (50 y, 125/75), 7 (last day), 8 (64 y, 125/75); 4 is 65 and needs 130-139
    assert controlled == [card(1), card(3), card(7), card(8)]
    assert (result.controlled, result.total, result.percent) == (4, 8, Decimal("50.00"))


def test_rppt_with_the_other_hypertension_rule(facility):
    _rppt_data(facility)
    rule_b = RpptRuleSet.objects.get(name__startswith="Varian B")
    period = period_for(facility.pk, MARCH, END_OF_MARCH)
    result = prolanis_status(facility.pk, period, rule_b)
    # 110-129 / <90 for every age: 4 is controlled too -> 5 of 8
    assert (result.controlled, result.total, result.percent) == (5, 8, Decimal("62.50"))


@pytest.mark.parametrize(
    ("code", "value", "rating"),
    [
        ("AK", "150", 4),
        ("AK", "149.99", 3),
        ("AK", "145.01", 3),
        ("AK", "145", 2),
        ("AK", "140.01", 2),
        ("AK", "140", 1),
        ("RRNS", "0", 4),
        ("RRNS", "2", 4),
        ("RRNS", "2.01", 3),
        ("RRNS", "2.5", 3),
        ("RRNS", "3", 2),
        ("RRNS", "3.01", 1),
        ("RPPT", "5", 4),
        ("RPPT", "4.99", 3),
        ("RPPT", "4", 3),
        ("RPPT", "3", 2),
        ("RPPT", "2.99", 1),
    ],
)
def test_rating_bands_at_their_edges(code, value, rating):
    indicator = KbkIndicator.objects.get(code=code, scheme__is_active=True)
    assert kbk.rating_for(indicator, Decimal(value)) == rating


def test_score_and_payment_share_from_the_tables():
    scheme = kbk.active_scheme()
    assert scheme is not None
    indicators = list(scheme.indicators.all())
    # 3 x 0.4 + 3 x 0.5 + 2 x 0.1 = 2.9 -> 96 % (klinik pratama), 90 % (puskesmas)
    value = kbk.score({"AK": 3, "RRNS": 3, "RPPT": 2}, indicators)
    assert value == Decimal("2.90")
    assert kbk.payment_share(scheme, "klinik_pratama", value) == Decimal(96)
    assert kbk.payment_share(scheme, "puskesmas", value) == Decimal(90)
    top = kbk.score({"AK": 4, "RRNS": 4, "RPPT": 4}, indicators)
    assert (top, kbk.payment_share(scheme, "klinik_pratama", top)) == (Decimal("4.00"), 100)
    # 4 x 0.4 + 3 x 0.5 + 1 x 0.1 = 3.2 -> 97 %
    assert kbk.payment_share(
        scheme, "klinik_pratama", kbk.score({"AK": 4, "RRNS": 3, "RPPT": 1}, indicators)
    ) == Decimal(97)
    assert kbk.score({"AK": 4, "RRNS": None, "RPPT": 4}, indicators) is None


def test_projection_is_linear_by_elapsed_open_days(facility):
    # March 2026 has 31 days and 5 Sundays (1, 8, 15, 22, 29): 26 open days Monday-Saturday.
    # On Saturday 14 March, 12 open days have passed (14 days minus 2 Sundays).
    period = period_for(facility.pk, MARCH, march(14))
    assert (period.open_days_total, period.open_days_elapsed) == (26, 12)
    assert period.project(60) == 130  # 60 x 26 / 12
    assert period_for(facility.pk, MARCH, END_OF_MARCH).project(60) == 60
    assert period_for(facility.pk, MARCH, dt.date(2026, 2, 20)).project(0) is None


def test_dashboard_month_to_date_projection_score_and_capitation(facility):
    CapitationProfile.objects.create(facility=facility, general_practitioners=1, has_dentist=True)
    RosterEntry.objects.bulk_create(
        RosterEntry(facility=facility, month=MARCH, card_number=card(n), name=f"P {n}")
        for n in range(1, 41)
    )
    for n in range(1, 5):
        visit(facility, patient(facility, card(n)), march(2 + n))
    member(facility, card(1), "DM", dt.date(1960, 1, 1))
    attend(facility, march(9), card(1), fasting_glucose=100)
    board = dashboard(facility, MARCH, march(14))
    # AK: 4 contacts of 40 = 100 per mil (rating 1); projected 4 x 26 / 12 = 8.67 -> 9 -> 225
    assert (board.ak.numerator, board.ak.denominator, board.ak.value) == (4, 40, Decimal("100"))
    assert (board.ak.projected_numerator, board.ak.projected) == (9, Decimal("225.00"))
    assert (board.ak.rating, board.ak.projected_rating) == (1, 4)
    # RRNS: no referrals, 0 % (rating 4); RPPT: 1 of 1 controlled, 100 % (rating 4)
    assert (board.rrns.value, board.rrns.rating) == (Decimal("0.00"), 4)
    assert (board.rppt.value, board.rppt.rating) == (Decimal("100.00"), 4)
    # score 1 x 0.4 + 4 x 0.5 + 4 x 0.1 = 2.8 -> 96 %; projected 4.0 -> 100 %
    assert (board.score, board.share_percent) == (Decimal("2.80"), Decimal(96))
    assert (board.projected_score, board.projected_share_percent) == (Decimal("4.00"), 100)
    # 40 participants, 1 GP: ratio within 5000, with dentist: Rp 12,000 -> 480,000 in full
    assert board.capitation is not None and board.projected_capitation is not None
    assert board.capitation.full_amount == Decimal(480_000)
    assert board.capitation.expected_amount == Decimal(460_800)
    assert board.projected_capitation.expected_amount == Decimal(480_000)
