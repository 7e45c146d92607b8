"""Running jobs: claim, call the handler, record the attempt, decide the next state; and the
sweeper that finds due, lost and abandoned jobs.

Nothing here sleeps or holds a database transaction across a BPJS call: the claim is one
conditional UPDATE (state and lease in the WHERE clause), the handler runs outside any
transaction, and the outcome is written by a second conditional UPDATE that only the claim's
owner (``claimed_by`` token) can make.
"""

from __future__ import annotations

import logging
import random
import socket
import uuid
from collections.abc import Callable
from datetime import datetime, timedelta
from typing import Any

from django.db import transaction
from django.db.models import Case, Exists, F, OuterRef, Q, Value, When
from django.utils import timezone
from django.utils.translation import gettext

from bridging.outbox import conf
from bridging.outbox.clients import ClientFactory
from bridging.outbox.dispatch import deliver, fire_on_commit
from bridging.outbox.handlers import Handler, HandlerNotFound, SendResult, get_handler
from bridging.outbox.models import AttemptOutcome, JobState, ServicePause, SyncAttempt, SyncJob
from bridging.outbox.services import is_paused, note_blocked_dependents
from bridging.transport.errors import BridgingError
from bridging.transport.redact import redact

__all__ = ["backoff_delay", "claim", "run_job", "sweep"]

logger = logging.getLogger("bridging.outbox")

ClientFactoryBuilder = Callable[[SyncJob], ClientFactory]

_rng = random.Random()
_WORKER = socket.gethostname()[:40]


def backoff_delay(failures: int, *, rng: random.Random | None = None) -> float:
    """Seconds before the next try after ``failures`` failed attempts.

    ``min(cap, base * 2 ** (failures - 1))`` with "equal jitter": a random factor in
    [0.5, 1.0], so workers that failed together do not come back together, and the delay never
    exceeds the cap.
    """
    exponent = max(0, min(failures - 1, 30))
    ceiling = min(conf.backoff_cap(), conf.backoff_base() * (2**exponent))
    return ceiling * (rng or _rng).uniform(0.5, 1.0)


def _default_clients(job: SyncJob) -> ClientFactory:
    return ClientFactory(job.facility_id)


def _blocked_dependencies() -> Exists:
    through = SyncJob.depends_on.through
    return Exists(
        through.objects.filter(from_syncjob=OuterRef("pk")).exclude(to_syncjob__state=JobState.SENT)
    )


def _claimable(now: datetime) -> Q:
    return (
        Q(state=JobState.WAITING)
        | Q(state=JobState.RETRY, next_attempt_at__lte=now)
        | Q(state=JobState.SENDING, lease_expires_at__lte=now)
    )


def claim(job_id: int, token: str, *, now: datetime | None = None) -> bool:
    """Take the job for one attempt: one conditional UPDATE, so of two workers one wins.

    A job still ``sending`` whose lease expired belonged to a worker that died mid-attempt:
    BPJS may have applied that attempt, so the new claim sets ``maybe_applied``.
    """
    now = now or timezone.now()
    updated = (
        SyncJob.objects.filter(_claimable(now), pk=job_id)
        .exclude(_blocked_dependencies())
        .update(
            state=JobState.SENDING,
            claimed_at=now,
            claimed_by=token,
            lease_expires_at=now + timedelta(seconds=conf.lease_seconds()),
            attempts=F("attempts") + 1,
            maybe_applied=Case(
                When(state=JobState.SENDING, then=Value(True)), default=F("maybe_applied")
            ),
            note="",
            updated_at=now,
        )
    )
    return updated == 1


def run_job(job_id: int, *, clients: ClientFactoryBuilder | None = None) -> str:
    """One attempt of one job, if it is due. Returns what happened (for logs and tests):
    ``missing``, ``final``, ``paused``, ``blocked``, ``not_claimed``, or the attempt's outcome.
    Safe to call any number of times for the same job, concurrently too."""
    job = SyncJob.objects.filter(pk=job_id).first()
    if job is None:
        return "missing"
    if job.is_final:
        return "final"
    if is_paused(job.facility_id, job.service):
        note = gettext("the %(service)s service is paused") % {"service": job.get_service_display()}
        SyncJob.objects.filter(pk=job.pk, state__in=[JobState.WAITING, JobState.RETRY]).update(
            note=note[:255]
        )
        return "paused"
    if _note_if_blocked(job):
        return "blocked"

    token = uuid.uuid4().hex
    now = timezone.now()
    if not claim(job.pk, token, now=now):
        return "not_claimed"
    job.refresh_from_db()
    SyncAttempt.objects.filter(job=job, outcome=AttemptOutcome.SENDING).update(
        outcome=AttemptOutcome.ABANDONED,
        finished_at=now,
        maybe_applied=True,
        message=gettext("The worker stopped during this attempt."),
    )
    attempt = SyncAttempt.objects.create(
        job=job, number=job.attempts, started_at=now, worker=_WORKER
    )
    if job.attempts > job.max_attempts:
        return _give_up_interrupted(job, attempt, token)
    try:
        handler = get_handler(job.operation)
    except HandlerNotFound:
        return _fail_no_handler(job, attempt, token)

    factory = (clients or _default_clients)(job)
    reconciled_clean = False
    outcome = AttemptOutcome.SENT
    try:
        result: SendResult | None = None
        if job.maybe_applied:
            result = handler.reconcile(job, factory)
            if result is None:
                reconciled_clean = True
            else:
                outcome = AttemptOutcome.RECONCILED
        if result is None:
            result = handler.send(job, factory)
        return _succeed(job, attempt, token, handler, result, outcome, factory)
    except Exception as exc:
        return _fail(job, attempt, token, exc, reconciled_clean=reconciled_clean, factory=factory)


def _note_if_blocked(job: SyncJob) -> bool:
    pending = list(job.depends_on.exclude(state=JobState.SENT))
    if not pending:
        return False
    stuck = [dep for dep in pending if dep.state in (JobState.ATTENTION, JobState.CANCELLED)]
    for dep in stuck[:1]:
        note_blocked_dependents(dep)
    return True


def _request_for_log(job: SyncJob, factory: ClientFactory) -> Any:
    if factory.requests:
        noted: Any = factory.requests[0] if len(factory.requests) == 1 else factory.requests
        return redact(noted, secrets=factory.secrets())
    return redact(job.payload) if job.payload is not None else None


def _succeed(
    job: SyncJob,
    attempt: SyncAttempt,
    token: str,
    handler: Handler,
    result: SendResult,
    outcome: str,
    factory: ClientFactory,
) -> str:
    if not isinstance(result, SendResult):
        raise TypeError(f"{type(handler).__name__} returned {type(result).__name__}")
    now = timezone.now()
    remote_id = str(result.remote_id or "")[:100]
    with transaction.atomic():
        updated = SyncJob.objects.filter(
            pk=job.pk, claimed_by=token, state=JobState.SENDING
        ).update(
            state=JobState.SENT,
            remote_id=remote_id,
            sent_at=now,
            maybe_applied=False,
            lease_expires_at=None,
            last_error_code="",
            last_error_message="",
            note="",
            updated_at=now,
        )
        _finish_attempt(
            attempt,
            outcome=outcome,
            now=now,
            request=_request_for_log(job, factory),
            response=redact(result.response, secrets=factory.secrets()),
            message=remote_id,
        )
        if updated != 1:
            # Our lease ran out and another worker took the job; it reconciles first.
            logger.warning("outbox: job %s finished after its lease expired", job.pk)
            return "lease_lost"
        job.refresh_from_db()
        handler.on_sent(job, result)
        for dependent_id in _ready_dependents(job):
            fire_on_commit(dependent_id)
    logger.info("outbox: job %s %s %s", job.pk, job.operation, outcome)
    return str(outcome)


def _ready_dependents(job: SyncJob) -> list[int]:
    return list(
        job.dependents.filter(state__in=[JobState.WAITING, JobState.RETRY])
        .exclude(_blocked_dependencies())
        .values_list("pk", flat=True)
    )


def _fail(
    job: SyncJob,
    attempt: SyncAttempt,
    token: str,
    exc: Exception,
    *,
    reconciled_clean: bool,
    factory: ClientFactory,
) -> str:
    response: dict[str, Any]
    if isinstance(exc, BridgingError):
        retryable = exc.retryable
        maybe_applied = exc.maybe_applied
        code = exc.reason
        message = exc.message
        response = exc.to_dict()
        http_status = exc.http_status
        bpjs_code = exc.code or ""
        bpjs_message = exc.bpjs_message or ""
    else:
        # A bug or a database error: we cannot know whether BPJS got the write.
        retryable = True
        maybe_applied = True
        code = "internal_error"
        message = gettext("Internal error while sending (%(type)s).") % {"type": type(exc).__name__}
        response = {"type": type(exc).__name__}
        http_status = None
        bpjs_code = bpjs_message = ""
        logger.exception("outbox: job %s %s failed unexpectedly", job.pk, job.operation)
    maybe_next = maybe_applied or (job.maybe_applied and not reconciled_clean)
    now = timezone.now()
    if retryable and job.attempts < job.max_attempts:
        state = JobState.RETRY
        next_at = now + timedelta(seconds=backoff_delay(job.attempts))
        human = message
        outcome = AttemptOutcome.RETRY
    else:
        state = JobState.ATTENTION
        next_at = now
        human = message
        if retryable:
            human = gettext("Still failing after %(count)d attempts: %(message)s") % {
                "count": job.attempts,
                "message": message,
            }
        outcome = AttemptOutcome.ATTENTION
    with transaction.atomic():
        updated = SyncJob.objects.filter(
            pk=job.pk, claimed_by=token, state=JobState.SENDING
        ).update(
            state=state,
            next_attempt_at=next_at,
            maybe_applied=maybe_next,
            last_error_code=code[:64],
            last_error_message=human,
            lease_expires_at=None,
            updated_at=now,
        )
        _finish_attempt(
            attempt,
            outcome=outcome,
            now=now,
            request=_request_for_log(job, factory),
            response=redact(response, secrets=factory.secrets()),
            secrets=factory.secrets(),
            message=message,
            error_code=code,
            http_status=http_status,
            bpjs_code=bpjs_code,
            bpjs_message=bpjs_message,
            maybe_applied=maybe_applied,
        )
        if updated == 1 and state == JobState.ATTENTION:
            job.refresh_from_db()
            note_blocked_dependents(job)
    logger.info("outbox: job %s %s %s (%s)", job.pk, job.operation, outcome, code)
    return str(outcome)


def _finish_attempt(
    attempt: SyncAttempt,
    *,
    outcome: str,
    now: datetime,
    secrets: list[str] | None = None,
    **fields: Any,
) -> None:
    fields = {key: value for key, value in fields.items() if value is not None}
    for key in ("message", "bpjs_message"):
        if key in fields:
            fields[key] = str(redact(str(fields[key]), secrets=secrets or ()))
    SyncAttempt.objects.filter(pk=attempt.pk).update(outcome=outcome, finished_at=now, **fields)


def _fail_no_handler(job: SyncJob, attempt: SyncAttempt, token: str) -> str:
    message = gettext("No handler is installed for %(operation)s.") % {"operation": job.operation}
    return _to_attention(job, attempt, token, "no_handler", message)


def _give_up_interrupted(job: SyncJob, attempt: SyncAttempt, token: str) -> str:
    message = gettext("Sending was interrupted %(count)d times.") % {"count": job.attempts - 1}
    return _to_attention(job, attempt, token, "interrupted", message)


def _to_attention(job: SyncJob, attempt: SyncAttempt, token: str, code: str, message: str) -> str:
    now = timezone.now()
    with transaction.atomic():
        SyncJob.objects.filter(pk=job.pk, claimed_by=token, state=JobState.SENDING).update(
            state=JobState.ATTENTION,
            last_error_code=code,
            last_error_message=message,
            lease_expires_at=None,
            updated_at=now,
        )
        _finish_attempt(
            attempt, outcome=AttemptOutcome.ATTENTION, now=now, message=message, error_code=code
        )
        job.refresh_from_db()
        note_blocked_dependents(job)
    return str(AttemptOutcome.ATTENTION)


def due_jobs(*, now: datetime | None = None, limit: int | None = None) -> list[int]:
    """Ids of the jobs the sweeper should fire: retries that fell due, waiting jobs whose
    message was lost (no attempt after the grace period), and ``sending`` jobs whose lease
    expired (killed worker). Jobs of paused services and jobs whose dependencies are not sent
    are left alone."""
    now = now or timezone.now()
    grace = now - timedelta(seconds=conf.sweep_grace())
    candidates = (
        SyncJob.objects.filter(
            Q(state=JobState.RETRY, next_attempt_at__lte=now)
            | Q(state=JobState.WAITING, next_attempt_at__lte=grace)
            | Q(state=JobState.SENDING, lease_expires_at__lte=now)
        )
        .exclude(_blocked_dependencies())
        .order_by("next_attempt_at", "pk")
    )
    for facility_id, service in ServicePause.objects.filter(paused=True).values_list(
        "facility_id", "service"
    ):
        if facility_id is None:
            candidates = candidates.exclude(service=service)
        else:
            candidates = candidates.exclude(facility_id=facility_id, service=service)
    return list(candidates.values_list("pk", flat=True)[: limit or conf.sweep_batch()])


def sweep(*, now: datetime | None = None) -> list[int]:
    """Queue every job found by ``due_jobs``; returns their ids."""
    job_ids = due_jobs(now=now)
    for job_id in job_ids:
        deliver(job_id)
    if job_ids:
        logger.info("outbox: sweeper queued %d job(s)", len(job_ids))
    return job_ids
