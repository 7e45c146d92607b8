"""BPJS credentials per facility, environment and service (a Django app, label ``credentials``).

    from bridging.credentials import service_config
    config = service_config(facility_id=visit.facility_id, service="pcare")

    from bridging.credentials.clients import pcare_client
    participant = pcare_client(facility_id).get_participant(card)

Importing this package loads no models, so it is safe from settings and app registries.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from bridging.transport.http import ServiceConfig

__all__ = ["service_config"]


def service_config(
    *, facility_id: int, service: str, environment: str | None = None
) -> ServiceConfig:
    """See :func:`bridging.credentials.config.service_config`."""
    from bridging.credentials.config import service_config as build

    return build(facility_id=facility_id, service=service, environment=environment)
