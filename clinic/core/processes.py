"""Start and stop the clinic's processes together (``make run`` and end-to-end tests)."""

from __future__ import annotations

import contextlib
import os
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parents[2]


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def wait_for_port(host: str, port: int, timeout: float = 30.0) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            with socket.create_connection((host, port), timeout=0.5):
                return True
        except OSError:
            time.sleep(0.1)
    return False


def web_command(
    host: str, port: int, *, workers: int = 2, threads: int = 4, worker_class: str = "gthread"
) -> list[str]:
    return [
        sys.executable,
        "-m",
        "gunicorn",
        "clinic.wsgi:application",
        "--bind",
        f"{host}:{port}",
        "--workers",
        str(workers),
        "--threads",
        str(threads),
        "--worker-class",
        worker_class,
        "--access-logfile",
        "-",
        "--graceful-timeout",
        "5",
        # Keep headers with underscores (none expected, but BPJS clients are lenient senders).
        "--header-map",
        "dangerous",
    ]


def sandbox_command(host: str, port: int, db_path: Path) -> list[str]:
    return [
        sys.executable,
        "-m",
        "bridging.sandbox",
        "serve",
        "--host",
        host,
        "--port",
        str(port),
        "--db",
        str(db_path),
    ]


def worker_command(*, concurrency: int = 2, name: str = "worker") -> list[str]:
    return [
        sys.executable,
        "-m",
        "celery",
        "-A",
        "clinic",
        "worker",
        "--loglevel",
        "INFO",
        "--concurrency",
        str(concurrency),
        "--hostname",
        f"{name}@%h",
        "--without-gossip",
        "--without-mingle",
    ]


def beat_command(schedule_file: Path) -> list[str]:
    return [
        sys.executable,
        "-m",
        "celery",
        "-A",
        "clinic",
        "beat",
        "--loglevel",
        "INFO",
        "--schedule",
        str(schedule_file),
    ]


@dataclass
class ProcessGroup:
    """Children in their own process groups, stopped together."""

    env: Mapping[str, str] = field(default_factory=lambda: dict(os.environ))
    procs: dict[str, subprocess.Popen[bytes]] = field(default_factory=dict)

    def start(self, name: str, cmd: Sequence[str], *, stdout: int | None = None) -> None:
        self.procs[name] = subprocess.Popen(  # noqa: S603 - our own commands
            list(cmd),
            cwd=BASE_DIR,
            env=dict(self.env),
            start_new_session=True,
            stdout=stdout,
            stderr=subprocess.STDOUT if stdout is not None else None,
        )

    def exited(self) -> dict[str, int]:
        return {n: p.returncode for n, p in self.procs.items() if p.poll() is not None}

    def stop(self, timeout: float = 10.0) -> None:
        # SIGTERM to each leader only: gunicorn and Celery then shut their children down
        # gracefully; whatever is left at the deadline gets SIGKILL as a group.
        for proc in self.procs.values():
            if proc.poll() is None:
                proc.send_signal(signal.SIGTERM)
        deadline = time.monotonic() + timeout
        for proc in self.procs.values():
            remaining = max(0.1, deadline - time.monotonic())
            try:
                proc.wait(timeout=remaining)
            except subprocess.TimeoutExpired:
                with contextlib.suppress(ProcessLookupError):
                    os.killpg(proc.pid, signal.SIGKILL)
                proc.wait()
            with contextlib.suppress(ProcessLookupError, PermissionError):
                os.killpg(proc.pid, signal.SIGKILL)
