"""The edit form of one credential. Secrets are write-only: the form never renders a stored
secret back, and an empty secret field means "keep the one stored"."""

from __future__ import annotations

import re
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
from django.utils.translation import gettext_lazy as _

from bridging.credentials.config import INHERITS_FROM_PCARE, NEEDS_LOGIN
from bridging.credentials.models import BpjsCredential

_DIGITS = re.compile(r"^[0-9]+$")
_CARD = re.compile(r"^[0-9]{13}$")

SECRET_LABELS = {
    "secret": _("Consumer secret"),
    "user_key": _("user_key"),
    "password": _("PCare password"),
}


class CredentialForm(forms.ModelForm):
    secret = forms.CharField(
        label=SECRET_LABELS["secret"],
        required=False,
        widget=forms.PasswordInput(render_value=False, attrs={"autocomplete": "new-password"}),
    )
    user_key = forms.CharField(
        label=SECRET_LABELS["user_key"],
        required=False,
        widget=forms.PasswordInput(render_value=False, attrs={"autocomplete": "new-password"}),
    )
    password = forms.CharField(
        label=SECRET_LABELS["password"],
        required=False,
        widget=forms.PasswordInput(render_value=False, attrs={"autocomplete": "new-password"}),
    )
    clear_secret = forms.BooleanField(label=_("Remove the stored value"), required=False)
    clear_user_key = forms.BooleanField(label=_("Remove the stored value"), required=False)
    clear_password = forms.BooleanField(label=_("Remove the stored value"), required=False)

    class Meta:
        model = BpjsCredential
        fields = [
            "base_url",
            "cons_id",
            "secret",
            "user_key",
            "username",
            "password",
            "app_code",
            "connect_timeout",
            "read_timeout",
            "test_card_number",
        ]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        credential: BpjsCredential = self.instance
        self.fields["base_url"].widget.attrs["placeholder"] = credential.default_base_url
        self.fields["cons_id"].widget.attrs["inputmode"] = "numeric"
        self.fields["test_card_number"].widget.attrs["inputmode"] = "numeric"
        if credential.environment == "sandbox":
            self.fields["test_card_number"].widget.attrs["placeholder"] = (
                credential.effective_test_card
            )
        inherits = INHERITS_FROM_PCARE.get(credential.service, ())
        for name in BpjsCredential.SECRET_FIELDS:
            field = self.fields[name]
            if credential.has(name):
                field.help_text = _("Stored: %(masked)s. Leave empty to keep it.") % {
                    "masked": credential.masked(name)
                }
            elif name in inherits:
                field.help_text = _("Leave empty to use the PCare value.")
            else:
                del self.fields[f"clear_{name}"]
        self.order_fields(
            [
                "base_url",
                "cons_id",
                "secret",
                "clear_secret",
                "user_key",
                "clear_user_key",
                "username",
                "password",
                "clear_password",
            ]
        )
        if "cons_id" in inherits:
            self.fields["cons_id"].help_text = _("Leave empty to use the PCare value.")
        if "username" in inherits:
            self.fields["username"].help_text = _("Leave empty to use the PCare value.")

    # ------------------------------------------------------------------------- fields

    def clean_base_url(self) -> str:
        value = str(self.cleaned_data.get("base_url") or "").strip().rstrip("/")
        if not value:
            return ""
        try:
            URLValidator(schemes=["http", "https"])(value)
        except ValidationError as exc:
            raise ValidationError(
                _("Enter a full address starting with https:// (or http:// for the sandbox).")
            ) from exc
        if self.instance.environment == "production" and not value.startswith("https://"):
            raise ValidationError(_("The production address must start with https://."))
        return value

    def clean_cons_id(self) -> str:
        value = str(self.cleaned_data.get("cons_id") or "").strip()
        if value and not _DIGITS.match(value):
            raise ValidationError(_("The Consumer ID contains digits only."))
        return value

    def clean_app_code(self) -> str:
        value = str(self.cleaned_data.get("app_code") or "").strip()
        if not _DIGITS.match(value):
            raise ValidationError(_("The application code contains digits only (usually 095)."))
        return value

    def clean_test_card_number(self) -> str:
        value = str(self.cleaned_data.get("test_card_number") or "").strip()
        if value and not _CARD.match(value):
            raise ValidationError(_("A BPJS card number has exactly 13 digits."))
        return value

    def clean(self) -> dict[str, Any]:
        super().clean()
        cleaned = self.cleaned_data
        credential: BpjsCredential = self.instance
        connect = cleaned.get("connect_timeout")
        read = cleaned.get("read_timeout")
        if connect is not None and read is not None and read < connect:
            self.add_error(
                "read_timeout", _("The read timeout cannot be shorter than the connect timeout.")
            )
        final: dict[str, bool] = {}
        for name in BpjsCredential.SECRET_FIELDS:
            entered = bool(cleaned.get(name))
            cleared = bool(cleaned.get(f"clear_{name}"))
            if entered and cleared:
                self.add_error(
                    f"clear_{name}", _("Enter a new value or remove the stored one, not both.")
                )
            final[name] = entered or (credential.has(name) and not cleared)
        final["cons_id"] = bool(cleaned.get("cons_id"))
        final["username"] = bool(cleaned.get("username"))
        inherits = INHERITS_FROM_PCARE.get(credential.service, ())
        required = ["cons_id", "secret", "user_key"]
        if credential.service in NEEDS_LOGIN:
            required += ["username", "password"]
        for name in required:
            if name not in inherits and not final[name] and name not in self.errors:
                self.add_error(name, _("Required for this service."))
        return cleaned

    # --------------------------------------------------------------------------- save

    def changed_fields(self) -> list[str]:
        """Names (never values) of what this save changes, for the audit log."""
        names = [n for n in self.Meta.fields if n in self.changed_data]
        for name in BpjsCredential.SECRET_FIELDS:
            if self.cleaned_data.get(f"clear_{name}") and name not in names:
                names.append(name)
        return names

    def save(self, commit: bool = True) -> BpjsCredential:
        credential: BpjsCredential = super().save(commit=False)
        for name in BpjsCredential.SECRET_FIELDS:
            value = self.cleaned_data.get(name)
            if value:
                setattr(credential, name, value)
            elif self.cleaned_data.get(f"clear_{name}"):
                setattr(credential, name, "")
        if commit:
            credential.save()
        return credential
