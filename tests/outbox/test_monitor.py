"""The sync monitor pages: clinic admins only, own facility only, actions through services."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from bridging.outbox import runner, service_pause
from bridging.outbox.models import JobState, ServicePause, SyncJob
from bridging.transport.errors import Rejected, ServerError

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("persona", ["frontdesk", "perawat", "dokter"])
def test_monitor_is_for_clinic_admins_only(client_for, persona, request, make_job):
    job = make_job()
    client = client_for(request.getfixturevalue(persona))
    assert client.get(reverse("outbox:monitor")).status_code == 403
    assert client.get(reverse("outbox:job", args=[job.pk])).status_code == 403
    response = client.post(reverse("outbox:job_action", args=[job.pk, "cancel"]))
    assert response.status_code == 403
    job.refresh_from_db()
    assert job.state == JobState.WAITING


def test_monitor_needs_login(client):
    response = client.get(reverse("outbox:monitor"))
    assert response.status_code == 302


def test_monitor_lists_own_facility_jobs_with_states(
    client_for, admin, make_job, fake, other_facility
):
    sent = make_job(subject_type="queues.visit", subject_id="41")
    failing = make_job(subject_type="queues.visit", subject_id="42")
    theirs = make_job(facility_id=other_facility.pk, subject_id="99")
    fake.send_script = [Rejected("Poli tidak valid.")]
    runner.run_job(failing.pk)
    runner.run_job(sent.pk)

    response = client_for(admin).get(reverse("outbox:monitor"))

    assert response.status_code == 200
    html = response.content.decode()
    assert f'data-testid="job-{sent.pk}"' in html
    assert f'data-testid="job-{failing.pk}"' in html
    assert f'data-testid="job-{theirs.pk}"' not in html
    assert f"Terkirim (R{sent.pk})" in html
    assert "Perlu tindakan: Poli tidak valid." in html
    strip = {s["code"]: s for s in response.context["services"]}
    assert strip["pcare"]["failing"] == 1
    assert strip["pcare"]["attention"] == 1
    assert strip["pcare"]["last_sent"] is not None
    assert strip["vclaim"]["failing"] == 0


def test_monitor_filters_by_service_state_subject_and_date(client_for, admin, make_job, fake):
    a = make_job(service="pcare", subject_type="queues.visit", subject_id="41")
    b = make_job(service="antreanfktp", subject_type="queues.visit", subject_id="42")
    old = make_job(service="pcare", subject_type="queues.visit", subject_id="43")
    SyncJob.objects.filter(pk=old.pk).update(created_at=timezone.now() - timedelta(days=10))
    runner.run_job(a.pk)
    client = client_for(admin)

    def listed(**params):
        response = client.get(reverse("outbox:monitor"), params)
        return sorted(row["job"].pk for row in response.context["rows"])

    assert listed(service="antreanfktp") == [b.pk]
    assert listed(state="sent") == [a.pk]
    assert listed(subject="queues.visit:42") == [b.pk]
    assert listed(subject="41") == [a.pk]
    today = timezone.localdate().isoformat()
    assert listed(date_from=today) == sorted([a.pk, b.pk])
    assert listed(date_to=(timezone.localdate() - timedelta(days=5)).isoformat()) == [old.pk]
    assert listed(operation="fake") == sorted([a.pk, b.pk, old.pk])


def test_job_detail_shows_attempts_redacted(client_for, admin, make_job, fake):
    job = make_job(payload={"noKartu": "0001234567890", "kdPoli": "001"})
    fake.send_script = [ServerError("BPJS sedang gangguan.")]
    runner.run_job(job.pk)

    response = client_for(admin).get(reverse("outbox:job", args=[job.pk]))

    html = response.content.decode()
    assert response.status_code == 200
    assert 'data-testid="attempt-1"' in html
    assert "BPJS sedang gangguan." in html
    assert "0001234567890" not in html
    assert "&quot;kdPoli&quot;: &quot;001&quot;" in html


def test_job_of_another_facility_is_not_found(client_for, admin, make_job, other_facility):
    theirs = make_job(facility_id=other_facility.pk)
    client = client_for(admin)
    assert client.get(reverse("outbox:job", args=[theirs.pk])).status_code == 404
    response = client.post(reverse("outbox:job_action", args=[theirs.pk, "cancel"]))
    assert response.status_code == 404
    theirs.refresh_from_db()
    assert theirs.state == JobState.WAITING


def test_retry_and_cancel_buttons(client_for, admin, make_job, fake, delivered):
    job = make_job()
    fake.send_script = [Rejected("Poli tidak valid.")]
    runner.run_job(job.pk)
    client = client_for(admin)

    response = client.post(reverse("outbox:job_action", args=[job.pk, "retry"]))
    assert response.status_code == 302
    assert response["Location"] == reverse("outbox:job", args=[job.pk])
    job.refresh_from_db()
    assert job.state == JobState.RETRY

    client.post(reverse("outbox:job_action", args=[job.pk, "cancel"]))
    job.refresh_from_db()
    assert job.state == JobState.CANCELLED


def test_refused_action_shows_the_reason_and_changes_nothing(client_for, admin, make_job, fake):
    job = make_job()
    runner.run_job(job.pk)
    response = client_for(admin).post(
        reverse("outbox:job_action", args=[job.pk, "cancel"]), follow=True
    )
    assert "Tugas ini tidak dapat dibatalkan karena berstatus Terkirim." in (
        response.content.decode()
    )
    job.refresh_from_db()
    assert job.state == JobState.SENT


def test_bulk_cancel_touches_only_own_facility(client_for, admin, make_job, other_facility):
    mine = [make_job(), make_job()]
    theirs = make_job(facility_id=other_facility.pk)
    response = client_for(admin).post(
        reverse("outbox:bulk"),
        {"action": "cancel", "job": [mine[0].pk, mine[1].pk, theirs.pk]},
    )
    assert response.status_code == 302
    states = dict(SyncJob.objects.values_list("pk", "state"))
    assert states == {mine[0].pk: "cancelled", mine[1].pk: "cancelled", theirs.pk: "waiting"}


def test_pause_switch_pauses_own_facility_and_resumes(client_for, admin, make_job, facility):
    client = client_for(admin)
    client.post(reverse("outbox:pause", args=["pcare"]), {"paused": "1", "reason": "gangguan"})
    pause = ServicePause.objects.get(service="pcare")
    assert (pause.facility_id, pause.paused, pause.reason, pause.by) == (
        facility.pk,
        True,
        "gangguan",
        admin,
    )
    job = make_job()
    assert runner.run_job(job.pk) == "paused"
    html = client.get(reverse("outbox:monitor")).content.decode()
    assert 'data-testid="resume-pcare"' in html

    client.post(reverse("outbox:pause", args=["pcare"]), {"paused": "0"})
    pause.refresh_from_db()
    assert pause.paused is False
    assert runner.run_job(job.pk) == "sent"


def test_pause_switch_refuses_unknown_service(client_for, admin):
    response = client_for(admin).post(reverse("outbox:pause", args=["mobilejkn"]), {"paused": "1"})
    assert response.status_code == 404
    assert ServicePause.objects.count() == 0


def test_global_pause_shows_but_cannot_be_lifted_by_a_clinic(client_for, admin):
    service_pause(service="vclaim", paused=True, by=None, reason="gangguan nasional")
    html = client_for(admin).get(reverse("outbox:monitor")).content.decode()
    assert "gangguan nasional" in html
    assert 'data-testid="resume-vclaim"' not in html
