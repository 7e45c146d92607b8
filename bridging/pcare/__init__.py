"""Typed PCare client: ``PcareClient`` and the models in ``bridging.pcare.schemas``."""

from bridging.pcare.client import PcareClient

__all__ = ["PcareClient"]
