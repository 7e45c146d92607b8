"""``manage.py bpjs_uat`` against a sandbox and the clinic served by the live test server."""

from __future__ import annotations

import io
import json
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from bridging.antrean_ws.models import AntreanWsAccount
from bridging.uat.models import UatRun
from bridging.uat.scenarios.base import GROUPS, registry
from clinic.queues.models import DoctorSchedule

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.slow]

FAULTS = {"error_rate": 0.3, "timeout_rate": 0.1, "hang_seconds": 1, "seed": 7}


def _uat(live_server, report: Path, *extra: str) -> tuple[str, CommandError | None]:
    out = io.StringIO()
    err = io.StringIO()
    try:
        call_command(
            "bpjs_uat",
            "--env",
            "sandbox",
            "--report",
            str(report),
            "--clinic-url",
            f"{live_server.url}/ws/antreanfktp",
            *extra,
            stdout=out,
            stderr=err,
        )
    except CommandError as exc:
        return out.getvalue() + err.getvalue(), exc
    return out.getvalue() + err.getvalue(), None


def test_every_scenario_passes_against_the_sandbox_and_leaves_the_clinic_as_it_was(
    live_server, sandbox, demo_clinic, tmp_path
):
    quotas = sorted(DoctorSchedule.objects.values_list("pk", "daily_quota"))
    report_path = tmp_path / "report.json"

    output, error = _uat(live_server, report_path)

    report = json.loads(report_path.read_text())
    failed = [
        (s["group"], s["name"], s["message"]) for s in report["steps"] if s["verdict"] != "pass"
    ]
    assert failed == []
    assert error is None
    assert [f"{s['group']}.{s['name']}" for s in report["steps"]] == [
        spec.key for spec in registry()
    ]
    assert {s["group"] for s in report["steps"]} == set(GROUPS)
    assert report["run"]["ok"] is True
    assert report["run"]["summary"]["passed"] == len(registry())
    assert report["run"]["context"]["sandbox_restore"] == "unchanged"
    assert f"Summary: {len(registry())} passed, 0 failed" in output
    assert "Traceback" not in output
    # Clinic-side settings the run changed are back.
    assert AntreanWsAccount.objects.get().token_lifetime_seconds == 3600
    assert AntreanWsAccount.objects.get().booking_days_ahead == 3
    assert sorted(DoctorSchedule.objects.values_list("pk", "daily_quota")) == quotas
    run = UatRun.objects.get()
    assert (run.state, run.started_from, run.clinic_ws_password_encrypted) == (
        "finished",
        "cli",
        "",
    )


def test_report_keeps_no_card_number_nik_name_or_secret(
    live_server, sandbox, demo_clinic, tmp_path
):
    report_path = tmp_path / "report.json"
    _uat(live_server, report_path, "--group", "pcare", "--group", "clinic_ws")
    text = report_path.read_text()
    for secret in (
        "0001000000001",
        "3273010507850001",
        "BUDI SANTOSO",
        "sandbox-secret",
        "sandbox-user-key",
        "Demo#2026",
        "00020000",
    ):
        assert secret not in text
    step = next(s for s in json.loads(text)["steps"] if s["name"] == "pendaftaran_add")
    post = step["exchanges"][-1]
    assert (post["method"], post["path"], post["body"]["noKartu"]) == ("POST", "pendaftaran", "***")
    assert post["response"]["code"] == "201"


def test_sandbox_faults_are_reported_step_by_step_and_left_as_found(
    live_server, sandbox, demo_clinic, tmp_path
):
    sandbox.control("PUT", "/faults", FAULTS)
    faults_before = sandbox.control("GET", "/faults")
    report_path = tmp_path / "report.json"

    output, error = _uat(live_server, report_path)

    assert error is not None
    assert error.returncode == 1
    report = json.loads(report_path.read_text())
    bad = [s for s in report["steps"] if s["verdict"] in ("fail", "error")]
    assert bad
    assert report["run"]["state"] == "finished"
    assert report["run"]["ok"] is False
    assert len(report["steps"]) == len(registry())
    for item in bad:
        assert item["message"]
        assert f"{item['group']}.{item['name']}" in str(error)
        assert f"{item['group']}.{item['name']}" in output
    # Only BPJS is faulted: every failure is in a BPJS group, the clinic's own WS all passed.
    assert {s["group"] for s in bad} <= {"pcare", "antrean_fktp", "icare"}
    assert "Traceback" not in output
    assert sandbox.control("GET", "/faults") == faults_before
    assert report["run"]["context"]["sandbox_faults"] == faults_before
