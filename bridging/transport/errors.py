"""The one error hierarchy that leaves the BPJS transport and the typed clients.

Every error carries what a caller needs to decide what to do next:

* ``retryable``: trying the same call again later may succeed (network, timeout, BPJS down).
* ``maybe_applied``: BPJS may already have carried out a write although we got no answer (a
  POST/PUT/DELETE that timed out or came back garbled). The outbox must look the record up
  before creating it again.
* ``reason``: a stable English token for code, dashboards and tests (``"signature_rejected"``,
  ``"connect_failed"``...). ``message`` is Indonesian text for clinic staff that says which
  check failed and what to do; ``bpjs_message`` is BPJS's own ``metaData.message`` when there is
  one. None of them ever contains a secret or a patient identifier.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

__all__ = [
    "AuthenticationError",
    "BpjsTimeout",
    "BridgingError",
    "ConfigurationError",
    "DecryptionError",
    "FieldError",
    "InvalidResponse",
    "NetworkError",
    "NotFound",
    "Rejected",
    "ServerError",
    "classify_authentication_failure",
]


@dataclass(frozen=True)
class FieldError:
    """One ``{field, message}`` item of a BPJS 412 (or similar) answer."""

    field: str
    message: str


class BridgingError(Exception):
    """Base class. Subclasses set the defaults for ``retryable`` and ``maybe_applied``."""

    retryable: bool = False
    maybe_applied: bool = False
    default_reason: str = "bridging_error"

    def __init__(
        self,
        message: str,
        *,
        service: str = "",
        operation: str = "",
        code: str | None = None,
        http_status: int | None = None,
        field_errors: Iterable[FieldError] = (),
        retryable: bool | None = None,
        maybe_applied: bool | None = None,
        reason: str | None = None,
        bpjs_message: str | None = None,
    ) -> None:
        super().__init__(message)
        self.message = message
        self.service = service
        self.operation = operation
        self.code = code
        self.http_status = http_status
        self.field_errors: list[FieldError] = list(field_errors)
        self.reason = reason or self.default_reason
        self.bpjs_message = bpjs_message
        # Instance attributes shadow the class defaults only when given.
        if retryable is not None:
            self.retryable = retryable
        if maybe_applied is not None:
            self.maybe_applied = maybe_applied

    def __str__(self) -> str:
        where = " ".join(part for part in (self.service, self.operation) if part)
        details = [self.reason]
        if self.code is not None:
            details.append(f"code={self.code}")
        if self.http_status is not None:
            details.append(f"http={self.http_status}")
        prefix = f"[{where}] " if where else ""
        return f"{prefix}{self.message} ({', '.join(details)})"

    def __repr__(self) -> str:
        return f"{type(self).__name__}({str(self)!r})"

    def to_dict(self) -> dict[str, Any]:
        """A JSON-ready summary, for the outbox's attempt log and for the UI."""
        return {
            "type": type(self).__name__,
            "reason": self.reason,
            "message": self.message,
            "bpjs_message": self.bpjs_message,
            "service": self.service,
            "operation": self.operation,
            "code": self.code,
            "http_status": self.http_status,
            "field_errors": [{"field": f.field, "message": f.message} for f in self.field_errors],
            "retryable": self.retryable,
            "maybe_applied": self.maybe_applied,
        }


class NetworkError(BridgingError):
    """No connection could be made (DNS, refused, TLS): the request never reached BPJS."""

    retryable = True
    maybe_applied = False
    default_reason = "connect_failed"


class BpjsTimeout(BridgingError):
    """Connected, but no answer in time. For a write, BPJS may have applied it."""

    retryable = True
    maybe_applied = False
    default_reason = "read_timeout"


class ServerError(BridgingError):
    """BPJS answered with its JSON envelope but reports its own failure (5xx or code 500)."""

    retryable = True
    maybe_applied = False
    default_reason = "bpjs_server_error"


class InvalidResponse(BridgingError):
    """The answer is not a BPJS envelope (an HTML error page, truncated or non-JSON text)."""

    retryable = True
    maybe_applied = False
    default_reason = "invalid_response"


class DecryptionError(InvalidResponse):
    """The envelope was fine but ``response`` did not decrypt or decompress."""

    default_reason = "decryption_failed"


class AuthenticationError(BridgingError):
    """401: BPJS refused the cons-id, signature, timestamp, user_key or X-authorization."""

    retryable = False
    maybe_applied = False
    default_reason = "authentication_failed"


class NotFound(BridgingError):
    """Code 204 ("no data") or 404: nothing to return, or the endpoint is not enabled."""

    retryable = False
    maybe_applied = False
    default_reason = "not_found"


class Rejected(BridgingError):
    """BPJS refused the request on its merits: 412 with ``field_errors``, or a refusal code."""

    retryable = False
    maybe_applied = False
    default_reason = "rejected"


class ConfigurationError(BridgingError):
    """Credentials or URLs are missing or unusable; nothing was sent."""

    retryable = False
    maybe_applied = False
    default_reason = "configuration"


# (reason, words that identify it in BPJS's message, advice for clinic staff)
_AUTH_CHECKS: tuple[tuple[str, tuple[str, ...], str], ...] = (
    (
        "timestamp_rejected",
        ("timestamp", "waktu", "expired", "kedaluwarsa"),
        "BPJS menolak X-timestamp: jam server klinik kemungkinan tidak tepat. "
        "Sinkronkan jam server (NTP) lalu coba lagi.",
    ),
    (
        "cons_id_rejected",
        ("cons-id", "consid", "cons id", "consumer id"),
        "BPJS tidak mengenal X-cons-id. Periksa Consumer ID di pengaturan bridging.",
    ),
    (
        "user_key_rejected",
        ("user_key", "user key", "userkey"),
        "BPJS menolak user_key. Periksa user key layanan ini di pengaturan bridging.",
    ),
    (
        "authorization_rejected",
        ("authorization", "username", "password", "pengguna", "sandi"),
        "BPJS menolak X-authorization. Periksa username dan password aplikasi PCare "
        "di pengaturan bridging.",
    ),
    (
        "signature_rejected",
        ("signature", "signatur"),
        "BPJS menolak X-signature. Periksa consumer secret di pengaturan bridging; "
        "jika secret sudah benar, periksa jam server klinik.",
    ),
)


def classify_authentication_failure(
    bpjs_message: str, clock_skew_seconds: float | None = None, skew_limit: float = 120.0
) -> tuple[str, str]:
    """Tell which check BPJS refused, from its message and the clock skew we measured.

    Returns ``(reason, Indonesian advice)``. A large skew between our clock and the server's
    ``Date`` header wins over the message: a wrong clock makes BPJS report a bad signature too.
    """
    if clock_skew_seconds is not None and abs(clock_skew_seconds) > skew_limit:
        direction = "lebih cepat" if clock_skew_seconds > 0 else "lebih lambat"
        return (
            "clock_skew",
            f"Jam server klinik {direction} {abs(clock_skew_seconds):.0f} detik dibanding "
            "server BPJS. Sinkronkan jam server (NTP) lalu coba lagi.",
        )
    lowered = bpjs_message.lower()
    for reason, words, advice in _AUTH_CHECKS:
        if any(word in lowered for word in words):
            return reason, advice
    return (
        "authentication_failed",
        "BPJS menolak kredensial bridging. Periksa Consumer ID, consumer secret, user key "
        "dan (untuk PCare) username/password di pengaturan bridging, serta jam server klinik.",
    )
