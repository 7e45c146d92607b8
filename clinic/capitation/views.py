"""Capitation pages: the KBK dashboard with its drill-downs, the outreach list, the roster,
capitation settings and receipts, the rule tables, reports, and Prolanis.

Who sees what: the dashboard, drill-downs, rules and reports are for clinic admins, and for
doctors read-only; the outreach list (names with phone numbers) only for clinic admins and the
front desk, and every view or export of it is audited; roster import, the facility's
capitation profile and receipts only for clinic admins.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from clinic.capitation import indicators, reports, roster, sources
from clinic.capitation.exports import FORMATS, table_response
from clinic.capitation.forms import (
    ActivityForm,
    AttendanceForm,
    ClubForm,
    ProfileForm,
    ReceiptForm,
    RosterUploadForm,
)
from clinic.capitation.models import (
    CapitationReceipt,
    CapitationTariff,
    KbkScheme,
    ProlanisActivity,
    ProlanisClub,
    RosterImport,
    RpptRuleSet,
)
from clinic.capitation.periods import next_month, parse_month, previous_month
from clinic.capitation.prolanis import (
    prolanis_activity_create,
    prolanis_attendance_add,
    prolanis_club_create,
)
from clinic.capitation.tariffs import profile_for
from clinic.core.access import get_for_user, require_role
from clinic.core.audit import audit
from clinic.core.errors import ClinicError
from clinic.core.models import Role, User

VIEW_ROLES = (Role.CLINIC_ADMIN, Role.DOCTOR)
OUTREACH_ROLES = (Role.CLINIC_ADMIN, Role.FRONTDESK)
ADMIN_ROLES = (Role.CLINIC_ADMIN,)
PROLANIS_ROLES = (Role.CLINIC_ADMIN, Role.DOCTOR, Role.NURSE)
PAGE_SIZE = 100


def _user(request: HttpRequest) -> User:
    user: User = request.user  # type: ignore[assignment]
    return user


def _month(request: HttpRequest) -> dt.date:
    return parse_month(request.GET.get("month"), timezone.localdate())


def _export_format(request: HttpRequest) -> str | None:
    fmt = request.GET.get("format", "")
    return fmt if fmt in FORMATS else None


def _month_nav(month: dt.date) -> dict[str, Any]:
    return {
        "month": month,
        "month_param": month.strftime("%Y-%m"),
        "previous_param": previous_month(month).strftime("%Y-%m"),
        "next_param": next_month(month).strftime("%Y-%m"),
    }


# --- dashboard -------------------------------------------------------------------------------


def _contacts_chart(board: indicators.Dashboard) -> dict[str, Any]:
    """Cumulative contacts by day, the target line and the linear projection."""
    period = board.period
    cards = set(
        roster.roster_entries(board.facility.pk, period.month).values_list("card_number", flat=True)
    )
    days = sources.first_contact_days(board.facility.pk, period.start, period.end, cards)
    labels: list[str] = []
    cumulative: list[int | None] = []
    projection: list[float | None] = []
    target: list[float] = []
    indicator = board.ak.indicator
    target_count = (
        float(indicator.target) * board.roster_size / 1000 if indicator is not None else 0.0
    )
    total = 0
    index = 0
    day = period.start
    from clinic.capitation.periods import count_open_days, open_weekdays

    weekdays = open_weekdays(board.facility.pk)
    rate = (
        len(days) / period.open_days_elapsed
        if period.open_days_elapsed and not period.complete
        else None
    )
    while day < period.end:
        while index < len(days) and days[index] <= day:
            total += 1
            index += 1
        labels.append(day.strftime("%d"))
        cumulative.append(total if day <= period.today else None)
        target.append(round(target_count, 1))
        if rate is not None and day >= period.today:
            elapsed = count_open_days(period.start, day, weekdays)
            projection.append(round(min(rate * elapsed, board.roster_size), 1))
        else:
            projection.append(None)
        day += dt.timedelta(days=1)
    return {
        "labels": labels,
        "datasets": [
            {"label": _("Participants contacted"), "data": cumulative},
            {"label": _("Projection"), "data": projection},
            {"label": _("Target"), "data": target},
        ],
    }


def _history_chart(history: list[roster.MonthSummary]) -> dict[str, Any]:
    oldest_first = list(reversed(history))
    return {
        "labels": [h.month.strftime("%m-%Y") for h in oldest_first],
        "datasets": [
            {"label": _("Registered"), "data": [h.size for h in oldest_first], "type": "line"},
            {"label": _("Arrivals"), "data": [h.arrivals for h in oldest_first]},
            {"label": _("Departures"), "data": [h.departures for h in oldest_first]},
        ],
    }


@login_required
def dashboard(request: HttpRequest) -> HttpResponse:
    user = _user(request)
    require_role(user, *VIEW_ROLES)
    assert user.facility is not None
    month = _month(request)
    board = indicators.dashboard(user.facility, month, timezone.localdate())
    previous = previous_month(month)
    # Arrivals and departures only when both months have their own roster.
    compare = (
        board.roster_month == month
        and roster.roster_month_for(user.facility.pk, previous) == previous
    )
    history = roster.roster_history(user.facility.pk)
    this_month = next((h for h in history if h.month == month), None)
    if compare and this_month is None:  # older than the history shown
        this_month = roster.MonthSummary(
            month=month,
            size=board.roster_size,
            arrivals=roster.arrivals(user.facility.pk, month).count(),
            departures=roster.departures(user.facility.pk, month).count(),
        )
    context: dict[str, Any] = {
        **_month_nav(month),
        "board": board,
        "arrivals": this_month.arrivals if this_month and compare else None,
        "departures": this_month.departures if this_month and compare else None,
        "contacts_chart": _contacts_chart(board),
        "history_chart": _history_chart(history),
        "can_see_outreach": user.role in OUTREACH_ROLES,
        "is_admin": user.role == Role.CLINIC_ADMIN,
    }
    return render(request, "capitation/dashboard.html", context)


# --- drill-downs -----------------------------------------------------------------------------


@login_required
def outreach(request: HttpRequest) -> HttpResponse:
    """Registered participants without a contact this month, with their phone numbers."""
    user = _user(request)
    require_role(user, *OUTREACH_ROLES)
    assert user.facility is not None
    month = _month(request)
    period = indicators.period_for(user.facility.pk, month, timezone.localdate())
    entries = indicators.not_contacted(user.facility.pk, period)
    fmt = _export_format(request)
    summary = f"outreach list {month:%Y-%m}"
    if fmt is not None:
        rows = [
            [e.card_number, e.name, e.sex, e.birth_date, e.phone, e.address]
            for e in entries.only("card_number", "name", "sex", "birth_date", "phone", "address")
        ]
        audit(user, "export", object_type="capitation.outreach", summary=f"{summary} ({fmt})")
        headers = [
            _("Card number"),
            _("Name"),
            _("Sex"),
            _("Date of birth"),
            _("Phone"),
            _("Address"),
        ]
        return table_response(fmt, f"outreach-{month:%Y-%m}", headers, rows)
    page = Paginator(entries, PAGE_SIZE).get_page(request.GET.get("page"))
    audit(user, "view", object_type="capitation.outreach", summary=summary)
    return render(
        request,
        "capitation/outreach.html",
        {**_month_nav(month), "page": page, "period": period},
    )


@login_required
def referrals(request: HttpRequest) -> HttpResponse:
    """Each non-specialist referral of the month with its doctor (TACC-justified ones marked)."""
    user = _user(request)
    require_role(user, *VIEW_ROLES)
    assert user.facility is not None
    month = _month(request)
    period = indicators.period_for(user.facility.pk, month, timezone.localdate())
    facts = [
        f
        for f in indicators.referral_facts(user.facility.pk, period, detail=True)
        if f.non_specialist
    ]
    facts.sort(key=lambda f: (f.tacc_justified, f.date, f.doctor_name))
    headers = [
        _("Date"),
        _("Doctor"),
        _("Patient"),
        _("Card number"),
        _("ICD-10"),
        _("Diagnosis"),
        _("Valid TACC"),
    ]
    rows = [
        [
            f.date,
            f.doctor_name,
            f.patient_name,
            f.card_number,
            f.diagnosis_code,
            f.diagnosis_name,
            _("yes") if f.tacc_justified else _("no"),
        ]
        for f in facts
    ]
    fmt = _export_format(request)
    summary = f"non-specialist referrals {month:%Y-%m}"
    if fmt is not None:
        audit(user, "export", object_type="capitation.referrals", summary=f"{summary} ({fmt})")
        return table_response(fmt, f"rujukan-nonspesialistik-{month:%Y-%m}", headers, rows)
    audit(user, "view", object_type="capitation.referrals", summary=summary)
    return render(
        request,
        "capitation/referrals.html",
        {
            **_month_nav(month),
            "facts": facts,
            "counted": sum(1 for f in facts if not f.tacc_justified),
        },
    )


@login_required
def prolanis_uncontrolled(request: HttpRequest) -> HttpResponse:
    user = _user(request)
    require_role(user, *VIEW_ROLES)
    assert user.facility is not None
    month = _month(request)
    period = indicators.period_for(user.facility.pk, month, timezone.localdate())
    rule_set = RpptRuleSet.objects.filter(is_active=True).first()
    result = indicators.prolanis_status(user.facility.pk, period, rule_set)
    statuses = [s for s in result.statuses if not s.controlled]
    # Phone numbers only for the roles that phone patients (least access).
    with_phone = user.role in OUTREACH_ROLES
    headers = [_("Card number"), _("Name"), _("Condition")]
    headers += [_("Phone")] if with_phone else []
    headers += [_("Last reading"), _("Blood pressure"), _("Fasting glucose")]
    rows: list[list[Any]] = []
    for status in statuses:
        r = status.reading
        first: list[Any] = [status.member.card_number, status.member.name, status.member.condition]
        rows.append(
            first
            + ([status.member.phone] if with_phone else [])
            + [
                r.date if r else None,
                f"{r.systolic}/{r.diastolic}" if r and r.systolic is not None else "",
                r.fasting_glucose if r else None,
            ]
        )

    fmt = _export_format(request)
    summary = f"prolanis not controlled {month:%Y-%m}"
    if fmt is not None:
        audit(user, "export", object_type="capitation.prolanis", summary=f"{summary} ({fmt})")
        return table_response(fmt, f"prolanis-belum-terkendali-{month:%Y-%m}", headers, rows)
    audit(user, "view", object_type="capitation.prolanis", summary=summary)
    return render(
        request,
        "capitation/prolanis_uncontrolled.html",
        {
            **_month_nav(month),
            "rows": rows,
            "headers": headers,
            "result": result,
            "rule_set": rule_set,
        },
    )


# --- roster ----------------------------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def roster_page(request: HttpRequest) -> HttpResponse:
    user = _user(request)
    require_role(user, *ADMIN_ROLES)
    assert user.facility is not None
    form = RosterUploadForm(
        request.POST or None,
        request.FILES or None,
        initial={"month": timezone.localdate().strftime("%Y-%m")},
    )
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        month = parse_month(form.cleaned_data["month"], timezone.localdate())
        try:
            result = roster.roster_import(
                facility=user.facility,
                month=month,
                file_name=upload.name,
                data=upload.read(),
                imported_by=user,
            )
        except ClinicError as exc:
            form.add_error("file", exc.message)
        else:
            audit(user, "create", result, summary=f"roster import {month:%Y-%m}")
            messages.success(
                request,
                _("Roster imported: %(accepted)d accepted, %(rejected)d rejected.")
                % {"accepted": result.rows_accepted, "rejected": result.rows_rejected},
            )
            return redirect(f"{request.path}?import={result.pk}")
    imports = RosterImport.objects.filter(facility=user.facility)[:12]
    selected = None
    if request.GET.get("import", "").isdigit():
        selected = get_for_user(RosterImport.objects.all(), user, pk=int(request.GET["import"]))
    return render(
        request,
        "capitation/roster.html",
        {
            "form": form,
            "imports": imports,
            "selected": selected,
            "history": roster.roster_history(user.facility.pk),
            "default_headers": roster.DEFAULT_HEADERS,
        },
    )


@login_required
def roster_changes(request: HttpRequest, kind: str) -> HttpResponse:
    """Arrivals or departures of a month (export as CSV/XLSX)."""
    user = _user(request)
    require_role(user, *ADMIN_ROLES)
    assert user.facility is not None
    month = _month(request)
    rows_qs = (
        roster.arrivals(user.facility.pk, month)
        if kind == "arrivals"
        else roster.departures(user.facility.pk, month)
    ).order_by("name", "card_number")
    headers = [_("Card number"), _("Name"), _("Sex"), _("Date of birth"), _("Membership type")]
    rows = [[e.card_number, e.name, e.sex, e.birth_date, e.membership_type] for e in rows_qs]
    fmt = _export_format(request)
    if fmt is not None:
        audit(user, "export", object_type="capitation.roster", summary=f"{kind} {month:%Y-%m}")
        return table_response(fmt, f"{kind}-{month:%Y-%m}", headers, rows)
    return render(
        request,
        "capitation/roster_changes.html",
        {**_month_nav(month), "kind": kind, "headers": headers, "rows": rows},
    )


# --- capitation settings and receipts --------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def settings_page(request: HttpRequest) -> HttpResponse:
    user = _user(request)
    require_role(user, *ADMIN_ROLES)
    assert user.facility is not None
    profile = profile_for(user.facility)
    profile_form = ProfileForm(
        request.POST if request.POST.get("form") == "profile" else None, instance=profile
    )
    receipt_form = ReceiptForm(
        request.POST if request.POST.get("form") == "receipt" else None,
        initial={"month": previous_month(timezone.localdate()).strftime("%Y-%m")},
    )
    if request.method == "POST":
        if request.POST.get("form") == "profile" and profile_form.is_valid():
            profile_form.save()
            audit(user, "update", profile, summary="capitation profile")
            messages.success(request, _("Saved."))
            return redirect(request.path)
        if request.POST.get("form") == "receipt" and receipt_form.is_valid():
            data = receipt_form.cleaned_data
            month = parse_month(data["month"], timezone.localdate())
            receipt, _created = CapitationReceipt.objects.update_or_create(
                facility=user.facility,
                month=month,
                defaults={
                    "amount": data["amount"],
                    "received_on": data["received_on"],
                    "reference": data["reference"],
                    "recorded_by": user,
                },
            )
            audit(user, "update", receipt, summary=f"capitation received {month:%Y-%m}")
            messages.success(request, _("Saved."))
            return redirect(request.path)
    receipts = CapitationReceipt.objects.filter(facility=user.facility)[:24]
    return render(
        request,
        "capitation/settings.html",
        {"profile_form": profile_form, "receipt_form": receipt_form, "receipts": receipts},
    )


@login_required
def rules(request: HttpRequest) -> HttpResponse:
    user = _user(request)
    require_role(user, *VIEW_ROLES)
    return render(
        request,
        "capitation/rules.html",
        {
            "tariffs": CapitationTariff.objects.all(),
            "schemes": KbkScheme.objects.prefetch_related("indicators__bands", "payment_bands"),
            "rule_sets": RpptRuleSet.objects.prefetch_related("criteria"),
            "can_edit": user.is_superuser,
        },
    )


# --- reports ---------------------------------------------------------------------------------

REPORTS = ("top10", "poli", "doctors", "alerts")


@login_required
def reports_page(request: HttpRequest) -> HttpResponse:
    user = _user(request)
    require_role(user, *VIEW_ROLES)
    assert user.facility is not None
    facility_id = user.facility.pk
    month = _month(request)
    end = next_month(month)
    today = timezone.localdate()
    as_of = min(today, end - dt.timedelta(days=1))
    fmt = _export_format(request)
    which = request.GET.get("report", "")
    if fmt is not None and which in REPORTS:
        table: reports.Table
        if which == "top10":
            table = reports.top_diagnoses(facility_id, month, end).table
        elif which == "poli":
            table = reports.visits_per_poli_day(facility_id, month, end).table
        elif which == "doctors":
            table = reports.referrals_by_doctor(facility_id, month, end)
        else:
            table = reports.unusual_occurrences(facility_id, as_of)[1]
        audit(user, "export", object_type="capitation.report", summary=f"{which} {month:%Y-%m}")
        return table_response(fmt, f"{which}-{month:%Y-%m}", table.headers, table.rows)
    top = reports.top_diagnoses(facility_id, month, end)
    per_poli = reports.visits_per_poli_day(facility_id, month, end)
    alerts, alert_table = reports.unusual_occurrences(facility_id, as_of)
    return render(
        request,
        "capitation/reports.html",
        {
            **_month_nav(month),
            "top": top.table,
            "top_chart": top.chart,
            "poli": per_poli.table,
            "poli_chart": per_poli.chart,
            "doctors": reports.referrals_by_doctor(facility_id, month, end),
            "alerts": alerts,
            "alert_table": alert_table,
            "as_of": as_of,
            "min_cases": reports.MIN_CASES,
            "baseline_weeks": reports.BASELINE_WEEKS,
        },
    )


# --- Prolanis --------------------------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def prolanis(request: HttpRequest) -> HttpResponse:
    user = _user(request)
    require_role(user, *PROLANIS_ROLES)
    assert user.facility is not None
    club_form = ClubForm(request.POST if request.POST.get("form") == "club" else None)
    activity_form = ActivityForm(
        request.POST if request.POST.get("form") == "activity" else None,
        facility_id=user.facility.pk,
    )
    if request.method == "POST":
        try:
            if request.POST.get("form") == "club" and club_form.is_valid():
                require_role(user, *ADMIN_ROLES)
                club = prolanis_club_create(facility=user.facility, **club_form.cleaned_data)
                audit(user, "create", club, summary="prolanis club")
                return redirect(request.path)
            if request.POST.get("form") == "activity" and activity_form.is_valid():
                data = activity_form.cleaned_data
                activity = prolanis_activity_create(
                    facility=user.facility,
                    club=data["club"],
                    date=data["date"],
                    kind=data["kind"],
                    topic=data["topic"],
                    speaker=data["speaker"],
                    location=data["location"],
                    fee=data["fee"] or 0,
                    created_by=user,
                )
                audit(user, "create", activity, summary="prolanis activity")
                return redirect("capitation:prolanis-activity", pk=activity.pk)
        except ClinicError as exc:
            messages.error(request, exc.message)
    return render(
        request,
        "capitation/prolanis.html",
        {
            "clubs": ProlanisClub.objects.filter(facility=user.facility),
            "activities": ProlanisActivity.objects.filter(facility=user.facility)
            .select_related("club")
            .prefetch_related("attendance")[:30],
            "club_form": club_form,
            "activity_form": activity_form,
            "is_admin": user.role == Role.CLINIC_ADMIN,
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def prolanis_activity(request: HttpRequest, pk: int) -> HttpResponse:
    user = _user(request)
    require_role(user, *PROLANIS_ROLES)
    activity = get_for_user(ProlanisActivity.objects.select_related("club"), user, pk=pk)
    form = AttendanceForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            attendance = prolanis_attendance_add(activity=activity, **form.cleaned_data)
        except ClinicError as exc:
            for field, errors in exc.fields.items():
                for error in errors:
                    form.add_error(field if field in form.fields else None, error)
            if not exc.fields:
                form.add_error(None, exc.message)
        else:
            audit(user, "create", attendance, summary="prolanis attendance")
            return redirect("capitation:prolanis-activity", pk=activity.pk)
    from bridging.outbox.models import SyncJob

    jobs = {
        (job.subject_type, job.subject_id): job
        for job in SyncJob.objects.filter(
            facility_id=activity.facility_id,
            subject_type__in=["capitation.prolanisactivity", "capitation.prolanisattendance"],
        )
    }
    attendance_rows = [
        (a, jobs.get(("capitation.prolanisattendance", str(a.pk))))
        for a in activity.attendance.all()
    ]
    audit(user, "view", activity, summary="prolanis activity")
    return render(
        request,
        "capitation/prolanis_activity.html",
        {
            "activity": activity,
            "activity_job": jobs.get(("capitation.prolanisactivity", str(activity.pk))),
            "attendance_rows": attendance_rows,
            "form": form,
        },
    )
