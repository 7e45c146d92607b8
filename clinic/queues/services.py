"""Queue number allocation: one atomic sequence per facility, poli and day.

Never count-then-insert: the counter row is bumped with a conditional UPDATE inside the
caller's transaction, which takes its row lock (PostgreSQL) or the database write lock
(SQLite, IMMEDIATE transactions) until commit. Two counters and a Mobile JKN booking at the
same second therefore get three different numbers, and a refusal (quota full) rolls the bump
back, so numbers stay gap-free.
"""

from __future__ import annotations

from datetime import date

from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils.translation import gettext as _

from clinic.core.errors import Conflict
from clinic.queues.models import (
    DoctorSchedule,
    Poli,
    QueueCounter,
    QueueTicket,
    TicketSource,
    TicketStatus,
    Visit,
)


class QuotaFull(Conflict):
    code = "quota_full"


def ticket_label(poli: Poli, number: int) -> str:
    return f"{poli.queue_prefix}-{number}"


def _next_number(*, poli: Poli, day: date) -> int:
    for _attempt in range(3):
        updated = QueueCounter.objects.filter(
            facility_id=poli.facility_id, poli=poli, date=day
        ).update(last_number=F("last_number") + 1)
        if updated:
            return QueueCounter.objects.get(
                facility_id=poli.facility_id, poli=poli, date=day
            ).last_number
        try:
            with transaction.atomic():
                QueueCounter.objects.create(
                    facility_id=poli.facility_id, poli=poli, date=day, last_number=0
                )
        except IntegrityError:
            pass  # created by a concurrent allocation: bump it on the next round
    raise RuntimeError("queue counter could not be allocated")


def active_ticket_count(*, schedule: DoctorSchedule, day: date) -> int:
    return (
        QueueTicket.objects.filter(schedule=schedule, date=day)
        .exclude(status=TicketStatus.CANCELLED)
        .count()
    )


def ticket_allocate(
    *,
    poli: Poli,
    day: date,
    source: TicketSource | str,
    schedule: DoctorSchedule | None = None,
    visit: Visit | None = None,
) -> QueueTicket:
    """Issue the next number of ``poli`` on ``day``. Must run inside ``transaction.atomic``.

    With a schedule, the doctor's daily quota is enforced: the counter row is locked first,
    so the count of that poli's active tickets cannot change under us."""
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("ticket_allocate must run inside transaction.atomic()")
    number = _next_number(poli=poli, day=day)
    if (
        schedule is not None
        and active_ticket_count(schedule=schedule, day=day) >= schedule.daily_quota
    ):
        raise QuotaFull(
            _("The quota of %(doctor)s at Poli %(poli)s on that day is full.")
            % {"doctor": schedule.doctor.name, "poli": poli.name}
        )
    return QueueTicket.objects.create(
        facility_id=poli.facility_id,
        poli=poli,
        schedule=schedule,
        date=day,
        number=number,
        label=ticket_label(poli, number),
        visit=visit,
        source=source,
    )
