"""PCare: participant look-ups, pendaftaran, kunjungan with and without referral, obat,
tindakan and the referral look-ups (PROTOCOL.md §4)."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from bridging.pcare.schemas import (
    CareSetting,
    DischargeCode,
    MedicineRequest,
    OnwardReferral,
    ProcedureRequest,
    RegistrationRequest,
    SpecialistReferral,
    VisitRequest,
)
from bridging.transport.errors import Rejected
from bridging.uat.context import UatContext
from bridging.uat.scenarios.base import StepFailed, check, refusal_text, step

G = "pcare"
UNKNOWN_CARD = "0001999999999"


def _registration(ctx: UatContext, card_key: str) -> RegistrationRequest:
    card = ctx.state[card_key]
    participant = ctx.pcare.get_participant(card)
    check(participant is not None, "Peserta uji tidak ditemukan di PCare.")
    assert participant is not None
    provider = participant.registered_provider
    return RegistrationRequest(
        participant_provider_code=provider.code if provider and provider.code else "",
        registration_date=ctx.today,
        card_number=card,
        poli_code=ctx.options.poli_code,
        sick_visit=True,
        complaint="UAT: demam",
        systolic=120,
        diastolic=80,
        weight_kg=60,
        height_cm=165,
        respiratory_rate=20,
        heart_rate=80,
    )


def _visit(
    ctx: UatContext, card_key: str, *, referral: OnwardReferral | None = None
) -> VisitRequest:
    return VisitRequest(
        card_number=ctx.state[card_key],
        registration_date=ctx.today,
        poli_code=ctx.options.poli_code,
        complaint="UAT: demam",
        discharge_status_code=(
            DischargeCode.VERTICAL_REFERRAL if referral else DischargeCode.OUTPATIENT_CARE
        ),
        discharge_date=ctx.today,
        doctor_code=ctx.options.doctor_code,
        diagnosis1_code=(
            ctx.options.referral_diagnosis_code if referral else ctx.options.diagnosis_code
        ),
        referral=referral,
        anamnesis="UAT",
        systolic=120,
        diastolic=80,
        weight_kg=60,
        height_cm=165,
        respiratory_rate=20,
        heart_rate=80,
    )


# ---- peserta ----------------------------------------------------------------------------------
@step(
    G,
    "peserta_by_card",
    title=_("Participant by card number"),
    expect=_("PCare returns the test participant for the card number, active."),
)
def peserta_by_card(ctx: UatContext) -> str:
    participant = ctx.pcare.get_participant(ctx.options.card_number)
    check(participant is not None, "PCare menjawab tidak ada data untuk kartu uji.")
    assert participant is not None
    check(participant.card_number == ctx.options.card_number, "Nomor kartu jawaban berbeda.")
    check(participant.active, f"Peserta tidak aktif: {participant.status_text}.")
    if participant.nik and not ctx.options.nik:
        ctx.options.nik = participant.nik
    return "Peserta ditemukan dan aktif."


@step(
    G,
    "peserta_by_nik",
    title=_("Participant by NIK"),
    expect=_("PCare returns the same participant for the NIK."),
)
def peserta_by_nik(ctx: UatContext) -> str:
    nik = ctx.options.nik
    check(nik, "NIK peserta uji tidak diketahui.")
    participant = ctx.pcare.get_participant_by_nik(nik)
    check(participant is not None, "PCare menjawab tidak ada data untuk NIK uji.")
    assert participant is not None
    check(
        participant.card_number == ctx.options.card_number,
        "Nomor kartu peserta dari NIK berbeda dengan kartu uji.",
    )
    return "Peserta ditemukan dengan NIK, nomor kartu sama."


@step(
    G,
    "peserta_unknown",
    title=_("Unknown card number"),
    expect=_("An unknown card gets PCare's “no data” answer (code 204), not an error."),
)
def peserta_unknown(ctx: UatContext) -> str:
    participant = ctx.pcare.get_participant(UNKNOWN_CARD)
    check(participant is None, "PCare mengembalikan peserta untuk kartu yang tidak dikenal.")
    return "Tidak ada data (204), seperti diharapkan."


@step(
    G,
    "referensi",
    title=_("Reference data: polis, doctors, consciousness, diagnoses"),
    expect=_(
        "The clinic's polis and doctors, the consciousness levels and an ICD-10 search "
        "are returned."
    ),
)
def referensi(ctx: UatContext) -> str:
    polis = ctx.pcare.list_polis()
    check(
        any(p.code == ctx.options.poli_code for p in polis.items),
        f"Poli {ctx.options.poli_code} tidak ada di daftar poli PCare.",
    )
    doctors = ctx.pcare.list_doctors()
    check(
        any(d.code == ctx.options.doctor_code for d in doctors.items),
        f"Dokter {ctx.options.doctor_code} tidak ada di daftar dokter PCare.",
    )
    check(ctx.pcare.list_consciousness_levels(), "Daftar kesadaran kosong.")
    diagnoses = ctx.pcare.search_diagnoses(ctx.options.diagnosis_code)
    check(diagnoses.items, f"Diagnosa {ctx.options.diagnosis_code} tidak ditemukan.")
    return (
        f"{len(polis.items)} poli, {len(doctors.items)} dokter, "
        f"{len(diagnoses.items)} diagnosa untuk {ctx.options.diagnosis_code}."
    )


# ---- pendaftaran ----------------------------------------------------------------------------
@step(
    G,
    "pendaftaran_add",
    title=_("Pendaftaran: add"),
    expect=_("PCare accepts the registration (code 201) and gives a queue number (noUrut)."),
    writes=True,
)
def pendaftaran_add(ctx: UatContext) -> str:
    result = ctx.pcare.add_registration(_registration(ctx, "pcare_card"))
    check(result.queue_number, "PCare tidak memberi noUrut.")
    ctx.state["reg_no"] = result.queue_number
    return f"noUrut {result.queue_number}."


@step(
    G,
    "pendaftaran_get",
    title=_("Pendaftaran: read back"),
    expect=_("The registration is read back by its queue number and date, same card and poli."),
)
def pendaftaran_get(ctx: UatContext) -> str:
    number = ctx.need("reg_no", "Pendaftaran: tambah")
    registration = ctx.pcare.get_registration(number, ctx.today)
    check(registration is not None, "Pendaftaran tidak ditemukan saat dibaca kembali.")
    assert registration is not None
    card = registration.participant.card_number if registration.participant else None
    poli = registration.poli.code if registration.poli else None
    check(card == ctx.state["pcare_card"], "Nomor kartu pendaftaran berbeda.")
    check(poli == ctx.options.poli_code, "Poli pendaftaran berbeda.")
    return f"noUrut {number} terbaca, kartu dan poli sesuai."


@step(
    G,
    "pendaftaran_duplicate",
    title=_("Pendaftaran: duplicate refused"),
    expect=_(
        "A second registration of the same card, poli and date is refused (412) with "
        "PCare's message."
    ),
    writes=True,
)
def pendaftaran_duplicate(ctx: UatContext) -> str:
    ctx.need("reg_no", "Pendaftaran: tambah")
    try:
        result = ctx.pcare.add_registration(_registration(ctx, "pcare_card"))
    except Rejected as exc:
        return refusal_text(exc)
    ctx.state["reg_no_duplicate"] = result.queue_number
    raise StepFailed(f"PCare menerima pendaftaran ganda (noUrut {result.queue_number}).")


@step(
    G,
    "pendaftaran_delete",
    title=_("Pendaftaran: delete"),
    expect=_("PCare deletes the registration; reading it back then gives no data."),
    writes=True,
)
def pendaftaran_delete(ctx: UatContext) -> str:
    number = ctx.need("reg_no", "Pendaftaran: tambah")
    card = ctx.state["pcare_card"]
    ctx.pcare.delete_registration(card, ctx.today, number, ctx.options.poli_code)
    check(
        ctx.pcare.get_registration(number, ctx.today) is None,
        "Pendaftaran masih terbaca setelah dihapus.",
    )
    return f"noUrut {number} terhapus."


# ---- kunjungan without referral, obat, tindakan --------------------------------------------
@step(
    G,
    "kunjungan_pendaftaran",
    title=_("Pendaftaran for a visit"),
    expect=_("A new registration for the visit is accepted (code 201)."),
    writes=True,
)
def kunjungan_pendaftaran(ctx: UatContext) -> str:
    result = ctx.pcare.add_registration(_registration(ctx, "pcare_card"))
    ctx.state["visit_reg_no"] = result.queue_number
    return f"noUrut {result.queue_number}."


@step(
    G,
    "kunjungan_add",
    title=_("Kunjungan: add (outpatient care, no referral)"),
    expect=_("PCare accepts the visit (code 201) and gives its visit number (noKunjungan)."),
    writes=True,
)
def kunjungan_add(ctx: UatContext) -> str:
    ctx.need("visit_reg_no", "Pendaftaran untuk kunjungan")
    result = ctx.pcare.add_visit(_visit(ctx, "pcare_card"))
    check(result.visit_number, "PCare tidak memberi noKunjungan.")
    ctx.state["visit_no"] = result.visit_number
    return f"noKunjungan {result.visit_number}."


@step(
    G,
    "kunjungan_edit",
    title=_("Kunjungan: edit"),
    expect=_("PCare accepts the edited visit (diagnosis and therapy changed)."),
    writes=True,
)
def kunjungan_edit(ctx: UatContext) -> str:
    number = ctx.need("visit_no", "Kunjungan: tambah")
    request = _visit(ctx, "pcare_card").model_copy(
        update={"diagnosis2_code": "R50.9", "non_drug_therapy": "Istirahat cukup"}
    )
    result = ctx.pcare.edit_visit(number, request)
    check(result.visit_number == number, "noKunjungan berubah setelah diedit.")
    return f"noKunjungan {number} diedit."


@step(
    G,
    "obat_dpho",
    title=_("Obat: DPHO formulary search"),
    expect=_("The test drug is found in the DPHO formulary."),
)
def obat_dpho(ctx: UatContext) -> str:
    page = ctx.pcare.search_drugs(ctx.options.drug_code)
    check(
        any(d.code == ctx.options.drug_code for d in page.items),
        f"Obat {ctx.options.drug_code} tidak ditemukan di DPHO.",
    )
    return f"{len(page.items)} obat ditemukan."


@step(
    G,
    "obat_add",
    title=_("Obat: add to the visit and list"),
    expect=_("PCare accepts the drug (kdObatSK given) and lists it under the visit."),
    writes=True,
)
def obat_add(ctx: UatContext) -> str:
    number = ctx.need("visit_no", "Kunjungan: tambah")
    result = ctx.pcare.add_medicine(
        MedicineRequest(
            visit_number=number,
            drug_code=ctx.options.drug_code,
            signa1=3,
            signa2=1,
            quantity=10,
            requested_quantity=10,
        )
    )
    ctx.state["medicine_id"] = result.medicine_id
    listed = ctx.pcare.list_visit_medicines(number)
    check(
        any(m.medicine_id == result.medicine_id for m in listed.items),
        "Obat tidak muncul di daftar obat kunjungan.",
    )
    return f"kdObatSK {result.medicine_id}, tercantum di kunjungan."


@step(
    G,
    "obat_delete",
    title=_("Obat: delete"),
    expect=_("PCare deletes the drug line; it is no longer listed."),
    writes=True,
)
def obat_delete(ctx: UatContext) -> str:
    number = ctx.need("visit_no", "Kunjungan: tambah")
    medicine_id = ctx.need("medicine_id", "Obat: tambah")
    ctx.pcare.delete_medicine(medicine_id, number)
    listed = ctx.pcare.list_visit_medicines(number)
    check(
        all(m.medicine_id != medicine_id for m in listed.items),
        "Obat masih tercantum setelah dihapus.",
    )
    return f"kdObatSK {medicine_id} terhapus."


@step(
    G,
    "tindakan_add",
    title=_("Tindakan: reference, add, edit and list"),
    expect=_(
        "The procedure is in PCare's outpatient list, is accepted (kdTindakanSK given), "
        "edited and listed under the visit."
    ),
    writes=True,
)
def tindakan_add(ctx: UatContext) -> str:
    number = ctx.need("visit_no", "Kunjungan: tambah")
    refs = ctx.pcare.list_procedure_refs(CareSetting.OUTPATIENT)
    check(
        any(r.code == ctx.options.procedure_code for r in refs.items),
        f"Tindakan {ctx.options.procedure_code} tidak ada di referensi.",
    )
    request = ProcedureRequest(
        visit_number=number, procedure_code=ctx.options.procedure_code, fee=15000, result=110
    )
    result = ctx.pcare.add_procedure(request)
    ctx.state["procedure_id"] = result.procedure_id
    ctx.pcare.edit_procedure(result.procedure_id, request.model_copy(update={"result": 120}))
    listed = ctx.pcare.list_visit_procedures(number)
    check(
        any(p.procedure_id == result.procedure_id for p in listed.items),
        "Tindakan tidak muncul di daftar tindakan kunjungan.",
    )
    return f"kdTindakanSK {result.procedure_id}, diedit dan tercantum."


@step(
    G,
    "tindakan_delete",
    title=_("Tindakan: delete"),
    expect=_("PCare deletes the procedure line; it is no longer listed."),
    writes=True,
)
def tindakan_delete(ctx: UatContext) -> str:
    number = ctx.need("visit_no", "Kunjungan: tambah")
    procedure_id = ctx.need("procedure_id", "Tindakan: tambah")
    ctx.pcare.delete_procedure(procedure_id, number)
    listed = ctx.pcare.list_visit_procedures(number)
    check(
        all(p.procedure_id != procedure_id for p in listed.items),
        "Tindakan masih tercantum setelah dihapus.",
    )
    return f"kdTindakanSK {procedure_id} terhapus."


@step(
    G,
    "pendaftaran_delete_refused",
    title=_("Pendaftaran with a visit cannot be deleted"),
    expect=_("Deleting a registration that has a visit is refused (412)."),
    writes=True,
)
def pendaftaran_delete_refused(ctx: UatContext) -> str:
    ctx.need("visit_no", "Kunjungan: tambah")
    number = ctx.need("visit_reg_no", "Pendaftaran untuk kunjungan")
    try:
        ctx.pcare.delete_registration(
            ctx.state["pcare_card"], ctx.today, number, ctx.options.poli_code
        )
    except Rejected as exc:
        return refusal_text(exc)
    ctx.state.pop("visit_reg_no", None)
    raise StepFailed("PCare menghapus pendaftaran yang sudah memiliki kunjungan.")


@step(
    G,
    "kunjungan_delete",
    title=_("Kunjungan: delete, then its pendaftaran"),
    expect=_("PCare deletes the visit, then its registration."),
    writes=True,
)
def kunjungan_delete(ctx: UatContext) -> str:
    number = ctx.need("visit_no", "Kunjungan: tambah")
    ctx.pcare.delete_visit(number)
    reg_no = ctx.need("visit_reg_no", "Pendaftaran untuk kunjungan")
    ctx.pcare.delete_registration(ctx.state["pcare_card"], ctx.today, reg_no, ctx.options.poli_code)
    return f"noKunjungan {number} dan noUrut {reg_no} terhapus."


# ---- rujukan ------------------------------------------------------------------------------
@step(
    G,
    "rujukan_referensi",
    title=_("Referral look-ups: specialties, subspecialties, hospitals"),
    expect=_(
        "Specialties, the subspecialty and at least one referral hospital for the "
        "planned date are returned."
    ),
)
def rujukan_referensi(ctx: UatContext) -> str:
    check(ctx.pcare.list_specialties(), "Daftar spesialis kosong.")
    specialty = "INT"
    subs = ctx.pcare.list_subspecialties(specialty)
    check(
        any(s.code == ctx.options.referral_subspecialty for s in subs),
        f"Subspesialis {ctx.options.referral_subspecialty} tidak ditemukan.",
    )
    check(ctx.pcare.list_facility_types(), "Daftar sarana kosong.")
    hospitals = ctx.pcare.find_referral_hospitals(
        ctx.options.referral_subspecialty, ctx.options.referral_facility_type, ctx.open_day
    )
    check(hospitals, "Tidak ada faskes rujukan untuk subspesialis dan tanggal itu.")
    ctx.state["referral_hospital"] = hospitals[0].provider_code
    return f"{len(hospitals)} faskes rujukan, dipilih {hospitals[0].provider_code}."


@step(
    G,
    "rujukan_kunjungan_add",
    title=_("Kunjungan with a referral: add"),
    expect=_(
        "After a registration, PCare accepts a visit with a vertical referral (status 4 "
        "with rujukLanjut) and gives its number."
    ),
    writes=True,
)
def rujukan_kunjungan_add(ctx: UatContext) -> str:
    hospital = ctx.need("referral_hospital", "Rujukan: referensi")
    reg = ctx.pcare.add_registration(_registration(ctx, "pcare_card_referral"))
    ctx.state["referral_reg_no"] = reg.queue_number
    referral = OnwardReferral(
        provider_code=hospital,
        planned_date=ctx.open_day,
        specialist=SpecialistReferral(
            subspecialty_code=ctx.options.referral_subspecialty,
            facility_type_code=ctx.options.referral_facility_type,
        ),
    )
    ctx.state["referral"] = referral
    result = ctx.pcare.add_visit(_visit(ctx, "pcare_card_referral", referral=referral))
    ctx.state["referral_visit_no"] = result.visit_number
    return f"noUrut {reg.queue_number}, noKunjungan (nomor rujukan) {result.visit_number}."


@step(
    G,
    "rujukan_surat",
    title=_("Referral letter"),
    expect=_(
        "The referral letter of the visit is returned, its number equal to the visit "
        "number and addressed to the chosen hospital."
    ),
)
def rujukan_surat(ctx: UatContext) -> str:
    number = ctx.need("referral_visit_no", "Kunjungan dengan rujukan: tambah")
    letter = ctx.pcare.get_visit_referral(number)
    check(letter is not None, "Surat rujukan tidak ditemukan.")
    assert letter is not None
    check(letter.referral_number == number, "Nomor rujukan berbeda dengan noKunjungan.")
    provider = letter.provider.code if letter.provider else None
    check(
        provider == ctx.state["referral_hospital"],
        "Faskes tujuan surat rujukan berbeda.",
    )
    return f"Surat rujukan {number} ke {provider}."


@step(
    G,
    "rujukan_kunjungan_edit",
    title=_("Kunjungan with a referral: edit"),
    expect=_("PCare accepts the edited referral visit."),
    writes=True,
)
def rujukan_kunjungan_edit(ctx: UatContext) -> str:
    number = ctx.need("referral_visit_no", "Kunjungan dengan rujukan: tambah")
    request = _visit(ctx, "pcare_card_referral", referral=ctx.state["referral"]).model_copy(
        update={"anamnesis": "UAT: diedit"}
    )
    result = ctx.pcare.edit_visit(number, request)
    check(result.visit_number == number, "noKunjungan berubah setelah diedit.")
    return f"noKunjungan {number} diedit."


@step(
    G,
    "rujukan_kunjungan_delete",
    title=_("Kunjungan with a referral: delete, then its pendaftaran"),
    expect=_("PCare deletes the referral visit, then its registration."),
    writes=True,
)
def rujukan_kunjungan_delete(ctx: UatContext) -> str:
    number = ctx.need("referral_visit_no", "Kunjungan dengan rujukan: tambah")
    ctx.pcare.delete_visit(number)
    reg_no = ctx.need("referral_reg_no", "Kunjungan dengan rujukan: tambah")
    ctx.pcare.delete_registration(
        ctx.state["pcare_card_referral"], ctx.today, reg_no, ctx.options.poli_code
    )
    return f"noKunjungan {number} dan noUrut {reg_no} terhapus."
