"""VClaim request and response models: peserta, rujukan, SEP 2.0 (PROTOCOL.md §7, §7.1).

Dates are ``yyyy-mm-dd`` on the wire. Codes are strings. "0"/"1" flags are booleans here.
Most SEP response values are display strings ("R.Jalan", "Kelas 3") and stay text.
"""

from __future__ import annotations

from typing import Annotated, Any

from pydantic import BeforeValidator, Field, PlainSerializer

from bridging.pcare.base import Code, IsoDate, Nested, OptIsoDate, Text, WireModel


def _flag_in(value: Any) -> Any:
    if isinstance(value, str) and value.strip() in {"0", "1"}:
        return value.strip() == "1"
    return value


def _flag_out(value: bool) -> str:
    return "1" if value else "0"


# A "0"/"1" flag: bool in the model, the string on the wire.
Flag = Annotated[bool, BeforeValidator(_flag_in), PlainSerializer(_flag_out, return_type=str)]


# --- peserta ---------------------------------------------------------------------------------


class CodeDescription(WireModel):
    code: Text = Field(default=None, alias="kode")
    description: Text = Field(default=None, alias="keterangan")


class ProviderRef(WireModel):
    code: Text = Field(default=None, alias="kdProvider")
    name: Text = Field(default=None, alias="nmProvider")


class CoordinationOfBenefits(WireModel):
    insurer_name: Text = Field(default=None, alias="nmAsuransi")
    insurer_number: Text = Field(default=None, alias="noAsuransi")
    end_date: OptIsoDate = Field(default=None, alias="tglTAT")
    start_date: OptIsoDate = Field(default=None, alias="tglTMT")


class ParticipantInfo(WireModel):
    social_service: Text = Field(default=None, alias="dinsos")
    poverty_letter_number: Text = Field(default=None, alias="noSKTM")
    prolanis_prb: Text = Field(default=None, alias="prolanisPRB")
    electronic_sep: Text = Field(default=None, alias="eSEP")


class MedicalRecordRef(WireModel):
    medical_record_number: Text = Field(default=None, alias="noMR")
    phone: Text = Field(default=None, alias="noTelepon")


class Age(WireModel):
    at_service: Text = Field(default=None, alias="umurSaatPelayanan")
    now: Text = Field(default=None, alias="umurSekarang")


class Participant(WireModel):
    """A participant as VClaim knows them (``response.peserta``)."""

    card_number: Code = Field(alias="noKartu")
    nik: Text = Field(default=None, alias="nik")
    name: Text = Field(default=None, alias="nama")
    sex: Text = Field(default=None, alias="sex")
    birth_date: OptIsoDate = Field(default=None, alias="tglLahir")
    pisa: Text = Field(default=None, alias="pisa")
    class_entitlement: Annotated[CodeDescription | None, Nested] = Field(
        default=None, alias="hakKelas"
    )
    membership_type: Annotated[CodeDescription | None, Nested] = Field(
        default=None, alias="jenisPeserta"
    )
    status: Annotated[CodeDescription | None, Nested] = Field(default=None, alias="statusPeserta")
    primary_provider: Annotated[ProviderRef | None, Nested] = Field(default=None, alias="provUmum")
    cob: Annotated[CoordinationOfBenefits | None, Nested] = Field(default=None, alias="cob")
    info: Annotated[ParticipantInfo | None, Nested] = Field(default=None, alias="informasi")
    medical_record: Annotated[MedicalRecordRef | None, Nested] = Field(default=None, alias="mr")
    card_printed_on: OptIsoDate = Field(default=None, alias="tglCetakKartu")
    coverage_end: OptIsoDate = Field(default=None, alias="tglTAT")
    coverage_start: OptIsoDate = Field(default=None, alias="tglTMT")
    age: Annotated[Age | None, Nested] = Field(default=None, alias="umur")

    @property
    def active(self) -> bool:
        """Status code "0" is AKTIF."""
        return self.status is not None and self.status.code == "0"


class ParticipantEnvelope(WireModel):
    participant: Participant = Field(alias="peserta")


# --- rujukan ---------------------------------------------------------------------------------


class CodeNameRef(WireModel):
    code: Text = Field(default=None, alias="kode")
    name: Text = Field(default=None, alias="nama")


class Referral(WireModel):
    """A referral (``rujukan``) a hospital looks up; from an FKTP it is the PCare visit."""

    referral_number: Code = Field(alias="noKunjungan")
    visit_date: OptIsoDate = Field(default=None, alias="tglKunjungan")
    complaint: Text = Field(default=None, alias="keluhan")
    diagnosis: Annotated[CodeNameRef | None, Nested] = Field(default=None, alias="diagnosa")
    service: Annotated[CodeNameRef | None, Nested] = Field(default=None, alias="pelayanan")
    referred_poli: Annotated[CodeNameRef | None, Nested] = Field(default=None, alias="poliRujukan")
    referring_provider: Annotated[CodeNameRef | None, Nested] = Field(
        default=None, alias="provPerujuk"
    )
    participant: Annotated[Participant | None, Nested] = Field(default=None, alias="peserta")


class ReferralEnvelope(WireModel):
    referral: Referral = Field(alias="rujukan")


class ReferralListEnvelope(WireModel):
    referrals: list[Referral] = Field(default_factory=list, alias="rujukan")


# --- SEP 2.0 ---------------------------------------------------------------------------------


class SepCareClass(WireModel):
    entitled_class: str = Field(alias="klsRawatHak")
    upgraded_class: str = Field(default="", alias="klsRawatNaik")
    financing: str = Field(default="", alias="pembiayaan")
    responsible_party: str = Field(default="", alias="penanggungJawab")


class SepReferral(WireModel):
    """The referral an SEP rests on; ``origin`` "1" FKTP, "2" hospital."""

    origin: str = Field(default="1", alias="asalRujukan")
    referral_date: IsoDate = Field(alias="tglRujukan")
    referral_number: str = Field(alias="noRujukan")
    referring_provider_code: str = Field(alias="ppkRujukan")


class SepPoli(WireModel):
    destination: str = Field(alias="tujuan")
    executive: Flag = Field(default=False, alias="eksekutif")


class SepCob(WireModel):
    cob: Flag = Field(default=False, alias="cob")


class SepCataract(WireModel):
    cataract: Flag = Field(default=False, alias="katarak")


class AccidentLocation(WireModel):
    province_code: str = Field(default="", alias="kdPropinsi")
    regency_code: str = Field(default="", alias="kdKabupaten")
    district_code: str = Field(default="", alias="kdKecamatan")


class Supplement(WireModel):
    supplement: Flag = Field(default=False, alias="suplesi")
    supplement_sep_number: str = Field(default="", alias="noSepSuplesi")
    accident_location: AccidentLocation = Field(
        default_factory=AccidentLocation, alias="lokasiLaka"
    )


class Guarantor(WireModel):
    incident_date: str = Field(default="", alias="tglKejadian")
    note: str = Field(default="", alias="keterangan")
    supplement: Supplement = Field(default_factory=Supplement, alias="suplesi")


class SepGuarantee(WireModel):
    """``jaminan``: ``traffic_accident`` "0" none … "3" work accident."""

    traffic_accident: str = Field(default="0", alias="lakaLantas")
    police_report_number: str = Field(default="", alias="noLP")
    guarantor: Guarantor = Field(default_factory=Guarantor, alias="penjamin")


class SepUpdateGuarantee(WireModel):
    traffic_accident: str = Field(default="0", alias="lakaLantas")
    guarantor: Guarantor = Field(default_factory=Guarantor, alias="penjamin")


class ControlLetter(WireModel):
    """``skdp``: the surat kontrol needed from the second visit on."""

    letter_number: str = Field(default="", alias="noSurat")
    doctor_code: str = Field(default="", alias="kodeDPJP")


class SepInsert(WireModel):
    """``t_sep`` of ``SEP/2.0/insert``. ``service_type`` "1" inpatient, "2" outpatient."""

    card_number: str = Field(alias="noKartu")
    sep_date: IsoDate = Field(alias="tglSep")
    service_provider_code: str = Field(alias="ppkPelayanan")
    service_type: str = Field(default="2", alias="jnsPelayanan")
    care_class: SepCareClass = Field(alias="klsRawat")
    medical_record_number: str = Field(alias="noMR")
    referral: SepReferral = Field(alias="rujukan")
    note: str = Field(default="", alias="catatan")
    initial_diagnosis: str = Field(alias="diagAwal")
    poli: SepPoli = Field(alias="poli")
    cob: SepCob = Field(default_factory=SepCob, alias="cob")
    cataract: SepCataract = Field(default_factory=SepCataract, alias="katarak")
    guarantee: SepGuarantee = Field(default_factory=SepGuarantee, alias="jaminan")
    visit_purpose: str = Field(default="0", alias="tujuanKunj")
    procedure_flag: str = Field(default="", alias="flagProcedure")
    support_code: str = Field(default="", alias="kdPenunjang")
    service_assessment: str = Field(default="", alias="assesmentPel")
    control_letter: ControlLetter = Field(default_factory=ControlLetter, alias="skdp")
    attending_doctor_code: str = Field(default="", alias="dpjpLayan")
    phone: str = Field(alias="noTelp")
    user: str = Field(alias="user")

    def to_wire(self) -> dict[str, Any]:
        return {"request": {"t_sep": super().to_wire()}}


class SepUpdate(WireModel):
    """``t_sep`` of ``SEP/2.0/update``: what may change on an issued SEP."""

    sep_number: str = Field(alias="noSep")
    care_class: SepCareClass = Field(alias="klsRawat")
    medical_record_number: str = Field(alias="noMR")
    note: str = Field(default="", alias="catatan")
    initial_diagnosis: str = Field(alias="diagAwal")
    poli: SepPoli = Field(alias="poli")
    cob: SepCob = Field(default_factory=SepCob, alias="cob")
    cataract: SepCataract = Field(default_factory=SepCataract, alias="katarak")
    guarantee: SepUpdateGuarantee = Field(default_factory=SepUpdateGuarantee, alias="jaminan")
    attending_doctor_code: str = Field(default="", alias="dpjpLayan")
    phone: str = Field(alias="noTelp")
    user: str = Field(alias="user")

    def to_wire(self) -> dict[str, Any]:
        return {"request": {"t_sep": super().to_wire()}}


class SepDelete(WireModel):
    sep_number: str = Field(alias="noSep")
    user: str = Field(alias="user")

    def to_wire(self) -> dict[str, Any]:
        return {"request": {"t_sep": super().to_wire()}}


class SepParticipant(WireModel):
    card_number: Text = Field(default=None, alias="noKartu")
    name: Text = Field(default=None, alias="nama")
    birth_date: OptIsoDate = Field(default=None, alias="tglLahir")
    sex: Text = Field(default=None, alias="kelamin")
    class_entitlement: Text = Field(default=None, alias="hakKelas")
    membership_type: Text = Field(default=None, alias="jnsPeserta")
    insurance: Text = Field(default=None, alias="asuransi")
    medical_record_number: Text = Field(default=None, alias="noMr")


class Sep(WireModel):
    """An issued SEP as ``SEP/2.0/insert`` answers it (display strings mostly)."""

    sep_number: Code = Field(alias="noSep")
    sep_date: OptIsoDate = Field(default=None, alias="tglSep")
    service_type: Text = Field(default=None, alias="jnsPelayanan")
    care_class: Text = Field(default=None, alias="kelasRawat")
    poli: Text = Field(default=None, alias="poli")
    poli_code: Text = Field(default=None, alias="kdPoli")
    executive_poli: Text = Field(default=None, alias="poliEksekutif")
    diagnosis: Text = Field(default=None, alias="diagnosa")
    referral_number: Text = Field(default=None, alias="noRujukan")
    note: Text = Field(default=None, alias="catatan")
    guarantor: Text = Field(default=None, alias="penjamin")
    visit_purpose: Text = Field(default=None, alias="tujuanKunj")
    procedure_flag: Text = Field(default=None, alias="flagProcedure")
    support_code: Text = Field(default=None, alias="kdPenunjang")
    service_assessment: Text = Field(default=None, alias="assestmenPel")
    info: Annotated[ParticipantInfo | None, Nested] = Field(default=None, alias="informasi")
    participant: Annotated[SepParticipant | None, Nested] = Field(default=None, alias="peserta")


class SepEnvelope(WireModel):
    sep: Sep = Field(alias="sep")


class SepNumberAnswer(WireModel):
    """An answer that is an object naming the SEP rather than the bare noSep string."""

    sep_number: Code = Field(alias="noSep")


class SepResult(WireModel):
    """The SEP number of an insert, update or delete; the full SEP for an insert."""

    sep_number: str
    sep: Sep | None = None


__all__ = [
    "AccidentLocation",
    "Age",
    "CodeDescription",
    "CodeNameRef",
    "ControlLetter",
    "CoordinationOfBenefits",
    "Guarantor",
    "MedicalRecordRef",
    "Participant",
    "ParticipantInfo",
    "ProviderRef",
    "Referral",
    "Sep",
    "SepCareClass",
    "SepCataract",
    "SepCob",
    "SepDelete",
    "SepGuarantee",
    "SepInsert",
    "SepNumberAnswer",
    "SepParticipant",
    "SepPoli",
    "SepReferral",
    "SepResult",
    "SepUpdate",
    "SepUpdateGuarantee",
    "Supplement",
]
