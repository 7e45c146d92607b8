"""Writes to the outbox: enqueue a job, retry or cancel one, pause or resume a service."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext

from bridging.outbox import conf, signals
from bridging.outbox.dispatch import fire_on_commit
from bridging.outbox.handlers import HandlerNotFound, get_handler, operation_label
from bridging.outbox.models import JobState, Service, ServicePause, SyncJob

__all__ = [
    "JobStateError",
    "enqueue",
    "is_paused",
    "job_cancel",
    "job_retry",
    "note_blocked_dependents",
    "service_pause",
]

RETRYABLE_BY_HAND = frozenset(
    {JobState.WAITING, JobState.RETRY, JobState.ATTENTION, JobState.CANCELLED}
)
CANCELLABLE = frozenset({JobState.WAITING, JobState.RETRY, JobState.ATTENTION})


class JobStateError(Exception):
    """The job is in a state that does not allow the action (Indonesian ``message``)."""

    code = "outbox_job_state"

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


def enqueue(
    *,
    facility_id: int,
    service: str,
    operation: str,
    subject_type: str,
    subject_id: str,
    idempotency_key: str,
    depends_on: Iterable[SyncJob] | None = None,
    payload: dict[str, Any] | None = None,
) -> SyncJob:
    """Create the job for one BPJS operation, or return the one that has this key already.

    Call it inside the transaction that makes the change: the job commits (or rolls back) with
    it, and ``run_job`` is queued on commit.
    """
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("enqueue() must be called inside transaction.atomic()")
    if service not in Service.values:
        raise ValueError(f"unknown BPJS service {service!r}")
    try:
        get_handler(operation)
    except HandlerNotFound:
        raise ValueError(f"no outbox handler registered for {operation!r}") from None
    if not idempotency_key:
        raise ValueError("idempotency_key is required")
    dependencies = list(depends_on or [])
    for dependency in dependencies:
        if dependency.pk is None or dependency.facility_id != facility_id:
            raise ValueError("a dependency must be a saved job of the same facility")

    existing = SyncJob.objects.filter(idempotency_key=idempotency_key).first()
    if existing is not None:
        return _same_job(existing, facility_id, operation)
    now = timezone.now()
    try:
        with transaction.atomic():
            job = SyncJob.objects.create(
                facility_id=facility_id,
                service=service,
                operation=operation,
                subject_type=subject_type,
                subject_id=str(subject_id),
                idempotency_key=idempotency_key,
                payload=payload,
                max_attempts=conf.max_attempts(),
                next_attempt_at=now,
                created_at=now,
                updated_at=now,
            )
    except IntegrityError:
        # Another transaction inserted the same key between our look-up and our insert.
        existing = SyncJob.objects.filter(idempotency_key=idempotency_key).first()
        if existing is None:
            raise
        return _same_job(existing, facility_id, operation)
    if dependencies:
        job.depends_on.set(dependencies)
    if all(dependency.state == JobState.SENT for dependency in dependencies):
        fire_on_commit(job.pk)
    return job


def _same_job(job: SyncJob, facility_id: int, operation: str) -> SyncJob:
    if job.facility_id != facility_id or job.operation != operation:
        raise ValueError(
            f"idempotency key already used by another operation ({job.operation}, job {job.pk})"
        )
    return job


def job_retry(*, job: SyncJob, by: Any) -> SyncJob:
    """Try a job again now, with a fresh allowance of automatic attempts."""
    with transaction.atomic():
        locked = SyncJob.objects.select_for_update().get(pk=job.pk)
        if locked.state not in RETRYABLE_BY_HAND:
            raise JobStateError(
                gettext("This job cannot be retried while it is %(state)s.")
                % {"state": locked.get_state_display()}
            )
        now = timezone.now()
        locked.state = JobState.RETRY
        locked.next_attempt_at = now
        locked.max_attempts = locked.attempts + conf.max_attempts()
        locked.note = ""
        locked.updated_at = now
        locked.save(
            update_fields=["state", "next_attempt_at", "max_attempts", "note", "updated_at"]
        )
        signals.job_retried.send(sender=SyncJob, job=locked, by=by)
        fire_on_commit(locked.pk)
    return locked


def job_cancel(*, job: SyncJob, by: Any) -> SyncJob:
    """Give up on a job that has not been sent. Its dependents keep waiting, with a note."""
    with transaction.atomic():
        locked = SyncJob.objects.select_for_update().get(pk=job.pk)
        if locked.state not in CANCELLABLE:
            raise JobStateError(
                gettext("This job cannot be cancelled while it is %(state)s.")
                % {"state": locked.get_state_display()}
            )
        locked.state = JobState.CANCELLED
        locked.updated_at = timezone.now()
        locked.lease_expires_at = None
        locked.save(update_fields=["state", "updated_at", "lease_expires_at"])
        note_blocked_dependents(locked)
        signals.job_cancelled.send(sender=SyncJob, job=locked, by=by)
    return locked


def note_blocked_dependents(job: SyncJob) -> int:
    """Tell the jobs waiting for ``job`` (cancelled or needing attention) why they wait."""
    if job.state == JobState.CANCELLED:
        note = gettext("%(operation)s was cancelled") % {
            "operation": operation_label(job.operation)
        }
    else:
        note = gettext("%(operation)s needs attention first") % {
            "operation": operation_label(job.operation)
        }
    return SyncJob.objects.filter(
        depends_on=job, state__in=[JobState.WAITING, JobState.RETRY]
    ).update(note=note[:255], updated_at=timezone.now())


def is_paused(facility_id: int, service: str) -> bool:
    return ServicePause.objects.filter(
        Q(facility_id=facility_id) | Q(facility__isnull=True), service=service, paused=True
    ).exists()


def service_pause(
    *,
    service: str,
    paused: bool,
    by: Any,
    reason: str = "",
    facility_id: int | None = None,
) -> ServicePause:
    """Turn the pause switch of a service on or off for a facility (``by``'s facility unless
    given; ``None`` for a user without one pauses it for every facility).

    Jobs of a paused service stay waiting; on resume the due ones are queued again (the rest
    when they fall due, by the sweeper).
    """
    if service not in Service.values:
        raise ValueError(f"unknown BPJS service {service!r}")
    if facility_id is None:
        facility_id = getattr(by, "facility_id", None)
    by_user = by if getattr(by, "pk", None) is not None else None
    with transaction.atomic():
        now = timezone.now()
        lookup: dict[str, Any] = {"facility_id": facility_id, "service": service}
        pause, _created = ServicePause.objects.select_for_update().update_or_create(
            **lookup,
            defaults={"paused": paused, "reason": reason[:255], "by": by_user, "changed_at": now},
        )
        jobs = SyncJob.objects.filter(service=service, state__in=[JobState.WAITING, JobState.RETRY])
        if facility_id is not None:
            jobs = jobs.filter(facility_id=facility_id)
        paused_note = gettext("the %(service)s service is paused") % {
            "service": Service(service).label
        }
        if paused:
            jobs.update(note=paused_note, updated_at=now)
        else:
            jobs.filter(note=paused_note).update(note="", updated_at=now)
            due = jobs.filter(next_attempt_at__lte=now).order_by("next_attempt_at")
            for job_id in due.values_list("pk", flat=True)[: conf.sweep_batch()]:
                fire_on_commit(job_id)
        signals.service_paused.send(sender=ServicePause, pause=pause, by=by, paused=paused)
    return pause
