"""BPJS bridging credentials, one row per facility, environment and service.

The consumer secret, the user_key and the PCare password are stored only as Fernet tokens
(``*_encrypted`` columns, see :mod:`bridging.credentials.crypto`) and read through the
``secret`` / ``user_key`` / ``password`` properties. They never appear in ``str()``, ``repr()``,
logs, the Django admin or the clinic's pages (which show :meth:`BpjsCredential.masked`).
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from bridging.credentials.crypto import SecretUnreadable, decrypt_text, encrypt_text
from bridging.credentials.defaults import (
    SERVICE_LABELS,
    default_base_url,
    default_test_card,
)

MASK = "••••••"


class Environment(models.TextChoices):
    SANDBOX = "sandbox", _("Sandbox")
    DEVELOPMENT = "development", _("BPJS Development")
    PRODUCTION = "production", _("Production")


class Service(models.TextChoices):
    PCARE = "pcare", SERVICE_LABELS["pcare"]
    ANTREANFKTP = "antreanfktp", SERVICE_LABELS["antreanfktp"]
    ICARE = "icare", SERVICE_LABELS["icare"]
    VCLAIM = "vclaim", SERVICE_LABELS["vclaim"]


def mask_secret(value: str) -> str:
    """``••••••ab12``: never more than the last 4 characters, fewer for short values."""
    if not value:
        return ""
    if len(value) >= 12:
        return MASK + value[-4:]
    if len(value) >= 8:
        return MASK + value[-2:]
    return MASK


def _encrypted(name: str, label: str) -> Any:
    """A plain-text property over the ``<name>_encrypted`` column, which holds a Fernet token."""
    column = f"{name}_encrypted"

    def fget(self: models.Model) -> str:
        return decrypt_text(getattr(self, column), what=label)

    def fset(self: models.Model, value: str | None) -> None:
        setattr(self, column, encrypt_text(value or ""))

    return property(fget, fset, doc=f"The {label}, decrypted on read, encrypted on write.")


class BpjsCredential(models.Model):
    facility = models.ForeignKey(
        "core.Facility",
        verbose_name=_("facility"),
        on_delete=models.CASCADE,
        related_name="bpjs_credentials",
    )
    environment = models.CharField(_("environment"), max_length=20, choices=Environment.choices)
    service = models.CharField(_("service"), max_length=20, choices=Service.choices)
    base_url = models.CharField(
        _("base URL"),
        max_length=300,
        blank=True,
        help_text=_("Leave empty to use the standard address of this environment."),
    )
    cons_id = models.CharField(_("Consumer ID (X-cons-id)"), max_length=20, blank=True)
    secret_encrypted = models.TextField(blank=True, default="", editable=False)
    user_key_encrypted = models.TextField(blank=True, default="", editable=False)
    username = models.CharField(
        _("PCare username"),
        max_length=100,
        blank=True,
        help_text=_("The clinic's PCare application login, for X-authorization."),
    )
    password_encrypted = models.TextField(blank=True, default="", editable=False)
    app_code = models.CharField(_("application code"), max_length=10, default="095")
    connect_timeout = models.FloatField(
        _("connect timeout (seconds)"),
        default=5.0,
        validators=[MinValueValidator(1.0), MaxValueValidator(60.0)],
    )
    read_timeout = models.FloatField(
        _("read timeout (seconds)"),
        default=25.0,
        validators=[MinValueValidator(1.0), MaxValueValidator(120.0)],
    )
    test_card_number = models.CharField(
        _("test card number"),
        max_length=13,
        blank=True,
        help_text=_("Card read by the connection test (iCare, VClaim)."),
    )
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("updated by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    secret = _encrypted("secret", "consumer secret")
    user_key = _encrypted("user_key", "user_key")
    password = _encrypted("password", "password PCare")

    SECRET_FIELDS: tuple[str, ...] = ("secret", "user_key", "password")

    class Meta:
        verbose_name = _("BPJS credential")
        verbose_name_plural = _("BPJS credentials")
        ordering = ["facility_id", "environment", "service"]
        constraints = [
            models.UniqueConstraint(
                fields=["facility", "environment", "service"],
                name="credentials_one_per_facility_environment_service",
            )
        ]

    def __str__(self) -> str:
        return f"{self.service_label} · {self.get_environment_display()} ({self.facility_id})"

    def __repr__(self) -> str:
        return (
            f"<BpjsCredential facility={self.facility_id} environment={self.environment} "
            f"service={self.service} cons_id={self.cons_id!r}>"
        )

    # ---------------------------------------------------------------------------- derived

    @property
    def service_label(self) -> str:
        return SERVICE_LABELS.get(self.service, self.service)

    @property
    def default_base_url(self) -> str:
        return default_base_url(self.environment, self.service)

    @property
    def effective_base_url(self) -> str:
        return self.base_url.strip() or self.default_base_url

    @property
    def effective_test_card(self) -> str:
        return self.test_card_number.strip() or default_test_card(self.environment)

    def has(self, name: str) -> bool:
        """Whether a secret is stored, without decrypting it."""
        return bool(getattr(self, f"{name}_encrypted"))

    def masked(self, name: str) -> str:
        """What a page may show of a stored secret (the password: only that it is set)."""
        if not self.has(name):
            return ""
        if name == "password":
            return MASK
        try:
            return mask_secret(getattr(self, name))
        except SecretUnreadable:
            return str(_("unreadable: enter it again"))
