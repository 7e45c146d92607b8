"""The waiting-room TV in Chromium: updates itself, chimes and speaks in Indonesian."""

from __future__ import annotations

import pytest

from clinic.queues.services import kiosk_ticket_take, ticket_call, ticket_recall

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SPEECH_STUB = """
window.__spoken = [];
window.SpeechSynthesisUtterance = function (text) { this.text = text; };
Object.defineProperty(window, "speechSynthesis", {
  configurable: true,
  value: { speak: function (u) { window.__spoken.push([u.text, u.lang]); } },
});
"""


def test_tv_shows_a_called_number_without_reloading_and_says_it(live_server, page, clinic):
    first = kiosk_ticket_take(poli=clinic.umum)
    page.add_init_script(SPEECH_STUB)
    page.goto(f"{live_server.url}/queues/tv/{clinic.facility.bpjs_provider_code}/")
    assert page.inner_text("[data-testid=tv-number-001]") == "-"
    page.click("[data-testid=tv-sound]")
    page.evaluate("window.__marker = 'same page'")

    ticket_call(ticket=first, user=None)
    page.wait_for_function(
        "document.querySelector('[data-testid=tv-number-001]').innerText === 'A-1'",
        timeout=8_000,
    )
    page.wait_for_function("window.__spoken.length === 1", timeout=5_000)
    assert page.evaluate("window.__spoken") == [
        ["Nomor antrean A 1, silakan menuju Poli Umum", "id-ID"]
    ]
    assert page.evaluate("window.__marker") == "same page"  # never reloaded

    ticket_recall(ticket=first, user=None)  # called again: said again
    page.wait_for_function("window.__spoken.length === 2", timeout=8_000)


def test_kiosk_gives_a_number_in_the_browser(live_server, page, clinic):
    page.goto(f"{live_server.url}/queues/kiosk/{clinic.facility.bpjs_provider_code}/")
    page.click("[data-testid=kiosk-poli-002]")
    page.wait_for_selector("[data-testid=kiosk-number]")
    assert page.inner_text("[data-testid=kiosk-number]") == "B-1"
