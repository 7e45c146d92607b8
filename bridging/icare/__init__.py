"""Typed iCare JKN client: ``IcareClient``."""

from bridging.icare.client import IcareClient

__all__ = ["IcareClient"]
