"""Sandbox credentials for the demo clinic (SANDBOX.md "Demo consumer")."""

from __future__ import annotations

from typing import Any

from bridging.credentials.defaults import SERVICES
from bridging.credentials.models import BpjsCredential

DEMO_CONS_ID = "1000"
DEMO_SECRET = "sandbox-secret"
DEMO_USER_KEY = "sandbox-user-key"
DEMO_PCARE_USERNAME = "klinik.demo"
DEMO_PCARE_PASSWORD = "Demo#2026"
_LOGIN_SERVICES = frozenset({"pcare", "icare"})


def seed_demo_credentials(facility: Any) -> int:
    """Create the sandbox credential of every service the facility lacks; returns how many.

    Idempotent, and never overwrites a row an admin has edited. The base URL stays empty, so it
    follows ``settings.BPJS_SANDBOX_URL``.
    """
    created = 0
    existing = set(
        BpjsCredential.objects.filter(facility=facility, environment="sandbox").values_list(
            "service", flat=True
        )
    )
    for service in SERVICES:
        if service in existing:
            continue
        login = service in _LOGIN_SERVICES
        credential = BpjsCredential(
            facility=facility,
            environment="sandbox",
            service=service,
            cons_id=DEMO_CONS_ID,
            username=DEMO_PCARE_USERNAME if login else "",
        )
        credential.secret = DEMO_SECRET
        credential.user_key = DEMO_USER_KEY
        credential.password = DEMO_PCARE_PASSWORD if login else ""
        credential.save()
        created += 1
    return created
