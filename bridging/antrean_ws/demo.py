"""The demo clinic's web service account (SANDBOX.md: x-username ``mobilejkn``, x-password
``Demo#2026``). Idempotent; called by the clinic's demo seed."""

from __future__ import annotations

from typing import Any

from bridging.antrean_ws.models import AntreanWsAccount

DEMO_USERNAME = "mobilejkn"
DEMO_PASSWORD = "Demo#2026"


def seed_demo_antrean_ws(facility: Any) -> bool:
    """Create the demo account for ``facility`` if it has none. Returns True when created."""
    if AntreanWsAccount.objects.filter(facility_id=facility.pk).exists():
        return False
    if AntreanWsAccount.objects.filter(username=DEMO_USERNAME).exists():
        return False
    account = AntreanWsAccount(facility_id=facility.pk, username=DEMO_USERNAME)
    account.set_password(DEMO_PASSWORD)
    account.save()
    return True
