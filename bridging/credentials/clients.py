"""The typed BPJS clients for one facility, built from its stored credentials.

Each function raises ``ConfigurationError`` (nothing sent) when the credential is missing or
incomplete. ``environment`` defaults to the facility's active ``bpjs_environment``; extra keyword
arguments go to the :class:`~bridging.transport.http.Transport` (``clock``, ``session``).
"""

from __future__ import annotations

from typing import Any

from bridging.antrean import AntreanFktpClient
from bridging.credentials.config import service_config
from bridging.icare import IcareClient
from bridging.pcare import PcareClient
from bridging.vclaim import VclaimClient

__all__ = ["antrean_client", "icare_client", "pcare_client", "vclaim_client"]


def pcare_client(
    facility_id: int, environment: str | None = None, **transport_options: Any
) -> PcareClient:
    config = service_config(facility_id=facility_id, service="pcare", environment=environment)
    return PcareClient.from_config(config, **transport_options)


def antrean_client(
    facility_id: int, environment: str | None = None, **transport_options: Any
) -> AntreanFktpClient:
    config = service_config(facility_id=facility_id, service="antreanfktp", environment=environment)
    return AntreanFktpClient.from_config(config, **transport_options)


def icare_client(
    facility_id: int, environment: str | None = None, **transport_options: Any
) -> IcareClient:
    config = service_config(facility_id=facility_id, service="icare", environment=environment)
    return IcareClient.from_config(config, **transport_options)


def vclaim_client(
    facility_id: int, environment: str | None = None, **transport_options: Any
) -> VclaimClient:
    config = service_config(facility_id=facility_id, service="vclaim", environment=environment)
    return VclaimClient.from_config(config, **transport_options)
