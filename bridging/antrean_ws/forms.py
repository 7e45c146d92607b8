from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from bridging.antrean_ws.models import AntreanWsAccount


class AccountForm(forms.ModelForm):
    new_password = forms.CharField(
        label=_("New x-password"),
        required=False,
        strip=False,
        min_length=8,
        max_length=128,
        widget=forms.PasswordInput(render_value=False, attrs={"autocomplete": "new-password"}),
        help_text=_("Leave empty to keep the current password. Changing it ends every token."),
    )
    confirm_password = forms.CharField(
        label=_("Repeat the new x-password"),
        required=False,
        strip=False,
        widget=forms.PasswordInput(render_value=False, attrs={"autocomplete": "new-password"}),
    )

    class Meta:
        model = AntreanWsAccount
        fields = [
            "username",
            "is_active",
            "token_lifetime_seconds",
            "booking_days_ahead",
            "rate_per_second",
            "rate_burst",
            "p95_budget_ms",
        ]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        new, confirm = data.get("new_password") or "", data.get("confirm_password") or ""
        if new != confirm:
            self.add_error("confirm_password", _("The two passwords are not the same."))
        if not self.instance.pk and not new:
            self.add_error("new_password", _("Set a password for the new account."))
        return data

    def save(self, commit: bool = True) -> AntreanWsAccount:
        account: AntreanWsAccount = super().save(commit=False)
        new = self.cleaned_data.get("new_password")
        if new:
            account.set_password(new)
        if commit:
            account.save()
        return account
