from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from clinic.core.models import Heartbeat

pytestmark = pytest.mark.django_db


def test_healthz_is_503_when_no_worker_was_ever_seen(client):
    response = client.get("/healthz")
    assert response.status_code == 503
    body = response.json()
    assert body["status"] == "down"
    assert body["checks"]["database"]["ok"] is True
    assert body["checks"]["broker"]["ok"] is True
    assert body["checks"]["worker"] == {"ok": False, "error": "never seen"}


def test_healthz_is_ok_with_a_fresh_worker_heartbeat(client):
    Heartbeat.objects.create(kind="worker", hostname="w1", seen_at=timezone.now())
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json()["status"] == "ok"


def test_healthz_is_503_with_a_stale_worker_heartbeat(client, settings):
    Heartbeat.objects.create(
        kind="worker",
        hostname="w1",
        seen_at=timezone.now() - timedelta(seconds=settings.WORKER_STALE_SECONDS + 5),
    )
    assert client.get("/healthz").status_code == 503


def test_healthz_is_503_when_the_broker_is_unreachable(client, monkeypatch):
    from clinic.celery import app

    Heartbeat.objects.create(kind="worker", hostname="w1", seen_at=timezone.now())
    monkeypatch.setattr(app.conf, "broker_url", "redis://127.0.0.1:1/0")
    response = client.get("/healthz")
    assert response.status_code == 503
    assert response.json()["checks"]["broker"]["ok"] is False
