"""Patient pages: the front desk's search box, registration with "Cek BPJS", the patient."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from clinic.core.access import require_role
from clinic.core.audit import audit
from clinic.core.errors import ClinicError, ValidationFailed
from clinic.core.models import User
from clinic.patients import nik as ids
from clinic.patients.eligibility import (
    EligibilityResult,
    eligibility_check,
    eligibility_check_patient,
    recall_result,
    remember_result,
)
from clinic.patients.forms import FamilyLinkForm, PatientForm
from clinic.patients.models import FamilyLink, Patient
from clinic.patients.selectors import (
    EDIT_ROLES,
    VIEW_ROLES,
    access_patient,
    classify_query,
    patient_search_result,
    patients_for,
)
from clinic.patients.services import (
    DuplicatePatient,
    LikelyDuplicate,
    family_link_add,
    patient_register,
    patient_update,
)


def _user(request: HttpRequest) -> User:
    user: User = request.user  # type: ignore[assignment]
    return user


def _can_edit(user: User) -> bool:
    return user.role in EDIT_ROLES


@login_required
def search(request: HttpRequest) -> HttpResponse:
    """The one search box: NIK, card number, MRN, phone or part of the name."""
    user = _user(request)
    require_role(user, *VIEW_ROLES)
    q = request.GET.get("q", "")
    result = patient_search_result(user=user, q=q)
    context: dict[str, Any] = {
        "q": q,
        "query": result.query,
        "results": result.patients,
        "more": result.more,
        "can_edit": _can_edit(user),
    }
    if getattr(request, "htmx", False):
        return render(request, "patients/_results.html", context)
    return render(request, "patients/search.html", context)


def _add_errors(form: PatientForm, exc: ClinicError) -> None:
    placed = False
    for field, field_messages in exc.fields.items():
        if field in form.fields:
            for message in field_messages:
                form.add_error(field, message)
            placed = True
    if not placed:
        form.add_error(None, exc.message)


def _check_from_form(
    request: HttpRequest, form: PatientForm, user: User
) -> tuple[EligibilityResult | None, str]:
    """Run "Cek BPJS" with the card number (or else the NIK) typed in the form."""
    card = (form.data.get("bpjs_card_number") or "").strip()
    nik_value = (form.data.get("nik") or "").strip()
    try:
        if card:
            card = ids.clean_card_number(card)
        elif nik_value:
            nik_value = ids.parse_nik(nik_value).nik
        else:
            form.add_error(
                "bpjs_card_number", _("Enter a BPJS card number or a NIK to check BPJS.")
            )
            return None, ""
    except ids.IdentityError as exc:
        form.add_error("bpjs_card_number" if card else "nik", exc.message)
        return None, ""
    assert user.facility_id is not None
    result = eligibility_check(
        facility_id=user.facility_id, card_number=card or None, nik=None if card else nik_value
    )
    audit(user, "action", summary=f"BPJS eligibility check: {result.status}")
    return result, remember_result(result, facility_id=user.facility_id)


@login_required
@require_http_methods(["GET", "POST"])
def register(request: HttpRequest) -> HttpResponse:
    """Register a new patient; "Cek BPJS" asks PCare and pre-fills the form from its answer."""
    user = _user(request)
    require_role(user, *EDIT_ROLES)
    if user.facility is None:
        raise PermissionDenied
    eligibility: EligibilityResult | None = None
    duplicates: list[Patient] = []
    existing: Patient | None = None
    if request.method == "GET":
        initial = {
            k: request.GET[k] for k in ("bpjs_card_number", "nik", "name") if k in request.GET
        }
        form = PatientForm(initial=initial)
    elif request.POST.get("action") == "check":
        form = PatientForm(request.POST)
        eligibility, token = _check_from_form(request, form, user)
        if eligibility is not None:
            data = request.POST.copy()
            for key, value in eligibility.prefill().items():
                data[key] = value.isoformat() if hasattr(value, "isoformat") else value
            data["eligibility_token"] = token
            form = PatientForm(data)
    else:
        form = PatientForm(request.POST)
        eligibility = recall_result(
            request.POST.get("eligibility_token"), facility_id=user.facility.pk
        )
        if form.is_valid():
            try:
                patient = patient_register(
                    facility=user.facility,
                    created_by=user,
                    confirm_duplicate=form.cleaned_data["confirm_duplicate"],
                    eligibility=eligibility,
                    **form.patient_data(),
                )
            except DuplicatePatient as exc:
                existing = exc.existing
                form.add_error(None, exc.message)
            except LikelyDuplicate as exc:
                duplicates = exc.candidates
                form.add_error("confirm_duplicate", exc.message)
            except ValidationFailed as exc:
                _add_errors(form, exc)
            else:
                messages.success(
                    request, _("Patient registered with number %(mrn)s.") % {"mrn": patient.mrn}
                )
                return redirect("patients:detail", pk=patient.pk)
    return render(
        request,
        "patients/register.html",
        {
            "form": form,
            "eligibility": eligibility,
            "duplicates": duplicates,
            "existing": existing,
            "show_confirm": bool(duplicates) or bool(form.data.get("confirm_duplicate")),
        },
    )


@login_required
def detail(request: HttpRequest, pk: int) -> HttpResponse:
    user = _user(request)
    patient = access_patient(user, pk)
    links = (
        FamilyLink.objects.filter(patient=patient)
        .select_related("relative")
        .order_by("relation", "relative__name")
    )
    same_kk: list[Patient] = []
    if patient.family_card_number:
        same_kk = list(
            patients_for(user)
            .filter(family_card_number=patient.family_card_number)
            .exclude(pk=patient.pk)
            .order_by("name")[:20]
        )
    return render(
        request,
        "patients/detail.html",
        {
            "patient": patient,
            "links": links,
            "same_kk": same_kk,
            "can_edit": _can_edit(user),
            "family_form": FamilyLinkForm(),
            "registered_here": patient.bpjs_provider_code == patient.facility.bpjs_provider_code,
        },
    )


@login_required
@require_POST
def check(request: HttpRequest, pk: int) -> HttpResponse:
    """ "Cek BPJS" for a saved patient: store the answer; schedule a retry if BPJS is silent."""
    user = _user(request)
    patient = access_patient(user, pk, for_edit=True)
    if not (patient.bpjs_card_number or patient.nik):
        messages.error(request, _("This patient has neither a BPJS card number nor a NIK."))
        return redirect("patients:detail", pk=pk)
    result = eligibility_check_patient(patient=patient)
    audit(user, "action", patient, summary=f"BPJS eligibility check: {result.status}")
    level = messages.SUCCESS if result.status == "verified" else messages.WARNING
    messages.add_message(request, level, result.message)
    for warning in result.warnings:
        if warning != result.message:
            messages.add_message(request, messages.WARNING, warning)
    return redirect("patients:detail", pk=pk)


@login_required
@require_http_methods(["GET", "POST"])
def edit(request: HttpRequest, pk: int) -> HttpResponse:
    user = _user(request)
    patient = access_patient(user, pk, for_edit=True)
    duplicates: list[Patient] = []
    existing: Patient | None = None
    if request.method == "POST":
        form = PatientForm(request.POST)
        if form.is_valid():
            try:
                patient_update(
                    patient=patient,
                    updated_by=user,
                    confirm_duplicate=form.cleaned_data["confirm_duplicate"],
                    **form.patient_data(),
                )
            except DuplicatePatient as exc:
                existing = exc.existing
                form.add_error(None, exc.message)
            except LikelyDuplicate as exc:
                duplicates = exc.candidates
                form.add_error("confirm_duplicate", exc.message)
            except ValidationFailed as exc:
                _add_errors(form, exc)
            else:
                messages.success(request, _("Patient data saved."))
                return redirect("patients:detail", pk=pk)
    else:
        form = PatientForm(
            initial={
                name: getattr(patient, name)
                for name in PatientForm.IDENTITY_FIELDS + PatientForm.ADDRESS_FIELDS
            }
        )
    return render(
        request,
        "patients/edit.html",
        {
            "form": form,
            "patient": patient,
            "duplicates": duplicates,
            "existing": existing,
            "show_confirm": bool(duplicates) or bool(form.data.get("confirm_duplicate")),
        },
    )


@login_required
@require_POST
def family_add(request: HttpRequest, pk: int) -> HttpResponse:
    user = _user(request)
    patient = access_patient(user, pk, for_edit=True)
    form = FamilyLinkForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Enter the relative's medical record number and relation."))
        return redirect("patients:detail", pk=pk)
    query = classify_query(form.cleaned_data["relative_mrn"])
    relative = patients_for(user).filter(mrn=query.value).first() if query.kind == "mrn" else None
    if relative is None:
        messages.error(request, _("No patient of this clinic has that medical record number."))
        return redirect("patients:detail", pk=pk)
    try:
        family_link_add(
            patient=patient,
            relative=relative,
            relation=form.cleaned_data["relation"],
            created_by=user,
        )
    except ClinicError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("Family link added."))
    return redirect(reverse("patients:detail", args=[pk]) + "#family")
