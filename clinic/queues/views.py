"""Pages: register a visit, the visit's sync state, the queue board, the TV and the kiosk."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core import signing
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.dateparse import parse_date
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_POST

from clinic.core.access import facility_scope, get_for_user, require_role
from clinic.core.audit import audit
from clinic.core.errors import ClinicError
from clinic.core.models import Facility, Role, User
from clinic.patients.models import Patient
from clinic.queues import services, sync
from clinic.queues.forms import CancelForm, VisitRegisterForm
from clinic.queues.models import Poli, QueueTicket, TicketSource, TicketStatus, Visit
from clinic.queues.selectors import board_columns, tv_state

REGISTER_ROLES = (Role.FRONTDESK, Role.NURSE, Role.CLINIC_ADMIN)
STAFF_ROLES = (Role.FRONTDESK, Role.NURSE, Role.DOCTOR, Role.CLINIC_ADMIN)
KIOSK_SALT = "queues.kiosk-ticket"


def _user(request: HttpRequest) -> User:
    return request.user  # type: ignore[return-value]


def _day(request: HttpRequest) -> date:
    return parse_date(request.GET.get("date", "") or "") or timezone.localdate()


@login_required
def visit_register(request: HttpRequest) -> HttpResponse:
    user = _user(request)
    require_role(user, *REGISTER_ROLES)
    assert user.facility is not None
    patient_id = request.GET.get("patient") or request.POST.get("patient")
    if not (patient_id and str(patient_id).isdigit()):
        raise Http404
    patient = get_for_user(Patient.objects.all(), user, pk=int(patient_id))
    form = VisitRegisterForm(request.POST or None, facility=user.facility)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            ticket = _kiosk_ticket(user, data["poli"], data["visit_date"], data["kiosk_number"])
            visit = services.visit_register(
                facility=user.facility,
                patient=patient,
                poli=data["poli"],
                visit_date=data["visit_date"],
                payer=data["payer"],
                insurer_name=data["insurer_name"],
                is_sick_visit=data["is_sick_visit"],
                tkp=data["tkp"],
                complaint=data["complaint"],
                source=TicketSource.FRONTDESK,
                created_by=user,
                schedule=data["schedule"],
                ticket=ticket,
            )
        except ClinicError as exc:
            form.add_error(None, exc.message)
        else:
            messages.success(
                request,
                _("Visit registered. Queue number %(label)s.") % {"label": visit.ticket.label},
            )
            return redirect("queues:visit-detail", pk=visit.pk)
    return render(
        request,
        "queues/visit_register.html",
        {"form": form, "patient": patient, "poli_sick": form.poli_sick},
    )


def _kiosk_ticket(user: User, poli: Poli, day: date, label: str) -> QueueTicket | None:
    """The kiosk number typed at the desk ("a5", "A-5" or "5"), or ``None`` when left empty."""
    label = (label or "").strip().upper().replace(" ", "")
    if not label:
        return None
    digits = label.rsplit("-", 1)[-1].lstrip(poli.queue_prefix)
    ticket = (
        facility_scope(QueueTicket.objects.all(), user)
        .filter(poli=poli, date=day, number=int(digits) if digits.isdigit() else -1)
        .first()
    )
    if ticket is None:
        message = _("No queue number %(label)s at Poli %(poli)s on that day.") % {
            "label": label,
            "poli": poli.name,
        }
        raise ClinicError(message, fields={"kiosk_number": [message]})
    return ticket


def _visit_context(visit: Visit) -> dict[str, Any]:
    ticket = QueueTicket.objects.filter(visit=visit).first()
    return {
        "visit": visit,
        "ticket": ticket,
        "jobs": [sync.job_summary(j) for j in sync.visit_jobs(visit)],
    }


@login_required
def visit_detail(request: HttpRequest, pk: int) -> HttpResponse:
    user = _user(request)
    require_role(user, *STAFF_ROLES)
    visit = get_for_user(Visit.objects.select_related("patient", "poli", "doctor"), user, pk=pk)
    context = _visit_context(visit)
    if request.htmx:  # type: ignore[attr-defined]
        return render(request, "queues/_visit_sync.html", context)
    audit(user, "view", visit)
    return render(request, "queues/visit_detail.html", context)


@login_required
def board(request: HttpRequest) -> HttpResponse:
    user = _user(request)
    require_role(user, *STAFF_ROLES)
    polis = list(facility_scope(Poli.objects.filter(is_active=True), user).order_by("pcare_code"))
    poli: Poli | None = None
    wanted = request.GET.get("poli")
    for candidate in polis:
        if wanted and str(candidate.pk) == wanted:
            poli = candidate
    if poli is None and polis:
        poli = polis[0]
    day = _day(request)
    context: dict[str, Any] = {
        "polis": polis,
        "poli": poli,
        "day": day,
        "columns": board_columns(poli=poli, day=day) if poli else [],
        "other_polis": [p for p in polis if p != poli],
    }
    template = "queues/_board_columns.html" if request.htmx else "queues/board.html"  # type: ignore[attr-defined]
    return render(request, template, context)


TICKET_ACTIONS = {
    "call": services.ticket_call,
    "recall": services.ticket_recall,
    "skip": services.ticket_skip,
    "start": services.ticket_start_service,
    "finish": services.ticket_finish,
}


@login_required
@require_POST
def ticket_action(request: HttpRequest, pk: int, action: str) -> HttpResponse:
    user = _user(request)
    require_role(user, *STAFF_ROLES)
    ticket = get_for_user(QueueTicket.objects.select_related("poli"), user, pk=pk)
    back = reverse("queues:board") + f"?poli={ticket.poli_id}&date={ticket.date.isoformat()}"
    try:
        if action in TICKET_ACTIONS:
            ticket = TICKET_ACTIONS[action](ticket=ticket, user=user)
            messages.success(
                request,
                _("%(label)s: %(status)s.")
                % {"label": ticket.label, "status": ticket.get_status_display()},
            )
        elif action == "cancel":
            form = CancelForm(request.POST)
            reason = form.data.get("reason", "")
            services.ticket_cancel(ticket=ticket, reason=str(reason), user=user)
            messages.success(request, _("%(label)s cancelled.") % {"label": ticket.label})
        elif action == "transfer":
            to_poli = (
                facility_scope(Poli.objects.all(), user)
                .filter(pk=request.POST.get("poli") or 0)
                .first()
            )
            if to_poli is None:
                raise ClinicError(_("Unknown poli: choose one of this clinic's active polis."))
            new = services.ticket_transfer(ticket=ticket, to_poli=to_poli, user=user)
            messages.success(
                request,
                _("%(old)s sent to Poli %(poli)s with number %(new)s.")
                % {"old": ticket.label, "poli": to_poli.name, "new": new.label},
            )
        else:
            raise Http404
    except ClinicError as exc:
        messages.error(request, exc.message)
    return redirect(back)


@login_required
@require_POST
def call_next(request: HttpRequest, poli_pk: int) -> HttpResponse:
    user = _user(request)
    require_role(user, *STAFF_ROLES)
    poli = get_for_user(Poli.objects.all(), user, pk=poli_pk)
    day = timezone.localdate()
    ticket = services.ticket_call_next(poli=poli, day=day, user=user)
    if ticket is None:
        messages.info(request, _("Nobody is waiting at Poli %(poli)s.") % {"poli": poli.name})
    else:
        messages.success(request, _("Calling %(label)s.") % {"label": ticket.label})
    return redirect(reverse("queues:board") + f"?poli={poli.pk}")


# --- public screens: the waiting-room TV and the kiosk ---------------------------------------


def _facility(code: str) -> Facility:
    return get_object_or_404(Facility, bpjs_provider_code=code)


@require_GET
def tv(request: HttpRequest, code: str) -> HttpResponse:
    facility = _facility(code)
    return render(
        request,
        "queues/tv.html",
        {
            "facility": facility,
            "state_url": reverse("queues:tv-state", args=[facility.bpjs_provider_code]),
            "state": tv_state(facility=facility, day=timezone.localdate()),
        },
    )


@require_GET
@never_cache
def tv_state_view(request: HttpRequest, code: str) -> JsonResponse:
    """Numbers only (no names): what the waiting-room screen shows."""
    facility = _facility(code)
    return JsonResponse(tv_state(facility=facility, day=timezone.localdate()))


def kiosk(request: HttpRequest, code: str) -> HttpResponse:
    facility = _facility(code)
    polis = Poli.objects.filter(facility=facility, is_active=True).order_by("pcare_code")
    error = ""
    if request.method == "POST":
        poli = polis.filter(pk=request.POST.get("poli") or 0).first()
        if poli is None:
            error = _("Unknown poli: choose one of this clinic's active polis.")
        else:
            try:
                ticket = services.kiosk_ticket_take(poli=poli)
            except ClinicError as exc:
                error = exc.message
            else:
                token = signing.dumps(ticket.pk, salt=KIOSK_SALT)
                return redirect("queues:kiosk-ticket", code=code, token=token)
    return render(
        request, "queues/kiosk.html", {"facility": facility, "polis": polis, "error": error}
    )


@require_GET
def kiosk_ticket(request: HttpRequest, code: str, token: str) -> HttpResponse:
    facility = _facility(code)
    try:
        pk = signing.loads(token, salt=KIOSK_SALT, max_age=60 * 60 * 24)
    except signing.BadSignature as exc:
        raise Http404 from exc
    ticket = get_object_or_404(QueueTicket.objects.select_related("poli"), pk=pk, facility=facility)
    waiting = QueueTicket.objects.filter(
        poli=ticket.poli, date=ticket.date, status=TicketStatus.WAITING, number__lt=ticket.number
    ).count()
    return render(
        request,
        "queues/kiosk_ticket.html",
        {"facility": facility, "ticket": ticket, "ahead": waiting},
    )
