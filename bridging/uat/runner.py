"""Run a UAT: every step of the chosen groups, one after the other, each one's outcome saved.

A step never stops the run: whatever it raises is recorded (verdict ``error`` with the
exception's type and message, no traceback anywhere) and the next step runs. Steps that write
test data are skipped in production unless the admin confirmed them. Against the sandbox the
runner notes the sandbox's faults and settings first and puts them back if they changed.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from typing import Any

import requests
from django.conf import settings
from django.db import transaction
from django.utils import timezone, translation

from bridging.credentials.crypto import decrypt_text
from bridging.transport.errors import BridgingError
from bridging.transport.redact import redact_text
from bridging.uat.context import DEMO_WS_PASSWORD, DEMO_WS_USERNAME, UatContext, UatOptions
from bridging.uat.models import RunState, UatRun, UatStep, Verdict
from bridging.uat.scenarios.base import Step, StepFailed, StepSkipped, registry

log = logging.getLogger(__name__)

StepCallback = Callable[[UatStep], None]


def steps_for(run: UatRun) -> list[Step]:
    return registry(run.groups or None)


def _sandbox_control(path: str, method: str = "GET", body: Any = None) -> Any:
    import os

    base = str(getattr(settings, "BPJS_SANDBOX_URL", "http://127.0.0.1:8001")).rstrip("/")
    token = os.environ.get("BPJS_SANDBOX_CONTROL_TOKEN", "")
    headers = {"X-Sandbox-Token": token} if token else {}
    response = requests.request(
        method, f"{base}/_sandbox/{path}", json=body, headers=headers, timeout=10
    )
    response.raise_for_status()
    return response.json()


def _sandbox_snapshot() -> dict[str, Any] | None:
    try:
        return {"faults": _sandbox_control("faults"), "settings": _sandbox_control("settings")}
    except (requests.RequestException, ValueError):
        return None


def _sandbox_restore(before: dict[str, Any]) -> str:
    after = _sandbox_snapshot()
    if after is None or after == before:
        return "unchanged" if after is not None else "unreachable"
    try:
        if after["faults"] != before["faults"]:
            _sandbox_control("faults", "PUT", before["faults"].get("faults", before["faults"]))
        if after["settings"] != before["settings"]:
            _sandbox_control(
                "settings", "PATCH", before["settings"].get("settings", before["settings"])
            )
    except (requests.RequestException, ValueError):
        return "restore_failed"
    return "restored"


def _describe_error(exc: BaseException) -> str:
    if isinstance(exc, BridgingError):
        text = exc.message
        if exc.bpjs_message and exc.bpjs_message not in text:
            text = f"{text} (BPJS: {exc.bpjs_message})"
        return f"{type(exc).__name__} [{exc.reason}]: {text}"
    if isinstance(exc, requests.RequestException):
        detail = redact_text(str(exc))[:300]
        return f"{type(exc).__name__}: web service klinik tidak dapat dihubungi ({detail})"
    return f"{type(exc).__name__}: {exc}"


def run_step(ctx: UatContext, spec: Step, *, allow_writes: bool) -> dict[str, Any]:
    """Run one step and return its outcome (verdict, message, exchanges, times)."""
    ctx.recorder.begin()
    started = timezone.now()
    clock = time.perf_counter()
    try:
        if spec.writes and not allow_writes:
            raise StepSkipped(
                "Langkah ini menulis data uji; di lingkungan produksi hanya dijalankan bila admin "
                "mengonfirmasinya."
            )
        message = spec.function(ctx) or ""
        verdict = Verdict.PASS
    except StepFailed as exc:
        verdict, message = Verdict.FAIL, str(exc)
    except StepSkipped as exc:
        verdict, message = Verdict.SKIPPED, str(exc)
    except Exception as exc:
        verdict, message = Verdict.ERROR, _describe_error(exc)
    return {
        "verdict": verdict,
        "message": redact_text(message)[:2000],
        "exchanges": ctx.recorder.take(),
        "started_at": started,
        "finished_at": timezone.now(),
        "duration_ms": (time.perf_counter() - clock) * 1000,
    }


def options_for(run: UatRun, **overrides: Any) -> UatOptions:
    password = DEMO_WS_PASSWORD
    if run.clinic_ws_password_encrypted:
        password = decrypt_text(run.clinic_ws_password_encrypted, what="x-password")
    options = UatOptions(
        ws_username=run.clinic_ws_username or DEMO_WS_USERNAME,
        ws_password=password,
        seed=run.pk,
    )
    if run.clinic_url:
        options.clinic_url = run.clinic_url
    for key, value in overrides.items():
        if value is not None and value != "":
            setattr(options, key, value)
    return options


def execute(
    run: UatRun, *, options: UatOptions | None = None, on_step: StepCallback | None = None
) -> UatRun:
    """Run every step of ``run`` now, in this process, saving each step as it ends."""
    specs = steps_for(run)
    UatRun.objects.filter(pk=run.pk).update(
        state=RunState.RUNNING,
        started_at=timezone.now(),
        progress_total=len(specs),
        progress_done=0,
    )
    run.refresh_from_db()
    options = options or options_for(run)
    allow_writes = run.environment != "production" or run.writes_confirmed
    ctx = UatContext(facility_id=run.facility_id, environment=run.environment, options=options)
    sandbox_before = _sandbox_snapshot() if run.environment == "sandbox" else None
    context: dict[str, Any] = {
        "clinic_url": options.clinic_url,
        "open_day": ctx.open_day.isoformat(),
        "today": ctx.today.isoformat(),
    }
    if sandbox_before is not None:
        context["sandbox_faults"] = sandbox_before["faults"]
    counts = dict.fromkeys(Verdict.values, 0)
    try:
        with translation.override(settings.LANGUAGE_CODE):
            for position, spec in enumerate(specs, start=1):
                outcome = run_step(ctx, spec, allow_writes=allow_writes)
                counts[outcome["verdict"]] += 1
                with transaction.atomic():
                    saved = UatStep.objects.create(
                        run=run,
                        position=position,
                        group=spec.group,
                        name=spec.name,
                        title=str(spec.title),
                        expectation=str(spec.expectation),
                        **outcome,
                    )
                    UatRun.objects.filter(pk=run.pk).update(
                        progress_done=position,
                        passed=counts[Verdict.PASS],
                        failed=counts[Verdict.FAIL],
                        errors=counts[Verdict.ERROR],
                        skipped=counts[Verdict.SKIPPED],
                    )
                if on_step is not None:
                    on_step(saved)
        state, message = RunState.FINISHED, ""
    except Exception as exc:
        log.warning("uat run %s stopped: %s", run.pk, type(exc).__name__)
        state, message = RunState.CRASHED, _describe_error(exc)
    finally:
        ctx.close()
    if sandbox_before is not None:
        context["sandbox_restore"] = _sandbox_restore(sandbox_before)
    UatRun.objects.filter(pk=run.pk).update(
        state=state,
        finished_at=timezone.now(),
        message=redact_text(message)[:2000],
        context=context,
        clinic_ws_password_encrypted="",
    )
    run.refresh_from_db()
    return run
