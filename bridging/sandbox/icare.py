"""iCare (``/ihs_dev``): ``api/pcare/validate`` (FKTP) and ``api/rs/validate`` (FKRTL), and the
history page their URL opens (``/_sandbox/icare/history?token=…``, valid 10 minutes)."""

from __future__ import annotations

import datetime as dt
import html
import json
import secrets

from bridging.sandbox import data
from bridging.sandbox.core import Call, Rejection, Reply, dmy, ok
from bridging.sandbox.store import Store
from bridging.sandbox.web import Router

TOKEN_SECONDS = 600


def validate(call: Call) -> Reply:
    body = call.body()
    card = str(body.get("param") or "") if isinstance(body, dict) else ""
    participant = data.find_participant(card)
    if participant is None:
        raise Rejection([("param", "Peserta tidak ditemukan")])
    if not participant.aktif:
        raise Rejection([("param", "Peserta tidak aktif")])
    token = secrets.token_urlsafe(24)
    with call.app.store.tx() as conn:
        conn.execute("DELETE FROM icare_token WHERE expires_at < ?", (call.now,))
        conn.execute(
            "INSERT INTO icare_token (token, no_kartu, expires_at) VALUES (?, ?, ?)",
            (token, card, call.now + TOKEN_SECONDS),
        )
    url = f"{call.request.host_url}/_sandbox/icare/history?token={token}"
    return ok({"url": url}, code=200, message="Sukses")


def history_page(store: Store, token: str, now: float) -> tuple[int, str]:
    row = store.query_one("SELECT no_kartu, expires_at FROM icare_token WHERE token = ?", (token,))
    if row is None or row["expires_at"] < now:
        return 403, _page(
            "Token tidak valid",
            "<p>Tautan riwayat pelayanan tidak valid atau sudah kedaluwarsa. "
            "Silakan buka ulang dari aplikasi klinik.</p>",
        )
    participant = data.find_participant(row["no_kartu"])
    visits = store.query(
        "SELECT no_kunjungan, tgl, kd_poli, data FROM kunjungan "
        "WHERE no_kartu = ? AND deleted = 0 ORDER BY tgl, id",
        (row["no_kartu"],),
    )
    lines = []
    for visit in visits:
        body = json.loads(visit["data"])
        diagnosis = data.find_diagnosis(str(body.get("kdDiag1") or ""))
        poli = data.POLIS.get(visit["kd_poli"])
        lines.append(
            "<tr>"
            f"<td>{html.escape(dmy(dt.date.fromisoformat(visit['tgl'])))}</td>"
            f"<td>{html.escape(data.CLINIC_NAME)}</td>"
            f"<td>{html.escape(poli.nm_poli if poli else visit['kd_poli'])}</td>"
            f"<td>{html.escape(diagnosis.code + ' - ' + diagnosis.name if diagnosis else '-')}</td>"
            f"<td>{html.escape(visit['no_kunjungan'])}</td>"
            "</tr>"
        )
    rows = "".join(lines) or '<tr><td colspan="5">Belum ada riwayat pelayanan.</td></tr>'
    name = participant.nama if participant else "-"
    body_html = (
        f"<p>Peserta: <strong>{html.escape(name)}</strong></p>"
        "<table><thead><tr><th>Tanggal</th><th>Fasilitas</th><th>Poli</th><th>Diagnosa</th>"
        f"<th>No. Kunjungan</th></tr></thead><tbody>{rows}</tbody></table>"
    )
    return 200, _page("Riwayat Pelayanan Peserta (iCare JKN, sandbox)", body_html)


def _page(title: str, body: str) -> str:
    return (
        '<!DOCTYPE html><html lang="id"><head><meta charset="utf-8">'
        f"<title>{html.escape(title)}</title>"
        "<style>body{font-family:sans-serif;margin:1rem}table{border-collapse:collapse}"
        "td,th{border:1px solid #ccc;padding:4px 8px}</style></head>"
        f"<body><h1>{html.escape(title)}</h1>{body}</body></html>"
    )


def register(router: Router) -> None:
    router.add("POST", "api/pcare/validate", validate)
    router.add("POST", "api/rs/validate", validate)
