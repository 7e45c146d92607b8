"""What the UAT runner does on the clinic's own side, without importing the clinic.

``bridging`` never imports ``clinic``. The runner reads and changes the clinic's rows through
``apps.get_model`` (the web service account's token lifetime and booking window, the doctors'
daily quotas) and marks a booking served through the clinic's own queue service, named by the
setting ``UAT_SERVE_TICKET`` (a dotted path to a function ``(*, ticket, user) -> ticket``; by
default :data:`DEFAULT_SERVE_TICKET`). Whatever a step changes it puts back before it ends.
When a model or the service is missing the step is skipped with the reason.
"""

from __future__ import annotations

import importlib
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date
from typing import Any

from django.apps import apps
from django.conf import settings
from django.db import models
from django.utils.module_loading import import_string

from bridging.uat import roster
from bridging.uat.scenarios.base import StepSkipped

DEFAULT_SERVE_TICKET = "clinic.queues.services.ticket_start_service"


def _model(label: str, name: str) -> type[models.Model]:
    try:
        return apps.get_model(label, name)
    except LookupError:
        raise StepSkipped(
            f"Model {label}.{name} tidak tersedia di instalasi ini; langkah dilewati."
        ) from None


def ws_account(facility_id: int) -> Any:
    account = (
        _model("antrean_ws", "AntreanWsAccount")
        ._default_manager.filter(facility_id=facility_id)
        .first()
    )
    if account is None:
        raise StepSkipped("Akun web service Antrean FKTP klinik belum dibuat; langkah dilewati.")
    return account


def ws_cache_seconds() -> float:
    """How long another process of the clinic may keep the web service account cached."""
    try:
        module = importlib.import_module("bridging.antrean_ws.models")
    except ImportError:
        return 0.0
    return float(getattr(module, "ACCOUNT_CACHE_SECONDS", 0) or 0)


def _save_account(account: Any, values: dict[str, int]) -> None:
    for name, value in values.items():
        setattr(account, name, value)
    # save(), not update(): the model clears its cache entry when saved.
    account.save(update_fields=list(values))


@contextmanager
def account_settings(facility_id: int, **values: int) -> Iterator[dict[str, int]]:
    """Set fields of the clinic's web service account for the block; put them back after.

    Other processes of the clinic (the web server) may keep the account cached for
    :func:`ws_cache_seconds`: steps that rely on the change retry until it shows.
    """
    account = ws_account(facility_id)
    before = {name: int(getattr(account, name)) for name in values}
    _save_account(account, values)
    try:
        yield before
    finally:
        _save_account(account, before)


@contextmanager
def quota_zero(facility_id: int, poli_code: str, day: date) -> Iterator[int]:
    """Every schedule of the poli on that weekday with its daily quota at 0, for the block."""
    schedule_model = _model("queues", "DoctorSchedule")
    manager = schedule_model._default_manager
    rows = list(
        manager.filter(
            facility_id=facility_id, poli__pcare_code=poli_code, weekday=day.weekday()
        ).values_list("pk", "daily_quota")
    )
    if not rows:
        raise StepSkipped(f"Poli {poli_code} tidak punya jadwal pada hari itu; langkah dilewati.")
    manager.filter(pk__in=[pk for pk, _q in rows]).update(daily_quota=0)
    try:
        yield len(rows)
    finally:
        for pk, quota in rows:
            manager.filter(pk=pk).update(daily_quota=quota)


def mark_served(facility_id: int, *, card_number: str, poli_code: str, day: date) -> str:
    """Put the booking's queue ticket in service through the clinic's queue service."""
    ticket_model = _model("queues", "QueueTicket")
    ticket = (
        ticket_model._default_manager.filter(
            facility_id=facility_id,
            poli__pcare_code=poli_code,
            date=day,
            visit__patient__bpjs_card_number=card_number,
        )
        .exclude(status="cancelled")
        .order_by("-pk")
        .first()
    )
    if ticket is None:
        raise StepSkipped("Tiket antrean booking tidak ditemukan di klinik; langkah dilewati.")
    path = getattr(settings, "UAT_SERVE_TICKET", "") or DEFAULT_SERVE_TICKET
    try:
        serve = import_string(path)
    except ImportError:
        raise StepSkipped(f"Layanan antrean klinik {path} tidak tersedia.") from None
    served = serve(ticket=ticket, user=None)
    return str(getattr(served, "status", ""))


def fresh_roster_numbers(facility_id: int, count: int, *, start: int) -> list[int]:
    """Roster participants the clinic does not know yet (so a booking gets 202 first)."""
    patient_model = _model("patients", "Patient")
    found: list[int] = []
    n = start
    for _attempt in range(roster.SIZE):
        card = roster.card_number(n)
        known = patient_model._default_manager.filter(
            facility_id=facility_id, bpjs_card_number=card
        ).exists()
        if not known:
            found.append(n)
            if len(found) == count:
                return found
        n = n % roster.SIZE + 1
    raise StepSkipped("Semua peserta roster sudah terdaftar di klinik; langkah dilewati.")
