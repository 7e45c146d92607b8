"""Reports: top-10 diagnoses by sex and age group, visits per poli and day, referrals by doctor,
and the unusual-occurrence alert. Each returns a ``Table`` (headers and rows, exported to CSV
and XLSX as shown) and, where a picture reads faster, the data for a chart.

Methods (also stated on the pages):
- Diagnoses: the primary diagnosis of each medical record that is not voided; age is the
  patient's age on the first day of the period.
- Unusual occurrence: for every diagnosis, the count in the 7 days ending on the chosen day
  against the 8 weeks before. Flagged when the week's count is at least ``MIN_CASES`` and above
  the baseline mean + 2 x its standard deviation (taken as at least 1, so that a diagnosis
  that is usually absent needs a real jump).
"""

from __future__ import annotations

import datetime as dt
import math
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.db.models import Case, CharField, Count, IntegerField, Max, Value, When
from django.utils.translation import gettext as _

from clinic.capitation import kbk, sources
from clinic.queues.models import Visit, VisitStatus

AGE_GROUPS: list[tuple[int, int | None, str]] = [
    (0, 5, "0-4"),
    (5, 15, "5-14"),
    (15, 25, "15-24"),
    (25, 45, "25-44"),
    (45, 65, "45-64"),
    (65, None, "65+"),
]
SEXES = (("L", "L"), ("P", "P"))
MIN_CASES = 5
BASELINE_WEEKS = 8


@dataclass
class Table:
    headers: list[str]
    rows: list[list[Any]] = field(default_factory=list)


def years_before(day: dt.date, years: int) -> dt.date:
    try:
        return day.replace(year=day.year - years)
    except ValueError:  # 29 February
        return day.replace(year=day.year - years, day=28)


def age_group_case(field_name: str, on: dt.date) -> Case:
    """The age group of a birth date on ``on``, computed in the database."""
    whens = []
    for low, high, label in AGE_GROUPS:
        # age < high  <=>  birth_date > on - high years;  age >= low  <=>  birth <= on - low
        condition: dict[str, Any] = {f"{field_name}__lte": years_before(on, low)}
        if high is not None:
            condition[f"{field_name}__gt"] = years_before(on, high)
        whens.append(When(**condition, then=Value(label)))
    return Case(*whens, default=Value("?"), output_field=CharField())


@dataclass
class TopDiagnoses:
    table: Table
    chart: dict[str, Any]


def top_diagnoses(facility_id: int, start: dt.date, end: dt.date, limit: int = 10) -> TopDiagnoses:
    rows = sources.primary_diagnoses(facility_id, start, end)
    top = list(
        rows.values("code")
        .annotate(n=Count("id"), title=Max("title"))
        .order_by("-n", "code")[:limit]
    )
    codes = [row["code"] for row in top]
    cells: dict[tuple[str, str, str], int] = defaultdict(int)
    breakdown = (
        rows.filter(code__in=codes)
        .annotate(age_group=age_group_case("record__patient__birth_date", start))
        .values("code", "record__patient__sex", "age_group")
        .annotate(n=Count("id"))
    )
    for row in breakdown:
        cells[(row["code"], row["record__patient__sex"], row["age_group"])] += row["n"]
    headers = [_("Rank"), _("ICD-10"), _("Diagnosis")]
    for _sex, sex_label in SEXES:
        for _low, _high, label in AGE_GROUPS:
            headers.append(f"{sex_label} {label}")
    headers += [_("Male"), _("Female"), _("Total")]
    table = Table(headers=headers)
    for rank, row in enumerate(top, start=1):
        line: list[Any] = [rank, row["code"], row["title"]]
        totals = []
        for sex, _sex_label in SEXES:
            per_sex = 0
            for _low, _high, label in AGE_GROUPS:
                value = cells.get((row["code"], sex, label), 0)
                per_sex += value
                line.append(value)
            totals.append(per_sex)
        line += [*totals, row["n"]]
        table.rows.append(line)
    chart = {
        "labels": codes,
        "datasets": [
            {"label": _("Male"), "data": [r[-3] for r in table.rows]},
            {"label": _("Female"), "data": [r[-2] for r in table.rows]},
        ],
    }
    return TopDiagnoses(table=table, chart=chart)


@dataclass
class VisitsPerPoli:
    table: Table
    chart: dict[str, Any]


def visits_per_poli_day(facility_id: int, start: dt.date, end: dt.date) -> VisitsPerPoli:
    """Visits (all payers, not cancelled) per poli and day."""
    counts = (
        Visit.objects.filter(facility_id=facility_id, visit_date__gte=start, visit_date__lt=end)
        .exclude(status=VisitStatus.CANCELLED)
        .values("visit_date", "poli__name")
        .annotate(n=Count("id"))
        .order_by("visit_date", "poli__name")
    )
    polis: list[str] = []
    by_day: dict[dt.date, dict[str, int]] = defaultdict(dict)
    for row in counts:
        if row["poli__name"] not in polis:
            polis.append(row["poli__name"])
        by_day[row["visit_date"]][row["poli__name"]] = row["n"]
    polis.sort()
    days = []
    day = start
    while day < end:
        days.append(day)
        day += dt.timedelta(days=1)
    table = Table(headers=[_("Date"), *polis, _("Total")])
    for day in days:
        values = [by_day.get(day, {}).get(poli, 0) for poli in polis]
        table.rows.append([day, *values, sum(values)])
    total_values = [sum(row[i + 1] for row in table.rows) for i in range(len(polis))]
    table.rows.append([_("Total"), *total_values, sum(total_values)])
    chart = {
        "labels": [d.strftime("%d") for d in days],
        "datasets": [
            {"label": poli, "data": [by_day.get(d, {}).get(poli, 0) for d in days]}
            for poli in polis
        ],
    }
    return VisitsPerPoli(table=table, chart=chart)


def referrals_by_doctor(facility_id: int, start: dt.date, end: dt.date) -> Table:
    """Per doctor: medical records, referrals, referral rate, non-specialist referrals without
    a valid TACC, and that doctor's RRNS."""
    facts = sources.referral_facts(facility_id, start, end)
    records = sources.records_by_doctor(facility_id, start, end)
    per_doctor: dict[str, list[kbk.ReferralFact]] = defaultdict(list)
    for fact in facts:
        per_doctor[fact.doctor_name or "-"].append(fact)
    names = sorted(set(per_doctor) | set(records))
    table = Table(
        headers=[
            _("Doctor"),
            _("Medical records"),
            _("Referrals"),
            _("Referral rate (%)"),
            _("Non-specialist referrals"),
            _("RRNS (%)"),
        ]
    )
    for name in names:
        result = kbk.rrns(per_doctor.get(name, []))
        seen = records.get(name, 0)
        rate = (
            (Decimal(result.total) * 100 / Decimal(seen)).quantize(kbk.TWO_PLACES) if seen else None
        )
        table.rows.append([name, seen, result.total, rate, result.non_specialist, result.percent])
    overall = kbk.rrns(facts)
    seen_all = sum(records.values())
    table.rows.append(
        [
            _("Total"),
            seen_all,
            overall.total,
            (Decimal(overall.total) * 100 / Decimal(seen_all)).quantize(kbk.TWO_PLACES)
            if seen_all
            else None,
            overall.non_specialist,
            overall.percent,
        ]
    )
    return table


@dataclass
class Alert:
    code: str
    title: str
    this_week: int
    mean: float
    sd: float
    threshold: float
    weekly: list[int]  # oldest first, this week last


def unusual_occurrences(facility_id: int, as_of: dt.date) -> tuple[list[Alert], Table]:
    """Diagnoses whose count in the 7 days ending ``as_of`` is well above the 8 weeks before."""
    end = as_of + dt.timedelta(days=1)
    start = end - dt.timedelta(days=7 * (BASELINE_WEEKS + 1))
    whens = [
        When(
            record__visit__visit_date__gte=end - dt.timedelta(days=7 * (week + 1)),
            record__visit__visit_date__lt=end - dt.timedelta(days=7 * week),
            then=Value(week),
        )
        for week in range(BASELINE_WEEKS + 1)
    ]
    counts = (
        sources.primary_diagnoses(facility_id, start, end)
        .annotate(week=Case(*whens, output_field=IntegerField()))
        .values("code", "week")
        .annotate(n=Count("id"), title=Max("title"))
    )
    weeks: dict[str, list[int]] = defaultdict(lambda: [0] * (BASELINE_WEEKS + 1))
    titles: dict[str, str] = {}
    for row in counts:
        weeks[row["code"]][row["week"]] += row["n"]
        titles[row["code"]] = row["title"]
    alerts: list[Alert] = []
    for code, by_week in weeks.items():
        current = by_week[0]
        baseline = by_week[1:]
        mean = sum(baseline) / len(baseline)
        sd = math.sqrt(sum((x - mean) ** 2 for x in baseline) / len(baseline))
        threshold = mean + 2 * max(sd, 1.0)
        if current >= MIN_CASES and current > threshold:
            alerts.append(
                Alert(
                    code=code,
                    title=titles[code],
                    this_week=current,
                    mean=round(mean, 2),
                    sd=round(sd, 2),
                    threshold=round(threshold, 2),
                    weekly=list(reversed(by_week)),
                )
            )
    alerts.sort(key=lambda a: (-(a.this_week - a.threshold), a.code))
    table = Table(
        headers=[
            _("ICD-10"),
            _("Diagnosis"),
            _("This week"),
            _("Baseline mean"),
            _("Baseline SD"),
            _("Threshold"),
        ]
    )
    for alert in alerts:
        table.rows.append(
            [alert.code, alert.title, alert.this_week, alert.mean, alert.sd, alert.threshold]
        )
    return alerts, table
