"""Months, open days and the month-end projection (linear by elapsed open days)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from clinic.queues.models import DoctorSchedule

# Without any schedule a clinic is taken to open Monday to Saturday (SANDBOX.md demo clinic).
DEFAULT_OPEN_WEEKDAYS = frozenset(range(6))


def month_start(day: dt.date) -> dt.date:
    return day.replace(day=1)


def next_month(month: dt.date) -> dt.date:
    return (month.replace(day=28) + dt.timedelta(days=4)).replace(day=1)


def previous_month(month: dt.date) -> dt.date:
    return (month.replace(day=1) - dt.timedelta(days=1)).replace(day=1)


def month_end(month: dt.date) -> dt.date:
    """The last day of the month."""
    return next_month(month) - dt.timedelta(days=1)


def parse_month(text: str | None, default: dt.date) -> dt.date:
    """``2026-03`` -> 2026-03-01; anything else gives the default's month."""
    try:
        year, month = (int(part) for part in (text or "").split("-")[:2])
        return dt.date(year, month, 1)
    except (TypeError, ValueError):
        return month_start(default)


def open_weekdays(facility_id: int) -> frozenset[int]:
    days = DoctorSchedule.objects.filter(facility_id=facility_id).values_list("weekday", flat=True)
    found = frozenset(int(day) for day in days)
    return found or DEFAULT_OPEN_WEEKDAYS


def count_open_days(first: dt.date, last: dt.date, weekdays: frozenset[int]) -> int:
    """Open days from ``first`` to ``last``, both included (0 when last < first)."""
    days = 0
    day = first
    while day <= last:
        if day.weekday() in weekdays:
            days += 1
        day += dt.timedelta(days=1)
    return days


@dataclass(frozen=True)
class Period:
    """A month seen from ``today``: complete (past), in progress, or not started."""

    month: dt.date
    today: dt.date
    open_days_total: int
    open_days_elapsed: int

    @property
    def start(self) -> dt.date:
        return self.month

    @property
    def end(self) -> dt.date:
        """Exclusive: the first day of the next month."""
        return next_month(self.month)

    @property
    def last_day(self) -> dt.date:
        return month_end(self.month)

    @property
    def in_progress(self) -> bool:
        return self.month <= self.today <= self.last_day

    @property
    def complete(self) -> bool:
        return self.today > self.last_day

    def project(self, value: int) -> int | None:
        """A count so far, projected to month end linearly by elapsed open days."""
        if self.complete:
            return value
        if self.open_days_elapsed == 0:
            return None
        return round(value * self.open_days_total / self.open_days_elapsed)


def period_for(facility_id: int, month: dt.date, today: dt.date) -> Period:
    weekdays = open_weekdays(facility_id)
    month = month_start(month)
    last = month_end(month)
    elapsed_until = min(today, last)
    return Period(
        month=month,
        today=today,
        open_days_total=count_open_days(month, last, weekdays),
        open_days_elapsed=count_open_days(month, elapsed_until, weekdays),
    )
