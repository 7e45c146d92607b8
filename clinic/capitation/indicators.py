"""The KBK dashboard: indicators month to date and projected to month end, the score, the
payment share and expected capitation, and the drill-down lists behind each figure.

Projection to month end: a count (AK's contacts) grows linearly with the open days elapsed,
``count x open days in the month / open days elapsed``; the ratios (RRNS, RPPT) are projected
as they stand. A month that is over is its own projection.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import QuerySet

from clinic.capitation import kbk, sources
from clinic.capitation.kbk import Member, ReferralFact, RpptResult
from clinic.capitation.models import (
    KbkIndicator,
    KbkIndicatorCode,
    KbkScheme,
    ProlanisCondition,
    ProlanisMember,
    RosterEntry,
    RpptRuleSet,
)
from clinic.capitation.periods import Period, period_for
from clinic.capitation.roster import roster_entries, roster_month_for
from clinic.capitation.tariffs import Capitation, capitation_compute, profile_for
from clinic.core.models import Facility


def contacted(facility_id: int, period: Period) -> QuerySet[RosterEntry]:
    cards = sources.contacted_cards(facility_id, period.start, period.end)
    return roster_entries(facility_id, period.month).filter(card_number__in=sorted(cards))


def not_contacted(facility_id: int, period: Period) -> QuerySet[RosterEntry]:
    """The outreach list: registered participants without a contact this month."""
    cards = sources.contacted_cards(facility_id, period.start, period.end)
    return (
        roster_entries(facility_id, period.month)
        .exclude(card_number__in=sorted(cards))
        .order_by("name", "card_number")
    )


def prolanis_members(facility_id: int) -> list[Member]:
    rows = ProlanisMember.objects.filter(
        facility_id=facility_id,
        is_active=True,
        condition__in=[ProlanisCondition.DIABETES, ProlanisCondition.HYPERTENSION],
    ).order_by("name", "card_number")
    return [
        Member(
            card_number=row.card_number,
            condition=row.condition,
            birth_date=row.birth_date,
            name=row.name,
            phone=row.phone,
        )
        for row in rows
    ]


def prolanis_status(
    facility_id: int, period: Period, rule_set: RpptRuleSet | None = None
) -> RpptResult:
    rule_set = rule_set or kbk.active_rule_set()
    criteria = list(rule_set.criteria.all()) if rule_set is not None else []
    members = prolanis_members(facility_id)
    cards = sorted({m.card_number for m in members})
    found = sources.readings(facility_id, period.start, period.end, cards) if cards else []
    return kbk.rppt(members, found, criteria)


def referral_facts(facility_id: int, period: Period, *, detail: bool = False) -> list[ReferralFact]:
    return sources.referral_facts(facility_id, period.start, period.end, detail=detail)


@dataclass(frozen=True)
class Figure:
    code: str
    value: Decimal | None
    projected: Decimal | None
    numerator: int
    denominator: int
    projected_numerator: int | None
    rating: int | None
    projected_rating: int | None
    indicator: KbkIndicator | None

    @property
    def target(self) -> Decimal | None:
        return self.indicator.target if self.indicator else None

    @property
    def unit(self) -> str:
        return self.indicator.unit if self.indicator else ""

    @property
    def met(self) -> bool | None:
        if self.value is None or self.indicator is None:
            return None
        if self.indicator.higher_is_better:
            return self.value >= self.indicator.target
        return self.value <= self.indicator.target

    @property
    def projected_met(self) -> bool | None:
        if self.projected is None or self.indicator is None:
            return None
        if self.indicator.higher_is_better:
            return self.projected >= self.indicator.target
        return self.projected <= self.indicator.target


@dataclass
class Dashboard:
    facility: Facility
    period: Period
    roster_month: dt.date | None
    roster_size: int
    scheme: KbkScheme | None
    rule_set: RpptRuleSet | None
    figures: dict[str, Figure] = field(default_factory=dict)
    score: Decimal | None = None
    projected_score: Decimal | None = None
    share_percent: Decimal | None = None
    projected_share_percent: Decimal | None = None
    kbk_applies: bool = True
    capitation: Capitation | None = None
    projected_capitation: Capitation | None = None

    @property
    def ak(self) -> Figure:
        return self.figures[KbkIndicatorCode.AK]

    @property
    def rrns(self) -> Figure:
        return self.figures[KbkIndicatorCode.RRNS]

    @property
    def rppt(self) -> Figure:
        return self.figures[KbkIndicatorCode.RPPT]


def dashboard(facility: Facility, month: dt.date, today: dt.date) -> Dashboard:
    period = period_for(facility.pk, month, today)
    scheme = kbk.active_scheme(period.last_day)
    rule_set = kbk.active_rule_set()
    indicators: dict[str, KbkIndicator] = {}
    if scheme is not None:
        indicators = {i.code: i for i in scheme.indicators.prefetch_related("bands")}
    roster_size = roster_entries(facility.pk, period.month).count()
    board = Dashboard(
        facility=facility,
        period=period,
        roster_month=roster_month_for(facility.pk, period.month),
        roster_size=roster_size,
        scheme=scheme,
        rule_set=rule_set,
    )

    def figure(
        code: str,
        num: int,
        den: int,
        value: Decimal | None,
        projected_num: int | None,
        projected: Decimal | None,
    ) -> Figure:
        indicator = indicators.get(code)
        return Figure(
            code=code,
            value=value,
            projected=projected,
            numerator=num,
            denominator=den,
            projected_numerator=projected_num,
            rating=kbk.rating_for(indicator, value) if indicator else None,
            projected_rating=kbk.rating_for(indicator, projected) if indicator else None,
            indicator=indicator,
        )

    contacts = contacted(facility.pk, period).count()
    projected_contacts = period.project(contacts)
    if projected_contacts is not None:
        projected_contacts = min(projected_contacts, roster_size)
    board.figures[KbkIndicatorCode.AK] = figure(
        KbkIndicatorCode.AK,
        contacts,
        roster_size,
        kbk.contact_rate(contacts, roster_size),
        projected_contacts,
        kbk.contact_rate(projected_contacts, roster_size)
        if projected_contacts is not None
        else None,
    )
    rrns = kbk.rrns(referral_facts(facility.pk, period))
    board.figures[KbkIndicatorCode.RRNS] = figure(
        KbkIndicatorCode.RRNS, rrns.non_specialist, rrns.total, rrns.percent, None, rrns.percent
    )
    rppt = prolanis_status(facility.pk, period, rule_set)
    board.figures[KbkIndicatorCode.RPPT] = figure(
        KbkIndicatorCode.RPPT, rppt.controlled, rppt.total, rppt.percent, None, rppt.percent
    )
    profile = profile_for(facility)
    board.kbk_applies = profile.kbk_applies
    if scheme is not None:
        board.score = kbk.score(
            {code: f.rating for code, f in board.figures.items()}, indicators.values()
        )
        board.projected_score = kbk.score(
            {code: f.projected_rating for code, f in board.figures.items()}, indicators.values()
        )
        board.share_percent = kbk.payment_share(scheme, facility.facility_type, board.score)
        board.projected_share_percent = kbk.payment_share(
            scheme, facility.facility_type, board.projected_score
        )
    if not profile.kbk_applies:
        board.share_percent = board.projected_share_percent = Decimal(100)
    board.capitation = capitation_compute(
        facility=facility,
        month=period.month,
        roster_size=roster_size,
        share_percent=board.share_percent,
    )
    board.projected_capitation = capitation_compute(
        facility=facility,
        month=period.month,
        roster_size=roster_size,
        share_percent=board.projected_share_percent,
    )
    return board
