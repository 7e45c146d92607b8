"""`manage.py runall` (what `make run` ends with) starts everything and stops everything."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest

from clinic.core.processes import free_port

ROOT = Path(__file__).resolve().parents[2]
pytestmark = pytest.mark.slow


def _get(url: str) -> tuple[int, bytes]:
    try:
        with urllib.request.urlopen(url, timeout=5) as response:
            return response.status, response.read()
    except urllib.error.HTTPError as exc:
        return exc.code, exc.read()


def test_runall_serves_login_and_healthz_then_stops_on_ctrl_c(tmp_path):
    env = {**os.environ, "CLINIC_VAR_DIR": str(tmp_path), "WORKER_HEARTBEAT_SECONDS": "2"}
    for key in ("DJANGO_ALLOW_ASYNC_UNSAFE", "PYTEST_XDIST_WORKER"):
        env.pop(key, None)
    if "DATABASE_URL" in env:  # the test database of this run is not migrated for a process
        env.pop("DATABASE_URL")
    subprocess.run(
        [sys.executable, "manage.py", "migrate", "--noinput"],
        cwd=ROOT,
        env=env,
        check=True,
        capture_output=True,
        timeout=300,
    )
    web, sandbox = free_port(), free_port()
    proc = subprocess.Popen(
        [sys.executable, "manage.py", "runall", "--port", str(web), "--sandbox-port", str(sandbox)],
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )
    try:
        deadline = time.monotonic() + 90
        health: dict = {}
        while time.monotonic() < deadline:
            try:
                status, body = _get(f"http://127.0.0.1:{web}/healthz")
            except OSError:
                time.sleep(0.5)
                continue
            health = json.loads(body)
            if status == 200:
                break
            time.sleep(0.5)
        assert health.get("status") == "ok", health
        assert {k: v["ok"] for k, v in health["checks"].items() if k != "beat"} == {
            "database": True,
            "broker": True,
            "worker": True,
        }
        status, body = _get(f"http://127.0.0.1:{web}/login/")
        assert status == 200
        assert b"<h1>Masuk</h1>" in body
        status, _body = _get(f"http://127.0.0.1:{sandbox}/_sandbox/settings")
        assert status == 200
    finally:
        os.killpg(proc.pid, signal.SIGINT) if proc.poll() is None else None
        try:
            output = proc.communicate(timeout=30)[0].decode(errors="replace")
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)
            output = proc.communicate()[0].decode(errors="replace")
    assert "All processes stopped." in output
    for port in (web, sandbox):
        with pytest.raises(OSError):
            _get(f"http://127.0.0.1:{port}/healthz")
