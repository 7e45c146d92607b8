"""PCare reference lists the encounter form offers: procedures (by TKP) and DPHO drugs."""

from __future__ import annotations

from typing import Any

from django.core.cache import cache

from bridging.pcare.schemas import CareSetting

TTL = 6 * 3600


def _pcare(facility_id: int) -> Any:
    from bridging.credentials.clients import pcare_client

    return pcare_client(facility_id)


def procedure_refs(facility_id: int, tkp: str) -> list[dict[str, Any]]:
    key = f"records:tindakan:{facility_id}:{tkp}"
    found = cache.get(key)
    if found is not None:
        return list(found)
    page = _pcare(facility_id).list_procedure_refs(CareSetting(tkp), 0, 500)
    items = [
        {
            "code": p.code,
            "name": p.name or p.code,
            "max_tariff": p.max_tariff,
            "with_value": bool(p.with_value),
        }
        for p in page.items
    ]
    cache.set(key, items, TTL)
    return items


def drug_search(facility_id: int, query: str) -> list[dict[str, Any]]:
    page = _pcare(facility_id).search_drugs(query, 0, 30)
    return [{"code": d.code, "name": d.name or d.code, "stock": d.stock} for d in page.items]
