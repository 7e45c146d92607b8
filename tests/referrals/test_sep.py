"""FKRTL mode: an SEP through VClaim on the FKTP referral looked up by number, with its print."""

from __future__ import annotations

import pytest
from django.urls import reverse

from clinic.records import services
from clinic.referrals.models import FkrtlSetting, Sep
from tests.records.helpers import encounter, triaged, vertical_referral

pytestmark = pytest.mark.django_db


def test_sep_page_is_absent_without_fkrtl_mode(dokter, client_for):
    assert client_for(dokter).get(reverse("referrals:sep-new")).status_code == 404


def test_front_desk_cannot_issue_an_sep(frontdesk, client_for):
    assert client_for(frontdesk).get(reverse("referrals:sep-new")).status_code == 403


def test_sep_is_issued_on_the_fktp_referral_and_printed(
    sandbox, facility, visit, pendaftaran, perawat, dokter, doctor, run_jobs, client_for
):
    record = encounter(triaged(visit, perawat), dokter, ["I20.9"], discharge="4")
    vertical_referral(record, dokter)
    services.record_sign(record=record, by=dokter)
    run_jobs()
    record.refresh_from_db()
    number = record.pcare_visit_number
    FkrtlSetting.objects.create(facility=facility, enabled=True, ppk_code="0999R001")
    client = client_for(dokter)

    lookup = client.get(reverse("referrals:sep-new"), {"referral_number": number})
    page = lookup.content.decode()
    assert 'data-testid="referral-lookup"' in page
    assert "KLINIK PRATAMA SEHAT BERSAMA" in page

    missing = client.post(
        reverse("referrals:sep-new"), {"referral_number": number, "action": "create"}
    )
    assert "Isi kode DPJP (dokter penanggung jawab)." in missing.content.decode()
    assert Sep.objects.count() == 0

    created = client.post(
        reverse("referrals:sep-new"),
        {"referral_number": number, "action": "create", "dpjp_code": "12345"},
    )
    sep = Sep.objects.get()
    assert created.status_code == 302
    assert created["Location"] == reverse("referrals:sep-print", args=[sep.pk])
    assert sep.sep_number.startswith("0999R001")
    assert sep.sep_number[12] == "V"
    assert (sep.referral_number, sep.diagnosis_code) == (number, "I20.9")
    printed = client.get(reverse("referrals:sep-print", args=[sep.pk])).content.decode()
    assert f'data-testid="sep-number">{sep.sep_number}<' in printed


def test_unknown_referral_number_is_said_in_words(sandbox, facility, dokter, client_for):
    FkrtlSetting.objects.create(facility=facility, enabled=True, ppk_code="0999R001")
    page = client_for(dokter).get(
        reverse("referrals:sep-new"), {"referral_number": "0999K0011126Y999999"}
    )
    assert "Nomor rujukan ini tidak dikenal VClaim." in page.content.decode()
