"""Visits and the queue: registration, number allocation and the ticket state machine.

Queue numbers: one atomic sequence per facility, poli and day. Never count-then-insert: the
counter row is bumped with a conditional UPDATE inside the caller's transaction, which takes its
row lock (PostgreSQL) or the database write lock (SQLite, IMMEDIATE transactions) until commit.
Two counters and a Mobile JKN booking at the same second therefore get three different numbers,
and a refusal (quota full) rolls the bump back, so numbers stay gap-free.

Ticket moves (call, skip, start, finish, cancel, transfer) are conditional UPDATEs on the
status the move starts from: of two nurses pressing "call" on the same ticket at once, one wins
and the other is told the ticket has already moved. Everything sent to BPJS goes through the
outbox in the same transaction (:mod:`clinic.queues.sync`).
"""

from __future__ import annotations

import functools
from collections.abc import Iterable, Mapping, Sequence
from datetime import date
from typing import Any, NamedTuple

from django.db import IntegrityError, connection, transaction
from django.db.models import Count, F, Max, Q
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from clinic.core.audit import audit
from clinic.core.errors import Conflict, ValidationFailed
from clinic.core.models import Facility, User
from clinic.queues import sync
from clinic.queues.models import (
    COUNTED_TICKET_STATUSES,
    CallOutcome,
    Doctor,
    DoctorSchedule,
    EligibilityStatus,
    Payer,
    Poli,
    QueueCall,
    QueueCounter,
    QueueTicket,
    TicketSource,
    TicketStatus,
    Tkp,
    Visit,
    VisitStatus,
)


class QuotaFull(Conflict):
    code = "quota_full"


class PoliClosed(ValidationFailed):
    code = "poli_closed"


class TicketMoved(Conflict):
    code = "ticket_moved"


def ticket_label(poli: Poli, number: int) -> str:
    return f"{poli.queue_prefix}-{number}"


class _Number(NamedTuple):
    """A number just taken from the day's counter, with what the counter knew at that moment
    (under its lock): tickets waiting and called, and the session's daily quota as stored."""

    number: int
    waiting: int
    called: int
    quota: int | None


@functools.cache
def _bump_sql() -> str:
    counters = connection.ops.quote_name(QueueCounter._meta.db_table)
    schedules = connection.ops.quote_name(DoctorSchedule._meta.db_table)
    # Only our own table names are formatted in; every value is a parameter.
    return (
        f"UPDATE {counters} SET last_number = last_number + 1 "  # noqa: S608
        "WHERE facility_id = %s AND poli_id = %s AND date = %s "
        f"RETURNING last_number, waiting, called, (SELECT daily_quota FROM {schedules} "
        "WHERE id = %s)"
    )


def _bump_counter(*, poli: Poli, day: date, schedule: DoctorSchedule | None) -> _Number | None:
    """``UPDATE ... RETURNING``: one round trip that takes the row lock and reads the new
    number, the counter's ticket counts and the session's quota (PostgreSQL, and SQLite >=
    3.35). None when the day's counter does not exist yet."""
    with connection.cursor() as cursor:
        cursor.execute(
            _bump_sql(),
            [poli.facility_id, poli.pk, day, schedule.pk if schedule is not None else None],
        )
        row = cursor.fetchone()
    if row is None:
        return None
    number, waiting, called, quota = row
    return _Number(
        int(number),
        max(0, int(waiting)),
        max(0, int(called)),
        None if quota is None else int(quota),
    )


def _next_number(*, poli: Poli, day: date, schedule: DoctorSchedule | None = None) -> _Number:
    for _attempt in range(3):
        taken = _bump_counter(poli=poli, day=day, schedule=schedule)
        if taken is not None:
            return taken
        # The day's first number. Tickets written without the counter (an import) are taken
        # in: the counter starts after their highest number, so every ticket stays below it,
        # and with their counts (the triggers keep them from then on).
        counts = QueueTicket.objects.filter(
            facility_id=poli.facility_id, poli=poli, date=day
        ).aggregate(
            last=Max("number"),
            waiting=Count("pk", filter=Q(status=TicketStatus.WAITING)),
            called=Count("pk", filter=Q(called_at__isnull=False)),
        )
        try:
            with transaction.atomic():
                QueueCounter.objects.create(
                    facility_id=poli.facility_id,
                    poli=poli,
                    date=day,
                    last_number=counts["last"] or 0,
                    waiting=counts["waiting"] or 0,
                    called=counts["called"] or 0,
                )
        except IntegrityError:
            pass  # created by a concurrent allocation: bump it on the next round
    raise RuntimeError("queue counter could not be allocated")


def active_ticket_count(*, schedule: DoctorSchedule, day: date) -> int:
    return QueueTicket.objects.filter(
        schedule=schedule, date=day, status__in=COUNTED_TICKET_STATUSES
    ).count()


def ticket_allocate(
    *,
    poli: Poli,
    day: date,
    source: TicketSource | str,
    schedule: DoctorSchedule | None = None,
    visit: Visit | None = None,
    jkn_antrean: bool = False,
) -> QueueTicket:
    """Issue the next number of ``poli`` on ``day``. Must run inside ``transaction.atomic``.

    The counter's row lock is held until the caller commits, so callers do all their other
    writes first and call this last.

    With a schedule, the doctor's daily quota (read fresh with the number, whatever the
    caller's copy of the schedule says) is enforced under the counter's lock, so the count of
    that poli's tickets cannot change under us. Every ticket of the poli and day has a lower
    number than the one just taken (the counter issued them, or started above them), so while
    the number is within the quota the session cannot be full and nothing is counted; past it,
    the session's tickets are counted. The new ticket
    carries its place (``waiting_before``, ``called_count``) from the counter's counts, so
    callers need no read-back after commit."""
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("ticket_allocate must run inside transaction.atomic()")
    if schedule is not None and schedule.poli_id != poli.pk:
        raise ValueError("the schedule belongs to another poli")  # the quota counts per poli
    taken = _next_number(poli=poli, day=day, schedule=schedule)
    if schedule is not None:
        quota = taken.quota
        if quota is None or (
            taken.number > quota and active_ticket_count(schedule=schedule, day=day) >= quota
        ):
            raise QuotaFull(
                _("The quota of %(doctor)s at Poli %(poli)s on that day is full.")
                % {"doctor": schedule.doctor.name, "poli": poli.name}
            )
    ticket = QueueTicket.objects.create(
        facility_id=poli.facility_id,
        poli=poli,
        schedule=schedule,
        date=day,
        number=taken.number,
        label=ticket_label(poli, taken.number),
        visit=visit,
        source=source,
        jkn_antrean=jkn_antrean,
    )
    # Every number already issued is lower than this one: all waiting tickets are ahead.
    ticket.waiting_before, ticket.called_count = taken.waiting, taken.called
    return ticket


# --- schedules -------------------------------------------------------------------------------


def schedules_for_day(
    *, poli: Poli, day: date, doctor: Doctor | None = None
) -> list[DoctorSchedule]:
    """The poli's sessions on ``day``, most quota left first (then earliest)."""
    qs = DoctorSchedule.objects.filter(poli=poli, weekday=day.weekday(), doctor__is_active=True)
    if doctor is not None:
        qs = qs.filter(doctor=doctor)
    taken = Count(
        "tickets", filter=Q(tickets__date=day) & Q(tickets__status__in=COUNTED_TICKET_STATUSES)
    )
    rows: list[DoctorSchedule] = list(qs.select_related("doctor", "poli").annotate(taken=taken))
    return by_quota_left(rows, {s.pk: getattr(s, "taken", 0) for s in rows})


def by_quota_left(
    schedules: Iterable[DoctorSchedule], taken: Mapping[int, int]
) -> list[DoctorSchedule]:
    """Most quota left first (``taken``: counted tickets per schedule id), then earliest."""
    return sorted(
        schedules, key=lambda s: (-(s.daily_quota - taken.get(s.pk, 0)), s.start_time, s.pk)
    )


def quota_left(*, schedule: DoctorSchedule, day: date) -> int:
    return max(0, schedule.daily_quota - active_ticket_count(schedule=schedule, day=day))


def _weekday_name(day: date) -> str:
    from clinic.queues.models import Weekday

    return str(Weekday(day.weekday()).label)


def _closed(poli: Poli, day: date, doctor: Doctor | None) -> PoliClosed:
    if doctor is not None:
        message = _("%(doctor)s has no practice at Poli %(poli)s on %(weekday)s.") % {
            "doctor": doctor.name,
            "poli": poli.name,
            "weekday": _weekday_name(day),
        }
    else:
        message = _("Poli %(poli)s is closed on %(weekday)s %(date)s.") % {
            "poli": poli.name,
            "weekday": _weekday_name(day),
            "date": day.strftime("%d-%m-%Y"),
        }
    return PoliClosed(message, fields={"visit_date": [message]})


def _allocate_on_schedules(
    *,
    poli: Poli,
    day: date,
    source: TicketSource | str,
    candidates: list[DoctorSchedule],
    visit: Visit | None,
    jkn_antrean: bool = False,
) -> QueueTicket:
    """Try the candidate sessions in order; a full one rolls back its own bump (savepoint)."""
    last_error: QuotaFull | None = None
    for schedule in candidates:
        if len(candidates) == 1:
            # No fallback: a refusal rolls the whole transaction back, no savepoint needed.
            return ticket_allocate(
                poli=poli,
                day=day,
                source=source,
                schedule=schedule,
                visit=visit,
                jkn_antrean=jkn_antrean,
            )
        try:
            with transaction.atomic():
                return ticket_allocate(
                    poli=poli,
                    day=day,
                    source=source,
                    schedule=schedule,
                    visit=visit,
                    jkn_antrean=jkn_antrean,
                )
        except QuotaFull as exc:
            last_error = exc
    assert last_error is not None
    if len(candidates) > 1:
        raise QuotaFull(
            _("All quotas at Poli %(poli)s on that day are full.") % {"poli": poli.name}
        )
    raise last_error


def _resolve_schedules(
    *,
    poli: Poli,
    day: date,
    doctor: Doctor | None,
    schedule: DoctorSchedule | None,
    schedules: Sequence[DoctorSchedule] | None = None,
) -> list[DoctorSchedule]:
    chosen = [schedule] if schedule is not None else list(schedules or [])
    if schedule is not None or schedules is not None:
        for each in chosen:
            if each.poli_id != poli.pk or (doctor is not None and each.doctor_id != doctor.pk):
                message = _("That practice schedule does not belong to this poli and doctor.")
                raise ValidationFailed(message, fields={"schedule": [message]})
            if each.weekday != day.weekday():
                raise _closed(poli, day, each.doctor)
        if not chosen:
            raise _closed(poli, day, doctor)
        return chosen
    candidates = schedules_for_day(poli=poli, day=day, doctor=doctor)
    if not candidates:
        raise _closed(poli, day, doctor)
    return candidates


# --- visits ----------------------------------------------------------------------------------


def _require(condition: bool, field: str, message: str | Promise) -> None:
    """Refuse with ``message`` unless ``condition``. Pass ``gettext_lazy`` messages on hot
    paths: they are translated only when the check fails."""
    if not condition:
        text = str(message)
        raise ValidationFailed(text, fields={field: [text]})


def visit_register(
    *,
    facility: Facility,
    patient: Any,
    poli: Poli | None,
    visit_date: date,
    payer: Payer | str,
    is_sick_visit: bool | None,
    tkp: Tkp | str,
    complaint: str,
    source: TicketSource | str,
    created_by: User | None = None,
    doctor: Doctor | None = None,
    schedule: DoctorSchedule | None = None,
    schedules: Sequence[DoctorSchedule] | None = None,
    insurer_name: str = "",
    eligibility: str = "",
    ticket: QueueTicket | None = None,
    savepoint: bool = True,
) -> Visit:
    """Register a visit and give it its queue number, atomically.

    Validates everything first (Indonesian messages, nothing saved on refusal), then creates
    the visit, allocates its ticket under the doctor's daily quota, and for a BPJS payer
    enqueues the PCare pendaftaran (and, for a walk-in JKN patient, Antrean FKTP
    ``antrean/add``; a Mobile JKN booking is already known to BPJS) in the same transaction.

    ``ticket``: a number the patient already took at the kiosk (same poli and day, no visit
    yet): the visit takes that number instead of a new one.

    ``schedules``: the sessions to try, in that order (instead of ``schedule``, or of the
    poli's sessions that day ordered by quota left); the first with quota left takes it.

    ``savepoint=False``: for a caller that owns the transaction and gives up on any refusal
    (a refusal then leaves that transaction unusable, so it must be rolled back).
    """
    _require(
        poli is not None and poli.facility_id == facility.pk and poli.is_active,
        "poli",
        gettext_lazy("Unknown poli: choose one of this clinic's active polis."),
    )
    assert poli is not None
    _require(
        patient is not None and patient.facility_id == facility.pk,
        "patient",
        gettext_lazy("Unknown patient: register the patient at this clinic first."),
    )
    _require(
        doctor is None or (doctor.facility_id == facility.pk and doctor.is_active),
        "doctor",
        gettext_lazy("Unknown doctor: choose one of this clinic's active doctors."),
    )
    _require(
        all(
            s.facility_id == facility.pk
            for s in ([schedule] if schedule is not None else schedules or [])
        ),
        "schedule",
        gettext_lazy("Unknown practice schedule."),
    )
    _require(
        payer in Payer.values, "payer", gettext_lazy("Choose the payer: BPJS, self-pay or insurer.")
    )
    _require(tkp in Tkp.values, "tkp", gettext_lazy("Unknown TKP: choose RJTP, RITP or promotive."))
    _require(source in TicketSource.values, "source", gettext_lazy("Unknown registration source."))
    insurer_name = (insurer_name or "").strip()
    if payer == Payer.INSURANCE:
        _require(bool(insurer_name), "insurer_name", gettext_lazy("Enter the name of the insurer."))
    else:
        insurer_name = ""
    if payer == Payer.BPJS:
        _require(
            bool(patient.bpjs_card_number),
            "payer",
            gettext_lazy("This patient has no BPJS card number: choose self-pay or an insurer."),
        )
    today = timezone.localdate()
    _require(visit_date >= today, "visit_date", gettext_lazy("The visit date has already passed."))
    complaint = (complaint or "").strip()
    _require(
        len(complaint) <= 500,
        "complaint",
        gettext_lazy("The complaint is too long (500 characters)."),
    )
    if is_sick_visit is None:
        is_sick_visit = poli.is_sick_visit
    if ticket is not None:
        _require(
            ticket.facility_id == facility.pk
            and ticket.poli_id == poli.pk
            and ticket.date == visit_date
            and ticket.visit_id is None
            and ticket.status in (TicketStatus.WAITING, TicketStatus.CALLED, TicketStatus.SKIPPED),
            "ticket",
            gettext_lazy(
                "That queue number cannot be used: it belongs to another poli or day, or to a visit."
            ),
        )
        candidates = []
    else:
        candidates = _resolve_schedules(
            poli=poli, day=visit_date, doctor=doctor, schedule=schedule, schedules=schedules
        )

    # Everything but the number first: the counter's row lock is taken last and held only for
    # the allocation itself and the commit, since every booking of that poli and day waits on it.
    kiosk_schedule = ticket.schedule if ticket is not None else None
    assumed_doctor = (
        kiosk_schedule.doctor
        if kiosk_schedule is not None
        else (candidates[0].doctor if candidates else doctor)
    )
    scheduled = bool(candidates) or kiosk_schedule is not None
    jkn_antrean = payer == Payer.BPJS and (
        source == TicketSource.MOBILE_JKN  # BPJS issued the booking: it knows this number
        or (visit_date == today and scheduled)
    )
    with transaction.atomic(savepoint=savepoint):
        visit = Visit.objects.create(
            facility=facility,
            patient=patient,
            poli=poli,
            doctor=assumed_doctor,
            visit_date=visit_date,
            payer=payer,
            insurer_name=insurer_name,
            is_sick_visit=bool(is_sick_visit),
            tkp=tkp,
            complaint=complaint,
            eligibility=eligibility or _eligibility(patient, payer),
            created_by=created_by,
        )
        if payer == Payer.BPJS:
            if visit_date <= today:
                sync.enqueue_pendaftaran_add(visit)
            if jkn_antrean and source != TicketSource.MOBILE_JKN:
                sync.enqueue_antrean_add(visit)
        # The queue number is on the ticket, linked to the visit.
        audit(created_by, "create", visit, summary="visit registered")
        if ticket is not None:
            # Conditional: of two desks attaching the same kiosk number, one wins.
            taken = QueueTicket.objects.filter(pk=ticket.pk, visit__isnull=True).update(
                visit=visit, jkn_antrean=jkn_antrean
            )
            if not taken:
                raise TicketMoved(
                    _("Queue number %(label)s has already been used for another visit.")
                    % {"label": ticket.label}
                )
            ticket.refresh_from_db()
        else:
            ticket = _allocate_on_schedules(
                poli=poli,
                day=visit_date,
                source=source,
                candidates=candidates,
                visit=visit,
                jkn_antrean=jkn_antrean,
            )
            if ticket.schedule is not None and ticket.schedule.doctor_id != visit.doctor_id:
                # The first session was full and another doctor's took the patient.
                visit.doctor = ticket.schedule.doctor
                visit.save(update_fields=["doctor"])
    return visit


def _eligibility(patient: Any, payer: str) -> str:
    """The visit's eligibility from the patient's last BPJS check (never waits on BPJS)."""
    if payer != Payer.BPJS:
        return EligibilityStatus.NOT_APPLICABLE
    checked = getattr(patient, "bpjs_eligibility", "")
    if checked in EligibilityStatus.values and checked != EligibilityStatus.NOT_APPLICABLE:
        return str(checked)
    return EligibilityStatus.NOT_VERIFIED


def visit_pendaftaran_ensure(visit: Visit) -> None:
    """Enqueue the PCare pendaftaran of a BPJS visit booked ahead, once its day has come."""
    if (
        visit.payer == Payer.BPJS
        and visit.status != VisitStatus.CANCELLED
        and visit.visit_date <= timezone.localdate()
    ):
        sync.enqueue_pendaftaran_add(visit)


def visits_due_pendaftaran(day: date | None = None) -> int:
    """Enqueue today's pendaftaran of BPJS visits booked ahead (Mobile JKN). Idempotent."""
    day = day or timezone.localdate()
    count = 0
    for visit in Visit.objects.filter(visit_date=day, payer=Payer.BPJS).exclude(
        status=VisitStatus.CANCELLED
    ):
        with transaction.atomic():
            if sync.enqueue_pendaftaran_add(visit, only_if_missing=True):
                count += 1
    return count


# --- tickets ---------------------------------------------------------------------------------


def _move(
    ticket: QueueTicket,
    *,
    from_statuses: Iterable[str],
    to_status: str,
    **changes: Any,
) -> QueueTicket:
    """Conditional UPDATE: only a ticket still in one of ``from_statuses`` moves."""
    updated = QueueTicket.objects.filter(pk=ticket.pk, status__in=list(from_statuses)).update(
        status=to_status, **changes
    )
    if not updated:
        ticket.refresh_from_db()
        raise TicketMoved(
            _("Queue number %(label)s has already moved on (now: %(status)s).")
            % {"label": ticket.label, "status": ticket.get_status_display()}
        )
    ticket.refresh_from_db()
    return ticket


def _set_visit_status(ticket: QueueTicket, status: str) -> None:
    if ticket.visit_id is not None:
        Visit.objects.filter(pk=ticket.visit_id).update(status=status, updated_at=timezone.now())


def _report_call(ticket: QueueTicket, outcome: CallOutcome) -> None:
    if not ticket.jkn_antrean or ticket.visit_id is None:
        return
    call = QueueCall.objects.create(
        facility_id=ticket.facility_id, ticket=ticket, outcome=outcome, at=timezone.now()
    )
    sync.enqueue_antrean_call(call)


def ticket_call(*, ticket: QueueTicket, user: User | None) -> QueueTicket:
    """Call one waiting (or skipped) number to the poli."""
    with transaction.atomic():
        ticket = _move(
            ticket,
            from_statuses=[TicketStatus.WAITING, TicketStatus.SKIPPED],
            to_status=TicketStatus.CALLED,
            called_at=timezone.now(),
            call_count=F("call_count") + 1,
        )
        if ticket.visit is not None:
            visit_pendaftaran_ensure(ticket.visit)
        audit(user, "action", ticket, summary=f"called {ticket.label}")
    return ticket


def ticket_call_next(*, poli: Poli, day: date, user: User | None) -> QueueTicket | None:
    """Call the lowest waiting number of the poli; ``None`` when nobody is waiting."""
    for _attempt in range(20):
        candidate = (
            QueueTicket.objects.filter(poli=poli, date=day, status=TicketStatus.WAITING)
            .order_by("number")
            .first()
        )
        if candidate is None:
            return None
        try:
            return ticket_call(ticket=candidate, user=user)
        except TicketMoved:
            continue  # another screen called it first: take the next one
    return None


def ticket_recall(*, ticket: QueueTicket, user: User | None) -> QueueTicket:
    """Call the same number again (the patient did not come forward yet)."""
    with transaction.atomic():
        ticket = _move(
            ticket,
            from_statuses=[TicketStatus.CALLED, TicketStatus.SKIPPED],
            to_status=TicketStatus.CALLED,
            called_at=timezone.now(),
            call_count=F("call_count") + 1,
        )
        audit(user, "action", ticket, summary=f"called again {ticket.label}")
    return ticket


def ticket_skip(*, ticket: QueueTicket, user: User | None) -> QueueTicket:
    """The called patient did not come: skip (may be called again later). A no-show for BPJS."""
    with transaction.atomic():
        ticket = _move(ticket, from_statuses=[TicketStatus.CALLED], to_status=TicketStatus.SKIPPED)
        _report_call(ticket, CallOutcome.ABSENT)
        audit(user, "action", ticket, summary=f"skipped {ticket.label}")
    return ticket


def ticket_start_service(*, ticket: QueueTicket, user: User | None) -> QueueTicket:
    """The patient came in: in service. Reported to BPJS as present."""
    with transaction.atomic():
        ticket = _move(
            ticket,
            from_statuses=[TicketStatus.CALLED, TicketStatus.WAITING, TicketStatus.SKIPPED],
            to_status=TicketStatus.IN_SERVICE,
            called_at=timezone.now(),
        )
        _set_visit_status(ticket, VisitStatus.IN_SERVICE)
        if ticket.visit is not None:
            visit_pendaftaran_ensure(ticket.visit)
        _report_call(ticket, CallOutcome.PRESENT)
        audit(user, "action", ticket, summary=f"in service {ticket.label}")
    return ticket


def ticket_finish(*, ticket: QueueTicket, user: User | None) -> QueueTicket:
    with transaction.atomic():
        ticket = _move(
            ticket,
            from_statuses=[TicketStatus.IN_SERVICE],
            to_status=TicketStatus.DONE,
            finished_at=timezone.now(),
        )
        _set_visit_status(ticket, VisitStatus.DONE)
        audit(user, "action", ticket, summary=f"done {ticket.label}")
    return ticket


def ticket_cancel(*, ticket: QueueTicket, reason: str, user: User | None) -> QueueTicket:
    """Cancel a number that was not served, with a reason. Cancels its visit, deletes the PCare
    pendaftaran and tells Mobile JKN (``antrean/batal``)."""
    reason = (reason or "").strip()
    _require(bool(reason), "reason", _("Give a reason for the cancellation."))
    _require(len(reason) <= 200, "reason", _("The reason is too long (200 characters)."))
    with transaction.atomic():
        ticket = _move(
            ticket,
            from_statuses=[TicketStatus.WAITING, TicketStatus.CALLED, TicketStatus.SKIPPED],
            to_status=TicketStatus.CANCELLED,
            cancel_reason=reason,
            finished_at=timezone.now(),
        )
        visit = ticket.visit
        if visit is not None:
            _set_visit_status(ticket, VisitStatus.CANCELLED)
            sync.enqueue_pendaftaran_delete(visit)
            if ticket.jkn_antrean:
                sync.enqueue_antrean_cancel(visit, reason=reason)
        audit(user, "action", ticket, summary=f"cancelled {ticket.label}")
    return ticket


def _lock_for_transfer(ticket: QueueTicket, to_poli: Poli) -> None:
    """Take a transfer's locks in the order every other writer takes them: the ticket first
    (a call or a cancellation updates it, and its trigger then writes its counter), then the
    day's counters of both polis by poli (the old ticket's counts, the new number). Otherwise
    a nurse calling the same ticket, or a transfer the other way, could each hold what the
    other waits for."""
    if not connection.features.has_select_for_update:
        return  # SQLite: one writer at a time anyway
    # No ordering: the model's default one joins the poli and the facility, whose rows
    # FOR UPDATE would then lock too.
    list(
        QueueTicket.objects.select_for_update(of=("self",))
        .filter(pk=ticket.pk)
        .order_by()
        .values_list("pk", flat=True)
    )
    list(
        QueueCounter.objects.select_for_update()
        .filter(
            facility_id=ticket.facility_id,
            date=ticket.date,
            poli_id__in=[ticket.poli_id, to_poli.pk],
        )
        .order_by("poli_id")
        .values_list("pk", flat=True)
    )


def ticket_transfer(*, ticket: QueueTicket, to_poli: Poli, user: User | None) -> QueueTicket:
    """Send the patient to another poli: a new number there (under its quota), the old ticket
    marked as sent on. A BPJS visit is registered with PCare at the new poli too."""
    _require(
        to_poli.facility_id == ticket.facility_id and to_poli.is_active,
        "poli",
        _("Unknown poli: choose one of this clinic's active polis."),
    )
    _require(to_poli.pk != ticket.poli_id, "poli", _("The patient is already at that poli."))
    candidates = _resolve_schedules(poli=to_poli, day=ticket.date, doctor=None, schedule=None)
    with transaction.atomic():
        _lock_for_transfer(ticket, to_poli)
        ticket = _move(
            ticket,
            from_statuses=[
                TicketStatus.WAITING,
                TicketStatus.CALLED,
                TicketStatus.SKIPPED,
                TicketStatus.IN_SERVICE,
            ],
            to_status=TicketStatus.TRANSFERRED,
            finished_at=timezone.now(),
        )
        visit = ticket.visit
        if visit is not None:
            QueueTicket.objects.filter(pk=ticket.pk).update(visit=None)
            ticket.visit = None
        new = _allocate_on_schedules(
            poli=to_poli, day=ticket.date, source=ticket.source, candidates=candidates, visit=visit
        )
        QueueTicket.objects.filter(pk=ticket.pk).update(transferred_to=new)
        ticket.transferred_to = new
        if visit is not None:
            visit.poli = to_poli
            visit.is_sick_visit = to_poli.is_sick_visit
            visit.doctor = new.schedule.doctor if new.schedule else None
            visit.status = VisitStatus.REGISTERED
            visit.save(update_fields=["poli", "is_sick_visit", "doctor", "status", "updated_at"])
            if visit.payer == Payer.BPJS and visit.visit_date <= timezone.localdate():
                sync.enqueue_pendaftaran_add(visit, transfer_ticket=new)
        audit(user, "action", ticket, summary=f"sent {ticket.label} to {new.label}")
    return new


def kiosk_ticket_take(*, poli: Poli) -> QueueTicket:
    """A patient takes a number at the kiosk (no visit yet; the front desk registers it)."""
    _require(poli.is_active, "poli", _("Unknown poli: choose one of this clinic's active polis."))
    day = timezone.localdate()
    candidates = _resolve_schedules(poli=poli, day=day, doctor=None, schedule=None)
    with transaction.atomic():
        ticket = _allocate_on_schedules(
            poli=poli, day=day, source=TicketSource.KIOSK, candidates=candidates, visit=None
        )
        audit(
            None, "create", ticket, summary=f"kiosk ticket {ticket.label}", facility=poli.facility
        )
    return ticket
