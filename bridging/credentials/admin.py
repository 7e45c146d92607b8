"""Read-only view in the Django admin: no secret column is ever shown there. Credentials are
edited on the clinic's own pages (masked, validated, audited)."""

from __future__ import annotations

from typing import Any

from django.contrib import admin

from bridging.credentials.models import BpjsCredential


@admin.register(BpjsCredential)
class BpjsCredentialAdmin(admin.ModelAdmin):
    list_display = ("facility", "environment", "service", "cons_id", "updated_by", "updated_at")
    list_filter = ("environment", "service", "facility")
    fields = (
        "facility",
        "environment",
        "service",
        "base_url",
        "cons_id",
        "username",
        "app_code",
        "connect_timeout",
        "read_timeout",
        "test_card_number",
        "updated_by",
        "updated_at",
    )
    readonly_fields = fields

    def has_add_permission(self, request: Any) -> bool:
        return False

    def has_change_permission(self, request: Any, obj: Any = None) -> bool:
        return False
