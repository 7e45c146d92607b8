"""The typed VClaim client: peserta, rujukan and SEP 2.0 (PROTOCOL.md §7, §7.1).

Look-ups that may find nothing return ``None`` when VClaim answers code "201" (its "no data"
answer, e.g. "Peserta tidak ditemukan"): :meth:`get_participant`,
:meth:`get_participant_by_nik`, :meth:`get_referral`, :meth:`get_referral_by_card` and their
hospital (``RS``) variants. Writes return :class:`~bridging.vclaim.schemas.SepResult`; a refusal
(code "201") raises :class:`~bridging.transport.errors.Rejected` with VClaim's message.
"""

from __future__ import annotations

import json
import re
from datetime import date
from typing import TYPE_CHECKING, Any, ClassVar

from bridging.pcare.base import ServiceClient, format_iso, segment
from bridging.transport.crypto import decrypt_payload
from bridging.transport.errors import DecryptionError
from bridging.vclaim.schemas import (
    Participant,
    ParticipantEnvelope,
    Referral,
    ReferralEnvelope,
    ReferralListEnvelope,
    SepDelete,
    SepEnvelope,
    SepInsert,
    SepNumberAnswer,
    SepResult,
    SepUpdate,
)

if TYPE_CHECKING:
    from bridging.transport.http import BpjsResponse

_LOOKUP_OK = frozenset({"200", "201"})
_NO_DATA = "201"
# An SEP number: PPK (8) + MMYY + "V" + 6 digits (PROTOCOL.md §7.1 G, an inference).
_SEP_NUMBER = re.compile(r"^[0-9A-Z]{8}(0[1-9]|1[0-2])[0-9]{2}V[0-9]{6}$")


class VclaimClient(ServiceClient):
    """VClaim (FKRTL) over a transport for service ``vclaim``."""

    service: ClassVar[str] = "vclaim"
    service_label: ClassVar[str] = "VClaim"

    def _lookup(self, path: str, operation: str) -> BpjsResponse | None:
        response = self._request("GET", path, operation=operation, ok_codes=_LOOKUP_OK)
        if response.code == _NO_DATA or response.data is None:
            return None
        return response

    # --- peserta -----------------------------------------------------------------------------

    def get_participant(self, card_number: str, service_date: date) -> Participant | None:
        """The participant with this card on ``service_date``, or ``None`` (code "201")."""
        operation = "get_participant"
        path = f"Peserta/nokartu/{segment(card_number)}/tglSEP/{format_iso(service_date)}"
        return self._participant(path, operation)

    def get_participant_by_nik(self, nik: str, service_date: date) -> Participant | None:
        """The participant with this NIK on ``service_date``, or ``None`` (code "201")."""
        operation = "get_participant_by_nik"
        path = f"Peserta/nik/{segment(nik)}/tglSEP/{format_iso(service_date)}"
        return self._participant(path, operation)

    def _participant(self, path: str, operation: str) -> Participant | None:
        response = self._lookup(path, operation)
        if response is None:
            return None
        envelope: ParticipantEnvelope = self._parse(
            ParticipantEnvelope, response.data, response=response, operation=operation
        )
        return envelope.participant

    # --- rujukan -----------------------------------------------------------------------------

    def get_referral(self, referral_number: str) -> Referral | None:
        """A referral from an FKTP (a PCare visit number), or ``None`` (code "201")."""
        return self._referral(f"Rujukan/{segment(referral_number)}", "get_referral")

    def get_hospital_referral(self, referral_number: str) -> Referral | None:
        """A referral from a hospital, or ``None`` (code "201")."""
        return self._referral(f"Rujukan/RS/{segment(referral_number)}", "get_hospital_referral")

    def get_referral_by_card(self, card_number: str) -> Referral | None:
        """The participant's FKTP referral (one record), or ``None`` (code "201")."""
        path = f"Rujukan/Peserta/{segment(card_number)}"
        return self._referral(path, "get_referral_by_card")

    def get_hospital_referral_by_card(self, card_number: str) -> Referral | None:
        """The participant's hospital referral (one record), or ``None`` (code "201")."""
        path = f"Rujukan/RS/Peserta/{segment(card_number)}"
        return self._referral(path, "get_hospital_referral_by_card")

    def list_referrals_by_card(self, card_number: str) -> list[Referral]:
        """All the participant's FKTP referrals (empty on code "201")."""
        operation = "list_referrals_by_card"
        response = self._lookup(f"Rujukan/List/Peserta/{segment(card_number)}", operation)
        if response is None:
            return []
        envelope: ReferralListEnvelope = self._parse(
            ReferralListEnvelope, response.data, response=response, operation=operation
        )
        return envelope.referrals

    def _referral(self, path: str, operation: str) -> Referral | None:
        response = self._lookup(path, operation)
        if response is None:
            return None
        envelope: ReferralEnvelope = self._parse(
            ReferralEnvelope, response.data, response=response, operation=operation
        )
        return envelope.referral

    # --- SEP 2.0 -----------------------------------------------------------------------------

    def insert_sep(self, request: SepInsert) -> SepResult:
        """Issue an SEP; returns its number and the SEP as VClaim describes it."""
        operation = "insert_sep"
        response = self._request(
            "POST", "SEP/2.0/insert", operation=operation, body=request.to_wire()
        )
        envelope: SepEnvelope = self._parse(
            SepEnvelope, response.data, response=response, operation=operation, write=True
        )
        return SepResult(sep_number=envelope.sep.sep_number, sep=envelope.sep)

    def update_sep(self, request: SepUpdate) -> SepResult:
        """Change an issued SEP; returns its number."""
        operation = "update_sep"
        # The answer is the noSep string, plain or encrypted (UNCONFIRMED): read it raw.
        response = self._request(
            "PUT", "SEP/2.0/update", operation=operation, body=request.to_wire(), decrypt=False
        )
        return SepResult(sep_number=self._sep_number(response, operation, request.sep_number))

    def delete_sep(self, sep_number: str, user: str) -> SepResult:
        """Delete an SEP; returns its number."""
        operation = "delete_sep"
        body = SepDelete(sep_number=sep_number, user=user).to_wire()
        # The answer is the plain noSep string (never encrypted).
        response = self._request(
            "DELETE", "SEP/2.0/delete", operation=operation, body=body, decrypt=False
        )
        return SepResult(sep_number=self._sep_number(response, operation, sep_number))

    def _sep_number(self, response: BpjsResponse, operation: str, expected: str) -> str:
        """The noSep string VClaim answers: used as it is when it looks like one, else decrypted."""
        data: Any = response.data
        if isinstance(data, str) and data.strip():
            value = data.strip().strip('"')
            if _SEP_NUMBER.match(value) or value == expected:
                return value
            value = self._decrypt(response, operation, value)
            if _SEP_NUMBER.match(value) or value == expected:
                return value
            raise self._invalid(
                response, operation, "nomor SEP di jawaban tidak dikenali", maybe_applied=True
            )
        if isinstance(data, dict):
            answer: SepNumberAnswer = self._parse(
                SepNumberAnswer, data, response=response, operation=operation, write=True
            )
            return answer.sep_number
        # Some answers carry no body at all; the request named the SEP.
        return expected

    def _decrypt(self, response: BpjsResponse, operation: str, data: str) -> str:
        config = self.transport.config
        try:
            text = decrypt_payload(
                data, cons_id=config.cons_id, secret=config.secret, timestamp=response.timestamp
            )
        except DecryptionError:
            raise self._invalid(
                response, operation, "nomor SEP di jawaban tidak terbaca", maybe_applied=True
            ) from None
        try:
            parsed = json.loads(text)
        except ValueError:
            parsed = text
        return str(parsed).strip()
