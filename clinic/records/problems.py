"""BPJS answers explained to the doctor: what PCare refused (412 field errors) and what to fix."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext as _

from bridging.outbox.handlers import operation_label
from bridging.outbox.models import AttemptOutcome, JobState, SyncJob
from clinic.records import sync


def _hints() -> dict[str, str]:
    return {
        "kdDiag1": _("Check the primary diagnosis: PCare does not know this ICD-10 code."),
        "kdDiag2": _("Check the second diagnosis."),
        "kdDiag3": _("Check the third diagnosis."),
        "kdTacc": _(
            "The diagnosis is non-specialist: add an addendum with a TACC code and reason, "
            "then the visit is sent again."
        ),
        "alasanTacc": _("Give the TACC reason in an addendum."),
        "kdDokter": _("The doctor's PCare code is not known to PCare: ask the clinic admin."),
        "kdSadar": _("Correct the consciousness level in an addendum."),
        "kdPrognosa": _("Correct the prognosis in an addendum."),
        "rujukLanjut": _("The referral is incomplete: check the hospital and the date."),
        "noKartu": _(
            "PCare has no registration (pendaftaran) for this card, poli and date: check that "
            "the pendaftaran was sent, then send again."
        ),
        "noKunjungan": _("PCare does not know this visit yet: send the kunjungan first."),
        "kdPoli": _("Check the poli of the visit."),
        "tglDaftar": _("Check the visit date."),
    }


def field_errors(job: SyncJob) -> list[dict[str, str]]:
    """The 412 field errors of the job's last failed attempt, each with what to fix."""
    attempt = (
        job.attempt_log.filter(outcome__in=[AttemptOutcome.ATTENTION, AttemptOutcome.RETRY])
        .order_by("-number", "-id")
        .first()
    )
    if attempt is None or not isinstance(attempt.response, dict):
        return []
    hints = _hints()
    result = []
    for item in attempt.response.get("field_errors") or []:
        if not isinstance(item, dict):
            continue
        field = str(item.get("field") or "")
        result.append(
            {
                "field": field,
                "message": str(item.get("message") or ""),
                "hint": hints.get(field, _("Correct it in an addendum, then send again.")),
            }
        )
    return result


def job_problem(job: SyncJob) -> dict[str, Any]:
    problem = job.state == JobState.ATTENTION
    return {
        "job": job,
        "id": job.pk,
        "operation": job.operation,
        "label": operation_label(job.operation),
        "state": job.state,
        "state_label": job.state_label,
        "remote_id": job.remote_id,
        "problem": problem,
        "field_errors": field_errors(job) if problem else [],
        "can_resend": job.state in (JobState.ATTENTION, JobState.CANCELLED, JobState.RETRY)
        and job.operation in sync.RECORD_OPERATIONS,
    }
