"""Capitation: the roster of registered participants by month, the tariff table, the KBK
scheme (indicators, rating bands, payment table, RPPT control rules), what the clinic received,
and Prolanis clubs, activities and attendance.

Rules that change with regulations (tariffs, KBK weights, bands and payment shares, RPPT
thresholds) are rows with their legal source, seeded by migration 0002 and editable in the
Django admin; no number of them lives in code.
"""

from __future__ import annotations

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from clinic.core.models import Facility, FacilityType


class ParticipantSex(models.TextChoices):
    MALE = "L", _("Male")
    FEMALE = "P", _("Female")


class ProlanisCondition(models.TextChoices):
    DIABETES = "DM", _("Diabetes mellitus type 2")
    HYPERTENSION = "HT", _("Hypertension")


class RosterSource(models.TextChoices):
    IMPORT = "import", _("Roster file")
    ELIGIBILITY = "eligibility", _("BPJS eligibility check")


# --- the roster ------------------------------------------------------------------------------


class RosterImport(models.Model):
    """One import of a roster file, with what was accepted and every rejected row's reasons."""

    facility = models.ForeignKey(Facility, on_delete=models.PROTECT, related_name="+")
    month = models.DateField(_("month"), help_text=_("First day of the month."))
    file_name = models.CharField(_("file"), max_length=200)
    file_format = models.CharField(_("format"), max_length=4)
    imported_at = models.DateTimeField(_("imported at"), auto_now_add=True)
    imported_by = models.ForeignKey(
        "core.User", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    rows_total = models.PositiveIntegerField(_("rows"), default=0)
    rows_accepted = models.PositiveIntegerField(_("accepted"), default=0)
    rows_rejected = models.PositiveIntegerField(_("rejected"), default=0)
    rows_created = models.PositiveIntegerField(_("new"), default=0)
    rows_updated = models.PositiveIntegerField(_("changed"), default=0)
    rows_unchanged = models.PositiveIntegerField(_("unchanged"), default=0)
    rows_removed = models.PositiveIntegerField(_("removed"), default=0)
    # [{"row": 7, "card": "0002...", "reasons": ["..."]}] (reasons in Indonesian, for staff).
    rejected = models.JSONField(_("rejected rows"), default=list, blank=True)
    # {"card_number": "No Kartu", ...}: which header each field was read from.
    columns = models.JSONField(_("columns used"), default=dict, blank=True)

    class Meta:
        ordering = ["-imported_at", "-id"]

    def __str__(self) -> str:
        return f"{self.facility_id} {self.month:%Y-%m} {self.file_name}"


class RosterEntry(models.Model):
    """A participant registered at the facility in a month (keyed by facility, month, card)."""

    facility = models.ForeignKey(Facility, on_delete=models.PROTECT, related_name="+")
    month = models.DateField(_("month"))
    card_number = models.CharField(_("BPJS card number"), max_length=13)
    nik = models.CharField(_("NIK"), max_length=16, blank=True)
    name = models.CharField(_("name"), max_length=150)
    sex = models.CharField(_("sex"), max_length=1, choices=ParticipantSex.choices, blank=True)
    birth_date = models.DateField(_("date of birth"), null=True, blank=True)
    relationship = models.CharField(_("family relationship"), max_length=40, blank=True)
    membership_type = models.CharField(_("membership type"), max_length=100, blank=True)
    care_class = models.CharField(_("class"), max_length=10, blank=True)
    phone = models.CharField(_("phone"), max_length=20, blank=True)
    address = models.CharField(_("address"), max_length=300, blank=True)
    provider_code = models.CharField(_("provider code"), max_length=8, blank=True)
    active_since = models.DateField(_("active since"), null=True, blank=True)
    source = models.CharField(
        _("source"), max_length=12, choices=RosterSource.choices, default=RosterSource.IMPORT
    )
    roster_import = models.ForeignKey(
        RosterImport, on_delete=models.SET_NULL, null=True, blank=True, related_name="entries"
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["month", "name", "card_number"]
        constraints = [
            models.UniqueConstraint(
                fields=["facility", "month", "card_number"], name="roster_unique_card_month"
            )
        ]

    def __str__(self) -> str:
        return f"{self.facility_id} {self.month:%Y-%m} #{self.pk}"


class RosterField(models.TextChoices):
    """The fields the importer reads; the default header of each is in ``roster.DEFAULT_HEADERS``."""

    ROW_NUMBER = "row_number", _("Row number")
    CARD_NUMBER = "card_number", _("Card number")
    NIK = "nik", _("NIK")
    NAME = "name", _("Name")
    RELATIONSHIP = "relationship", _("Family relationship")
    SEX = "sex", _("Sex")
    BIRTH_DATE = "birth_date", _("Date of birth")
    MEMBERSHIP_TYPE = "membership_type", _("Membership type")
    CARE_CLASS = "care_class", _("Class")
    PHONE = "phone", _("Phone")
    ADDRESS = "address", _("Address")
    PROVIDER_CODE = "provider_code", _("Provider code")
    ACTIVE_SINCE = "active_since", _("Active since")
    PROLANIS = "prolanis", _("Prolanis programme")


class RosterColumnAlias(models.Model):
    """Another header name accepted for a field (files from other BPJS offices or exports)."""

    field = models.CharField(_("field"), max_length=20, choices=RosterField.choices)
    header = models.CharField(_("header in the file"), max_length=100, unique=True)

    class Meta:
        ordering = ["field", "header"]
        verbose_name = _("roster column alias")
        verbose_name_plural = _("roster column aliases")

    def __str__(self) -> str:
        return f"{self.header} -> {self.field}"


# --- tariffs and capitation ------------------------------------------------------------------


class DoctorRatio(models.TextChoices):
    WITHIN = "within", _("Doctor, ratio within the limit")
    ABOVE = "above", _("Doctor, ratio above the limit")
    NO_DOCTOR = "none", _("No doctor")


class CapitationTariff(models.Model):
    """One cell of the capitation tariff table (Rp per registered participant per month)."""

    facility_type = models.CharField(
        _("facility type"), max_length=20, choices=FacilityType.choices
    )
    doctor_ratio = models.CharField(_("doctor ratio"), max_length=6, choices=DoctorRatio.choices)
    participants_per_doctor_limit = models.PositiveIntegerField(
        _("participants per doctor limit"), default=5000
    )
    has_dentist = models.BooleanField(
        _("dentist available"), null=True, blank=True, help_text=_("Empty: either.")
    )
    amount = models.DecimalField(_("tariff (Rp)"), max_digits=10, decimal_places=0)
    legal_source = models.CharField(_("legal source"), max_length=200)
    legal_date = models.DateField(_("date of the regulation"), null=True, blank=True)
    valid_from = models.DateField(_("valid from"))
    valid_until = models.DateField(_("valid until"), null=True, blank=True)
    note = models.CharField(_("note"), max_length=300, blank=True)

    class Meta:
        ordering = ["facility_type", "-valid_from", "-amount"]
        verbose_name = _("capitation tariff")
        verbose_name_plural = _("capitation tariffs")

    def __str__(self) -> str:
        return f"{self.facility_type} {self.doctor_ratio} {self.has_dentist}: {self.amount}"


class CapitationProfile(models.Model):
    """What picks the facility's tariff besides its type: doctors and dentist availability."""

    facility = models.OneToOneField(
        Facility, on_delete=models.CASCADE, related_name="capitation_profile"
    )
    general_practitioners = models.PositiveSmallIntegerField(_("general practitioners"), default=1)
    has_dentist = models.BooleanField(_("dentist available"), default=False)
    kbk_applies = models.BooleanField(
        _("KBK applies"),
        default=True,
        help_text=_("At least a year of cooperation and about 5,000 participants or more."),
    )

    def __str__(self) -> str:
        return f"{self.facility_id}: {self.general_practitioners} GP, dentist {self.has_dentist}"


class CapitationReceipt(models.Model):
    """The capitation the clinic records as received for a month."""

    facility = models.ForeignKey(Facility, on_delete=models.PROTECT, related_name="+")
    month = models.DateField(_("month"))
    amount = models.DecimalField(_("amount received (Rp)"), max_digits=14, decimal_places=0)
    received_on = models.DateField(_("received on"), null=True, blank=True)
    reference = models.CharField(_("reference"), max_length=100, blank=True)
    recorded_by = models.ForeignKey(
        "core.User", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    recorded_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-month"]
        constraints = [
            models.UniqueConstraint(fields=["facility", "month"], name="receipt_unique_month")
        ]

    def __str__(self) -> str:
        return f"{self.facility_id} {self.month:%Y-%m}: {self.amount}"


# --- KBK -------------------------------------------------------------------------------------


class KbkScheme(models.Model):
    """A KBK scheme: its indicators, bands and payment table, with the legal source."""

    name = models.CharField(_("name"), max_length=150)
    legal_source = models.CharField(_("legal source"), max_length=300)
    legal_date = models.DateField(_("date of the regulation"), null=True, blank=True)
    source_note = models.TextField(_("sources and confidence"), blank=True)
    valid_from = models.DateField(_("valid from"))
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        ordering = ["-valid_from"]
        verbose_name = _("KBK scheme")
        verbose_name_plural = _("KBK schemes")

    def __str__(self) -> str:
        return self.name


class KbkIndicatorCode(models.TextChoices):
    AK = "AK", _("Contact rate (Angka Kontak)")
    RRNS = "RRNS", _("Non-specialist referral ratio (RRNS)")
    RPPT = "RPPT", _("Controlled Prolanis participants (RPPT)")


class KbkIndicator(models.Model):
    scheme = models.ForeignKey(KbkScheme, on_delete=models.CASCADE, related_name="indicators")
    code = models.CharField(_("indicator"), max_length=4, choices=KbkIndicatorCode.choices)
    weight = models.DecimalField(_("weight"), max_digits=4, decimal_places=3)
    target = models.DecimalField(_("target"), max_digits=8, decimal_places=2)
    unit = models.CharField(_("unit"), max_length=4, help_text="‰ or %")
    higher_is_better = models.BooleanField(_("higher is better"))

    class Meta:
        ordering = ["scheme", "code"]
        constraints = [
            models.UniqueConstraint(fields=["scheme", "code"], name="kbk_indicator_unique")
        ]

    def __str__(self) -> str:
        return f"{self.code} ({self.weight})"


class KbkBand(models.Model):
    """The values that earn a rating (1..4): ``lower`` < or <= value < or <= ``upper``."""

    indicator = models.ForeignKey(KbkIndicator, on_delete=models.CASCADE, related_name="bands")
    rating = models.PositiveSmallIntegerField(_("rating"))
    lower = models.DecimalField(_("from"), max_digits=8, decimal_places=2, null=True, blank=True)
    lower_inclusive = models.BooleanField(_("from, inclusive"), default=True)
    upper = models.DecimalField(_("to"), max_digits=8, decimal_places=2, null=True, blank=True)
    upper_inclusive = models.BooleanField(_("to, inclusive"), default=False)

    class Meta:
        ordering = ["indicator", "-rating"]
        constraints = [
            models.UniqueConstraint(fields=["indicator", "rating"], name="kbk_band_unique")
        ]

    def __str__(self) -> str:
        return f"{self.indicator.code} rating {self.rating}"

    def contains(self, value: object) -> bool:
        from decimal import Decimal

        number = Decimal(str(value))
        if self.lower is not None and (
            number < self.lower or (number == self.lower and not self.lower_inclusive)
        ):
            return False
        return not (
            self.upper is not None
            and (number > self.upper or (number == self.upper and not self.upper_inclusive))
        )


class KbkPaymentBand(models.Model):
    """Share of capitation paid for a score of at least ``min_score``, by facility type."""

    scheme = models.ForeignKey(KbkScheme, on_delete=models.CASCADE, related_name="payment_bands")
    facility_type = models.CharField(
        _("facility type"), max_length=20, choices=FacilityType.choices
    )
    min_score = models.DecimalField(_("score from"), max_digits=4, decimal_places=2)
    share_percent = models.DecimalField(_("share paid (%)"), max_digits=5, decimal_places=2)
    note = models.CharField(_("note"), max_length=200, blank=True)

    class Meta:
        ordering = ["scheme", "facility_type", "-min_score"]
        constraints = [
            models.UniqueConstraint(
                fields=["scheme", "facility_type", "min_score"], name="kbk_payment_unique"
            )
        ]

    def __str__(self) -> str:
        return f"{self.facility_type} >= {self.min_score}: {self.share_percent}%"


class RpptRuleSet(models.Model):
    """When a Prolanis participant counts as controlled. One set is active at a time."""

    name = models.CharField(_("name"), max_length=150)
    source = models.CharField(_("source"), max_length=300)
    description = models.CharField(_("rule as shown beside the figure"), max_length=300)
    is_active = models.BooleanField(_("active"), default=False)

    class Meta:
        ordering = ["-is_active", "name"]
        verbose_name = _("RPPT rule set")
        verbose_name_plural = _("RPPT rule sets")
        constraints = [
            models.UniqueConstraint(
                fields=["is_active"], condition=Q(is_active=True), name="rppt_one_active"
            )
        ]

    def __str__(self) -> str:
        return self.name


class RpptCriterion(models.Model):
    """One condition's range (optionally for an age range): every bound given must hold."""

    rule_set = models.ForeignKey(RpptRuleSet, on_delete=models.CASCADE, related_name="criteria")
    condition = models.CharField(_("condition"), max_length=2, choices=ProlanisCondition.choices)
    age_from = models.PositiveSmallIntegerField(_("age from"), null=True, blank=True)
    age_below = models.PositiveSmallIntegerField(_("age below"), null=True, blank=True)
    systolic_min = models.PositiveSmallIntegerField(null=True, blank=True)
    systolic_max = models.PositiveSmallIntegerField(null=True, blank=True)
    diastolic_min = models.PositiveSmallIntegerField(null=True, blank=True)
    diastolic_max = models.PositiveSmallIntegerField(null=True, blank=True)
    glucose_min = models.PositiveSmallIntegerField(
        _("fasting glucose from (mg/dL)"), null=True, blank=True
    )
    glucose_max = models.PositiveSmallIntegerField(
        _("fasting glucose to (mg/dL)"), null=True, blank=True
    )

    class Meta:
        ordering = ["rule_set", "condition", "age_from"]

    def __str__(self) -> str:
        return f"{self.rule_set_id} {self.condition} {self.age_from}-{self.age_below}"


# --- Prolanis --------------------------------------------------------------------------------


class ProlanisMember(models.Model):
    """A participant enrolled in Prolanis at this facility (DM type 2 or hypertension)."""

    facility = models.ForeignKey(Facility, on_delete=models.PROTECT, related_name="+")
    card_number = models.CharField(_("BPJS card number"), max_length=13)
    condition = models.CharField(_("condition"), max_length=2, choices=ProlanisCondition.choices)
    name = models.CharField(_("name"), max_length=150, blank=True)
    birth_date = models.DateField(_("date of birth"), null=True, blank=True)
    phone = models.CharField(_("phone"), max_length=20, blank=True)
    is_active = models.BooleanField(_("active"), default=True)
    source = models.CharField(_("source"), max_length=12, blank=True)

    class Meta:
        ordering = ["name", "card_number"]
        constraints = [
            models.UniqueConstraint(
                fields=["facility", "card_number", "condition"], name="prolanis_member_unique"
            )
        ]

    def __str__(self) -> str:
        return f"{self.facility_id} {self.condition} #{self.pk}"


class ProlanisClub(models.Model):
    facility = models.ForeignKey(Facility, on_delete=models.PROTECT, related_name="+")
    name = models.CharField(_("name"), max_length=150)
    group = models.CharField(
        _("group"),
        max_length=2,
        choices=[("01", "Diabetes Melitus"), ("02", "Hipertensi"), ("03", "Asma")],
    )
    pcare_club_id = models.CharField(_("PCare club id"), max_length=20)
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(
                fields=["facility", "pcare_club_id"], name="prolanis_club_unique"
            )
        ]

    def __str__(self) -> str:
        return self.name


class ActivityKind(models.TextChoices):
    EXERCISE = "01", _("Exercise")
    EDUCATION = "10", _("Education")
    EDUCATION_AND_EXERCISE = "11", _("Education and exercise")


class ProlanisActivity(models.Model):
    """A club's group activity (PCare ``kelompok/kegiatan``); ``pcare_edu_id`` once sent."""

    facility = models.ForeignKey(Facility, on_delete=models.PROTECT, related_name="+")
    club = models.ForeignKey(ProlanisClub, on_delete=models.PROTECT, related_name="activities")
    date = models.DateField(_("date"))
    kind = models.CharField(_("activity"), max_length=2, choices=ActivityKind.choices)
    topic = models.CharField(_("topic"), max_length=200, blank=True)
    speaker = models.CharField(_("speaker"), max_length=100, blank=True)
    location = models.CharField(_("location"), max_length=150, blank=True)
    note = models.CharField(_("note"), max_length=200, blank=True)
    fee = models.PositiveIntegerField(_("cost (Rp)"), default=0)
    pcare_edu_id = models.CharField(_("PCare activity id (eduId)"), max_length=20, blank=True)
    created_by = models.ForeignKey(
        "core.User", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-date", "-id"]
        indexes = [models.Index(fields=["facility", "date"], name="prolanis_activity_date")]

    def __str__(self) -> str:
        return f"{self.club} {self.date}"


class ProlanisAttendance(models.Model):
    """A participant at an activity, with the readings taken there (optional)."""

    activity = models.ForeignKey(
        ProlanisActivity, on_delete=models.CASCADE, related_name="attendance"
    )
    facility = models.ForeignKey(Facility, on_delete=models.PROTECT, related_name="+")
    date = models.DateField(_("date"))  # the activity's date, copied for the contact query
    card_number = models.CharField(_("BPJS card number"), max_length=13)
    systolic = models.PositiveSmallIntegerField(_("systolic"), null=True, blank=True)
    diastolic = models.PositiveSmallIntegerField(_("diastolic"), null=True, blank=True)
    fasting_glucose = models.PositiveSmallIntegerField(
        _("fasting glucose (mg/dL)"), null=True, blank=True
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["activity", "card_number"]
        constraints = [
            models.UniqueConstraint(
                fields=["activity", "card_number"], name="prolanis_attendance_unique"
            )
        ]
        indexes = [
            models.Index(fields=["facility", "date", "card_number"], name="prolanis_att_date")
        ]

    def __str__(self) -> str:
        return f"{self.activity_id} #{self.pk}"
