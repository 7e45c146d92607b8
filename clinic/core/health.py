"""Liveness of the database, the broker and the background processes."""

from __future__ import annotations

import time
from datetime import timedelta
from typing import Any

from django.conf import settings
from django.db import close_old_connections, connection
from django.utils import timezone

from clinic.core.models import Heartbeat


def record_heartbeat(kind: str, hostname: str) -> None:
    """Called from the worker's timer thread and from the beat task."""
    close_old_connections()
    try:
        Heartbeat.objects.update_or_create(
            kind=kind, hostname=hostname, defaults={"seen_at": timezone.now()}
        )
    finally:
        close_old_connections()


def check_database() -> dict[str, Any]:
    started = time.perf_counter()
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except Exception as exc:  # any failure means "down"
        return {"ok": False, "error": type(exc).__name__}
    return {
        "ok": True,
        "vendor": connection.vendor,
        "ms": round((time.perf_counter() - started) * 1000, 1),
    }


def check_broker() -> dict[str, Any]:
    from clinic.celery import app

    started = time.perf_counter()
    try:
        with app.connection_for_write() as conn:
            conn.ensure_connection(max_retries=1, timeout=2)
            transport = conn.transport_cls
    except Exception as exc:  # any failure means "down"
        return {"ok": False, "error": type(exc).__name__}
    return {
        "ok": True,
        "transport": str(transport),
        "ms": round((time.perf_counter() - started) * 1000, 1),
    }


def check_heartbeat(kind: str) -> dict[str, Any]:
    stale = timedelta(seconds=settings.WORKER_STALE_SECONDS)
    try:
        beat = Heartbeat.objects.filter(kind=kind).order_by("-seen_at").first()
    except Exception as exc:  # the database check reports the cause
        return {"ok": False, "error": type(exc).__name__}
    if beat is None:
        return {"ok": False, "error": "never seen"}
    age = (timezone.now() - beat.seen_at).total_seconds()
    return {"ok": age <= stale.total_seconds(), "last_seen_seconds_ago": round(age, 1)}


def health_report() -> tuple[bool, dict[str, Any]]:
    checks = {
        "database": check_database(),
        "broker": check_broker(),
        "worker": check_heartbeat("worker"),
    }
    ok = all(c["ok"] for c in checks.values())
    # Beat is reported but not required: jobs still run without it, only later.
    checks["beat"] = check_heartbeat("beat")
    return ok, checks
