"""Acceptance, end to end in headless Chromium against a BPJS sandbox on a free port.

The nurse enters vitals; the doctor writes the encounter for card 0001000000001 with a
non-specialist diagnosis (A09) and a vertical referral, is stopped by the TACC guard (with the
RRNS figures), adds a TACC reason and signs. The outbox (run here in the test process) sends the
pendaftaran, then the kunjungan, obat and tindakan; the sandbox holds them, with the referral,
and the referral letter shows PCare's number.
"""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.db import transaction
from django.utils import timezone

from clinic.queues import sync as queue_sync
from clinic.records.models import MedicalRecord
from tests.factories import PASSWORD
from tests.records.conftest import sandbox_state

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _login(page, live_server, username: str) -> None:
    page.context.clear_cookies()
    page.goto(f"{live_server.url}/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", PASSWORD)
    page.click("button[type=submit].primary")
    page.wait_for_load_state("networkidle")


def test_nurse_and_doctor_write_a_referred_encounter_that_reaches_pcare(
    live_server, page, sandbox, visit, perawat, dokter, doctor, delivered, run_jobs
):
    with transaction.atomic():
        queue_sync.enqueue_pendaftaran_add(visit)
    url = f"{live_server.url}/records/visits/{visit.pk}/"

    # The nurse: vitals, with a value outside the usual range confirmed.
    _login(page, live_server, perawat.username)
    page.goto(url)
    for field, value in {
        "systolic": "150",
        "diastolic": "90",
        "weight_kg": "70",
        "height_cm": "170",
        "respiratory_rate": "20",
        "heart_rate": "96",
        "temperature_c": "41,5",
        "waist_cm": "82",
        "chief_complaint": "diare sejak 2 hari",
    }.items():
        page.fill(f"#id_{field}", value)
    page.click("[data-testid=triage-save]")
    page.wait_for_selector("[data-testid=confirm-vitals]")
    page.check("[data-testid=confirm-vitals]")
    page.click("[data-testid=triage-save]")
    page.wait_for_selector("[data-testid=bmi]")
    assert page.locator("[data-testid=bmi]").inner_text() == "24,2"

    # The doctor: vitals carried over; encounter, diagnosis by search, referral.
    _login(page, live_server, dokter.username)
    page.goto(url)
    assert page.locator("#id_systolic").input_value() == "150"
    assert page.locator("#id_temperature_c").input_value() == "41,5"
    page.fill("#id_anamnesis", "Diare cair 6 kali sehari sejak 2 hari, lemas.")
    page.fill("#id_physical_exam", "Turgor kulit menurun.")
    page.fill("[data-testid=icd10-search]", "gastroenteritis colitis")
    page.wait_for_selector("[data-testid=pick-A09-1]")
    assert "non-spesialistik" in page.locator("li[data-code=A09]").inner_text()
    page.click("[data-testid=pick-A09-1]")
    assert page.locator("[data-testid=diagnosis1]").input_value() == "A09"
    page.select_option("[data-testid=discharge]", "4")
    page.select_option("[data-testid=specialty]", "INT")
    page.wait_for_selector("[data-testid=subspecialty] option[value='3']", state="attached")
    page.select_option("[data-testid=subspecialty]", "3")
    page.select_option("[data-testid=facility-type]", "1")
    planned = timezone.localdate() + timedelta(days=1)
    page.fill("[data-testid=planned-date]", planned.isoformat())
    page.click("[data-testid=find-hospitals]")
    page.wait_for_selector("[data-testid=hospital-0999R001]")
    assert "km" in page.locator("[data-testid=hospital-0999R001]").inner_text()
    page.click("[data-testid=encounter-save]")
    page.wait_for_selector("[data-testid=prescription-form]")

    # A DPHO drug and a procedure with its tariff.
    page.fill("#id_drug_code", "180100120")
    page.fill("#id_drug_name", "Oralit serbuk 200 ml")
    page.fill("#id_signa1", "3")
    page.fill("#id_signa2", "1")
    page.fill("#id_quantity", "6")
    page.click("[data-testid=prescription-add]")
    page.wait_for_selector("[data-testid=prescriptions]")
    page.select_option("#id_procedure", "01004")
    assert page.locator("#id_fee").input_value() == "10000"
    page.click("[data-testid=procedure-add]")
    page.wait_for_selector("[data-testid=procedures]")

    # Signing is stopped by the TACC guard, with what it does to RRNS.
    page.click("[data-testid=encounter-sign]")
    page.wait_for_selector("[data-testid=tacc-guard]")
    assert "100,00% (1 dari 1)" in page.locator("[data-testid=rrns-without-tacc]").inner_text()
    assert page.locator("[data-testid=record-status]").inner_text() == "Draf"
    page.select_option("[data-testid=tacc]", "1")
    page.fill("[data-testid=tacc-reason]", "< 3 Hari")
    page.click("[data-testid=encounter-sign]")
    page.wait_for_selector("[data-testid=encounter-view]")
    assert page.locator("[data-testid=record-status]").inner_text() == "Ditandatangani"

    # The outbox sends it all, in order.
    run_jobs()
    record = MedicalRecord.objects.get(visit=visit)
    assert record.pcare_visit_number
    [kunjungan] = sandbox_state(sandbox, "kunjungan")
    body = kunjungan["request"]
    assert (body["kdDiag1"], body["kdDiag2"], body["kdDiag3"]) == ("A09", None, None)
    assert body["kdStatusPulang"] == "4"
    assert body["rujukLanjut"]["kdppk"] == "0999R001"
    assert body["rujukLanjut"]["subSpesialis"] == {"kdSubSpesialis1": "3", "kdSarana": "1"}
    assert (body["kdTacc"], body["alasanTacc"]) == (1, "< 3 Hari")
    assert (body["sistole"], body["suhu"]) == (150, "41,5")
    assert [o["kdObat"] for o in kunjungan["obat"]] == ["180100120"]
    assert [(t["kdTindakan"], t["biaya"]) for t in kunjungan["tindakan"]] == [("01004", 10000)]

    page.goto(url)
    assert page.locator("[data-testid=pcare-visit-number]").inner_text() == (
        record.pcare_visit_number
    )
    page.goto(f"{live_server.url}/referrals/records/{record.pk}/letter/")
    assert page.locator("[data-testid=referral-number]").inner_text() == (record.pcare_visit_number)
    assert "RSU DEMO HARAPAN" in page.locator("[data-testid=letter-provider]").inner_text()
