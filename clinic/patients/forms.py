"""Forms of the patient pages. They only carry the typed text: every rule lives in the
services (:func:`clinic.patients.services.clean_patient_data`), so the page and the API give
the same answers."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django import forms
from django.utils.translation import gettext_lazy as _

from clinic.patients.models import FamilyRelation, Sex

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise


def _text(
    label: StrOrPromise, *, max_length: int, numeric: bool = False, **attrs: Any
) -> forms.CharField:
    widget_attrs: dict[str, Any] = {"autocomplete": "off", **attrs}
    if numeric:
        widget_attrs["inputmode"] = "numeric"
    return forms.CharField(
        label=label,
        required=False,
        max_length=max_length + 10,  # separators people type; the service checks the digits
        widget=forms.TextInput(attrs=widget_attrs),
    )


class PatientForm(forms.Form):
    bpjs_card_number = _text(_("BPJS card number"), max_length=13, numeric=True)
    nik = _text(_("NIK"), max_length=16, numeric=True)
    name = _text(_("Name"), max_length=150)
    birth_date = forms.DateField(
        label=_("Date of birth"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )
    sex = forms.ChoiceField(label=_("Sex"), required=False, choices=[("", "—"), *Sex.choices])
    phone = _text(_("Phone"), max_length=20, inputmode="tel")
    address = _text(_("Address"), max_length=300)
    rt = _text(_("RT"), max_length=3, numeric=True)
    rw = _text(_("RW"), max_length=3, numeric=True)
    province_code = _text(_("Province code"), max_length=2, numeric=True)
    regency_code = _text(_("Regency/city code"), max_length=4, numeric=True)
    district_code = _text(_("District code"), max_length=6, numeric=True)
    village_code = _text(_("Village code"), max_length=10, numeric=True)
    family_card_number = _text(_("Family card number (KK)"), max_length=16, numeric=True)
    confirm_duplicate = forms.BooleanField(
        label=_("I have checked: this is a different person, register anyway"), required=False
    )
    eligibility_token = forms.CharField(required=False, widget=forms.HiddenInput)

    IDENTITY_FIELDS = ("bpjs_card_number", "nik", "name", "birth_date", "sex", "phone")
    ADDRESS_FIELDS = (
        "address",
        "rt",
        "rw",
        "province_code",
        "regency_code",
        "district_code",
        "village_code",
        "family_card_number",
    )

    def patient_data(self) -> dict[str, Any]:
        data = self.cleaned_data
        return {name: data.get(name) for name in (*self.IDENTITY_FIELDS, *self.ADDRESS_FIELDS)}

    def identity_fields(self) -> list[forms.BoundField]:
        return [self[name] for name in self.IDENTITY_FIELDS]

    def address_fields(self) -> list[forms.BoundField]:
        return [self[name] for name in self.ADDRESS_FIELDS]


class FamilyLinkForm(forms.Form):
    relative_mrn = forms.CharField(label=_("Relative's medical record number"), max_length=20)
    relation = forms.ChoiceField(label=_("Relation"), choices=FamilyRelation.choices)
