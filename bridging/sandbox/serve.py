"""Serve the sandbox with gunicorn, programmatically.

* ``header_map = "dangerous"``: gunicorn 22+ drops headers with an underscore otherwise, and
  the gateway's ``user_key`` header has one.
* one gthread worker with many threads: a 65 s hang holds one thread, never the others, and the
  fault generator (one per process) stays repeatable for a given seed.
* the app's ``Date`` header (the sandbox clock, offset included) replaces gunicorn's own,
  which gunicorn would otherwise send instead (it drops an application's ``Date``).
"""

from __future__ import annotations

from typing import Any

from gunicorn.app.base import BaseApplication
from gunicorn.http import wsgi as gunicorn_wsgi

from bridging.sandbox.app import create_app
from bridging.sandbox.data import diagnoses_by_code

_original_default_headers = gunicorn_wsgi.Response.default_headers
_original_process_headers = gunicorn_wsgi.Response.process_headers


def _process_headers(self: Any, headers: list[tuple[str, str]]) -> None:
    # gunicorn drops an application's Date header (it counts it as hop-by-hop): keep its value.
    for name, value in headers:
        if name.lower() == "date":
            self.sandbox_date = value
    _original_process_headers(self, headers)


def _default_headers(self: Any) -> list[str]:
    headers: list[str] = _original_default_headers(self)
    date = getattr(self, "sandbox_date", None)
    if date:
        headers = [f"Date: {date}\r\n" if line.startswith("Date: ") else line for line in headers]
    return headers


class SandboxServer(BaseApplication):
    def __init__(self, options: dict[str, Any], db_path: str) -> None:
        self.options = options
        self.db_path = db_path
        super().__init__()

    def load_config(self) -> None:
        for key, value in self.options.items():
            self.cfg.set(key, value)

    def load(self) -> Any:
        app = create_app(self.db_path)
        diagnoses_by_code()  # build the ICD-10 table before the first request needs it
        return app


def serve(
    *, host: str, port: int, db_path: str, threads: int = 64, log_level: str = "warning"
) -> None:
    gunicorn_wsgi.Response.process_headers = _process_headers
    gunicorn_wsgi.Response.default_headers = _default_headers
    # Create the store (schema, WAL) once before the worker starts.
    create_app(db_path)
    options = {
        "bind": f"{host}:{port}",
        "workers": 1,
        "worker_class": "gthread",
        "threads": threads,
        "header_map": "dangerous",
        "timeout": 120,
        "graceful_timeout": 5,
        "keepalive": 5,
        "loglevel": log_level,
        "accesslog": None,
        "proc_name": "bpjs-sandbox",
    }
    SandboxServer(options, db_path).run()
