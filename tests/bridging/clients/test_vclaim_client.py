"""VclaimClient over real HTTP against the sandbox, on a referral made through PCare."""

from __future__ import annotations

import re
from datetime import date, timedelta

import pytest

from bridging.pcare import PcareClient
from bridging.pcare.schemas import (
    OnwardReferral,
    RegistrationRequest,
    SpecialistReferral,
    VisitRequest,
)
from bridging.transport.errors import Rejected
from bridging.vclaim import VclaimClient
from bridging.vclaim.schemas import (
    SepCareClass,
    SepInsert,
    SepPoli,
    SepReferral,
    SepUpdate,
)

SEP_NUMBER = re.compile(r"^0999R001\d{4}V\d{6}$")
CARD = "0001000000005"


def make_referral(pcare: PcareClient, day: date, card: str = CARD) -> str:
    pcare.add_registration(
        RegistrationRequest(
            participant_provider_code="0999K001",
            registration_date=day,
            card_number=card,
            poli_code="001",
            complaint="nyeri dada",
            sick_visit=True,
        )
    )
    return pcare.add_visit(
        VisitRequest(
            card_number=card,
            registration_date=day,
            poli_code="001",
            complaint="nyeri dada",
            discharge_status_code="4",
            discharge_date=day,
            doctor_code="131491",
            diagnosis1_code="I20.9",
            referral=OnwardReferral(
                provider_code="0999R001",
                planned_date=day + timedelta(days=1),
                specialist=SpecialistReferral(subspecialty_code="11", facility_type_code="1"),
            ),
        )
    ).visit_number


def sep_insert(referral_number: str, day: date, card: str = CARD) -> SepInsert:
    return SepInsert(
        card_number=card,
        sep_date=day,
        service_provider_code="0999R001",
        care_class=SepCareClass(entitled_class="1"),
        medical_record_number="RM001234",
        referral=SepReferral(
            referral_date=day,
            referral_number=referral_number,
            referring_provider_code="0999K001",
        ),
        initial_diagnosis="I20.9",
        poli=SepPoli(destination="JAN"),
        phone="081200000005",
        user="admisi1",
    )


def sep_update(sep_number: str) -> SepUpdate:
    return SepUpdate(
        sep_number=sep_number,
        care_class=SepCareClass(entitled_class="1"),
        medical_record_number="RM001234",
        note="kontrol ulang",
        initial_diagnosis="I20.9",
        poli=SepPoli(destination="JAN"),
        attending_doctor_code="12345",
        phone="081200000005",
        user="admisi1",
    )


def test_participant_by_card_and_nik(vclaim: VclaimClient, today: date):
    by_card = vclaim.get_participant(CARD, today)
    by_nik = vclaim.get_participant_by_nik("3273011704550005", today)

    assert by_card is not None
    assert by_card.name == "HARTONO"
    assert by_card.birth_date == date(1955, 4, 17)
    assert by_card.active is True
    assert by_card.primary_provider is not None
    assert by_card.primary_provider.code == "0999K001"
    assert by_nik is not None and by_nik.card_number == CARD


def test_unknown_participant_is_none(vclaim: VclaimClient, today: date):
    assert vclaim.get_participant("0001999999999", today) is None
    assert vclaim.get_participant_by_nik("3273019999999999", today) is None


def test_referral_made_in_pcare_is_found_by_number_and_card(
    vclaim: VclaimClient, pcare: PcareClient, today: date
):
    number = make_referral(pcare, today)

    by_number = vclaim.get_referral(number)
    by_card = vclaim.get_referral_by_card(CARD)
    listed = vclaim.list_referrals_by_card(CARD)

    assert by_number is not None
    assert by_number.referral_number == number
    assert by_number.visit_date == today
    assert by_number.diagnosis is not None and by_number.diagnosis.code == "I20.9"
    assert by_number.referred_poli is not None and by_number.referred_poli.code == "JAN"
    assert by_number.referring_provider is not None
    assert by_number.referring_provider.code == "0999K001"
    assert by_number.participant is not None and by_number.participant.card_number == CARD
    assert by_card is not None and by_card.referral_number == number
    assert [r.referral_number for r in listed] == [number]


def test_missing_referrals_are_none(vclaim: VclaimClient):
    assert vclaim.get_referral("0999K0010326Y999999") is None
    assert vclaim.get_referral_by_card("0001000000001") is None
    assert vclaim.list_referrals_by_card("0001000000001") == []
    assert vclaim.get_hospital_referral("0999R0010326B000001") is None
    assert vclaim.get_hospital_referral_by_card(CARD) is None


def test_sep_insert_update_delete(
    vclaim: VclaimClient, pcare: PcareClient, today: date, sandbox_state
):
    number = make_referral(pcare, today)

    inserted = vclaim.insert_sep(sep_insert(number, today))
    assert SEP_NUMBER.match(inserted.sep_number)
    assert inserted.sep is not None
    assert inserted.sep.referral_number == number
    assert inserted.sep.participant is not None
    assert inserted.sep.participant.medical_record_number == "RM001234"

    updated = vclaim.update_sep(sep_update(inserted.sep_number))
    assert updated.sep_number == inserted.sep_number

    deleted = vclaim.delete_sep(inserted.sep_number, "admisi1")
    assert deleted.sep_number == inserted.sep_number

    (row,) = sandbox_state("sep")
    assert row["noSep"] == inserted.sep_number
    assert row["request"]["catatan"] == "kontrol ulang"
    assert row["deleted"] is True


def test_sep_update_answer_encrypted_is_read_too(
    vclaim: VclaimClient, pcare: PcareClient, today: date, sandbox_control
):
    sandbox_control("PATCH", "settings", {"sep_update_response": "encrypted"})
    number = make_referral(pcare, today)
    sep_number = vclaim.insert_sep(sep_insert(number, today)).sep_number

    assert vclaim.update_sep(sep_update(sep_number)).sep_number == sep_number


def test_second_sep_on_the_same_referral_and_day_is_rejected(
    vclaim: VclaimClient, pcare: PcareClient, today: date
):
    number = make_referral(pcare, today)
    vclaim.insert_sep(sep_insert(number, today))

    with pytest.raises(Rejected) as caught:
        vclaim.insert_sep(sep_insert(number, today))

    assert caught.value.code == "201"
    assert caught.value.bpjs_message == "SEP untuk rujukan ini sudah terbit pada tanggal tersebut"
    assert caught.value.maybe_applied is False


def test_deleting_an_unknown_sep_is_rejected(vclaim: VclaimClient):
    with pytest.raises(Rejected) as caught:
        vclaim.delete_sep("0999R0010326V999999", "admisi1")

    assert caught.value.bpjs_message == "SEP tidak ditemukan"
