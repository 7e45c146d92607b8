"""Typed Antrean FKTP client (BPJS side): ``AntreanFktpClient``."""

from bridging.antrean.client import AntreanFktpClient

__all__ = ["AntreanFktpClient"]
