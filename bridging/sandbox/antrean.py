"""Antrean FKTP, BPJS side (``/antreanfktp_dev``): ref/poli, ref/dokter, antrean add, panggil,
batal. Reference reads answer code 1, accepted writes 200, refusals 201 (all HTTP 200)."""

from __future__ import annotations

import json
from typing import Any

from bridging.sandbox import data
from bridging.sandbox.core import Call, Reply, ok, parse_ymd
from bridging.sandbox.store import dumps
from bridging.sandbox.web import Router

BAD_DATE = "Format tanggal tidak sesuai, format yang benar adalah yyyy-mm-dd"


def refused(message: str) -> Reply:
    return Reply(code=201, message=message, plain=None)


def accepted() -> Reply:
    return Reply(code=200, message="Ok", plain=None)


def ref_poli(call: Call) -> Reply:
    day = parse_ymd(call.params["tanggal"])
    if day is None:
        return refused(BAD_DATE)
    items = []
    for poli in data.POLIS.values():
        if data.schedules_on(poli.kd_poli, day):
            items.append(
                {
                    "namapoli": poli.nm_poli,
                    "nmsubspesialis": poli.nm_poli,
                    "kdsubspesialis": poli.kd_poli,
                    "kodepoli": poli.kd_poli,
                }
            )
    if not items:
        return refused("No Content")
    return ok({"list": items}, code=1, message="Ok")


def ref_dokter(call: Call) -> Reply:
    day = parse_ymd(call.params["tanggal"])
    if day is None:
        return refused(BAD_DATE)
    if call.params["kodepoli"] not in data.POLIS:
        return refused("Poli tidak ditemukan")
    items = [
        {
            "namadokter": data.DOCTORS[s.kd_dokter].nm_dokter,
            "kodedokter": int(s.kd_dokter),
            "jampraktek": s.jampraktek,
            "kapasitas": s.kapasitas,
        }
        for s in data.schedules_on(call.params["kodepoli"], day)
    ]
    if not items:
        return refused("No Content")
    return ok({"list": items}, code=1, message="Ok")


def _body(call: Call) -> dict[str, Any] | None:
    body = call.body()
    return body if isinstance(body, dict) else None


def antrean_add(call: Call) -> Reply:
    body = _body(call)
    if body is None:
        return refused("Format request tidak valid")
    kodepoli = str(body.get("kodepoli") or "")
    day = parse_ymd(body.get("tanggalperiksa"))
    nomorkartu = str(body.get("nomorkartu") or "")
    nomorantrean = str(body.get("nomorantrean") or "")
    if kodepoli not in data.POLIS:
        return refused("Poli tidak ditemukan")
    if day is None:
        return refused(BAD_DATE)
    if day < call.today:
        return refused("Tanggal periksa tidak berlaku mundur")
    if not nomorantrean:
        return refused("Nomor antrean wajib diisi")
    with call.app.store.tx() as conn:
        live = "tanggal = ? AND kodepoli = ? AND cancelled = 0"
        if conn.execute(
            f"SELECT 1 FROM antrean WHERE {live} AND nomorantrean = ?",  # noqa: S608
            (day.isoformat(), kodepoli, nomorantrean),
        ).fetchone():
            return refused("Nomor antrean sudah digunakan pada tanggal dan poli tersebut")
        if (
            nomorkartu
            and conn.execute(
                f"SELECT 1 FROM antrean WHERE {live} AND nomorkartu = ?",  # noqa: S608
                (day.isoformat(), kodepoli, nomorkartu),
            ).fetchone()
        ):
            return refused("Peserta sudah terdaftar dalam antrean pada tanggal dan poli yang sama")
        conn.execute(
            "INSERT INTO antrean (tanggal, kodepoli, nomorkartu, nomorantrean, data, created_at) "
            "VALUES (?, ?, ?, ?, ?, ?)",
            (
                day.isoformat(),
                kodepoli,
                nomorkartu,
                nomorantrean,
                dumps(body),
                call.now_wib.isoformat(timespec="seconds"),
            ),
        )
    return accepted()


def _find(conn: Any, body: dict[str, Any]) -> Any:
    return conn.execute(
        "SELECT * FROM antrean WHERE tanggal = ? AND kodepoli = ? AND nomorkartu = ? "
        "AND cancelled = 0 ORDER BY id DESC LIMIT 1",
        (
            str(body.get("tanggalperiksa") or ""),
            str(body.get("kodepoli") or ""),
            str(body.get("nomorkartu") or ""),
        ),
    ).fetchone()


def antrean_panggil(call: Call) -> Reply:
    body = _body(call)
    if body is None:
        return refused("Format request tidak valid")
    status = body.get("status")
    if str(status) not in ("1", "2"):
        return refused("Status tidak valid (1 = Hadir, 2 = Tidak Hadir)")
    with call.app.store.tx() as conn:
        row = _find(conn, body)
        if row is None:
            return refused("Antrean tidak ditemukan")
        conn.execute(
            "UPDATE antrean SET panggil_status = ?, panggil_data = ?, panggil_at = ? WHERE id = ?",
            (int(str(status)), dumps(body), call.now_wib.isoformat(timespec="seconds"), row["id"]),
        )
    return accepted()


def antrean_batal(call: Call) -> Reply:
    body = _body(call)
    if body is None:
        return refused("Format request tidak valid")
    with call.app.store.tx() as conn:
        row = _find(conn, body)
        if row is None:
            return refused("Antrean tidak ditemukan")
        if row["panggil_status"] == 1:
            return refused("Antrean sudah dilayani")
        conn.execute(
            "UPDATE antrean SET cancelled = 1, cancel_data = ?, cancelled_at = ? WHERE id = ?",
            (dumps(body), call.now_wib.isoformat(timespec="seconds"), row["id"]),
        )
    return accepted()


def antrean_state(row: Any) -> dict[str, Any]:
    return {
        "tanggal": row["tanggal"],
        "kodepoli": row["kodepoli"],
        "nomorkartu": row["nomorkartu"],
        "nomorantrean": row["nomorantrean"],
        "createdAt": row["created_at"],
        "request": json.loads(row["data"]),
        "panggil": json.loads(row["panggil_data"]) if row["panggil_data"] else None,
        "panggilStatus": row["panggil_status"],
        "deleted": bool(row["cancelled"]),
        "deletedAt": row["cancelled_at"],
        "batal": json.loads(row["cancel_data"]) if row["cancel_data"] else None,
    }


def register(router: Router) -> None:
    router.add("GET", "ref/poli/tanggal/{tanggal}", ref_poli)
    router.add("GET", "ref/dokter/kodepoli/{kodepoli}/tanggal/{tanggal}", ref_dokter)
    router.add("POST", "antrean/add", antrean_add)
    router.add("POST", "antrean/panggil", antrean_panggil)
    router.add("POST", "antrean/batal", antrean_batal)
