"""The bridging apps signal admin actions; the clinic's audit log records them."""

from __future__ import annotations

import pytest
from django.db import transaction

from bridging.credentials.models import BpjsCredential
from bridging.outbox.models import JobState, SyncJob
from bridging.outbox.services import enqueue, job_cancel, job_retry, service_pause
from clinic.core.models import AuditEvent

pytestmark = pytest.mark.django_db


def test_saving_a_credential_on_the_admin_page_is_audited_without_the_secret(client_for, admin):
    response = client_for(admin).post(
        "/credentials/sandbox/pcare/",
        {
            "base_url": "",
            "cons_id": "1000",
            "secret": "rahasia-sekali",
            "user_key": "kunci-user",
            "username": "klinik.demo",
            "password": "Demo#2026",
            "app_code": "095",
            "connect_timeout": "5",
            "read_timeout": "25",
            "test_card_number": "0001000000001",
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    credential = BpjsCredential.objects.get(facility=admin.facility, service="pcare")
    event = AuditEvent.objects.get(object_type="credentials.bpjscredential")
    assert (event.actor, event.action, event.object_id) == (admin, "create", str(credential.pk))
    assert event.facility == admin.facility
    assert "secret" in event.summary
    assert "rahasia" not in event.summary


def test_retry_cancel_and_pause_are_audited(admin, facility):
    with transaction.atomic():
        job = enqueue(
            facility_id=facility.pk,
            service="pcare",
            operation="pcare.pendaftaran.add",
            subject_type="queues.visit",
            subject_id="1",
            idempotency_key="audit-test-1",
        )
    SyncJob.objects.filter(pk=job.pk).update(state=JobState.ATTENTION)
    job_retry(job=job, by=admin)
    job_cancel(job=SyncJob.objects.get(pk=job.pk), by=admin)
    service_pause(facility_id=facility.pk, service="pcare", paused=True, by=admin, reason="x")
    summaries = list(
        AuditEvent.objects.filter(actor=admin).order_by("id").values_list("action", "summary")
    )
    assert summaries == [
        ("action", "retry pcare.pendaftaran.add"),
        ("action", "cancel pcare.pendaftaran.add"),
        ("action", "pcare paused"),
    ]
