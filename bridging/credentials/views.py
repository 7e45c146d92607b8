"""Clinic admin pages: the facility's BPJS credentials per environment, edit, test connection.

Only a clinic admin (``role == "clinic_admin"``) of the facility sees them (403 for anyone
else); a credential is always looked up within the admin's own facility, so another facility's
rows never show. Secrets are shown masked; saving sends ``credential_changed`` for the audit log.
"""

from __future__ import annotations

from typing import Any

from django.apps import apps
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from bridging.credentials.defaults import ENVIRONMENTS, SERVICE_LABELS, SERVICES
from bridging.credentials.forms import CredentialForm
from bridging.credentials.models import BpjsCredential, Environment
from bridging.credentials.ping import run_ping
from bridging.credentials.signals import credential_changed

CLINIC_ADMIN = "clinic_admin"


def _admin_facility_id(request: HttpRequest) -> int:
    user: Any = request.user
    if getattr(user, "role", None) != CLINIC_ADMIN:
        raise PermissionDenied
    facility_id = getattr(user, "facility_id", None)
    if facility_id is None:
        raise Http404
    return int(facility_id)


def _environment_label(environment: str) -> str:
    return str(dict(Environment.choices)[environment])


def _check_environment(environment: str) -> None:
    if environment not in ENVIRONMENTS:
        raise Http404


@never_cache
@login_required
def credential_list(request: HttpRequest) -> HttpResponse:
    facility_id = _admin_facility_id(request)
    facility = apps.get_model("core", "Facility").objects.get(pk=facility_id)
    rows = {
        (row.environment, row.service): row
        for row in BpjsCredential.objects.filter(facility_id=facility_id).select_related(
            "updated_by"
        )
    }
    environments = []
    for environment in ENVIRONMENTS:
        services = []
        for service in SERVICES:
            row = rows.get((environment, service))
            probe = row or BpjsCredential(environment=environment, service=service)
            services.append(
                {
                    "code": service,
                    "label": SERVICE_LABELS[service],
                    "credential": row,
                    "base_url": probe.effective_base_url,
                    "default_url": not probe.base_url,
                    "secret": row.masked("secret") if row else "",
                    "user_key": row.masked("user_key") if row else "",
                    "password": row.masked("password") if row else "",
                }
            )
        environments.append(
            {
                "code": environment,
                "label": _environment_label(environment),
                "active": environment == facility.bpjs_environment,
                "services": services,
            }
        )
    return render(request, "credentials/list.html", {"environments": environments})


@never_cache
@login_required
def credential_edit(request: HttpRequest, environment: str, service: str) -> HttpResponse:
    facility_id = _admin_facility_id(request)
    _check_environment(environment)
    if service not in SERVICES:
        raise Http404
    credential = BpjsCredential.objects.filter(
        facility_id=facility_id, environment=environment, service=service
    ).first()
    created = credential is None
    if credential is None:
        credential = BpjsCredential(
            facility_id=facility_id, environment=environment, service=service
        )
    form = CredentialForm(request.POST or None, instance=credential)
    if request.method == "POST" and form.is_valid():
        saved = form.save(commit=False)
        saved.updated_by = request.user  # type: ignore[assignment]
        saved.save()
        credential_changed.send(
            sender=BpjsCredential,
            credential=saved,
            user=request.user,
            created=created,
            changed_fields=form.changed_fields(),
        )
        messages.success(
            request,
            _("%(service)s credentials for %(environment)s saved.")
            % {"service": saved.service_label, "environment": _environment_label(environment)},
        )
        return redirect("credentials:list")
    return render(
        request,
        "credentials/edit.html",
        {
            "form": form,
            "credential": credential,
            "created": created,
            "environment_label": _environment_label(environment),
        },
    )


@never_cache
@login_required
@require_POST
def connection_test(request: HttpRequest, environment: str) -> HttpResponse:
    facility_id = _admin_facility_id(request)
    _check_environment(environment)
    report = run_ping(facility_id=facility_id, environment=environment)
    context = {"report": report, "environment_label": _environment_label(environment)}
    if getattr(request, "htmx", False):
        return render(request, "credentials/_ping_result.html", context)
    return render(request, "credentials/ping.html", context)
