"""The admin's UAT pages: start, progress, downloads, comparison, environment switch."""

from __future__ import annotations

import io
import json
import zipfile

import pytest
from django.urls import reverse

from bridging.uat import tasks
from bridging.uat.models import RunState, UatRun
from bridging.uat.scenarios.base import GROUPS, registry
from clinic.core.models import AuditEvent, Facility
from tests.uat.factories import make_run

pytestmark = pytest.mark.django_db


@pytest.fixture
def queued(monkeypatch):
    """Runs handed to Celery (not run)."""
    sent: list[int] = []
    monkeypatch.setattr(tasks.run_uat, "delay", lambda run_id: sent.append(run_id))
    return sent


@pytest.mark.parametrize("name", ["runs", "compare", "environment"])
def test_uat_pages_refuse_everyone_but_the_clinic_admin(client_for, dokter, frontdesk, name):
    for user in (dokter, frontdesk):
        response = client_for(user).get(reverse(f"uat:{name}"))
        assert response.status_code == 403


def test_admin_starts_a_run_handed_to_celery_and_audited(
    client_for, admin, queued, django_capture_on_commit_callbacks
):
    client = client_for(admin)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("uat:runs"),
            {
                "environment": "sandbox",
                "groups": ["pcare", "icare"],
                "clinic_url": "http://127.0.0.1:9/ws/antreanfktp",
                "ws_username": "mobilejkn",
                "ws_password": "Rahasia#1",
            },
        )
    run = UatRun.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("uat:run", args=[run.pk])
    assert queued == [run.pk]
    assert (run.state, run.groups, run.started_by, run.writes_confirmed) == (
        RunState.QUEUED,
        ["pcare", "icare"],
        admin,
        False,
    )
    assert run.progress_total == len(registry(["pcare", "icare"]))
    assert "Rahasia#1" not in run.clinic_ws_password_encrypted
    event = AuditEvent.objects.get(object_type="uat.uatrun")
    assert (event.action, event.object_id, event.actor) == ("action", str(run.pk), admin)


def test_production_writes_confirmation_is_kept_only_for_production(client_for, admin, queued):
    client = client_for(admin)
    form = {
        "groups": list(GROUPS),
        "clinic_url": "http://127.0.0.1:9/ws/antreanfktp",
        "ws_username": "mobilejkn",
        "confirm_production_writes": "on",
    }
    client.post(reverse("uat:runs"), {**form, "environment": "sandbox"})
    client.post(reverse("uat:runs"), {**form, "environment": "production"})
    assert list(UatRun.objects.order_by("pk").values_list("environment", "writes_confirmed")) == [
        ("sandbox", False),
        ("production", True),
    ]


def test_progress_polls_while_running_and_offers_downloads_when_finished(client_for, admin):
    run = make_run(admin.facility, {"pcare.a": "pass"}, state=RunState.RUNNING)
    client = client_for(admin)
    running = client.get(reverse("uat:progress", args=[run.pk])).content.decode()
    assert 'hx-trigger="every 1s"' in running
    assert 'data-done="1"' in running
    assert reverse("uat:report-pdf", args=[run.pk]) not in running
    UatRun.objects.filter(pk=run.pk).update(state=RunState.FINISHED)
    finished = client.get(reverse("uat:progress", args=[run.pk])).content.decode()
    assert "hx-trigger" not in finished
    assert reverse("uat:report-pdf", args=[run.pk]) in finished


def test_another_facilitys_run_is_not_found(client_for, admin, other_facility):
    run = make_run(other_facility, {"pcare.a": "pass"})
    assert client_for(admin).get(reverse("uat:run", args=[run.pk])).status_code == 404
    assert client_for(admin).get(reverse("uat:report-zip", args=[run.pk])).status_code == 404


def test_reports_download_as_json_zip_html_and_pdf(client_for, admin):
    run = make_run(admin.facility, {"pcare.peserta": "pass", "icare.validate": "fail"})
    client = client_for(admin)

    data = json.loads(client.get(reverse("uat:report-json", args=[run.pk])).content)
    assert [(s["name"], s["verdict"]) for s in data["steps"]] == [
        ("peserta", "pass"),
        ("validate", "fail"),
    ]
    assert data["run"]["summary"] == {
        "passed": 1,
        "failed": 1,
        "errors": 0,
        "skipped": 0,
        "total": 2,
    }

    archive = zipfile.ZipFile(
        io.BytesIO(client.get(reverse("uat:report-zip", args=[run.pk])).content)
    )
    assert sorted(archive.namelist()) == [
        f"uat-{run.pk}/report.json",
        f"uat-{run.pk}/steps/001-pcare-peserta.json",
        f"uat-{run.pk}/steps/002-icare-validate.json",
    ]

    html = client.get(reverse("uat:report-html", args=[run.pk]))
    assert html["Content-Disposition"] == (
        f'attachment; filename="uat-0999K001-sandbox-{run.pk}.html"'
    )
    text = html.content.decode()
    assert "Expectation peserta" in text and "Outcome validate" in text

    pdf = client.get(reverse("uat:report-pdf", args=[run.pk]))
    assert pdf["Content-Type"] == "application/pdf"
    assert pdf.content.startswith(b"%PDF")
    assert AuditEvent.objects.filter(action="export", object_id=str(run.pk)).count() == 4


def test_compare_shows_the_verdict_change_of_each_step(client_for, admin):
    before = make_run(
        admin.facility,
        {"pcare.a": "fail", "pcare.b": "pass", "pcare.c": "pass", "pcare.old": "pass"},
    )
    after = make_run(
        admin.facility,
        {"pcare.a": "pass", "pcare.b": "error", "pcare.c": "pass", "pcare.new": "skipped"},
    )
    response = client_for(admin).get(reverse("uat:compare"), {"a": after.pk, "b": before.pk})
    rows = {row.key: row.direction for row in response.context["rows"]}
    assert rows == {
        "pcare.a": "fixed",
        "pcare.b": "broken",
        "pcare.c": "same",
        "pcare.new": "new",
        "pcare.old": "gone",
    }
    assert response.context["before"] == before


def test_environment_switch_needs_a_confirmation_and_is_audited(client_for, admin):
    client = client_for(admin)
    url = reverse("uat:environment")

    first = client.post(url, {"environment": "development"})
    assert first.status_code == 200
    assert first.templates[0].name == "uat/environment_confirm.html"
    assert Facility.objects.get().bpjs_environment == "sandbox"

    wrong = client.post(url, {"environment": "development", "confirm": "True", "confirm_text": "X"})
    assert wrong.status_code == 200
    assert Facility.objects.get().bpjs_environment == "sandbox"

    done = client.post(
        url, {"environment": "development", "confirm": "True", "confirm_text": "0999K001"}
    )
    assert done.status_code == 302
    assert Facility.objects.get().bpjs_environment == "development"
    event = AuditEvent.objects.get(object_type="core.facility")
    assert (event.action, event.summary, event.actor) == (
        "update",
        "BPJS environment changed: sandbox -> development",
        admin,
    )
    page = client.get(url).content.decode()
    assert 'data-testid="env-badge">BPJS DEVELOPMENT<' in page
