"""In a browser: the admin starts a UAT run, watches the progress bar move, downloads the PDF.

The Celery task runs in a thread of the test process (the test database lives in memory, so a
worker process could not see it); everything else is real HTTP: the admin pages, htmx polling,
the clinic's web service on the live server and the sandbox.
"""

from __future__ import annotations

import threading
import time
from pathlib import Path

import pytest
from django.db import connection

from bridging.uat import tasks
from bridging.uat.models import UatRun
from bridging.uat.scenarios.base import registry
from clinic.portal.demo import DEMO_PASSWORD

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True), pytest.mark.slow]


@pytest.fixture
def task_in_thread(monkeypatch):
    threads: list[threading.Thread] = []

    def start(run_id: int) -> None:
        def work() -> None:
            try:
                tasks.run_uat(run_id)
            finally:
                connection.close()

        thread = threading.Thread(target=work, daemon=True)
        threads.append(thread)
        thread.start()

    monkeypatch.setattr(tasks.run_uat, "delay", start)
    yield threads
    for thread in threads:
        thread.join(timeout=120)


def test_admin_starts_a_run_watches_progress_and_downloads_the_pdf(
    live_server, page, sandbox, demo_clinic, task_in_thread, tmp_path
):
    page.goto(f"{live_server.url}/login/")
    page.fill("#id_username", "admin")
    page.fill("#id_password", DEMO_PASSWORD)
    page.click("button[type=submit].primary")
    page.wait_for_selector("[data-testid=home-title]")

    page.goto(f"{live_server.url}/uat/")
    assert page.locator("#id_clinic_url").input_value() == f"{live_server.url}/ws/antreanfktp"
    page.click("[data-testid=uat-start]")
    page.wait_for_selector("[data-testid=uat-progress]")

    total = len(registry())
    seen: list[int] = []
    deadline = time.monotonic() + 180
    while time.monotonic() < deadline:
        progress = page.locator("[data-testid=uat-progress]")
        seen.append(int(progress.get_attribute("data-done") or 0))
        if progress.get_attribute("data-state") == "finished":
            break
        page.wait_for_timeout(300)
    assert page.locator("[data-testid=uat-progress]").get_attribute("data-state") == "finished"
    assert seen[-1] == total
    # The bar moved while the page watched it: values between the start and the end.
    assert any(0 < done < total for done in seen)
    assert seen == sorted(seen)
    assert page.locator("[data-testid=uat-bar]").get_attribute("value") == str(total)

    run = UatRun.objects.get()
    bad = [(s.key, s.message) for s in run.steps.exclude(verdict="pass")]
    assert bad == []
    assert run.passed == total

    page.set_default_timeout(90_000)  # the PDF of a whole run takes a few seconds to build
    with page.expect_download() as info:
        page.click("[data-testid=uat-download-pdf]")
    target = tmp_path / "report.pdf"
    info.value.save_as(str(target))
    assert Path(target).read_bytes().startswith(b"%PDF")
    assert info.value.suggested_filename == f"uat-0999K001-sandbox-{run.pk}.pdf"
