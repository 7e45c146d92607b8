from __future__ import annotations

from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from clinic.core.models import Facility
from clinic.queues.models import DoctorSchedule, Payer, Poli, Tkp


class ScheduleChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return f"{obj.poli.name}: {obj.doctor.name} ({obj.get_weekday_display()} {obj.hours})"


class VisitRegisterForm(forms.Form):
    poli = forms.ModelChoiceField(
        label=_("Poli"),
        queryset=Poli.objects.none(),
        error_messages={
            "required": _("Choose the poli."),
            "invalid_choice": _("Unknown poli: choose one of this clinic's active polis."),
        },
    )
    schedule = ScheduleChoiceField(
        label=_("Doctor and practice hours"),
        queryset=DoctorSchedule.objects.none(),
        required=False,
        empty_label=_("Automatic: the doctor with the most quota left"),
    )
    visit_date = forms.DateField(
        label=_("Visit date"),
        widget=forms.DateInput(format="%Y-%m-%d", attrs={"type": "date"}),
    )
    payer = forms.ChoiceField(label=_("Payer"), choices=Payer.choices, initial=Payer.BPJS)
    insurer_name = forms.CharField(label=_("Insurer"), max_length=100, required=False)
    is_sick_visit = forms.TypedChoiceField(
        label=_("Kind of visit"),
        choices=[
            ("1", _("Sick visit (kunjungan sakit)")),
            ("0", _("Healthy visit (kunjungan sehat)")),
        ],
        coerce=lambda value: value == "1",
        widget=forms.RadioSelect,
    )
    tkp = forms.ChoiceField(label=_("TKP"), choices=Tkp.choices, initial=Tkp.RJTP)
    kiosk_number = forms.CharField(
        label=_("Kiosk number (if the patient already took one)"),
        max_length=10,
        required=False,
        help_text=_("For example A-5. Leave empty to give a new number."),
    )
    complaint = forms.CharField(
        label=_("Complaint"),
        max_length=500,
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )

    def __init__(self, *args: Any, facility: Facility, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        polis = Poli.objects.filter(facility=facility, is_active=True).order_by("pcare_code")
        self.fields["poli"].queryset = polis  # type: ignore[attr-defined]
        self.fields["schedule"].queryset = (  # type: ignore[attr-defined]
            DoctorSchedule.objects.filter(facility=facility, poli__is_active=True)
            .select_related("poli", "doctor")
            .order_by("poli__pcare_code", "weekday", "start_time")
        )
        self.fields["visit_date"].initial = timezone.localdate()
        first = polis.first()
        self.fields["is_sick_visit"].initial = "1" if first is None or first.is_sick_visit else "0"
        self.poli_sick = {str(p.pk): p.is_sick_visit for p in polis}


class CancelForm(forms.Form):
    reason = forms.CharField(label=_("Reason"), max_length=200)
