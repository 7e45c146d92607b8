"""Typed VClaim client: ``VclaimClient``."""

from bridging.vclaim.client import VclaimClient

__all__ = ["VclaimClient"]
