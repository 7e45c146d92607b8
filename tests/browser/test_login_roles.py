from __future__ import annotations

import pytest

from clinic.portal.demo import DEMO_PASSWORD, seed_demo

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

HOMES = {
    "frontdesk": ("Pendaftaran", "Front desk"),
    "perawat": ("Ruang perawat", "Nurse station"),
    "dokter": ("Ruang kerja dokter", "Doctor's workspace"),
    "admin": ("Administrasi klinik", "Clinic administration"),
}


@pytest.mark.parametrize("username", list(HOMES))
def test_demo_role_logs_in_sees_home_in_indonesian_then_switches_to_english(
    live_server, page, username
):
    seed_demo()
    title_id, title_en = HOMES[username]
    page.goto(f"{live_server.url}/")
    assert page.locator("h1").inner_text() == "Masuk"
    page.fill("#id_username", username)
    page.fill("#id_password", DEMO_PASSWORD)
    page.click("button[type=submit].primary")
    page.wait_for_selector("[data-testid=home-title]")
    assert page.locator("[data-testid=home-title]").inner_text() == title_id
    assert page.locator("[data-testid=env-badge]").inner_text() == "SANDBOX"
    assert page.locator("html").get_attribute("lang") == "id"
    page.click("[data-testid=lang-en]")
    page.wait_for_selector("html[lang=en]")
    assert page.locator("[data-testid=home-title]").inner_text() == title_en
    assert page.locator("text=Log out").count() == 1
