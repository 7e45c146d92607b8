"""Today's figures per endpoint from the inbound call log: count, error share, latency."""

from __future__ import annotations

import math
from collections import defaultdict
from dataclasses import dataclass
from datetime import datetime, time, timedelta

from django.db.models import Q

from bridging.antrean_ws import clock
from bridging.antrean_ws.models import InboundCall

#: Answers that are not errors: success and "pasien baru".
SUCCESS_CODES = frozenset({200, 202})


def percentile(sorted_values: list[float], p: float) -> float:
    """Nearest-rank percentile of an ascending list (0 for an empty one)."""
    if not sorted_values:
        return 0.0
    rank = max(1, math.ceil(p / 100 * len(sorted_values)))
    return sorted_values[min(rank, len(sorted_values)) - 1]


@dataclass(frozen=True)
class EndpointStats:
    endpoint: str
    count: int
    errors: int
    p50: float
    p95: float
    p99: float
    over_budget: bool

    @property
    def error_share(self) -> float:
        return self.errors / self.count if self.count else 0.0

    @property
    def error_percent(self) -> float:
        return round(self.error_share * 100, 1)


def today_bounds() -> tuple[datetime, datetime]:
    start = datetime.combine(clock.today(), time.min, tzinfo=clock.WIB)
    return start, start + timedelta(days=1)


def endpoint_stats(*, facility_id: int | None, budget_ms: float) -> list[EndpointStats]:
    """Per endpoint, today's calls (WIB) of the facility and those no account could be
    attributed to (unknown user, bad token, unknown path)."""
    start, end = today_bounds()
    calls = InboundCall.objects.filter(at__gte=start, at__lt=end)
    if facility_id is not None:
        calls = calls.filter(Q(facility_id=facility_id) | Q(facility__isnull=True))
    durations: dict[str, list[float]] = defaultdict(list)
    errors: dict[str, int] = defaultdict(int)
    for endpoint, code, http_status, duration in calls.values_list(
        "endpoint", "code", "http_status", "duration_ms"
    ).iterator(chunk_size=5000):
        durations[endpoint].append(float(duration))
        if code not in SUCCESS_CODES or http_status >= 400:
            errors[endpoint] += 1
    stats = []
    for endpoint in sorted(durations):
        values = sorted(durations[endpoint])
        p95 = percentile(values, 95)
        stats.append(
            EndpointStats(
                endpoint=endpoint,
                count=len(values),
                errors=errors[endpoint],
                p50=round(percentile(values, 50), 1),
                p95=round(p95, 1),
                p99=round(percentile(values, 99), 1),
                over_budget=p95 > budget_ms,
            )
        )
    return stats
