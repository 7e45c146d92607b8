"""iCare JKN: the history viewer link (PROTOCOL.md §6)."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from bridging.transport.errors import Rejected
from bridging.uat.context import UatContext
from bridging.uat.scenarios.base import StepFailed, check, refusal_text, step

G = "icare"
UNKNOWN_CARD = "0001999999999"


@step(
    G,
    "validate",
    title=_("History link (api/pcare/validate)"),
    expect=_("iCare returns a history URL for the test participant."),
)
def validate(ctx: UatContext) -> str:
    link = ctx.icare.history_link_fktp(
        ctx.options.card_number, doctor_code=int(ctx.options.doctor_code)
    )
    check(link.url and link.url.startswith("http"), "iCare tidak memberi URL riwayat.")
    ctx.state["icare_url"] = link.url
    return "URL riwayat diterima."


@step(
    G,
    "history_page",
    title=_("History page opens"),
    expect=_("The history URL opens a page (HTTP 200)."),
)
def history_page(ctx: UatContext) -> str:
    url = ctx.need("icare_url", "iCare validate")
    answer = ctx.recorder.http("GET", url, keep_body=False, target="icare-page")
    check(answer.status == 200, f"Halaman riwayat menjawab HTTP {answer.status}.")
    return "Halaman riwayat terbuka."


@step(
    G,
    "validate_unknown",
    title=_("History link for an unknown card"),
    expect=_("iCare refuses an unknown card with a message (code 412)."),
)
def validate_unknown(ctx: UatContext) -> str:
    try:
        ctx.icare.history_link_fktp(UNKNOWN_CARD)
    except Rejected as exc:
        return refusal_text(exc)
    raise StepFailed("iCare memberi URL untuk kartu yang tidak dikenal.")
