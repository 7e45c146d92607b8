"""The connectivity check (``bpjs_ping``), SANDBOX.md "The connectivity check".

Per service one signed read, then a verdict per named check so that an admin tells at a glance a
dead network (``reachable``) from a wrong secret (``signature``) from a wrong clock
(``timestamp``, ``clock_skew``) from a wrong user_key or PCare login (``access``):

========================  =============================================================
``configuration``         the credential is stored and complete (nothing is sent otherwise)
``reachable``             an HTTP answer came back (no DNS, connect, TLS or read failure)
``signature``             X-cons-id and X-signature (the consumer secret) accepted
``timestamp``             X-timestamp accepted (the clinic's clock is within BPJS's window)
``access``                user_key (and X-authorization for PCare/iCare) accepted
``answer``                the service answered with its success code
``decryption``            the encrypted ``response`` decrypted and decompressed to JSON
``clock_skew``            the clinic's clock against the answer's HTTP ``Date`` header
``latency``               time for the whole exchange
========================  =============================================================

The reads: PCare ``kesadaran``; Antrean FKTP ``ref/poli/tanggal/{d}`` with ``d`` the first open
day (Monday to Saturday) after today; iCare ``api/pcare/validate`` and VClaim
``Peserta/nokartu/{card}/tglSEP/{today}`` with the credential's test card. Dates are WIB.
Used by ``manage.py bpjs_ping`` and by the "Test connection" button.
"""

from __future__ import annotations

import json
import time
from collections.abc import Callable, Iterable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field, replace
from datetime import date, datetime, timedelta
from email.utils import parsedate_to_datetime
from typing import Any
from zoneinfo import ZoneInfo

import requests
from django.apps import apps
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from bridging.credentials.config import facility_environment, service_config
from bridging.credentials.defaults import SERVICE_LABELS, SERVICES, default_base_url
from bridging.credentials.models import BpjsCredential
from bridging.transport.crypto import decrypt_payload
from bridging.transport.errors import (
    AuthenticationError,
    BpjsTimeout,
    BridgingError,
    ConfigurationError,
    DecryptionError,
    NetworkError,
    NotFound,
    Rejected,
)
from bridging.transport.http import ServiceConfig, Transport

__all__ = [
    "CHECKS",
    "Check",
    "PingReport",
    "ServiceResult",
    "first_open_day",
    "ping_service",
    "run_ping",
]

WIB = ZoneInfo("Asia/Jakarta")

OK, WARN, FAIL, SKIP = "ok", "warn", "fail", "skip"

CHECKS: tuple[str, ...] = (
    "configuration",
    "reachable",
    "signature",
    "timestamp",
    "access",
    "answer",
    "decryption",
    "clock_skew",
    "latency",
)
CHECK_LABELS = {
    "configuration": gettext_lazy("Credentials complete"),
    "reachable": gettext_lazy("Server reachable"),
    "signature": gettext_lazy("Signature accepted (cons-id and secret)"),
    "timestamp": gettext_lazy("Timestamp accepted"),
    "access": gettext_lazy("user_key and login accepted"),
    "answer": gettext_lazy("Service answered"),
    "decryption": gettext_lazy("Answer decrypted"),
    "clock_skew": gettext_lazy("Clock difference"),
    "latency": gettext_lazy("Response time"),
}
STATUS_LABELS = {
    OK: gettext_lazy("OK"),
    WARN: gettext_lazy("WARNING"),
    FAIL: gettext_lazy("FAILED"),
    SKIP: gettext_lazy("NOT CHECKED"),
}

#: The check's own timeouts: short, and no retries, so a dead service answers quickly.
PING_CONNECT_TIMEOUT = 5.0
PING_READ_TIMEOUT = 15.0
#: Clock skew: up to the first figure is fine, up to the second a warning, beyond it a failure
#: (the transport reports a refused timestamp as a clock problem beyond it, too).
SKEW_WARN_SECONDS = 30.0
SKEW_FAIL_SECONDS = 120.0
SLOW_MS = 5000.0

_SIGNATURE_REASONS = frozenset({"signature_rejected", "cons_id_rejected", "authentication_failed"})
_TIMESTAMP_REASONS = frozenset({"timestamp_rejected", "clock_skew"})
_ACCESS_REASONS = frozenset({"user_key_rejected", "authorization_rejected"})


@dataclass(frozen=True)
class Check:
    name: str
    status: str
    detail: str = ""

    @property
    def label(self) -> str:
        return str(CHECK_LABELS[self.name])

    @property
    def status_label(self) -> str:
        return str(STATUS_LABELS[self.status])


@dataclass(frozen=True)
class ServiceResult:
    service: str
    base_url: str
    checks: tuple[Check, ...]
    clock_skew_seconds: float | None = None
    latency_ms: float | None = None

    @property
    def label(self) -> str:
        return SERVICE_LABELS.get(self.service, self.service)

    @property
    def ok(self) -> bool:
        return all(check.status != FAIL for check in self.checks)

    @property
    def failed(self) -> list[str]:
        return [check.name for check in self.checks if check.status == FAIL]

    def check(self, name: str) -> Check:
        return next(check for check in self.checks if check.name == name)

    def to_dict(self) -> dict[str, Any]:
        return {
            "service": self.service,
            "base_url": self.base_url,
            "ok": self.ok,
            "clock_skew_seconds": self.clock_skew_seconds,
            "latency_ms": self.latency_ms,
            "checks": [
                {"name": c.name, "status": c.status, "label": c.label, "detail": c.detail}
                for c in self.checks
            ],
        }


@dataclass(frozen=True)
class PingReport:
    facility_id: int
    facility_code: str
    environment: str
    checked_at: datetime
    results: tuple[ServiceResult, ...] = field(default_factory=tuple)

    @property
    def ok(self) -> bool:
        return all(result.ok for result in self.results)

    @property
    def failures(self) -> list[tuple[str, str]]:
        return [(r.service, name) for r in self.results for name in r.failed]

    def result(self, service: str) -> ServiceResult:
        return next(r for r in self.results if r.service == service)

    def to_dict(self) -> dict[str, Any]:
        return {
            "facility": self.facility_code,
            "environment": self.environment,
            "checked_at": self.checked_at.isoformat(),
            "ok": self.ok,
            "services": [r.to_dict() for r in self.results],
        }


# --------------------------------------------------------------------------------- the reads


def wib_today(clock: Callable[[], float] = time.time) -> date:
    return datetime.fromtimestamp(clock(), WIB).date()


def first_open_day(today: date) -> date:
    """The first day after ``today`` that is Monday to Saturday."""
    day = today + timedelta(days=1)
    while day.weekday() == 6:
        day += timedelta(days=1)
    return day


@dataclass(frozen=True)
class _Probe:
    method: str
    path: str
    body: Any = None
    authorization: bool = False
    content_type: str | None = None
    ok_codes: frozenset[str] | None = None


def _probe(service: str, today: date, test_card: str) -> _Probe:
    if service == "pcare":
        return _Probe("GET", "kesadaran", authorization=True)
    if service == "antreanfktp":
        day = first_open_day(today).isoformat()
        # 201 "No Content": a day without a published schedule, still a valid answer.
        return _Probe("GET", f"ref/poli/tanggal/{day}", ok_codes=frozenset({"1", "200", "201"}))
    if service == "icare":
        return _Probe(
            "POST",
            "api/pcare/validate",
            body={"param": test_card},
            authorization=True,
            content_type="Application/json",
        )
    if service == "vclaim":
        return _Probe("GET", f"Peserta/nokartu/{test_card}/tglSEP/{today.isoformat()}")
    raise ValueError(f"unknown BPJS service {service!r}")


# ------------------------------------------------------------------------------ one service


def _skip_rest(checks: dict[str, Check], detail: str = "") -> None:
    for name in CHECKS:
        checks.setdefault(name, Check(name, SKIP, detail))


def _finish(
    service: str,
    base_url: str,
    checks: dict[str, Check],
    skew: float | None = None,
    latency: float | None = None,
) -> ServiceResult:
    _skip_rest(checks)
    return ServiceResult(
        service=service,
        base_url=base_url,
        checks=tuple(checks[name] for name in CHECKS),
        clock_skew_seconds=skew,
        latency_ms=latency,
    )


def configuration_failure(service: str, base_url: str, message: str) -> ServiceResult:
    return _finish(service, base_url, {"configuration": Check("configuration", FAIL, message)})


def _skew_check(skew: float | None) -> Check:
    if skew is None:
        return Check("clock_skew", SKIP, _("The answer carried no Date header."))
    rounded = round(skew)
    if rounded > 0:
        where = _("clinic clock ahead of BPJS")
    elif rounded < 0:
        where = _("clinic clock behind BPJS")
    else:
        where = _("clocks agree")
    detail = _("%(seconds)+d s (%(where)s)") % {"seconds": rounded, "where": where}
    if abs(skew) > SKEW_FAIL_SECONDS:
        detail += " " + _("Synchronise the server clock (NTP).")
        return Check("clock_skew", FAIL, detail)
    if abs(skew) > SKEW_WARN_SECONDS:
        return Check("clock_skew", WARN, detail)
    return Check("clock_skew", OK, detail)


def _latency_check(latency: float | None) -> Check:
    if latency is None:
        return Check("latency", SKIP)
    detail = _("%(ms).0f ms") % {"ms": latency}
    return Check("latency", WARN if latency > SLOW_MS else OK, detail)


def _decryption_check(config: ServiceConfig, data: Any, timestamp: str, code: str) -> Check:
    if not isinstance(data, str) or not data:
        return Check(
            "decryption",
            SKIP,
            _("No encrypted data in this answer (code %(code)s).") % {"code": code},
        )
    try:
        text = decrypt_payload(
            data, cons_id=config.cons_id, secret=config.secret, timestamp=timestamp
        )
        json.loads(text)
    except DecryptionError as exc:
        return Check("decryption", FAIL, exc.message)
    except ValueError:
        return Check("decryption", FAIL, _("The decrypted answer is not JSON."))
    return Check("decryption", OK, _("%(chars)d characters of JSON") % {"chars": len(text)})


def ping_service(
    config: ServiceConfig,
    *,
    test_card: str = "",
    today: date | None = None,
    clock: Callable[[], float] = time.time,
) -> ServiceResult:
    """Run the one signed read for ``config.service`` and judge every check."""
    service = config.service
    today = today or wib_today(clock)
    if service in {"icare", "vclaim"} and not test_card:
        return configuration_failure(
            service,
            config.base_url,
            _("No test card number is set for this environment; fill it in the credential."),
        )
    config = replace(
        config,
        read_retries=0,
        connect_timeout=min(config.connect_timeout, PING_CONNECT_TIMEOUT),
        read_timeout=min(config.read_timeout, PING_READ_TIMEOUT),
    )
    probe = _probe(service, today, test_card)
    seen: dict[str, Any] = {}

    def _remember(response: requests.Response, *args: Any, **kwargs: Any) -> None:
        seen["received"] = clock()
        seen["status"] = response.status_code
        seen["date"] = response.headers.get("Date")

    session = requests.Session()
    session.hooks["response"].append(_remember)
    transport = Transport(config, clock=clock, session=session)
    checks: dict[str, Check] = {"configuration": Check("configuration", OK)}
    error: BridgingError | None = None
    sent = clock()
    started = time.perf_counter()
    try:
        response = transport.request(
            probe.method,
            probe.path,
            body=probe.body,
            authorization=probe.authorization,
            content_type=probe.content_type,
            operation="bpjs_ping",
            ok_codes=probe.ok_codes,
            decrypt=False,
        )
    except BridgingError as exc:
        error = exc
    finally:
        transport.close()
    elapsed = (time.perf_counter() - started) * 1000.0

    if isinstance(error, ConfigurationError):
        return configuration_failure(service, config.base_url, error.message)
    if "status" not in seen or isinstance(error, NetworkError | BpjsTimeout):
        detail = error.message if error is not None else _("No answer.")
        checks["reachable"] = Check("reachable", FAIL, detail)
        return _finish(service, config.base_url, checks)

    checks["reachable"] = Check("reachable", OK, f"HTTP {seen['status']}")
    skew: float | None = None
    if seen.get("date"):
        try:
            server = parsedate_to_datetime(seen["date"]).timestamp()
        except (TypeError, ValueError, IndexError):
            server = None
        if server is not None:
            # The Date header is truncated to the second: its best estimate is the middle of it.
            skew = (sent + seen["received"]) / 2.0 - (server + 0.5)
    checks["clock_skew"] = _skew_check(skew)
    checks["latency"] = _latency_check(elapsed)
    not_checked = _("Not checked: an earlier check failed.")

    if isinstance(error, AuthenticationError):
        if error.reason in _TIMESTAMP_REASONS:
            checks["signature"] = Check(
                "signature", SKIP, _("Cannot be confirmed while the timestamp is refused.")
            )
            checks["timestamp"] = Check("timestamp", FAIL, error.message)
        elif error.reason in _ACCESS_REASONS:
            checks["signature"] = Check("signature", OK)
            checks["timestamp"] = Check("timestamp", OK)
            checks["access"] = Check("access", FAIL, error.message)
        else:
            checks["signature"] = Check("signature", FAIL, error.message)
        _skip_rest(checks, not_checked)
    elif isinstance(error, NotFound) and error.reason == "service_not_registered":
        checks.update(
            signature=Check("signature", OK),
            timestamp=Check("timestamp", OK),
            access=Check("access", FAIL, error.message),
        )
    elif isinstance(error, NotFound | Rejected):
        # BPJS checked the credentials and refused the read itself (e.g. the test card).
        checks.update(
            signature=Check("signature", OK),
            timestamp=Check("timestamp", OK),
            access=Check("access", OK),
            answer=Check("answer", WARN, error.message),
        )
    elif error is not None:
        # HTML page, wrong URL, server error: the credentials were not judged.
        checks["answer"] = Check("answer", FAIL, error.message)
        _skip_rest(checks, _("Not checked: the service gave no usable answer."))
    else:
        checks.update(
            signature=Check("signature", OK),
            timestamp=Check("timestamp", OK),
            access=Check("access", OK),
            answer=Check(
                "answer",
                OK,
                _("code %(code)s %(message)s")
                % {
                    "code": response.code,
                    "message": response.message,
                },
            ),
            decryption=_decryption_check(config, response.data, response.timestamp, response.code),
        )
    return _finish(service, config.base_url, checks, skew=skew, latency=elapsed)


# ------------------------------------------------------------------------------ all services


def run_ping(
    *,
    facility_id: int,
    environment: str | None = None,
    services: Iterable[str] = SERVICES,
    clock: Callable[[], float] = time.time,
) -> PingReport:
    """Check every service of one facility and environment (in parallel, about 15 s at most)."""
    facility_model = apps.get_model("core", "Facility")
    facility = facility_model.objects.get(pk=facility_id)
    if environment is None:
        environment = facility_environment(facility_id)
    services = [s for s in SERVICES if s in set(services)]
    rows = {
        row.service: row
        for row in BpjsCredential.objects.filter(facility_id=facility_id, environment=environment)
    }
    today = wib_today(clock)
    ready: dict[str, tuple[ServiceConfig, str]] = {}
    results: dict[str, ServiceResult] = {}
    for service in services:
        row = rows.get(service)
        base_url = row.effective_base_url if row else default_base_url(environment, service)
        try:
            config = service_config(
                facility_id=facility_id, service=service, environment=environment
            )
        except ConfigurationError as exc:
            results[service] = configuration_failure(service, base_url, exc.message)
            continue
        ready[service] = (config, row.effective_test_card if row else "")
    language = translation.get_language()

    def _in_language(config: ServiceConfig, card: str) -> ServiceResult:
        # Worker threads do not inherit the request's active language.
        with translation.override(language):
            return ping_service(config, test_card=card, today=today, clock=clock)

    if ready:
        with ThreadPoolExecutor(max_workers=len(ready)) as pool:
            futures = {
                service: pool.submit(_in_language, cfg, card)
                for service, (cfg, card) in ready.items()
            }
            for service, future in futures.items():
                results[service] = future.result()
    return PingReport(
        facility_id=facility_id,
        facility_code=str(facility.bpjs_provider_code),
        environment=environment,
        checked_at=datetime.fromtimestamp(clock(), WIB),
        results=tuple(results[s] for s in services),
    )


def format_report(report: PingReport) -> list[str]:
    """Plain-text lines: per service, each check's status, label, English name and detail."""
    lines = [
        _("BPJS connection check: facility %(facility)s, environment %(environment)s, %(at)s")
        % {
            "facility": report.facility_code,
            "environment": report.environment,
            "at": report.checked_at.strftime("%Y-%m-%d %H:%M:%S WIB"),
        },
    ]
    width = max(len(str(label)) for label in STATUS_LABELS.values()) + 2
    for result in report.results:
        lines.append("")
        verdict = STATUS_LABELS[OK] if result.ok else STATUS_LABELS[FAIL]
        lines.append(f"{result.label} [{verdict}]  {result.base_url}")
        for check in result.checks:
            mark = f"[{check.status_label}]".ljust(width)
            detail = f": {check.detail}" if check.detail else ""
            lines.append(f"  {mark} {check.label} ({check.name}){detail}")
    lines.append("")
    if report.ok:
        lines.append(_("All checks passed."))
    else:
        failed = "; ".join(f"{r.label}: {', '.join(r.failed)}" for r in report.results if not r.ok)
        lines.append(_("Failed checks: %(failed)s") % {"failed": failed})
    return lines
