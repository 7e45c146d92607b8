"""The sandbox WSGI application: routing, authentication, envelopes, faults, request log."""

from __future__ import annotations

import base64
import binascii
import email.utils
import hmac
import json
import logging
import os
import re
import threading
import time
from collections.abc import Callable, Iterable
from typing import Any

from bridging.sandbox import antrean, control, icare, pcare, vclaim
from bridging.sandbox.core import (
    SERVICE_BASES,
    Call,
    Rejection,
    Reply,
    default_settings,
    iso_now,
)
from bridging.sandbox.data import (
    APP_CODE,
    CONS_ID,
    CONSUMER_SECRET,
    PCARE_PASSWORD,
    PCARE_USERNAME,
    TRIGGER_HANG,
    TRIGGER_HTML_500,
    USER_KEY,
)
from bridging.sandbox.faults import DEFAULT_HANG_SECONDS, FaultPlan, default_faults
from bridging.sandbox.store import Store
from bridging.sandbox.web import Environ, Request, Response, Router, StartResponse
from bridging.transport import crypto

logger = logging.getLogger(__name__)

CONTROL_TOKEN_ENV = "BPJS_SANDBOX_CONTROL_TOKEN"
TRIGGER_HANG_SECONDS = 65.0
CARD_KEYS = frozenset({"nokartu", "nomorkartu", "param"})

IIS_500_PAGE = """<!DOCTYPE html>
<html>
<head><title>Runtime Error</title>
<style>body {font-family:"Verdana";font-weight:normal;font-size: .7em;color:black;}
H1 { font-family:"Verdana";font-weight:normal;font-size:18pt;color:red }
H2 { font-family:"Verdana";font-weight:normal;font-size:14pt;color:maroon }</style>
</head>
<body bgcolor="white">
<span><H1>Server Error in '/' Application.<hr width=100% size=1 color=silver></H1>
<h2> <i>Runtime Error</i> </h2></span>
<b> Description: </b>An application error occurred on the server. The current custom error
settings for this application prevent the details of the application error from being viewed
remotely (for security reasons).<br><br>
<hr width=100% size=1 color=silver>
<b>Version Information:</b>&nbsp;Microsoft .NET Framework Version:4.0.30319;
ASP.NET Version:4.8.4667.0
</body>
</html>
"""
GATEWAY_TIMEOUT_PAGE = (
    "<html><head><title>504 Gateway Time-out</title></head><body>"
    "<center><h1>504 Gateway Time-out</h1></center></body></html>"
)
NOT_FOUND_PAGE = (
    "<!DOCTYPE html><html><head><title>404 - File or directory not found.</title></head>"
    "<body><h2>404 - File or directory not found.</h2><h3>The resource you are looking for "
    "might have been removed, had its name changed, or is temporarily unavailable.</h3>"
    "</body></html>"
)

_LONG_NUMBER = re.compile(r"\d{10,}")


def redact_path(path: str) -> str:
    """Card numbers, NIKs and other long numbers keep only their last 4 digits."""
    return _LONG_NUMBER.sub(lambda m: "*" * (len(m.group()) - 4) + m.group()[-4:], path)


def _find_cards(value: Any, found: set[str]) -> None:
    if isinstance(value, dict):
        for key, item in value.items():
            if isinstance(item, str) and key.lower() in CARD_KEYS:
                found.add(item)
            else:
                _find_cards(item, found)
    elif isinstance(value, list):
        for item in value:
            _find_cards(item, found)


class SandboxApp:
    """WSGI callable; state in its own SQLite file (``db_path``)."""

    def __init__(
        self,
        db_path: str,
        *,
        control_token: str | None = None,
        clock: Callable[[], float] = time.time,
    ) -> None:
        self.store = Store(db_path)
        self.clock = clock
        self.control_token = control_token or os.environ.get(CONTROL_TOKEN_ENV) or None
        stored = self.store.get_kv("faults")
        self.faults = FaultPlan(stored or default_faults())
        self._faults_lock = threading.Lock()
        self.routers: dict[str, Router] = {name: Router() for name in SERVICE_BASES.values()}
        pcare.register(self.routers["pcare"])
        antrean.register(self.routers["antreanfktp"])
        icare.register(self.routers["icare"])
        vclaim.register(self.routers["vclaim"])
        self.control_router = Router()
        control.register(self.control_router)

    # ---- clock, settings, faults ----------------------------------------------------------
    def clock_offset(self) -> float:
        return float(self.store.get_kv("clock_offset", 0.0))

    def now(self) -> float:
        return self.clock() + self.clock_offset()

    def settings(self) -> dict[str, Any]:
        settings = default_settings()
        settings.update(self.store.get_kv("settings", {}))
        return settings

    def set_faults(self, faults: dict[str, Any] | None) -> None:
        with self._faults_lock:
            if faults is None:
                self.store.delete_kv("faults")
                self.faults.replace(default_faults())
            else:
                self.store.set_kv("faults", faults)
                self.faults.replace(faults)

    def reset(self) -> None:
        self.store.reset()
        self.faults.replace(default_faults())

    # ---- WSGI ------------------------------------------------------------------------------
    def __call__(self, environ: Environ, start_response: StartResponse) -> Iterable[bytes]:
        request = Request(environ)
        response = self.dispatch(request)
        date = email.utils.formatdate(self.now(), usegmt=True)
        return response.send(start_response, [("Date", date)])

    def dispatch(self, request: Request) -> Response:
        path = request.path
        segments = path.strip("/").split("/", 1)
        base = segments[0]
        rest = segments[1] if len(segments) > 1 else ""
        if base == "_sandbox":
            return control.dispatch(self, request, rest)
        service = SERVICE_BASES.get(base.lower())
        if service is None:
            return Response.html(NOT_FOUND_PAGE, status=404)
        started = time.monotonic()
        response, code, verdict = self._serve(request, service, rest)
        self.store.log_request(
            at=iso_now(self.now()),
            service=service,
            method=request.method,
            path=redact_path(path),
            status=response.status,
            code=code,
            verdict=verdict,
            duration_ms=(time.monotonic() - started) * 1000,
        )
        return response

    # ---- one service request ---------------------------------------------------------------
    def _serve(self, request: Request, service: str, rest: str) -> tuple[Response, str | None, str]:
        settings = self.settings()
        now = self.now()
        router = self.routers[service]
        route, params, path_known = router.match(request.method, rest)
        failure = self._authenticate(request, service, rest, settings, now)
        if failure is not None:
            reply = Reply(code=401, message=failure, plain=None)
            return self._render(service, reply, None, settings), str(reply.code), "auth_failed"
        call = Call(
            app=self,
            request=request,
            service=service,
            path=rest,
            params=params,
            timestamp=request.header("x-timestamp") or "",
            now=now,
            settings=settings,
        )
        if route is None:
            status = 405 if path_known else 404
            message = "Method tidak diizinkan" if path_known else "Endpoint tidak ditemukan"
            reply = Reply(code=status, message=message, plain=None)
            return self._render(service, reply, call, settings), str(status), "no_route"

        trigger = self._trigger(rest, call)
        if trigger == TRIGGER_HTML_500:
            return Response.html(IIS_500_PAGE, status=500), None, "trigger_html_500"
        if trigger == TRIGGER_HANG:
            time.sleep(TRIGGER_HANG_SECONDS)
            return Response.html(GATEWAY_TIMEOUT_PAGE, status=504), None, "trigger_hang"

        fault = None
        if self.faults.applies_to(service):
            latency = float(self.faults.faults.get("latency_ms") or 0)
            if latency:
                time.sleep(latency / 1000)
            fault = self.faults.draw()
        if fault == "timeout":
            hang = float(self.faults.faults.get("hang_seconds", DEFAULT_HANG_SECONDS))
            applied = request.method != "GET" and self.faults.applied_before_timeout()
            if applied:
                self._run(route.handler, call)
            time.sleep(hang)
            verdict = "fault_timeout_applied" if applied else "fault_timeout"
            return Response.html(GATEWAY_TIMEOUT_PAGE, status=504), None, verdict
        if fault == "error":
            reply = Reply(code=500, message="Internal Server Error", plain=[])
            return self._render(service, reply, call, settings), "500", "fault_error"
        if fault == "html_error":
            return Response.html(IIS_500_PAGE, status=500), None, "fault_html_error"

        reply = self._run(route.handler, call)
        if fault == "garbled":
            return self._garbled(service, reply, call, settings), str(reply.code), "fault_garbled"
        return self._render(service, reply, call, settings), str(reply.code), _verdict(reply)

    def _run(self, handler: Callable[[Call], Reply], call: Call) -> Reply:
        try:
            return handler(call)
        except Rejection as exc:
            return rejection_reply(call, exc)
        except Exception:  # a sandbox bug must still answer in the service's envelope
            logger.exception("sandbox handler failed: %s %s", call.service, call.request.method)
            return Reply(code=500, message="Internal Server Error (sandbox)", plain=[])

    def _trigger(self, rest: str, call: Call) -> str | None:
        cards = set(rest.split("/"))
        if call.request.method != "GET":
            _find_cards(call.body(), cards)
        for trigger in (TRIGGER_HTML_500, TRIGGER_HANG):
            if trigger in cards:
                return trigger
        return None

    # ---- authentication (SANDBOX.md order) ----------------------------------------------
    def _authenticate(
        self, request: Request, service: str, rest: str, settings: dict[str, Any], now: float
    ) -> str | None:
        if request.header("x-cons-id") != CONS_ID:
            return "X-cons-id tidak dikenal"
        timestamp = request.header("x-timestamp") or ""
        expected = crypto.sign(CONS_ID, CONSUMER_SECRET, timestamp)
        signature = request.header("x-signature") or ""
        if not hmac.compare_digest(signature.encode(), expected.encode()):
            return "Signature tidak valid"
        window = int(settings["timestamp_window_seconds"])
        if not timestamp.isdigit() or abs(int(timestamp) - now) > window:
            return "Timestamp di luar batas waktu"
        wanted_key = settings["antrean_fktp_user_key"] if service == "antreanfktp" else USER_KEY
        if not hmac.compare_digest(
            (request.header("user_key") or "").encode(), wanted_key.encode()
        ):
            return "user_key tidak valid"
        needs_authorization = service == "pcare" or (
            service == "icare" and rest.strip("/").lower().startswith("api/pcare")
        )
        if needs_authorization and not _authorization_ok(request.header("x-authorization")):
            return "X-authorization tidak valid"
        return None

    # ---- envelopes ------------------------------------------------------------------------
    def _render(
        self, service: str, reply: Reply, call: Call | None, settings: dict[str, Any]
    ) -> Response:
        if reply.has_plain:
            response_value = reply.plain
        elif reply.data is not None and call is not None:
            response_value = encrypt(reply.data, call.timestamp)
        else:
            response_value = None
        code: int | str = reply.code
        if service == "vclaim":
            code = str(code)
            status = int(code) if code in ("401", "500") else 200
            meta_key = "metaData"
        elif service == "antreanfktp":
            code = int(code)
            status = code if code in (401, 404, 405, 500) else 200
            meta_key = settings["antrean_fktp_envelope"]
        else:
            code = int(code)
            status = 200 if code == 204 else code
            meta_key = "metaData"
        if reply.http_status is not None:
            status = reply.http_status
        body: dict[str, Any] = {}
        if not reply.omit_response:
            body["response"] = response_value
        body[meta_key] = {"message": reply.message, "code": code}
        return Response.json(body, status=status)

    def _garbled(
        self, service: str, reply: Reply, call: Call, settings: dict[str, Any]
    ) -> Response:
        payload = reply.data if (reply.data is not None and not reply.has_plain) else {"list": []}
        cipher = base64.b64decode(encrypt(payload, call.timestamp))
        broken = base64.b64encode(cipher[:-7] if len(cipher) > 16 else cipher[:9]).decode()
        success: int | str = "200" if service == "vclaim" else 200
        code = reply.code if reply.data is not None and not reply.has_plain else success
        return self._render(service, Reply(code=code, message="OK", plain=broken), call, settings)


def encrypt(data: Any, timestamp: str) -> str:
    text = json.dumps(data, ensure_ascii=False, separators=(",", ":"))
    return crypto.encrypt_payload(
        text, cons_id=CONS_ID, secret=CONSUMER_SECRET, timestamp=timestamp
    )


def rejection_reply(call: Call, exc: Rejection) -> Reply:
    errors = [{"field": f, "message": m} for f, m in exc.errors]
    if call.service in ("pcare", "icare"):
        # iCare names the refusal in metaData.message; PCare says PRECONDITION_FAILED.
        message = "PRECONDITION_FAILED"
        if call.service == "icare":
            message = "; ".join(m for _, m in exc.errors)
        if call.settings["encrypt_412_list"]:
            return Reply(code=412, message=message, data=errors)
        return Reply(code=412, message=message, plain=errors)
    # VClaim and Antrean FKTP refuse with code 201 and a message.
    return Reply(code=201, message="; ".join(m for _, m in exc.errors), plain=None)


def _authorization_ok(value: str | None) -> bool:
    if not value:
        return False
    scheme, _, token = value.strip().partition(" ")
    if scheme.lower() != "basic":
        return False
    try:
        decoded = base64.b64decode(token.strip(), validate=True).decode("utf-8")
    except (binascii.Error, ValueError, UnicodeDecodeError):
        return False
    return hmac.compare_digest(
        decoded.encode(), f"{PCARE_USERNAME}:{PCARE_PASSWORD}:{APP_CODE}".encode()
    )


def _verdict(reply: Reply) -> str:
    code = str(reply.code)
    if code in ("200", "201", "1") and not (code == "201" and reply.data is None):
        return "ok"
    if code == "204":
        return "no_data"
    if code == "500":
        return "server_error"
    return "rejected"


def create_app(
    db_path: str,
    *,
    control_token: str | None = None,
    clock: Callable[[], float] = time.time,
) -> SandboxApp:
    """The sandbox WSGI app. ``control_token`` defaults to ``$BPJS_SANDBOX_CONTROL_TOKEN``."""
    return SandboxApp(db_path, control_token=control_token, clock=clock)
