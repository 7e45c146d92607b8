"""The demo roster (from the sandbox, with the Prolanis column) imported through the roster
page, a generated month of visits, then the dashboard with its charts and the outreach list."""

from __future__ import annotations

import os
import re
from pathlib import Path

import pytest
import requests
from django.utils import timezone

from clinic.capitation.demo import generate_month, roster_with_prolanis
from clinic.capitation.indicators import contacted, period_for
from clinic.capitation.models import CapitationProfile, RosterEntry
from clinic.core.models import Facility
from clinic.portal.demo import DEMO_PASSWORD, seed_demo
from tests.support.sandbox import SandboxServer

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def login(page, base: str, username: str) -> None:
    page.goto(f"{base}/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", DEMO_PASSWORD)
    page.click("button[type=submit].primary")
    page.wait_for_selector("[data-testid=home-title]")


def test_demo_roster_and_month_show_the_dashboard_with_charts_and_outreach_list(
    live_server, page, tmp_path: Path
):
    seed_demo()
    facility = Facility.objects.get(bpjs_provider_code="0999K001")
    CapitationProfile.objects.create(facility=facility, general_practitioners=1, has_dentist=True)
    with SandboxServer() as sandbox:
        response = requests.get(f"{sandbox.control_url}/roster.csv", timeout=30)
        response.raise_for_status()
    roster_file = tmp_path / "roster-0999K001.csv"
    roster_file.write_bytes(roster_with_prolanis(response.content))
    today = timezone.localdate()
    month = today.replace(day=1)

    login(page, live_server.url, "admin")
    page.goto(f"{live_server.url}/capitation/roster/")
    page.fill("#id_month", f"{month:%Y-%m}")
    page.set_input_files("#id_file", str(roster_file))
    page.click("[data-testid=roster-submit]")
    page.wait_for_selector("[data-testid=import-result]")
    assert "5004 diterima" in page.locator(".alert").first.inner_text()
    assert RosterEntry.objects.filter(facility=facility, month=month).count() == 5004

    generated = generate_month(facility, month, until=today)
    assert generated.visits > 0
    period = period_for(facility.pk, month, today)
    contacts = contacted(facility.pk, period).count()
    assert contacts == len(generated.contacted_cards)

    page.goto(f"{live_server.url}/capitation/")
    page.wait_for_selector("canvas[data-testid=chart-contacts][data-drawn=true]")
    page.wait_for_selector("canvas[data-testid=chart-history][data-drawn=true]")
    assert page.locator("[data-testid=kpi-roster] .capitation-big").inner_text() == "5004"
    ak = page.locator("[data-testid=kpi-ak]").inner_text()
    assert f"{contacts} dari 5004 peserta sudah kontak" in ak
    assert (
        "Aturan yang dipakai: DM: GDP 80–130 mg/dL"
        in page.locator("[data-testid=rppt-rule]").inner_text()
    )
    # 5,004 participants, 1 GP with a dentist: Rp 11,000 -> Rp 55,044,000 in full
    assert page.locator("[data-testid=tariff]").inner_text().startswith("Rp 11.000")
    assert page.locator("[data-testid=full-capitation]").inner_text() == "Rp 55.044.000"
    assert "Proyeksi akhir bulan" in page.locator("[data-testid=projection-method]").inner_text()
    if os.environ.get("CAPITATION_SCREENSHOTS"):
        page.screenshot(
            path=f"{os.environ['CAPITATION_SCREENSHOTS']}/dashboard.png", full_page=True
        )

    page.click("[data-testid=link-outreach]")
    page.wait_for_selector("[data-testid=outreach-title]")
    lead = page.locator("p.lead").inner_text()
    assert re.match(rf"^{5004 - contacts} peserta terdaftar belum kontak", lead)
    rows = page.locator("[data-testid=outreach-table] tbody tr")
    assert rows.count() == 100
    assert page.locator("[data-testid=outreach-table] a[href^='tel:']").count() > 0

    page.goto(f"{live_server.url}/capitation/reports/")
    page.wait_for_selector("canvas[data-testid=chart-top10][data-drawn=true]")
    page.wait_for_selector("canvas[data-testid=chart-poli][data-drawn=true]")
    assert page.locator("[data-testid=top10-table] tbody tr").count() == 10
    if os.environ.get("CAPITATION_SCREENSHOTS"):
        page.screenshot(path=f"{os.environ['CAPITATION_SCREENSHOTS']}/reports.png", full_page=True)

    # The front desk phones the participants: the outreach list, not the dashboard.
    page.click("form[action='/logout/'] button")
    login(page, live_server.url, "frontdesk")
    page.goto(f"{live_server.url}/capitation/outreach/")
    page.wait_for_selector("[data-testid=outreach-title]")
    assert page.goto(f"{live_server.url}/capitation/").status == 403
