"""Users and roles, facilities, the audit log and process heartbeats."""

from __future__ import annotations

from django.contrib.auth.models import AbstractUser
from django.db import models
from django.utils.translation import gettext_lazy as _


class BpjsEnvironment(models.TextChoices):
    SANDBOX = "sandbox", _("Sandbox")
    DEVELOPMENT = "development", _("BPJS Development")
    PRODUCTION = "production", _("Production")


class FacilityType(models.TextChoices):
    KLINIK_PRATAMA = "klinik_pratama", _("Klinik pratama")
    PUSKESMAS = "puskesmas", _("Puskesmas")
    DOKTER_PRAKTIK = "dokter_praktik", _("Praktik mandiri dokter")


class Facility(models.Model):
    """One clinic. An installation can serve a network of clinics; every patient-related
    record belongs to exactly one facility."""

    name = models.CharField(_("name"), max_length=200)
    bpjs_provider_code = models.CharField(_("BPJS provider code"), max_length=8, unique=True)
    facility_type = models.CharField(
        _("facility type"),
        max_length=20,
        choices=FacilityType.choices,
        default=FacilityType.KLINIK_PRATAMA,
    )
    address = models.CharField(_("address"), max_length=300, blank=True)
    phone = models.CharField(_("phone"), max_length=30, blank=True)
    bpjs_environment = models.CharField(
        _("BPJS environment"),
        max_length=20,
        choices=BpjsEnvironment.choices,
        default=BpjsEnvironment.SANDBOX,
    )
    time_zone = models.CharField(_("time zone"), max_length=40, default="Asia/Jakarta")

    class Meta:
        verbose_name = _("facility")
        verbose_name_plural = _("facilities")
        ordering = ["name"]

    def __str__(self) -> str:
        return f"{self.name} ({self.bpjs_provider_code})"


class Role(models.TextChoices):
    FRONTDESK = "frontdesk", _("Front desk")
    NURSE = "nurse", _("Nurse")
    DOCTOR = "doctor", _("Doctor")
    CLINIC_ADMIN = "clinic_admin", _("Clinic admin")


CLINICAL_ROLES = frozenset({Role.NURSE, Role.DOCTOR})


class User(AbstractUser):
    """A member of staff. Superusers may have no facility; everyone else has one."""

    role = models.CharField(_("role"), max_length=20, choices=Role.choices, default=Role.FRONTDESK)
    facility = models.ForeignKey(
        Facility,
        verbose_name=_("facility"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="users",
    )
    is_demo = models.BooleanField(
        _("demo account"),
        default=False,
        help_text=_("Created by the demo seed; refused at login in production."),
    )

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")

    @property
    def is_clinic_admin(self) -> bool:
        return self.role == Role.CLINIC_ADMIN

    @property
    def is_clinical(self) -> bool:
        return self.role in CLINICAL_ROLES


class AuditAction(models.TextChoices):
    VIEW = "view", _("viewed")
    CREATE = "create", _("created")
    UPDATE = "update", _("updated")
    DELETE = "delete", _("deleted")
    LOGIN = "login", _("logged in")
    LOGOUT = "logout", _("logged out")
    LOGIN_FAILED = "login_failed", _("failed login")
    EXPORT = "export", _("exported")
    ACTION = "action", _("action")


class AuditEvent(models.Model):
    """Who did what to which record, when and from where. Append-only."""

    at = models.DateTimeField(_("time"), auto_now_add=True, db_index=True)
    facility = models.ForeignKey(
        Facility, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    actor = models.ForeignKey(
        User, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    actor_username = models.CharField(max_length=150, blank=True)
    action = models.CharField(_("action"), max_length=20, choices=AuditAction.choices)
    object_type = models.CharField(_("object type"), max_length=100, blank=True)
    object_id = models.CharField(_("object id"), max_length=64, blank=True)
    summary = models.CharField(_("summary"), max_length=300, blank=True)
    ip_address = models.GenericIPAddressField(_("address"), null=True, blank=True)
    request_id = models.CharField(max_length=36, blank=True)

    class Meta:
        ordering = ["-at", "-id"]
        indexes = [
            models.Index(fields=["facility", "-at"]),
            models.Index(fields=["object_type", "object_id"]),
        ]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.actor_username} {self.action} {self.object_type}"


class Heartbeat(models.Model):
    """The last time a background process (worker, beat) said it was alive."""

    kind = models.CharField(max_length=20)
    hostname = models.CharField(max_length=200)
    seen_at = models.DateTimeField()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["kind", "hostname"], name="heartbeat_unique_process")
        ]

    def __str__(self) -> str:
        return f"{self.kind}@{self.hostname} {self.seen_at:%H:%M:%S}"
