"""Patients: identity (NIK, BPJS card), the clinic's medical record number, family links."""

from __future__ import annotations

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from clinic.core.models import Facility


class Sex(models.TextChoices):
    MALE = "L", _("Male")
    FEMALE = "P", _("Female")


class EligibilityState(models.TextChoices):
    """The outcome of the last BPJS check (values shared with ``queues.EligibilityStatus``)."""

    UNKNOWN = "", _("Not checked")
    VERIFIED = "verified", _("Active")
    INACTIVE = "inactive", _("Not active")
    OTHER_FKTP = "other_fktp", _("Registered at another FKTP")
    NOT_FOUND = "not_found", _("Not found at BPJS")
    NOT_VERIFIED = "not_verified", _("Eligibility not verified")


MRN_PREFIX = "RM-"


def format_mrn(number: int) -> str:
    """``RM-`` and at least six digits: 1 -> ``RM-000001``; past 999999 it simply grows."""
    return f"{MRN_PREFIX}{number:06d}"


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
    # Search and duplicate-detection keys, kept in step by the services.
    name_key = models.CharField(max_length=150, blank=True, editable=False)
    phone_normalized = models.CharField(max_length=20, blank=True, editable=False)
    likely_duplicate = models.BooleanField(
        _("registered despite a likely duplicate"), default=False
    )
    # BPJS facts from the last eligibility check (kept so the queue never waits on BPJS).
    bpjs_eligibility = models.CharField(
        _("BPJS eligibility"),
        max_length=15,
        choices=EligibilityState.choices,
        default=EligibilityState.UNKNOWN,
        blank=True,
    )
    bpjs_status_text = models.CharField(_("BPJS status"), max_length=100, blank=True)
    bpjs_class = models.CharField(_("BPJS class"), max_length=30, blank=True)
    bpjs_membership_type = models.CharField(_("membership type"), max_length=100, blank=True)
    bpjs_provider_code = models.CharField(_("registered FKTP"), max_length=8, blank=True)
    bpjs_provider_name = models.CharField(_("registered FKTP name"), max_length=150, blank=True)
    bpjs_arrears = models.DecimalField(
        _("arrears"), max_digits=14, decimal_places=2, null=True, blank=True
    )
    bpjs_prolanis = models.CharField(_("Prolanis"), max_length=10, blank=True)
    bpjs_prb = models.CharField(_("PRB"), max_length=10, blank=True)
    bpjs_insurer = models.CharField(_("top-up insurer"), max_length=150, blank=True)
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
            # Exact search keys (NIK, card and MRN have their unique constraints' indexes).
            models.Index(fields=["facility", "phone_normalized"], name="patient_phone_idx"),
            models.Index(fields=["facility", "name_key", "birth_date"], name="patient_dup_idx"),
            models.Index(fields=["facility", "name", "id"], name="patient_name_idx"),
            # On PostgreSQL a trigram index on UPPER(name) serves "part of the name"
            # (migration 0002, PostgreSQL only).
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
