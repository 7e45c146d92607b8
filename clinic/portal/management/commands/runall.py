from __future__ import annotations

import os
import signal
import time
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from clinic.core.processes import (
    ProcessGroup,
    beat_command,
    sandbox_command,
    wait_for_port,
    web_command,
    worker_command,
)
from clinic.portal.demo import DEMO_PASSWORD, DEMO_USERS


class Command(BaseCommand):
    help = "Start the web app, the BPJS sandbox, a Celery worker and beat; Ctrl-C stops them all."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--host", default=os.environ.get("HOST", "127.0.0.1"))
        parser.add_argument("--port", type=int, default=int(os.environ.get("WEB_PORT", "8000")))
        parser.add_argument(
            "--sandbox-port", type=int, default=int(os.environ.get("SANDBOX_PORT", "8001"))
        )
        parser.add_argument("--no-sandbox", action="store_true")

    def handle(self, *args: Any, **opts: Any) -> None:
        host, port, sandbox_port = opts["host"], opts["port"], opts["sandbox_port"]
        group = ProcessGroup()
        stop = False

        def _stop(signum: int, frame: Any) -> None:
            nonlocal stop
            stop = True

        signal.signal(signal.SIGINT, _stop)
        signal.signal(signal.SIGTERM, _stop)
        var = settings.VAR_DIR
        if not opts["no_sandbox"]:
            group.start("sandbox", sandbox_command(host, sandbox_port, var / "sandbox.sqlite3"))
        group.start("web", web_command(host, port))
        group.start("worker", worker_command())
        group.start("beat", beat_command(var / "celerybeat-schedule"))
        if not wait_for_port(host, port, timeout=60):
            group.stop()
            raise CommandError(f"The web app did not start on {host}:{port}.")
        self.stdout.write(self.style.SUCCESS(f"\nKlinik is running: http://{host}:{port}/"))
        if not opts["no_sandbox"]:
            self.stdout.write(f"BPJS sandbox: http://{host}:{sandbox_port}/")
        self.stdout.write(f"Health: http://{host}:{port}/healthz   API docs: /api/docs/")
        users = ", ".join(u[0] for u in DEMO_USERS)
        self.stdout.write(f"Demo logins: {users} (password {DEMO_PASSWORD})")
        self.stdout.write("Press Ctrl-C to stop everything.\n")
        try:
            while not stop:
                dead = group.exited()
                if dead:
                    self.stderr.write(f"Stopped because a process exited: {dead}")
                    break
                time.sleep(0.5)
        finally:
            group.stop()
            self.stdout.write("All processes stopped.")
        if not stop:
            raise CommandError("A process exited unexpectedly; see the log above.")
