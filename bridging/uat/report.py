"""The evidence pack of a UAT run: JSON, HTML, PDF (WeasyPrint) and a ZIP of the JSON, and the
step-by-step comparison of two runs."""

from __future__ import annotations

import io
import json
import logging
import zipfile
from dataclasses import dataclass
from typing import Any

from django.template.loader import render_to_string
from django.utils import timezone, translation

from bridging.uat.models import UatRun, UatStep
from bridging.uat.scenarios.base import GROUP_LABELS

REPORT_VERSION = 1


def report_dict(run: UatRun) -> dict[str, Any]:
    facility = run.facility
    return {
        "report_version": REPORT_VERSION,
        "run": {
            "id": run.pk,
            "facility": {"name": facility.name, "provider_code": facility.bpjs_provider_code},
            "environment": run.environment,
            "groups": run.groups,
            "state": run.state,
            "ok": run.ok,
            "created_at": run.created_at.isoformat(),
            "started_at": run.started_at.isoformat() if run.started_at else None,
            "finished_at": run.finished_at.isoformat() if run.finished_at else None,
            "started_by": run.started_by.get_username() if run.started_by else "",
            "started_from": run.started_from,
            "writes_confirmed": run.writes_confirmed,
            "summary": run.summary(),
            "context": run.context,
            "message": run.message,
        },
        "steps": [s.to_dict() for s in run.steps.all()],
    }


def report_json(run: UatRun) -> str:
    return json.dumps(report_dict(run), ensure_ascii=False, indent=2)


def _pretty(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False, indent=2) if value is not None else ""


def _context(run: UatRun) -> dict[str, Any]:
    groups: list[dict[str, Any]] = []
    for item in run.steps.all():
        if not groups or groups[-1]["key"] != item.group:
            groups.append(
                {"key": item.group, "label": GROUP_LABELS.get(item.group, item.group), "steps": []}
            )
        exchanges = [
            {
                **exchange,
                "body_text": _pretty(exchange.get("body")),
                "response_text": _pretty(exchange.get("response") or exchange.get("error")),
            }
            for exchange in item.exchanges
        ]
        groups[-1]["steps"].append({"step": item, "exchanges": exchanges})
    return {"run": run, "groups": groups, "generated_at": timezone.now()}


def render_html(run: UatRun, *, for_pdf: bool = False) -> str:
    context = _context(run)
    context["for_pdf"] = for_pdf
    return render_to_string("uat/report.html", context)


def render_pdf(run: UatRun) -> bytes:
    from weasyprint import HTML

    for name in ("weasyprint", "fontTools"):
        logging.getLogger(name).setLevel(logging.WARNING)
    with translation.override(translation.get_language() or "id"):
        html = render_html(run, for_pdf=True)
    pdf: bytes = HTML(string=html).write_pdf()
    return pdf


def build_zip(run: UatRun) -> bytes:
    """A ZIP with the run's JSON report and one JSON file per step (ready for the minutes)."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        data = report_dict(run)
        archive.writestr(
            f"uat-{run.pk}/report.json", json.dumps(data, ensure_ascii=False, indent=2)
        )
        for item in data["steps"]:
            name = f"uat-{run.pk}/steps/{item['position']:03d}-{item['group']}-{item['name']}.json"
            archive.writestr(name, json.dumps(item, ensure_ascii=False, indent=2))
    return buffer.getvalue()


def file_stem(run: UatRun) -> str:
    return f"uat-{run.facility.bpjs_provider_code}-{run.environment}-{run.pk}"


@dataclass(frozen=True)
class StepDiff:
    key: str
    group: str
    title: str
    before: str | None
    after: str | None

    @property
    def changed(self) -> bool:
        return self.before != self.after

    @property
    def direction(self) -> str:
        """``fixed``, ``broken``, ``changed``, ``new``, ``gone`` or ``same``."""
        if self.before == self.after:
            return "same"
        if self.before is None:
            return "new"
        if self.after is None:
            return "gone"
        if self.after == "pass":
            return "fixed"
        if self.before == "pass":
            return "broken"
        return "changed"


def compare(before: UatRun, after: UatRun) -> list[StepDiff]:
    """Verdict of each step in two runs, in the later run's order (steps only in the earlier
    run at the end)."""
    old: dict[str, UatStep] = {s.key: s for s in before.steps.all()}
    new: dict[str, UatStep] = {s.key: s for s in after.steps.all()}
    rows = [
        StepDiff(key, s.group, s.title, old[key].verdict if key in old else None, s.verdict)
        for key, s in new.items()
    ]
    rows += [
        StepDiff(key, s.group, s.title, s.verdict, None) for key, s in old.items() if key not in new
    ]
    return rows
