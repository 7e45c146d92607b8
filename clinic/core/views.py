from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.utils.dateparse import parse_date
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from clinic.core.access import facility_scope, require_role
from clinic.core.health import health_report
from clinic.core.models import AuditAction, AuditEvent, Role, User


def _audit_events(request: HttpRequest, user: User) -> QuerySet[AuditEvent]:
    events = facility_scope(AuditEvent.objects.all(), user)
    q = request.GET.get("q", "").strip()
    if q:
        events = (
            events.filter(actor_username__icontains=q)
            | events.filter(object_type__icontains=q)
            | events.filter(summary__icontains=q)
        )
    action = request.GET.get("action", "")
    if action in AuditAction.values:
        events = events.filter(action=action)
    object_id = request.GET.get("object_id", "").strip()
    if object_id:
        events = events.filter(object_id=object_id)
    date_from = parse_date(request.GET.get("from", "") or "")
    if date_from:
        events = events.filter(at__date__gte=date_from)
    date_to = parse_date(request.GET.get("to", "") or "")
    if date_to:
        events = events.filter(at__date__lte=date_to)
    return events.select_related("actor")


@login_required
def audit_log(request: HttpRequest) -> HttpResponse:
    """Clinic admins search their facility's audit log."""
    user: User = request.user  # type: ignore[assignment]
    require_role(user, Role.CLINIC_ADMIN)
    page = Paginator(_audit_events(request, user), 50).get_page(request.GET.get("page"))
    return render(
        request,
        "core/audit_log.html",
        {"page": page, "actions": AuditAction.choices, "filters": request.GET},
    )


@require_GET
@never_cache
def healthz(request: HttpRequest) -> JsonResponse:
    ok, checks = health_report()
    return JsonResponse(
        {"status": "ok" if ok else "down", "checks": checks}, status=200 if ok else 503
    )
