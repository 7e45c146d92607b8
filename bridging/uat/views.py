"""The clinic admin's UAT pages: start a run, watch it, download the evidence, compare runs,
and switch the clinic's BPJS environment (with a confirmation, recorded in the audit log)."""

from __future__ import annotations

from typing import Any

from django.apps import apps
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from bridging.credentials.crypto import encrypt_text
from bridging.uat import report
from bridging.uat.context import DEMO_WS_USERNAME
from bridging.uat.forms import ENVIRONMENT_CHOICES, EnvironmentForm, StartRunForm
from bridging.uat.models import UatRun
from bridging.uat.scenarios.base import GROUPS, registry

#: Environments a switch asks a typed confirmation for (leaving or entering production).
_ENV_LABELS = dict(ENVIRONMENT_CHOICES)


def _admin_facility(request: HttpRequest) -> Any:
    user = request.user
    if getattr(user, "role", None) != "clinic_admin" or getattr(user, "facility_id", None) is None:
        raise PermissionDenied
    return user.facility  # type: ignore[union-attr]


def _run_for(request: HttpRequest, pk: int) -> UatRun:
    facility = _admin_facility(request)
    return get_object_or_404(UatRun.objects.select_related("facility"), pk=pk, facility=facility)


def _audit(
    request: HttpRequest, action: str, *, object_type: str, object_id: str, summary: str
) -> None:
    """A row in the clinic's audit log (written without importing the clinic)."""
    event = apps.get_model("core", "AuditEvent")
    user: Any = request.user
    event.objects.create(
        facility_id=getattr(user, "facility_id", None),
        actor=user,
        actor_username=user.get_username(),
        action=action,
        object_type=object_type,
        object_id=object_id,
        summary=summary[:300],
        ip_address=request.META.get("REMOTE_ADDR") or None,
        request_id=str(getattr(request, "request_id", "") or ""),
    )


def _default_clinic_url(request: HttpRequest) -> str:
    return request.build_absolute_uri("/ws/antreanfktp")


@login_required
@require_http_methods(["GET", "POST"])
def runs(request: HttpRequest) -> HttpResponse:
    facility = _admin_facility(request)
    initial = {
        "environment": facility.bpjs_environment,
        "groups": list(GROUPS),
        "clinic_url": _default_clinic_url(request),
        "ws_username": DEMO_WS_USERNAME,
    }
    form = StartRunForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        with transaction.atomic():
            run = UatRun.objects.create(
                facility=facility,
                environment=data["environment"],
                groups=[g for g in GROUPS if g in data["groups"]],
                started_by=request.user if request.user.is_authenticated else None,
                started_from="admin",
                writes_confirmed=bool(data["confirm_production_writes"]),
                clinic_url=data["clinic_url"],
                clinic_ws_username=data["ws_username"],
                clinic_ws_password_encrypted=encrypt_text(data["ws_password"]),
                progress_total=len(registry(data["groups"])),
            )
            _audit(
                request,
                "action",
                object_type="uat.uatrun",
                object_id=str(run.pk),
                summary=f"UAT started ({run.environment})",
            )
            from bridging.uat.tasks import run_uat

            transaction.on_commit(lambda: run_uat.delay(run.pk))
        return redirect("uat:run", pk=run.pk)
    context = {
        "form": form,
        "runs": UatRun.objects.filter(facility=facility)[:50],
        "facility": facility,
    }
    return render(request, "uat/runs.html", context)


@login_required
@require_GET
def run_detail(request: HttpRequest, pk: int) -> HttpResponse:
    run = _run_for(request, pk)
    others = UatRun.objects.filter(facility=run.facility).exclude(pk=run.pk)[:20]
    return render(request, "uat/run.html", {"run": run, "others": others})


@login_required
@require_GET
def progress(request: HttpRequest, pk: int) -> HttpResponse:
    run = _run_for(request, pk)
    return render(request, "uat/_progress.html", {"run": run})


def _download(
    request: HttpRequest, run: UatRun, body: bytes | str, content_type: str, ext: str
) -> HttpResponse:
    response = HttpResponse(body, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{report.file_stem(run)}.{ext}"'
    _audit(
        request,
        "export",
        object_type="uat.uatrun",
        object_id=str(run.pk),
        summary=f"UAT report downloaded ({ext})",
    )
    return response


@login_required
@require_GET
def report_html(request: HttpRequest, pk: int) -> HttpResponse:
    run = _run_for(request, pk)
    return _download(request, run, report.render_html(run), "text/html; charset=utf-8", "html")


@login_required
@require_GET
def report_pdf(request: HttpRequest, pk: int) -> HttpResponse:
    run = _run_for(request, pk)
    return _download(request, run, report.render_pdf(run), "application/pdf", "pdf")


@login_required
@require_GET
def report_json(request: HttpRequest, pk: int) -> HttpResponse:
    run = _run_for(request, pk)
    return _download(request, run, report.report_json(run), "application/json", "json")


@login_required
@require_GET
def report_zip(request: HttpRequest, pk: int) -> HttpResponse:
    run = _run_for(request, pk)
    return _download(request, run, report.build_zip(run), "application/zip", "zip")


@login_required
@require_GET
def compare_runs(request: HttpRequest) -> HttpResponse:
    facility = _admin_facility(request)
    try:
        first = int(request.GET.get("a", ""))
        second = int(request.GET.get("b", ""))
    except ValueError:
        messages.error(request, _("Choose two runs to compare."))
        return redirect("uat:runs")
    before = get_object_or_404(UatRun, pk=first, facility=facility)
    after = get_object_or_404(UatRun, pk=second, facility=facility)
    if before.created_at > after.created_at:
        before, after = after, before
    rows = report.compare(before, after)
    context = {
        "before": before,
        "after": after,
        "rows": rows,
        "changed": [row for row in rows if row.changed],
    }
    return render(request, "uat/compare.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def environment(request: HttpRequest) -> HttpResponse:
    """Switch the facility's BPJS environment: choose, then confirm on a second page."""
    facility = _admin_facility(request)
    current = facility.bpjs_environment
    form = EnvironmentForm(request.POST or None, initial={"environment": current})
    if request.method == "POST" and form.is_valid():
        target = form.cleaned_data["environment"]
        if target == current:
            messages.info(request, _("The clinic already uses this environment."))
            return redirect("uat:environment")
        confirmed = form.cleaned_data["confirm"] and (
            form.cleaned_data["confirm_text"].strip() == facility.bpjs_provider_code
        )
        if not confirmed:
            if form.cleaned_data["confirm"]:
                messages.error(request, _("The provider code typed does not match."))
            confirm_form = EnvironmentForm(initial={"environment": target, "confirm": True})
            context = {
                "facility": facility,
                "current": _ENV_LABELS.get(current, current),
                "target": target,
                "target_label": _ENV_LABELS.get(target, target),
                "form": confirm_form,
            }
            return render(request, "uat/environment_confirm.html", context)
        facility_model = type(facility)
        with transaction.atomic():
            facility_model.objects.filter(pk=facility.pk).update(bpjs_environment=target)
            _audit(
                request,
                "update",
                object_type="core.facility",
                object_id=str(facility.pk),
                summary=f"BPJS environment changed: {current} -> {target}",
            )
        messages.success(
            request,
            _("The clinic now uses %(env)s for BPJS.") % {"env": _ENV_LABELS.get(target, target)},
        )
        return redirect("uat:environment")
    context = {
        "facility": facility,
        "current": _ENV_LABELS.get(current, current),
        "form": form,
    }
    return render(request, "uat/environment.html", context)
