"""Simultaneous registrations on PostgreSQL: distinct, gap-free numbers; the quota holds.

Threads each use their own database connection, so this needs a real server: on SQLite the
test database is in memory and shared by one connection, so these tests are skipped there.
"""

from __future__ import annotations

import threading
from concurrent.futures import ThreadPoolExecutor

import pytest
from django.db import connection, connections

from clinic.queues.models import DoctorSchedule, QueueCounter, QueueTicket, Visit
from clinic.queues.services import QuotaFull, visit_register
from tests.queues.factories import PatientFactory

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


def test_opposite_transfers_at_the_same_moment_do_not_deadlock(clinic, today, perawat):
    """A transfer writes both polis' counters (the old ticket's counts, the new number): it
    takes them in one order, so transfers Umum → Gigi and Gigi → Umum never wait on each
    other in a cycle."""
    from clinic.queues.services import ticket_transfer

    pairs = 12
    umum = [_walk_in(clinic, today, clinic.umum) for _ in range(pairs)]
    gigi = [_walk_in(clinic, today, clinic.gigi) for _ in range(pairs)]
    moves = [(t, clinic.gigi) for t in umum] + [(t, clinic.umum) for t in gigi]
    barrier = threading.Barrier(len(moves))
    errors: list[BaseException] = []

    def move(index: int) -> None:
        ticket, to_poli = moves[index]
        try:
            barrier.wait(timeout=30)
            ticket_transfer(ticket=ticket, to_poli=to_poli, user=perawat)
        except BaseException as exc:  # a deadlock surfaces as a DatabaseError here
            errors.append(exc)
        finally:
            connections.close_all()

    with ThreadPoolExecutor(max_workers=len(moves)) as pool:
        list(pool.map(move, range(len(moves))))
    assert errors == []
    assert QueueTicket.objects.filter(status="transferred").count() == 2 * pairs
    for poli in (clinic.umum, clinic.gigi):
        counter = QueueCounter.objects.get(poli=poli, date=today)
        assert (
            counter.waiting
            == QueueTicket.objects.filter(poli=poli, date=today, status="waiting").count()
        )


def test_a_call_and_a_transfer_of_the_same_ticket_at_once_do_not_deadlock(
    clinic, today, perawat, frontdesk
):
    """The nurse's call writes the ticket, then (its trigger) the counter; the transfer takes
    the ticket before the counters, so one waits for the other instead of both for each other.
    Either may win; the loser of a move gets TicketMoved, never a database error."""
    from clinic.queues.services import TicketMoved, ticket_call, ticket_transfer

    tickets = [_walk_in(clinic, today, clinic.umum) for _ in range(12)]
    jobs = [("call", t) for t in tickets] + [("transfer", t) for t in tickets]
    barrier = threading.Barrier(len(jobs))
    errors: list[BaseException] = []

    def run(index: int) -> None:
        kind, ticket = jobs[index]
        try:
            barrier.wait(timeout=30)
            if kind == "call":
                ticket_call(ticket=ticket, user=perawat)
            else:
                ticket_transfer(ticket=ticket, to_poli=clinic.gigi, user=frontdesk)
        except TicketMoved:
            pass  # the other move came first
        except BaseException as exc:
            errors.append(exc)
        finally:
            connections.close_all()

    with ThreadPoolExecutor(max_workers=len(jobs)) as pool:
        list(pool.map(run, range(len(jobs))))
    assert errors == []
    assert QueueTicket.objects.filter(pk__in=[t.pk for t in tickets], status="transferred").count()
    for poli in (clinic.umum, clinic.gigi):
        counter = QueueCounter.objects.get(poli=poli, date=today)
        waiting = QueueTicket.objects.filter(poli=poli, date=today, status="waiting").count()
        called = QueueTicket.objects.filter(poli=poli, date=today, called_at__isnull=False).count()
        assert (counter.waiting, counter.called) == (waiting, called)


def _walk_in(clinic, today, poli) -> QueueTicket:
    visit = visit_register(
        facility=clinic.facility,
        patient=PatientFactory(facility=clinic.facility),
        poli=poli,
        visit_date=today,
        payer="bpjs",
        is_sick_visit=None,
        tkp="10",
        complaint="",
        source="frontdesk",
    )
    return visit.ticket
