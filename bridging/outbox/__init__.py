"""The outbox: the only road for writes to BPJS (see docs/outbox.md).

``enqueue`` (in ``services``) needs the app registry, so it is imported on first use; the
handler API has no such need.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from bridging.outbox.handlers import Handler, SendResult, register_handler

if TYPE_CHECKING:
    from bridging.outbox.services import enqueue, job_cancel, job_retry, service_pause

__all__ = [
    "Handler",
    "SendResult",
    "enqueue",
    "job_cancel",
    "job_retry",
    "register_handler",
    "service_pause",
]

_LAZY = {"enqueue", "job_cancel", "job_retry", "service_pause"}


def __getattr__(name: str) -> Any:
    if name in _LAZY:
        from bridging.outbox import services

        return getattr(services, name)
    raise AttributeError(f"module 'bridging.outbox' has no attribute {name!r}")
