"""The handler registry: one ``Handler`` per operation name, registered by the app that owns
the data (in its ``AppConfig.ready``).

A handler turns a job (its subject ids, optionally its payload) into one call of a typed BPJS
client, and back: ``send`` does the write, ``reconcile`` looks it up after an ambiguous failure,
``on_sent`` stores the result on the clinic's own record.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, TypeVar

if TYPE_CHECKING:
    from bridging.outbox.clients import ClientFactory
    from bridging.outbox.models import SyncJob

__all__ = [
    "Handler",
    "HandlerNotFound",
    "SendResult",
    "get_handler",
    "handler_names",
    "operation_label",
    "register_handler",
    "unregister_handler",
]


@dataclass(frozen=True)
class SendResult:
    """What a write gave back: the remote number (queue number, visit number, SEP number; may be
    empty when BPJS returns none) and the response, which the outbox stores redacted."""

    remote_id: str
    response: dict[str, Any] = field(default_factory=dict)


class Handler:
    """Base class. Subclasses implement ``send``; override ``reconcile`` for every write that
    BPJS would apply twice (a create): without it, an ambiguous failure is simply re-sent."""

    name: str = ""
    # Words for staff, e.g. "Pendaftaran PCare"; the operation name when empty.
    label: str = ""

    def send(self, job: SyncJob, client_factory: ClientFactory) -> SendResult:
        raise NotImplementedError

    def reconcile(self, job: SyncJob, client_factory: ClientFactory) -> SendResult | None:
        """After a failure that BPJS may have applied: the record if BPJS already has it, else
        ``None`` (the outbox then sends it). Raise a ``BridgingError`` if BPJS cannot tell."""
        return None

    def on_sent(self, job: SyncJob, result: SendResult) -> None:
        """Runs in the transaction that marks the job sent (store the remote number)."""


class HandlerNotFound(LookupError):
    pass


_REGISTRY: dict[str, Handler] = {}

H = TypeVar("H", bound=type[Handler])


def register_handler(name: str) -> Callable[[H], H]:
    """Class decorator: ``@register_handler("pcare.pendaftaran.add")``.

    Registering the same class again (a module imported twice) is harmless; a different class
    under a name already taken is a programming error.
    """

    def decorator(cls: H) -> H:
        existing = _REGISTRY.get(name)
        if existing is not None and type(existing).__qualname__ != cls.__qualname__:
            raise ValueError(f"outbox handler {name!r} is already registered")
        instance = cls()
        instance.name = name
        _REGISTRY[name] = instance
        return cls

    return decorator


def unregister_handler(name: str) -> None:
    """For tests that register a fake handler."""
    _REGISTRY.pop(name, None)


def get_handler(name: str) -> Handler:
    try:
        return _REGISTRY[name]
    except KeyError:
        raise HandlerNotFound(name) from None


def operation_label(name: str) -> str:
    """The handler's label for staff, or the operation name itself."""
    handler = _REGISTRY.get(name)
    return (handler.label if handler is not None else "") or name


def handler_names() -> list[str]:
    return sorted(_REGISTRY)
