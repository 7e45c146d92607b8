"""Errors with stable codes. Staff see ``message`` (plain Indonesian by default); clients key on
``code``. The API renders every error as ``{"code", "message", "fields"}``."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _


class ClinicError(Exception):
    code = "error"
    default_message = _("Something went wrong.")
    status = 400

    def __init__(
        self,
        message: str | None = None,
        *,
        fields: dict[str, list[str]] | None = None,
        code: str | None = None,
    ) -> None:
        self.message = str(message or self.default_message)
        self.fields = fields or {}
        if code:
            self.code = code
        super().__init__(self.message)


class ValidationFailed(ClinicError):
    code = "validation_failed"
    default_message = _("Some data is not valid.")
    status = 400


class Conflict(ClinicError):
    code = "conflict"
    default_message = _("This conflicts with existing data.")
    status = 409


class NotAllowed(ClinicError):
    code = "permission_denied"
    default_message = _("You are not allowed to do this.")
    status = 403
