"""Pages of the medical record: triage, encounter, signing, addenda, PCare sync state with
"fix and re-send", the medical resume (print and PDF), iCare and the ICD-10 search."""

from __future__ import annotations

from typing import Any, cast

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from bridging.outbox.models import JobState, SyncJob
from bridging.outbox.services import JobStateError
from bridging.transport.errors import BridgingError
from clinic.core.audit import audit
from clinic.core.errors import ClinicError
from clinic.core.models import Role, User
from clinic.queues.models import Poli
from clinic.records import pdf, services, sync
from clinic.records.access import (
    access_record,
    access_visit,
    record_of_visit,
    require_clinical,
    require_doctor,
)
from clinic.records.icd10 import icd10_search
from clinic.records.models import (
    AirAllergy,
    Consciousness,
    Discharge,
    DrugAllergy,
    FoodAllergy,
    MedicalRecord,
    Prognosis,
)
from clinic.records.problems import job_problem


def _user(request: HttpRequest) -> User:
    return cast(User, request.user)


def _reference_procedures(record: MedicalRecord) -> tuple[list[dict[str, Any]], str]:
    from clinic.records.references import procedure_refs

    try:
        return procedure_refs(record.facility_id, record.visit.tkp), ""
    except BridgingError as exc:
        return [], exc.message


def record_context(record: MedicalRecord, user: User, **extra: Any) -> dict[str, Any]:
    from clinic.referrals.views import referral_context

    jobs = sync.record_jobs(record)
    context: dict[str, Any] = {
        "record": record,
        "visit": record.visit,
        "patient": record.patient,
        "diagnoses": record.diagnosis_list(),
        "prescriptions": list(record.prescriptions.all()),
        "procedures": list(record.procedures.all()),
        "addenda": list(record.addenda.select_related("author")),
        "jobs": [job_problem(job) for job in jobs],
        "vitals": services.VITALS,
        "consciousness_choices": Consciousness.choices,
        "food_choices": FoodAllergy.choices,
        "air_choices": AirAllergy.choices,
        "drug_choices": DrugAllergy.choices,
        "prognosis_choices": Prognosis.choices,
        "discharge_choices": Discharge.choices,
        "polis": Poli.objects.filter(facility_id=record.facility_id, is_active=True).exclude(
            pk=record.visit.poli_id
        ),
        "is_doctor": user.role == Role.DOCTOR,
        "is_nurse": user.role == Role.NURSE,
        "errors": {},
        "warnings": {},
        "form": {},
    }
    if record.is_editable and user.role == Role.DOCTOR:
        context["procedure_refs"], context["procedure_refs_error"] = _reference_procedures(record)
    context.update(referral_context(record, user))
    context.update(extra)
    return context


@login_required
@require_GET
def visit_record(request: HttpRequest, visit_pk: int) -> HttpResponse:
    user = _user(request)
    visit = access_visit(user, visit_pk)
    record = record_of_visit(user, visit)
    return render(request, "records/record.html", record_context(record, user))


@login_required
@require_GET
def sync_panel(request: HttpRequest, record_pk: int) -> HttpResponse:
    """The PCare sync panel (refreshed by htmx); not a read of clinical content."""
    user = _user(request)
    record = access_record(user, record_pk, audit_read=False)
    jobs = [job_problem(job) for job in sync.record_jobs(record)]
    return render(
        request,
        "records/_sync.html",
        {"record": record, "jobs": jobs, "is_doctor": user.role == Role.DOCTOR},
    )


def _rerender(
    request: HttpRequest, record: MedicalRecord, exc: ClinicError, **extra: Any
) -> HttpResponse:
    user = _user(request)
    context = record_context(record, user, **extra)
    context["error_message"] = exc.message
    context["error_code"] = exc.code
    if exc.code == "confirm_vitals":
        context["warnings"] = exc.fields
    else:
        context["errors"] = exc.fields
    context["form"] = request.POST
    return render(request, "records/record.html", context, status=400)


@login_required
@require_POST
def triage(request: HttpRequest, visit_pk: int) -> HttpResponse:
    user = _user(request)
    visit = access_visit(user, visit_pk)
    record = record_of_visit(user, visit, audit_read=False)
    try:
        services.triage_save(record=record, by=user, data=request.POST.dict())
    except ClinicError as exc:
        return _rerender(request, record, exc, form_name="triage")
    messages.success(request, _("Triage saved."))
    return redirect("records:visit", visit_pk=visit.pk)


def _diagnoses(request: HttpRequest) -> list[str]:
    return [request.POST.get(f"diagnosis{i}", "") for i in (1, 2, 3)]


@login_required
@require_POST
def encounter(request: HttpRequest, visit_pk: int) -> HttpResponse:
    from clinic.referrals.services import referral_save, rrns_preview

    user = _user(request)
    require_doctor(user)
    visit = access_visit(user, visit_pk)
    record = record_of_visit(user, visit, audit_read=False)
    action = request.POST.get("action", "save")
    try:
        services.encounter_save(
            record=record, by=user, data=request.POST.dict(), diagnoses=_diagnoses(request)
        )
        if record.discharge in (Discharge.VERTICAL_REFERRAL, Discharge.HORIZONTAL_REFERRAL):
            referral_save(record=record, by=user, data=request.POST.dict())
        if action == "sign":
            services.record_sign(record=record, by=user)
            messages.success(request, _("The record is signed."))
        else:
            messages.success(request, _("Encounter saved."))
    except ClinicError as exc:
        record.refresh_from_db()
        extra: dict[str, Any] = {}
        if exc.code == "tacc_required":
            extra["tacc_guard"] = True
            extra["rrns"] = rrns_preview(record)
        return _rerender(request, record, exc, **extra)
    return redirect("records:visit", visit_pk=visit.pk)


@login_required
@require_POST
def item_add(request: HttpRequest, record_pk: int, kind: str) -> HttpResponse:
    user = _user(request)
    require_doctor(user)
    record = access_record(user, record_pk, audit_read=False)
    try:
        if kind == "prescription":
            services.prescription_add(record=record, by=user, data=request.POST.dict())
        else:
            services.procedure_add(record=record, by=user, data=request.POST.dict())
    except ClinicError as exc:
        return _rerender(request, record, exc, form_name=kind)
    return redirect("records:visit", visit_pk=record.visit_id)


@login_required
@require_POST
def item_remove(request: HttpRequest, record_pk: int, kind: str, pk: int) -> HttpResponse:
    user = _user(request)
    require_doctor(user)
    record = access_record(user, record_pk, audit_read=False)
    try:
        services.item_remove(record=record, by=user, kind=kind, pk=pk)
    except ClinicError as exc:
        return _rerender(request, record, exc)
    return redirect("records:visit", visit_pk=record.visit_id)


@login_required
@require_POST
def addendum(request: HttpRequest, record_pk: int) -> HttpResponse:
    user = _user(request)
    record = access_record(user, record_pk, audit_read=False)
    post = request.POST
    corrections = {
        key: post.get(key) for key in services.CORRECTABLE if post.get(key) not in (None, "")
    }
    diagnoses = _diagnoses(request) if any(_diagnoses(request)) else None
    tacc = (
        {"tacc": post.get("tacc"), "tacc_reason": post.get("tacc_reason", "")}
        if post.get("tacc")
        else None
    )
    drug = _prefixed(request, "new_drug_")
    procedure = _prefixed(request, "new_procedure_")
    try:
        services.addendum_add(
            record=record,
            by=user,
            text=post.get("text", ""),
            corrections=corrections,
            diagnoses=diagnoses,
            tacc=tacc,
            prescription=drug if drug.get("drug_name") else None,
            procedure=procedure if procedure.get("code") else None,
        )
    except ClinicError as exc:
        return _rerender(request, record, exc, form_name="addendum")
    messages.success(request, _("Addendum added."))
    return redirect("records:visit", visit_pk=record.visit_id)


def _prefixed(request: HttpRequest, prefix: str) -> dict[str, str]:
    return {
        key[len(prefix) :]: str(request.POST.get(key, ""))
        for key in request.POST
        if key.startswith(prefix) and str(request.POST.get(key, "")).strip()
    }


@login_required
@require_POST
def resend(request: HttpRequest, record_pk: int, job_pk: int) -> HttpResponse:
    user = _user(request)
    record = access_record(user, record_pk, audit_read=False)
    job = get_object_or_404(SyncJob, pk=job_pk, facility_id=record.facility_id)
    try:
        services.job_resend(record=record, job=job, by=user)
    except JobStateError as exc:
        messages.error(request, exc.message)
    except ClinicError as exc:
        return _rerender(request, record, exc)
    else:
        messages.success(request, _("Sent again."))
    return redirect("records:visit", visit_pk=record.visit_id)


@login_required
@require_POST
def void(request: HttpRequest, record_pk: int) -> HttpResponse:
    user = _user(request)
    record = access_record(user, record_pk, audit_read=False)
    try:
        services.record_void(record=record, by=user, reason=request.POST.get("reason", ""))
    except ClinicError as exc:
        return _rerender(request, record, exc, form_name="void")
    messages.success(request, _("The record and its visit were voided."))
    return redirect("records:visit", visit_pk=record.visit_id)


@login_required
@require_GET
def resume(request: HttpRequest, record_pk: int) -> HttpResponse:
    """The medical resume (resume medis) for the patient or a referral; ``?format=pdf``."""
    user = _user(request)
    record = access_record(user, record_pk)
    context = resume_context(record)
    if request.GET.get("format") == "pdf":
        audit(user, "export", record, summary="medical resume PDF")
        return pdf.pdf_response(
            request, "records/resume.html", context, f"resume-medis-{record.pk}.pdf"
        )
    return render(request, "records/resume.html", context)


def resume_context(record: MedicalRecord) -> dict[str, Any]:
    from clinic.referrals.models import Referral

    return {
        "record": record,
        "visit": record.visit,
        "patient": record.patient,
        "facility": record.visit.facility,
        "diagnoses": record.diagnosis_list(),
        "prescriptions": list(record.prescriptions.all()),
        "procedures": list(record.procedures.all()),
        "addenda": list(record.addenda.select_related("author")),
        "referral": Referral.objects.filter(record=record).first(),
        "printed_at": timezone.localtime(),
    }


@login_required
@require_POST
def icare(request: HttpRequest, record_pk: int) -> HttpResponse:
    """Ask iCare for the participant's history URL (a fresh one every time) and show it."""
    from bridging.credentials.clients import icare_client

    user = _user(request)
    require_doctor(user)
    record = access_record(user, record_pk, audit_read=False)
    card = str(record.patient.bpjs_card_number or "")
    context: dict[str, Any] = {"record": record}
    if not card:
        context["icare_error"] = _("This patient has no BPJS card number.")
        audit(user, "action", record, summary="iCare: no card number")
        return render(request, "records/_icare.html", context)
    code = sync.doctor_code(record)
    try:
        link = icare_client(record.facility_id).history_link_fktp(
            card, int(code) if code.isdigit() else None
        )
    except BridgingError as exc:
        context["icare_error"] = _icare_message(exc)
        audit(user, "action", record, summary=f"iCare refused ({exc.reason})")
        return render(request, "records/_icare.html", context)
    context["icare_url"] = link.url
    audit(user, "action", record, summary="iCare history opened")
    return render(request, "records/_icare.html", context)


def _icare_message(exc: BridgingError) -> str:
    from bridging.transport.errors import (
        AuthenticationError,
        ConfigurationError,
        NetworkError,
        Rejected,
    )

    if isinstance(exc, Rejected):
        return _("iCare refused: %(message)s") % {"message": exc.bpjs_message or exc.message}
    if isinstance(exc, ConfigurationError | AuthenticationError):
        return _("iCare credentials are missing or not accepted: ask the clinic admin.")
    if isinstance(exc, NetworkError):
        return _("iCare cannot be reached right now. Try again in a moment.")
    return _("iCare is not answering properly right now (%(message)s). Try again later.") % {
        "message": exc.message
    }


@login_required
@require_GET
def icd10(request: HttpRequest) -> HttpResponse:
    """ICD-10 search for the encounter form (htmx partial)."""
    require_clinical(_user(request))
    query = request.GET.get("q", "")
    target = request.GET.get("target", "diagnosis1")
    results = icd10_search(query, limit=20) if len(query.strip()) >= 1 else []
    return render(request, "records/_icd10_results.html", {"results": results, "target": target})


@login_required
@require_GET
def drugs(request: HttpRequest) -> HttpResponse:
    """DPHO drug search at PCare (htmx partial)."""
    from clinic.records.references import drug_search

    user = _user(request)
    require_doctor(user)
    query = request.GET.get("q", "").strip()
    context: dict[str, Any] = {"results": [], "error": ""}
    if len(query) >= 3:
        try:
            context["results"] = drug_search(cast(int, user.facility_id), query)
        except BridgingError as exc:
            context["error"] = exc.message
    return render(request, "records/_drug_results.html", context)


def attention_jobs(record: MedicalRecord) -> list[SyncJob]:
    return [job for job in sync.record_jobs(record) if job.state == JobState.ATTENTION]
