"""The typed iCare JKN client (PROTOCOL.md §6).

FKTP clinics call :meth:`IcareClient.history_link_fktp` (``api/pcare/validate``, with the PCare
X-authorization and user_key); hospitals call :meth:`IcareClient.history_link_fkrtl`
(``api/rs/validate``, no X-authorization, the VClaim user_key). Both send
``Content-Type: Application/json``. An unknown or inactive card is refused by BPJS (code 412):
:class:`~bridging.transport.errors.Rejected` with its message.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, ClassVar

from bridging.icare.schemas import IcareFkrtlRequest, IcareFktpRequest, IcareHistoryLink
from bridging.pcare.base import ServiceClient

if TYPE_CHECKING:
    from bridging.transport.http import BpjsResponse

_CONTENT_TYPE = "Application/json"


class IcareClient(ServiceClient):
    """iCare over a transport for service ``icare``."""

    service: ClassVar[str] = "icare"
    service_label: ClassVar[str] = "iCare"

    def history_link_fktp(
        self, card_number: str, doctor_code: int | None = None
    ) -> IcareHistoryLink:
        """The URL of the participant's history, for an FKTP (PCare credentials)."""
        operation = "history_link_fktp"
        request = IcareFktpRequest(card_number=card_number, doctor_code=doctor_code)
        response = self._request(
            "POST",
            "api/pcare/validate",
            operation=operation,
            body=request.to_wire(),
            authorization=True,
            content_type=_CONTENT_TYPE,
        )
        return self._link(response, operation)

    def history_link_fkrtl(self, card_number: str, doctor_code: int) -> IcareHistoryLink:
        """The URL of the participant's history, for a hospital (VClaim credentials)."""
        operation = "history_link_fkrtl"
        request = IcareFkrtlRequest(card_number=card_number, doctor_code=doctor_code)
        response = self._request(
            "POST",
            "api/rs/validate",
            operation=operation,
            body=request.to_wire(),
            content_type=_CONTENT_TYPE,
        )
        return self._link(response, operation)

    def _link(self, response: BpjsResponse, operation: str) -> IcareHistoryLink:
        link: IcareHistoryLink = self._parse(
            IcareHistoryLink, response.data, response=response, operation=operation
        )
        return link
