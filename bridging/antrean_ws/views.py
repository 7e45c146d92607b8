"""HTTP plumbing of the Antrean FKTP web service BPJS calls (mounted at ``/ws/antreanfktp/``).

One entry view takes every path under the prefix and routes it itself, so that whatever
arrives (unknown path, wrong method, a body that is not JSON, a huge body, a missing header,
an internal failure) gets a well-formed ``metadata`` answer and never Django's HTML pages.
Per request: rate limit (per client address), route, token, body, the rule checks of
:mod:`bridging.antrean_ws.service`, then one :class:`InboundCall` row (endpoint, code, HTTP
status, duration; no identifiers).
"""

from __future__ import annotations

import json
import logging
import re
import time
import traceback
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.core.cache import cache
from django.http import HttpRequest, HttpResponse
from django.utils import translation
from django.views.decorators.csrf import csrf_exempt

from bridging.antrean_ws import messages as msg
from bridging.antrean_ws import ports, ratelimit, tokens
from bridging.antrean_ws.calllog import call_log
from bridging.antrean_ws.models import AntreanWsAccount, InboundCall
from bridging.antrean_ws.service import Answer, Refusal, Service, auth

log = logging.getLogger("bridging.antrean_ws")

DEFAULT_MAX_BODY_BYTES = 64 * 1024
DEFAULT_RATE_PER_SECOND = 100
DEFAULT_RATE_BURST = 500
LIMITS_CACHE_SECONDS = 10

Handler = Callable[[Service, dict[str, Any] | None, dict[str, str]], Answer]


@dataclass(frozen=True)
class Route:
    name: str
    pattern: re.Pattern[str]
    methods: dict[str, Handler]


def _route(name: str, regex: str, methods: dict[str, Handler]) -> Route:
    return Route(name, re.compile(f"^{regex}/?$"), methods)


ROUTES: tuple[Route, ...] = (
    _route(
        "antrean/status",
        r"antrean/status/(?P<kodepoli>[^/]*)/(?P<tanggal>[^/]*)",
        {"GET": lambda s, _b, p: s.status(p["kodepoli"], p["tanggal"])},
    ),
    _route(
        "v2/antrean/status",
        r"v2/antrean/status/(?P<kodepoli>[^/]*)/(?P<tanggal>[^/]*)",
        {"GET": lambda s, _b, p: s.status(p["kodepoli"], p["tanggal"], listing=True)},
    ),
    _route(
        "antrean/sisapeserta",
        r"(?:v2/)?antrean/sisapeserta/(?P<nomorkartu>[^/]*)/(?P<kodepoli>[^/]*)/(?P<tanggal>[^/]*)",
        {"GET": lambda s, _b, p: s.remaining(p["nomorkartu"], p["kodepoli"], p["tanggal"])},
    ),
    _route("antrean/batal", r"(?:v2/)?antrean/batal", {"PUT": lambda s, b, _p: s.cancel(b or {})}),
    _route("antrean", r"(?:v2/)?antrean", {"POST": lambda s, b, _p: s.book(b or {})}),
    _route("peserta", r"(?:v2/)?peserta", {"POST": lambda s, b, _p: s.register(b or {})}),
)
AUTH_ROUTE = _route("auth", r"(?:v2/)?auth", {})


class _Stop(Exception):
    def __init__(self, answer: Answer) -> None:
        self.answer = answer


def render(answer: Answer, *, headers: dict[str, str] | None = None) -> HttpResponse:
    body: dict[str, Any] = {}
    if answer.response is not None:
        body["response"] = answer.response
    body["metadata"] = {"message": answer.message, "code": answer.code}
    response = HttpResponse(
        json.dumps(body, ensure_ascii=False, separators=(",", ":")),
        status=answer.http_status,
        content_type="application/json",
    )
    for key, value in (headers or {}).items():
        response[key] = value
    return response


def client_address(request: HttpRequest) -> str:
    """The caller's address; behind the production proxy, its X-Real-IP header."""
    if getattr(settings, "PRODUCTION", False) or getattr(
        settings, "ANTREAN_WS_TRUST_X_REAL_IP", False
    ):
        real = request.META.get("HTTP_X_REAL_IP")
        if real:
            return str(real).strip()[:45]
    return str(request.META.get("REMOTE_ADDR") or "")[:45]


def _limits(username: str) -> tuple[float, int]:
    """The account's rate limit (cached a few seconds), or the installation's defaults."""
    default = (
        float(getattr(settings, "ANTREAN_WS_RATE_PER_SECOND", DEFAULT_RATE_PER_SECOND)),
        int(getattr(settings, "ANTREAN_WS_RATE_BURST", DEFAULT_RATE_BURST)),
    )
    if not username or len(username) > 100:
        return default
    key = f"antrean_ws:limits:{username}"
    cached = cache.get(key)
    if cached is None:
        row = (
            AntreanWsAccount.objects.filter(username=username)
            .values_list("rate_per_second", "rate_burst")
            .first()
        )
        cached = (float(row[0]), int(row[1])) if row else default
        cache.set(key, cached, LIMITS_CACHE_SECONDS)
    return cached


def forget_limits(username: str) -> None:
    cache.delete(f"antrean_ws:limits:{username}")


def _read_body(request: HttpRequest) -> dict[str, Any]:
    limit = int(getattr(settings, "ANTREAN_WS_MAX_BODY_BYTES", DEFAULT_MAX_BODY_BYTES))
    try:
        declared = int(request.META.get("CONTENT_LENGTH") or 0)
    except ValueError:
        declared = 0
    if declared > limit:
        raise _Stop(Answer(201, msg.TOO_LARGE, http_status=413))
    raw = request.read(limit + 1)
    if len(raw) > limit:
        raise _Stop(Answer(201, msg.TOO_LARGE, http_status=413))
    try:
        data = json.loads(raw.decode("utf-8")) if raw.strip() else {}
    except (UnicodeDecodeError, ValueError, RecursionError):
        raise _Stop(Answer(201, msg.NOT_JSON, http_status=400)) from None
    if not isinstance(data, dict):
        raise _Stop(Answer(201, msg.NOT_OBJECT, http_status=400))
    return data


@dataclass
class _Call:
    endpoint: str = "unknown"
    facility_id: int | None = None
    headers: dict[str, str] | None = None


def _handle(request: HttpRequest, path: str, call: _Call) -> Answer:
    method = request.method or "GET"
    username = request.headers.get("x-username", "").strip()
    rate, burst = _limits(username)
    if not ratelimit.allow(f"addr:{client_address(request)}", rate=rate, burst=burst):
        call.endpoint = "rate-limited"
        call.headers = {"Retry-After": "1"}
        return Answer(201, msg.RATE_LIMITED, http_status=429)

    if AUTH_ROUTE.pattern.match(path):
        call.endpoint = f"{method} auth"
        if method != "GET":
            call.headers = {"Allow": "GET"}
            return Answer(201, msg.METHOD_NOT_ALLOWED, http_status=405)
        account, answer = auth(username, request.headers.get("x-password", ""))
        call.facility_id = account.facility_id if account else None
        return answer

    for route in ROUTES:
        match = route.pattern.match(path)
        if match is None:
            continue
        call.endpoint = f"{method} {route.name}"
        handler = route.methods.get(method)
        if handler is None:
            call.headers = {"Allow": ", ".join(route.methods)}
            return Answer(201, msg.METHOD_NOT_ALLOWED, http_status=405)
        try:
            account = tokens.verify(request.headers.get("x-token", "").strip(), username=username)
        except tokens.TokenRejected as exc:
            return Answer(201, exc.message)
        call.facility_id = account.facility_id
        body = _read_body(request) if method in ("POST", "PUT") else None
        return handler(Service(ports.get_port(), account), body, match.groupdict())
    return Answer(201, msg.NOT_FOUND, http_status=404)


def _log(call: _Call, answer: Answer, duration_ms: float, address: str) -> None:
    call_log.add(
        InboundCall(
            facility_id=call.facility_id,
            endpoint=call.endpoint[:40],
            http_status=answer.http_status,
            code=answer.code,
            duration_ms=round(duration_ms, 2),
            client_address=address,
        )
    )


@csrf_exempt
def endpoint(request: HttpRequest, path: str = "") -> HttpResponse:
    started = time.perf_counter()
    call = _Call()
    with translation.override("id"):
        try:
            answer = _handle(request, path, call)
        except _Stop as stop:
            answer = stop.answer
        except Refusal as refusal:
            answer = Answer(refusal.code, refusal.message)
        except ports.PortBusy:
            answer = Answer(201, msg.BUSY)
        except ports.PortError as exc:
            answer = Answer(201, str(exc) or msg.INTERNAL)
        except Exception as exc:
            # The frames only: an exception's message may quote a card number or a NIK.
            frames = "".join(traceback.format_tb(exc.__traceback__))
            log.error(
                "antrean_ws: %s failed with %s\n%s", call.endpoint, type(exc).__name__, frames
            )
            answer = Answer(201, msg.INTERNAL)
    response = render(answer, headers=call.headers)
    _log(call, answer, (time.perf_counter() - started) * 1000, client_address(request))
    return response


def is_ws_path(path: str) -> bool:
    return path == "/ws/antreanfktp" or path.startswith("/ws/antreanfktp/")


def bad_request(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    """Django's own 400 on the web service's paths (a Host header outside ALLOWED_HOSTS, a
    request Django refuses before any view): still a ``metadata`` answer, never an HTML page,
    and logged for the monitor page."""
    call = _Call()
    call.endpoint = "bad request"
    answer = Answer(201, msg.BAD_REQUEST, http_status=400)
    _log(call, answer, 0.0, client_address(request))
    return render(answer)


def ping(request: HttpRequest) -> HttpResponse:
    return render(Answer(200, msg.OK, {"pong": True}))
