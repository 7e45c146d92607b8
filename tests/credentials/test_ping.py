"""bpjs_ping over real HTTP against a sandbox process: each failure is named by its check."""

from __future__ import annotations

import io
import os
import subprocess
import sys
from datetime import date
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.urls import reverse

from bridging.credentials.models import BpjsCredential
from bridging.credentials.ping import CHECKS, _skew_check, first_open_day, run_ping
from tests.factories import FacilityFactory
from tests.support.sandbox import SandboxServer, free_port

pytestmark = pytest.mark.django_db
SERVICES = ["pcare", "antreanfktp", "icare", "vclaim"]
REPO = Path(__file__).resolve().parents[2]


def _ping(*args: str) -> tuple[str, CommandError | None]:
    out = io.StringIO()
    try:
        call_command("bpjs_ping", *args, stdout=out)
    except CommandError as exc:
        return out.getvalue(), exc
    return out.getvalue(), None


def _statuses(report, service: str) -> dict[str, str]:
    return {check.name: check.status for check in report.result(service).checks}


def test_every_check_passes_against_the_sandbox(sandbox, facility, demo_credentials):
    output, error = _ping("--env", "sandbox")
    assert error is None
    assert output.splitlines()[-1] == "Semua pemeriksaan lolos."
    for label in ("PCare [OK]", "Antrean FKTP [OK]", "iCare JKN [OK]", "VClaim [OK]"):
        assert label in output
    assert "  [OK]              Signature diterima (cons-id dan secret) (signature)" in output
    report = run_ping(facility_id=facility.pk, environment="sandbox")
    assert report.ok
    for service in SERVICES:
        assert _statuses(report, service) == dict.fromkeys(CHECKS, "ok")
        assert abs(report.result(service).clock_skew_seconds) < 5
    assert report.result("pcare").base_url == f"{sandbox.base_url}/pcare-rest-dev"


def test_a_wrong_secret_fails_the_signature_check(sandbox, facility, demo_credentials):
    pcare = BpjsCredential.objects.get(service="pcare")
    pcare.secret = "not-the-secret"
    pcare.save()
    output, error = _ping("--env", "sandbox")
    assert error is not None
    assert error.returncode == 1
    assert str(error) == "Pemeriksaan koneksi BPJS gagal: pcare.signature"
    assert "not-the-secret" not in output
    assert "PCare [GAGAL]" in output
    assert (
        "Signature diterima (cons-id dan secret) (signature): BPJS menolak X-signature." in output
    )
    report = run_ping(facility_id=facility.pk, environment="sandbox", services=["pcare"])
    assert _statuses(report, "pcare") == {
        "configuration": "ok",
        "reachable": "ok",
        "signature": "fail",
        "timestamp": "skip",
        "access": "skip",
        "answer": "skip",
        "decryption": "skip",
        "clock_skew": "ok",
        "latency": "ok",
    }


def test_a_clock_offset_fails_timestamp_and_clock_skew(sandbox, facility, demo_credentials):
    sandbox.control("POST", "/clock", {"offset_seconds": -600})
    output, error = _ping("--env", "sandbox")
    assert error is not None
    assert error.returncode == 1
    assert str(error) == "Pemeriksaan koneksi BPJS gagal: " + ", ".join(
        f"{s}.{c}" for s in SERVICES for c in ("timestamp", "clock_skew")
    )
    assert "Selisih jam (clock_skew): +600 detik (jam klinik lebih cepat dari BPJS)" in output
    report = run_ping(facility_id=facility.pk, environment="sandbox")
    for service in SERVICES:
        statuses = _statuses(report, service)
        assert (statuses["signature"], statuses["timestamp"], statuses["clock_skew"]) == (
            "skip",
            "fail",
            "fail",
        )
        assert 598 <= report.result(service).clock_skew_seconds <= 602


def test_a_dead_port_fails_reachable(settings, facility, demo_credentials):
    settings.BPJS_SANDBOX_URL = f"http://127.0.0.1:{free_port()}"
    output, error = _ping("--env", "sandbox", "--facility", "0999K001")
    assert error is not None
    assert str(error) == "Pemeriksaan koneksi BPJS gagal: " + ", ".join(
        f"{s}.reachable" for s in SERVICES
    )
    assert "Server dapat dihubungi (reachable): Tidak dapat terhubung ke server BPJS" in output
    report = run_ping(facility_id=facility.pk, environment="sandbox", services=["vclaim"])
    assert _statuses(report, "vclaim") == {
        **dict.fromkeys(CHECKS, "skip"),
        "configuration": "ok",
        "reachable": "fail",
    }


def test_a_wrong_user_key_fails_access(sandbox, facility, demo_credentials):
    vclaim = BpjsCredential.objects.get(service="vclaim")
    vclaim.user_key = "wrong-key"
    vclaim.save()
    report = run_ping(facility_id=facility.pk, environment="sandbox", services=["vclaim"])
    statuses = _statuses(report, "vclaim")
    assert (statuses["signature"], statuses["timestamp"], statuses["access"]) == (
        "ok",
        "ok",
        "fail",
    )
    assert report.failures == [("vclaim", "access")]


def test_missing_credentials_fail_configuration_and_send_nothing(sandbox, facility):
    output, error = _ping("--env", "development")
    assert error is not None
    assert str(error) == "Pemeriksaan koneksi BPJS gagal: " + ", ".join(
        f"{s}.configuration" for s in SERVICES
    )
    assert "Kredensial BPJS PCare untuk lingkungan BPJS Development belum diisi" in output
    assert sandbox.control("GET", "/requests")["requests"] == []


def test_several_facilities_need_the_facility_option(facility, other_facility):
    _output, error = _ping("--env", "sandbox")
    assert error is not None
    assert str(error) == (
        "Ada beberapa faskes; sebutkan salah satu dengan --facility KODE (0999K001, 0999K002)."
    )
    _output, error = _ping("--env", "sandbox", "--facility", "0999K999")
    assert str(error) == "Faskes 0999K999 tidak ditemukan."


def test_the_admin_button_shows_the_checks(sandbox, client_for, admin, demo_credentials):
    url = reverse("credentials:test", args=["sandbox"])
    client = client_for(admin)
    partial = client.post(url, HTTP_HX_REQUEST="true")
    assert partial.status_code == 200
    html = partial.content.decode()
    assert "<html" not in html
    assert 'data-check="pcare.signature" data-status="ok"' in html
    assert "Semua pemeriksaan lolos." in html
    sandbox.control("POST", "/clock", {"offset_seconds": -600})
    page = client.post(url).content.decode()
    assert "<html" in page
    assert 'data-check="vclaim.timestamp" data-status="fail"' in page
    assert "Ada pemeriksaan yang gagal." in page


def test_the_admin_button_checks_only_the_admin_facility(sandbox, client_for, admin):
    other = FacilityFactory(bpjs_provider_code="0999K003")
    BpjsCredential.objects.create(
        facility=other, environment="sandbox", service="pcare", cons_id="1000"
    )
    html = client_for(admin).post(reverse("credentials:test", args=["sandbox"])).content.decode()
    assert 'data-check="pcare.configuration" data-status="fail"' in html


@pytest.mark.parametrize(
    ("today", "expected"),
    [
        (date(2026, 3, 6), date(2026, 3, 7)),  # Friday -> Saturday
        (date(2026, 3, 7), date(2026, 3, 9)),  # Saturday -> Monday
        (date(2026, 3, 8), date(2026, 3, 9)),  # Sunday -> Monday
    ],
)
def test_the_antrean_read_uses_the_first_open_day_after_today(today, expected):
    assert first_open_day(today) == expected


@pytest.mark.parametrize(
    ("skew", "status", "detail"),
    [
        (0.4, "ok", "+0 detik (jam sesuai)"),
        (-31.0, "warn", "-31 detik (jam klinik lebih lambat dari BPJS)"),
        (
            121.0,
            "fail",
            "+121 detik (jam klinik lebih cepat dari BPJS) Sinkronkan jam server (NTP).",
        ),
        (None, "skip", "Jawaban tidak membawa header Date."),
    ],
)
def test_clock_skew_thresholds(skew, status, detail):
    check = _skew_check(skew)
    assert (check.status, check.detail) == (status, detail)


@pytest.mark.django_db(transaction=True)
def test_the_command_exit_status_in_a_real_process(tmp_path):
    """``manage.py bpjs_ping`` exits 0 when every check passes and 1 when one fails."""
    with SandboxServer() as server:
        env = {
            **os.environ,
            "CLINIC_VAR_DIR": str(tmp_path),
            "DATABASE_URL": f"sqlite:///{tmp_path / 'db.sqlite3'}",
            "BPJS_SANDBOX_URL": server.base_url,
        }

        def manage(*args: str) -> subprocess.CompletedProcess[str]:
            return subprocess.run(
                [sys.executable, "manage.py", *args],
                cwd=REPO,
                env=env,
                capture_output=True,
                text=True,
                timeout=120,
            )

        assert manage("migrate", "-v0").returncode == 0
        assert manage("seed_demo").returncode == 0
        passed = manage("bpjs_ping", "--env", "sandbox")
        assert passed.returncode == 0, passed.stderr
        assert passed.stdout.splitlines()[-1] == "Semua pemeriksaan lolos."
        server.control("POST", "/clock", {"offset_seconds": -600})
        failed = manage("bpjs_ping", "--env", "sandbox", "--service", "pcare")
        assert failed.returncode == 1
        assert failed.stderr.strip() == (
            "CommandError: Pemeriksaan koneksi BPJS gagal: pcare.timestamp, pcare.clock_skew"
        )


def test_the_check_logs_no_secret(sandbox, facility, demo_credentials, caplog):
    pcare = BpjsCredential.objects.get(service="pcare")
    pcare.secret = "wrong-secret-value"
    pcare.save()
    with caplog.at_level("DEBUG"):
        _ping("--env", "sandbox", "-v", "2")
    assert "bpjs pcare GET kesadaran" in caplog.text
    for secret in ("wrong-secret-value", "sandbox-secret", "sandbox-user-key", "Demo#2026"):
        assert secret not in caplog.text


def test_the_details_follow_the_active_language(sandbox, facility, demo_credentials):
    from django.utils import translation

    with translation.override("en"):
        report = run_ping(facility_id=facility.pk, environment="sandbox", services=["pcare"])
        assert report.result("pcare").check("decryption").detail.endswith("characters of JSON")
        assert report.result("pcare").check("decryption").label == "Answer decrypted"
