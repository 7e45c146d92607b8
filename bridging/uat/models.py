"""UAT runs and their steps: the evidence a clinic attaches to the UAT minutes (berita acara).

A run belongs to one facility and one BPJS environment; each step records what was expected,
the verdict, when it ran and the redacted request and response. Runs are kept, so two runs can
be compared step by step.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class RunState(models.TextChoices):
    QUEUED = "queued", _("Queued")
    RUNNING = "running", _("Running")
    FINISHED = "finished", _("Finished")
    CRASHED = "crashed", _("Stopped by an error")


class Verdict(models.TextChoices):
    PASS = "pass", _("Passed")
    FAIL = "fail", _("Failed")
    ERROR = "error", _("Error")
    SKIPPED = "skipped", _("Skipped")


class UatRun(models.Model):
    facility = models.ForeignKey(
        "core.Facility",
        verbose_name=_("facility"),
        on_delete=models.CASCADE,
        related_name="uat_runs",
    )
    environment = models.CharField(_("environment"), max_length=20)
    groups = models.JSONField(_("scenario groups"), default=list)
    state = models.CharField(
        _("state"), max_length=10, choices=RunState.choices, default=RunState.QUEUED
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    started_at = models.DateTimeField(_("started"), null=True, blank=True)
    finished_at = models.DateTimeField(_("finished"), null=True, blank=True)
    progress_done = models.PositiveIntegerField(default=0)
    progress_total = models.PositiveIntegerField(default=0)
    passed = models.PositiveIntegerField(_("passed"), default=0)
    failed = models.PositiveIntegerField(_("failed"), default=0)
    errors = models.PositiveIntegerField(_("errors"), default=0)
    skipped = models.PositiveIntegerField(_("skipped"), default=0)
    started_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("started by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    started_from = models.CharField(_("started from"), max_length=10, default="admin")
    writes_confirmed = models.BooleanField(
        _("test data writes confirmed"),
        default=False,
        help_text=_("Production only: the admin confirmed scenarios that write test data."),
    )
    clinic_url = models.CharField(_("clinic web service URL"), max_length=300, blank=True)
    # The clinic web service password, only until the run ends (Fernet, never shown).
    clinic_ws_username = models.CharField(max_length=100, blank=True)
    clinic_ws_password_encrypted = models.TextField(blank=True, default="", editable=False)
    context = models.JSONField(default=dict, blank=True)
    message = models.TextField(_("message"), blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("UAT run")
        verbose_name_plural = _("UAT runs")

    def __str__(self) -> str:
        return f"UAT #{self.pk} {self.environment} {self.state}"

    @property
    def is_active(self) -> bool:
        return self.state in (RunState.QUEUED, RunState.RUNNING)

    @property
    def ok(self) -> bool:
        return self.state == RunState.FINISHED and self.failed == 0 and self.errors == 0

    @property
    def percent(self) -> int:
        if not self.progress_total:
            return 0
        return min(100, round(100 * self.progress_done / self.progress_total))

    def summary(self) -> dict[str, int]:
        return {
            "passed": self.passed,
            "failed": self.failed,
            "errors": self.errors,
            "skipped": self.skipped,
            "total": self.progress_total,
        }


class UatStep(models.Model):
    run = models.ForeignKey(UatRun, on_delete=models.CASCADE, related_name="steps")
    position = models.PositiveIntegerField()
    group = models.CharField(_("group"), max_length=20)
    name = models.CharField(_("step"), max_length=60)
    title = models.CharField(_("title"), max_length=200, blank=True)
    expectation = models.TextField(_("expectation"), blank=True)
    verdict = models.CharField(_("verdict"), max_length=10, choices=Verdict.choices)
    started_at = models.DateTimeField(_("started"))
    finished_at = models.DateTimeField(_("finished"))
    duration_ms = models.FloatField(_("duration (ms)"), default=0)
    message = models.TextField(_("message"), blank=True)
    exchanges = models.JSONField(_("requests and responses (redacted)"), default=list)

    class Meta:
        ordering = ["run", "position"]
        constraints = [
            models.UniqueConstraint(fields=["run", "position"], name="uat_step_unique_position")
        ]
        verbose_name = _("UAT step")
        verbose_name_plural = _("UAT steps")

    def __str__(self) -> str:
        return f"{self.group}.{self.name}: {self.verdict}"

    @property
    def key(self) -> str:
        return f"{self.group}.{self.name}"

    def to_dict(self) -> dict[str, Any]:
        return {
            "position": self.position,
            "group": self.group,
            "name": self.name,
            "title": self.title,
            "expectation": self.expectation,
            "verdict": self.verdict,
            "started_at": self.started_at.isoformat(),
            "finished_at": self.finished_at.isoformat(),
            "duration_ms": round(self.duration_ms, 1),
            "message": self.message,
            "exchanges": self.exchanges,
        }
