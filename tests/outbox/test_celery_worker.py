"""End to end through Celery: the project's app, an embedded worker, an in-memory broker."""

from __future__ import annotations

import threading

import pytest
from celery.contrib.testing.worker import start_worker
from django.db import transaction

import bridging.outbox.tasks  # noqa: F401  (registers the tasks with the app)
from bridging.outbox import enqueue
from bridging.outbox.apps import SWEEP_SCHEDULE_NAME
from bridging.outbox.handlers import SendResult
from bridging.outbox.models import JobState, SyncJob
from clinic.celery import app
from tests.outbox.conftest import FAKE

_SETTINGS = ("broker_url", "broker_transport_options", "task_always_eager")


def _reset_connections() -> None:
    app._pool = None
    app.__dict__.get("amqp") and setattr(app.amqp, "_producer_pool", None)


@pytest.fixture
def memory_broker():
    saved = {key: app.conf[key] for key in _SETTINGS}
    app.conf.update(broker_url="memory://", broker_transport_options={}, task_always_eager=False)
    _reset_connections()
    yield app
    app.conf.update(saved)
    _reset_connections()


@pytest.mark.django_db(transaction=True)
def test_job_enqueued_in_a_committed_transaction_is_run_by_the_worker(
    memory_broker, facility, fake
):
    done = threading.Event()
    original_on_sent = fake.on_sent

    def on_sent(job, result):
        original_on_sent(job, result)
        done.set()

    fake.on_sent = on_sent
    fake.send_script = [SendResult("A21", {"noUrut": "A21"})]

    with start_worker(memory_broker, pool="solo", perform_ping_check=False, shutdown_timeout=15):
        with transaction.atomic():
            job = enqueue(
                facility_id=facility.pk,
                service="pcare",
                operation=FAKE,
                subject_type="queues.visit",
                subject_id="7",
                idempotency_key=f"{FAKE}:visit:7",
            )
        assert done.wait(timeout=30), "the worker did not run the job"

    job = SyncJob.objects.get(pk=job.pk)
    assert job.state == JobState.SENT
    assert job.remote_id == "A21"
    assert fake.calls == [("send", job.pk)]


def test_sweeper_is_in_the_beat_schedule():
    entry = app.conf.beat_schedule[SWEEP_SCHEDULE_NAME]
    assert entry["task"] == "bridging.outbox.sweep"
    assert entry["schedule"] == 30.0
    assert "bridging.outbox.sweep" in app.tasks
    assert "bridging.outbox.run_job" in app.tasks
    assert app.tasks["bridging.outbox.run_job"].acks_late is True
