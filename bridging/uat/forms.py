from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from bridging.uat.scenarios.base import GROUP_LABELS, GROUPS

ENVIRONMENT_CHOICES = [
    ("sandbox", _("Sandbox")),
    ("development", _("BPJS Development")),
    ("production", _("Production")),
]


class StartRunForm(forms.Form):
    environment = forms.ChoiceField(label=_("Environment"), choices=ENVIRONMENT_CHOICES)
    groups = forms.MultipleChoiceField(
        label=_("Scenario groups"),
        choices=[(g, GROUP_LABELS[g]) for g in GROUPS],
        initial=list(GROUPS),
        widget=forms.CheckboxSelectMultiple,
    )
    clinic_url = forms.URLField(
        label=_("Address of the clinic's Antrean FKTP web service"),
        max_length=300,
        assume_scheme="https",
    )
    ws_username = forms.CharField(label=_("Web service x-username"), max_length=100)
    ws_password = forms.CharField(
        label=_("Web service x-password"),
        max_length=200,
        required=False,
        widget=forms.PasswordInput(render_value=False),
        help_text=_("Used for this run only, never stored after it. Empty: the demo password."),
    )
    confirm_production_writes = forms.BooleanField(
        label=_(
            "In production, also run the scenarios that write test data to BPJS and to "
            "the clinic (registrations, visits, bookings)"
        ),
        required=False,
    )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("environment") != "production":
            data["confirm_production_writes"] = False
        return data


class EnvironmentForm(forms.Form):
    environment = forms.ChoiceField(label=_("New environment"), choices=ENVIRONMENT_CHOICES)
    confirm = forms.BooleanField(required=False, widget=forms.HiddenInput)
    confirm_text = forms.CharField(
        label=_("Type the facility's BPJS provider code to confirm"),
        max_length=20,
        required=False,
    )
