"""PCare reference lists the encounter form offers: procedures (by TKP) and DPHO drugs."""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from typing import Any, TypeVar

from django.core.cache import cache

from bridging.pcare.schemas import CareSetting
from bridging.transport.errors import BridgingError

TTL = 6 * 3600
# After a failure the page does not wait on PCare again for this long.
DOWN_TTL = 60
# A page waits at most this long on a PCare read (no retries).
UI_READ_TIMEOUT = 8.0

T = TypeVar("T")


def ui_pcare(facility_id: int) -> Any:
    """A PCare client for reads a page waits on: short timeout, no retries."""
    from bridging.credentials import service_config
    from bridging.pcare import PcareClient

    config = service_config(facility_id=facility_id, service="pcare")
    config = dataclasses.replace(
        config,
        connect_timeout=min(config.connect_timeout, 3.0),
        read_timeout=min(config.read_timeout, UI_READ_TIMEOUT),
        read_retries=0,
    )
    return PcareClient.from_config(config)


def cached_read(key: str, fetch: Callable[[], T], ttl: int = TTL) -> T:
    """``fetch()`` cached for ``ttl``; a failure is remembered for a minute, so a page
    never waits twice in a row on a PCare that is down."""
    found = cache.get(key)
    if found is not None:
        if isinstance(found, dict) and "__down__" in found:
            raise BridgingError(str(found["__down__"]), service="pcare", reason="recently_down")
        return found
    try:
        value = fetch()
    except BridgingError as exc:
        cache.set(key, {"__down__": exc.message}, DOWN_TTL)
        raise
    cache.set(key, value, ttl)
    return value


def _pcare(facility_id: int) -> Any:
    return ui_pcare(facility_id)


def procedure_refs(facility_id: int, tkp: str) -> list[dict[str, Any]]:
    def fetch() -> list[dict[str, Any]]:
        page = _pcare(facility_id).list_procedure_refs(CareSetting(tkp), 0, 500)
        return [
            {
                "code": p.code,
                "name": p.name or p.code,
                "max_tariff": p.max_tariff,
                "with_value": bool(p.with_value),
            }
            for p in page.items
        ]

    return list(cached_read(f"records:tindakan:{facility_id}:{tkp}", fetch))


def drug_search(facility_id: int, query: str) -> list[dict[str, Any]]:
    page = _pcare(facility_id).search_drugs(query, 0, 30)
    return [{"code": d.code, "name": d.name or d.code, "stock": d.stock} for d in page.items]
