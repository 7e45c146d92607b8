"""What the queue sends to BPJS, as outbox jobs (enqueued inside the caller's transaction).

Every job's idempotency key is deterministic, built from our own ids, so enqueueing the same
thing twice yields the same job. Jobs about a visit have the visit as their subject; an
``antrean/panggil`` report has its :class:`~clinic.queues.models.QueueCall` row.
"""

from __future__ import annotations

from typing import Any

from bridging.outbox.handlers import operation_label
from bridging.outbox.models import SyncJob
from bridging.outbox.services import enqueue
from clinic.queues.models import QueueCall, QueueTicket, Visit

SUBJECT_VISIT = "queues.visit"
SUBJECT_CALL = "queues.queuecall"

PENDAFTARAN_ADD = "pcare.pendaftaran.add"
PENDAFTARAN_DELETE = "pcare.pendaftaran.delete"
ANTREAN_ADD = "antrean.add"
ANTREAN_CALL = "antrean.panggil"
ANTREAN_CANCEL = "antrean.batal"


def pendaftaran_add_key(visit: Visit, transfer_ticket: QueueTicket | None = None) -> str:
    key = f"{PENDAFTARAN_ADD}:visit:{visit.pk}"
    if transfer_ticket is not None:
        key += f":ticket:{transfer_ticket.pk}"
    return key


def antrean_add_key(visit: Visit) -> str:
    return f"{ANTREAN_ADD}:visit:{visit.pk}"


def _job(key: str) -> SyncJob | None:
    return SyncJob.objects.filter(idempotency_key=key).first()


def _latest_pendaftaran_add(visit: Visit) -> SyncJob | None:
    return (
        SyncJob.objects.filter(
            subject_type=SUBJECT_VISIT, subject_id=str(visit.pk), operation=PENDAFTARAN_ADD
        )
        .order_by("-created_at", "-id")
        .first()
    )


def enqueue_pendaftaran_add(
    visit: Visit, *, transfer_ticket: QueueTicket | None = None, only_if_missing: bool = False
) -> SyncJob | None:
    key = pendaftaran_add_key(visit, transfer_ticket)
    if only_if_missing and _job(key) is not None:
        return None
    job: SyncJob = enqueue(
        facility_id=visit.facility_id,
        service="pcare",
        operation=PENDAFTARAN_ADD,
        subject_type=SUBJECT_VISIT,
        subject_id=str(visit.pk),
        idempotency_key=key,
    )
    return job


def enqueue_pendaftaran_delete(visit: Visit) -> SyncJob | None:
    """Delete the visit's PCare registration, after it was added (nothing if it never was)."""
    add = _latest_pendaftaran_add(visit)
    if add is None:
        return None
    job: SyncJob = enqueue(
        facility_id=visit.facility_id,
        service="pcare",
        operation=PENDAFTARAN_DELETE,
        subject_type=SUBJECT_VISIT,
        subject_id=str(visit.pk),
        idempotency_key=f"{PENDAFTARAN_DELETE}:visit:{visit.pk}",
        depends_on=[add],
    )
    return job


def enqueue_antrean_add(visit: Visit) -> SyncJob:
    job: SyncJob = enqueue(
        facility_id=visit.facility_id,
        service="antreanfktp",
        operation=ANTREAN_ADD,
        subject_type=SUBJECT_VISIT,
        subject_id=str(visit.pk),
        idempotency_key=antrean_add_key(visit),
    )
    return job


def enqueue_antrean_call(call: QueueCall) -> SyncJob:
    ticket = call.ticket
    add = _job(antrean_add_key(ticket.visit)) if ticket.visit is not None else None
    job: SyncJob = enqueue(
        facility_id=call.facility_id,
        service="antreanfktp",
        operation=ANTREAN_CALL,
        subject_type=SUBJECT_CALL,
        subject_id=str(call.pk),
        idempotency_key=f"{ANTREAN_CALL}:call:{call.pk}",
        depends_on=[add] if add is not None else None,
    )
    return job


def enqueue_antrean_cancel(visit: Visit, *, reason: str) -> SyncJob:
    add = _job(antrean_add_key(visit))
    job: SyncJob = enqueue(
        facility_id=visit.facility_id,
        service="antreanfktp",
        operation=ANTREAN_CANCEL,
        subject_type=SUBJECT_VISIT,
        subject_id=str(visit.pk),
        idempotency_key=f"{ANTREAN_CANCEL}:visit:{visit.pk}",
        depends_on=[add] if add is not None else None,
    )
    return job


def visit_jobs(visit: Visit) -> list[SyncJob]:
    """Every BPJS job about a visit (its own and its tickets' call reports), oldest first."""
    call_ids = [
        str(pk) for pk in QueueCall.objects.filter(ticket__visit=visit).values_list("pk", flat=True)
    ]
    jobs = SyncJob.objects.filter(subject_type=SUBJECT_VISIT, subject_id=str(visit.pk))
    if call_ids:
        jobs = jobs | SyncJob.objects.filter(subject_type=SUBJECT_CALL, subject_id__in=call_ids)
    return list(jobs.order_by("created_at", "id"))


def job_summary(job: SyncJob) -> dict[str, Any]:
    return {
        "id": job.pk,
        "operation": job.operation,
        "operation_label": operation_label(job.operation),
        "state": job.state,
        "state_label": job.state_label,
        "remote_id": job.remote_id,
    }
