"""The typed Antrean FKTP client: the web service BPJS hosts (PROTOCOL.md §5.2).

The credentials are PCare's (cons-id, secret); the user_key may be a distinct Antrean FKTP key,
which the :class:`~bridging.transport.http.ServiceConfig` carries. No X-authorization is sent.

Reference reads answer code 1 (or 200). A date with no published schedule (Sunday, a holiday)
answers 201 "No Content": :meth:`list_polis` and :meth:`list_doctors` return an empty list for
it. Writes return ``None`` (BPJS gives back no identifier); a refusal (code 201) raises
:class:`~bridging.transport.errors.Rejected` with BPJS's message.
"""

from __future__ import annotations

from datetime import date
from typing import ClassVar

from bridging.antrean.schemas import (
    QueueAddRequest,
    QueueCallRequest,
    QueueCancelRequest,
    QueueDoctor,
    QueuePoli,
)
from bridging.pcare.base import ServiceClient, format_iso, segment

_REF_OK = frozenset({"1", "200", "201"})
_NO_SCHEDULE = "201"


class AntreanFktpClient(ServiceClient):
    """Antrean FKTP (BPJS side) over a transport for service ``antreanfktp``."""

    service: ClassVar[str] = "antreanfktp"
    service_label: ClassVar[str] = "Antrean FKTP"

    def list_polis(self, visit_date: date) -> list[QueuePoli]:
        """Polis with a published schedule on ``visit_date`` (empty when none)."""
        operation = "list_polis"
        response = self._request(
            "GET",
            f"ref/poli/tanggal/{format_iso(visit_date)}",
            operation=operation,
            ok_codes=_REF_OK,
        )
        if response.code == _NO_SCHEDULE:
            return []
        return self._parse_list(QueuePoli, response, operation)

    def list_doctors(self, poli_code: str, visit_date: date) -> list[QueueDoctor]:
        """Doctors' sessions of a poli on ``visit_date`` (empty when none)."""
        operation = "list_doctors"
        path = f"ref/dokter/kodepoli/{segment(poli_code)}/tanggal/{format_iso(visit_date)}"
        response = self._request("GET", path, operation=operation, ok_codes=_REF_OK)
        if response.code == _NO_SCHEDULE:
            return []
        return self._parse_list(QueueDoctor, response, operation)

    def add_queue(self, request: QueueAddRequest) -> None:
        """Register in Mobile JKN a queue number the clinic issued."""
        self._request("POST", "antrean/add", operation="add_queue", body=request.to_wire())

    def call_queue(self, request: QueueCallRequest) -> None:
        """Report that the patient was called: present (1) or no-show (2)."""
        self._request("POST", "antrean/panggil", operation="call_queue", body=request.to_wire())

    def cancel_queue(self, request: QueueCancelRequest) -> None:
        """Cancel a queue entry the clinic added."""
        self._request("POST", "antrean/batal", operation="cancel_queue", body=request.to_wire())
