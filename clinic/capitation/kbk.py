"""KBK arithmetic: the three indicators, their ratings, the score and the payment share.

Everything here works on plain values (counts, facts, readings) so that it can be checked by
hand; ``indicators.py`` gathers those values from the database. The numbers that regulations
set (weights, bands, payment table, RPPT thresholds) come from the rows of ``KbkScheme`` and
``RpptRuleSet``.

Formulas (PROTOCOL.md 9.2):
- AK = participants with at least one contact in the month x 1000 / registered participants.
- RRNS = non-specialist referrals without a valid TACC x 100 / all referrals (TACC-justified
  ones stay in the denominator). No referrals at all: 0 %.
- RPPT = controlled Prolanis participants (DM type 2 or hypertension) x 100 / all of them.
  No Prolanis participants: no value.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from clinic.capitation.models import (
    KbkIndicator,
    KbkPaymentBand,
    KbkScheme,
    ProlanisCondition,
    RpptCriterion,
    RpptRuleSet,
)

TWO_PLACES = Decimal("0.01")


def _ratio(numerator: int, denominator: int, scale: int) -> Decimal:
    value = Decimal(numerator) * scale / Decimal(denominator)
    return value.quantize(TWO_PLACES, rounding=ROUND_HALF_UP)


def contact_rate(contacts: int, roster_size: int) -> Decimal | None:
    """Contacts per mil of the roster; ``None`` without a roster."""
    if roster_size <= 0:
        return None
    return _ratio(contacts, roster_size, 1000)


@dataclass(frozen=True)
class ReferralFact:
    """One referral as the indicators see it (built by ``sources.referral_facts``)."""

    referral_id: int
    date: dt.date
    non_specialist: bool
    tacc_justified: bool
    doctor_name: str = ""
    diagnosis_code: str = ""
    diagnosis_name: str = ""
    patient_name: str = ""
    card_number: str = ""

    @property
    def counts_as_non_specialist(self) -> bool:
        return self.non_specialist and not self.tacc_justified


@dataclass(frozen=True)
class RrnsResult:
    non_specialist: int
    total: int
    percent: Decimal


def rrns(referrals: Iterable[ReferralFact]) -> RrnsResult:
    facts = list(referrals)
    numerator = sum(1 for fact in facts if fact.counts_as_non_specialist)
    total = len(facts)
    percent = _ratio(numerator, total, 100) if total else Decimal("0.00")
    return RrnsResult(non_specialist=numerator, total=total, percent=percent)


@dataclass(frozen=True)
class Reading:
    """A blood-pressure and/or fasting-glucose reading of a participant on a day."""

    card_number: str
    date: dt.date
    systolic: int | None = None
    diastolic: int | None = None
    fasting_glucose: int | None = None
    order: int = 0  # breaks ties on the same day: the higher is the later


@dataclass(frozen=True)
class Member:
    card_number: str
    condition: str
    birth_date: dt.date | None
    name: str = ""
    phone: str = ""


def age_on(birth_date: dt.date | None, day: dt.date) -> int | None:
    if birth_date is None:
        return None
    years = day.year - birth_date.year
    if (day.month, day.day) < (birth_date.month, birth_date.day):
        years -= 1
    return years


def _within(value: int | None, low: int | None, high: int | None) -> bool:
    if low is None and high is None:
        return True
    if value is None:
        return False
    if low is not None and value < low:
        return False
    return not (high is not None and value > high)


def criterion_applies(criterion: RpptCriterion, condition: str, age: int | None) -> bool:
    if criterion.condition != condition:
        return False
    if criterion.age_from is None and criterion.age_below is None:
        return True
    if age is None:
        return False
    if criterion.age_from is not None and age < criterion.age_from:
        return False
    return not (criterion.age_below is not None and age >= criterion.age_below)


def criterion_met(criterion: RpptCriterion, reading: Reading) -> bool:
    return (
        _within(reading.systolic, criterion.systolic_min, criterion.systolic_max)
        and _within(reading.diastolic, criterion.diastolic_min, criterion.diastolic_max)
        and _within(reading.fasting_glucose, criterion.glucose_min, criterion.glucose_max)
    )


def relevant(condition: str, reading: Reading) -> bool:
    """A reading that can say something about the condition."""
    if condition == ProlanisCondition.DIABETES:
        return reading.fasting_glucose is not None
    return reading.systolic is not None and reading.diastolic is not None


def latest_reading(member: Member, readings: Sequence[Reading]) -> Reading | None:
    mine = [
        r for r in readings if r.card_number == member.card_number and relevant(member.condition, r)
    ]
    if not mine:
        return None
    return max(mine, key=lambda r: (r.date, r.order))


def is_controlled(
    member: Member, reading: Reading | None, criteria: Sequence[RpptCriterion]
) -> bool:
    """Controlled when the latest relevant reading of the month meets an applicable criterion
    (one for the member's condition and age). No reading in the month: not controlled."""
    if reading is None:
        return False
    age = age_on(member.birth_date, reading.date)
    return any(
        criterion_met(criterion, reading)
        for criterion in criteria
        if criterion_applies(criterion, member.condition, age)
    )


@dataclass(frozen=True)
class MemberStatus:
    member: Member
    reading: Reading | None
    controlled: bool


@dataclass(frozen=True)
class RpptResult:
    controlled: int
    total: int
    percent: Decimal | None
    statuses: list[MemberStatus]


def rppt(
    members: Sequence[Member], readings: Sequence[Reading], criteria: Sequence[RpptCriterion]
) -> RpptResult:
    by_card: dict[str, list[Reading]] = {}
    for reading in readings:
        by_card.setdefault(reading.card_number, []).append(reading)
    statuses = []
    for member in members:
        latest = latest_reading(member, by_card.get(member.card_number, []))
        statuses.append(MemberStatus(member, latest, is_controlled(member, latest, criteria)))
    controlled = sum(1 for status in statuses if status.controlled)
    percent = _ratio(controlled, len(statuses), 100) if statuses else None
    return RpptResult(
        controlled=controlled, total=len(statuses), percent=percent, statuses=statuses
    )


# --- ratings, score, payment -----------------------------------------------------------------


def active_scheme(on: dt.date | None = None) -> KbkScheme | None:
    schemes = KbkScheme.objects.filter(is_active=True)
    if on is not None:
        schemes = schemes.filter(valid_from__lte=on)
    return schemes.order_by("-valid_from").first()


def active_rule_set() -> RpptRuleSet | None:
    return RpptRuleSet.objects.filter(is_active=True).prefetch_related("criteria").first()


def rating_for(indicator: KbkIndicator, value: Decimal | None) -> int | None:
    if value is None:
        return None
    for band in indicator.bands.all():
        if band.contains(value):
            return int(band.rating)
    return None


def score(ratings: dict[str, int | None], indicators: Iterable[KbkIndicator]) -> Decimal | None:
    """Sum of rating x weight; ``None`` when any indicator has no rating."""
    total = Decimal(0)
    for indicator in indicators:
        rating = ratings.get(indicator.code)
        if rating is None:
            return None
        total += Decimal(rating) * indicator.weight
    return total.quantize(TWO_PLACES, rounding=ROUND_HALF_UP)


def payment_share(scheme: KbkScheme, facility_type: str, value: Decimal | None) -> Decimal | None:
    """The share of capitation paid (percent) for a score, from the payment table."""
    if value is None:
        return None
    band: KbkPaymentBand | None = (
        scheme.payment_bands.filter(facility_type=facility_type, min_score__lte=value)
        .order_by("-min_score")
        .first()
    )
    return band.share_percent if band is not None else None
