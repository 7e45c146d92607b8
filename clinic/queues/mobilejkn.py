"""The clinic side of the Antrean FKTP web service (Mobile JKN): the adapter behind
:class:`bridging.antrean_ws.ports.ClinicQueuePort`.

``bridging.antrean_ws`` answers BPJS and never imports the clinic; it reaches the queue and the
patients through this class (``settings.ANTREAN_WS_PORT``). Bookings go through
:func:`clinic.queues.services.visit_register` with ``source="mobilejkn"``, so they take their
numbers from the same atomic sequence as the front desk and appear on the board at once.

Concurrency: a booking runs in one transaction that first locks the patient's row (one
booking per patient, date and poli holds on PostgreSQL too), then allocates the number under
the counter's row lock. SQLite's "database is locked" and PostgreSQL's serialization failures
and deadlocks are retried a bounded number of times, and then reported as
:class:`~bridging.antrean_ws.ports.PortBusy`, never as a database error.
"""

from __future__ import annotations

import logging
import random
import time
from collections.abc import Callable, Iterable
from dataclasses import replace
from datetime import date
from typing import Any, TypeVar

from django.conf import settings
from django.core.cache import cache
from django.db import DatabaseError, IntegrityError, OperationalError, connection, transaction
from django.db.models import Q, QuerySet
from django.utils import timezone

from bridging.antrean_ws import ports
from clinic.core.audit import audit
from clinic.core.errors import ClinicError
from clinic.core.models import Facility
from clinic.patients.models import Patient
from clinic.patients.nik import normalize_phone
from clinic.queues import services
from clinic.queues.models import (
    COUNTED_TICKET_STATUSES,
    DoctorSchedule,
    Payer,
    Poli,
    QueueTicket,
    TicketSource,
    TicketStatus,
    Tkp,
    Visit,
    VisitStatus,
)

log = logging.getLogger(__name__)

T = TypeVar("T")

#: Tickets that hold a place in the day's count (and in the doctor's quota).
#: A patient may cancel from Mobile JKN only before being called.
CANCELLABLE = (TicketStatus.WAITING, TicketStatus.SKIPPED)
RETRIES = 8
POLI_CACHE_SECONDS = 5
#: How long one status answer is reused (``ANTREAN_WS_STATUS_CACHE_SECONDS``; 0 turns it off).
DEFAULT_STATUS_CACHE_SECONDS = 1
_TRANSIENT = ("database is locked", "database table is locked", "could not serialize", "deadlock")


def _transient(exc: BaseException) -> bool:
    if isinstance(exc, IntegrityError):
        return False
    text = str(exc).lower()
    if any(marker in text for marker in _TRANSIENT):
        return True
    sqlstate = getattr(getattr(exc, "__cause__", None), "sqlstate", None)
    return sqlstate in {"40001", "40P01"}


def with_retries(action: Callable[[], T], *, attempts: int = RETRIES) -> T:
    """Run ``action`` (its own transaction); retry transient lock/serialization failures."""
    for attempt in range(attempts):
        try:
            return action()
        except (OperationalError, DatabaseError) as exc:
            if not _transient(exc) or attempt == attempts - 1:
                if _transient(exc):
                    log.warning("antrean_ws: database busy after %d attempts", attempts)
                    raise ports.PortBusy(
                        "Sistem sedang sibuk, silakan coba beberapa saat lagi"
                    ) from exc
                raise
            time.sleep(min(0.5, 0.01 * 2**attempt) * (0.5 + random.random()))
    raise AssertionError("unreachable")


def _poli_info(poli: Poli) -> ports.PoliInfo:
    return ports.PoliInfo(code=poli.pcare_code, name=poli.name, is_active=poli.is_active)


def _schedule_info(schedule: DoctorSchedule, booked: int = 0) -> ports.ScheduleInfo:
    return ports.ScheduleInfo(
        id=schedule.pk,
        doctor_code=schedule.doctor.pcare_code,
        doctor_name=schedule.doctor.name,
        start=schedule.start_time,
        end=schedule.end_time,
        quota=schedule.daily_quota,
        booked=booked,
    )


def _patient_ref(patient: Patient) -> ports.PatientRef:
    return ports.PatientRef(
        id=patient.pk, mrn=patient.mrn, nik=patient.nik, card_number=patient.bpjs_card_number
    )


def _called_label(tickets: object) -> str:
    qs = tickets  # a QueueTicket queryset
    label = (
        qs.filter(called_at__isnull=False)  # type: ignore[attr-defined]
        .order_by("-called_at", "-id")
        .values_list("label", flat=True)
        .first()
    )
    return str(label or "")


def _waiting_before(ticket: QueueTicket) -> int:
    """How many of the day's tickets still wait before ``ticket``."""
    with connection.cursor() as cursor:
        cursor.execute(
            _WAITING_SQL,
            [TicketStatus.WAITING, ticket.number, ticket.facility_id, ticket.poli_id, ticket.date],
        )
        row = cursor.fetchone()
    return int(row[0] or 0) if row else 0


# Plain SQL for reads made on every call; only constants are formatted in (the table
# name and the placeholders), every value is a parameter.
TICKETS = QueueTicket._meta.db_table
_WAITING_SQL = (
    f"SELECT COUNT(*) FROM {TICKETS} WHERE status = %s AND number < %s "  # noqa: S608
    "AND facility_id = %s AND poli_id = %s AND date = %s"
)
_COUNT_SQL = (
    "SELECT schedule_id, "  # noqa: S608
    f"SUM(CASE WHEN status IN ({', '.join(['%s'] * len(COUNTED_TICKET_STATUSES))}) THEN 1 ELSE 0 END), "
    "SUM(CASE WHEN status = %s THEN 1 ELSE 0 END), "
    "SUM(CASE WHEN called_at IS NOT NULL THEN 1 ELSE 0 END) "
    f"FROM {TICKETS} WHERE facility_id = %s AND poli_id = %s AND date = %s GROUP BY schedule_id"
)


PATIENTS = Patient._meta.db_table
VISITS = Visit._meta.db_table
_FIND_PATIENT_SQL = (
    "SELECT id, mrn, nik, bpjs_card_number FROM "  # noqa: S608
    f"{PATIENTS} WHERE facility_id = %s AND (bpjs_card_number = %s OR nik = %s) LIMIT 2"
)
# The patient's row (locked) and whether they already have a visit at that poli that day. Only
# the fields a booking reads or fills are loaded (the others load on access, as deferred).
_BOOKING_PATIENT_FIELDS = ("id", "facility_id", "bpjs_card_number", "phone", "bpjs_eligibility")
_LOCK_PATIENT_SQL = (
    f"SELECT {', '.join('p.' + f for f in _BOOKING_PATIENT_FIELDS)}, "  # noqa: S608
    f"EXISTS (SELECT 1 FROM {VISITS} v WHERE v.patient_id = p.id "
    "AND v.visit_date = %s AND v.poli_id = %s AND v.status <> %s) "
    f"FROM {PATIENTS} p WHERE p.id = %s AND p.facility_id = %s"
)


def ticket_counts(
    facility_id: int, poli_id: int, day: date
) -> dict[int | None, tuple[int, int, int]]:
    """Per schedule (None: tickets without one): counted, waiting and called tickets. One
    plain SQL statement: this runs on every status call."""
    with connection.cursor() as cursor:
        cursor.execute(
            _COUNT_SQL, [*COUNTED_TICKET_STATUSES, TicketStatus.WAITING, facility_id, poli_id, day]
        )
        return {
            row[0]: (int(row[1] or 0), int(row[2] or 0), int(row[3] or 0))
            for row in cursor.fetchall()
        }


def forget_definitions(
    facility_id: int, *, poli_ids: Iterable[int] = (), poli_codes: Iterable[str] = ()
) -> None:
    """Drop the adapter's cached polis and sessions (``POLI_CACHE_SECONDS``) once a change to
    a poli, a doctor or a session commits, so Mobile JKN sees it at once instead of within the
    cache's few seconds (everywhere with Redis; in this process with locmem). Connected to
    their save and delete in ``clinic.queues.apps``."""
    keys = [f"antrean_ws:poli:{facility_id}:{code}" for code in poli_codes]
    keys += [f"antrean_ws:sched:{pk}:{weekday}" for pk in poli_ids for weekday in range(7)]
    if keys:
        transaction.on_commit(lambda: cache.delete_many(keys))


class ClinicQueueAdapter:
    """:class:`bridging.antrean_ws.ports.ClinicQueuePort` on the clinic's own models."""

    # ---- reads -----------------------------------------------------------------------------
    def _poli(self, facility_id: int, code: str) -> Poli | None:
        """The active poli with that PCare code (cached a few seconds: read on every call)."""
        key = f"antrean_ws:poli:{facility_id}:{code}"
        cached = cache.get(key)
        if cached is not None:
            return cached if isinstance(cached, Poli) else None
        poli = Poli.objects.filter(facility_id=facility_id, pcare_code=code, is_active=True).first()
        cache.set(key, poli or "none", POLI_CACHE_SECONDS)
        return poli

    def find_poli(self, facility_id: int, code: str) -> ports.PoliInfo | None:
        poli = self._poli(facility_id, code)
        return _poli_info(poli) if poli else None

    def _sessions(self, poli: Poli, day: date) -> list[DoctorSchedule]:
        """The poli's sessions on that weekday (active doctors, loaded with them), earliest
        first; cached a few seconds. Their quotas are for display and matching: the
        allocation reads the quota fresh, under the counter's lock."""
        key = f"antrean_ws:sched:{poli.pk}:{day.weekday()}"
        rows = cache.get(key)
        if not isinstance(rows, list):
            rows = sorted(
                DoctorSchedule.objects.filter(
                    poli=poli, weekday=day.weekday(), doctor__is_active=True
                ).select_related("doctor"),
                key=lambda s: (s.start_time, s.pk),
            )
            cache.set(key, rows, POLI_CACHE_SECONDS)
        return list(rows)

    def _schedule_defs(self, poli: Poli, day: date) -> list[ports.ScheduleInfo]:
        return [_schedule_info(s) for s in self._sessions(poli, day)]

    def _schedules(
        self, poli: Poli, day: date, counts: dict[int | None, tuple[int, int, int]]
    ) -> list[ports.ScheduleInfo]:
        return [
            replace(info, booked=counts.get(info.id, (0, 0, 0))[0])
            for info in self._schedule_defs(poli, day)
        ]

    def schedules(
        self, facility_id: int, poli_code: str, day: date, *, with_counts: bool = True
    ) -> list[ports.ScheduleInfo]:
        poli = self._poli(facility_id, poli_code)
        if poli is None:
            return []
        if not with_counts:
            return self._schedule_defs(poli, day)
        return self._schedules(poli, day, ticket_counts(facility_id, poli.pk, day))

    @staticmethod
    def _status_key(facility_id: int, poli_code: str, day: date) -> str:
        return f"antrean_ws:status:{facility_id}:{poli_code}:{day.isoformat()}"

    def forget_status(self, facility_id: int, poli_code: str, day: date) -> None:
        cache.delete(self._status_key(facility_id, poli_code, day))

    def poli_status(self, facility_id: int, poli_code: str, day: date) -> ports.PoliStatus:
        """The poli's counts on ``day``. Mobile JKN polls this for every patient waiting at
        home, most at the minute bookings open: one answer is reused for up to
        ``ANTREAN_WS_STATUS_CACHE_SECONDS`` (1 s), and a booking or cancellation made through
        this adapter drops it at once (everywhere with Redis; in its own process with locmem).
        A number called at the desk shows within that second."""
        seconds = int(
            getattr(settings, "ANTREAN_WS_STATUS_CACHE_SECONDS", DEFAULT_STATUS_CACHE_SECONDS)
        )
        if seconds <= 0:
            return self._poli_status(facility_id, poli_code, day)
        key = self._status_key(facility_id, poli_code, day)
        cached = cache.get(key)
        if isinstance(cached, ports.PoliStatus):
            return cached
        status = self._poli_status(facility_id, poli_code, day)
        cache.set(key, status, seconds)
        return status

    def _poli_status(self, facility_id: int, poli_code: str, day: date) -> ports.PoliStatus:
        poli = self._poli(facility_id, poli_code)
        if poli is None:
            raise ports.PortError("Poli Tidak Ditemukan")
        counts = ticket_counts(facility_id, poli.pk, day)

        def tickets() -> QuerySet[QueueTicket]:
            return QueueTicket.objects.filter(facility_id=facility_id, poli=poli, date=day)

        total = sum(c[0] for c in counts.values())
        waiting = sum(c[1] for c in counts.values())
        called = sum(c[2] for c in counts.values())
        entries = []
        for info in self._schedules(poli, day, counts):
            s_total, s_waiting, s_called = counts.get(info.id, (0, 0, 0))
            entries.append(
                ports.ScheduleStatus(
                    schedule=info,
                    counts=ports.QueueCounts(
                        total=s_total,
                        waiting=s_waiting,
                        called_label=_called_label(tickets().filter(schedule_id=info.id))
                        if s_called
                        else "",
                    ),
                )
            )
        return ports.PoliStatus(
            poli=_poli_info(poli),
            counts=ports.QueueCounts(
                total=total,
                waiting=waiting,
                called_label=_called_label(tickets()) if called else "",
            ),
            schedules=entries,
        )

    def _facility(self, facility_id: int) -> Facility:
        key = f"antrean_ws:facility:{facility_id}"
        facility = cache.get(key)
        if facility is None:
            facility = Facility.objects.get(pk=facility_id)
            cache.set(key, facility, POLI_CACHE_SECONDS)
        return facility

    def find_patient(
        self, facility_id: int, *, card_number: str, nik: str
    ) -> ports.PatientRef | None:
        """By card number, else by NIK: one plain SQL query (both keys are unique per clinic;
        this runs on every booking)."""
        with connection.cursor() as cursor:
            cursor.execute(_FIND_PATIENT_SQL, [facility_id, card_number, nik or None])
            rows = cursor.fetchall()
        rows.sort(key=lambda row: row[3] != card_number)  # the card's owner first
        if not rows:
            return None
        pk, mrn, patient_nik, card = rows[0]
        return ports.PatientRef(id=pk, mrn=mrn, nik=patient_nik, card_number=card)

    def _booked_ticket(
        self, facility_id: int, card_number: str, poli_code: str, day: date, *, jkn_only: bool
    ) -> QueueTicket | None:
        """The patient's latest ticket (Mobile JKN first) at that poli and date; with
        ``jkn_only``, only a number BPJS knows (a booking, or a reported walk-in)."""
        tickets = QueueTicket.objects.filter(
            facility_id=facility_id,
            poli__pcare_code=poli_code,
            date=day,
            visit__patient__bpjs_card_number=card_number,
        ).select_related("poli", "schedule__doctor")
        if jkn_only:
            tickets = tickets.filter(jkn_antrean=True)
        mobile = tickets.filter(source=TicketSource.MOBILE_JKN).order_by("-id").first()
        return mobile or tickets.order_by("-id").first()

    def remaining(
        self, facility_id: int, *, card_number: str, poli_code: str, day: date
    ) -> ports.Remaining | None:
        ticket = self._booked_ticket(facility_id, card_number, poli_code, day, jkn_only=False)
        if ticket is None or ticket.status in (TicketStatus.CANCELLED, TicketStatus.TRANSFERRED):
            return None
        tickets = QueueTicket.objects.filter(
            facility_id=facility_id, poli_id=ticket.poli_id, date=day
        )
        return ports.Remaining(
            label=ticket.label,
            number=ticket.number,
            poli=_poli_info(ticket.poli),
            schedule=_schedule_info(ticket.schedule) if ticket.schedule else None,
            waiting_before=_waiting_before(ticket) if ticket.status == TicketStatus.WAITING else 0,
            called_label=_called_label(tickets),
            waiting=ticket.status == TicketStatus.WAITING,
        )

    # ---- writes ----------------------------------------------------------------------------
    def book(self, facility_id: int, request: ports.BookingRequest) -> ports.Booking:
        ticket, poli = with_retries(lambda: self._book(facility_id, request))
        self.forget_status(facility_id, request.poli_code, request.day)
        # Counted under the counter's lock (a booking always has a session): no read-back.
        waiting_before, called = ticket.waiting_before, ticket.called_count
        assert waiting_before is not None and called is not None
        tickets = QueueTicket.objects.filter(facility_id=facility_id, poli=poli, date=request.day)
        return ports.Booking(
            label=ticket.label,
            number=ticket.number,
            poli=_poli_info(poli),
            schedule=_schedule_info(ticket.schedule) if ticket.schedule else None,
            waiting_before=waiting_before,
            called_label=_called_label(tickets) if called else "",
        )

    def _book(self, facility_id: int, request: ports.BookingRequest) -> tuple[QueueTicket, Poli]:
        poli = self._poli(facility_id, request.poli_code)
        if poli is None:
            raise ports.PortError("Poli Tidak Ditemukan")
        facility = self._facility(facility_id)
        wanted = set(request.schedule_ids)
        schedules = [s for s in self._sessions(poli, request.day) if s.pk in wanted]
        if not schedules:
            raise ports.QuotaFull()
        if len(schedules) > 1:
            # Most quota left first, then the earliest session (the allocation re-checks).
            counts = ticket_counts(facility_id, poli.pk, request.day)
            taken = {pk: c[0] for pk, c in counts.items() if pk is not None}
            schedules = services.by_quota_left(schedules, taken)
        with transaction.atomic():
            # The patient's row lock serialises two bookings of the same patient; the same
            # statement tells whether the patient already has a visit there that day.
            # (Plain SQL: the ORM spent more time building this statement than the database
            # running it.)
            sql = _LOCK_PATIENT_SQL
            if connection.features.has_select_for_update:
                sql += " FOR UPDATE OF p"  # SQLite: the transaction holds the write lock
            with connection.cursor() as cursor:
                cursor.execute(
                    sql,
                    [request.day, poli.pk, VisitStatus.CANCELLED, request.patient_id, facility_id],
                )
                row = cursor.fetchone()
            if row is None:
                raise ports.PortError("Peserta Tidak Ditemukan")
            *values, booked = row
            if booked:
                raise ports.DuplicateBooking()
            patient = Patient.from_db(connection.alias, _BOOKING_PATIENT_FIELDS, values)
            changed = []
            if request.card_number and not patient.bpjs_card_number:
                # Known by NIK only (e.g. registered as self-pay): the card comes from BPJS.
                patient.bpjs_card_number = request.card_number
                changed.append("bpjs_card_number")
            if request.phone and not patient.phone:
                patient.phone = request.phone
                patient.phone_normalized = normalize_phone(request.phone)  # found by phone
                changed.extend(["phone", "phone_normalized"])
            if changed:
                patient.save(update_fields=[*changed, "updated_at"])
            try:
                # The sessions are tried in that order; a full one rolls back only its own
                # number. The whole booking is this transaction: no savepoint of its own.
                visit = services.visit_register(
                    facility=facility,
                    patient=patient,
                    poli=poli,
                    visit_date=request.day,
                    payer=Payer.BPJS,
                    is_sick_visit=None,
                    tkp=Tkp.RJTP,
                    complaint=request.complaint[:500],
                    source=TicketSource.MOBILE_JKN,
                    schedules=schedules,
                    savepoint=False,
                )
            except services.QuotaFull as exc:
                raise ports.QuotaFull() from exc
            except (OperationalError, DatabaseError):
                raise
            except ClinicError as exc:
                raise ports.PortError(exc.message) from exc
            return visit.ticket, poli  # set by the allocation, no query

    def cancel(
        self, facility_id: int, *, card_number: str, poli_code: str, day: date, reason: str
    ) -> None:
        with_retries(lambda: self._cancel(facility_id, card_number, poli_code, day, reason))
        self.forget_status(facility_id, poli_code, day)

    def _cancel(
        self, facility_id: int, card_number: str, poli_code: str, day: date, reason: str
    ) -> None:
        with transaction.atomic():
            ticket = self._booked_ticket(facility_id, card_number, poli_code, day, jkn_only=True)
            if ticket is None or ticket.status == TicketStatus.TRANSFERRED:
                raise ports.BookingNotFound()
            if ticket.status == TicketStatus.CANCELLED:
                raise ports.AlreadyCancelled()
            reason = (reason or "Dibatalkan peserta melalui Mobile JKN").strip()[:200]
            # Conditional UPDATE: a nurse calling the number at this moment wins, and the
            # patient is told it has been served. The number itself is never given again.
            moved = QueueTicket.objects.filter(pk=ticket.pk, status__in=CANCELLABLE).update(
                status=TicketStatus.CANCELLED, cancel_reason=reason, finished_at=timezone.now()
            )
            if not moved:
                ticket.refresh_from_db(fields=["status"])
                if ticket.status == TicketStatus.CANCELLED:
                    raise ports.AlreadyCancelled()
                raise ports.AlreadyServed()
            if ticket.visit_id is not None:
                Visit.objects.filter(pk=ticket.visit_id).update(
                    status=VisitStatus.CANCELLED, updated_at=timezone.now()
                )
                visit = Visit.objects.get(pk=ticket.visit_id)
                # The PCare registration, if one was sent, is deleted; BPJS Antrean already
                # knows about this cancellation (it came from Mobile JKN), so nothing goes back.
                from clinic.queues import sync

                sync.enqueue_pendaftaran_delete(visit)
            audit(None, "action", ticket, summary=f"cancelled {ticket.label} from Mobile JKN")

    def register_patient(self, facility_id: int, patient: ports.NewPatient) -> ports.PatientRef:
        return with_retries(lambda: self._register(facility_id, patient))

    def _register(self, facility_id: int, data: ports.NewPatient) -> ports.PatientRef:
        from clinic.patients import services as patient_services

        facility = Facility.objects.get(pk=facility_id)
        exists = Patient.objects.filter(
            Q(bpjs_card_number=data.card_number) | Q(nik=data.nik), facility=facility
        ).exists()
        if exists:
            raise ports.AlreadyRegistered()
        fields: dict[str, Any] = {
            "name": data.name,
            "birth_date": data.birth_date,
            "sex": data.sex,
            "nik": data.nik,
            "bpjs_card_number": data.card_number,
            "phone": data.phone,
            "address": data.address,
            "rt": data.rt,
            "rw": data.rw,
            "family_card_number": data.family_card_number,
        }
        regions: dict[str, Any] = {
            "province_code": data.province_code,
            "regency_code": data.regency_code,
            "district_code": data.district_code,
            "village_code": data.village_code,
        }
        for attempt_regions in (regions, {}):
            try:
                created = patient_services.patient_register(
                    facility=facility,
                    created_by=None,
                    confirm_duplicate=True,
                    **fields,
                    **attempt_regions,
                )
            except patient_services.DuplicatePatient as exc:
                raise ports.AlreadyRegistered() from exc
            except ClinicError as exc:
                problem_fields = set(getattr(exc, "fields", {}) or {})
                if attempt_regions and problem_fields and problem_fields <= set(regions):
                    # Mobile JKN may send region codes in another coding (BPS instead of
                    # Kemendagri): keep the patient, leave those codes out.
                    continue
                raise ports.PortError(exc.message) from exc
            return _patient_ref(created)
        raise AssertionError("unreachable")
