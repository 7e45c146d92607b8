"""Per-request context: a request id and the client address, for the audit log."""

from __future__ import annotations

import contextvars
import uuid
from collections.abc import Callable

from django.http import HttpRequest, HttpResponse

_current_request: contextvars.ContextVar[HttpRequest | None] = contextvars.ContextVar(
    "current_request", default=None
)


def current_request() -> HttpRequest | None:
    return _current_request.get()


def client_ip(request: HttpRequest) -> str | None:
    """The client address. Behind a proxy, trust only the proxy's own X-Real-IP header."""
    from django.conf import settings

    if getattr(settings, "PRODUCTION", False):
        real = request.META.get("HTTP_X_REAL_IP")
        if real:
            return str(real).strip()
    addr = request.META.get("REMOTE_ADDR")
    return str(addr) if addr else None


class RequestContextMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        request.request_id = request.headers.get("X-Request-ID") or uuid.uuid4().hex  # type: ignore[attr-defined]
        token = _current_request.set(request)
        try:
            response = self.get_response(request)
        finally:
            _current_request.reset(token)
        response["X-Request-ID"] = request.request_id  # type: ignore[attr-defined]
        return response
