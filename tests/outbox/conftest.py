"""A fake handler registered for the test, and a recorder standing in for the broker."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from django.db import transaction

from bridging.outbox import enqueue
from bridging.outbox.handlers import (
    Handler,
    SendResult,
    get_handler,
    register_handler,
    unregister_handler,
)

FAKE = "test.fake.add"


class FakeHandler(Handler):
    """Plays a script: each ``send`` / ``reconcile`` takes the next item (a ``SendResult``,
    ``None`` for reconcile, or an exception to raise)."""

    label = "Operasi uji"

    def __init__(self) -> None:
        self.send_script: list[Any] = []
        self.reconcile_script: list[Any] = []
        self.calls: list[tuple[str, int]] = []
        self.sent: list[tuple[int, str]] = []
        self.on_sent_error: Exception | None = None

    def send(self, job, client_factory):
        self.calls.append(("send", job.pk))
        client_factory.note_request(job.payload or {"subject": job.subject_id})
        action = self.send_script.pop(0) if self.send_script else SendResult(f"R{job.pk}", {})
        if isinstance(action, Exception):
            raise action
        return action

    def reconcile(self, job, client_factory):
        self.calls.append(("reconcile", job.pk))
        action = self.reconcile_script.pop(0) if self.reconcile_script else None
        if isinstance(action, Exception):
            raise action
        return action

    def on_sent(self, job, result):
        if self.on_sent_error is not None:
            raise self.on_sent_error
        self.sent.append((job.pk, result.remote_id))


@pytest.fixture
def fake():
    register_handler(FAKE)(FakeHandler)
    yield get_handler(FAKE)
    unregister_handler(FAKE)


@pytest.fixture
def delivered(monkeypatch) -> list[int]:
    """Job ids handed to the broker (``dispatch.deliver``), in order; nothing is sent."""
    calls: list[int] = []
    monkeypatch.setattr("bridging.outbox.dispatch.deliver", calls.append)
    monkeypatch.setattr("bridging.outbox.runner.deliver", calls.append)
    return calls


@pytest.fixture
def make_job(facility, fake, delivered) -> Callable[..., Any]:
    counter = iter(range(1, 10_000))

    def _make(key: str | None = None, **kwargs: Any):
        n = next(counter)
        fields: dict[str, Any] = {
            "facility_id": facility.pk,
            "service": "pcare",
            "operation": FAKE,
            "subject_type": "tests.subject",
            "subject_id": str(n),
            "idempotency_key": key or f"{FAKE}:subject:{n}",
        }
        fields.update(kwargs)
        with transaction.atomic():
            return enqueue(**fields)

    return _make


def pytest_runtest_setup(item):
    if item.get_closest_marker("postgres") is not None:
        from django.conf import settings

        if "postgresql" not in settings.DATABASES["default"]["ENGINE"]:
            pytest.skip("needs PostgreSQL (set DATABASE_URL)")
