"""Medical records: the ICD-10 table, one record per visit (triage by the nurse, the encounter
by the doctor), its diagnoses, procedures and prescriptions, and addenda after signing."""

from __future__ import annotations

from decimal import Decimal

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from clinic.core.models import Facility


class Icd10Code(models.Model):
    """One ICD-10 category or subcategory (WHO titles), with PCare's ``nonSpesialis`` flag as
    ``nonspesialis.json`` predicts it (exact code first, then its 3-character category)."""

    code = models.CharField(_("code"), max_length=8, unique=True)  # "A09", "A01.0"
    compact = models.CharField(max_length=8, db_index=True)  # "A09", "A010"
    title = models.CharField(_("title"), max_length=300)
    title_id = models.CharField(_("Indonesian title"), max_length=300, blank=True)
    # Upper-case code, title and Indonesian title, for word search.
    search_text = models.CharField(max_length=700)
    non_specialist = models.BooleanField(_("non-specialist (nonSpesialis)"), default=False)

    class Meta:
        ordering = ["compact"]
        verbose_name = _("ICD-10 code")
        verbose_name_plural = _("ICD-10 codes")

    def __str__(self) -> str:
        return f"{self.code} {self.title}"


class Consciousness(models.TextChoices):
    """PCare ``kdSadar`` (PROTOCOL.md §4.7)."""

    COMPOS_MENTIS = "01", "Compos mentis"
    SOMNOLENCE = "02", "Somnolence"
    SOPOR = "03", "Sopor"
    COMA = "04", "Coma"


class FoodAllergy(models.TextChoices):
    """PCare ``alergi/jenis/01``."""

    NONE = "00", "Tidak Ada"
    SEAFOOD = "01", "Seafood"
    WHEAT = "02", "Gandum"
    COW_MILK = "03", "Susu Sapi"
    NUTS = "04", "Kacang-Kacangan"
    OTHER = "05", "Makanan Lain"


class AirAllergy(models.TextChoices):
    """PCare ``alergi/jenis/02`` (the list PROTOCOL.md marks UNCONFIRMED; the sandbox's)."""

    NONE = "00", "Tidak Ada"
    DUST = "01", "Debu"
    SMOKE = "02", "Asap"
    POLLEN = "03", "Serbuk Sari"
    ANIMAL_HAIR = "04", "Bulu Binatang"


class DrugAllergy(models.TextChoices):
    """PCare ``alergi/jenis/03`` (UNCONFIRMED list; the sandbox's)."""

    NONE = "00", "Tidak Ada"
    ANTIBIOTIC = "01", "Antibiotik"
    NSAID = "02", "Antiinflamasi Non Steroid"
    CORTICOSTEROID = "03", "Kortikosteroid"
    INSULIN = "04", "Insulin"
    OTHER = "05", "Obat Lain"


class Prognosis(models.TextChoices):
    """PCare ``kdPrognosa``."""

    SANAM = "01", "Sanam (Sembuh)"
    BONAM = "02", "Bonam (Baik)"
    MALAM = "03", "Malam (Buruk/Jelek)"
    DUBIA_AD_SANAM = "04", "Dubia Ad Sanam/Bolam"
    DUBIA_AD_MALAM = "05", "Dubia Ad Malam"


class Discharge(models.TextChoices):
    """How the visit ends. The first three are PCare ``kdStatusPulang`` codes; an internal
    referral is sent as "3" with ``kdPoliRujukInternal``."""

    OUTPATIENT = "3", _("Outpatient care (berobat jalan)")
    VERTICAL_REFERRAL = "4", _("Vertical referral (rujuk vertikal)")
    HORIZONTAL_REFERRAL = "6", _("Horizontal referral (rujuk horizontal)")
    INTERNAL_REFERRAL = "internal", _("Internal referral to another poli")


class RecordStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    SIGNED = "signed", _("Signed")
    VOIDED = "voided", _("Voided")


class MedicalRecord(models.Model):
    """The medical record of one visit. Read-only once signed: corrections are addenda."""

    facility = models.ForeignKey(Facility, on_delete=models.PROTECT, related_name="+")
    visit = models.OneToOneField(
        "queues.Visit", on_delete=models.PROTECT, related_name="medical_record"
    )
    patient = models.ForeignKey(
        "patients.Patient", on_delete=models.PROTECT, related_name="medical_records"
    )
    status = models.CharField(
        _("status"), max_length=10, choices=RecordStatus.choices, default=RecordStatus.DRAFT
    )

    # Triage (nurse)
    systolic = models.PositiveSmallIntegerField(_("systolic (mmHg)"), null=True, blank=True)
    diastolic = models.PositiveSmallIntegerField(_("diastolic (mmHg)"), null=True, blank=True)
    weight_kg = models.DecimalField(
        _("weight (kg)"), max_digits=5, decimal_places=1, null=True, blank=True
    )
    height_cm = models.DecimalField(
        _("height (cm)"), max_digits=5, decimal_places=1, null=True, blank=True
    )
    respiratory_rate = models.PositiveSmallIntegerField(
        _("respiratory rate (/min)"), null=True, blank=True
    )
    heart_rate = models.PositiveSmallIntegerField(_("heart rate (/min)"), null=True, blank=True)
    temperature_c = models.DecimalField(
        _("temperature (°C)"), max_digits=4, decimal_places=1, null=True, blank=True
    )
    waist_cm = models.DecimalField(
        _("waist circumference (cm)"), max_digits=5, decimal_places=1, null=True, blank=True
    )
    consciousness = models.CharField(
        _("consciousness"),
        max_length=2,
        choices=Consciousness.choices,
        default=Consciousness.COMPOS_MENTIS,
    )
    food_allergy = models.CharField(
        _("food allergy"), max_length=2, choices=FoodAllergy.choices, default=FoodAllergy.NONE
    )
    air_allergy = models.CharField(
        _("air allergy"), max_length=2, choices=AirAllergy.choices, default=AirAllergy.NONE
    )
    drug_allergy = models.CharField(
        _("drug allergy"), max_length=2, choices=DrugAllergy.choices, default=DrugAllergy.NONE
    )
    chief_complaint = models.CharField(_("chief complaint"), max_length=500, blank=True)
    vitals_confirmed = models.BooleanField(
        _("unusual values confirmed"),
        default=False,
        help_text=_("The values outside plausible ranges were checked and confirmed."),
    )
    triage_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    triage_at = models.DateTimeField(null=True, blank=True)

    # Encounter (doctor)
    anamnesis = models.TextField(_("anamnesis"), blank=True)
    physical_exam = models.TextField(_("physical examination"), blank=True)
    subjective = models.TextField(_("S (subjective)"), blank=True)
    objective = models.TextField(_("O (objective)"), blank=True)
    assessment = models.TextField(_("A (assessment)"), blank=True)
    plan = models.TextField(_("P (plan)"), blank=True)
    non_drug_therapy = models.CharField(_("non-drug therapy"), max_length=500, blank=True)
    consumables = models.CharField(_("consumables (BMHP)"), max_length=500, blank=True)
    prognosis = models.CharField(
        _("prognosis"), max_length=2, choices=Prognosis.choices, default=Prognosis.BONAM
    )
    discharge = models.CharField(
        _("discharge status"),
        max_length=10,
        choices=Discharge.choices,
        default=Discharge.OUTPATIENT,
    )
    internal_referral_poli = models.ForeignKey(
        "queues.Poli",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("referred to poli"),
    )
    doctor = models.ForeignKey(
        "queues.Doctor",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("doctor"),
    )
    encounter_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    signed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    signed_at = models.DateTimeField(_("signed at"), null=True, blank=True)
    voided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    voided_at = models.DateTimeField(null=True, blank=True)
    void_reason = models.CharField(_("reason"), max_length=200, blank=True)
    pcare_visit_number = models.CharField(_("PCare visit number"), max_length=30, blank=True)

    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("medical record")
        verbose_name_plural = _("medical records")
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["facility", "status"], name="record_facility_status")]

    def __str__(self) -> str:
        return f"record {self.pk} (visit {self.visit_id})"

    @property
    def is_signed(self) -> bool:
        return self.status == RecordStatus.SIGNED

    @property
    def is_editable(self) -> bool:
        return self.status == RecordStatus.DRAFT

    @property
    def bmi(self) -> Decimal | None:
        """Body-mass index, one decimal, when weight and height are known."""
        if not self.weight_kg or not self.height_cm:
            return None
        metres = Decimal(self.height_cm) / 100
        return (Decimal(self.weight_kg) / (metres * metres)).quantize(Decimal("0.1"))

    def diagnosis_list(self) -> list[RecordDiagnosis]:
        return list(self.diagnoses.order_by("rank"))


class RecordDiagnosis(models.Model):
    record = models.ForeignKey(MedicalRecord, on_delete=models.CASCADE, related_name="diagnoses")
    rank = models.PositiveSmallIntegerField(_("rank"))  # 1 primary, 2, 3
    code = models.CharField(_("ICD-10 code"), max_length=8)
    title = models.CharField(_("title"), max_length=300)
    non_specialist = models.BooleanField(_("non-specialist"), default=False)

    class Meta:
        ordering = ["record", "rank"]
        constraints = [
            models.UniqueConstraint(fields=["record", "rank"], name="record_diagnosis_rank"),
            models.CheckConstraint(
                condition=models.Q(rank__gte=1, rank__lte=3), name="record_diagnosis_rank_1_3"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.rank}: {self.code}"


class Procedure(models.Model):
    """A PCare tindakan with its tariff."""

    record = models.ForeignKey(MedicalRecord, on_delete=models.CASCADE, related_name="procedures")
    code = models.CharField(_("procedure code"), max_length=20)
    name = models.CharField(_("procedure"), max_length=200)
    fee = models.PositiveIntegerField(_("tariff (Rp)"), default=0)
    max_tariff = models.PositiveIntegerField(_("maximum tariff (Rp)"), null=True, blank=True)
    note = models.CharField(_("note"), max_length=200, blank=True)
    result = models.IntegerField(_("result value"), default=0)
    pcare_id = models.CharField(_("PCare kdTindakanSK"), max_length=30, blank=True)
    addendum = models.ForeignKey(
        "Addendum", on_delete=models.PROTECT, null=True, blank=True, related_name="procedures"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["record", "id"]

    def __str__(self) -> str:
        return f"{self.code} {self.name}"


class Prescription(models.Model):
    """One drug line: DPHO (PCare code) or not, plain or part of a compounded racikan."""

    record = models.ForeignKey(
        MedicalRecord, on_delete=models.CASCADE, related_name="prescriptions"
    )
    dpho = models.BooleanField(_("DPHO drug"), default=True)
    drug_code = models.CharField(_("drug code"), max_length=20, blank=True)
    drug_name = models.CharField(_("drug"), max_length=200)
    compounded = models.BooleanField(_("compounded (racikan)"), default=False)
    compound_code = models.CharField(_("racikan code"), max_length=10, blank=True)  # "R.01"
    signa1 = models.DecimalField(_("times a day"), max_digits=5, decimal_places=1)
    signa2 = models.DecimalField(_("dose each time"), max_digits=6, decimal_places=2)
    quantity = models.DecimalField(_("quantity"), max_digits=8, decimal_places=2)
    requested_quantity = models.DecimalField(
        _("quantity requested"), max_digits=8, decimal_places=2, default=0
    )
    days = models.PositiveSmallIntegerField(_("days"), null=True, blank=True)
    instructions = models.CharField(_("instructions"), max_length=200, blank=True)
    pcare_id = models.CharField(_("PCare kdObatSK"), max_length=30, blank=True)
    addendum = models.ForeignKey(
        "Addendum", on_delete=models.PROTECT, null=True, blank=True, related_name="prescriptions"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["record", "id"]

    def __str__(self) -> str:
        return self.drug_name

    @property
    def signa(self) -> str:
        """``3 x 1`` as written on a prescription."""
        return f"{_plain(self.signa1)} x {_plain(self.signa2)}"


def _plain(value: Decimal) -> str:
    text = f"{Decimal(value).normalize():f}"
    return text


class Addendum(models.Model):
    """A correction or note added after signing, with its author and time. ``changes`` lists
    the corrected fields as ``[{"field", "label", "old", "new"}]``; the record shows the new
    values and the addendum keeps the old ones."""

    record = models.ForeignKey(MedicalRecord, on_delete=models.PROTECT, related_name="addenda")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(_("time"), auto_now_add=True)
    text = models.TextField(_("addendum"))
    changes = models.JSONField(_("corrections"), default=list, blank=True)

    class Meta:
        ordering = ["record", "created_at", "id"]
        verbose_name = _("addendum")
        verbose_name_plural = _("addenda")

    def __str__(self) -> str:
        return f"addendum {self.pk} to record {self.record_id}"
