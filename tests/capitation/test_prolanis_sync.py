"""Prolanis activities and attendance reach PCare (the sandbox) through the outbox."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from bridging.outbox.models import JobState, SyncJob
from clinic.capitation.models import ProlanisActivity
from clinic.capitation.prolanis import (
    prolanis_activity_create,
    prolanis_attendance_add,
    prolanis_club_create,
)
from clinic.core.errors import Conflict, ValidationFailed
from tests.capitation.conftest import run_outbox

pytestmark = pytest.mark.django_db


def _activity(facility, day: dt.date) -> ProlanisActivity:
    club = prolanis_club_create(
        facility=facility, name="KLUB PROLANIS HT", group="02", pcare_club_id="2002"
    )
    return prolanis_activity_create(
        facility=facility, club=club, date=day, kind="11", topic="Senam dan penyuluhan"
    )


def test_activity_and_attendance_are_sent_once_with_the_edu_id(facility, sandbox, pcare_clients):
    day = timezone.localdate() - dt.timedelta(days=1)
    activity = _activity(facility, day)
    prolanis_attendance_add(
        activity=activity, card_number="0001000000005", systolic=128, diastolic=78
    )
    prolanis_attendance_add(activity=activity, card_number="0002000000025")
    run_outbox(pcare_clients)
    activity.refresh_from_db()
    jobs = list(SyncJob.objects.order_by("pk").values_list("operation", "state", "remote_id"))
    assert jobs == [
        ("pcare.kelompok.kegiatan.add", JobState.SENT, activity.pcare_edu_id),
        ("pcare.kelompok.peserta.add", JobState.SENT, activity.pcare_edu_id),
        ("pcare.kelompok.peserta.add", JobState.SENT, activity.pcare_edu_id),
    ]
    state = sandbox.control("GET", "/state/kelompok")
    assert [k["eduId"] for k in state["kegiatan"]] == [activity.pcare_edu_id]
    sent = state["kegiatan"][0]["request"]
    assert (sent["clubId"], sent["tglPelayanan"], sent["kdKegiatan"], sent["kdKelompok"]) == (
        "2002",
        day.strftime("%d-%m-%Y"),
        "11",
        "02",
    )
    peserta = state["kegiatan"][0]["peserta"]
    assert sorted(p["noKartu"] for p in peserta) == ["0001000000005", "0002000000025"]


def test_an_activity_that_timed_out_after_being_applied_is_found_not_sent_twice(
    facility, sandbox, pcare_clients
):
    activity = _activity(facility, timezone.localdate() - dt.timedelta(days=1))
    sandbox.control(
        "PUT",
        "/faults",
        {"timeout_rate": 1.0, "hang_seconds": 3, "apply_on_timeout": 1.0, "services": ["pcare"]},
    )
    pcare_clients.options["read_timeout"] = 1.0
    from bridging.outbox import runner

    job = SyncJob.objects.get()
    runner.run_job(job.pk, clients=pcare_clients)
    job.refresh_from_db()
    assert (job.state, job.maybe_applied) == (JobState.RETRY, True)
    sandbox.control("DELETE", "/faults")
    pcare_clients.options["read_timeout"] = 5.0
    run_outbox(pcare_clients)
    activity.refresh_from_db()
    state = sandbox.control("GET", "/state/kelompok")
    assert [k["eduId"] for k in state["kegiatan"]] == [activity.pcare_edu_id]
    assert SyncJob.objects.get().state == JobState.SENT


def test_attendance_refuses_a_bad_card_and_a_second_entry(facility):
    activity = _activity(facility, dt.date(2026, 3, 7))
    with pytest.raises(ValidationFailed):
        prolanis_attendance_add(activity=activity, card_number="123")
    prolanis_attendance_add(activity=activity, card_number="0001000000005")
    with pytest.raises(Conflict):
        prolanis_attendance_add(activity=activity, card_number="0001000000005")
    assert activity.attendance.count() == 1
    assert SyncJob.objects.filter(operation="pcare.kelompok.peserta.add").count() == 1
