"""Simultaneous registrations on PostgreSQL: distinct, gap-free numbers; the quota holds.

Threads each use their own database connection, so this needs a real server: on SQLite the
test database is in memory and shared by one connection, so these tests are skipped there.
"""

from __future__ import annotations

import threading
from concurrent.futures import ThreadPoolExecutor
from functools import partial

import pytest
from django.db import connection, connections

from clinic.queues.models import DoctorSchedule, QueueCounter, QueueTicket, Visit
from clinic.queues.services import (
    QuotaFull,
    TicketMoved,
    ticket_call,
    ticket_transfer,
    visit_register,
)
from tests.queues.factories import PatientFactory
from tests.queues.test_ticket_counts import assert_in_step
from tests.queues.test_tickets import visit

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(
        connection.vendor != "postgresql",
        reason="needs PostgreSQL (DATABASE_URL): threads need their own connections",
    ),
]

THREADS = 32  # below max_connections (100), shared with other test runs


def register_all(clinic, today, patients, *, source_of=lambda i: "frontdesk"):
    barrier = threading.Barrier(min(THREADS, len(patients)))
    results: list[object] = [None] * len(patients)

    def one(index: int) -> None:
        try:
            if index < barrier.parties:
                barrier.wait(timeout=30)
            visit = visit_register(
                facility=clinic.facility,
                patient=patients[index],
                poli=clinic.umum,
                visit_date=today,
                payer="bpjs",
                is_sick_visit=None,
                tkp="10",
                complaint="",
                source=source_of(index),
            )
            results[index] = visit.ticket.number
        except QuotaFull as exc:
            results[index] = exc
        finally:
            connections.close_all()

    with ThreadPoolExecutor(max_workers=THREADS) as pool:
        list(pool.map(one, range(len(patients))))
    return results


def test_200_simultaneous_registrations_get_200_distinct_gap_free_numbers(clinic, today):
    DoctorSchedule.objects.filter(poli=clinic.umum).update(daily_quota=500)
    patients = [PatientFactory(facility=clinic.facility) for _ in range(200)]
    sources = ("frontdesk", "kiosk", "mobilejkn")
    numbers = register_all(clinic, today, patients, source_of=lambda i: sources[i % 3])
    assert sorted(numbers) == list(range(1, 201))
    assert sorted(QueueTicket.objects.values_list("number", flat=True)) == list(range(1, 201))
    assert Visit.objects.count() == 200
    assert QueueCounter.objects.get(poli=clinic.umum, date=today).last_number == 200


def test_quota_holds_under_concurrency_without_gaps(clinic, today):
    DoctorSchedule.objects.filter(poli=clinic.umum).update(daily_quota=50)
    patients = [PatientFactory(facility=clinic.facility) for _ in range(80)]
    results = register_all(clinic, today, patients)
    numbers = sorted(r for r in results if isinstance(r, int))
    refused = [r for r in results if isinstance(r, QuotaFull)]
    assert numbers == list(range(1, 51))
    assert len(refused) == 30
    assert Visit.objects.count() == 50
    assert QueueCounter.objects.get(poli=clinic.umum, date=today).last_number == 50


def test_simultaneous_call_next_never_calls_a_number_twice(clinic, today, perawat):
    from clinic.queues.services import ticket_call_next

    patients = [PatientFactory(facility=clinic.facility) for _ in range(12)]
    register_all(clinic, today, patients)
    barrier = threading.Barrier(16)
    called: list[str | None] = [None] * 16

    def one(index: int) -> None:
        try:
            barrier.wait(timeout=30)
            ticket = ticket_call_next(poli=clinic.umum, day=today, user=perawat)
            called[index] = ticket.label if ticket else None
        finally:
            connections.close_all()

    with ThreadPoolExecutor(max_workers=16) as pool:
        list(pool.map(one, range(16)))
    labels = [label for label in called if label]
    assert sorted(labels, key=lambda s: int(s[2:])) == [f"A-{n}" for n in range(1, 13)]
    assert called.count(None) == 4
    assert set(QueueTicket.objects.values_list("call_count", flat=True)) == {1}


def _all_at_once(actions, *, expected=()) -> list[BaseException]:
    """Run every action in its own thread (own connection), released together; the errors
    they raised, apart from the ``expected`` ones."""
    barrier = threading.Barrier(len(actions))
    errors: list[BaseException] = []

    def run(action) -> None:
        try:
            barrier.wait(timeout=30)
            action()
        except expected:
            pass
        except BaseException as exc:  # a deadlock surfaces as a DatabaseError here
            errors.append(exc)
        finally:
            connections.close_all()

    with ThreadPoolExecutor(max_workers=len(actions)) as pool:
        list(pool.map(run, actions))
    return errors


def test_opposite_transfers_at_the_same_moment_do_not_deadlock(clinic, today, perawat):
    """A transfer writes both polis' counters (the old ticket's counts, the new number): it
    takes them in one order, so transfers Umum → Gigi and Gigi → Umum never wait on each
    other in a cycle."""
    pairs = 12
    umum = [visit(clinic, today).ticket for _ in range(pairs)]
    gigi = [visit(clinic, today, poli=clinic.gigi).ticket for _ in range(pairs)]
    moves = [(t, clinic.gigi) for t in umum] + [(t, clinic.umum) for t in gigi]
    errors = _all_at_once(
        [partial(ticket_transfer, ticket=t, to_poli=to, user=perawat) for t, to in moves]
    )
    assert errors == []
    assert QueueTicket.objects.filter(status="transferred").count() == 2 * pairs
    assert_in_step((clinic.umum, today), (clinic.gigi, today))


def test_a_call_and_a_transfer_of_the_same_ticket_at_once_do_not_deadlock(
    clinic, today, perawat, frontdesk
):
    """The nurse's call writes the ticket, then (its trigger) the counter; the transfer takes
    the ticket before the counters, so one waits for the other instead of both for each other.
    Either may win; the loser of a move gets TicketMoved, never a database error."""
    tickets = [visit(clinic, today).ticket for _ in range(12)]
    calls = [partial(ticket_call, ticket=t, user=perawat) for t in tickets]
    transfers = [
        partial(ticket_transfer, ticket=t, to_poli=clinic.gigi, user=frontdesk) for t in tickets
    ]
    assert _all_at_once(calls + transfers, expected=TicketMoved) == []
    assert QueueTicket.objects.filter(pk__in=[t.pk for t in tickets], status="transferred").count()
    assert_in_step((clinic.umum, today), (clinic.gigi, today))
