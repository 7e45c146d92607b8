"""UAT runs and steps made directly (no BPJS call), for the page and report tests."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from django.utils import timezone

from bridging.uat.models import RunState, UatRun, UatStep


def make_run(facility: Any, verdicts: dict[str, str], **fields: Any) -> UatRun:
    """A finished run whose steps (``"group.name": verdict``) ran in the order given."""
    now = timezone.now()
    counts = {v: list(verdicts.values()).count(v) for v in ("pass", "fail", "error", "skipped")}
    run = UatRun.objects.create(
        facility=facility,
        environment=fields.pop("environment", "sandbox"),
        state=fields.pop("state", RunState.FINISHED),
        started_at=now,
        finished_at=now + timedelta(seconds=5),
        progress_done=len(verdicts),
        progress_total=len(verdicts),
        passed=counts["pass"],
        failed=counts["fail"],
        errors=counts["error"],
        skipped=counts["skipped"],
        **fields,
    )
    for position, (key, verdict) in enumerate(verdicts.items(), start=1):
        group, name = key.split(".")
        UatStep.objects.create(
            run=run,
            position=position,
            group=group,
            name=name,
            title=f"Title {name}",
            expectation=f"Expectation {name}",
            verdict=verdict,
            started_at=now,
            finished_at=now,
            duration_ms=12.5,
            message=f"Outcome {name}",
            exchanges=[
                {
                    "at": now.isoformat(),
                    "target": group,
                    "method": "GET",
                    "path": "peserta/[NOKARTU]",
                    "body": None,
                    "response": {"http_status": 200, "code": "200", "data": {"noKartu": "***"}},
                    "elapsed_ms": 9.0,
                }
            ],
        )
    return run
