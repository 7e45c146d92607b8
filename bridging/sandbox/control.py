"""The control surface under ``/_sandbox/`` (JSON in and out; never faulted, never logged).

When a control token is set (``BPJS_SANDBOX_CONTROL_TOKEN``), every call needs the header
``X-Sandbox-Token``; the iCare history page and ``health`` need none.
"""

from __future__ import annotations

import datetime as dt
import hmac
import json
from typing import TYPE_CHECKING, Any

from bridging.sandbox import icare, roster
from bridging.sandbox.antrean import antrean_state
from bridging.sandbox.core import SERVICE_NAMES, SETTING_VALIDATORS, default_settings, dmy, iso_now
from bridging.sandbox.data import WIB
from bridging.sandbox.faults import FaultError, normalise_faults
from bridging.sandbox.mobilejkn import MobileJknRun, RunError
from bridging.sandbox.vclaim import sep_state
from bridging.sandbox.web import Request, Response, Router

if TYPE_CHECKING:
    from bridging.sandbox.app import SandboxApp

Ctx = tuple["SandboxApp", Request]


class ControlError(Exception):
    def __init__(self, message: str, status: int = 400) -> None:
        super().__init__(message)
        self.status = status


def _json_body(request: Request) -> Any:
    try:
        return request.json()
    except (ValueError, UnicodeDecodeError) as exc:
        raise ControlError("body harus JSON") from exc


def _date_arg(request: Request, name: str, fmt: str) -> str | None:
    """A date filter as ISO yyyy-mm-dd, or None when not given."""
    value = request.arg(name)
    if value is None:
        return None
    try:
        return dt.datetime.strptime(value, fmt).date().isoformat()
    except ValueError as exc:
        raise ControlError(f"{name} tidak sesuai format") from exc


# ---- handlers ---------------------------------------------------------------------------------
def health(app: SandboxApp, request: Request) -> Response:
    return Response.json({"ok": True, "services": list(SERVICE_NAMES), "now": iso_now(app.now())})


def reset(app: SandboxApp, request: Request) -> Response:
    app.reset()
    return Response.json({"reset": True})


def faults_get(app: SandboxApp, request: Request) -> Response:
    return Response.json(app.faults.faults)


def faults_put(app: SandboxApp, request: Request) -> Response:
    try:
        faults = normalise_faults(_json_body(request))
    except FaultError as exc:
        raise ControlError(str(exc)) from exc
    app.set_faults(faults)
    return Response.json(faults)


def faults_delete(app: SandboxApp, request: Request) -> Response:
    app.set_faults(None)
    return Response.json(app.faults.faults)


def settings_get(app: SandboxApp, request: Request) -> Response:
    return Response.json(app.settings())


def settings_patch(app: SandboxApp, request: Request) -> Response:
    changes = _json_body(request)
    if not isinstance(changes, dict):
        raise ControlError("body harus objek JSON")
    unknown = sorted(set(changes) - set(SETTING_VALIDATORS))
    if unknown:
        raise ControlError(f"pengaturan tidak dikenal: {', '.join(unknown)}")
    for key, value in changes.items():
        if not SETTING_VALIDATORS[key](value):
            raise ControlError(f"nilai tidak sah untuk {key}")
    stored = app.store.get_kv("settings", {})
    stored.update(changes)
    defaults = default_settings()
    stored = {k: v for k, v in stored.items() if v != defaults[k]}
    app.store.set_kv("settings", stored)
    return Response.json(app.settings())


def _clock_view(app: SandboxApp) -> dict[str, Any]:
    return {"offset_seconds": app.clock_offset(), "now": iso_now(app.now())}


def clock_get(app: SandboxApp, request: Request) -> Response:
    return Response.json(_clock_view(app))


def clock_post(app: SandboxApp, request: Request) -> Response:
    body = _json_body(request)
    offset = body.get("offset_seconds") if isinstance(body, dict) else None
    if isinstance(offset, bool) or not isinstance(offset, int | float):
        raise ControlError("offset_seconds harus angka")
    app.store.set_kv("clock_offset", float(offset))
    return Response.json(_clock_view(app))


def requests_get(app: SandboxApp, request: Request) -> Response:
    try:
        limit = min(max(int(request.arg("limit", "100") or 100), 1), 10000)
    except ValueError as exc:
        raise ControlError("limit harus angka") from exc
    service = request.arg("service")
    sql = "SELECT * FROM request_log"
    params: tuple[Any, ...] = ()
    if service:
        sql += " WHERE service = ?"
        params = (service,)
    rows = app.store.query(sql + " ORDER BY id DESC LIMIT ?", (*params, limit))
    items = [
        {
            "at": row["at"],
            "service": row["service"],
            "method": row["method"],
            "path": row["path"],
            "status": row["status"],
            "code": row["code"],
            "verdict": row["verdict"],
            "duration_ms": row["duration_ms"],
        }
        for row in rows
    ]
    return Response.json({"requests": items})


def _iso_to_dmy(value: str) -> str:
    return dmy(dt.date.fromisoformat(value))


def state_pendaftaran(app: SandboxApp, request: Request) -> Response:
    sql = "SELECT * FROM pendaftaran WHERE 1 = 1"
    params: list[Any] = []
    day = _date_arg(request, "tglDaftar", "%d-%m-%Y")
    if day:
        sql, params = sql + " AND tgl = ?", [*params, day]
    if request.arg("noKartu"):
        sql, params = sql + " AND no_kartu = ?", [*params, request.arg("noKartu")]
    rows = app.store.query(sql + " ORDER BY id", tuple(params))
    items = [
        {
            "noUrut": row["no_urut"],
            "tglDaftar": _iso_to_dmy(row["tgl"]),
            "noKartu": row["no_kartu"],
            "kdPoli": row["kd_poli"],
            "createdAt": row["created_at"],
            "deleted": bool(row["deleted"]),
            "deletedAt": row["deleted_at"],
            "request": json.loads(row["data"]),
        }
        for row in rows
    ]
    return Response.json({"pendaftaran": items})


def state_kunjungan(app: SandboxApp, request: Request) -> Response:
    sql = "SELECT * FROM kunjungan WHERE 1 = 1"
    params: list[Any] = []
    day = _date_arg(request, "tglDaftar", "%d-%m-%Y")
    if day:
        sql, params = sql + " AND tgl = ?", [*params, day]
    for arg, column in (("noKartu", "no_kartu"), ("noKunjungan", "no_kunjungan")):
        if request.arg(arg):
            sql, params = sql + f" AND {column} = ?", [*params, request.arg(arg)]
    rows = app.store.query(sql + " ORDER BY id", tuple(params))
    items = []
    for row in rows:
        children = app.store.query(
            "SELECT kind, data, deleted FROM item WHERE no_kunjungan = ? ORDER BY id",
            (row["no_kunjungan"],),
        )
        items.append(
            {
                "noKunjungan": row["no_kunjungan"],
                "noKartu": row["no_kartu"],
                "tglDaftar": _iso_to_dmy(row["tgl"]),
                "kdPoli": row["kd_poli"],
                "createdAt": row["created_at"],
                "updatedAt": row["updated_at"],
                "deleted": bool(row["deleted"]),
                "deletedAt": row["deleted_at"],
                "request": json.loads(row["data"]),
                "requests": json.loads(row["history"]),
                **{
                    kind: [
                        {**json.loads(c["data"]), "deleted": bool(c["deleted"])}
                        for c in children
                        if c["kind"] == kind
                    ]
                    for kind in ("obat", "tindakan", "mcu")
                },
            }
        )
    return Response.json({"kunjungan": items})


def state_antrean(app: SandboxApp, request: Request) -> Response:
    sql = "SELECT * FROM antrean WHERE 1 = 1"
    params: list[Any] = []
    day = _date_arg(request, "tanggal", "%Y-%m-%d")
    if day:
        sql, params = sql + " AND tanggal = ?", [*params, day]
    if request.arg("kodepoli"):
        sql, params = sql + " AND kodepoli = ?", [*params, request.arg("kodepoli")]
    rows = app.store.query(sql + " ORDER BY id", tuple(params))
    return Response.json({"antrean": [antrean_state(row) for row in rows]})


def state_sep(app: SandboxApp, request: Request) -> Response:
    rows = app.store.query("SELECT * FROM sep ORDER BY id")
    return Response.json({"sep": [sep_state(row) for row in rows]})


def state_kelompok(app: SandboxApp, request: Request) -> Response:
    kegiatan = app.store.query("SELECT * FROM kegiatan ORDER BY id")
    peserta = app.store.query("SELECT * FROM kelompok_peserta ORDER BY id")
    return Response.json(
        {
            "kegiatan": [
                {
                    "eduId": row["edu_id"],
                    "deleted": bool(row["deleted"]),
                    "request": json.loads(row["data"]),
                    "peserta": [
                        {"noKartu": p["no_kartu"], "deleted": bool(p["deleted"])}
                        for p in peserta
                        if p["edu_id"] == row["edu_id"]
                    ],
                }
                for row in kegiatan
            ]
        }
    )


def roster_csv(app: SandboxApp, request: Request) -> Response:
    return Response(
        body=roster.as_csv(),
        content_type="text/csv; charset=utf-8",
        headers=[("Content-Disposition", 'attachment; filename="roster-0999K001.csv"')],
    )


def roster_xlsx(app: SandboxApp, request: Request) -> Response:
    return Response(
        body=roster.as_xlsx(),
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        headers=[("Content-Disposition", 'attachment; filename="roster-0999K001.xlsx"')],
    )


def mobilejkn_run(app: SandboxApp, request: Request) -> Response:
    params = _json_body(request)
    if not isinstance(params, dict):
        raise ControlError("body harus objek JSON")
    with app.store.tx() as conn:
        run_number = app.store.next_value(conn, "mobilejkn_run")
    today = dt.datetime.fromtimestamp(app.now(), WIB).date()
    try:
        runner = MobileJknRun(params, today=today, run_number=run_number)
    except RunError as exc:
        raise ControlError(str(exc)) from exc
    return Response.json(runner.run())


def icare_history(app: SandboxApp, request: Request) -> Response:
    status, page = icare.history_page(app.store, request.arg("token") or "", app.now())
    response = Response.html(page, status=status)
    response.headers.append(("Content-Security-Policy", "frame-ancestors *"))
    return response


PUBLIC = {"health", "icare/history"}


def register(router: Router) -> None:
    router.add("GET", "health", health)
    router.add("POST", "reset", reset)
    router.add("GET", "faults", faults_get)
    router.add("PUT", "faults", faults_put)
    router.add("DELETE", "faults", faults_delete)
    router.add("GET", "settings", settings_get)
    router.add("PATCH", "settings", settings_patch)
    router.add("GET", "clock", clock_get)
    router.add("POST", "clock", clock_post)
    router.add("GET", "requests", requests_get)
    router.add("GET", "state/pendaftaran", state_pendaftaran)
    router.add("GET", "state/kunjungan", state_kunjungan)
    router.add("GET", "state/antrean", state_antrean)
    router.add("GET", "state/sep", state_sep)
    router.add("GET", "state/kelompok", state_kelompok)
    router.add("GET", "roster.csv", roster_csv)
    router.add("GET", "roster.xlsx", roster_xlsx)
    router.add("POST", "mobilejkn/run", mobilejkn_run)
    router.add("GET", "icare/history", icare_history)


def dispatch(app: SandboxApp, request: Request, rest: str) -> Response:
    route, _, path_known = app.control_router.match(request.method, rest)
    if route is None:
        status = 405 if path_known else 404
        return Response.json(
            {"error": "Method tidak diizinkan" if path_known else "Tidak ditemukan"}, status
        )
    if app.control_token and route.name not in PUBLIC:
        given = request.header("x-sandbox-token") or ""
        if not hmac.compare_digest(given.encode(), app.control_token.encode()):
            return Response.json({"error": "X-Sandbox-Token tidak valid"}, status=401)
    try:
        return route.handler(app, request)
    except ControlError as exc:
        return Response.json({"error": str(exc)}, status=exc.status)
