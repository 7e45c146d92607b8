"""VClaim (``/vclaim-rest-dev``): Peserta, Rujukan (FKTP source: the sandbox's own PCare
referrals) and SEP 2.0 insert/update/delete. Codes are strings; refusals are "201"."""

from __future__ import annotations

import datetime as dt
import json
import sqlite3
from typing import Any

from bridging.sandbox import data
from bridging.sandbox.core import Call, Reply, ok, parse_dmy, parse_ymd, plain
from bridging.sandbox.data import Participant
from bridging.sandbox.pcare import poli_rujuk_lanjut
from bridging.sandbox.store import dumps
from bridging.sandbox.web import Router

REFERRAL_DAYS = 90


def refused(message: str) -> Reply:
    return Reply(code="201", message=message, plain=None)


def _age(born: dt.date, on: dt.date) -> str:
    years = on.year - born.year - ((on.month, on.day) < (born.month, born.day))
    months = (on.month - born.month - (on.day < born.day)) % 12
    anchor_month = on.month - 1 if on.day < born.day else on.month
    anchor_year = on.year
    if anchor_month < 1:
        anchor_month += 12
        anchor_year -= 1
    day = min(born.day, 28)
    days = (on - dt.date(anchor_year, anchor_month, day)).days
    return f"{years} tahun ,{months} bulan ,{max(days, 0)} hari"


def peserta_view(p: Participant, on: dt.date, today: dt.date) -> dict[str, Any]:
    asuransi = p.asuransi or {}
    return {
        "noKartu": p.no_kartu,
        "nik": p.nik,
        "nama": p.nama,
        "pisa": "1",
        "sex": p.sex,
        "tglLahir": p.tgl_lahir.isoformat(),
        "hakKelas": {"kode": str(p.kelas), "keterangan": data.KELAS_NAMES[p.kelas]},
        "jenisPeserta": {"kode": p.jns_peserta_code, "keterangan": p.jns_peserta},
        "statusPeserta": {"kode": "0", "keterangan": "AKTIF"}
        if p.aktif
        else {"kode": "1", "keterangan": "TIDAK AKTIF"},
        "provUmum": {
            "kdProvider": p.kd_provider,
            "nmProvider": data.PROVIDER_NAMES.get(p.kd_provider),
        },
        "cob": {
            "nmAsuransi": asuransi.get("nmAsuransi"),
            "noAsuransi": asuransi.get("noAsuransi"),
            "tglTAT": None,
            "tglTMT": None,
        },
        "informasi": {
            "dinsos": None,
            "noSKTM": None,
            "prolanisPRB": p.pst_prol or None,
            "eSEP": None,
        },
        "mr": {"noMR": None, "noTelepon": p.no_hp},
        "tglCetakKartu": data.TGL_MULAI_AKTIF.isoformat(),
        "tglTAT": data.TGL_AKHIR_BERLAKU.isoformat(),
        "tglTMT": data.TGL_MULAI_AKTIF.isoformat(),
        "umur": {
            "umurSaatPelayanan": _age(p.tgl_lahir, on),
            "umurSekarang": _age(p.tgl_lahir, today),
        },
    }


def peserta_by_card(call: Call) -> Reply:
    on = parse_ymd(call.params["tgl"])
    if on is None:
        return refused("Format tanggal tidak sesuai, format yang benar adalah yyyy-MM-dd")
    participant = data.find_participant(call.params["noKartu"])
    if participant is None:
        return refused("Peserta tidak ditemukan")
    return ok({"peserta": peserta_view(participant, on, call.today)}, code="200")


def peserta_by_nik(call: Call) -> Reply:
    on = parse_ymd(call.params["tgl"])
    if on is None:
        return refused("Format tanggal tidak sesuai, format yang benar adalah yyyy-MM-dd")
    participant = data.find_participant_by_nik(call.params["nik"])
    if participant is None:
        return refused("Peserta tidak ditemukan")
    return ok({"peserta": peserta_view(participant, on, call.today)}, code="200")


# ---- referrals from the sandbox's PCare kunjungan ------------------------------------------
def _referral_rows(conn: sqlite3.Connection, where: str, params: tuple[Any, ...]) -> list[Any]:
    rows = conn.execute(
        f"SELECT * FROM kunjungan WHERE deleted = 0 AND {where} ORDER BY id",  # noqa: S608
        params,
    ).fetchall()
    return [
        row
        for row in rows
        if isinstance(json.loads(row["data"]).get("rujukLanjut"), dict)
        and str(json.loads(row["data"]).get("kdStatusPulang")) == "4"
    ]


def rujukan_view(row: sqlite3.Row, call: Call) -> dict[str, Any]:
    body = json.loads(row["data"])
    visit_day = dt.date.fromisoformat(row["tgl"])
    participant = data.find_participant(row["no_kartu"])
    diagnosis = data.find_diagnosis(str(body.get("kdDiag1") or ""))
    poli = poli_rujuk_lanjut(body.get("rujukLanjut")) or {"kdPoli": None, "nmPoli": None}
    return {
        "noKunjungan": row["no_kunjungan"],
        "tglKunjungan": visit_day.isoformat(),
        "keluhan": body.get("keluhan") or "",
        "diagnosa": {
            "kode": diagnosis.code if diagnosis else body.get("kdDiag1"),
            "nama": diagnosis.name if diagnosis else None,
        },
        "pelayanan": {"kode": "2", "nama": "Rawat Jalan"},
        "poliRujukan": {"kode": poli["kdPoli"], "nama": poli["nmPoli"]},
        "provPerujuk": {"kode": data.CLINIC_CODE, "nama": data.CLINIC_NAME},
        "peserta": peserta_view(participant, visit_day, call.today) if participant else None,
    }


def rujukan_by_number(call: Call) -> Reply:
    rows = _referral_rows(call.app.store.conn(), "no_kunjungan = ?", (call.params["noRujukan"],))
    if not rows:
        return refused("Data rujukan tidak ditemukan")
    return ok({"rujukan": rujukan_view(rows[0], call)}, code="200")


def rujukan_by_card(call: Call) -> Reply:
    rows = _referral_rows(call.app.store.conn(), "no_kartu = ?", (call.params["noKartu"],))
    if not rows:
        return refused("Data rujukan tidak ditemukan")
    return ok({"rujukan": rujukan_view(rows[-1], call)}, code="200")


def rujukan_list_by_card(call: Call) -> Reply:
    rows = _referral_rows(call.app.store.conn(), "no_kartu = ?", (call.params["noKartu"],))
    if not rows:
        return refused("Data rujukan tidak ditemukan")
    return ok({"rujukan": [rujukan_view(row, call) for row in rows]}, code="200")


def rujukan_rs(call: Call) -> Reply:
    return refused("Data rujukan tidak ditemukan")


# ---- SEP -------------------------------------------------------------------------------------
def _t_sep(call: Call) -> dict[str, Any] | None:
    body = call.body()
    if not isinstance(body, dict):
        return None
    request = body.get("request")
    t_sep = request.get("t_sep") if isinstance(request, dict) else None
    return t_sep if isinstance(t_sep, dict) else None


def _stamp(call: Call) -> str:
    return call.now_wib.isoformat(timespec="seconds")


def sep_insert(call: Call) -> Reply:
    t_sep = _t_sep(call)
    if t_sep is None:
        return refused("Format request tidak valid")
    no_kartu = str(t_sep.get("noKartu") or "")
    participant = data.find_participant(no_kartu)
    if participant is None:
        return refused("Peserta tidak ditemukan")
    if not participant.aktif:
        return refused("Status kepesertaan tidak aktif")
    tgl_sep = parse_ymd(t_sep.get("tglSep"))
    if tgl_sep is None:
        return refused("Format tglSep tidak sesuai, format yang benar adalah yyyy-MM-dd")
    ppk = str(t_sep.get("ppkPelayanan") or "")
    if len(ppk) != 8:
        return refused("Kode PPK pelayanan tidak valid")
    rujukan_raw = t_sep.get("rujukan")
    rujukan: dict[str, Any] = rujukan_raw if isinstance(rujukan_raw, dict) else {}
    no_rujukan = str(rujukan.get("noRujukan") or "")
    with call.app.store.tx() as conn:
        rows = _referral_rows(conn, "no_kunjungan = ?", (no_rujukan,))
        if not rows:
            return refused("Data rujukan tidak ditemukan")
        referral = rows[0]
        if referral["no_kartu"] != no_kartu:
            return refused("No. Kartu peserta tidak sesuai dengan rujukan")
        visit_day = dt.date.fromisoformat(referral["tgl"])
        if tgl_sep < visit_day:
            return refused("Tanggal SEP tidak boleh sebelum tanggal rujukan")
        if (tgl_sep - visit_day).days > REFERRAL_DAYS:
            return refused("Rujukan sudah tidak berlaku (lebih dari 90 hari)")
        if conn.execute(
            "SELECT 1 FROM sep WHERE no_rujukan = ? AND tgl_sep = ? AND deleted = 0",
            (no_rujukan, tgl_sep.isoformat()),
        ).fetchone():
            return refused("SEP untuk rujukan ini sudah terbit pada tanggal tersebut")
        prefix = f"{ppk}{tgl_sep:%m%y}V"
        seq = call.app.store.next_value(conn, f"sep:{prefix}")
        no_sep = f"{prefix}{seq:06d}"
        conn.execute(
            "INSERT INTO sep (no_sep, no_rujukan, no_kartu, tgl_sep, data, history, created_at) "
            "VALUES (?, ?, ?, ?, ?, ?, ?)",
            (
                no_sep,
                no_rujukan,
                no_kartu,
                tgl_sep.isoformat(),
                dumps(t_sep),
                dumps([t_sep]),
                _stamp(call),
            ),
        )
    referral_body = json.loads(referral["data"])
    diagnosis = data.find_diagnosis(str(t_sep.get("diagAwal") or referral_body.get("kdDiag1")))
    poli = poli_rujuk_lanjut(referral_body.get("rujukLanjut")) or {"kdPoli": None, "nmPoli": None}
    poli_raw = t_sep.get("poli")
    poli_body: dict[str, Any] = poli_raw if isinstance(poli_raw, dict) else {}
    sep = {
        "noSep": no_sep,
        "tglSep": tgl_sep.isoformat(),
        "jnsPelayanan": "R.Inap" if str(t_sep.get("jnsPelayanan")) == "1" else "R.Jalan",
        "kelasRawat": "-",
        "poli": poli["nmPoli"],
        "kdPoli": poli_body.get("tujuan") or poli["kdPoli"],
        "poliEksekutif": "Ya" if str(poli_body.get("eksekutif")) == "1" else "Tidak",
        "diagnosa": f"{diagnosis.code} - {diagnosis.name}" if diagnosis else None,
        "noRujukan": no_rujukan,
        "catatan": t_sep.get("catatan") or "",
        "penjamin": "-",
        "tujuanKunj": str(t_sep.get("tujuanKunj") or "0"),
        "flagProcedure": str(t_sep.get("flagProcedure") or ""),
        "kdPenunjang": str(t_sep.get("kdPenunjang") or ""),
        "assestmenPel": str(t_sep.get("assesmentPel") or ""),
        "informasi": {"dinsos": None, "prolanisPRB": None, "noSKTM": None, "eSEP": "False"},
        "peserta": {
            "noKartu": participant.no_kartu,
            "nama": participant.nama,
            "tglLahir": participant.tgl_lahir.isoformat(),
            "kelamin": "Laki-Laki" if participant.sex == "L" else "Perempuan",
            "hakKelas": f"Kelas {participant.kelas}",
            "jnsPeserta": participant.jns_peserta,
            "asuransi": "-",
            "noMr": str(t_sep.get("noMR") or ""),
        },
    }
    return ok({"sep": sep}, code="200", message="Sukses")


def sep_update(call: Call) -> Reply:
    t_sep = _t_sep(call)
    if t_sep is None:
        return refused("Format request tidak valid")
    no_sep = str(t_sep.get("noSep") or "")
    with call.app.store.tx() as conn:
        row = conn.execute(
            "SELECT * FROM sep WHERE no_sep = ? AND deleted = 0", (no_sep,)
        ).fetchone()
        if row is None:
            return refused("SEP tidak ditemukan")
        merged = {**json.loads(row["data"]), **t_sep}
        history = [*json.loads(row["history"]), t_sep]
        conn.execute(
            "UPDATE sep SET data = ?, history = ?, updated_at = ? WHERE id = ?",
            (dumps(merged), dumps(history), _stamp(call), row["id"]),
        )
    if call.settings["sep_update_response"] == "encrypted":
        return ok(no_sep, code="200", message="Sukses")
    return plain(no_sep, code="200", message="Sukses")


def sep_delete(call: Call) -> Reply:
    t_sep = _t_sep(call)
    if t_sep is None:
        return refused("Format request tidak valid")
    no_sep = str(t_sep.get("noSep") or "")
    with call.app.store.tx() as conn:
        row = conn.execute(
            "SELECT id FROM sep WHERE no_sep = ? AND deleted = 0", (no_sep,)
        ).fetchone()
        if row is None:
            return refused("SEP tidak ditemukan")
        conn.execute(
            "UPDATE sep SET deleted = 1, deleted_at = ? WHERE id = ?", (_stamp(call), row["id"])
        )
    return plain(no_sep, code="200", message="OK")


def sep_state(row: sqlite3.Row) -> dict[str, Any]:
    return {
        "noSep": row["no_sep"],
        "noRujukan": row["no_rujukan"],
        "noKartu": row["no_kartu"],
        "tglSep": row["tgl_sep"],
        "createdAt": row["created_at"],
        "updatedAt": row["updated_at"],
        "deleted": bool(row["deleted"]),
        "deletedAt": row["deleted_at"],
        "request": json.loads(row["data"]),
        "requests": json.loads(row["history"]),
    }


def register(router: Router) -> None:
    router.add("GET", "Peserta/nokartu/{noKartu}/tglSEP/{tgl}", peserta_by_card)
    router.add("GET", "Peserta/nik/{nik}/tglSEP/{tgl}", peserta_by_nik)
    router.add("GET", "Rujukan/RS/Peserta/{noKartu}", rujukan_rs)
    router.add("GET", "Rujukan/RS/{noRujukan}", rujukan_rs)
    router.add("GET", "Rujukan/List/Peserta/{noKartu}", rujukan_list_by_card)
    router.add("GET", "Rujukan/Peserta/{noKartu}", rujukan_by_card)
    router.add("GET", "Rujukan/{noRujukan}", rujukan_by_number)
    router.add("POST", "SEP/2.0/insert", sep_insert)
    router.add("PUT", "SEP/2.0/update", sep_update)
    router.add("DELETE", "SEP/2.0/delete", sep_delete)


__all__ = ["parse_dmy", "register"]
