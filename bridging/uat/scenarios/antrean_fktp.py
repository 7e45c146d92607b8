"""Antrean FKTP from the clinic's side: the BPJS web service the clinic calls (PROTOCOL.md
§5.2): schedule references, antrean/add, antrean/panggil and antrean/batal."""

from __future__ import annotations

from datetime import datetime

from django.utils.translation import gettext_lazy as _

from bridging.antrean.schemas import (
    CallStatus,
    QueueAddRequest,
    QueueCallRequest,
    QueueCancelRequest,
)
from bridging.transport.errors import Rejected
from bridging.uat import roster
from bridging.uat.context import WIB, UatContext, next_sunday_after
from bridging.uat.scenarios.base import StepFailed, check, refusal_text, step

G = "antrean_fktp"


def _add_request(ctx: UatContext, card_key: str, offset: int) -> QueueAddRequest:
    card = ctx.state[card_key]
    person = roster.participant(int(card[4:]))
    number = int(ctx.state["antrean_number"]) + offset
    return QueueAddRequest(
        card_number=card,
        nik=person.nik,
        phone=person.phone,
        poli_code=ctx.options.poli_code,
        poli_name=ctx.state.get("antrean_poli_name") or "UMUM",
        medical_record_number="",
        visit_date=ctx.open_day,
        doctor_code=int(ctx.options.doctor_code),
        doctor_name=ctx.state.get("antrean_doctor_name") or "",
        practice_hours=ctx.state.get("antrean_hours") or "08:00-14:00",
        queue_number=f"A-{number}",
        queue_position=number,
        note="UAT: peserta harap datang 30 menit sebelum jam praktek",
    )


@step(
    G,
    "ref_poli",
    title=_("Polis with a schedule"),
    expect=_("The clinic's poli is listed for the first open day after today."),
)
def ref_poli(ctx: UatContext) -> str:
    polis = ctx.antrean.list_polis(ctx.open_day)
    found = [p for p in polis if p.poli_code == ctx.options.poli_code]
    check(found, f"Poli {ctx.options.poli_code} tidak ada pada {ctx.open_day:%d-%m-%Y}.")
    ctx.state["antrean_poli_name"] = found[0].poli_name
    return f"{len(polis)} poli pada {ctx.open_day:%d-%m-%Y}."


@step(
    G,
    "ref_dokter",
    title=_("Doctors' schedules"),
    expect=_("The doctor's schedule (hours and capacity) is listed for the poli and day."),
)
def ref_dokter(ctx: UatContext) -> str:
    doctors = ctx.antrean.list_doctors(ctx.options.poli_code, ctx.open_day)
    found = [d for d in doctors if str(d.doctor_code) == ctx.options.doctor_code]
    check(found, f"Dokter {ctx.options.doctor_code} tidak ada di jadwal poli.")
    ctx.state["antrean_doctor_name"] = found[0].doctor_name
    ctx.state["antrean_hours"] = found[0].practice_hours
    return f"Jam praktek {found[0].practice_hours}, kapasitas {found[0].capacity}."


@step(
    G,
    "ref_closed_day",
    title=_("A day without schedule"),
    expect=_("A Sunday gives “No Content”, read as an empty list, not an error."),
)
def ref_closed_day(ctx: UatContext) -> str:
    sunday = next_sunday_after(ctx.today)
    polis = ctx.antrean.list_polis(sunday)
    check(polis == [], f"BPJS mengembalikan {len(polis)} poli pada hari Minggu.")
    return f"Tidak ada jadwal pada {sunday:%d-%m-%Y}."


@step(
    G,
    "add",
    title=_("antrean/add"),
    expect=_("BPJS accepts the queue number the clinic issued (code 200)."),
    writes=True,
)
def add(ctx: UatContext) -> str:
    request = _add_request(ctx, "antrean_card_called", 0)
    ctx.antrean.add_queue(request)
    ctx.state["antrean_added"] = request.queue_number
    return f"Antrean {request.queue_number} pada {ctx.open_day:%d-%m-%Y} diterima."


@step(
    G,
    "add_duplicate",
    title=_("antrean/add: same patient twice"),
    expect=_("A second number for the same card, poli and date is refused (code 201)."),
    writes=True,
)
def add_duplicate(ctx: UatContext) -> str:
    ctx.need("antrean_added", "antrean/add")
    try:
        ctx.antrean.add_queue(_add_request(ctx, "antrean_card_called", 1))
    except Rejected as exc:
        return refusal_text(exc)
    raise StepFailed("BPJS menerima antrean ganda untuk peserta yang sama.")


@step(
    G,
    "panggil",
    title=_("antrean/panggil (present)"),
    expect=_("BPJS accepts the call with status 1 (present) and the time in milliseconds."),
    writes=True,
)
def panggil(ctx: UatContext) -> str:
    ctx.need("antrean_added", "antrean/add")
    ctx.antrean.call_queue(
        QueueCallRequest(
            visit_date=ctx.open_day,
            poli_code=ctx.options.poli_code,
            card_number=ctx.state["antrean_card_called"],
            status=CallStatus.PRESENT,
            called_at=datetime.now(WIB),
        )
    )
    ctx.state["antrean_called"] = True
    return "Panggilan (hadir) diterima."


@step(
    G,
    "batal",
    title=_("antrean/batal"),
    expect=_(
        "A second patient's number is added, then the clinic's cancellation is accepted (code 200)."
    ),
    writes=True,
)
def batal(ctx: UatContext) -> str:
    request = _add_request(ctx, "antrean_card_cancelled", 2)
    ctx.antrean.add_queue(request)
    ctx.antrean.cancel_queue(
        QueueCancelRequest(
            visit_date=ctx.open_day,
            poli_code=ctx.options.poli_code,
            card_number=ctx.state["antrean_card_cancelled"],
            reason="UAT: jadwal dokter berubah",
        )
    )
    return f"Antrean {request.queue_number} ditambahkan lalu dibatalkan."


@step(
    G,
    "batal_after_call",
    title=_("antrean/batal after the patient was served"),
    expect=_("Cancelling a number already called as present is refused (code 201)."),
    writes=True,
)
def batal_after_call(ctx: UatContext) -> str:
    ctx.need("antrean_called", "antrean/panggil")
    try:
        ctx.antrean.cancel_queue(
            QueueCancelRequest(
                visit_date=ctx.open_day,
                poli_code=ctx.options.poli_code,
                card_number=ctx.state["antrean_card_called"],
                reason="UAT",
            )
        )
    except Rejected as exc:
        return refusal_text(exc)
    raise StepFailed("BPJS membatalkan antrean yang sudah dilayani.")
