"""Typed BPJS clients for one job's facility, handed to handlers.

``client_factory.pcare()`` (or ``client_factory("pcare")``) builds the client through
``bridging.credentials.clients``, imported lazily so the outbox does not depend on the
credentials app at import time. A handler calls ``client_factory.note_request(body)`` with the
request it sends, so the attempt log keeps a (redacted) copy whatever the outcome.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable
from typing import Any

__all__ = ["ClientFactory"]

_BUILDERS = {
    "pcare": "pcare_client",
    "antreanfktp": "antrean_client",
    "icare": "icare_client",
    "vclaim": "vclaim_client",
}


class ClientFactory:
    def __init__(
        self,
        facility_id: int,
        *,
        builders: dict[str, Callable[[int], Any]] | None = None,
    ) -> None:
        self.facility_id = facility_id
        self._builders = builders
        self._cache: dict[str, Any] = {}
        self.requests: list[Any] = []

    def __call__(self, service: str) -> Any:
        if service not in _BUILDERS:
            raise ValueError(f"unknown BPJS service {service!r}")
        if service not in self._cache:
            self._cache[service] = self._builder(service)(self.facility_id)
        return self._cache[service]

    def _builder(self, service: str) -> Callable[[int], Any]:
        if self._builders is not None and service in self._builders:
            return self._builders[service]
        module = importlib.import_module("bridging.credentials.clients")
        builder: Callable[[int], Any] = getattr(module, _BUILDERS[service])
        return builder

    def pcare(self) -> Any:
        return self("pcare")

    def antrean(self) -> Any:
        return self("antreanfktp")

    def icare(self) -> Any:
        return self("icare")

    def vclaim(self) -> Any:
        return self("vclaim")

    def secrets(self) -> list[str]:
        """The literal secrets of the clients built so far, masked wherever they appear in the
        stored attempt (the transport never puts them there; this is a second net)."""
        found: list[str] = []
        for client in self._cache.values():
            config = getattr(getattr(client, "_transport", None), "config", None)
            for name in ("secret", "user_key", "password"):
                value = getattr(config, name, "")
                if isinstance(value, str) and value:
                    found.append(value)
        return found

    def note_request(self, body: Any) -> None:
        """Keep the request for the attempt log (stored redacted, never logged)."""
        if hasattr(body, "model_dump"):
            body = body.model_dump(mode="json", by_alias=True)
        self.requests.append(body)
