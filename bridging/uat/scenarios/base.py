"""What a UAT step is: a small function, its group, its expectation, and how it ends.

A step function takes the :class:`~bridging.uat.context.UatContext` and returns a short message
on success. It ends otherwise by raising :class:`StepFailed` (BPJS or the clinic answered, but
not as expected), :class:`StepSkipped` (it could not run: a step it depends on did not pass, or
the environment does not allow it) or any other exception (an error: recorded, never printed).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from django.utils.functional import Promise

from bridging.transport.errors import BridgingError

if TYPE_CHECKING:
    from bridging.uat.context import UatContext

__all__ = [
    "GROUPS",
    "GROUP_LABELS",
    "Step",
    "StepFailed",
    "StepSkipped",
    "check",
    "refusal_text",
    "registry",
    "step",
]


class StepFailed(Exception):
    """The answer came, but not the expected one."""


class StepSkipped(Exception):
    """The step could not run; the message says why."""


StepFunction = Callable[["UatContext"], str]


@dataclass(frozen=True)
class Step:
    group: str
    name: str
    title: str | Promise
    expectation: str | Promise
    function: StepFunction
    writes: bool = False  # sends test data (refused in production unless confirmed)

    @property
    def key(self) -> str:
        return f"{self.group}.{self.name}"


GROUPS: tuple[str, ...] = ("pcare", "antrean_fktp", "icare", "clinic_ws")
GROUP_LABELS: dict[str, str] = {
    "pcare": "PCare",
    "antrean_fktp": "Antrean FKTP (klinik \u2192 BPJS)",
    "icare": "iCare JKN",
    "clinic_ws": "WS Antrean FKTP klinik (BPJS \u2192 klinik)",
}

_REGISTRY: dict[str, list[Step]] = {group: [] for group in GROUPS}


def step(
    group: str,
    name: str,
    *,
    title: str | Promise,
    expect: str | Promise,
    writes: bool = False,
) -> Callable[[StepFunction], StepFunction]:
    """Register ``function`` as the next step of ``group`` (steps run in definition order)."""

    def register(function: StepFunction) -> StepFunction:
        _REGISTRY[group].append(Step(group, name, title, expect, function, writes))
        return function

    return register


def registry(groups: list[str] | tuple[str, ...] | None = None) -> list[Step]:
    """Every step of the given groups (all by default), in running order."""
    from bridging.uat.scenarios import antrean_fktp, clinic_ws, icare, pcare  # noqa: F401

    chosen = [g for g in GROUPS if groups is None or g in groups]
    return [s for g in chosen for s in _REGISTRY[g]]


def refusal_text(exc: BridgingError) -> str:
    """BPJS's own words for a refusal: the field messages of a 412, else its message."""
    fields = "; ".join(f.message for f in exc.field_errors if f.message)
    return f"Ditolak seperti diharapkan: {fields or exc.bpjs_message or exc.message}"


def check(condition: Any, message: str) -> None:
    """Fail the step with ``message`` unless ``condition`` holds."""
    if not condition:
        raise StepFailed(message)
