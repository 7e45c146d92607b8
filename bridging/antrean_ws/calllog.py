"""The inbound call log, written in batches.

Writing one row per call would add a commit (a WAL flush on PostgreSQL, the write lock on
SQLite) to every answer, even a read. Calls are kept in a per-process buffer and written with
one ``bulk_create`` when the buffer is ``ANTREAN_WS_LOG_FLUSH_SECONDS`` old (default 1 s; 0 writes
each call at once), holds 500 calls, or when the process exits. A timer writes a buffer that
no later call comes to flush.
"""

from __future__ import annotations

import atexit
import logging
import threading
import time

from django.conf import settings
from django.db import DatabaseError, connection

from bridging.antrean_ws.models import InboundCall

log = logging.getLogger("bridging.antrean_ws")

MAX_BUFFER = 500
DEFAULT_FLUSH_SECONDS = 1.0


class CallLog:
    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._rows: list[InboundCall] = []
        self._since = 0.0
        self._timer: threading.Timer | None = None

    @staticmethod
    def interval() -> float:
        return float(getattr(settings, "ANTREAN_WS_LOG_FLUSH_SECONDS", DEFAULT_FLUSH_SECONDS))

    def add(self, row: InboundCall) -> None:
        interval = self.interval()
        if interval <= 0:
            self._write([row])
            return
        batch: list[InboundCall] = []
        with self._lock:
            if not self._rows:
                self._since = time.monotonic()
                self._start_timer(interval)
            self._rows.append(row)
            if len(self._rows) >= MAX_BUFFER or time.monotonic() - self._since >= interval:
                batch, self._rows = self._rows, []
                self._cancel_timer()
        if batch:
            self._write(batch)

    def flush(self) -> int:
        with self._lock:
            batch, self._rows = self._rows, []
            self._cancel_timer()
        if batch:
            self._write(batch)
        return len(batch)

    def pending(self) -> int:
        return len(self._rows)

    def _start_timer(self, interval: float) -> None:
        self._cancel_timer()
        self._timer = threading.Timer(interval + 0.05, self._flush_from_timer)
        self._timer.daemon = True
        self._timer.start()

    def _cancel_timer(self) -> None:
        if self._timer is not None:
            self._timer.cancel()
            self._timer = None

    def _flush_from_timer(self) -> None:
        try:
            self.flush()
        finally:
            connection.close()  # this thread's own connection

    @staticmethod
    def _write(rows: list[InboundCall]) -> None:
        try:
            InboundCall.objects.bulk_create(rows)
        except DatabaseError:
            log.warning("antrean_ws: %d call log rows not written", len(rows))


call_log = CallLog()
atexit.register(call_log.flush)
