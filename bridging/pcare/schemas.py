"""PCare request and response models (PROTOCOL.md §4).

The BPJS names appear only here, as aliases. PCare dates are ``dd-mm-yyyy`` on the wire and
:class:`datetime.date` in the models. Response models are tolerant where PROTOCOL.md is unsure:
unknown fields are ignored, empty strings read as ``None``, codes may arrive as numbers.
"""

from __future__ import annotations

from enum import StrEnum
from typing import Annotated, Self

from pydantic import AliasChoices, Field, model_validator

from bridging.pcare.base import (
    Code,
    CommaDecimal,
    DmyDate,
    Nested,
    OptBool,
    OptDecimal,
    OptDmyDate,
    OptInt,
    Text,
    WireModel,
)

# --- small reference objects -----------------------------------------------------------------


class CodeName(WireModel):
    """A ``{kode, nama}`` pair (class entitlement, membership type, activity kinds)."""

    code: Text = Field(default=None, alias="kode")
    name: Text = Field(default=None, alias="nama")


class ProviderRef(WireModel):
    code: Text = Field(default=None, alias="kdProvider")
    name: Text = Field(default=None, alias="nmProvider")


class Insurance(WireModel):
    """A private top-up insurer (coordination of benefits)."""

    code: Text = Field(default=None, alias="kdAsuransi")
    name: Text = Field(default=None, alias="nmAsuransi")
    number: Text = Field(default=None, alias="noAsuransi")
    cob: OptBool = Field(default=None, alias="cob")


# --- reference lists -------------------------------------------------------------------------


class Diagnosis(WireModel):
    code: Code = Field(alias="kdDiag")
    name: Text = Field(default=None, alias="nmDiag")
    non_specialist: OptBool = Field(default=None, alias="nonSpesialis")


class Doctor(WireModel):
    code: Code = Field(alias="kdDokter")
    name: Text = Field(default=None, alias="nmDokter")


class Consciousness(WireModel):
    code: Code = Field(alias="kdSadar")
    name: Text = Field(default=None, alias="nmSadar")


class Poli(WireModel):
    code: Code = Field(alias="kdPoli")
    name: Text = Field(default=None, alias="nmPoli")
    curative: OptBool = Field(default=None, alias="poliSakit")


class Provider(WireModel):
    code: Code = Field(alias="kdProvider")
    name: Text = Field(default=None, alias="nmProvider")


class DischargeStatus(WireModel):
    code: Code = Field(alias="kdStatusPulang")
    name: Text = Field(default=None, alias="nmStatusPulang")


class AllergyKind(StrEnum):
    FOOD = "01"
    AIR = "02"
    DRUG = "03"


class Allergy(WireModel):
    code: Code = Field(alias="kdAlergi")
    name: Text = Field(default=None, alias="nmAlergi")


class Prognosis(WireModel):
    code: Code = Field(alias="kdPrognosa")
    name: Text = Field(default=None, alias="nmPrognosa")


class Specialty(WireModel):
    code: Code = Field(alias="kdSpesialis")
    name: Text = Field(default=None, alias="nmSpesialis")


class Subspecialty(WireModel):
    code: Code = Field(alias="kdSubSpesialis")
    name: Text = Field(default=None, alias="nmSubSpesialis")
    referral_poli_code: Text = Field(default=None, alias="kdPoliRujuk")


class FacilityType(WireModel):
    """A ``sarana`` (facility a referral needs, e.g. laboratory)."""

    code: Code = Field(alias="kdSarana")
    name: Text = Field(default=None, alias="nmSarana")


class SpecialCategory(WireModel):
    """A ``khusus`` referral category (HDL, THA, HEM, IGD, ...)."""

    code: Code = Field(alias="kdKhusus")
    name: Text = Field(default=None, alias="nmKhusus")


class ReferralHospital(WireModel):
    """A candidate hospital from ``spesialis/rujuk/...``."""

    provider_code: Code = Field(alias="kdppk")
    name: Text = Field(default=None, alias="nmppk")
    address: Text = Field(default=None, alias="alamatPpk")
    phone: Text = Field(default=None, alias="telpPpk")
    hospital_class: Text = Field(default=None, alias="kelas")
    branch_office: Text = Field(default=None, alias="nmkc")
    distance: OptDecimal = Field(default=None, alias="distance")
    schedule: Text = Field(default=None, alias="jadwal")
    referral_count: OptInt = Field(default=None, alias="jmlRujuk")
    capacity: OptInt = Field(default=None, alias="kapasitas")
    percentage: OptDecimal = Field(default=None, alias="persentase")


class CareSetting(StrEnum):
    """TKP: 10 outpatient (RJTP), 20 inpatient (RITP), 50 promotive."""

    OUTPATIENT = "10"
    INPATIENT = "20"
    PROMOTIVE = "50"


class CareSettingRef(WireModel):
    code: Text = Field(default=None, alias="kdTkp")
    name: Text = Field(default=None, alias="nmTkp")


class ProcedureRef(WireModel):
    code: Code = Field(alias="kdTindakan")
    name: Text = Field(default=None, alias="nmTindakan")
    max_tariff: OptInt = Field(default=None, alias="maxTarif")
    with_value: OptBool = Field(default=None, alias="withValue")


class Drug(WireModel):
    """A DPHO formulary drug."""

    code: Code = Field(alias="kdObat")
    name: Text = Field(default=None, alias="nmObat")
    stock: OptInt = Field(default=None, alias="sedia")


# --- participant -----------------------------------------------------------------------------


class Participant(WireModel):
    """A JKN participant as PCare knows them (``peserta``)."""

    card_number: Code = Field(alias="noKartu")
    name: Text = Field(default=None, alias="nama")
    relationship: Text = Field(default=None, alias="hubunganKeluarga")
    sex: Text = Field(default=None, alias="sex")
    birth_date: OptDmyDate = Field(default=None, alias="tglLahir")
    coverage_start: OptDmyDate = Field(default=None, alias="tglMulaiAktif")
    coverage_end: OptDmyDate = Field(default=None, alias="tglAkhirBerlaku")
    registered_provider: Annotated[ProviderRef | None, Nested] = Field(
        default=None, alias="kdProviderPst"
    )
    dental_provider: Annotated[ProviderRef | None, Nested] = Field(
        default=None, alias="kdProviderGigi"
    )
    care_class: Annotated[CodeName | None, Nested] = Field(default=None, alias="jnsKelas")
    membership_type: Annotated[CodeName | None, Nested] = Field(default=None, alias="jnsPeserta")
    blood_group: Text = Field(default=None, alias="golDarah")
    phone: Text = Field(default=None, alias="noHP")
    nik: Text = Field(default=None, alias="noKTP")
    prolanis_program: Text = Field(default=None, alias="pstProl")
    prb_program: Text = Field(default=None, alias="pstPrb")
    active: bool = Field(default=False, alias="aktif")
    status_text: Text = Field(default=None, alias="ketAktif")
    insurance: Annotated[Insurance | None, Nested] = Field(default=None, alias="asuransi")
    arrears: OptDecimal = Field(default=None, alias="tunggakan")


# --- pendaftaran -----------------------------------------------------------------------------


class RegistrationRequest(WireModel):
    """``POST pendaftaran``: register a visit with PCare."""

    participant_provider_code: str = Field(alias="kdProviderPeserta")
    registration_date: DmyDate = Field(alias="tglDaftar")
    card_number: str = Field(alias="noKartu")
    poli_code: str = Field(alias="kdPoli")
    complaint: str | None = Field(default=None, alias="keluhan")
    sick_visit: bool = Field(alias="kunjSakit")
    systolic: int = Field(default=0, alias="sistole")
    diastolic: int = Field(default=0, alias="diastole")
    weight_kg: int = Field(default=0, alias="beratBadan")
    height_cm: int = Field(default=0, alias="tinggiBadan")
    respiratory_rate: int = Field(default=0, alias="respRate")
    waist_cm: int = Field(default=0, alias="lingkarPerut")
    heart_rate: int = Field(default=0, alias="heartRate")
    referral_back: int = Field(default=0, alias="rujukBalik")
    care_setting: CareSetting = Field(default=CareSetting.OUTPATIENT, alias="kdTkp")


class RegistrationResult(WireModel):
    """What PCare gave back for a new registration: the queue number."""

    queue_number: Code = Field(alias="noUrut")


class Registration(WireModel):
    """A registration read back from PCare."""

    queue_number: Code = Field(alias="noUrut")
    registration_date: OptDmyDate = Field(
        default=None,
        validation_alias=AliasChoices("tgldaftar", "tglDaftar", "registration_date"),
        serialization_alias="tglDaftar",
    )
    service_provider: Annotated[ProviderRef | None, Nested] = Field(
        default=None, alias="providerPelayanan"
    )
    participant: Annotated[Participant | None, Nested] = Field(default=None, alias="peserta")
    poli: Annotated[Poli | None, Nested] = Field(default=None, alias="poli")
    complaint: Text = Field(default=None, alias="keluhan")
    sick_visit: OptBool = Field(default=None, alias="kunjSakit")
    status: Text = Field(default=None, alias="status")
    systolic: OptInt = Field(default=None, alias="sistole")
    diastolic: OptInt = Field(default=None, alias="diastole")
    weight_kg: OptDecimal = Field(default=None, alias="beratBadan")
    height_cm: OptDecimal = Field(default=None, alias="tinggiBadan")
    respiratory_rate: OptInt = Field(default=None, alias="respRate")
    waist_cm: OptDecimal = Field(default=None, alias="lingkarPerut")
    heart_rate: OptInt = Field(default=None, alias="heartRate")
    care_setting: Annotated[CareSettingRef | None, Nested] = Field(default=None, alias="tkp")


# --- kunjungan -------------------------------------------------------------------------------


class SpecialistReferral(WireModel):
    """``rujukLanjut.subSpesialis``: a referral to a subspecialty."""

    subspecialty_code: str = Field(alias="kdSubSpesialis1")
    facility_type_code: str | None = Field(default=None, alias="kdSarana")


class SpecialReferral(WireModel):
    """``rujukLanjut.khusus``: a special referral (HDL, THA, HEM, ...)."""

    category_code: str = Field(alias="kdKhusus")
    subspecialty_code: str | None = Field(default=None, alias="kdSubSpesialis")
    note: str | None = Field(default=None, alias="catatan")


class OnwardReferral(WireModel):
    """``rujukLanjut``: an external (vertical) referral of a visit."""

    provider_code: str = Field(alias="kdppk")
    planned_date: DmyDate = Field(alias="tglEstRujuk")
    specialist: SpecialistReferral | None = Field(default=None, alias="subSpesialis")
    special: SpecialReferral | None = Field(default=None, alias="khusus")


class DischargeCode(StrEnum):
    """Outpatient discharge statuses (``kdStatusPulang``) PROTOCOL.md confirms."""

    DIED = "1"
    OUTPATIENT_CARE = "3"
    VERTICAL_REFERRAL = "4"
    HORIZONTAL_REFERRAL = "6"


class VisitRequest(WireModel):
    """``POST``/``PUT kunjungan/V1``: the encounter (diagnosis, discharge, referral).

    ``visit_number`` is ``None`` to add and the PCare ``noKunjungan`` to edit. A vertical referral
    (``discharge_status_code`` "4") needs ``referral``; a referral on a non-specialist diagnosis
    needs ``tacc_code`` 1..4 and ``tacc_reason``.
    """

    visit_number: str | None = Field(default=None, alias="noKunjungan")
    card_number: str = Field(alias="noKartu")
    registration_date: DmyDate = Field(alias="tglDaftar")
    poli_code: str | None = Field(alias="kdPoli")
    complaint: str = Field(default="", alias="keluhan")
    consciousness_code: str = Field(default="01", alias="kdSadar")
    systolic: int = Field(default=0, alias="sistole")
    diastolic: int = Field(default=0, alias="diastole")
    weight_kg: int = Field(default=0, alias="beratBadan")
    height_cm: int = Field(default=0, alias="tinggiBadan")
    respiratory_rate: int = Field(default=0, alias="respRate")
    heart_rate: int = Field(default=0, alias="heartRate")
    waist_cm: int = Field(default=0, alias="lingkarPerut")
    discharge_status_code: str = Field(alias="kdStatusPulang")
    discharge_date: DmyDate = Field(alias="tglPulang")
    doctor_code: str = Field(alias="kdDokter")
    diagnosis1_code: str = Field(alias="kdDiag1")
    diagnosis2_code: str | None = Field(default=None, alias="kdDiag2")
    diagnosis3_code: str | None = Field(default=None, alias="kdDiag3")
    internal_referral_poli_code: str | None = Field(default=None, alias="kdPoliRujukInternal")
    referral: OnwardReferral | None = Field(default=None, alias="rujukLanjut")
    tacc_code: int = Field(default=-1, alias="kdTacc")
    tacc_reason: str | None = Field(default=None, alias="alasanTacc")
    anamnesis: str = Field(default="", alias="anamnesa")
    food_allergy_code: str = Field(default="00", alias="alergiMakan")
    air_allergy_code: str = Field(default="00", alias="alergiUdara")
    drug_allergy_code: str = Field(default="00", alias="alergiObat")
    prognosis_code: str = Field(default="01", alias="kdPrognosa")
    drug_therapy: str = Field(default="", alias="terapiObat")
    non_drug_therapy: str = Field(default="", alias="terapiNonObat")
    consumables: str = Field(default="", alias="bmhp")
    # Sent the catalogue's way, a string with a decimal comma ("36,4"); read in any form.
    temperature: CommaDecimal = Field(default=None, alias="suhu")

    @model_validator(mode="after")
    def _vertical_referral_needs_its_object(self) -> Self:
        # PCare answers a referral status without rujukLanjut with a .NET 500 (PROTOCOL.md §8.5).
        if self.discharge_status_code == DischargeCode.VERTICAL_REFERRAL and self.referral is None:
            raise ValueError("kdStatusPulang 4 (rujuk vertikal) membutuhkan data rujukan")
        return self


class VisitResult(WireModel):
    """What PCare gave back for a visit: its number, which is also its referral number."""

    visit_number: Code = Field(alias="noKunjungan")


class DiagnosisRef(WireModel):
    code: Text = Field(default=None, alias="kdDiag")
    name: Text = Field(default=None, alias="nmDiag")
    non_specialist: OptBool = Field(default=None, alias="nonSpesialis")


class ConsciousnessRef(WireModel):
    code: Text = Field(default=None, alias="kdSadar")
    name: Text = Field(default=None, alias="nmSadar")


class DoctorRef(WireModel):
    code: Text = Field(default=None, alias="kdDokter")
    name: Text = Field(default=None, alias="nmDokter")


class DischargeStatusRef(WireModel):
    code: Text = Field(default=None, alias="kdStatusPulang")
    name: Text = Field(default=None, alias="nmStatusPulang")


class ProlanisProgramRef(WireModel):
    code: Text = Field(default=None, alias="kdProgram")
    name: Text = Field(default=None, alias="nmProgram")


class PoliRef(WireModel):
    code: Text = Field(default=None, alias="kdPoli")
    name: Text = Field(default=None, alias="nmPoli")
    curative: OptBool = Field(default=None, alias="poliSakit")


class Visit(WireModel):
    """One visit of a participant's history (``kunjungan/peserta/{noKartu}``)."""

    visit_number: Code = Field(alias="noKunjungan")
    visit_date: OptDmyDate = Field(default=None, alias="tglKunjungan")
    service_provider: Annotated[ProviderRef | None, Nested] = Field(
        default=None, alias="providerPelayanan"
    )
    participant: Annotated[Participant | None, Nested] = Field(default=None, alias="peserta")
    poli: Annotated[PoliRef | None, Nested] = Field(default=None, alias="poli")
    prolanis_program: Annotated[ProlanisProgramRef | None, Nested] = Field(
        default=None, alias="progProlanis"
    )
    complaint: Text = Field(default=None, alias="keluhan")
    diagnosis1: Annotated[DiagnosisRef | None, Nested] = Field(default=None, alias="diagnosa1")
    diagnosis2: Annotated[DiagnosisRef | None, Nested] = Field(default=None, alias="diagnosa2")
    diagnosis3: Annotated[DiagnosisRef | None, Nested] = Field(default=None, alias="diagnosa3")
    consciousness: Annotated[ConsciousnessRef | None, Nested] = Field(
        default=None, alias="kesadaran"
    )
    systolic: OptInt = Field(default=None, alias="sistole")
    diastolic: OptInt = Field(default=None, alias="diastole")
    weight_kg: OptDecimal = Field(default=None, alias="beratBadan")
    height_cm: OptDecimal = Field(default=None, alias="tinggiBadan")
    respiratory_rate: OptInt = Field(default=None, alias="respRate")
    heart_rate: OptInt = Field(default=None, alias="heartRate")
    waist_cm: OptDecimal = Field(default=None, alias="lingkarPerut")
    note: Text = Field(default=None, alias="catatan")
    physical_exam: Text = Field(default=None, alias="pemFisikLain")
    referring_provider: Annotated[ProviderRef | None, Nested] = Field(
        default=None, alias="providerAsalRujuk"
    )
    referred_to_provider: Annotated[ProviderRef | None, Nested] = Field(
        default=None, alias="providerRujukLanjut"
    )
    doctor: Annotated[DoctorRef | None, Nested] = Field(default=None, alias="dokter")
    discharge_status: Annotated[DischargeStatusRef | None, Nested] = Field(
        default=None, alias="statusPulang"
    )
    care_setting: Annotated[CareSettingRef | None, Nested] = Field(default=None, alias="tkp")
    internal_referral_poli: Annotated[PoliRef | None, Nested] = Field(
        default=None, alias="poliRujukInternal"
    )
    referred_to_poli: Annotated[PoliRef | None, Nested] = Field(
        default=None, alias="poliRujukLanjut"
    )
    discharge_date: OptDmyDate = Field(default=None, alias="tglPulang")
    temperature: OptDecimal = Field(default=None, alias="suhu")
    tacc_code: OptInt = Field(default=None, alias="kdTacc")
    tacc_reason: Text = Field(default=None, alias="alasanTacc")


class ReferralProvider(WireModel):
    code: Text = Field(default=None, alias="kdPPK")
    name: Text = Field(default=None, alias="nmPPK")
    address: Text = Field(default=None, alias="alamat")


class TaccRef(WireModel):
    name: Text = Field(default=None, alias="nmTacc")
    reason: Text = Field(default=None, alias="alasanTacc")


class ReferralLetter(WireModel):
    """The referral letter of a visit (``kunjungan/rujukan/{noKunjungan}``)."""

    referral_number: Code = Field(alias="noRujukan")
    provider: Annotated[ReferralProvider | None, Nested] = Field(default=None, alias="ppk")
    visit_date: OptDmyDate = Field(default=None, alias="tglKunjungan")
    planned_date: OptDmyDate = Field(default=None, alias="tglEstRujuk")
    poli: Annotated[PoliRef | None, Nested] = Field(default=None, alias="poli")
    card_number: Text = Field(default=None, alias="nokaPst")
    participant_name: Text = Field(default=None, alias="nmPst")
    birth_date: OptDmyDate = Field(default=None, alias="tglLahir")
    pisa: Text = Field(default=None, alias="pisa")
    pisa_text: Text = Field(default=None, alias="ketPisa")
    sex: Text = Field(default=None, alias="sex")
    diagnosis1: Annotated[DiagnosisRef | None, Nested] = Field(default=None, alias="diag1")
    diagnosis2: Annotated[DiagnosisRef | None, Nested] = Field(default=None, alias="diag2")
    diagnosis3: Annotated[DiagnosisRef | None, Nested] = Field(default=None, alias="diag3")
    note: Text = Field(default=None, alias="catatan")
    doctor: Annotated[DoctorRef | None, Nested] = Field(default=None, alias="dokter")
    tacc: Annotated[TaccRef | None, Nested] = Field(default=None, alias="tacc")
    penalty_notice: Text = Field(default=None, alias="infoDenda")


# --- obat ------------------------------------------------------------------------------------


class MedicineRequest(WireModel):
    """``POST obat/kunjungan``: a drug given in a visit."""

    medicine_id: int | str = Field(default=0, alias="kdObatSK")
    visit_number: str = Field(alias="noKunjungan")
    compounded: bool = Field(default=False, alias="racikan")
    compound_code: str | None = Field(default=None, alias="kdRacikan")
    dpho: bool = Field(default=True, alias="obatDPHO")
    drug_code: str = Field(alias="kdObat")
    signa1: float = Field(alias="signa1")
    signa2: float = Field(alias="signa2")
    quantity: float = Field(alias="jmlObat")
    requested_quantity: float = Field(default=0, alias="jmlPermintaan")
    non_dpho_name: str = Field(default="", alias="nmObatNonDPHO")


class MedicineResult(WireModel):
    """PCare's id of the drug line and the compound (racikan) code it gave, if any."""

    medicine_id: Code = Field(alias="kdObatSK")
    compound_code: Text = Field(default=None, alias="kdRacikan")


class VisitMedicine(WireModel):
    medicine_id: Code = Field(alias="kdObatSK")
    compound_code: Text = Field(default=None, alias="kdRacikan")
    drug: Annotated[Drug | None, Nested] = Field(default=None, alias="obat")
    signa1: OptDecimal = Field(default=None, alias="signa1")
    signa2: OptDecimal = Field(default=None, alias="signa2")
    quantity: OptDecimal = Field(default=None, alias="jmlObat")
    days: OptInt = Field(default=None, alias="jmlHari")
    strength: OptDecimal = Field(default=None, alias="kekuatan")
    requested_quantity: OptDecimal = Field(default=None, alias="jmlPermintaan")
    compound_quantity: OptDecimal = Field(default=None, alias="jmlObatRacikan")


# --- tindakan --------------------------------------------------------------------------------


class ProcedureRequest(WireModel):
    """``POST``/``PUT tindakan``: a procedure in a visit (the client sets ``procedure_id``)."""

    procedure_id: int | str = Field(default=0, alias="kdTindakanSK")
    visit_number: str = Field(alias="noKunjungan")
    procedure_code: str = Field(alias="kdTindakan")
    fee: int = Field(default=0, alias="biaya")
    note: str = Field(default="", alias="keterangan")
    result: int = Field(default=0, alias="hasil")


class ProcedureResult(WireModel):
    """PCare's id of the procedure line."""

    procedure_id: Code = Field(alias="kdTindakanSK")


class VisitProcedure(WireModel):
    procedure_id: Code = Field(alias="kdTindakanSK")
    procedure_code: Text = Field(default=None, alias="kdTindakan")
    name: Text = Field(default=None, alias="nmTindakan")
    fee: OptDecimal = Field(default=None, alias="biaya")
    note: Text = Field(default=None, alias="keterangan")
    result: OptDecimal = Field(default=None, alias="hasil")


# --- MCU -------------------------------------------------------------------------------------


class CheckupRecord(WireModel):
    """A medical check-up (MCU): the request body and, read back, the record.

    ``checkup_id`` is 0 to add. Laboratory values are numbers; findings are free text.
    """

    checkup_id: int | str = Field(default=0, alias="kdMCU")
    visit_number: Code = Field(alias="noKunjungan")
    provider_code: Text = Field(default=None, alias="kdProvider")
    service_date: OptDmyDate = Field(default=None, alias="tglPelayanan")
    systolic: OptInt = Field(default=None, alias="tekananDarahSistole")
    diastolic: OptInt = Field(default=None, alias="tekananDarahDiastole")
    radiology: Text = Field(default=None, alias="radiologiFoto")
    hemoglobin: OptDecimal = Field(default=None, alias="darahRutinHemo")
    leukocytes: OptDecimal = Field(default=None, alias="darahRutinLeu")
    erythrocytes: OptDecimal = Field(default=None, alias="darahRutinErit")
    sedimentation_rate: OptDecimal = Field(default=None, alias="darahRutinLaju")
    hematocrit: OptDecimal = Field(default=None, alias="darahRutinHema")
    platelets: OptDecimal = Field(default=None, alias="darahRutinTrom")
    hdl: OptDecimal = Field(default=None, alias="lemakDarahHDL")
    ldl: OptDecimal = Field(default=None, alias="lemakDarahLDL")
    cholesterol: OptDecimal = Field(default=None, alias="lemakDarahChol")
    triglycerides: OptDecimal = Field(default=None, alias="lemakDarahTrigli")
    random_glucose: OptDecimal = Field(default=None, alias="gulaDarahSewaktu")
    fasting_glucose: OptDecimal = Field(default=None, alias="gulaDarahPuasa")
    postprandial_glucose: OptDecimal = Field(default=None, alias="gulaDarahPostPrandial")
    hba1c: OptDecimal = Field(default=None, alias="gulaDarahHbA1c")
    sgot: OptDecimal = Field(default=None, alias="fungsiHatiSGOT")
    sgpt: OptDecimal = Field(default=None, alias="fungsiHatiSGPT")
    gamma_gt: OptDecimal = Field(default=None, alias="fungsiHatiGamma")
    protein: OptDecimal = Field(default=None, alias="fungsiHatiProtKual")
    albumin: OptDecimal = Field(default=None, alias="fungsiHatiAlbumin")
    creatinine: OptDecimal = Field(default=None, alias="fungsiGinjalCrea")
    urea: OptDecimal = Field(default=None, alias="fungsiGinjalUreum")
    uric_acid: OptDecimal = Field(default=None, alias="fungsiGinjalAsam")
    ankle_brachial_index: OptDecimal = Field(default=None, alias="fungsiJantungABI")
    ekg: Text = Field(default=None, alias="fungsiJantungEKG")
    echo: Text = Field(default=None, alias="fungsiJantungEcho")
    funduscopy: Text = Field(default=None, alias="funduskopi")
    other_exam: Text = Field(default=None, alias="pemeriksaanLain")
    note: Text = Field(default=None, alias="keterangan")


class CheckupResult(WireModel):
    """PCare's id of the check-up."""

    checkup_id: Code = Field(alias="kdMCU")


# --- kelompok (Prolanis clubs) ---------------------------------------------------------------


class ProlanisGroup(StrEnum):
    DIABETES = "01"
    HYPERTENSION = "02"
    ASTHMA = "03"


class ClubActivityKind(StrEnum):
    EXERCISE = "01"
    EDUCATION = "10"
    EDUCATION_AND_EXERCISE = "11"


class Club(WireModel):
    """A Prolanis club (``kelompok/club/{kdProgram}``)."""

    club_id: Code = Field(alias="clubId")
    program_code: Text = Field(default=None, alias="kdProgram")
    program_name: Text = Field(default=None, alias="nmProgram")
    start_date: OptDmyDate = Field(default=None, alias="tglMulai")
    end_date: OptDmyDate = Field(default=None, alias="tglAkhir")
    address: Text = Field(default=None, alias="alamat")
    name: Text = Field(default=None, alias="nama")
    leader_name: Text = Field(default=None, alias="ketua_nama")
    leader_phone: Text = Field(default=None, alias="ketua_noHP")


class ClubActivityRequest(WireModel):
    """``POST kelompok/kegiatan``: a group activity (education, exercise)."""

    activity_id: str | None = Field(default=None, alias="eduId")
    club_id: str = Field(alias="clubId")
    service_date: DmyDate = Field(alias="tglPelayanan")
    activity_kind: ClubActivityKind = Field(alias="kdKegiatan")
    group: ProlanisGroup = Field(alias="kdKelompok")
    topic: str = Field(default="", alias="materi")
    speaker: str = Field(default="", alias="pembicara")
    location: str = Field(default="", alias="lokasi")
    note: str = Field(default="", alias="keterangan")
    fee: int = Field(default=0, alias="biaya")


class ClubActivityResult(WireModel):
    """PCare's id of the activity."""

    activity_id: Code = Field(alias="eduId")


class ActivityKindRef(WireModel):
    code: Text = Field(
        default=None,
        validation_alias=AliasChoices("kdKegiatan", "kode", "code"),
        serialization_alias="kdKegiatan",
    )
    name: Text = Field(
        default=None,
        validation_alias=AliasChoices("nmKegiatan", "nama", "name"),
        serialization_alias="nmKegiatan",
    )


class GroupRef(WireModel):
    code: Text = Field(
        default=None,
        validation_alias=AliasChoices("kdKelompok", "kode", "code"),
        serialization_alias="kdKelompok",
    )
    name: Text = Field(
        default=None,
        validation_alias=AliasChoices("nmKelompok", "nama", "name"),
        serialization_alias="nmKelompok",
    )


class ClubActivity(WireModel):
    """A group activity read back (``kelompok/kegiatan/{date}``)."""

    activity_id: Code = Field(alias="eduId")
    club: Annotated[Club | None, Nested] = Field(default=None, alias="clubProl")
    service_date: OptDmyDate = Field(default=None, alias="tglPelayanan")
    activity_kind: Annotated[ActivityKindRef | None, Nested] = Field(default=None, alias="kegiatan")
    group: Annotated[GroupRef | None, Nested] = Field(default=None, alias="kelompok")
    topic: Text = Field(default=None, alias="materi")
    speaker: Text = Field(default=None, alias="pembicara")
    location: Text = Field(default=None, alias="lokasi")
    note: Text = Field(default=None, alias="keterangan")
    fee: OptDecimal = Field(default=None, alias="biaya")


class ClubParticipantRequest(WireModel):
    """``POST kelompok/peserta``: a participant attending an activity."""

    activity_id: str = Field(alias="eduId")
    card_number: str = Field(alias="noKartu")


class ClubParticipant(WireModel):
    """A participant of an activity (``kelompok/peserta/{eduId}``)."""

    participant: Annotated[Participant | None, Nested] = Field(default=None, alias="peserta")


__all__ = [
    "Allergy",
    "AllergyKind",
    "CareSetting",
    "CareSettingRef",
    "CheckupRecord",
    "CheckupResult",
    "Club",
    "ClubActivity",
    "ClubActivityKind",
    "ClubActivityRequest",
    "ClubActivityResult",
    "ClubParticipant",
    "ClubParticipantRequest",
    "CodeName",
    "Consciousness",
    "Diagnosis",
    "DischargeCode",
    "DischargeStatus",
    "Doctor",
    "Drug",
    "FacilityType",
    "Insurance",
    "MedicineRequest",
    "MedicineResult",
    "OnwardReferral",
    "Participant",
    "Poli",
    "ProcedureRef",
    "ProcedureRequest",
    "ProcedureResult",
    "Prognosis",
    "ProlanisGroup",
    "Provider",
    "ProviderRef",
    "ReferralHospital",
    "ReferralLetter",
    "Registration",
    "RegistrationRequest",
    "RegistrationResult",
    "SpecialCategory",
    "SpecialReferral",
    "SpecialistReferral",
    "Specialty",
    "Subspecialty",
    "Visit",
    "VisitMedicine",
    "VisitProcedure",
    "VisitRequest",
    "VisitResult",
]
