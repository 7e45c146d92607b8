"""Prolanis services: group activities of a club and who attended, each sent to PCare
(``kelompok/kegiatan``, ``kelompok/peserta``) through the outbox in the same transaction."""

from __future__ import annotations

import datetime as dt
import re

from django.db import IntegrityError, transaction

from bridging.outbox import enqueue
from bridging.outbox.models import SyncJob
from clinic.capitation.models import (
    ActivityKind,
    ProlanisActivity,
    ProlanisAttendance,
    ProlanisClub,
)
from clinic.core.errors import Conflict, ValidationFailed
from clinic.core.models import Facility, User

ACTIVITY_ADD = "pcare.kelompok.kegiatan.add"
PARTICIPANT_ADD = "pcare.kelompok.peserta.add"


def activity_key(activity_id: int) -> str:
    return f"{ACTIVITY_ADD}:activity:{activity_id}"


def attendance_key(attendance_id: int) -> str:
    return f"{PARTICIPANT_ADD}:attendance:{attendance_id}"


def _activity_job(activity: ProlanisActivity) -> SyncJob:
    # enqueue() returns the job that already has this key.
    return enqueue(
        facility_id=activity.facility_id,
        service="pcare",
        operation=ACTIVITY_ADD,
        subject_type="capitation.prolanisactivity",
        subject_id=str(activity.pk),
        idempotency_key=activity_key(activity.pk),
    )


def prolanis_club_create(
    *, facility: Facility, name: str, group: str, pcare_club_id: str
) -> ProlanisClub:
    if group not in ("01", "02", "03"):
        raise ValidationFailed(fields={"group": ["Kelompok harus 01, 02 atau 03."]})
    try:
        with transaction.atomic():
            return ProlanisClub.objects.create(
                facility=facility, name=name, group=group, pcare_club_id=pcare_club_id.strip()
            )
    except IntegrityError:
        raise Conflict("Klub dengan ID PCare ini sudah ada.") from None


def prolanis_activity_create(
    *,
    facility: Facility,
    club: ProlanisClub,
    date: dt.date,
    kind: str,
    topic: str = "",
    speaker: str = "",
    location: str = "",
    note: str = "",
    fee: int = 0,
    created_by: User | None = None,
) -> ProlanisActivity:
    if club.facility_id != facility.pk:
        raise ValidationFailed(fields={"club": ["Klub tidak ditemukan."]})
    if kind not in ActivityKind.values:
        raise ValidationFailed(fields={"kind": ["Jenis kegiatan tidak dikenal."]})
    with transaction.atomic():
        activity = ProlanisActivity.objects.create(
            facility=facility,
            club=club,
            date=date,
            kind=kind,
            topic=topic,
            speaker=speaker,
            location=location,
            note=note,
            fee=fee,
            created_by=created_by,
        )
        _activity_job(activity)
    return activity


_CARD = re.compile(r"^\d{13}$")


def prolanis_attendance_add(
    *,
    activity: ProlanisActivity,
    card_number: str,
    systolic: int | None = None,
    diastolic: int | None = None,
    fasting_glucose: int | None = None,
) -> ProlanisAttendance:
    card_number = card_number.strip()
    if not _CARD.match(card_number):
        raise ValidationFailed(fields={"card_number": ["No Kartu harus 13 digit angka."]})
    try:
        with transaction.atomic():
            attendance = ProlanisAttendance.objects.create(
                activity=activity,
                facility_id=activity.facility_id,
                date=activity.date,
                card_number=card_number,
                systolic=systolic,
                diastolic=diastolic,
                fasting_glucose=fasting_glucose,
            )
            enqueue(
                facility_id=activity.facility_id,
                service="pcare",
                operation=PARTICIPANT_ADD,
                subject_type="capitation.prolanisattendance",
                subject_id=str(attendance.pk),
                idempotency_key=attendance_key(attendance.pk),
                depends_on=[_activity_job(activity)],
            )
    except IntegrityError:
        raise Conflict("Peserta ini sudah tercatat hadir pada kegiatan ini.") from None
    return attendance
