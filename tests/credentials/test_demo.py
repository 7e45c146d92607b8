"""The demo seed gives the demo clinic the sandbox demo consumer, once, keeping admin edits."""

from __future__ import annotations

import pytest
from django.core.management import call_command

from bridging.credentials.models import BpjsCredential

pytestmark = pytest.mark.django_db


def _rows() -> list[tuple[str, str, str, str, str, str, str, str]]:
    return [
        (
            c.facility.bpjs_provider_code,
            c.environment,
            c.service,
            c.cons_id,
            c.secret,
            c.user_key,
            c.username,
            c.password,
        )
        for c in BpjsCredential.objects.select_related("facility").order_by("service")
    ]


def test_the_demo_seed_creates_sandbox_credentials_for_every_service():
    call_command("seed_demo")
    common = ("0999K001", "sandbox")
    keys = ("1000", "sandbox-secret", "sandbox-user-key")
    assert _rows() == [
        (*common, "antreanfktp", *keys, "", ""),
        (*common, "icare", *keys, "klinik.demo", "Demo#2026"),
        (*common, "pcare", *keys, "klinik.demo", "Demo#2026"),
        (*common, "vclaim", *keys, "", ""),
    ]
    assert set(BpjsCredential.objects.values_list("base_url", flat=True)) == {""}


def test_the_demo_seed_is_idempotent_and_keeps_an_admin_edit():
    call_command("seed_demo")
    pcare = BpjsCredential.objects.get(service="pcare")
    pcare.secret = "edited-by-admin"
    pcare.cons_id = "4242"
    pcare.save()
    BpjsCredential.objects.filter(service="vclaim").delete()
    call_command("seed_demo")
    assert BpjsCredential.objects.count() == 4
    pcare.refresh_from_db()
    assert (pcare.cons_id, pcare.secret) == ("4242", "edited-by-admin")
    assert BpjsCredential.objects.get(service="vclaim").secret == "sandbox-secret"
