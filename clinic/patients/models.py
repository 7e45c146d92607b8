"""Patients: identity (NIK, BPJS card), the clinic's medical record number, family links."""

from __future__ import annotations

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from clinic.core.models import Facility


class Sex(models.TextChoices):
    MALE = "L", _("Male")
    FEMALE = "P", _("Female")


class MrnCounter(models.Model):
    """The last medical record number issued per facility: never reused, never reset."""

    facility = models.OneToOneField(Facility, on_delete=models.PROTECT, related_name="+")
    last_number = models.PositiveBigIntegerField(default=0)

    def __str__(self) -> str:
        return f"{self.facility_id}: {self.last_number}"


class Patient(models.Model):
    facility = models.ForeignKey(Facility, on_delete=models.PROTECT, related_name="patients")
    mrn = models.CharField(_("medical record number"), max_length=20)
    nik = models.CharField(_("NIK"), max_length=16, null=True, blank=True)
    bpjs_card_number = models.CharField(_("BPJS card number"), max_length=13, null=True, blank=True)
    name = models.CharField(_("name"), max_length=150)
    birth_date = models.DateField(_("date of birth"))
    sex = models.CharField(_("sex"), max_length=1, choices=Sex.choices)
    phone = models.CharField(_("phone"), max_length=20, blank=True)
    address = models.CharField(_("address"), max_length=300, blank=True)
    rt = models.CharField(_("RT"), max_length=3, blank=True)
    rw = models.CharField(_("RW"), max_length=3, blank=True)
    province_code = models.CharField(_("province code"), max_length=2, blank=True)
    regency_code = models.CharField(_("regency/city code"), max_length=4, blank=True)
    district_code = models.CharField(_("district code"), max_length=7, blank=True)
    village_code = models.CharField(_("village code"), max_length=10, blank=True)
    family_card_number = models.CharField(_("family card number (KK)"), max_length=16, blank=True)
    # BPJS facts from the last eligibility check (kept so the queue never waits on BPJS).
    bpjs_provider_code = models.CharField(_("registered FKTP"), max_length=8, blank=True)
    bpjs_checked_at = models.DateTimeField(_("BPJS checked at"), null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(fields=["facility", "mrn"], name="patient_unique_mrn"),
            models.UniqueConstraint(
                fields=["facility", "nik"],
                condition=Q(nik__isnull=False),
                name="patient_unique_nik",
            ),
            models.UniqueConstraint(
                fields=["facility", "bpjs_card_number"],
                condition=Q(bpjs_card_number__isnull=False),
                name="patient_unique_card",
            ),
        ]
        indexes = [
            models.Index(fields=["facility", "phone"]),
            models.Index(fields=["facility", "name", "birth_date"]),
        ]

    def __str__(self) -> str:
        return f"{self.mrn} {self.name}"


class FamilyRelation(models.TextChoices):
    SPOUSE = "spouse", _("Spouse")
    CHILD = "child", _("Child")
    PARENT = "parent", _("Parent")
    SIBLING = "sibling", _("Sibling")
    OTHER = "other", _("Other")


class FamilyLink(models.Model):
    facility = models.ForeignKey(Facility, on_delete=models.PROTECT, related_name="+")
    patient = models.ForeignKey(Patient, on_delete=models.CASCADE, related_name="family_links")
    relative = models.ForeignKey(Patient, on_delete=models.CASCADE, related_name="+")
    relation = models.CharField(_("relation"), max_length=10, choices=FamilyRelation.choices)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["patient", "relative"], name="family_link_unique"),
            models.CheckConstraint(
                condition=~Q(patient=models.F("relative")), name="family_link_not_self"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.patient_id} {self.relation} {self.relative_id}"
