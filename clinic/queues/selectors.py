"""Reads for the board and the waiting-room screen."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from django.db.models import Count, Q

from clinic.core.models import Facility
from clinic.queues.models import Poli, QueueTicket, TicketStatus

BOARD_STATUSES = (
    TicketStatus.WAITING,
    TicketStatus.CALLED,
    TicketStatus.IN_SERVICE,
    TicketStatus.DONE,
    TicketStatus.SKIPPED,
    TicketStatus.CANCELLED,
)


@dataclass(frozen=True)
class BoardColumn:
    status: str
    label: str
    tickets: list[QueueTicket]


def board_columns(*, poli: Poli, day: date) -> list[BoardColumn]:
    tickets = list(
        QueueTicket.objects.filter(poli=poli, date=day)
        .select_related("visit__patient", "transferred_to__poli", "schedule__doctor")
        .order_by("number")
    )
    columns = []
    for status in BOARD_STATUSES:
        wanted = {status, TicketStatus.TRANSFERRED} if status == TicketStatus.DONE else {status}
        columns.append(
            BoardColumn(
                status=str(status),
                label=str(status.label),
                tickets=[t for t in tickets if t.status in wanted],
            )
        )
    return columns


def tv_state(*, facility: Facility, day: date) -> dict[str, Any]:
    """Per active poli: the number being called now and how many wait. Numbers only."""
    polis = list(
        Poli.objects.filter(facility=facility, is_active=True)
        .annotate(
            waiting=Count(
                "tickets",
                filter=Q(tickets__date=day, tickets__status=TicketStatus.WAITING),
            )
        )
        .order_by("pcare_code")
    )
    current: dict[int, QueueTicket] = {}
    recent = QueueTicket.objects.filter(
        facility=facility,
        date=day,
        status__in=[TicketStatus.CALLED, TicketStatus.IN_SERVICE],
        called_at__isnull=False,
    ).order_by("poli_id", "-called_at", "-id")
    for ticket in recent:
        current.setdefault(ticket.poli_id, ticket)
    rows = []
    for poli in polis:
        shown = current.get(poli.pk)
        rows.append(
            {
                "poli_id": poli.pk,
                "poli": poli.name,
                "code": poli.pcare_code,
                "current": shown.label if shown else "",
                "status": shown.status if shown else "",
                "call_id": f"{shown.pk}:{shown.call_count}" if shown else "",
                "called_at": shown.called_at.isoformat() if shown and shown.called_at else "",
                "waiting": poli.waiting,
            }
        )
    return {"date": day.isoformat(), "polis": rows}
