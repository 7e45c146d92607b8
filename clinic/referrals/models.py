"""Referrals (rujukan) out of an encounter, and SEP records for clinics that run a hospital
polyclinic (FKRTL mode)."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from clinic.core.models import Facility


class ReferralKind(models.TextChoices):
    SPECIALIST = "specialist", _("To a specialist (spesialis)")
    SPECIAL = "special", _("Special referral (khusus)")
    HORIZONTAL = "horizontal", _("Horizontal (another FKTP)")


class Tacc(models.IntegerChoices):
    """PCare ``kdTacc`` (PROTOCOL.md §4.7)."""

    NONE = -1, "Tanpa TACC"
    SPECIAL = 0, "Tanpa TACC (rujukan khusus)"
    TIME = 1, "Time"
    AGE = 2, "Age"
    COMPLICATION = 3, "Complication"
    COMORBIDITY = 4, "Comorbidity"


# The reasons PCare's catalogue lists per TACC (Complication is "<kdDiag> - <nmDiag>").
TACC_REASONS: dict[int, tuple[str, ...]] = {
    1: ("< 3 Hari", ">= 3 - 7 Hari", ">= 7 Hari"),
    2: (
        "< 1 Bulan",
        ">= 1 Bulan s/d < 12 Bulan",
        ">= 1 Tahun s/d < 5 Tahun",
        ">= 5 Tahun s/d < 12 Tahun",
        ">= 12 Tahun s/d < 55 Tahun",
        ">= 55 Tahun",
    ),
    4: ("< 3 Hari", ">= 3 - 7 Hari", ">= 7 Hari"),
}

# THA and HEM need a subspecialty (PROTOCOL.md §4.1).
SPECIAL_WITH_SUBSPECIALTY = frozenset({"THA", "HEM"})


class Referral(models.Model):
    """The referral of one encounter (vertical to a specialist or special, or horizontal).

    A vertical referral travels to PCare inside the kunjungan (``rujukLanjut``); PCare's visit
    number is then its referral number, which the letter carries."""

    facility = models.ForeignKey(Facility, on_delete=models.PROTECT, related_name="+")
    record = models.OneToOneField(
        "records.MedicalRecord", on_delete=models.CASCADE, related_name="referral"
    )
    kind = models.CharField(
        _("kind"), max_length=12, choices=ReferralKind.choices, default=ReferralKind.SPECIALIST
    )
    planned_date = models.DateField(_("planned referral date"), null=True, blank=True)
    specialty_code = models.CharField(_("specialty"), max_length=10, blank=True)
    specialty_name = models.CharField(max_length=100, blank=True)
    subspecialty_code = models.CharField(_("subspecialty"), max_length=10, blank=True)
    subspecialty_name = models.CharField(max_length=100, blank=True)
    referral_poli_code = models.CharField(max_length=10, blank=True)
    facility_type_code = models.CharField(_("facility (sarana)"), max_length=10, blank=True)
    facility_type_name = models.CharField(max_length=100, blank=True)
    special_code = models.CharField(_("special category"), max_length=5, blank=True)
    special_name = models.CharField(max_length=100, blank=True)
    note = models.CharField(_("note"), max_length=300, blank=True)
    provider_code = models.CharField(_("hospital code"), max_length=10, blank=True)
    provider_name = models.CharField(_("referred to"), max_length=200, blank=True)
    provider_address = models.CharField(max_length=300, blank=True)
    provider_phone = models.CharField(max_length=50, blank=True)
    distance_km = models.DecimalField(max_digits=8, decimal_places=2, null=True, blank=True)
    capacity = models.PositiveIntegerField(null=True, blank=True)
    referral_count = models.PositiveIntegerField(null=True, blank=True)
    tacc = models.SmallIntegerField(_("TACC"), choices=Tacc.choices, default=Tacc.NONE)
    tacc_reason = models.CharField(_("TACC reason"), max_length=300, blank=True)
    # Snapshot at signing: the primary diagnosis is non-specialist (counts for RRNS).
    non_specialist = models.BooleanField(default=False)
    pcare_number = models.CharField(_("PCare referral number"), max_length=30, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["facility", "created_at"], name="referral_facility_time")]

    def __str__(self) -> str:
        return f"referral {self.pk} ({self.kind})"

    @property
    def is_vertical(self) -> bool:
        return self.kind in (ReferralKind.SPECIALIST, ReferralKind.SPECIAL)

    @property
    def has_valid_tacc(self) -> bool:
        return self.tacc in (1, 2, 3, 4) and bool(self.tacc_reason.strip())


class FkrtlSetting(models.Model):
    """FKRTL mode: this facility also runs a hospital polyclinic and issues SEPs (VClaim)."""

    facility = models.OneToOneField(Facility, on_delete=models.CASCADE, related_name="+")
    enabled = models.BooleanField(_("FKRTL mode (issue SEP)"), default=False)
    ppk_code = models.CharField(_("hospital PPK code"), max_length=8, blank=True)

    def __str__(self) -> str:
        return f"FKRTL {self.facility_id}: {self.enabled}"


class Sep(models.Model):
    """An SEP issued through VClaim on an FKTP referral, looked up by its number."""

    facility = models.ForeignKey(Facility, on_delete=models.PROTECT, related_name="+")
    patient = models.ForeignKey("patients.Patient", on_delete=models.PROTECT, related_name="+")
    referral_number = models.CharField(_("referral number"), max_length=30)
    referral_date = models.DateField(_("referral date"), null=True, blank=True)
    referring_provider_code = models.CharField(max_length=10, blank=True)
    referring_provider_name = models.CharField(_("referred by"), max_length=200, blank=True)
    sep_date = models.DateField(_("SEP date"))
    poli_code = models.CharField(_("poli"), max_length=10)
    poli_name = models.CharField(max_length=100, blank=True)
    diagnosis_code = models.CharField(_("initial diagnosis"), max_length=8)
    diagnosis_text = models.CharField(max_length=300, blank=True)
    care_class = models.CharField(_("class"), max_length=2, blank=True)
    dpjp_code = models.CharField(_("DPJP code"), max_length=20, blank=True)
    phone = models.CharField(_("phone"), max_length=20, blank=True)
    note = models.CharField(_("note"), max_length=200, blank=True)
    sep_number = models.CharField(_("SEP number"), max_length=30, blank=True)
    response = models.JSONField(null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"SEP {self.sep_number or self.pk}"
