"""The day's counter keeps its waiting and called counts through database triggers
(migration queues/0005), whatever writes a ticket: every check compares them with a count of
the tickets themselves."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.db import connection, transaction
from django.db.models import Count, Q
from django.utils import timezone

from clinic.queues.models import QueueCounter, QueueTicket, TicketStatus, Visit
from clinic.queues.services import (
    QuotaFull,
    kiosk_ticket_take,
    ticket_allocate,
    ticket_call,
    ticket_call_next,
    ticket_cancel,
    ticket_finish,
    ticket_recall,
    ticket_skip,
    ticket_start_service,
    ticket_transfer,
)
from tests.queues.test_tickets import visit

pytestmark = pytest.mark.django_db


def counts_of(poli, day) -> tuple[int, int]:
    counter = QueueCounter.objects.get(poli=poli, date=day)
    return counter.waiting, counter.called


def counted(poli, day) -> tuple[int, int]:
    got = QueueTicket.objects.filter(poli=poli, date=day).aggregate(
        waiting=Count("pk", filter=Q(status=TicketStatus.WAITING)),
        called=Count("pk", filter=Q(called_at__isnull=False)),
    )
    return got["waiting"], got["called"]


def written_directly(clinic, day, number: int, **fields) -> QueueTicket:
    """A ticket of Poli Umum written without the counter (as an import would)."""
    fields.setdefault("source", "frontdesk")
    return QueueTicket.objects.create(
        facility=clinic.facility,
        poli=clinic.umum,
        date=day,
        number=number,
        label=f"A-{number}",
        **fields,
    )


def assert_in_step(*polis_days) -> None:
    for poli, day in polis_days:
        assert counts_of(poli, day) == counted(poli, day), (poli.name, day)


def test_the_triggers_exist_after_all_migrations():
    """A later migration that rebuilds the ticket table on SQLite drops its triggers: it must
    create them again (see migration queues/0005)."""
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(
                "SELECT tgname FROM pg_trigger WHERE tgrelid = 'queues_queueticket'::regclass "
                "AND NOT tgisinternal"
            )
            expected = {"queues_ticket_counts"}
        else:
            cursor.execute(
                "SELECT name FROM sqlite_master WHERE type = 'trigger' "
                "AND tbl_name = 'queues_queueticket'"
            )
            expected = {
                "queues_ticket_counts_insert",
                "queues_ticket_counts_delete",
                "queues_ticket_counts_update",
            }
        assert expected <= {row[0] for row in cursor.fetchall()}


def test_counts_follow_a_day_at_the_poli(clinic, today, perawat):
    visits = [visit(clinic, today) for _ in range(4)]
    kiosk = kiosk_ticket_take(poli=clinic.umum)
    assert counts_of(clinic.umum, today) == (5, 0)

    first = ticket_call_next(poli=clinic.umum, day=today, user=perawat)
    assert first is not None
    assert counts_of(clinic.umum, today) == (4, 1)
    ticket_recall(ticket=first, user=perawat)  # called again: still one called ticket
    ticket_skip(ticket=first, user=perawat)
    assert counts_of(clinic.umum, today) == (4, 1)
    ticket_call(ticket=first, user=perawat)
    ticket_start_service(ticket=first, user=perawat)
    ticket_finish(ticket=first, user=perawat)
    assert counts_of(clinic.umum, today) == (4, 1)

    second = visits[1].ticket
    ticket_start_service(ticket=second, user=perawat)  # straight in, never called
    ticket_cancel(ticket=visits[2].ticket, reason="pulang", user=perawat)
    assert counts_of(clinic.umum, today) == (2, 2)
    assert counted(clinic.umum, today) == (2, 2)

    # A bulk update, as a data fix would do, and a visit deleted with its ticket.
    QueueTicket.objects.filter(pk=kiosk.pk).update(status=TicketStatus.SKIPPED)
    Visit.objects.filter(pk=visits[3].pk).delete()
    assert counts_of(clinic.umum, today) == (0, 2)
    assert_in_step((clinic.umum, today))


def test_counts_follow_a_transfer_and_a_ticket_moved_to_another_day(clinic, today, perawat):
    tomorrow = today + timedelta(days=1)
    moving, staying = visit(clinic, today), visit(clinic, today)
    visit(clinic, today, poli=clinic.gigi)
    ticket_call(ticket=moving.ticket, user=perawat)
    new = ticket_transfer(ticket=moving.ticket, to_poli=clinic.gigi, user=perawat)
    assert counts_of(clinic.umum, today) == (1, 1)  # the transferred one was called here
    assert counts_of(clinic.gigi, today) == (2, 0)
    with transaction.atomic():
        ticket_allocate(poli=clinic.umum, day=tomorrow, source="frontdesk")
    QueueTicket.objects.filter(pk=staying.ticket.pk).update(date=tomorrow, number=99)
    assert counts_of(clinic.umum, today) == (0, 1)
    assert counts_of(clinic.umum, tomorrow) == (2, 0)
    QueueTicket.objects.filter(pk=new.pk).delete()
    assert_in_step((clinic.umum, today), (clinic.umum, tomorrow), (clinic.gigi, today))


def test_a_counter_created_after_its_tickets_starts_above_them_with_their_counts(clinic, today):
    # Nothing to update while the day has no counter.
    for number, called_at in ((101, None), (102, None), (103, timezone.now())):
        written_directly(
            clinic,
            today,
            number,
            source="kiosk",
            status=TicketStatus.WAITING if called_at is None else TicketStatus.CALLED,
            called_at=called_at,
        )
    assert not QueueCounter.objects.filter(poli=clinic.umum, date=today).exists()
    with transaction.atomic():
        first = ticket_allocate(poli=clinic.umum, day=today, source="kiosk")
    # After the highest number there (no collision), knowing the two waiting and one called.
    assert (first.number, first.waiting_before, first.called_count) == (104, 2, 1)
    assert_in_step((clinic.umum, today))


def test_the_quota_holds_for_tickets_written_without_the_counter(clinic, today):
    schedule = clinic.umum.schedules.get(weekday=today.weekday())
    schedule.daily_quota = 2
    schedule.save()
    for number in (1, 2):
        written_directly(clinic, today, number, schedule=schedule)
    with pytest.raises(QuotaFull), transaction.atomic():
        ticket_allocate(poli=clinic.umum, day=today, source="frontdesk", schedule=schedule)


def test_past_the_quota_the_session_is_counted_exactly(clinic, today):
    """Within the quota the number alone proves there is room; past it, cancelled and
    transferred tickets give their place back."""
    schedule = clinic.umum.schedules.get(weekday=today.weekday())
    schedule.daily_quota = 2
    schedule.save()

    def allocate(with_schedule=True):
        with transaction.atomic():
            return ticket_allocate(
                poli=clinic.umum,
                day=today,
                source="frontdesk",
                schedule=schedule if with_schedule else None,
            )

    first = allocate()
    allocate(with_schedule=False)  # a kiosk number takes no place in the quota
    third = allocate()  # number 3 > quota 2, yet only one counted ticket
    assert third.number == 3
    with pytest.raises(QuotaFull):
        allocate()
    QueueTicket.objects.filter(pk=first.pk).update(status=TicketStatus.CANCELLED)
    assert allocate().number == 4


@pytest.mark.django_db(transaction=True)
def test_the_migration_counts_the_tickets_already_there(clinic, today):
    from django.db.migrations.executor import MigrationExecutor

    before, after = (
        [("queues", "0004_visit_patient_day_index")],
        [("queues", "0005_counter_ticket_counts")],
    )
    executor = MigrationExecutor(connection)
    executor.migrate(before)
    try:
        old_apps = executor.loader.project_state(before).apps
        old_counter = old_apps.get_model("queues", "QueueCounter")
        old_counter.objects.create(
            facility_id=clinic.facility.pk, poli_id=clinic.umum.pk, date=today, last_number=3
        )
        for number, status, called in (
            (1, "done", True),
            (2, "waiting", False),
            (3, "waiting", False),
        ):
            written_directly(
                clinic, today, number, status=status, called_at=timezone.now() if called else None
            )
    finally:
        executor = MigrationExecutor(connection)
        executor.loader.build_graph()
        executor.migrate(after)
    assert counts_of(clinic.umum, today) == (2, 1)
    with transaction.atomic():
        fourth = ticket_allocate(poli=clinic.umum, day=today, source="kiosk")
    assert (fourth.number, fourth.waiting_before) == (4, 2)
    assert_in_step((clinic.umum, today))
