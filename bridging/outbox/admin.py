from __future__ import annotations

from typing import Any

from django.contrib import admin, messages
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from bridging.outbox.models import ServicePause, SyncAttempt, SyncJob
from bridging.outbox.services import JobStateError, job_cancel, job_retry


class SyncAttemptInline(admin.TabularInline):
    model = SyncAttempt
    extra = 0
    can_delete = False
    fields = (
        "number",
        "started_at",
        "finished_at",
        "outcome",
        "http_status",
        "bpjs_code",
        "message",
        "request",
        "response",
    )
    readonly_fields = fields

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(SyncJob)
class SyncJobAdmin(admin.ModelAdmin):
    list_display = (
        "id",
        "created_at",
        "facility",
        "service",
        "operation",
        "subject_type",
        "subject_id",
        "state",
        "attempts",
        "next_attempt_at",
        "remote_id",
    )
    list_filter = ("service", "state", "operation", "facility", "created_at")
    search_fields = ("=subject_id", "=remote_id", "idempotency_key", "operation")
    date_hierarchy = "created_at"
    readonly_fields = [f.name for f in SyncJob._meta.fields] + ["depends_on"]
    inlines = [SyncAttemptInline]
    actions = ["retry_jobs", "cancel_jobs"]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    @admin.action(description=_("Retry selected jobs"))
    def retry_jobs(self, request: HttpRequest, queryset: QuerySet[SyncJob]) -> None:
        self._apply(request, queryset, job_retry)

    @admin.action(description=_("Cancel selected jobs"))
    def cancel_jobs(self, request: HttpRequest, queryset: QuerySet[SyncJob]) -> None:
        self._apply(request, queryset, job_cancel)

    def _apply(self, request: HttpRequest, queryset: QuerySet[SyncJob], action: Any) -> None:
        done = refused = 0
        for job in queryset:
            try:
                action(job=job, by=request.user)
            except JobStateError:
                refused += 1
            else:
                done += 1
        self.message_user(
            request,
            gettext("%(done)d job(s) updated, %(refused)d refused.")
            % {"done": done, "refused": refused},
            messages.INFO,
        )


@admin.register(ServicePause)
class ServicePauseAdmin(admin.ModelAdmin):
    list_display = ("service", "facility", "paused", "reason", "by", "changed_at")
    list_filter = ("service", "paused")
