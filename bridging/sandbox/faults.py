"""Fault injection: latency, JSON 500s, hangs, HTML 500s and garbled ciphertext.

The draws come from one ``random.Random`` seeded with ``seed``, so a run of requests made in the
same order meets the same faults. Each faulted request makes one draw to pick the fault (in the
order timeout, error, html error, garbled); a write that times out makes a second draw against
``apply_on_timeout`` to decide whether it was applied before the hang.
"""

from __future__ import annotations

import random
import threading
from typing import Any

from bridging.sandbox.core import SERVICE_NAMES

RATE_KEYS = ("timeout_rate", "error_rate", "html_error_rate", "garbled_rate")
DEFAULT_HANG_SECONDS = 65.0


def default_faults() -> dict[str, Any]:
    return {
        "latency_ms": 0,
        "error_rate": 0.0,
        "timeout_rate": 0.0,
        "html_error_rate": 0.0,
        "garbled_rate": 0.0,
        "seed": None,
        "hang_seconds": DEFAULT_HANG_SECONDS,
        "apply_on_timeout": 0.0,
        "services": list(SERVICE_NAMES),
    }


class FaultError(ValueError):
    pass


def _number(value: Any, key: str, *, low: float, high: float | None = None) -> float:
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise FaultError(f"{key} harus angka")
    if value < low or (high is not None and value > high):
        bound = f"{low}..{high}" if high is not None else f">= {low}"
        raise FaultError(f"{key} harus dalam rentang {bound}")
    return float(value)


def normalise_faults(raw: Any) -> dict[str, Any]:
    """Validate a PUT body; keys left out are off (or their default)."""
    if not isinstance(raw, dict):
        raise FaultError("body harus objek JSON")
    unknown = set(raw) - set(default_faults())
    if unknown:
        raise FaultError(f"kunci tidak dikenal: {', '.join(sorted(unknown))}")
    faults = default_faults()
    for key in (*RATE_KEYS, "apply_on_timeout"):
        if key in raw:
            faults[key] = _number(raw[key], key, low=0, high=1)
    if sum(faults[key] for key in RATE_KEYS) > 1.0 + 1e-9:
        raise FaultError("jumlah timeout_rate, error_rate, html_error_rate, garbled_rate > 1")
    if "latency_ms" in raw:
        faults["latency_ms"] = _number(raw["latency_ms"], "latency_ms", low=0)
    if "hang_seconds" in raw:
        faults["hang_seconds"] = _number(raw["hang_seconds"], "hang_seconds", low=0)
    if raw.get("seed") is not None:
        seed = raw["seed"]
        if isinstance(seed, bool) or not isinstance(seed, int):
            raise FaultError("seed harus bilangan bulat")
        faults["seed"] = seed
    if raw.get("services") is not None:
        services = raw["services"]
        if not isinstance(services, list) or not all(s in SERVICE_NAMES for s in services):
            raise FaultError(f"services harus daftar dari: {', '.join(SERVICE_NAMES)}")
        faults["services"] = list(dict.fromkeys(services))
    return faults


class FaultPlan:
    """The current faults and their random generator (thread-safe)."""

    def __init__(self, faults: dict[str, Any] | None = None) -> None:
        self._lock = threading.Lock()
        self.replace(faults or default_faults())

    def replace(self, faults: dict[str, Any]) -> None:
        with self._lock:
            self.faults = faults
            self._rng = random.Random(faults.get("seed"))

    def applies_to(self, service: str) -> bool:
        return service in self.faults["services"]

    def draw(self) -> str | None:
        """'timeout', 'error', 'html_error', 'garbled' or None."""
        with self._lock:
            if not any(self.faults[key] for key in RATE_KEYS):
                return None
            roll = self._rng.random()
            threshold = 0.0
            for key in RATE_KEYS:
                threshold += self.faults[key]
                if roll < threshold:
                    return key.removesuffix("_rate")
            return None

    def applied_before_timeout(self) -> bool:
        with self._lock:
            return self._rng.random() < self.faults["apply_on_timeout"]
