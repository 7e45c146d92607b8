"""A token bucket per client address, kept in Django's cache (locmem, Redis or any other).

The bucket holds up to ``burst`` tokens and refills at ``rate`` tokens a second; each request
takes one. The state is one cache entry ``(tokens, updated_at)``. Reading and writing it are
two cache calls, not one atomic step: two requests of the same address arriving at the same
instant may both be let through on the last token, so the limiter errs (slightly) towards
letting traffic through and never refuses more than the bucket says. With a per-process cache
(locmem) each server process keeps its own buckets.
"""

from __future__ import annotations

import time
from collections.abc import Callable

from django.core.cache import cache

PREFIX = "antrean_ws:rl:"


def allow(
    key: str,
    *,
    rate: float,
    burst: int,
    clock: Callable[[], float] = time.time,
) -> bool:
    """Take one token from ``key``'s bucket; False when it is empty."""
    now = clock()
    cache_key = PREFIX + key
    state = cache.get(cache_key)
    if state is None:
        tokens, updated = float(burst), now
    else:
        tokens, updated = state
        tokens = min(float(burst), tokens + max(0.0, now - updated) * rate)
    allowed = tokens >= 1.0
    if allowed:
        tokens -= 1.0
    # Kept until a full bucket would have refilled (and a little more).
    timeout = max(1, int(burst / max(rate, 1e-6)) + 1)
    cache.set(cache_key, (tokens, now), timeout)
    return allowed
