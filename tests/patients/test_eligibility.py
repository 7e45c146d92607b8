"""Eligibility against the BPJS sandbox over HTTP (SANDBOX.md demo participants)."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from django.utils import translation

from clinic.patients.eligibility import (
    EligibilityResult,
    eligibility_check,
    eligibility_check_patient,
    format_rupiah,
    recall_result,
    remember_result,
)
from clinic.patients.models import Patient
from clinic.patients.services import patient_register
from clinic.patients.tasks import retry_countdown, verify_eligibility_later

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _indonesian():
    with translation.override("id"):
        yield


def check(facility, card=None, nik=None, timeout=4.0):
    return eligibility_check(
        facility_id=facility.pk, card_number=card, nik=nik, timeout_seconds=timeout
    )


def test_card_1_is_active_here_and_prefills_the_form(facility, sandbox_pcare):
    result = check(facility, "0001000000001")
    assert result.status == "verified"
    assert result.message == "Kepesertaan BPJS aktif dan terdaftar di klinik ini."
    assert result.warnings == []
    assert result.registered_here is True
    assert (result.care_class, result.membership_type) == ("KELAS III", "PBI (APBN)")
    assert result.prefill() == {
        "name": "BUDI SANTOSO",
        "birth_date": date(1985, 7, 5),
        "sex": "L",
        "nik": "3273010507850001",
        "bpjs_card_number": "0001000000001",
        "phone": "081200000001",
    }


def test_card_2_warns_registered_at_another_fktp(facility, sandbox_pcare):
    result = check(facility, "0001000000002")
    assert result.status == "other_fktp"
    assert result.registered_here is False
    assert result.warnings == [
        "Terdaftar di FKTP lain: KLINIK PRATAMA MITRA SEHAT (0999K002) — kapitasi tidak "
        "dibayarkan ke klinik ini"
    ]


def test_card_3_warns_inactive_with_bpjs_reason(facility, sandbox_pcare):
    result = check(facility, "0001000000003")
    assert result.status == "inactive"
    assert result.active is False
    assert result.message == "Kepesertaan BPJS tidak aktif."
    assert result.warnings == ["Kepesertaan BPJS tidak aktif (keterangan BPJS: TIDAK AKTIF)."]


def test_card_4_warns_arrears_amount(facility, sandbox_pcare):
    result = check(facility, "0001000000004")
    assert result.status == "inactive"
    assert result.arrears == Decimal("1250000")
    assert "Menunggak iuran Rp 1.250.000" in result.warnings


def test_card_5_shows_prolanis_hypertension(facility, sandbox_pcare):
    result = check(facility, "0001000000005")
    assert result.status == "verified"
    assert result.warnings == ["Peserta Prolanis: HT"]


def test_card_7_shows_private_top_up_insurer(facility, sandbox_pcare):
    result = check(facility, "0001000000007")
    assert result.status == "verified"
    assert (result.insurer_name, result.insurer_number, result.cob) == (
        "ASURANSI SEHAT SEJAHTERA (DEMO)",
        "ASJ-0007",
        True,
    )
    assert result.warnings == ["Asuransi tambahan swasta (COB): ASURANSI SEHAT SEJAHTERA (DEMO)"]


def test_lookup_by_nik(facility, sandbox_pcare):
    result = check(facility, nik="3273016506930007")
    assert result.looked_up_by == "nik"
    assert result.card_number == "0001000000007"
    assert result.name == "RINA KARTIKA"


def test_unknown_card_is_not_found(facility, sandbox_pcare):
    result = check(facility, "0001999999999")
    assert result.status == "not_found"
    assert result.message == "Tidak ada peserta BPJS dengan nomor kartu ini."
    assert result.prefill() == {}


def test_silent_bpjs_gives_not_verified_quickly(facility, sandbox_pcare):
    sandbox_pcare.control(
        "PUT", "/faults", {"timeout_rate": 1.0, "hang_seconds": 5, "services": ["pcare"]}
    )
    result = check(facility, "0001000000001", timeout=0.5)
    assert result.status == "not_verified"
    assert result.retry_later is True
    assert result.message == (
        "BPJS tidak menjawab dalam 0.5 detik. Kunjungan tetap bisa didaftarkan dengan status "
        "'kepesertaan belum terverifikasi'; pengecekan diulang otomatis."
    )


def test_timeout_on_a_patient_schedules_the_background_check(
    facility, frontdesk, sandbox_pcare, enqueued, django_capture_on_commit_callbacks
):
    patient = patient_register(
        facility=facility,
        created_by=frontdesk,
        name="BUDI SANTOSO",
        birth_date=date(1985, 7, 5),
        sex="L",
        bpjs_card_number="0001000000001",
    )
    sandbox_pcare.control(
        "PUT", "/faults", {"timeout_rate": 1.0, "hang_seconds": 5, "services": ["pcare"]}
    )
    with django_capture_on_commit_callbacks(execute=True):
        result = eligibility_check_patient(patient=patient, timeout_seconds=0.5)
    assert result.status == "not_verified"
    assert enqueued == [(patient.pk,)]
    patient.refresh_from_db()
    assert patient.bpjs_eligibility == "not_verified"
    assert patient.bpjs_checked_at is None

    # BPJS answers again: the background task stores the facts.
    sandbox_pcare.control("DELETE", "/faults")
    assert verify_eligibility_later.run(patient.pk) == "verified"
    patient.refresh_from_db()
    assert patient.bpjs_eligibility == "verified"
    assert patient.bpjs_provider_code == "0999K001"
    assert patient.bpjs_checked_at is not None
    assert patient.bpjs_class == "KELAS III"


def test_registration_after_a_timed_out_check_schedules_the_background_check(
    facility, frontdesk, enqueued, django_capture_on_commit_callbacks
):
    pending = EligibilityResult(
        status="not_verified", message="-", card_number="0001000000001", retry_later=True
    )
    with django_capture_on_commit_callbacks(execute=True):
        patient = patient_register(
            facility=facility,
            created_by=frontdesk,
            eligibility=pending,
            name="BUDI SANTOSO",
            birth_date=date(1985, 7, 5),
            sex="L",
            bpjs_card_number="0001000000001",
        )
    assert enqueued == [(patient.pk,)]
    assert Patient.objects.get(pk=patient.pk).bpjs_eligibility == "not_verified"


def test_background_task_retries_while_bpjs_is_silent(
    facility, frontdesk, sandbox_pcare, monkeypatch
):
    patient = patient_register(
        facility=facility,
        created_by=frontdesk,
        name="BUDI SANTOSO",
        birth_date=date(1985, 7, 5),
        sex="L",
        bpjs_card_number="0001000000001",
    )
    Patient.objects.filter(pk=patient.pk).update(bpjs_eligibility="not_verified")
    monkeypatch.setattr("clinic.patients.tasks.BACKGROUND_TIMEOUT_SECONDS", 0.5)
    sandbox_pcare.control(
        "PUT", "/faults", {"timeout_rate": 1.0, "hang_seconds": 5, "services": ["pcare"]}
    )
    retried: list[int] = []

    class Retry(Exception):
        pass

    def fake_retry(*, countdown: int) -> Exception:
        retried.append(countdown)
        return Retry()

    monkeypatch.setattr(verify_eligibility_later, "retry", fake_retry)
    with pytest.raises(Retry):
        verify_eligibility_later.run(patient.pk)
    assert retried == [60]
    assert [retry_countdown(n) for n in (0, 1, 2, 6, 20)] == [60, 120, 240, 3600, 3600]


def test_registration_stores_the_facts_of_a_check(facility, frontdesk, sandbox_pcare):
    result = check(facility, "0001000000005")
    token = remember_result(result, facility_id=facility.pk)
    assert recall_result(token, facility_id=facility.pk + 1000) is None
    recalled = recall_result(token, facility_id=facility.pk)
    assert recalled == result
    patient = patient_register(
        facility=facility, created_by=frontdesk, eligibility=recalled, **result.prefill()
    )
    assert patient.bpjs_eligibility == "verified"
    assert patient.bpjs_prolanis == "HT"
    assert patient.bpjs_membership_type == "PENERIMA PENSIUN PNS"
    assert patient.bpjs_provider_name == "KLINIK PRATAMA SEHAT BERSAMA"


def test_rupiah_format():
    assert format_rupiah(Decimal("1250000")) == "Rp 1.250.000"
    assert format_rupiah(Decimal("0")) == "Rp 0"


def test_check_uses_the_facility_credentials(facility, patients_sandbox, settings):
    """No test hook: the facility's stored sandbox credentials reach the sandbox."""
    from bridging.credentials.demo import seed_demo_credentials

    patients_sandbox.reset()
    settings.BPJS_SANDBOX_URL = patients_sandbox.base_url
    seed_demo_credentials(facility)
    result = check(facility, "0001000000002")
    assert result.status == "other_fktp"
    assert result.provider_code == "0999K002"


def test_check_without_credentials_is_not_verified(other_facility):
    result = check(other_facility, "0001000000001")
    assert result.status == "not_verified"
    assert result.message.startswith("BPJS tidak bisa dicek: koneksi BPJS klinik belum diatur")
