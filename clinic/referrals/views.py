"""Referral pages: the referral part of the encounter form (specialty → subspecialty → sarana →
hospitals PCare offers), the referral letter (print and PDF) and SEP (FKRTL mode)."""

from __future__ import annotations

from typing import Any, cast

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from bridging.transport.errors import BridgingError
from clinic.core.access import get_for_user
from clinic.core.audit import audit
from clinic.core.errors import ClinicError
from clinic.core.models import Role, User
from clinic.records.access import access_record, require_clinical, require_doctor
from clinic.records.models import MedicalRecord
from clinic.referrals import services
from clinic.referrals.models import (
    SPECIAL_WITH_SUBSPECIALTY,
    TACC_REASONS,
    FkrtlSetting,
    Referral,
    ReferralKind,
    Sep,
    Tacc,
)


def _user(request: HttpRequest) -> User:
    return cast(User, request.user)


def referral_context(record: MedicalRecord, user: User) -> dict[str, Any]:
    """What the encounter page needs for its referral section."""
    referral = Referral.objects.filter(record=record).first()
    context: dict[str, Any] = {
        "referral": referral,
        "referral_kinds": ReferralKind.choices,
        "tacc_choices": [(c.value, c.label) for c in Tacc if c.value in (1, 2, 3, 4)],
        "tacc_reasons": TACC_REASONS,
        "special_with_subspecialty": sorted(SPECIAL_WITH_SUBSPECIALTY),
        "today": timezone.localdate(),
    }
    if record.is_editable and user.role == Role.DOCTOR:
        try:
            context["specialties"] = services.specialties(record.facility_id)
            context["facility_types"] = services.facility_types(record.facility_id)
            context["special_categories"] = services.special_categories(record.facility_id)
            if referral is not None and referral.specialty_code:
                context["subspecialties"] = services.subspecialties(
                    record.facility_id, referral.specialty_code
                )
        except BridgingError as exc:
            context["referral_reference_error"] = exc.message
    return context


def _record_for(request: HttpRequest, record_pk: int) -> MedicalRecord:
    user = _user(request)
    require_doctor(user)
    return access_record(user, record_pk, audit_read=False)


@login_required
@require_GET
def subspecialty_options(request: HttpRequest, record_pk: int) -> HttpResponse:
    record = _record_for(request, record_pk)
    code = request.GET.get("specialty", "")
    context: dict[str, Any] = {"subspecialties": [], "error": ""}
    if code:
        try:
            context["subspecialties"] = services.subspecialties(record.facility_id, code)
        except BridgingError as exc:
            context["error"] = exc.message
    return render(request, "referrals/_subspecialties.html", context)


@login_required
@require_GET
def hospital_options(request: HttpRequest, record_pk: int) -> HttpResponse:
    """The hospitals PCare offers for the chosen subspecialty (or special category) and date."""
    record = _record_for(request, record_pk)
    planned = services._parse_date(request.GET.get("planned_date"))
    kind = request.GET.get("referral_kind", ReferralKind.SPECIALIST)
    context: dict[str, Any] = {"hospitals": [], "error": ""}
    special = request.GET.get("special", "") if kind == ReferralKind.SPECIAL else ""
    subspecialty = request.GET.get("subspecialty", "")
    if planned is None:
        context["error"] = _("Enter the planned referral date first.")
    elif planned < timezone.localdate():
        context["error"] = _("The planned referral date has already passed.")
    elif not special and not subspecialty:
        context["error"] = _("Choose the specialty and subspecialty first.")
    else:
        try:
            context["hospitals"] = services.hospitals(
                record.facility_id,
                planned_date=planned,
                subspecialty_code=subspecialty,
                facility_type_code=request.GET.get("facility_type", ""),
                special_code=special,
                card_number=str(record.patient.bpjs_card_number or ""),
            )
        except BridgingError as exc:
            context["error"] = exc.message
        if not context["hospitals"] and not context["error"]:
            context["error"] = _("PCare offers no hospital for this choice and date.")
    return render(request, "referrals/_hospitals.html", context)


def _letter_context(referral: Referral) -> dict[str, Any]:
    record = referral.record
    return {
        "referral": referral,
        "record": record,
        "visit": record.visit,
        "patient": record.patient,
        "facility": record.visit.facility,
        "diagnoses": record.diagnosis_list(),
        "pcare_letter": services.referral_letter_refresh(referral),
        "printed_at": timezone.localtime(),
    }


@login_required
@require_GET
def letter(request: HttpRequest, record_pk: int) -> HttpResponse:
    """The referral letter (surat rujukan), with PCare's number once synced; ``?format=pdf``."""
    from clinic.records.pdf import pdf_response

    user = _user(request)
    record = access_record(user, record_pk)
    referral = Referral.objects.filter(record=record).select_related("record").first()
    if referral is None:
        messages.error(request, _("This visit has no referral."))
        return redirect("records:visit", visit_pk=record.visit_id)
    context = _letter_context(referral)
    if request.GET.get("format") == "pdf":
        audit(user, "export", record, summary="referral letter PDF")
        return pdf_response(
            request, "referrals/letter.html", context, f"surat-rujukan-{referral.pk}.pdf"
        )
    return render(request, "referrals/letter.html", context)


# --- SEP (FKRTL mode) -------------------------------------------------------------------------


def fkrtl_setting(user: User) -> FkrtlSetting | None:
    setting = FkrtlSetting.objects.filter(
        facility_id=int(user.facility_id or 0), enabled=True
    ).first()
    return setting


@login_required
@require_http_methods(["GET", "POST"])
def sep_new(request: HttpRequest) -> HttpResponse:
    """Create an SEP through VClaim from an FKTP referral number (FKRTL mode only)."""
    from clinic.referrals.sep import sep_create, sep_lookup

    user = _user(request)
    require_clinical(user)
    setting = fkrtl_setting(user)
    if setting is None:
        return render(request, "referrals/sep_disabled.html", status=404)
    context: dict[str, Any] = {"form": request.POST or request.GET, "errors": {}}
    number = request.POST.get("referral_number") or request.GET.get("referral_number") or ""
    number = number.strip()
    if number:
        try:
            context["lookup"] = sep_lookup(user, number)
        except ClinicError as exc:
            context["error_message"] = exc.message
    if request.method == "POST" and request.POST.get("action") == "create" and "lookup" in context:
        try:
            sep = sep_create(
                user=user, setting=setting, lookup=context["lookup"], data=request.POST.dict()
            )
        except ClinicError as exc:
            context["error_message"] = exc.message
            context["errors"] = exc.fields
        else:
            return redirect("referrals:sep-print", pk=sep.pk)
    context["today"] = timezone.localdate()
    return render(request, "referrals/sep_form.html", context)


@login_required
@require_GET
def sep_print(request: HttpRequest, pk: int) -> HttpResponse:
    from clinic.records.pdf import pdf_response

    user = _user(request)
    require_clinical(user)
    sep: Sep = get_for_user(Sep.objects.select_related("patient", "facility"), user, pk=pk)
    audit(user, "view", sep, summary="SEP read")
    context = {"sep": sep, "facility": sep.facility, "printed_at": timezone.localtime()}
    if request.GET.get("format") == "pdf":
        return pdf_response(request, "referrals/sep_print.html", context, f"sep-{sep.pk}.pdf")
    return render(request, "referrals/sep_print.html", context)
