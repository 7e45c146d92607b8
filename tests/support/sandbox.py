"""Start a BPJS sandbox (``python -m bridging.sandbox serve``) on a free port for tests.

    with SandboxServer() as sandbox:
        requests.get(sandbox.pcare_url + "/kesadaran", headers=...)
        sandbox.control("PUT", "/faults", {"error_rate": 1.0})

Each instance has its own temporary SQLite file and its own process group, killed at exit.
"""

from __future__ import annotations

import contextlib
import os
import signal
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from types import TracebackType
from typing import Any

import requests

REPO_ROOT = Path(__file__).resolve().parents[2]


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
    return port


class SandboxServer:
    def __init__(
        self,
        *,
        port: int | None = None,
        db_path: str | None = None,
        control_token: str | None = None,
        startup_timeout: float = 30.0,
    ) -> None:
        self.port = port or free_port()
        self._tmpdir: tempfile.TemporaryDirectory[str] | None = None
        if db_path is None:
            self._tmpdir = tempfile.TemporaryDirectory(prefix="bpjs-sandbox-")
            db_path = str(Path(self._tmpdir.name) / "sandbox.sqlite3")
        self.db_path = db_path
        self.control_token = control_token
        self.startup_timeout = startup_timeout
        self.process: subprocess.Popen[bytes] | None = None
        self._stderr: Any = None
        self.base_url = f"http://127.0.0.1:{self.port}"
        self.pcare_url = f"{self.base_url}/pcare-rest-dev"
        self.antrean_url = f"{self.base_url}/antreanfktp_dev"
        self.icare_url = f"{self.base_url}/ihs_dev"
        self.vclaim_url = f"{self.base_url}/vclaim-rest-dev"
        self.control_url = f"{self.base_url}/_sandbox"
        self.session = requests.Session()

    # ---- life cycle ------------------------------------------------------------------------
    def start(self) -> SandboxServer:
        env = dict(os.environ)
        env.pop("BPJS_SANDBOX_CONTROL_TOKEN", None)
        if self.control_token:
            env["BPJS_SANDBOX_CONTROL_TOKEN"] = self.control_token
        env["PYTHONPATH"] = str(REPO_ROOT) + os.pathsep + env.get("PYTHONPATH", "")
        # A file, not a pipe: a pipe nobody reads would block the server once full.
        self._stderr = tempfile.TemporaryFile()  # noqa: SIM115 - closed in stop()
        self.process = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "bridging.sandbox",
                "serve",
                "--host",
                "127.0.0.1",
                "--port",
                str(self.port),
                "--db",
                self.db_path,
            ],
            cwd=str(REPO_ROOT),
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=self._stderr,
            start_new_session=True,
        )
        deadline = time.monotonic() + self.startup_timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                self._stderr.seek(0)
                stderr = self._stderr.read().decode(errors="replace")
                raise RuntimeError(f"sandbox exited early ({self.process.returncode}): {stderr}")
            try:
                if requests.get(f"{self.control_url}/health", timeout=1).status_code == 200:
                    return self
            except requests.RequestException:
                pass
            time.sleep(0.1)
        self.stop()
        raise RuntimeError(f"sandbox did not answer on port {self.port}")

    def stop(self) -> None:
        self.session.close()
        if self.process is not None and self.process.poll() is None:
            try:
                os.killpg(self.process.pid, signal.SIGTERM)
                self.process.wait(timeout=10)
            except (ProcessLookupError, subprocess.TimeoutExpired):
                with contextlib.suppress(ProcessLookupError):
                    os.killpg(self.process.pid, signal.SIGKILL)
                self.process.wait(timeout=10)
        if self._stderr is not None:
            self._stderr.close()
            self._stderr = None
        self.process = None
        if self._tmpdir is not None:
            self._tmpdir.cleanup()
            self._tmpdir = None

    def restart(self) -> None:
        """Stop the process and start it again on the same port and database file."""
        tmpdir, self._tmpdir = self._tmpdir, None
        self.stop()
        self._tmpdir = tmpdir
        self.session = requests.Session()
        self.start()

    def __enter__(self) -> SandboxServer:
        return self.start()

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.stop()

    # ---- control surface ---------------------------------------------------------------------
    def control(self, method: str, path: str, json: Any = None, **params: Any) -> Any:
        """Call ``/_sandbox{path}`` and return its JSON; raises for a non-2xx answer."""
        headers = {"X-Sandbox-Token": self.control_token} if self.control_token else {}
        response = self.session.request(
            method,
            f"{self.control_url}{path}",
            json=json,
            params=params or None,
            headers=headers,
            timeout=60,
        )
        response.raise_for_status()
        return response.json()

    def reset(self) -> None:
        self.control("POST", "/reset")
