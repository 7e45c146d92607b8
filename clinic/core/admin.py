from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin

from clinic.core.models import AuditEvent, Facility, User


@admin.register(Facility)
class FacilityAdmin(admin.ModelAdmin):
    list_display = ("name", "bpjs_provider_code", "facility_type", "bpjs_environment")


@admin.register(User)
class UserAdmin(BaseUserAdmin):
    list_display = ("username", "first_name", "last_name", "role", "facility", "is_active")
    list_filter = ("role", "facility", "is_active")
    fieldsets = (
        *BaseUserAdmin.fieldsets,  # type: ignore[misc]
        ("Clinic", {"fields": ("role", "facility", "is_demo")}),
    )


@admin.register(AuditEvent)
class AuditEventAdmin(admin.ModelAdmin):
    list_display = ("at", "actor_username", "action", "object_type", "object_id", "ip_address")
    list_filter = ("action", "facility")
    search_fields = ("actor_username", "object_type", "object_id", "summary")

    def has_add_permission(self, request: object) -> bool:
        return False

    def has_change_permission(self, request: object, obj: object = None) -> bool:
        return False

    def has_delete_permission(self, request: object, obj: object = None) -> bool:
        return False
