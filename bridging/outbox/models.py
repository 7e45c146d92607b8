"""The outbox: one ``SyncJob`` per BPJS write, its attempts, and the per-service pause switch.

No clinic code is imported: the facility is referenced by its app label and model name, the
subject of a job by ``subject_type`` / ``subject_id`` text.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _


class Service(models.TextChoices):
    PCARE = "pcare", "PCare"
    ANTREANFKTP = "antreanfktp", "Antrean FKTP"
    ICARE = "icare", "iCare JKN"
    VCLAIM = "vclaim", "VClaim"


class JobState(models.TextChoices):
    WAITING = "waiting", _("Waiting")
    SENDING = "sending", _("Sending")
    RETRY = "retry", _("Will retry")
    SENT = "sent", _("Sent")
    ATTENTION = "attention", _("Needs attention")
    CANCELLED = "cancelled", _("Cancelled")


# States a job never leaves by itself.
FINAL_STATES = frozenset({JobState.SENT, JobState.ATTENTION, JobState.CANCELLED})


class AttemptOutcome(models.TextChoices):
    SENDING = "sending", _("In progress")
    SENT = "sent", _("Sent")
    RECONCILED = "reconciled", _("Found at BPJS")
    RETRY = "retry", _("Failed, will retry")
    ATTENTION = "attention", _("Failed, needs attention")
    ABANDONED = "abandoned", _("Interrupted")


class SyncJob(models.Model):
    """One BPJS operation for one subject, identified by a deterministic idempotency key."""

    facility = models.ForeignKey(
        "core.Facility",
        on_delete=models.PROTECT,
        related_name="sync_jobs",
        verbose_name=_("facility"),
    )
    service = models.CharField(_("service"), max_length=20, choices=Service.choices)
    operation = models.CharField(_("operation"), max_length=100)
    subject_type = models.CharField(_("subject type"), max_length=100)
    subject_id = models.CharField(_("subject id"), max_length=64)
    idempotency_key = models.CharField(_("idempotency key"), max_length=255, unique=True)
    state = models.CharField(
        _("state"), max_length=20, choices=JobState.choices, default=JobState.WAITING
    )
    attempts = models.PositiveIntegerField(_("attempts"), default=0)
    max_attempts = models.PositiveIntegerField(_("maximum attempts"), default=12)
    # Waiting: when it was enqueued (the sweeper re-fires it after a grace period);
    # retry: when it is due.
    next_attempt_at = models.DateTimeField(_("next attempt at"), default=timezone.now)
    claimed_at = models.DateTimeField(_("claimed at"), null=True, blank=True)
    claimed_by = models.CharField(_("claimed by"), max_length=64, blank=True)
    lease_expires_at = models.DateTimeField(_("lease expires at"), null=True, blank=True)
    remote_id = models.CharField(_("remote number"), max_length=100, blank=True)
    sent_at = models.DateTimeField(_("sent at"), null=True, blank=True)
    last_error_code = models.CharField(_("last error code"), max_length=64, blank=True)
    last_error_message = models.TextField(_("last error message"), blank=True)
    # The last failure may have been applied at BPJS: the next attempt reconciles first.
    maybe_applied = models.BooleanField(_("maybe applied"), default=False)
    # Why a waiting job is not moving (a dependency that needs attention, a paused service).
    note = models.CharField(_("note"), max_length=255, blank=True)
    depends_on = models.ManyToManyField(
        "self",
        symmetrical=False,
        related_name="dependents",
        blank=True,
        verbose_name=_("depends on"),
    )
    payload = models.JSONField(_("payload"), null=True, blank=True)
    created_at = models.DateTimeField(_("created at"), default=timezone.now, editable=False)
    updated_at = models.DateTimeField(_("updated at"), default=timezone.now)

    class Meta:
        verbose_name = _("BPJS sync job")
        verbose_name_plural = _("BPJS sync jobs")
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(fields=["state", "next_attempt_at"], name="outbox_job_due"),
            models.Index(fields=["facility", "service", "state"], name="outbox_job_service"),
            models.Index(fields=["subject_type", "subject_id"], name="outbox_job_subject"),
            models.Index(fields=["facility", "-created_at"], name="outbox_job_recent"),
        ]

    def __str__(self) -> str:
        return f"{self.operation} {self.subject_type}:{self.subject_id} [{self.state}]"

    @property
    def state_label(self) -> str:
        """Indonesian words for the UI, e.g. "Akan dicoba lagi pukul 10:42"."""
        state = self.state
        if state in (JobState.WAITING, JobState.RETRY) and self.note:
            return gettext("Waiting: %(note)s") % {"note": self.note}
        if state == JobState.WAITING:
            return gettext("Waiting")
        if state == JobState.SENDING:
            return gettext("Sending")
        if state == JobState.RETRY:
            return gettext("Will retry at %(time)s") % {"time": _when(self.next_attempt_at)}
        if state == JobState.SENT:
            if self.remote_id:
                return gettext("Sent (%(remote_id)s)") % {"remote_id": self.remote_id}
            return gettext("Sent")
        if state == JobState.ATTENTION:
            message = self.last_error_message or gettext("unknown error")
            return gettext("Needs attention: %(message)s") % {"message": message}
        return gettext("Cancelled")

    @property
    def is_final(self) -> bool:
        return self.state in FINAL_STATES


def _when(moment: object) -> str:
    """``10:42`` today, ``25/11 10:42`` on another day (local time)."""
    if not hasattr(moment, "astimezone"):
        return ""
    local = timezone.localtime(moment)  # type: ignore[arg-type]
    if local.date() == timezone.localdate():
        return local.strftime("%H:%M")
    return local.strftime("%d/%m %H:%M")


class SyncAttempt(models.Model):
    """One try of a job, with the redacted request and response."""

    job = models.ForeignKey(
        SyncJob, on_delete=models.CASCADE, related_name="attempt_log", verbose_name=_("job")
    )
    number = models.PositiveIntegerField(_("number"))
    started_at = models.DateTimeField(_("started at"))
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)
    outcome = models.CharField(
        _("outcome"), max_length=20, choices=AttemptOutcome.choices, default=AttemptOutcome.SENDING
    )
    worker = models.CharField(_("worker"), max_length=64, blank=True)
    http_status = models.PositiveIntegerField(_("HTTP status"), null=True, blank=True)
    bpjs_code = models.CharField(_("BPJS code"), max_length=20, blank=True)
    bpjs_message = models.TextField(_("BPJS message"), blank=True)
    error_code = models.CharField(_("error code"), max_length=64, blank=True)
    message = models.TextField(_("message"), blank=True)
    maybe_applied = models.BooleanField(_("maybe applied"), default=False)
    request = models.JSONField(_("request (redacted)"), null=True, blank=True)
    response = models.JSONField(_("response (redacted)"), null=True, blank=True)

    class Meta:
        verbose_name = _("sync attempt")
        verbose_name_plural = _("sync attempts")
        ordering = ["job", "number", "id"]
        indexes = [models.Index(fields=["job", "number"], name="outbox_attempt_job")]

    def __str__(self) -> str:
        return f"#{self.number} {self.outcome}"


class ServicePause(models.Model):
    """The pause switch of one service, for one facility (or every facility when null).

    While paused, jobs of that service stay where they are; they resume by themselves when the
    switch is turned off.
    """

    facility = models.ForeignKey(
        "core.Facility",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="bpjs_service_pauses",
        verbose_name=_("facility"),
    )
    service = models.CharField(_("service"), max_length=20, choices=Service.choices)
    paused = models.BooleanField(_("paused"), default=False)
    reason = models.CharField(_("reason"), max_length=255, blank=True)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("changed by"),
    )
    changed_at = models.DateTimeField(_("changed at"), default=timezone.now)

    class Meta:
        verbose_name = _("service pause")
        verbose_name_plural = _("service pauses")
        constraints = [
            models.UniqueConstraint(
                fields=["facility", "service"],
                condition=models.Q(facility__isnull=False),
                name="outbox_pause_facility_service",
            ),
            models.UniqueConstraint(
                fields=["service"],
                condition=models.Q(facility__isnull=True),
                name="outbox_pause_global_service",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.service} {'paused' if self.paused else 'running'}"
