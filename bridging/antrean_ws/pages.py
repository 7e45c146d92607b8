"""The clinic admin's pages: the web service's account and settings, and today's monitor."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _

from bridging.antrean_ws import clock, monitor
from bridging.antrean_ws.calllog import call_log
from bridging.antrean_ws.forms import AccountForm
from bridging.antrean_ws.models import AntreanWsAccount, InboundCall
from bridging.antrean_ws.views import forget_limits

CLINIC_ADMIN = "clinic_admin"
DEFAULT_BUDGET_MS = 500


def _admin_facility_id(request: HttpRequest) -> int:
    user = request.user
    facility_id = getattr(user, "facility_id", None)
    if getattr(user, "role", None) != CLINIC_ADMIN or facility_id is None:
        raise PermissionDenied
    return int(facility_id)


@login_required
def settings_page(request: HttpRequest) -> HttpResponse:
    facility_id = _admin_facility_id(request)
    account = AntreanWsAccount.objects.filter(facility_id=facility_id).first()
    instance = account or AntreanWsAccount(facility_id=facility_id)
    old_username = account.username if account else ""
    if request.method == "POST":
        form = AccountForm(request.POST, instance=instance)
        if form.is_valid():
            saved = form.save()
            forget_limits(old_username)
            forget_limits(saved.username)
            messages.success(request, _("The Mobile JKN web service settings are saved."))
            return redirect("antrean_ws:settings")
    else:
        form = AccountForm(instance=instance)
    base_url = request.build_absolute_uri(reverse("antrean_ws:endpoint", kwargs={"path": ""}))
    return render(
        request,
        "antrean_ws/settings.html",
        {"form": form, "account": account, "base_url": base_url.rstrip("/")},
    )


@login_required
def monitor_page(request: HttpRequest) -> HttpResponse:
    facility_id = _admin_facility_id(request)
    call_log.flush()  # this process's buffered calls (the others' follow within a second)
    account = AntreanWsAccount.objects.filter(facility_id=facility_id).first()
    budget = account.p95_budget_ms if account else DEFAULT_BUDGET_MS
    stats = monitor.endpoint_stats(facility_id=facility_id, budget_ms=budget)
    start, end = monitor.today_bounds()
    recent = InboundCall.objects.filter(facility_id=facility_id, at__gte=start, at__lt=end)[:20]
    return render(
        request,
        "antrean_ws/monitor.html",
        {
            "stats": stats,
            "budget_ms": budget,
            "over_budget": [s for s in stats if s.over_budget],
            "recent": recent,
            "today": clock.today(),
            "total": sum(s.count for s in stats),
        },
    )
