"""Vitals, the encounter, signing; a signed record changes only by addendum."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.urls import reverse

from clinic.core.errors import Conflict, NotAllowed, ValidationFailed
from clinic.records import services
from clinic.records.models import RecordStatus
from tests.records.helpers import VITALS, encounter, triaged

pytestmark = pytest.mark.django_db


def test_triage_computes_bmi_and_carries_into_the_doctors_page(visit, perawat, dokter, client_for):
    record = triaged(visit, perawat)
    assert record.bmi == Decimal("24.2")
    assert record.temperature_c == Decimal("36.8")
    page = client_for(dokter).get(reverse("records:visit", args=[visit.pk])).content.decode()
    assert 'name="systolic" inputmode="decimal" value="120"' in page
    assert 'data-testid="bmi">24,2<' in page


def test_implausible_vitals_ask_for_confirmation(visit, perawat):
    record = triaged(visit, perawat)
    data = {**VITALS, "systolic": "250", "heart_rate": "30"}
    with pytest.raises(services.VitalsNeedConfirmation) as refused:
        services.triage_save(record=record, by=perawat, data=data)
    assert set(refused.value.fields) == {"systolic", "heart_rate"}
    record.refresh_from_db()
    assert record.systolic == 120
    services.triage_save(record=record, by=perawat, data={**data, "confirm_vitals": "1"})
    record.refresh_from_db()
    assert (record.systolic, record.heart_rate, record.vitals_confirmed) == (250, 30, True)


def test_impossible_vitals_are_refused_even_when_confirmed(visit, perawat):
    record = triaged(visit, perawat)
    with pytest.raises(ValidationFailed) as refused:
        services.triage_save(
            record=record,
            by=perawat,
            data={**VITALS, "systolic": "900", "diastolic": "abc", "confirm_vitals": "1"},
        )
    assert set(refused.value.fields) == {"systolic", "diastolic"}


def test_triage_page_asks_for_confirmation_in_words(visit, perawat, client_for):
    client = client_for(perawat)
    response = client.post(
        reverse("records:triage", args=[visit.pk]), {**VITALS, "temperature_c": "42,5"}
    )
    assert response.status_code == 400
    assert 'data-testid="confirm-vitals"' in response.content.decode()
    response = client.post(
        reverse("records:triage", args=[visit.pk]),
        {**VITALS, "temperature_c": "42,5", "confirm_vitals": "1"},
    )
    assert response.status_code == 302


def test_encounter_takes_up_to_three_known_diagnoses_with_the_flag(visit, perawat, dokter):
    record = encounter(triaged(visit, perawat), dokter, ["a09", "R51", "I10"])
    assert [(d.rank, d.code, d.non_specialist) for d in record.diagnosis_list()] == [
        (1, "A09", True),
        (2, "R51", False),
        (3, "I10", True),
    ]
    with pytest.raises(ValidationFailed) as refused:
        encounter(record, dokter, ["A09", "ZZZ9", "A09"])
    assert set(refused.value.fields) == {"diagnosis2", "diagnosis3"}


def test_nurse_cannot_write_the_encounter_or_sign(visit, perawat):
    record = triaged(visit, perawat)
    with pytest.raises(NotAllowed):
        encounter(record, perawat, ["A09"])
    with pytest.raises(NotAllowed):
        services.record_sign(record=record, by=perawat)


def test_signing_needs_a_diagnosis(visit, perawat, dokter):
    record = encounter(triaged(visit, perawat), dokter, [])
    with pytest.raises(ValidationFailed) as refused:
        services.record_sign(record=record, by=dokter)
    assert "diagnosis1" in refused.value.fields


def _signed(visit, perawat, dokter):
    record = encounter(triaged(visit, perawat), dokter, ["R51"], payer="umum")
    return services.record_sign(record=record, by=dokter)


def test_a_signed_record_cannot_be_changed(visit, perawat, dokter, client_for):
    visit.payer = "umum"
    visit.save()
    record = _signed(visit, perawat, dokter)
    assert record.status == RecordStatus.SIGNED
    with pytest.raises(Conflict):
        encounter(record, dokter, ["A09"])
    with pytest.raises(Conflict):
        services.triage_save(record=record, by=perawat, data=dict(VITALS))
    with pytest.raises(Conflict):
        services.prescription_add(
            record=record,
            by=dokter,
            data={"drug_name": "X", "signa1": "1", "signa2": "1", "quantity": "1"},
        )
    client = client_for(dokter)
    response = client.post(
        reverse("records:encounter", args=[visit.pk]),
        {"anamnesis": "diubam diam-diam", "diagnosis1": "A09", "action": "save"},
    )
    assert response.status_code == 400
    record.refresh_from_db()
    assert record.anamnesis == "Demam sejak 3 hari, batuk."
    assert [d.code for d in record.diagnosis_list()] == ["R51"]


def test_an_addendum_corrects_with_author_time_and_the_old_value(visit, perawat, dokter):
    visit.payer = "umum"
    visit.save()
    record = _signed(visit, perawat, dokter)
    addendum = services.addendum_add(
        record=record,
        by=dokter,
        text="Koreksi diagnosis setelah hasil lab.",
        corrections={"systolic": "130"},
        diagnoses=["A09", "R51", ""],
    )
    record.refresh_from_db()
    assert record.systolic == 130
    assert [d.code for d in record.diagnosis_list()] == ["A09", "R51"]
    assert addendum.author == dokter
    assert addendum.created_at is not None
    assert addendum.changes == [
        {"field": "systolic", "label": "sistole (mmHg)", "old": "120", "new": "130"},
        {"field": "diagnoses", "label": "Diagnosis", "old": "R51", "new": "A09, R51"},
    ] or [c["old"] for c in addendum.changes] == ["120", "R51"]


def test_a_nurse_may_add_a_note_but_not_a_correction(visit, perawat, dokter):
    visit.payer = "umum"
    visit.save()
    record = _signed(visit, perawat, dokter)
    note = services.addendum_add(record=record, by=perawat, text="Pasien kembali kontrol.")
    assert note.changes == []
    with pytest.raises(NotAllowed):
        services.addendum_add(record=record, by=perawat, text="x", corrections={"systolic": "140"})


def test_addendum_on_a_draft_is_refused(visit, perawat, dokter):
    record = triaged(visit, perawat)
    with pytest.raises(Conflict):
        services.addendum_add(record=record, by=dokter, text="catatan")


def test_switching_away_from_a_referral_drops_the_draft_referral(visit, perawat, dokter):
    from clinic.referrals.models import Referral
    from tests.records.helpers import vertical_referral

    record = encounter(triaged(visit, perawat), dokter, ["I20.9"], discharge="4")
    vertical_referral(record, dokter)
    assert Referral.objects.filter(record=record).count() == 1
    encounter(record, dokter, ["I20.9"], discharge="3")
    assert Referral.objects.filter(record=record).count() == 0
