"""The sync monitor: what the outbox is doing for this facility, for clinic admins.

Only a clinic admin (``role == "clinic_admin"``) sees it (403 for anyone else); every job is
looked up within the admin's own facility, so another facility's jobs never show (404). Retry,
cancel and pause go through the services, which send the signals the clinic audits.
"""

from __future__ import annotations

import json
from datetime import datetime, time
from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import Count, Max, Min, Q, QuerySet
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from bridging.outbox.handlers import operation_label
from bridging.outbox.models import JobState, Service, ServicePause, SyncJob
from bridging.outbox.services import JobStateError, job_cancel, job_retry, service_pause

CLINIC_ADMIN = "clinic_admin"
PAGE_SIZE = 50
OPEN_STATES = (JobState.WAITING, JobState.SENDING, JobState.RETRY)
FAILING_STATES = (JobState.RETRY, JobState.ATTENTION)


def _facility_id(request: HttpRequest) -> int:
    user: Any = request.user
    if getattr(user, "role", None) != CLINIC_ADMIN:
        raise PermissionDenied
    facility_id = getattr(user, "facility_id", None)
    if facility_id is None:
        raise Http404
    return int(facility_id)


def _job(request: HttpRequest, pk: int) -> SyncJob:
    job = SyncJob.objects.filter(pk=pk, facility_id=_facility_id(request)).first()
    if job is None:
        raise Http404
    return job


class FilterForm(forms.Form):
    service = forms.ChoiceField(
        label=gettext_lazy("Service"),
        required=False,
        choices=[("", gettext_lazy("All services")), *Service.choices],
    )
    state = forms.ChoiceField(
        label=gettext_lazy("State"),
        required=False,
        choices=[("", gettext_lazy("All states")), *JobState.choices],
    )
    operation = forms.CharField(label=gettext_lazy("Operation"), required=False, max_length=100)
    subject = forms.CharField(
        label=gettext_lazy("Subject"),
        required=False,
        max_length=120,
        help_text=gettext_lazy("An id, or type:id such as queues.visit:41"),
    )
    date_from = forms.DateField(
        label=gettext_lazy("From"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    date_to = forms.DateField(
        label=gettext_lazy("To"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )

    def apply(self, jobs: QuerySet[SyncJob]) -> QuerySet[SyncJob]:
        if not self.is_valid():
            return jobs
        data = self.cleaned_data
        if data["service"]:
            jobs = jobs.filter(service=data["service"])
        if data["state"]:
            jobs = jobs.filter(state=data["state"])
        if data["operation"]:
            jobs = jobs.filter(operation__icontains=data["operation"].strip())
        subject = (data["subject"] or "").strip()
        if subject:
            subject_type, _sep, subject_id = subject.rpartition(":")
            jobs = jobs.filter(subject_id=subject_id)
            if subject_type:
                jobs = jobs.filter(subject_type=subject_type)
        tz = timezone.get_current_timezone()
        if data["date_from"]:
            jobs = jobs.filter(created_at__gte=datetime.combine(data["date_from"], time.min, tz))
        if data["date_to"]:
            jobs = jobs.filter(created_at__lte=datetime.combine(data["date_to"], time.max, tz))
        return jobs


def service_strip(facility_id: int) -> list[dict[str, Any]]:
    """Per service: last success, failures waiting, oldest open job, pause switch."""
    jobs = SyncJob.objects.filter(facility_id=facility_id)
    stats: dict[str, dict[str, Any]] = {
        row["service"]: dict(row)
        for row in jobs.order_by()
        .values("service")
        .annotate(
            last_sent=Max("sent_at", filter=Q(state=JobState.SENT)),
            failing=Count("pk", filter=Q(state__in=FAILING_STATES)),
            attention=Count("pk", filter=Q(state=JobState.ATTENTION)),
            open=Count("pk", filter=Q(state__in=OPEN_STATES)),
            oldest_open=Min("created_at", filter=Q(state__in=OPEN_STATES)),
        )
    }
    pauses = {
        pause.service: pause
        for pause in ServicePause.objects.filter(
            Q(facility_id=facility_id) | Q(facility__isnull=True), paused=True
        )
    }
    strip = []
    for service in Service:
        row: dict[str, Any] = stats.get(service.value, {})
        strip.append(
            {
                "code": service.value,
                "label": service.label,
                "last_sent": row.get("last_sent"),
                "failing": row.get("failing", 0),
                "attention": row.get("attention", 0),
                "open": row.get("open", 0),
                "oldest_open": row.get("oldest_open"),
                "pause": pauses.get(service.value),
            }
        )
    return strip


@never_cache
@login_required
def monitor(request: HttpRequest) -> HttpResponse:
    facility_id = _facility_id(request)
    form = FilterForm(request.GET or None)
    jobs = form.apply(SyncJob.objects.filter(facility_id=facility_id)).order_by(
        "-created_at", "-pk"
    )
    page = Paginator(jobs, PAGE_SIZE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "outbox/monitor.html",
        {
            "form": form,
            "page": page,
            "rows": [{"job": job, "label": operation_label(job.operation)} for job in page],
            "services": service_strip(facility_id),
            "query": query.urlencode(),
        },
    )


@never_cache
@login_required
def job_detail(request: HttpRequest, pk: int) -> HttpResponse:
    job = _job(request, pk)
    return render(
        request,
        "outbox/job.html",
        {
            "job": job,
            "label": operation_label(job.operation),
            "attempts": [
                {"attempt": a, "request": _pretty(a.request), "response": _pretty(a.response)}
                for a in job.attempt_log.order_by("-number", "-pk")
            ],
            "depends_on": job.depends_on.all(),
            "dependents": job.dependents.all(),
        },
    )


def _pretty(value: Any) -> str:
    """Stored (already redacted) JSON, indented for reading; empty when there is none."""
    if value is None:
        return ""
    return json.dumps(value, indent=2, ensure_ascii=False, sort_keys=True)


def _back(request: HttpRequest, default: str) -> HttpResponse:
    target = request.POST.get("next", "")
    if target and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return redirect(target)
    return redirect(default)


@login_required
@require_POST
def job_action(request: HttpRequest, pk: int, action: str) -> HttpResponse:
    job = _job(request, pk)
    service = {"retry": job_retry, "cancel": job_cancel}.get(action)
    if service is None:
        raise Http404
    try:
        service(job=job, by=request.user)
    except JobStateError as exc:
        messages.error(request, exc.message)
    else:
        if action == "retry":
            messages.success(request, _("The job will be tried again now."))
        else:
            messages.success(request, _("The job was cancelled."))
    return _back(request, reverse("outbox:job", args=[job.pk]))


@login_required
@require_POST
def bulk_action(request: HttpRequest) -> HttpResponse:
    facility_id = _facility_id(request)
    action = request.POST.get("action", "")
    service = {"retry": job_retry, "cancel": job_cancel}.get(action)
    if service is None:
        raise Http404
    ids = [int(value) for value in request.POST.getlist("job") if value.isdigit()]
    done = refused = 0
    for job in SyncJob.objects.filter(facility_id=facility_id, pk__in=ids):
        try:
            service(job=job, by=request.user)
        except JobStateError:
            refused += 1
        else:
            done += 1
    if done or refused:
        messages.info(
            request,
            _("%(done)d job(s) updated, %(refused)d refused.") % {"done": done, "refused": refused},
        )
    else:
        messages.error(request, _("Select at least one job."))
    return _back(request, reverse("outbox:monitor"))


@login_required
@require_POST
def pause_switch(request: HttpRequest, service: str) -> HttpResponse:
    facility_id = _facility_id(request)
    if service not in Service.values:
        raise Http404
    paused = request.POST.get("paused") == "1"
    reason = request.POST.get("reason", "").strip()[:255]
    service_pause(
        service=service, paused=paused, by=request.user, reason=reason, facility_id=facility_id
    )
    label = Service(service).label
    if paused:
        messages.success(
            request,
            _("%(service)s is paused: its jobs wait until you resume.") % {"service": label},
        )
    else:
        messages.success(request, _("%(service)s resumed.") % {"service": label})
    return _back(request, reverse("outbox:monitor"))
