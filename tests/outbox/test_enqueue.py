"""enqueue(): one job per idempotency key, fired on commit and only then."""

from __future__ import annotations

import pytest
from django.db import transaction

from bridging.outbox import enqueue
from bridging.outbox.models import JobState, SyncJob
from tests.outbox.conftest import FAKE

pytestmark = pytest.mark.django_db


def _fields(facility, key="k-1", **extra):
    fields = {
        "facility_id": facility.pk,
        "service": "pcare",
        "operation": FAKE,
        "subject_type": "queues.visit",
        "subject_id": "41",
        "idempotency_key": key,
    }
    fields.update(extra)
    return fields


def test_enqueue_creates_a_waiting_job(facility, fake, delivered):
    with transaction.atomic():
        job = enqueue(**_fields(facility), payload={"poli": "001"})
    job.refresh_from_db()
    assert job.state == JobState.WAITING
    assert job.attempts == 0
    assert job.max_attempts == 12
    assert job.subject_id == "41"
    assert job.payload == {"poli": "001"}
    assert job.state_label == "Menunggu"


def test_enqueue_same_key_returns_the_existing_job(facility, fake, delivered):
    with transaction.atomic():
        first = enqueue(**_fields(facility))
    with transaction.atomic():
        second = enqueue(**_fields(facility))
    assert second.pk == first.pk
    assert SyncJob.objects.filter(idempotency_key="k-1").count() == 1


def test_enqueue_same_key_for_another_operation_is_refused(facility, fake, delivered):
    with transaction.atomic():
        enqueue(**_fields(facility))
    from bridging.outbox.handlers import Handler, register_handler, unregister_handler

    register_handler("test.other")(type("Other", (Handler,), {}))
    try:
        with (
            pytest.raises(ValueError, match="idempotency key already used"),
            transaction.atomic(),
        ):
            enqueue(**_fields(facility, operation="test.other"))
    finally:
        unregister_handler("test.other")
    assert SyncJob.objects.count() == 1


def test_enqueue_unknown_operation_is_refused(facility, fake, delivered):
    with pytest.raises(ValueError, match="no outbox handler registered"), transaction.atomic():
        enqueue(**_fields(facility, operation="nobody.handles.this"))
    assert SyncJob.objects.count() == 0


def test_enqueue_unknown_service_is_refused(facility, fake, delivered):
    with pytest.raises(ValueError, match="unknown BPJS service"), transaction.atomic():
        enqueue(**_fields(facility, service="mobilejkn"))
    assert SyncJob.objects.count() == 0


def test_enqueue_fires_run_job_only_after_commit(
    facility, fake, delivered, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        with transaction.atomic():
            job = enqueue(**_fields(facility))
            assert delivered == []
        assert delivered == []
    assert len(callbacks) == 1
    assert delivered == [job.pk]


def test_enqueue_rolled_back_leaves_no_job_and_fires_nothing(
    facility, fake, delivered, django_capture_on_commit_callbacks
):
    with (
        django_capture_on_commit_callbacks(execute=True) as callbacks,
        pytest.raises(RuntimeError, match="caller failed"),
        transaction.atomic(),
    ):
        enqueue(**_fields(facility))
        raise RuntimeError("caller failed")
    assert callbacks == []
    assert delivered == []
    assert SyncJob.objects.count() == 0


def test_enqueue_with_unsent_dependency_is_not_fired(
    facility, fake, delivered, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True), transaction.atomic():
        first = enqueue(**_fields(facility, key="a"))
        second = enqueue(**_fields(facility, key="b"), depends_on=[first])
    assert delivered == [first.pk]
    assert list(second.depends_on.all()) == [first]
    assert list(first.dependents.all()) == [second]


def test_enqueue_dependency_of_another_facility_is_refused(
    facility, other_facility, fake, delivered
):
    with transaction.atomic():
        theirs = enqueue(**_fields(other_facility, key="theirs"))
    with pytest.raises(ValueError, match="same facility"), transaction.atomic():
        enqueue(**_fields(facility, key="mine"), depends_on=[theirs])
    assert SyncJob.objects.filter(idempotency_key="mine").count() == 0


@pytest.mark.django_db(transaction=True)
def test_enqueue_outside_a_transaction_is_refused(facility, fake, delivered):
    with pytest.raises(RuntimeError, match=r"inside transaction\.atomic"):
        enqueue(**_fields(facility))
    assert SyncJob.objects.count() == 0
    assert delivered == []
