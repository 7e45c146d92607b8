"""Outbox timing, read from Django settings with safe defaults.

``OUTBOX_BACKOFF_BASE_SECONDS`` (15), ``OUTBOX_BACKOFF_CAP_SECONDS`` (1800),
``OUTBOX_MAX_ATTEMPTS`` (12), ``OUTBOX_LEASE_SECONDS`` (300), ``OUTBOX_SWEEP_GRACE_SECONDS``
(30), ``OUTBOX_SWEEP_BATCH`` (200), ``OUTBOX_SWEEP_INTERVAL_SECONDS`` (30).
"""

from __future__ import annotations

from django.conf import settings


def _number(name: str, default: float) -> float:
    return float(getattr(settings, name, default))


def backoff_base() -> float:
    return _number("OUTBOX_BACKOFF_BASE_SECONDS", 15.0)


def backoff_cap() -> float:
    return _number("OUTBOX_BACKOFF_CAP_SECONDS", 1800.0)


def max_attempts() -> int:
    return int(_number("OUTBOX_MAX_ATTEMPTS", 12))


def lease_seconds() -> float:
    """How long a claim holds a job: longer than the slowest handler (several BPJS calls)."""
    return _number("OUTBOX_LEASE_SECONDS", 300.0)


def sweep_grace() -> float:
    """A waiting job older than this with no attempt is treated as a lost message."""
    return _number("OUTBOX_SWEEP_GRACE_SECONDS", 30.0)


def sweep_batch() -> int:
    return int(_number("OUTBOX_SWEEP_BATCH", 200))


def sweep_interval() -> float:
    return _number("OUTBOX_SWEEP_INTERVAL_SECONDS", 30.0)
