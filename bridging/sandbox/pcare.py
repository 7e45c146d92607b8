"""PCare (``/pcare-rest-dev``): references, peserta, pendaftaran, kunjungan, obat, tindakan,
MCU and kelompok, with the rules of SANDBOX.md "State and rules"."""

from __future__ import annotations

import datetime as dt
import json
import sqlite3
from typing import Any

from bridging.sandbox import data
from bridging.sandbox.core import (
    LEGACY_404_MESSAGE,
    NEWTONSOFT_MESSAGE,
    Call,
    Rejection,
    Reply,
    dmy,
    no_data,
    ok,
    page,
    parse_dmy,
    plain,
    reject,
    server_error,
)
from bridging.sandbox.data import CLINIC_CODE, POLIS, Participant
from bridging.sandbox.store import dumps
from bridging.sandbox.web import Router

PROLANIS_PROGRAM = {"DM": "01", "HT": "02"}


# ---- views ------------------------------------------------------------------------------------
def provider(code: str | None) -> dict[str, Any]:
    return {"kdProvider": code, "nmProvider": data.PROVIDER_NAMES.get(code or "")}


def peserta_view(p: Participant) -> dict[str, Any]:
    asuransi = p.asuransi or {
        "kdAsuransi": None,
        "nmAsuransi": None,
        "noAsuransi": None,
        "cob": False,
    }
    return {
        "noKartu": p.no_kartu,
        "nama": p.nama,
        "hubunganKeluarga": "Peserta",
        "sex": p.sex,
        "tglLahir": dmy(p.tgl_lahir),
        "tglMulaiAktif": dmy(data.TGL_MULAI_AKTIF),
        "tglAkhirBerlaku": dmy(data.TGL_AKHIR_BERLAKU),
        "kdProviderPst": provider(p.kd_provider),
        "kdProviderGigi": provider(p.kd_provider),
        "jnsKelas": {"kode": str(p.kelas), "nama": data.KELAS_NAMES[p.kelas]},
        "jnsPeserta": {"kode": p.jns_peserta_code, "nama": p.jns_peserta},
        "golDarah": "0",
        "noHP": p.no_hp,
        "noKTP": p.nik,
        "pstProl": p.pst_prol,
        "pstPrb": "",
        "aktif": p.aktif,
        "ketAktif": p.ket_aktif,
        "asuransi": dict(asuransi),
        "tunggakan": p.tunggakan,
    }


def poli_view(kd_poli: str | None) -> dict[str, Any] | None:
    poli = POLIS.get(kd_poli or "")
    if poli is None:
        return None
    return {"kdPoli": poli.kd_poli, "nmPoli": poli.nm_poli, "poliSakit": poli.poli_sakit}


def diag_view(code: Any) -> dict[str, Any] | None:
    if not code:
        return None
    diagnosis = data.find_diagnosis(str(code))
    if diagnosis is None:
        return {"kdDiag": code, "nmDiag": None, "nonSpesialis": False}
    return {
        "kdDiag": diagnosis.code,
        "nmDiag": diagnosis.name,
        "nonSpesialis": diagnosis.non_spesialis,
    }


def _vitals(body: dict[str, Any]) -> dict[str, Any]:
    keys = (
        "sistole",
        "diastole",
        "beratBadan",
        "tinggiBadan",
        "respRate",
        "lingkarPerut",
        "heartRate",
    )
    return {key: body.get(key, 0) for key in keys}


def pendaftaran_view(row: sqlite3.Row, served: bool) -> dict[str, Any]:
    body = json.loads(row["data"])
    participant = data.find_participant(row["no_kartu"])
    kd_tkp = str(body.get("kdTkp") or "10")
    return {
        "noUrut": row["no_urut"],
        "tgldaftar": dmy(dt.date.fromisoformat(row["tgl"])),
        "providerPelayanan": provider(CLINIC_CODE),
        "peserta": peserta_view(participant) if participant else {"noKartu": row["no_kartu"]},
        "poli": poli_view(row["kd_poli"]),
        "keluhan": body.get("keluhan"),
        "kunjSakit": body.get("kunjSakit"),
        "status": "Sudah dilayani" if served else "Baru",
        **_vitals(body),
        "rujukBalik": body.get("rujukBalik", 0),
        "tkp": {"kdTkp": kd_tkp, "nmTkp": data.TKP.get(kd_tkp)},
    }


def status_pulang_name(code: str, settings: dict[str, Any]) -> str | None:
    for kd, name in data.STATUS_PULANG_OUTPATIENT:
        if kd == code:
            return name
    for item in settings["status_pulang_inpatient"]:
        if item["kdStatusPulang"] == code:
            return str(item["nmStatusPulang"])
    return None


def _named(table: tuple[tuple[str, str], ...], code: Any) -> str | None:
    return dict(table).get(str(code)) if code is not None else None


def poli_rujuk_lanjut(rujuk: Any) -> dict[str, Any] | None:
    """The specialist poli a referral goes to (from its subspecialty)."""
    if not isinstance(rujuk, dict):
        return None
    sub = rujuk.get("subSpesialis")
    if isinstance(sub, dict):
        found = data.SUBSPESIALIS_BY_CODE.get(str(sub.get("kdSubSpesialis1")))
        if found:
            _kd_spesialis, nm_sub, kd_poli_rujuk = found
            return {"kdPoli": kd_poli_rujuk, "nmPoli": nm_sub}
    khusus = rujuk.get("khusus")
    if isinstance(khusus, dict) and khusus.get("kdKhusus"):
        return {
            "kdPoli": str(khusus["kdKhusus"]),
            "nmPoli": _named(data.KHUSUS, khusus["kdKhusus"]),
        }
    return None


def kunjungan_view(row: sqlite3.Row, settings: dict[str, Any]) -> dict[str, Any]:
    body = json.loads(row["data"])
    participant = data.find_participant(row["no_kartu"])
    kd_tkp = str(body.get("kdTkp") or "10")
    status = str(body.get("kdStatusPulang") or "")
    rujuk = body.get("rujukLanjut")
    program = PROLANIS_PROGRAM.get(participant.pst_prol if participant else "")
    doctor = data.DOCTORS.get(str(body.get("kdDokter")))
    return {
        "noKunjungan": row["no_kunjungan"],
        "tglKunjungan": dmy(dt.date.fromisoformat(row["tgl"])),
        "providerPelayanan": provider(CLINIC_CODE),
        "peserta": peserta_view(participant) if participant else {"noKartu": row["no_kartu"]},
        "poli": poli_view(row["kd_poli"]),
        "progProlanis": {
            "kdProgram": program,
            "nmProgram": data.PROGRAM_PROLANIS.get(program) if program else None,
        },
        "keluhan": body.get("keluhan"),
        "diagnosa1": diag_view(body.get("kdDiag1")),
        "diagnosa2": diag_view(body.get("kdDiag2")),
        "diagnosa3": diag_view(body.get("kdDiag3")),
        "kesadaran": {
            "kdSadar": body.get("kdSadar"),
            "nmSadar": _named(data.KESADARAN, body.get("kdSadar")),
        },
        **_vitals(body),
        "suhu": body.get("suhu"),
        "catatan": body.get("anamnesa") or body.get("terapi"),
        "rujukBalik": body.get("rujukBalik", 0),
        "providerAsalRujuk": None,
        "providerRujukLanjut": provider(rujuk.get("kdppk")) if isinstance(rujuk, dict) else None,
        "pemFisikLain": None,
        "dokter": {
            "kdDokter": body.get("kdDokter"),
            "nmDokter": doctor.nm_dokter if doctor else None,
        },
        "statusPulang": {
            "kdStatusPulang": status,
            "nmStatusPulang": status_pulang_name(status, settings),
        },
        "tkp": {"kdTkp": kd_tkp, "nmTkp": data.TKP.get(kd_tkp)},
        "poliRujukInternal": poli_view(body.get("kdPoliRujukInternal")),
        "poliRujukLanjut": poli_rujuk_lanjut(rujuk),
        "tglPulang": body.get("tglPulang"),
        "kdTacc": body.get("kdTacc"),
        "alasanTacc": body.get("alasanTacc"),
    }


def hospital_offer(day: dt.date | None, store_count: int) -> dict[str, Any]:
    kapasitas = 120
    return {
        "kdppk": data.HOSPITAL_CODE,
        "nmppk": data.HOSPITAL_NAME,
        "alamatPpk": "Jl. Demo Harapan No. 10, Bandung",
        "telpPpk": "022-7000001",
        "kelas": "C",
        "nmkc": "BANDUNG",
        "distance": 3500,
        "jadwal": "Senin - Sabtu : 08:00 - 14:00",
        "jmlRujuk": store_count,
        "kapasitas": kapasitas,
        "persentase": round(store_count * 100 / kapasitas, 2),
    }


# ---- helpers ---------------------------------------------------------------------------------
def _ref_list(items: list[dict[str, Any]]) -> Reply:
    return ok({"count": len(items), "list": items})


def _created(field_name: str, message: Any) -> Reply:
    return ok({"field": field_name, "message": message}, code=201, message="CREATED")


def _bool(value: Any) -> bool | None:
    if isinstance(value, bool):
        return value
    if isinstance(value, str) and value.lower() in ("true", "false"):
        return value.lower() == "true"
    return None


def _live_kunjungan(conn: sqlite3.Connection, no_kunjungan: Any) -> sqlite3.Row | None:
    row: sqlite3.Row | None = conn.execute(
        "SELECT * FROM kunjungan WHERE no_kunjungan = ? AND deleted = 0", (str(no_kunjungan),)
    ).fetchone()
    return row


# ---- references ------------------------------------------------------------------------------
def diagnosa(call: Call) -> Reply:
    found = data.search_diagnoses(call.params["q"])
    items = [{"kdDiag": d.code, "nmDiag": d.name, "nonSpesialis": d.non_spesialis} for d in found]
    return ok(page(items, call.params["start"], call.params["limit"]))


def dokter(call: Call) -> Reply:
    items = [{"kdDokter": d.kd_dokter, "nmDokter": d.nm_dokter} for d in data.DOCTORS.values()]
    return ok(page(items, call.params["start"], call.params["limit"]))


def kesadaran(call: Call) -> Reply:
    return _ref_list([{"kdSadar": kd, "nmSadar": nm} for kd, nm in data.KESADARAN])


def poli_fktp(call: Call) -> Reply:
    items = [poli_view(kd) for kd in POLIS]
    return ok(page(items, call.params["start"], call.params["limit"]))


def provider_list(call: Call) -> Reply:
    items = [provider(data.CLINIC_CODE), provider(data.OTHER_FKTP_CODE)]
    return ok(page(items, call.params["start"], call.params["limit"]))


def statuspulang(call: Call) -> Reply:
    flag = call.params["flag"].lower()
    if flag == "true":
        return _ref_list([dict(item) for item in call.settings["status_pulang_inpatient"]])
    if flag == "false":
        return _ref_list(
            [
                {"kdStatusPulang": kd, "nmStatusPulang": nm}
                for kd, nm in data.STATUS_PULANG_OUTPATIENT
            ]
        )
    return no_data()


def alergi(call: Call) -> Reply:
    items = data.ALERGI.get(call.params["jenis"])
    if items is None:
        return no_data()
    return _ref_list([{"kdAlergi": kd, "nmAlergi": nm} for kd, nm in items])


def prognosa(call: Call) -> Reply:
    return _ref_list([{"kdPrognosa": kd, "nmPrognosa": nm} for kd, nm in data.PROGNOSA])


def spesialis(call: Call) -> Reply:
    return _ref_list([{"kdSpesialis": kd, "nmSpesialis": nm} for kd, nm in data.SPESIALIS])


def subspesialis(call: Call) -> Reply:
    subs = data.SUBSPESIALIS.get(call.params["kd"].upper())
    if subs is None:
        return no_data()
    return _ref_list(
        [{"kdSubSpesialis": kd, "nmSubSpesialis": nm, "kdPoliRujuk": poli} for kd, nm, poli in subs]
    )


def sarana(call: Call) -> Reply:
    return _ref_list([{"kdSarana": kd, "nmSarana": nm} for kd, nm in data.SARANA])


def khusus(call: Call) -> Reply:
    return _ref_list([{"kdKhusus": kd, "nmKhusus": nm} for kd, nm in data.KHUSUS])


def _referrals_to_hospital(call: Call, day: dt.date) -> int:
    count = 0
    for row in call.app.store.query("SELECT data FROM kunjungan WHERE deleted = 0"):
        rujuk = json.loads(row["data"]).get("rujukLanjut")
        if (
            isinstance(rujuk, dict)
            and rujuk.get("kdppk") == data.HOSPITAL_CODE
            and parse_dmy(rujuk.get("tglEstRujuk")) == day
        ):
            count += 1
    return count


def rujuk_hospitals(call: Call) -> Reply:
    day = parse_dmy(call.params["tgl"])
    if day is None:
        raise reject(
            "tglEstRujuk", "Format tanggal tidak sesuai, format yang benar adalah dd-mm-yyyy"
        )
    return _ref_list([hospital_offer(day, _referrals_to_hospital(call, day))])


def peserta(call: Call) -> Reply:
    participant = data.find_participant(call.params["noKartu"])
    return ok(peserta_view(participant)) if participant else no_data()


def peserta_by(call: Call) -> Reply:
    kind = call.params["jenis"].lower()
    number = call.params["nomor"]
    if kind == "nik":
        participant = data.find_participant_by_nik(number)
    elif kind in ("noka", "nokartu"):
        participant = data.find_participant(number)
    else:
        return no_data()
    return ok(peserta_view(participant)) if participant else no_data()


# ---- pendaftaran -----------------------------------------------------------------------------
def pendaftaran_add(call: Call) -> Reply:
    body = call.body_object()
    no_kartu = str(body.get("noKartu") or "")
    participant = data.find_participant(no_kartu)
    if participant is None:
        raise reject("noKartu", "Peserta tidak ditemukan")
    if not participant.aktif:
        raise reject("noKartu", "Peserta tidak aktif")
    if participant.kd_provider != CLINIC_CODE and not call.settings["allow_other_fktp_pendaftaran"]:
        raise reject("kdProviderPeserta", "Peserta terdaftar di FKTP lain")
    errors: list[tuple[str, str]] = []
    day = parse_dmy(body.get("tglDaftar"))
    if day is None:
        errors.append(
            ("tglDaftar", "Format tanggal tidak sesuai, format yang benar adalah dd-mm-yyyy")
        )
    elif day > call.today:
        errors.append(("tglDaftar", "Tanggal pendaftaran tidak boleh melebihi tanggal hari ini"))
    kd_poli = str(body.get("kdPoli") or "")
    poli = POLIS.get(kd_poli)
    if poli is None:
        errors.append(("kdPoli", "Kode poli tidak ditemukan"))
    elif _bool(body.get("kunjSakit")) is not poli.poli_sakit:
        errors.append(("kunjSakit", "Jenis kunjungan (sakit/sehat) tidak sesuai dengan poli"))
    if errors:
        raise Rejection(errors)
    assert day is not None and poli is not None
    with call.app.store.tx() as conn:
        duplicate = conn.execute(
            "SELECT 1 FROM pendaftaran WHERE tgl = ? AND no_kartu = ? AND kd_poli = ? "
            "AND deleted = 0",
            (day.isoformat(), no_kartu, kd_poli),
        ).fetchone()
        if duplicate:
            raise reject(
                "noKartu", "Peserta sudah terdaftar di poli yang sama pada tanggal tersebut"
            )
        seq = call.app.store.next_value(conn, f"noUrut:{day.isoformat()}:{kd_poli}")
        no_urut = f"{poli.prefix}{seq}"
        conn.execute(
            "INSERT INTO pendaftaran (tgl, no_kartu, kd_poli, no_urut, data, created_at) "
            "VALUES (?, ?, ?, ?, ?, ?)",
            (day.isoformat(), no_kartu, kd_poli, no_urut, dumps(body), _stamp(call)),
        )
    return _created("noUrut", no_urut)


def _stamp(call: Call) -> str:
    return call.now_wib.isoformat(timespec="seconds")


def _served_ids(call: Call) -> set[int]:
    rows = call.app.store.query("SELECT pendaftaran_id FROM kunjungan WHERE deleted = 0")
    return {row["pendaftaran_id"] for row in rows}


def pendaftaran_get(call: Call) -> Reply:
    day = parse_dmy(call.params["tgl"])
    if day is None:
        return no_data()
    row = call.app.store.query_one(
        "SELECT * FROM pendaftaran WHERE no_urut = ? AND tgl = ? AND deleted = 0 "
        "ORDER BY id LIMIT 1",
        (call.params["noUrut"], day.isoformat()),
    )
    if row is None:
        return no_data()
    return ok(pendaftaran_view(row, row["id"] in _served_ids(call)))


def pendaftaran_list(call: Call) -> Reply:
    day = parse_dmy(call.params["tgl"])
    if day is None:
        raise reject(
            "tglDaftar", "Format tanggal tidak sesuai, format yang benar adalah dd-mm-yyyy"
        )
    rows = call.app.store.query(
        "SELECT * FROM pendaftaran WHERE tgl = ? AND deleted = 0 ORDER BY id", (day.isoformat(),)
    )
    served = _served_ids(call)
    items = [pendaftaran_view(row, row["id"] in served) for row in rows]
    return ok(page(items, call.params["start"], call.params["limit"]))


def pendaftaran_delete(call: Call) -> Reply:
    day = parse_dmy(call.params["tgl"])
    if day is None:
        return no_data()
    with call.app.store.tx() as conn:
        row = conn.execute(
            "SELECT * FROM pendaftaran WHERE no_kartu = ? AND tgl = ? AND no_urut = ? "
            "AND kd_poli = ? AND deleted = 0",
            (call.params["noKartu"], day.isoformat(), call.params["noUrut"], call.params["kdPoli"]),
        ).fetchone()
        if row is None:
            return no_data()
        visit = conn.execute(
            "SELECT 1 FROM kunjungan WHERE pendaftaran_id = ? AND deleted = 0", (row["id"],)
        ).fetchone()
        if visit:
            raise reject("noUrut", "Pendaftaran sudah memiliki kunjungan")
        conn.execute(
            "UPDATE pendaftaran SET deleted = 1, deleted_at = ? WHERE id = ?",
            (_stamp(call), row["id"]),
        )
    return plain("", code=200, message="OK")


# ---- kunjungan -------------------------------------------------------------------------------
def _tacc(value: Any) -> int | None:
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value
    if isinstance(value, str) and value.strip().lstrip("-").isdigit():
        return int(value.strip())
    return None


def _check_kunjungan_fields(body: dict[str, Any], settings: dict[str, Any]) -> None:
    errors: list[tuple[str, str]] = []
    if not body.get("kdDiag1") or data.find_diagnosis(str(body["kdDiag1"])) is None:
        errors.append(("kdDiag1", "Kode diagnosa tidak ditemukan"))
    for key in ("kdDiag2", "kdDiag3"):
        if body.get(key) and data.find_diagnosis(str(body[key])) is None:
            errors.append((key, "Kode diagnosa tidak ditemukan"))
    if str(body.get("kdDokter")) not in data.DOCTORS:
        errors.append(("kdDokter", "Kode dokter tidak ditemukan"))
    if str(body.get("kdSadar")) not in dict(data.KESADARAN):
        errors.append(("kdSadar", "Kode kesadaran tidak ditemukan"))
    if body.get("kdPrognosa") not in (None, "") and str(body["kdPrognosa"]) not in dict(
        data.PROGNOSA
    ):
        errors.append(("kdPrognosa", "Kode prognosa tidak ditemukan"))
    status = str(body.get("kdStatusPulang") or "")
    rujuk = body.get("rujukLanjut")
    if status == "4" and rujuk is None:
        errors.append(("rujukLanjut", "Rujukan lanjut wajib diisi untuk status pulang rujuk"))
    if status == "4" and isinstance(rujuk, dict) and not errors:
        diagnosis = data.find_diagnosis(str(body["kdDiag1"]))
        if diagnosis is not None and diagnosis.non_spesialis:
            tacc = _tacc(body.get("kdTacc"))
            reason = body.get("alasanTacc")
            if tacc not in (1, 2, 3, 4) or not isinstance(reason, str) or not reason.strip():
                errors.append(("kdTacc", "Diagnosa non spesialistik, TACC wajib diisi"))
    if errors:
        raise Rejection(errors)


def _kunjungan_reply(call: Call, no_kunjungan: str, *, code: int, legacy: bool) -> Reply:
    item = {"field": "noKunjungan", "message": no_kunjungan}
    message = "CREATED" if code == 201 else "OK"
    if legacy or call.settings["kunjungan_response_shape"] == "object":
        return ok(item, code=code, message=message)
    return ok([item], code=code, message=message)


def _newtonsoft(body: dict[str, Any], settings: dict[str, Any]) -> bool:
    return (
        str(body.get("kdStatusPulang") or "") == "4"
        and body.get("rujukLanjut") is None
        and settings["referral_without_rujuklanjut"] == "500"
    )


def kunjungan_add(call: Call, legacy: bool = False) -> Reply:
    body = call.body_object()
    if _newtonsoft(body, call.settings):
        return server_error(NEWTONSOFT_MESSAGE)
    no_kartu = str(body.get("noKartu") or "")
    day = parse_dmy(body.get("tglDaftar"))
    kd_poli = body.get("kdPoli")
    with call.app.store.tx() as conn:
        sql = "SELECT * FROM pendaftaran WHERE no_kartu = ? AND tgl = ? AND deleted = 0"
        params: tuple[Any, ...] = (no_kartu, day.isoformat() if day else "")
        if kd_poli:
            sql += " AND kd_poli = ?"
            params += (str(kd_poli),)
        registration = conn.execute(sql + " ORDER BY id DESC LIMIT 1", params).fetchone()
        if registration is None or day is None:
            raise reject("noKartu", "Belum melakukan pendaftaran pada poli tersebut.")
        existing = conn.execute(
            "SELECT 1 FROM kunjungan WHERE pendaftaran_id = ? AND deleted = 0",
            (registration["id"],),
        ).fetchone()
        if existing:
            raise reject("noKartu", "Kunjungan sudah ada")
        _check_kunjungan_fields(body, call.settings)
        prefix = f"{CLINIC_CODE}{day:%m%y}Y"
        seq = call.app.store.next_value(conn, f"kunjungan:{prefix}")
        no_kunjungan = f"{prefix}{seq:06d}"
        conn.execute(
            "INSERT INTO kunjungan (no_kunjungan, no_kartu, tgl, kd_poli, pendaftaran_id, data, "
            "history, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
            (
                no_kunjungan,
                no_kartu,
                day.isoformat(),
                registration["kd_poli"],
                registration["id"],
                dumps(body),
                dumps([body]),
                _stamp(call),
            ),
        )
    return _kunjungan_reply(call, no_kunjungan, code=201, legacy=legacy)


def kunjungan_edit(call: Call, legacy: bool = False) -> Reply:
    body = call.body_object()
    if _newtonsoft(body, call.settings):
        return server_error(NEWTONSOFT_MESSAGE)
    with call.app.store.tx() as conn:
        row = _live_kunjungan(conn, body.get("noKunjungan"))
        if row is None:
            raise reject("noKunjungan", "Kunjungan tidak ditemukan")
        _check_kunjungan_fields(body, call.settings)
        history = [*json.loads(row["history"]), body]
        conn.execute(
            "UPDATE kunjungan SET data = ?, history = ?, updated_at = ? WHERE id = ?",
            (dumps(body), dumps(history), _stamp(call), row["id"]),
        )
    return _kunjungan_reply(call, row["no_kunjungan"], code=200, legacy=legacy)


def legacy_kunjungan(call: Call) -> Reply:
    if call.settings["legacy_kunjungan_path"] != "serve":
        return Reply(code=404, message=LEGACY_404_MESSAGE, plain=None)
    if call.request.method == "POST":
        return kunjungan_add(call, legacy=True)
    return kunjungan_edit(call, legacy=True)


def kunjungan_delete(call: Call) -> Reply:
    with call.app.store.tx() as conn:
        row = _live_kunjungan(conn, call.params["noKunjungan"])
        if row is None:
            return no_data()
        conn.execute(
            "UPDATE kunjungan SET deleted = 1, deleted_at = ? WHERE id = ?",
            (_stamp(call), row["id"]),
        )
    return plain(None, code=200, message="OK")


def kunjungan_peserta(call: Call) -> Reply:
    rows = call.app.store.query(
        "SELECT * FROM kunjungan WHERE no_kartu = ? AND deleted = 0 ORDER BY id",
        (call.params["noKartu"],),
    )
    items = [kunjungan_view(row, call.settings) for row in rows]
    return ok({"count": len(items), "list": items})


TACC_NAMES = {
    -1: "Tanpa TACC",
    0: "Tanpa TACC",
    1: "Time",
    2: "Age",
    3: "Complication",
    4: "Comorbidity",
}


def kunjungan_rujukan(call: Call) -> Reply:
    row = _live_kunjungan(call.app.store.conn(), call.params["noKunjungan"])
    if row is None:
        return no_data()
    body = json.loads(row["data"])
    rujuk = body.get("rujukLanjut")
    if not isinstance(rujuk, dict):
        return no_data()
    participant = data.find_participant(row["no_kartu"])
    doctor = data.DOCTORS.get(str(body.get("kdDokter")))
    tacc = _tacc(body.get("kdTacc"))
    kdppk = rujuk.get("kdppk")
    letter = {
        "noRujukan": row["no_kunjungan"],
        "ppk": {
            "kdPPK": kdppk,
            "nmPPK": data.PROVIDER_NAMES.get(str(kdppk)),
            "alamat": "Jl. Demo Harapan No. 10, Bandung" if kdppk == data.HOSPITAL_CODE else None,
            "kc": {
                "kdKC": "0999",
                "nmKC": "BANDUNG",
                "alamat": "Jl. Demo Kantor Cabang No. 1, Bandung",
                "telp": "022-7000000",
                "fax": None,
                "dati": {"kdProp": "32", "kdDati": "0273", "nmDati": "KOTA BANDUNG"},
                "kdKR": {
                    "kdKR": "0900",
                    "nmKR": "KEDEPUTIAN WILAYAH DEMO",
                    "alamat": "Jl. Demo Wilayah No. 1, Bandung",
                    "telp": "022-7000002",
                    "fax": None,
                },
            },
        },
        "tglKunjungan": dmy(dt.date.fromisoformat(row["tgl"])),
        "tglEstRujuk": rujuk.get("tglEstRujuk"),
        "poli": poli_rujuk_lanjut(rujuk),
        "nokaPst": row["no_kartu"],
        "nmPst": participant.nama if participant else None,
        "tglLahir": dmy(participant.tgl_lahir) if participant else None,
        "pisa": "1",
        "ketPisa": "Peserta",
        "sex": participant.sex if participant else None,
        "diag1": diag_view(body.get("kdDiag1")),
        "diag2": diag_view(body.get("kdDiag2")),
        "diag3": diag_view(body.get("kdDiag3")),
        "catatan": (rujuk.get("khusus") or {}).get("catatan")
        if isinstance(rujuk.get("khusus"), dict)
        else None,
        "dokter": {
            "kdDokter": body.get("kdDokter"),
            "nmDokter": doctor.nm_dokter if doctor else None,
        },
        "tacc": {
            "nmTacc": TACC_NAMES.get(tacc) if tacc is not None else None,
            "alasanTacc": body.get("alasanTacc"),
        },
        "infoDenda": "Apabila peserta dirujuk kembali untuk rawat inap dalam 45 hari, "
        "ketentuan denda pelayanan berlaku.",
        "providerPerujuk": provider(CLINIC_CODE),
    }
    return ok(letter)


# ---- obat, tindakan, MCU -----------------------------------------------------------------------
def _require_kunjungan(conn: sqlite3.Connection, body: dict[str, Any]) -> sqlite3.Row:
    row = _live_kunjungan(conn, body.get("noKunjungan"))
    if row is None:
        raise reject("noKunjungan", "Kunjungan tidak ditemukan")
    return row


def _item_insert(
    conn: sqlite3.Connection, call: Call, kind: str, sk: int, no: str, body: Any
) -> None:
    conn.execute(
        "INSERT INTO item (kind, sk, no_kunjungan, data, created_at) VALUES (?, ?, ?, ?, ?)",
        (kind, sk, no, dumps(body), _stamp(call)),
    )


def obat_add(call: Call) -> Reply:
    body = call.body_object()
    with call.app.store.tx() as conn:
        visit = _require_kunjungan(conn, body)
        is_dpho = _bool(body.get("obatDPHO"))
        if is_dpho is not False and str(body.get("kdObat")) not in data.DPHO_BY_CODE:
            raise reject("kdObat", "Kode obat DPHO tidak ditemukan")
        sk = call.app.store.next_value(conn, "kdObatSK")
        kd_racikan = None
        if _bool(body.get("racikan")):
            kd_racikan = body.get("kdRacikan") or (
                f"R.{call.app.store.next_value(conn, 'kdRacikan:' + visit['no_kunjungan']):02d}"
            )
        stored = {**body, "kdObatSK": sk, "kdRacikan": kd_racikan}
        _item_insert(conn, call, "obat", sk, visit["no_kunjungan"], stored)
    return ok(
        [{"field": "kdObatSK", "message": str(sk)}, {"field": "kdRacikan", "message": kd_racikan}],
        code=201,
        message="CREATED",
    )


def _items(call: Call, kind: str) -> list[dict[str, Any]] | None:
    store = call.app.store
    if _live_kunjungan(store.conn(), call.params["noKunjungan"]) is None:
        return None
    rows = store.query(
        "SELECT data FROM item WHERE kind = ? AND no_kunjungan = ? AND deleted = 0 ORDER BY id",
        (kind, call.params["noKunjungan"]),
    )
    return [json.loads(row["data"]) for row in rows]


def obat_list(call: Call) -> Reply:
    items = _items(call, "obat")
    if items is None:
        return no_data()
    result = []
    for body in items:
        drug = data.DPHO_BY_CODE.get(str(body.get("kdObat")))
        result.append(
            {
                "kdObatSK": body["kdObatSK"],
                "kdRacikan": body.get("kdRacikan"),
                "obat": {
                    "kdObat": body.get("kdObat"),
                    "nmObat": drug[1] if drug else body.get("nmObatNonDPHO"),
                    "sedia": drug[2] if drug else 0,
                },
                "signa1": body.get("signa1"),
                "signa2": body.get("signa2"),
                "jmlObat": body.get("jmlObat"),
                "jmlHari": body.get("jmlHari"),
                "kekuatan": body.get("kekuatan"),
                "jmlPermintaan": body.get("jmlPermintaan"),
                "jmlObatRacikan": body.get("jmlObatRacikan"),
            }
        )
    return ok({"count": len(result), "list": result})


def _item_delete(call: Call, kind: str, sk_param: str) -> Reply:
    try:
        sk = int(call.params[sk_param])
    except ValueError:
        return no_data()
    with call.app.store.tx() as conn:
        row = conn.execute(
            "SELECT id FROM item WHERE kind = ? AND sk = ? AND no_kunjungan = ? AND deleted = 0",
            (kind, sk, call.params["noKunjungan"]),
        ).fetchone()
        if row is None:
            return no_data()
        conn.execute(
            "UPDATE item SET deleted = 1, deleted_at = ? WHERE id = ?", (_stamp(call), row["id"])
        )
    return plain(None, code=200, message="OK")


def obat_delete(call: Call) -> Reply:
    return _item_delete(call, "obat", "kdObatSK")


def tindakan_ref(call: Call) -> Reply:
    tkp = call.params["kdTkp"]
    items = [
        {"kdTindakan": kd, "nmTindakan": nm, "maxTarif": tarif, "withValue": with_value}
        for kd, nm, tarif, with_value, tkps in data.TINDAKAN
        if tkp in tkps
    ]
    return ok(page(items, call.params["start"], call.params["limit"]))


def _tindakan_save(call: Call, *, edit: bool) -> Reply:
    body = call.body_object()
    with call.app.store.tx() as conn:
        visit = _require_kunjungan(conn, body)
        if str(body.get("kdTindakan")) not in data.TINDAKAN_BY_CODE:
            raise reject("kdTindakan", "Kode tindakan tidak ditemukan")
        if edit:
            row = conn.execute(
                "SELECT id, sk FROM item WHERE kind = 'tindakan' AND sk = ? AND no_kunjungan = ? "
                "AND deleted = 0",
                (_tacc(body.get("kdTindakanSK")), visit["no_kunjungan"]),
            ).fetchone()
            if row is None:
                raise reject("kdTindakanSK", "Tindakan tidak ditemukan")
            sk = int(row["sk"])
            conn.execute(
                "UPDATE item SET data = ?, updated_at = ? WHERE id = ?",
                (dumps({**body, "kdTindakanSK": sk}), _stamp(call), row["id"]),
            )
        else:
            sk = call.app.store.next_value(conn, "kdTindakanSK")
            _item_insert(
                conn, call, "tindakan", sk, visit["no_kunjungan"], {**body, "kdTindakanSK": sk}
            )
    item = {"field": "kdTindakanSK", "message": str(sk)}
    return ok(item, code=200) if edit else _created("kdTindakanSK", str(sk))


def tindakan_add(call: Call) -> Reply:
    return _tindakan_save(call, edit=False)


def tindakan_edit(call: Call) -> Reply:
    return _tindakan_save(call, edit=True)


def tindakan_list(call: Call) -> Reply:
    items = _items(call, "tindakan")
    if items is None:
        return no_data()
    result = []
    for body in items:
        ref = data.TINDAKAN_BY_CODE.get(str(body.get("kdTindakan")))
        result.append(
            {
                "kdTindakanSK": body["kdTindakanSK"],
                "kdTindakan": body.get("kdTindakan"),
                "nmTindakan": ref[1] if ref else None,
                "biaya": body.get("biaya"),
                "keterangan": body.get("keterangan"),
                "hasil": body.get("hasil"),
            }
        )
    return ok({"count": len(result), "list": result})


def tindakan_delete(call: Call) -> Reply:
    return _item_delete(call, "tindakan", "kdTindakanSK")


def _mcu_save(call: Call, *, edit: bool) -> Reply:
    body = call.body_object()
    with call.app.store.tx() as conn:
        visit = _require_kunjungan(conn, body)
        if edit:
            row = conn.execute(
                "SELECT id, sk FROM item WHERE kind = 'mcu' AND sk = ? AND no_kunjungan = ? "
                "AND deleted = 0",
                (_tacc(body.get("kdMCU")), visit["no_kunjungan"]),
            ).fetchone()
            if row is None:
                raise reject("kdMCU", "Data MCU tidak ditemukan")
            sk = int(row["sk"])
            conn.execute(
                "UPDATE item SET data = ?, updated_at = ? WHERE id = ?",
                (dumps({**body, "kdMCU": sk}), _stamp(call), row["id"]),
            )
        else:
            sk = call.app.store.next_value(conn, "kdMCU")
            _item_insert(conn, call, "mcu", sk, visit["no_kunjungan"], {**body, "kdMCU": sk})
    return (
        ok({"field": "kdMCU", "message": str(sk)}, code=200) if edit else _created("kdMCU", str(sk))
    )


def mcu_add(call: Call) -> Reply:
    return _mcu_save(call, edit=False)


def mcu_edit(call: Call) -> Reply:
    return _mcu_save(call, edit=True)


def mcu_list(call: Call) -> Reply:
    items = _items(call, "mcu")
    if items is None:
        return no_data()
    return ok({"count": len(items), "list": items})


def mcu_delete(call: Call) -> Reply:
    return _item_delete(call, "mcu", "kdMCU")


# ---- kelompok (Prolanis) ---------------------------------------------------------------------
def club(call: Call) -> Reply:
    items = [dict(c) for c in data.CLUBS if c["kdProgram"] == call.params["kd"]]
    return ok({"count": len(items), "list": items})


def _kegiatan_view(row: sqlite3.Row) -> dict[str, Any]:
    body = json.loads(row["data"])
    club_row = next((c for c in data.CLUBS if str(c["clubId"]) == str(body.get("clubId"))), None)
    kd_kelompok = str(body.get("kdKelompok") or "")
    return {
        "eduId": row["edu_id"],
        "clubProl": dict(club_row) if club_row else None,
        "tglPelayanan": body.get("tglPelayanan"),
        "kegiatan": {
            "kdKegiatan": body.get("kdKegiatan"),
            "nmKegiatan": data.KEGIATAN.get(str(body.get("kdKegiatan"))),
        },
        "kelompok": {
            "kdKelompok": kd_kelompok,
            "nmKelompok": data.PROGRAM_PROLANIS.get(kd_kelompok),
        },
        "materi": body.get("materi"),
        "pembicara": body.get("pembicara"),
        "lokasi": body.get("lokasi"),
        "keterangan": body.get("keterangan"),
        "biaya": body.get("biaya"),
    }


def kegiatan_list(call: Call) -> Reply:
    day = parse_dmy(call.params["tgl"])
    if day is None:
        raise reject("bulan", "Format tanggal tidak sesuai, format yang benar adalah dd-mm-yyyy")
    rows = call.app.store.query(
        "SELECT * FROM kegiatan WHERE deleted = 0 AND substr(tgl, 1, 7) = ? ORDER BY id",
        (day.isoformat()[:7],),
    )
    items = [_kegiatan_view(row) for row in rows]
    return ok({"count": len(items), "list": items})


def kegiatan_add(call: Call) -> Reply:
    body = call.body_object()
    errors = []
    if not any(str(c["clubId"]) == str(body.get("clubId")) for c in data.CLUBS):
        errors.append(("clubId", "Club Prolanis tidak ditemukan"))
    day = parse_dmy(body.get("tglPelayanan"))
    if day is None:
        errors.append(
            ("tglPelayanan", "Format tanggal tidak sesuai, format yang benar adalah dd-mm-yyyy")
        )
    if str(body.get("kdKegiatan")) not in data.KEGIATAN:
        errors.append(("kdKegiatan", "Kode kegiatan tidak ditemukan"))
    if errors:
        raise Rejection(errors)
    assert day is not None
    with call.app.store.tx() as conn:
        seq = call.app.store.next_value(conn, "eduId")
        edu_id = f"{day:%y%m}{seq:07d}"
        conn.execute(
            "INSERT INTO kegiatan (edu_id, tgl, data, created_at) VALUES (?, ?, ?, ?)",
            (edu_id, day.isoformat(), dumps(body), _stamp(call)),
        )
    return _created("eduId", edu_id)


def kegiatan_delete(call: Call) -> Reply:
    with call.app.store.tx() as conn:
        row = conn.execute(
            "SELECT id FROM kegiatan WHERE edu_id = ? AND deleted = 0", (call.params["eduId"],)
        ).fetchone()
        if row is None:
            return no_data()
        conn.execute(
            "UPDATE kegiatan SET deleted = 1, deleted_at = ? WHERE id = ?",
            (_stamp(call), row["id"]),
        )
    return plain(None, code=200, message="OK")


def kelompok_peserta_list(call: Call) -> Reply:
    rows = call.app.store.query(
        "SELECT no_kartu FROM kelompok_peserta WHERE edu_id = ? AND deleted = 0 ORDER BY id",
        (call.params["eduId"],),
    )
    items = []
    for row in rows:
        participant = data.find_participant(row["no_kartu"])
        if participant:
            items.append({"peserta": peserta_view(participant)})
    return ok({"count": len(items), "list": items})


def kelompok_peserta_add(call: Call) -> Reply:
    body = call.body_object()
    edu_id = str(body.get("eduId") or "")
    no_kartu = str(body.get("noKartu") or "")
    with call.app.store.tx() as conn:
        if not conn.execute(
            "SELECT 1 FROM kegiatan WHERE edu_id = ? AND deleted = 0", (edu_id,)
        ).fetchone():
            raise reject("eduId", "Kegiatan kelompok tidak ditemukan")
        if data.find_participant(no_kartu) is None:
            raise reject("noKartu", "Peserta tidak ditemukan")
        if conn.execute(
            "SELECT 1 FROM kelompok_peserta WHERE edu_id = ? AND no_kartu = ? AND deleted = 0",
            (edu_id, no_kartu),
        ).fetchone():
            raise reject("noKartu", "Peserta sudah terdaftar pada kegiatan ini")
        conn.execute(
            "INSERT INTO kelompok_peserta (edu_id, no_kartu, created_at) VALUES (?, ?, ?)",
            (edu_id, no_kartu, _stamp(call)),
        )
    return _created("eduId", edu_id)


def kelompok_peserta_delete(call: Call) -> Reply:
    with call.app.store.tx() as conn:
        row = conn.execute(
            "SELECT id FROM kelompok_peserta WHERE edu_id = ? AND no_kartu = ? AND deleted = 0",
            (call.params["eduId"], call.params["noKartu"]),
        ).fetchone()
        if row is None:
            return no_data()
        conn.execute(
            "UPDATE kelompok_peserta SET deleted = 1, deleted_at = ? WHERE id = ?",
            (_stamp(call), row["id"]),
        )
    return plain(None, code=200, message="OK")


def register(router: Router) -> None:
    add = router.add
    add("GET", "diagnosa/{q}/{start}/{limit}", diagnosa)
    add("GET", "dokter/{start}/{limit}", dokter)
    add("GET", "kesadaran", kesadaran)
    add("GET", "poli/fktp/{start}/{limit}", poli_fktp)
    add("GET", "provider/{start}/{limit}", provider_list)
    add("GET", "statuspulang/rawatInap/{flag}", statuspulang)
    add("GET", "alergi/jenis/{jenis}", alergi)
    add("GET", "prognosa", prognosa)
    add("GET", "spesialis", spesialis)
    add("GET", "spesialis/sarana", sarana)
    add("GET", "spesialis/khusus", khusus)
    add("GET", "spesialis/{kd}/subspesialis", subspesialis)
    add(
        "GET",
        "spesialis/rujuk/subspesialis/{sub}/sarana/{sarana}/tglEstRujuk/{tgl}",
        rujuk_hospitals,
    )
    add("GET", "spesialis/rujuk/khusus/{kd}/noKartu/{noKartu}/tglEstRujuk/{tgl}", rujuk_hospitals)
    add(
        "GET",
        "spesialis/rujuk/khusus/{kd}/subspesialis/{sub}/noKartu/{noKartu}/tglEstRujuk/{tgl}",
        rujuk_hospitals,
    )
    add("GET", "peserta/{noKartu}", peserta)
    add("GET", "peserta/{jenis}/{nomor}", peserta_by)
    add("POST", "pendaftaran", pendaftaran_add)
    add("GET", "pendaftaran/noUrut/{noUrut}/tglDaftar/{tgl}", pendaftaran_get)
    add("GET", "pendaftaran/tglDaftar/{tgl}/{start}/{limit}", pendaftaran_list)
    add(
        "DELETE",
        "pendaftaran/peserta/{noKartu}/tglDaftar/{tgl}/noUrut/{noUrut}/kdPoli/{kdPoli}",
        pendaftaran_delete,
    )
    add("POST", "kunjungan/V1", kunjungan_add)
    add("PUT", "kunjungan/V1", kunjungan_edit)
    add("POST", "kunjungan", legacy_kunjungan)
    add("PUT", "kunjungan", legacy_kunjungan)
    add("GET", "kunjungan/rujukan/{noKunjungan}", kunjungan_rujukan)
    add("GET", "kunjungan/peserta/{noKartu}", kunjungan_peserta)
    add("DELETE", "kunjungan/V1/{noKunjungan}", kunjungan_delete)
    add("DELETE", "kunjungan/{noKunjungan}", kunjungan_delete)
    add("GET", "obat/dpho/{q}/{start}/{limit}", dpho)
    add("GET", "obat/kunjungan/{noKunjungan}", obat_list)
    add("POST", "obat/kunjungan", obat_add)
    add("DELETE", "obat/{kdObatSK}/kunjungan/{noKunjungan}", obat_delete)
    add("GET", "tindakan/kdTkp/{kdTkp}/{start}/{limit}", tindakan_ref)
    add("GET", "tindakan/kunjungan/{noKunjungan}", tindakan_list)
    add("POST", "tindakan", tindakan_add)
    add("PUT", "tindakan", tindakan_edit)
    add("DELETE", "tindakan/{kdTindakanSK}/kunjungan/{noKunjungan}", tindakan_delete)
    add("GET", "MCU/kunjungan/{noKunjungan}", mcu_list)
    add("POST", "MCU", mcu_add)
    add("PUT", "MCU", mcu_edit)
    add("DELETE", "MCU/{kdMCU}/kunjungan/{noKunjungan}", mcu_delete)
    add("GET", "kelompok/club/{kd}", club)
    add("GET", "kelompok/kegiatan/{tgl}", kegiatan_list)
    add("GET", "kelompok/peserta/{eduId}", kelompok_peserta_list)
    add("POST", "kelompok/kegiatan", kegiatan_add)
    add("POST", "kelompok/peserta", kelompok_peserta_add)
    add("DELETE", "kelompok/kegiatan/{eduId}", kegiatan_delete)
    add("DELETE", "kelompok/peserta/{eduId}/{noKartu}", kelompok_peserta_delete)


def dpho(call: Call) -> Reply:
    query = call.params["q"].strip().lower()
    items = [
        {"kdObat": kd, "nmObat": nm, "sedia": sedia}
        for kd, nm, sedia in data.DPHO
        if kd.startswith(query) or all(word in nm.lower() for word in query.split())
    ]
    return ok(page(items, call.params["start"], call.params["limit"]))
