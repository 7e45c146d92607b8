"""Acceptance, end to end in headless Chromium, with a real Celery worker process.

Front desk looks up card 0001000000001 at the sandbox, registers the patient from the
eligibility answer, registers a Poli Umum visit and sees its number; the PCare pendaftaran
reaches the sandbox through the worker and the visit page shows it as sent with its noUrut; the
nurse calls the number and the waiting-room TV shows it without being reloaded.

The worker is a separate process, so it must reach the same database as ``live_server``. On
SQLite the test database lives in memory inside the test process, so this test runs on
PostgreSQL only (``DATABASE_URL``) and is skipped on SQLite. Its task messages go to a queue of
its own on the configured broker, so no other worker or test run can take them.
"""

from __future__ import annotations

import os
import re
import time
import uuid
from datetime import time as clock_time

import pytest
from django.db import connection
from django.utils import timezone

from clinic.core.processes import ProcessGroup, worker_command
from clinic.portal.demo import DEMO_PASSWORD, seed_demo
from clinic.queues.models import DoctorSchedule, Poli, Visit

pytestmark = [
    pytest.mark.browser,
    pytest.mark.postgres,
    pytest.mark.slow,
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(
        connection.vendor != "postgresql",
        reason="the Celery worker process needs the test database: PostgreSQL only",
    ),
]


def _database_url() -> str:
    db = connection.settings_dict
    auth = db["USER"] or "postgres"
    if db.get("PASSWORD"):
        auth += f":{db['PASSWORD']}"
    return f"postgres://{auth}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}"


@pytest.fixture
def worker(sandbox, settings):
    from django.db import connections

    from clinic.celery import app

    # live_server's request threads must not keep connections open past the test (the test
    # database is dropped afterwards).
    db_settings = connections.settings["default"]
    previous_age = db_settings.get("CONN_MAX_AGE", 0)
    db_settings["CONN_MAX_AGE"] = 0
    queue = f"e2e_{uuid.uuid4().hex[:12]}"
    previous_queue = app.conf.task_default_queue
    app.conf.task_default_queue = queue
    settings.BPJS_SANDBOX_URL = sandbox.base_url
    env = dict(os.environ)
    env.update({"DATABASE_URL": _database_url(), "BPJS_SANDBOX_URL": sandbox.base_url})
    group = ProcessGroup(env=env)
    group.start("worker", [*worker_command(concurrency=1, name=queue), "-Q", queue])
    yield group
    group.stop()
    app.conf.task_default_queue = previous_queue
    db_settings["CONN_MAX_AGE"] = previous_age


def login(page, base: str, username: str) -> None:
    page.goto(f"{base}/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", DEMO_PASSWORD)
    page.click("button[type=submit].primary")
    page.wait_for_selector("[data-testid=home-title]")


def test_front_desk_to_tv_with_pendaftaran_sent_by_the_worker(
    live_server, page, browser, sandbox, worker
):
    seed_demo()
    today = timezone.localdate()
    umum = Poli.objects.get(pcare_code="001")
    if today.weekday() == 6:  # the demo clinic is closed on Sundays: open it for the test
        DoctorSchedule.objects.create(
            facility=umum.facility,
            poli=umum,
            doctor=umum.schedules.first().doctor,
            weekday=6,
            start_time=clock_time(8),
            end_time=clock_time(14),
            daily_quota=50,
        )
    base = live_server.url

    # Front desk: look the card up at BPJS and register the patient from the answer.
    login(page, base, "frontdesk")
    page.goto(f"{base}/patients/baru/")
    page.fill("#id_bpjs_card_number", "0001000000001")
    page.click("[data-testid=check-bpjs]")
    page.wait_for_selector("[data-testid=eligibility]")
    assert page.input_value("#id_name") == "BUDI SANTOSO"
    page.click("[data-testid=save-patient]")
    page.wait_for_selector("[data-testid=register-visit]")

    # ... and a Poli Umum visit: the number shows at once.
    page.click("[data-testid=register-visit]")
    page.select_option("#id_poli", label="Poli Umum")
    page.fill("#id_complaint", "demam")
    page.click("[data-testid=visit-register-submit]")
    page.wait_for_selector("[data-testid=queue-number]")
    assert page.inner_text("[data-testid=queue-number]") == "A-1"

    # The worker sends the pendaftaran; the page updates itself with the state and noUrut.
    page.wait_for_function(
        "document.querySelector('[data-testid=pcare-no-urut]').innerText !== '-'",
        timeout=90_000,
    )
    no_urut = page.inner_text("[data-testid=pcare-no-urut]")
    row = page.locator("tr[data-operation='pcare.pendaftaran.add']")
    assert row.get_attribute("data-state") == "sent"
    assert row.locator("td").nth(1).inner_text() == f"Terkirim ({no_urut})"
    visit = Visit.objects.get()
    assert visit.pcare_no_urut == no_urut
    registrations = sandbox.control(
        "GET", "/state/pendaftaran", tglDaftar=today.strftime("%d-%m-%Y")
    )
    rows = registrations["pendaftaran"] if isinstance(registrations, dict) else registrations
    assert len(rows) == 1
    assert re.search(r"0001000000001", str(rows[0]))

    # The TV in the waiting room, open before the call.
    tv = browser.new_page()
    tv.goto(f"{base}/queues/tv/0999K001/")
    assert tv.inner_text("[data-testid=tv-number-001]") == "-"

    # The nurse calls the next number.
    page.click("form[action='/logout/'] button")
    login(page, base, "perawat")
    page.goto(f"{base}/queues/board/?poli={umum.pk}")
    page.click("[data-testid=call-next]")
    page.wait_for_selector("[data-testid=column-called] [data-testid=ticket-A-1]")

    started = time.monotonic()
    tv.wait_for_function(
        "document.querySelector('[data-testid=tv-number-001]').innerText === 'A-1'",
        timeout=10_000,
    )
    assert time.monotonic() - started < 10
    tv.close()
