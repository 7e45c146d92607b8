"""Outbox handlers for Prolanis (registered in ``CapitationConfig.ready``).

``pcare.kelompok.kegiatan.add`` sends a group activity and stores PCare's ``eduId`` on it;
``pcare.kelompok.peserta.add`` (which depends on the activity's job) adds one participant.
After an ambiguous failure each looks its record up at PCare before sending again.
"""

from __future__ import annotations

from typing import Any

from bridging.outbox.handlers import Handler, SendResult, register_handler
from bridging.outbox.models import SyncJob
from bridging.pcare.schemas import ClubActivityKind, ClubActivityRequest, ProlanisGroup
from bridging.transport.errors import Rejected
from clinic.capitation.models import ProlanisActivity, ProlanisAttendance
from clinic.capitation.prolanis import ACTIVITY_ADD, PARTICIPANT_ADD


def _activity(job: SyncJob) -> ProlanisActivity:
    return ProlanisActivity.objects.select_related("club").get(pk=int(job.subject_id))


def _attendance(job: SyncJob) -> ProlanisAttendance:
    return ProlanisAttendance.objects.select_related("activity").get(pk=int(job.subject_id))


@register_handler(ACTIVITY_ADD)
class ActivityAdd(Handler):
    label = "Kegiatan Prolanis PCare"

    def send(self, job: SyncJob, client_factory: Any) -> SendResult:
        activity = _activity(job)
        request = ClubActivityRequest(
            club_id=activity.club.pcare_club_id,
            service_date=activity.date,
            activity_kind=ClubActivityKind(activity.kind),
            group=ProlanisGroup(activity.club.group),
            topic=activity.topic,
            speaker=activity.speaker,
            location=activity.location,
            note=activity.note,
            fee=activity.fee,
        )
        client_factory.note_request(request)
        result = client_factory.pcare().add_club_activity(request)
        return SendResult(remote_id=str(result.activity_id), response={"eduId": result.activity_id})

    def reconcile(self, job: SyncJob, client_factory: Any) -> SendResult | None:
        activity = _activity(job)
        for found in client_factory.pcare().list_club_activities(activity.date):
            club_id = str(found.club.club_id) if found.club is not None else ""
            kind = found.activity_kind.code if found.activity_kind is not None else None
            if (
                club_id == activity.club.pcare_club_id
                and found.service_date == activity.date
                and (kind is None or str(kind) == activity.kind)
                and (found.topic or "") == activity.topic
            ):
                return SendResult(
                    remote_id=str(found.activity_id), response={"eduId": found.activity_id}
                )
        return None

    def on_sent(self, job: SyncJob, result: SendResult) -> None:
        ProlanisActivity.objects.filter(pk=int(job.subject_id)).update(
            pcare_edu_id=result.remote_id
        )


@register_handler(PARTICIPANT_ADD)
class ParticipantAdd(Handler):
    label = "Peserta kegiatan Prolanis PCare"

    def _edu_id(self, attendance: ProlanisAttendance) -> str:
        edu_id = attendance.activity.pcare_edu_id
        if not edu_id:
            # The activity's job is a dependency, so this means it was sent elsewhere.
            raise RuntimeError("the activity has no PCare eduId yet")
        return edu_id

    def send(self, job: SyncJob, client_factory: Any) -> SendResult:
        attendance = _attendance(job)
        edu_id = self._edu_id(attendance)
        client_factory.note_request({"eduId": edu_id, "noKartu": attendance.card_number})
        try:
            client_factory.pcare().add_club_participant(edu_id, attendance.card_number)
        except Rejected as exc:
            text = " ".join([exc.message, *(f.message for f in exc.field_errors)]).lower()
            if "sudah" not in text:  # "already registered" is the end state we want
                raise
        return SendResult(remote_id=edu_id, response={})

    def reconcile(self, job: SyncJob, client_factory: Any) -> SendResult | None:
        attendance = _attendance(job)
        edu_id = self._edu_id(attendance)
        for item in client_factory.pcare().list_club_participants(edu_id):
            participant = item.participant
            if participant is not None and participant.card_number == attendance.card_number:
                return SendResult(remote_id=edu_id, response={})
        return None
