"""PcareClient over real HTTP against the sandbox: every method, the full visit flow."""

from __future__ import annotations

import re
from datetime import date, timedelta
from decimal import Decimal

import pytest

from bridging.pcare import PcareClient
from bridging.pcare.schemas import (
    AllergyKind,
    CareSetting,
    CheckupRecord,
    ClubActivityKind,
    ClubActivityRequest,
    MedicineRequest,
    OnwardReferral,
    ProcedureRequest,
    ProlanisGroup,
    RegistrationRequest,
    SpecialistReferral,
    VisitRequest,
)
from bridging.transport.errors import FieldError, Rejected

VISIT_NUMBER = re.compile(r"^0999K001\d{4}Y\d{6}$")


def registration(card: str, day: date, poli: str = "001", sick: bool = True) -> RegistrationRequest:
    return RegistrationRequest(
        participant_provider_code="0999K001",
        registration_date=day,
        card_number=card,
        poli_code=poli,
        complaint="demam dua hari",
        sick_visit=sick,
        systolic=120,
        diastolic=80,
        weight_kg=60,
        height_cm=165,
    )


def visit(card: str, day: date, **changes: object) -> VisitRequest:
    fields: dict[str, object] = {
        "card_number": card,
        "registration_date": day,
        "poli_code": "001",
        "complaint": "demam dua hari",
        "discharge_status_code": "3",
        "discharge_date": day,
        "doctor_code": "131491",
        "diagnosis1_code": "A09",
        "temperature": Decimal("37.2"),
    }
    fields.update(changes)
    return VisitRequest(**fields)


def referral_visit(card: str, day: date) -> VisitRequest:
    return visit(
        card,
        day,
        discharge_status_code="4",
        diagnosis1_code="I20.9",
        referral=OnwardReferral(
            provider_code="0999R001",
            planned_date=day + timedelta(days=2),
            specialist=SpecialistReferral(subspecialty_code="11", facility_type_code="1"),
        ),
    )


def test_full_pcare_flow_from_peserta_to_deletes(pcare: PcareClient, today: date, sandbox_state):
    card = "0001000000001"

    participant = pcare.get_participant(card)
    assert participant is not None
    assert participant.name == "BUDI SANTOSO"
    assert participant.birth_date == date(1985, 7, 5)
    assert participant.registered_provider is not None
    assert participant.registered_provider.code == "0999K001"
    assert participant.active is True

    queue = pcare.add_registration(registration(card, today)).queue_number
    assert queue == "A1"

    fetched = pcare.get_registration(queue, today)
    assert fetched is not None
    assert fetched.participant is not None and fetched.participant.card_number == card
    assert fetched.poli is not None and fetched.poli.code == "001"
    assert fetched.registration_date == today
    assert fetched.status == "Baru"

    listed = pcare.list_registrations(today)
    assert listed.count == 1
    assert [r.queue_number for r in listed.items] == [queue]

    visit_number = pcare.add_visit(visit(card, today)).visit_number
    assert VISIT_NUMBER.match(visit_number)

    medicine = pcare.add_medicine(
        MedicineRequest(
            visit_number=visit_number, drug_code="110100020", signa1=3, signa2=1, quantity=10
        )
    )
    assert medicine.medicine_id.isdigit()
    assert medicine.compound_code is None
    medicines = pcare.list_visit_medicines(visit_number)
    assert [(m.medicine_id, m.drug.code if m.drug else None) for m in medicines.items] == [
        (medicine.medicine_id, "110100020")
    ]

    procedure = pcare.add_procedure(
        ProcedureRequest(visit_number=visit_number, procedure_code="01001", fee=15000, result=110)
    )
    edited = pcare.edit_procedure(
        procedure.procedure_id,
        ProcedureRequest(
            visit_number=visit_number,
            procedure_code="01001",
            fee=15000,
            result=125,
        ),
    )
    assert edited.procedure_id == procedure.procedure_id
    procedures = pcare.list_visit_procedures(visit_number).items
    assert [(p.procedure_id, p.result) for p in procedures] == [
        (procedure.procedure_id, Decimal(125))
    ]

    checkup = pcare.add_checkup(
        CheckupRecord(
            visit_number=visit_number,
            provider_code="0999K001",
            service_date=today,
            systolic=120,
            diastolic=80,
            fasting_glucose=Decimal("110.5"),
        )
    )
    again = pcare.edit_checkup(
        checkup.checkup_id,
        CheckupRecord(
            visit_number=visit_number,
            provider_code="0999K001",
            service_date=today,
            fasting_glucose=Decimal(98),
        ),
    )
    assert again.checkup_id == checkup.checkup_id
    checkups = pcare.list_checkups(visit_number).items
    assert [(str(c.checkup_id), c.fasting_glucose) for c in checkups] == [
        (checkup.checkup_id, Decimal(98))
    ]

    # A second patient is referred to the demo hospital.
    referred_card = "0001000000005"
    pcare.add_registration(registration(referred_card, today))
    referral_number = pcare.add_visit(referral_visit(referred_card, today)).visit_number
    second_page = pcare.find_registration(referred_card, today, "001", page_size=1)
    assert second_page is not None and second_page.queue_number == "A2"
    letter = pcare.get_visit_referral(referral_number)
    assert letter is not None
    assert letter.referral_number == referral_number
    assert letter.provider is not None and letter.provider.code == "0999R001"
    assert letter.card_number == referred_card
    assert letter.planned_date == today + timedelta(days=2)
    assert letter.diagnosis1 is not None and letter.diagnosis1.code == "I20.9"

    edited_visit = pcare.edit_visit(visit_number, visit(card, today, complaint="demam tiga hari"))
    assert edited_visit.visit_number == visit_number

    found = pcare.find_visit(card, today, "001")
    assert found is not None and found.visit_number == visit_number
    assert pcare.find_visit(card, today, "002") is None

    history = pcare.list_participant_visits(card)
    assert history.count == 1
    (only,) = history.items
    assert only.visit_number == visit_number
    assert only.complaint == "demam tiga hari"
    assert only.visit_date == today
    assert only.diagnosis1 is not None and only.diagnosis1.non_specialist is True
    assert only.temperature == Decimal("37.2")

    pcare.delete_medicine(medicine.medicine_id, visit_number)
    pcare.delete_procedure(procedure.procedure_id, visit_number)
    pcare.delete_checkup(checkup.checkup_id, visit_number)
    assert pcare.list_visit_medicines(visit_number).items == []
    assert pcare.list_visit_procedures(visit_number).items == []
    assert pcare.list_checkups(visit_number).items == []
    pcare.delete_visit(visit_number)
    assert pcare.list_participant_visits(card).items == []
    pcare.delete_registration(card, today, queue, "001")
    assert pcare.get_registration(queue, today) is None

    state = sandbox_state("pendaftaran", tglDaftar=today.strftime("%d-%m-%Y"))
    assert len(state) == 2  # nothing sent twice: one registration per patient


def test_unknown_card_and_nik_return_none(pcare: PcareClient):
    assert pcare.get_participant("0001999999999") is None
    assert pcare.get_participant_by_nik("3273019999999999") is None


def test_participant_by_nik_finds_the_card(pcare: PcareClient):
    participant = pcare.get_participant_by_nik("3273016506930007")

    assert participant is not None
    assert participant.card_number == "0001000000007"
    assert participant.insurance is not None
    assert participant.insurance.name == "ASURANSI SEHAT SEJAHTERA (DEMO)"
    assert participant.insurance.cob is True


def test_visit_referral_of_a_visit_without_referral_is_none(pcare: PcareClient, today: date):
    pcare.add_registration(registration("0001000000001", today))
    number = pcare.add_visit(visit("0001000000001", today)).visit_number

    assert pcare.get_visit_referral(number) is None


def test_visit_without_registration_is_rejected_with_field_error(pcare: PcareClient, today: date):
    with pytest.raises(Rejected) as caught:
        pcare.add_visit(visit("0001000000006", today))

    assert caught.value.field_errors == [
        FieldError("noKartu", "Belum melakukan pendaftaran pada poli tersebut.")
    ]
    assert caught.value.http_status == 412
    assert "Belum melakukan pendaftaran" in caught.value.message


def test_non_specialist_referral_needs_tacc(pcare: PcareClient, today: date):
    card = "0001000000006"
    pcare.add_registration(registration(card, today))
    non_specialist = referral_visit(card, today).model_copy(update={"diagnosis1_code": "A09"})

    with pytest.raises(Rejected) as caught:
        pcare.add_visit(non_specialist)
    assert [e.field for e in caught.value.field_errors] == ["kdTacc"]

    with_tacc = non_specialist.model_copy(update={"tacc_code": 1, "tacc_reason": "< 3 Hari"})
    assert VISIT_NUMBER.match(pcare.add_visit(with_tacc).visit_number)


def test_reference_lists(pcare: PcareClient, today: date):
    diagnoses = pcare.search_diagnoses("A09")
    assert diagnoses.items[0].code == "A09"
    assert diagnoses.items[0].non_specialist is True
    assert [(d.code, d.name) for d in pcare.list_doctors().items] == [
        ("131491", "dr. ANDI PRATAMA"),
        ("131492", "drg. SARI WULANDARI"),
    ]
    assert [c.code for c in pcare.list_consciousness_levels()] == ["01", "02", "03", "04"]
    polis = pcare.list_polis()
    assert [(p.code, p.curative) for p in polis.items] == [
        ("001", True),
        ("002", True),
        ("003", False),
    ]
    assert [p.code for p in pcare.list_providers().items] == ["0999K001", "0999K002"]
    assert [s.code for s in pcare.list_discharge_statuses(inpatient=False)] == ["3", "4", "6"]
    assert [s.code for s in pcare.list_discharge_statuses(inpatient=True)] == ["1", "2"]
    assert pcare.list_allergies(AllergyKind.FOOD)[0].code == "00"
    assert [p.code for p in pcare.list_prognoses()] == ["01", "02", "03", "04", "05"]
    assert "JAN" in [s.code for s in pcare.list_specialties()]
    assert [(s.code, s.referral_poli_code) for s in pcare.list_subspecialties("ANA")] == [
        ("26", "ANA"),
        ("27", "ANA"),
    ]
    assert [f.code for f in pcare.list_facility_types()] == ["1", "2"]
    assert "HDL" in [c.code for c in pcare.list_special_categories()]
    (hospital,) = pcare.find_referral_hospitals("11", "1", today + timedelta(days=1))
    assert hospital.provider_code == "0999R001"
    assert hospital.capacity == 120
    (special,) = pcare.find_special_referral_hospitals(
        "HDL", "0001000000001", today + timedelta(days=1)
    )
    assert special.provider_code == "0999R001"
    (thalassaemia,) = pcare.find_special_referral_hospitals(
        "THA", "0001000000001", today + timedelta(days=1), subspecialty_code="26"
    )
    assert thalassaemia.provider_code == "0999R001"
    drugs = pcare.search_drugs("parasetamol")
    assert [d.code for d in drugs.items] == ["110100020", "110100021"]
    promotive = pcare.list_procedure_refs(CareSetting.PROMOTIVE)
    assert [p.code for p in promotive.items] == ["05001", "05002"]


def test_prolanis_club_activity_and_participants(pcare: PcareClient, today: date):
    clubs = pcare.list_clubs(ProlanisGroup.HYPERTENSION)
    assert [c.club_id for c in clubs] == ["2002"]

    activity_id = pcare.add_club_activity(
        ClubActivityRequest(
            club_id=clubs[0].club_id,
            service_date=today,
            activity_kind=ClubActivityKind.EXERCISE,
            group=ProlanisGroup.HYPERTENSION,
            topic="Senam jantung sehat",
            speaker="dr. ANDI PRATAMA",
            location="Halaman klinik",
        )
    ).activity_id
    pcare.add_club_participant(activity_id, "0001000000005")

    (activity,) = pcare.list_club_activities(today)
    assert activity.activity_id == activity_id
    assert activity.club is not None and activity.club.club_id == "2002"
    assert activity.activity_kind is not None and activity.activity_kind.code == "01"
    assert activity.service_date == today
    participants = pcare.list_club_participants(activity_id)
    assert [p.participant.card_number for p in participants if p.participant] == ["0001000000005"]

    pcare.delete_club_participant(activity_id, "0001000000005")
    assert pcare.list_club_participants(activity_id) == []
    pcare.delete_club_activity(activity_id)
    assert pcare.list_club_activities(today) == []


def test_visit_answer_as_one_object_is_read_too(pcare: PcareClient, today: date, sandbox_control):
    sandbox_control("PATCH", "settings", {"kunjungan_response_shape": "object"})
    pcare.add_registration(registration("0001000000001", today))

    number = pcare.add_visit(visit("0001000000001", today)).visit_number

    assert VISIT_NUMBER.match(number)
    assert pcare.edit_visit(number, visit("0001000000001", today)).visit_number == number
