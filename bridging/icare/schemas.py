"""iCare JKN request and response models (PROTOCOL.md §6)."""

from __future__ import annotations

from pydantic import Field

from bridging.pcare.base import WireModel


class IcareFktpRequest(WireModel):
    """``api/pcare/validate``: ``doctor_code`` (the PCare kdDokter) is optional."""

    card_number: str = Field(alias="param")
    doctor_code: int | None = Field(default=None, alias="kodedokter")

    def to_wire(self) -> dict[str, object]:
        body = super().to_wire()
        if body["kodedokter"] is None:
            del body["kodedokter"]
        return body


class IcareFkrtlRequest(WireModel):
    """``api/rs/validate``: the hospital's DPJP code is required."""

    card_number: str = Field(alias="param")
    doctor_code: int = Field(alias="kodedokter")


class IcareHistoryLink(WireModel):
    """A short-lived URL of the participant's cross-facility history; fetch one per view."""

    url: str = Field(alias="url")


__all__ = ["IcareFkrtlRequest", "IcareFktpRequest", "IcareHistoryLink"]
