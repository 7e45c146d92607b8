"""The sandbox's own SQLite store: one connection per thread, WAL, serialised writes.

It never touches the clinic's database. Everything the clinics send is kept (deleted rows are
marked, not removed) until ``POST /_sandbox/reset``, across restarts of the process.
"""

from __future__ import annotations

import json
import sqlite3
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

SCHEMA = """
CREATE TABLE IF NOT EXISTS kv (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS counters (name TEXT PRIMARY KEY, value INTEGER NOT NULL);
CREATE TABLE IF NOT EXISTS pendaftaran (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    tgl TEXT NOT NULL, no_kartu TEXT NOT NULL, kd_poli TEXT NOT NULL, no_urut TEXT NOT NULL,
    data TEXT NOT NULL, created_at TEXT NOT NULL,
    deleted INTEGER NOT NULL DEFAULT 0, deleted_at TEXT
);
CREATE INDEX IF NOT EXISTS pendaftaran_tgl ON pendaftaran (tgl, kd_poli);
CREATE TABLE IF NOT EXISTS kunjungan (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    no_kunjungan TEXT NOT NULL UNIQUE, no_kartu TEXT NOT NULL, tgl TEXT NOT NULL,
    kd_poli TEXT NOT NULL, pendaftaran_id INTEGER NOT NULL,
    data TEXT NOT NULL, history TEXT NOT NULL, created_at TEXT NOT NULL, updated_at TEXT,
    deleted INTEGER NOT NULL DEFAULT 0, deleted_at TEXT
);
CREATE INDEX IF NOT EXISTS kunjungan_kartu ON kunjungan (no_kartu);
CREATE TABLE IF NOT EXISTS item (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    kind TEXT NOT NULL, sk INTEGER NOT NULL, no_kunjungan TEXT NOT NULL,
    data TEXT NOT NULL, created_at TEXT NOT NULL, updated_at TEXT,
    deleted INTEGER NOT NULL DEFAULT 0, deleted_at TEXT
);
CREATE INDEX IF NOT EXISTS item_kunjungan ON item (kind, no_kunjungan);
CREATE TABLE IF NOT EXISTS kegiatan (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    edu_id TEXT NOT NULL UNIQUE, tgl TEXT NOT NULL, data TEXT NOT NULL, created_at TEXT NOT NULL,
    deleted INTEGER NOT NULL DEFAULT 0, deleted_at TEXT
);
CREATE TABLE IF NOT EXISTS kelompok_peserta (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    edu_id TEXT NOT NULL, no_kartu TEXT NOT NULL, created_at TEXT NOT NULL,
    deleted INTEGER NOT NULL DEFAULT 0, deleted_at TEXT
);
CREATE TABLE IF NOT EXISTS antrean (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    tanggal TEXT NOT NULL, kodepoli TEXT NOT NULL, nomorkartu TEXT NOT NULL,
    nomorantrean TEXT NOT NULL, data TEXT NOT NULL, created_at TEXT NOT NULL,
    panggil_status INTEGER, panggil_data TEXT, panggil_at TEXT,
    cancelled INTEGER NOT NULL DEFAULT 0, cancel_data TEXT, cancelled_at TEXT
);
CREATE INDEX IF NOT EXISTS antrean_tanggal ON antrean (tanggal, kodepoli);
CREATE TABLE IF NOT EXISTS sep (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    no_sep TEXT NOT NULL UNIQUE, no_rujukan TEXT NOT NULL, no_kartu TEXT NOT NULL,
    tgl_sep TEXT NOT NULL, data TEXT NOT NULL, history TEXT NOT NULL,
    created_at TEXT NOT NULL, updated_at TEXT,
    deleted INTEGER NOT NULL DEFAULT 0, deleted_at TEXT
);
CREATE TABLE IF NOT EXISTS icare_token (
    token TEXT PRIMARY KEY, no_kartu TEXT NOT NULL, expires_at REAL NOT NULL
);
CREATE TABLE IF NOT EXISTS request_log (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    at TEXT NOT NULL, service TEXT NOT NULL, method TEXT NOT NULL, path TEXT NOT NULL,
    status INTEGER NOT NULL, code TEXT, verdict TEXT NOT NULL, duration_ms REAL NOT NULL
);
"""

STATE_TABLES = (
    "counters",
    "pendaftaran",
    "kunjungan",
    "item",
    "kegiatan",
    "kelompok_peserta",
    "antrean",
    "sep",
    "icare_token",
    "request_log",
    "kv",
)
REQUEST_LOG_KEEP = 10000


def dumps(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False, separators=(",", ":"))


class Store:
    def __init__(self, path: str) -> None:
        self.path = path
        if path != ":memory:":
            Path(path).parent.mkdir(parents=True, exist_ok=True)
        self._local = threading.local()
        self._write_lock = threading.RLock()
        self._log_inserts = 0
        conn = self.conn()
        conn.execute("PRAGMA journal_mode=WAL")
        conn.executescript(SCHEMA)

    def conn(self) -> sqlite3.Connection:
        conn: sqlite3.Connection | None = getattr(self._local, "conn", None)
        if conn is None:
            conn = sqlite3.connect(self.path, timeout=30, isolation_level=None)
            conn.row_factory = sqlite3.Row
            conn.execute("PRAGMA busy_timeout=30000")
            conn.execute("PRAGMA synchronous=NORMAL")
            self._local.conn = conn
        return conn

    @contextmanager
    def tx(self) -> Iterator[sqlite3.Connection]:
        """One write transaction at a time (thread lock + BEGIN IMMEDIATE across processes)."""
        with self._write_lock:
            conn = self.conn()
            conn.execute("BEGIN IMMEDIATE")
            try:
                yield conn
            except BaseException:
                conn.execute("ROLLBACK")
                raise
            conn.execute("COMMIT")

    def query(self, sql: str, params: tuple[Any, ...] = ()) -> list[sqlite3.Row]:
        return list(self.conn().execute(sql, params))

    def query_one(self, sql: str, params: tuple[Any, ...] = ()) -> sqlite3.Row | None:
        return self.conn().execute(sql, params).fetchone()

    # ---- counters and key/value ---------------------------------------------------------
    @staticmethod
    def next_value(conn: sqlite3.Connection, name: str) -> int:
        row = conn.execute("SELECT value FROM counters WHERE name = ?", (name,)).fetchone()
        value = (row["value"] if row else 0) + 1
        conn.execute(
            "INSERT INTO counters (name, value) VALUES (?, ?) "
            "ON CONFLICT(name) DO UPDATE SET value = excluded.value",
            (name, value),
        )
        return value

    def get_kv(self, key: str, default: Any = None) -> Any:
        row = self.query_one("SELECT value FROM kv WHERE key = ?", (key,))
        return json.loads(row["value"]) if row else default

    def set_kv(self, key: str, value: Any) -> None:
        with self.tx() as conn:
            conn.execute(
                "INSERT INTO kv (key, value) VALUES (?, ?) "
                "ON CONFLICT(key) DO UPDATE SET value = excluded.value",
                (key, dumps(value)),
            )

    def delete_kv(self, key: str) -> None:
        with self.tx() as conn:
            conn.execute("DELETE FROM kv WHERE key = ?", (key,))

    def reset(self) -> None:
        with self.tx() as conn:
            for table in STATE_TABLES:
                conn.execute(f"DELETE FROM {table}")  # noqa: S608 - fixed table names

    def log_request(
        self,
        *,
        at: str,
        service: str,
        method: str,
        path: str,
        status: int,
        code: str | None,
        verdict: str,
        duration_ms: float,
    ) -> None:
        with self.tx() as conn:
            conn.execute(
                "INSERT INTO request_log (at, service, method, path, status, code, verdict, "
                "duration_ms) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                (at, service, method, path, status, code, verdict, round(duration_ms, 1)),
            )
            self._log_inserts += 1
            if self._log_inserts % 500 == 0:
                conn.execute(
                    "DELETE FROM request_log WHERE id <= (SELECT MAX(id) FROM request_log) - ?",
                    (REQUEST_LOG_KEEP,),
                )
