"""The web service's account (what BPJS logs in with) and its inbound call log."""

from __future__ import annotations

from functools import cache as memoize
from typing import Any

from django.contrib.auth.hashers import check_password, make_password
from django.core.cache import cache
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

ACCOUNT_CACHE_SECONDS = 5


@memoize
def _dummy_hash() -> str:
    """A hash of a password nobody uses: checked when the username is unknown, so that an
    unknown user costs the same time as a wrong password."""
    return make_password("antrean-ws-unknown-user")


class AntreanWsAccount(models.Model):
    """The x-username / x-password a clinic registers with BPJS for its Antrean FKTP web
    service, and the service's settings. Changing the password bumps ``key_version``, which
    invalidates every token issued before."""

    facility = models.OneToOneField(
        "core.Facility",
        on_delete=models.CASCADE,
        related_name="antrean_ws_account",
        verbose_name=_("facility"),
    )
    username = models.CharField(_("x-username"), max_length=100, unique=True)
    password = models.CharField(_("x-password (hash)"), max_length=128)
    key_version = models.PositiveIntegerField(default=1, editable=False)
    is_active = models.BooleanField(_("active"), default=True)
    token_lifetime_seconds = models.PositiveIntegerField(
        _("token lifetime (seconds)"),
        default=3600,
        validators=[MinValueValidator(1), MaxValueValidator(7 * 24 * 3600)],
    )
    booking_days_ahead = models.PositiveSmallIntegerField(
        _("bookings accepted up to (days ahead)"),
        default=3,
        validators=[MaxValueValidator(90)],
    )
    rate_per_second = models.PositiveIntegerField(
        _("rate limit (requests per second per address)"),
        default=100,
        validators=[MinValueValidator(1)],
    )
    rate_burst = models.PositiveIntegerField(
        _("rate limit burst"), default=500, validators=[MinValueValidator(1)]
    )
    p95_budget_ms = models.PositiveIntegerField(
        _("p95 latency budget (ms)"), default=500, validators=[MinValueValidator(1)]
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("Antrean FKTP web service account")
        verbose_name_plural = _("Antrean FKTP web service accounts")

    def __str__(self) -> str:
        return self.username

    def save(self, *args: Any, **kwargs: Any) -> None:
        super().save(*args, **kwargs)
        cache.delete(self.cache_key(self.pk))

    @staticmethod
    def cache_key(pk: int) -> str:
        return f"antrean_ws:account:{pk}"

    @classmethod
    def cached(cls, pk: int) -> AntreanWsAccount | None:
        """The account, read through the cache (every call needs it). A change saved here
        clears the entry; other processes with their own (locmem) cache see it within
        ``ACCOUNT_CACHE_SECONDS``."""
        key = cls.cache_key(pk)
        account = cache.get(key)
        if account is None:
            account = cls.objects.filter(pk=pk).first()
            cache.set(key, account or "none", ACCOUNT_CACHE_SECONDS)
        return account if isinstance(account, cls) else None

    def set_password(self, raw: str) -> None:
        self.password = make_password(raw)
        self.key_version = (self.key_version or 0) + 1

    def check_password(self, raw: str) -> bool:
        return bool(raw) and check_password(raw, self.password)

    @staticmethod
    def burn_time(raw: str) -> None:
        check_password(raw or "-", _dummy_hash())


class InboundCall(models.Model):
    """One call BPJS (or anybody) made to the web service. No card numbers, NIK or names."""

    at = models.DateTimeField(_("time"), default=timezone.now, db_index=True)
    facility = models.ForeignKey(
        "core.Facility", on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    endpoint = models.CharField(_("endpoint"), max_length=40)
    http_status = models.PositiveSmallIntegerField(_("HTTP status"))
    code = models.PositiveSmallIntegerField(_("metadata code"))
    duration_ms = models.FloatField(_("duration (ms)"))
    client_address = models.CharField(_("client address"), max_length=45, blank=True)

    class Meta:
        ordering = ["-at"]
        indexes = [models.Index(fields=["at", "endpoint"])]
        verbose_name = _("inbound call")
        verbose_name_plural = _("inbound calls")

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M:%S} {self.endpoint} {self.code}"
