from __future__ import annotations

from datetime import timedelta

import pytest
from django.db import transaction

from clinic.queues.models import QueueCounter, QueueTicket, TicketStatus
from clinic.queues.services import QuotaFull, ticket_allocate

pytestmark = pytest.mark.django_db


def _allocate(poli, day, schedule=None):
    with transaction.atomic():
        return ticket_allocate(poli=poli, day=day, source="frontdesk", schedule=schedule)


def test_numbers_of_one_poli_and_day_are_consecutive_from_one(clinic, today):
    tickets = [_allocate(clinic.umum, today) for _ in range(5)]
    assert [t.number for t in tickets] == [1, 2, 3, 4, 5]
    assert [t.label for t in tickets] == ["A-1", "A-2", "A-3", "A-4", "A-5"]


def test_each_poli_and_day_has_its_own_sequence(clinic, today):
    _allocate(clinic.umum, today)
    _allocate(clinic.umum, today)
    assert _allocate(clinic.gigi, today).label == "B-1"
    assert _allocate(clinic.umum, today + timedelta(days=1)).label == "A-1"
    assert _allocate(clinic.umum, today).label == "A-3"


@pytest.mark.django_db(transaction=True)
def test_allocation_outside_a_transaction_is_refused(clinic, today):
    with pytest.raises(RuntimeError, match=r"transaction\.atomic"):
        ticket_allocate(poli=clinic.umum, day=today, source="kiosk")


def test_full_quota_is_refused_and_leaves_no_gap(clinic, today):
    schedule = clinic.umum.schedules.get(weekday=today.weekday())
    schedule.daily_quota = 2
    schedule.save()
    _allocate(clinic.umum, today, schedule)
    _allocate(clinic.umum, today, schedule)
    with pytest.raises(QuotaFull):
        _allocate(clinic.umum, today, schedule)
    assert QueueTicket.objects.filter(poli=clinic.umum, date=today).count() == 2
    assert QueueCounter.objects.get(poli=clinic.umum, date=today).last_number == 2
    # A number without the quota (a kiosk ticket, no schedule) continues without a gap.
    assert _allocate(clinic.umum, today).number == 3


def test_cancelled_ticket_frees_its_quota_place(clinic, today):
    schedule = clinic.umum.schedules.get(weekday=today.weekday())
    schedule.daily_quota = 1
    schedule.save()
    first = _allocate(clinic.umum, today, schedule)
    QueueTicket.objects.filter(pk=first.pk).update(status=TicketStatus.CANCELLED)
    assert _allocate(clinic.umum, today, schedule).number == 2


def test_the_quota_is_read_fresh_whatever_the_callers_copy_says(clinic, today):
    schedule = clinic.umum.schedules.get(weekday=today.weekday())
    schedule.daily_quota = 5
    schedule.save()
    stale_copy = clinic.umum.schedules.get(pk=schedule.pk)  # quota 5 in memory
    type(schedule).objects.filter(pk=schedule.pk).update(daily_quota=1)
    _allocate(clinic.umum, today, stale_copy)
    with pytest.raises(QuotaFull):
        _allocate(clinic.umum, today, stale_copy)
    assert QueueCounter.objects.get(poli=clinic.umum, date=today).last_number == 1


def test_a_ticket_under_a_quota_knows_its_place_in_the_queue(clinic, today):
    schedule = clinic.umum.schedules.get(weekday=today.weekday())
    first, second, third = (_allocate(clinic.umum, today, schedule) for _ in range(3))
    assert (first.waiting_before, first.called_count) == (0, 0)
    assert (second.waiting_before, third.waiting_before) == (1, 2)
    QueueTicket.objects.filter(pk=first.pk).update(status=TicketStatus.DONE)
    QueueTicket.objects.filter(pk=second.pk).update(
        status=TicketStatus.CALLED, called_at=second.created_at
    )
    # A kiosk number (no quota) is waiting too; the next one counts it.
    _allocate(clinic.umum, today)
    fifth = _allocate(clinic.umum, today, schedule)
    assert (fifth.number, fifth.waiting_before, fifth.called_count) == (5, 2, 1)
    # Tickets loaded from the database carry no position.
    assert QueueTicket.objects.get(pk=fifth.pk).waiting_before is None


def test_a_schedule_of_another_poli_is_a_programming_error(clinic, today):
    gigi_session = clinic.gigi.schedules.get(weekday=today.weekday())
    with pytest.raises(ValueError, match="another poli"):
        _allocate(clinic.umum, today, gigi_session)
    assert not QueueCounter.objects.filter(poli=clinic.umum, date=today).exists()
