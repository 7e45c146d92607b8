"""Role home pages and the clinic's poli pages."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from clinic.core.access import facility_scope
from clinic.core.models import Role, User
from clinic.queues.models import DoctorSchedule, Poli

HOME_TEMPLATES = {
    Role.FRONTDESK: "core/home_frontdesk.html",
    Role.NURSE: "core/home_nurse.html",
    Role.DOCTOR: "core/home_doctor.html",
    Role.CLINIC_ADMIN: "core/home_admin.html",
}


@login_required
def home(request: HttpRequest) -> HttpResponse:
    user: User = request.user  # type: ignore[assignment]
    polis = facility_scope(Poli.objects.filter(is_active=True), user)
    schedules = facility_scope(
        DoctorSchedule.objects.select_related("poli", "doctor"), user
    ).order_by("poli__pcare_code", "start_time")
    from django.utils import timezone

    today = timezone.localdate()
    context: dict[str, Any] = {
        "polis": polis,
        "today_schedules": schedules.filter(weekday=today.weekday()),
        "today": today,
    }
    template = HOME_TEMPLATES.get(Role(user.role), "core/home_frontdesk.html")
    return render(request, template, context)


@login_required
def poli_list(request: HttpRequest) -> HttpResponse:
    polis = facility_scope(Poli.objects.all(), request.user)  # type: ignore[arg-type]
    return render(request, "core/poli_list.html", {"polis": polis})


@login_required
def poli_detail(request: HttpRequest, pk: int) -> HttpResponse:
    from clinic.core.access import get_for_user

    poli = get_for_user(Poli.objects.all(), request.user, pk=pk)  # type: ignore[arg-type]
    schedules = poli.schedules.select_related("doctor").order_by("weekday", "start_time")
    return render(request, "core/poli_detail.html", {"poli": poli, "schedules": schedules})
