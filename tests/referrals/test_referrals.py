"""Referrals: the TACC guard with its RRNS preview, the specialist chain from PCare, special
and horizontal referrals, and the letter carrying PCare's referral number."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from clinic.core.errors import ValidationFailed
from clinic.records import services
from clinic.referrals.services import TaccRequired, rrns, rrns_preview
from tests.records.conftest import sandbox_state
from tests.records.factories import PatientFactory, make_visit
from tests.records.helpers import encounter, triaged, vertical_referral

pytestmark = pytest.mark.django_db


def _referred(visit, perawat, dokter, diagnosis: str, **referral):
    record = encounter(triaged(visit, perawat), dokter, [diagnosis], discharge="4")
    vertical_referral(record, dokter, **referral)
    return record


def test_tacc_guard_stops_a_non_specialist_referral_without_tacc(
    sandbox, visit, perawat, dokter, doctor
):
    record = _referred(visit, perawat, dokter, "A09")
    with pytest.raises(TaccRequired) as stopped:
        services.record_sign(record=record, by=dokter)
    assert stopped.value.code == "tacc_required"
    assert set(stopped.value.fields) == {"tacc"}
    record.refresh_from_db()
    assert record.status == "draft"


def test_tacc_guard_wants_a_reason_from_pcares_list(sandbox, visit, perawat, dokter, doctor):
    record = _referred(visit, perawat, dokter, "A09", tacc="1", tacc_reason="lama")
    with pytest.raises(TaccRequired) as stopped:
        services.record_sign(record=record, by=dokter)
    assert set(stopped.value.fields) == {"tacc_reason"}


def test_a_specialist_diagnosis_needs_no_tacc(sandbox, visit, perawat, dokter, doctor):
    record = _referred(visit, perawat, dokter, "I20.9")
    signed = services.record_sign(record=record, by=dokter)
    assert signed.status == "signed"
    assert signed.referral.non_specialist is False


def test_rrns_preview_shows_the_ratio_before_and_after_this_referral(
    sandbox, facility, poli, doctor, perawat, dokter
):
    # Earlier this month: one specialist referral, one non-specialist with TACC, one without
    # (signed before the guard existed, or imported).
    for card, code, tacc in (("0002000000001", "I20.9", None), ("0002000000002", "A09", "1")):
        patient = PatientFactory(facility=facility, bpjs_card_number=card, name="X")
        visit = make_visit(facility, patient, poli, doctor, payer="umum")
        extra = {"tacc": tacc, "tacc_reason": "< 3 Hari"} if tacc else {}
        services.record_sign(record=_referred(visit, perawat, dokter, code, **extra), by=dokter)
    patient = PatientFactory(facility=facility, bpjs_card_number="0002000000003", name="Y")
    visit = make_visit(facility, patient, poli, doctor, payer="umum")
    record = _referred(visit, perawat, dokter, "A09")
    record.status = "signed"
    record.save()
    record.referral.non_specialist = True
    record.referral.save()

    today = timezone.localdate()
    assert rrns(facility.pk, today) == rrns(facility.pk, today)
    assert (rrns(facility.pk, today).count, rrns(facility.pk, today).total) == (1, 3)

    patient = PatientFactory(facility=facility, bpjs_card_number="0002000000004", name="Z")
    visit = make_visit(facility, patient, poli, doctor, payer="umum")
    new = _referred(visit, perawat, dokter, "K29.7")
    preview = rrns_preview(new)
    assert (preview["before"].count, preview["before"].total) == (1, 3)
    assert preview["before"].percent == Decimal("33.33")
    assert (preview["without_tacc"].count, preview["without_tacc"].total) == (2, 4)
    assert preview["without_tacc"].percent == Decimal("50.00")
    assert (preview["with_tacc"].count, preview["with_tacc"].total) == (1, 4)


def test_the_sign_page_shows_the_guard_with_the_rrns_figures(
    sandbox, visit, perawat, dokter, doctor, client_for
):
    triaged(visit, perawat)
    planned = (timezone.localdate() + timedelta(days=1)).isoformat()
    response = client_for(dokter).post(
        reverse("records:encounter", args=[visit.pk]),
        {
            "anamnesis": "diare",
            "diagnosis1": "A09",
            "discharge": "4",
            "referral_kind": "specialist",
            "planned_date": planned,
            "specialty": "INT",
            "subspecialty": "3",
            "facility_type": "1",
            "provider": "0999R001",
            "provider_name_0999R001": "RSU DEMO HARAPAN",
            "tacc": "-1",
            "action": "sign",
        },
    )
    assert response.status_code == 400
    page = response.content.decode()
    assert 'data-testid="tacc-guard"' in page
    assert "(RRNS) bulan ini: 0,00% (0 dari 0 rujukan)." in page
    assert "Dengan rujukan ini tanpa TACC: 100,00% (1 dari 1)." in page
    assert "Dengan alasan TACC: 0,00% (0 dari 1)." in page


def test_hospitals_come_from_pcare_with_distance_and_capacity(
    sandbox, visit, perawat, dokter, doctor, client_for
):
    record = triaged(visit, perawat)
    planned = (timezone.localdate() + timedelta(days=1)).isoformat()
    response = client_for(dokter).get(
        reverse("referrals:hospitals", args=[record.pk]),
        {"planned_date": planned, "subspecialty": "3", "facility_type": "1"},
    )
    page = response.content.decode()
    assert 'data-testid="hospital-0999R001"' in page
    assert "RSU DEMO HARAPAN" in page
    assert "km" in page
    subs = client_for(dokter).get(
        reverse("referrals:subspecialties", args=[record.pk]), {"specialty": "ANA"}
    )
    assert '<option value="26">ANAK</option>' in subs.content.decode()


def test_a_special_referral_sends_khusus(
    sandbox, visit, pendaftaran, perawat, dokter, doctor, run_jobs
):
    record = _referred(
        visit,
        perawat,
        dokter,
        "N18.5",
        referral_kind="special",
        special="HDL",
        subspecialty="",
        referral_note="cuci darah rutin",
    )
    services.record_sign(record=record, by=dokter)
    run_jobs()
    [kunjungan] = sandbox_state(sandbox, "kunjungan")
    rujuk = kunjungan["request"]["rujukLanjut"]
    assert rujuk["khusus"] == {
        "kdKhusus": "HDL",
        "kdSubSpesialis": None,
        "catatan": "cuci darah rutin",
    }
    assert rujuk["subSpesialis"] is None
    assert kunjungan["request"]["kdTacc"] == 0


def test_a_horizontal_referral_needs_the_facility(visit, perawat, dokter, doctor):
    from clinic.referrals.services import referral_save

    record = encounter(triaged(visit, perawat), dokter, ["R51"], discharge="6")
    referral_save(record=record, by=dokter, data={"referral_kind": "horizontal"})
    with pytest.raises(ValidationFailed) as refused:
        services.record_sign(record=record, by=dokter)
    assert set(refused.value.fields) == {"provider_name"}


def test_the_letter_carries_pcares_referral_number_once_synced(
    sandbox, visit, pendaftaran, perawat, dokter, doctor, run_jobs, client_for
):
    record = _referred(visit, perawat, dokter, "A09", tacc="1", tacc_reason="< 3 Hari")
    services.record_sign(record=record, by=dokter)
    url = reverse("referrals:letter", args=[record.pk])
    before = client_for(dokter).get(url).content.decode()
    assert 'data-testid="referral-number">belum diterbitkan PCare<' in before
    run_jobs()
    record.refresh_from_db()
    letter = client_for(dokter).get(url).content.decode()
    assert f'data-testid="referral-number">{record.pcare_visit_number}<' in letter
    assert "RSU DEMO HARAPAN" in letter
    pdf = client_for(dokter).get(url, {"format": "pdf"})
    assert pdf["Content-Type"] == "application/pdf"
    assert pdf.content.startswith(b"%PDF-")
