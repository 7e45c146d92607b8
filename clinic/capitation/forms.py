from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from clinic.capitation.models import ActivityKind, CapitationProfile, ProlanisClub


class MonthInput(forms.DateInput):
    input_type = "month"


class RosterUploadForm(forms.Form):
    month = forms.CharField(
        label=_("Roster month"), widget=forms.TextInput(attrs={"type": "month"})
    )
    file = forms.FileField(label=_("Roster file (CSV or XLSX)"))


class ProfileForm(forms.ModelForm):
    class Meta:
        model = CapitationProfile
        fields = ["general_practitioners", "has_dentist", "kbk_applies"]


class ReceiptForm(forms.Form):
    month = forms.CharField(label=_("Month"), widget=forms.TextInput(attrs={"type": "month"}))
    amount = forms.DecimalField(label=_("Amount received (Rp)"), min_value=0, decimal_places=0)
    received_on = forms.DateField(
        label=_("Received on"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    reference = forms.CharField(label=_("Reference"), max_length=100, required=False)


class ClubForm(forms.ModelForm):
    class Meta:
        model = ProlanisClub
        fields = ["name", "group", "pcare_club_id"]


class ActivityForm(forms.Form):
    club = forms.ModelChoiceField(label=_("Club"), queryset=ProlanisClub.objects.none())
    date = forms.DateField(label=_("Date"), widget=forms.DateInput(attrs={"type": "date"}))
    kind = forms.ChoiceField(label=_("Activity"), choices=ActivityKind.choices)
    topic = forms.CharField(label=_("Topic"), max_length=200, required=False)
    speaker = forms.CharField(label=_("Speaker"), max_length=100, required=False)
    location = forms.CharField(label=_("Location"), max_length=150, required=False)
    fee = forms.IntegerField(label=_("Cost (Rp)"), min_value=0, initial=0)

    def __init__(self, *args: object, facility_id: int, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        field = self.fields["club"]
        assert isinstance(field, forms.ModelChoiceField)
        field.queryset = ProlanisClub.objects.filter(facility_id=facility_id, is_active=True)


class AttendanceForm(forms.Form):
    card_number = forms.CharField(label=_("BPJS card number"), max_length=13)
    systolic = forms.IntegerField(label=_("Systolic"), required=False, min_value=40, max_value=300)
    diastolic = forms.IntegerField(
        label=_("Diastolic"), required=False, min_value=20, max_value=200
    )
    fasting_glucose = forms.IntegerField(
        label=_("Fasting glucose (mg/dL)"), required=False, min_value=10, max_value=1000
    )
