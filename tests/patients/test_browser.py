"""The front desk in a real browser: search, "Cek BPJS" at the sandbox, register from it."""

from __future__ import annotations

import pytest

from clinic.patients.models import Patient
from tests.factories import PASSWORD

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_front_desk_searches_checks_bpjs_and_registers(live_server, page, frontdesk, sandbox_pcare):
    page.goto(f"{live_server.url}/login/")
    page.fill("#id_username", frontdesk.username)
    page.fill("#id_password", PASSWORD)
    page.click("button[type=submit].primary")
    page.wait_for_selector("[data-testid=home-title]")

    page.goto(f"{live_server.url}/patients/")
    page.fill("[data-testid=patient-search]", "0001000000001")
    page.wait_for_selector("[data-testid=no-results]")
    page.click("[data-testid=no-results] a")

    page.wait_for_selector("[data-testid=register-form]")
    assert page.input_value("#id_bpjs_card_number") == "0001000000001"
    page.click("[data-testid=check-bpjs]")
    page.wait_for_selector("[data-testid=eligibility][data-status=verified]")
    assert page.inner_text("[data-testid=eligibility-message]") == (
        "Kepesertaan BPJS aktif dan terdaftar di klinik ini."
    )
    assert page.input_value("#id_name") == "BUDI SANTOSO"
    assert page.input_value("#id_birth_date") == "1985-07-05"
    assert page.input_value("#id_nik") == "3273010507850001"
    assert page.input_value("#id_sex") == "L"
    page.click("[data-testid=save-patient]")

    page.wait_for_selector("[data-testid=patient-name]")
    patient = Patient.objects.get()
    assert page.url == f"{live_server.url}/patients/{patient.pk}/"
    assert page.inner_text("[data-testid=patient-card]") == "0001000000001"
    assert page.get_attribute("[data-testid=patient-eligibility]", "data-status") == "verified"
    assert patient.mrn == "RM-000001"
    assert patient.bpjs_provider_code == "0999K001"

    page.goto(f"{live_server.url}/patients/")
    page.fill("[data-testid=patient-search]", "santo")
    page.wait_for_selector("[data-testid=patient-results]")
    assert "RM-000001" in page.inner_text("[data-testid=patient-results]")
