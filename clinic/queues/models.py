"""Polis, doctors and their weekly schedules: what the queue and Mobile JKN book against."""

from __future__ import annotations

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from clinic.core.models import Facility


class Poli(models.Model):
    facility = models.ForeignKey(Facility, on_delete=models.PROTECT, related_name="polis")
    name = models.CharField(_("name"), max_length=100)
    pcare_code = models.CharField(_("PCare poli code"), max_length=3)
    queue_prefix = models.CharField(_("queue prefix"), max_length=2)
    is_sick_visit = models.BooleanField(
        _("sick-visit poli"), default=True, help_text=_("PCare poliSakit: curative visits.")
    )
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        ordering = ["facility", "pcare_code"]
        constraints = [
            models.UniqueConstraint(fields=["facility", "pcare_code"], name="poli_unique_code"),
            models.UniqueConstraint(fields=["facility", "queue_prefix"], name="poli_unique_prefix"),
        ]

    def __str__(self) -> str:
        return f"Poli {self.name}"


class Doctor(models.Model):
    facility = models.ForeignKey(Facility, on_delete=models.PROTECT, related_name="doctors")
    name = models.CharField(_("name"), max_length=150)
    pcare_code = models.CharField(_("PCare doctor code"), max_length=20)
    user = models.OneToOneField(
        "core.User", on_delete=models.SET_NULL, null=True, blank=True, related_name="doctor"
    )
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        ordering = ["facility", "name"]
        constraints = [
            models.UniqueConstraint(fields=["facility", "pcare_code"], name="doctor_unique_code")
        ]

    def __str__(self) -> str:
        return self.name


class Weekday(models.IntegerChoices):
    MONDAY = 0, _("Monday")
    TUESDAY = 1, _("Tuesday")
    WEDNESDAY = 2, _("Wednesday")
    THURSDAY = 3, _("Thursday")
    FRIDAY = 4, _("Friday")
    SATURDAY = 5, _("Saturday")
    SUNDAY = 6, _("Sunday")


class DoctorSchedule(models.Model):
    """A doctor's practice hours at a poli on one weekday, with the daily quota."""

    facility = models.ForeignKey(Facility, on_delete=models.PROTECT, related_name="schedules")
    poli = models.ForeignKey(Poli, on_delete=models.CASCADE, related_name="schedules")
    doctor = models.ForeignKey(Doctor, on_delete=models.CASCADE, related_name="schedules")
    weekday = models.PositiveSmallIntegerField(_("weekday"), choices=Weekday.choices)
    start_time = models.TimeField(_("from"))
    end_time = models.TimeField(_("until"))
    daily_quota = models.PositiveIntegerField(_("daily quota"))

    class Meta:
        ordering = ["poli", "weekday", "start_time"]
        constraints = [
            models.UniqueConstraint(
                fields=["poli", "doctor", "weekday", "start_time"], name="schedule_unique_slot"
            ),
            models.CheckConstraint(
                condition=Q(end_time__gt=models.F("start_time")), name="schedule_end_after_start"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.doctor} {self.get_weekday_display()} {self.hours}"

    @property
    def hours(self) -> str:
        return f"{self.start_time:%H:%M}-{self.end_time:%H:%M}"
