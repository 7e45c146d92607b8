"""The HTTP transport to the BPJS "API JKN" gateway (PROTOCOL.md §2 and §3).

One ``Transport`` per service configuration. It signs each attempt with a fresh timestamp from
the injected clock, sends the body as raw JSON text, reads the envelope whatever the HTTP status
(``metaData`` or ``metadata``; ``code`` as number or string), decrypts ``response`` with the very
timestamp that attempt sent, and turns every failure into one ``BridgingError`` subclass that
says whether retrying makes sense and whether BPJS may already have applied a write.

Retries here are short and for reads only (GET after a connect error, a read timeout or a
502/503/504). Writes are never repeated by the transport: the outbox decides, after looking the
record up at BPJS, because a write that timed out may have been applied.
"""

from __future__ import annotations

import contextlib
import json
import logging
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime
from email.utils import parsedate_to_datetime
from typing import Any

import requests
from requests.adapters import HTTPAdapter
from urllib3.exceptions import ConnectTimeoutError, MaxRetryError, NewConnectionError

from bridging.transport.crypto import decrypt_payload, sign, x_authorization
from bridging.transport.errors import (
    AuthenticationError,
    BpjsTimeout,
    BridgingError,
    ConfigurationError,
    DecryptionError,
    FieldError,
    InvalidResponse,
    NetworkError,
    NotFound,
    Rejected,
    ServerError,
    classify_authentication_failure,
)
from bridging.transport.redact import redact, redact_text, sensitive_values

__all__ = ["DEFAULT_OK_CODES", "BpjsResponse", "ServiceConfig", "Transport"]

logger = logging.getLogger("bridging.transport")

DEFAULT_OK_CODES: Mapping[str, frozenset[str]] = {
    "pcare": frozenset({"200", "201"}),
    "icare": frozenset({"200", "201"}),
    "vclaim": frozenset({"200"}),
    "antreanfktp": frozenset({"200", "1"}),
}
_FALLBACK_OK_CODES = frozenset({"200", "201", "1"})
_RETRY_STATUSES = frozenset({502, 503, 504})
_FORM_CONTENT_TYPE = "Application/x-www-form-urlencoded"  # what TrustMark asks for (§2.5)
_JSON_CONTENT_TYPE = "Application/json"
_LOGGED_BODY_BYTES = 200
_CLOCK_SKEW_LIMIT_SECONDS = 120.0


@dataclass(frozen=True)
class ServiceConfig:
    service: str  # "pcare" | "antreanfktp" | "icare" | "vclaim"
    base_url: str
    cons_id: str
    secret: str = field(repr=False)
    user_key: str = field(repr=False)
    username: str = ""  # PCare / iCare FKTP X-authorization
    password: str = field(default="", repr=False)
    app_code: str = "095"
    connect_timeout: float = 5.0
    read_timeout: float = 25.0
    read_retries: int = 2


@dataclass(frozen=True)
class BpjsResponse:
    http_status: int
    code: str
    message: str
    data: Any  # decrypted + parsed JSON, or the raw non-string `response`
    timestamp: str  # the X-timestamp sent (and used for decryption)
    elapsed_ms: float
    server_date: datetime | None  # from the HTTP Date header (clock-skew checks)


@dataclass(frozen=True)
class _Raw:
    """One HTTP exchange, before the envelope is interpreted."""

    status: int
    body: bytes
    timestamp: str
    elapsed_ms: float
    server_date: datetime | None
    sent_at: float


def _is_connect_failure(exc: requests.exceptions.ConnectionError) -> bool:
    """True when the request never left: DNS, refused, connect timeout (not a dropped answer)."""
    if isinstance(exc, requests.exceptions.ConnectTimeout):
        return True
    cause = exc.args[0] if exc.args else None
    if isinstance(cause, MaxRetryError):
        cause = cause.reason
    return isinstance(cause, NewConnectionError | ConnectTimeoutError)


def _parse_date(value: str | None) -> datetime | None:
    if not value:
        return None
    try:
        parsed = parsedate_to_datetime(value)
    except (TypeError, ValueError, IndexError):
        return None
    if parsed.tzinfo is None:
        parsed = parsed.replace(tzinfo=UTC)
    return parsed


class Transport:
    """Signed, decrypting HTTP access to one BPJS service."""

    #: Pause before each GET retry, in seconds; its length bounds the number of retries too.
    retry_backoff: tuple[float, ...] = (0.25, 0.75, 1.5)

    def __init__(
        self,
        config: ServiceConfig,
        *,
        clock: Callable[[], float] = time.time,
        session: requests.Session | None = None,
    ) -> None:
        self.config = config
        self.clock = clock
        if session is None:
            session = requests.Session()
            # Retries are decided here, per method; the adapter only pools connections.
            adapter = HTTPAdapter(pool_connections=4, pool_maxsize=16, max_retries=0)
            session.mount("https://", adapter)
            session.mount("http://", adapter)
        self.session = session
        self._secrets = tuple(s for s in (config.secret, config.user_key, config.password) if s)

    # ----------------------------------------------------------------------------- public

    def request(
        self,
        method: str,
        path: str,
        *,
        body: Any = None,
        authorization: bool = False,
        content_type: str | None = None,
        operation: str = "",
        ok_codes: frozenset[str] | None = None,
        decrypt: bool = True,
    ) -> BpjsResponse:
        """Send one call and return its decoded answer, or raise a ``BridgingError``.

        ``body`` is sent as raw JSON text (``str``/``bytes`` are sent as they are).
        ``decrypt=False`` is for the few endpoints whose ``response`` is not encrypted.
        """
        method = method.upper()
        data = self._encode_body(body)
        # Mask this request's own sensitive values too, wherever they are echoed back.
        secrets = (*self._secrets, *sensitive_values(_as_json(body)))
        safe_path = redact_text(path, secrets=secrets)
        operation = operation or f"{method} {safe_path}"
        self._check_config(authorization, operation)
        url = f"{self.config.base_url.rstrip('/')}/{path.lstrip('/')}"
        ctype = content_type
        if ctype is None and data is not None:
            ctype = _JSON_CONTENT_TYPE if self.config.service == "icare" else _FORM_CONTENT_TYPE
        attempts = 1 + max(0, self.config.read_retries) if method == "GET" else 1
        attempts = min(attempts, 1 + len(self.retry_backoff))

        for attempt in range(1, attempts + 1):
            last = attempt == attempts
            try:
                raw = self._send(
                    method, url, data, ctype, authorization, operation, safe_path, secrets
                )
            except (NetworkError, BpjsTimeout) as exc:
                if last or method != "GET":
                    raise
                self._log_retry(operation, safe_path, attempt, exc.reason)
                time.sleep(self.retry_backoff[attempt - 1])
                continue
            if raw.status in _RETRY_STATUSES and method == "GET" and not last:
                self._log_retry(operation, safe_path, attempt, f"http_{raw.status}")
                time.sleep(self.retry_backoff[attempt - 1])
                continue
            return self._interpret(raw, method, operation, safe_path, ok_codes, decrypt, secrets)
        raise AssertionError("unreachable")  # pragma: no cover

    def close(self) -> None:
        self.session.close()

    # ---------------------------------------------------------------------------- sending

    def _check_config(self, authorization: bool, operation: str) -> None:
        cfg = self.config
        missing = [
            label
            for label, value in (
                ("base URL", cfg.base_url),
                ("Consumer ID", cfg.cons_id),
                ("consumer secret", cfg.secret),
                ("user key", cfg.user_key),
            )
            if not value
        ]
        if authorization:
            missing += [
                label
                for label, value in (
                    ("username PCare", cfg.username),
                    ("password PCare", cfg.password),
                )
                if not value
            ]
        if missing:
            raise ConfigurationError(
                f"Pengaturan bridging {cfg.service} belum lengkap: {', '.join(missing)} "
                "belum diisi. Lengkapi di pengaturan bridging; tidak ada data yang dikirim.",
                service=cfg.service,
                operation=operation,
                reason="missing_credentials",
            )
        if not cfg.base_url.startswith(("http://", "https://")):
            raise ConfigurationError(
                f"Base URL layanan {cfg.service} tidak sah (harus diawali https://).",
                service=cfg.service,
                operation=operation,
                reason="bad_base_url",
            )

    @staticmethod
    def _encode_body(body: Any) -> bytes | None:
        if body is None:
            return None
        if isinstance(body, bytes):
            return body
        if isinstance(body, str):
            return body.encode("utf-8")
        return json.dumps(body, ensure_ascii=False, separators=(",", ":")).encode("utf-8")

    def headers_for(self, timestamp: str, *, authorization: bool) -> dict[str, str]:
        """The signed headers for one attempt (also handy for diagnostics)."""
        cfg = self.config
        headers = {
            "X-cons-id": cfg.cons_id,
            "X-timestamp": timestamp,
            "X-signature": sign(cfg.cons_id, cfg.secret, timestamp),
            "user_key": cfg.user_key,
        }
        if authorization:
            headers["X-authorization"] = x_authorization(cfg.username, cfg.password, cfg.app_code)
        return headers

    def _send(
        self,
        method: str,
        url: str,
        data: bytes | None,
        content_type: str | None,
        authorization: bool,
        operation: str,
        safe_path: str,
        secrets: tuple[str, ...],
    ) -> _Raw:
        cfg = self.config
        sent_at = self.clock()
        timestamp = str(int(sent_at))
        headers = self.headers_for(timestamp, authorization=authorization)
        if content_type:
            headers["Content-Type"] = content_type
        if logger.isEnabledFor(logging.DEBUG):
            logger.debug(
                "bpjs %s %s %s headers=%s body=%s",
                cfg.service,
                method,
                safe_path,
                redact(headers, secrets=secrets),
                redact(data, secrets=secrets) if data is not None else None,
            )
        context: dict[str, Any] = {"service": cfg.service, "operation": operation}
        started = time.perf_counter()
        try:
            resp = self.session.request(
                method,
                url,
                data=data,
                headers=headers,
                timeout=(cfg.connect_timeout, cfg.read_timeout),
                allow_redirects=False,
            )
            body = resp.content
        except requests.exceptions.ConnectionError as exc:
            if _is_connect_failure(exc):
                self._log_failure(secrets, method, safe_path, "connect_failed", exc)
                raise NetworkError(
                    f"Tidak dapat terhubung ke server BPJS ({cfg.service}). Periksa koneksi "
                    "internet klinik; data belum terkirim, aman untuk dicoba lagi.",
                    reason="connect_failed",
                    **context,
                ) from exc
            if isinstance(exc, requests.exceptions.SSLError):
                self._log_failure(secrets, method, safe_path, "tls_failed", exc)
                raise NetworkError(
                    f"Sambungan aman (TLS) ke server BPJS ({cfg.service}) gagal. Periksa jam "
                    "server dan sertifikat; data belum terkirim.",
                    reason="tls_failed",
                    **context,
                ) from exc
            self._log_failure(secrets, method, safe_path, "connection_dropped", exc)
            raise NetworkError(
                f"Sambungan ke server BPJS ({cfg.service}) terputus sebelum ada jawaban."
                + (
                    " Data mungkin sudah diterima BPJS; periksa sebelum mengirim ulang."
                    if method != "GET"
                    else ""
                ),
                reason="connection_dropped",
                maybe_applied=method != "GET",
                **context,
            ) from exc
        except requests.exceptions.Timeout as exc:
            self._log_failure(secrets, method, safe_path, "read_timeout", exc)
            applied_note = (
                " Data mungkin sudah diterima BPJS; periksa di BPJS sebelum mengirim ulang."
                if method != "GET"
                else ""
            )
            raise BpjsTimeout(
                f"Server BPJS ({cfg.service}) tidak menjawab dalam {cfg.read_timeout:g} detik "
                f"(kemungkinan sedang lambat atau gangguan).{applied_note}",
                reason="read_timeout",
                maybe_applied=method != "GET",
                **context,
            ) from exc
        except requests.exceptions.RequestException as exc:
            # Chunked-encoding or content-decoding failures: the answer arrived broken.
            self._log_failure(secrets, method, safe_path, "broken_response", exc)
            raise InvalidResponse(
                f"Jawaban server BPJS ({cfg.service}) terputus atau rusak.",
                reason="broken_response",
                maybe_applied=method != "GET",
                **context,
            ) from exc
        elapsed_ms = (time.perf_counter() - started) * 1000.0
        return _Raw(
            status=resp.status_code,
            body=body,
            timestamp=timestamp,
            elapsed_ms=elapsed_ms,
            server_date=_parse_date(resp.headers.get("Date")),
            sent_at=sent_at,
        )

    # ------------------------------------------------------------------------ interpreting

    def _interpret(
        self,
        raw: _Raw,
        method: str,
        operation: str,
        safe_path: str,
        ok_codes: frozenset[str] | None,
        decrypt: bool,
        secrets: tuple[str, ...],
    ) -> BpjsResponse:
        cfg = self.config
        context: dict[str, Any] = {
            "service": cfg.service,
            "operation": operation,
            "http_status": raw.status,
        }
        envelope = self._parse_envelope(raw)
        if envelope is None:
            if raw.status == 204:
                self._log_result(method, safe_path, raw, "204")
                raise NotFound(
                    "Data tidak ditemukan di BPJS (jawaban kosong).", reason="no_data", **context
                )
            raise self._invalid_body(raw, method, safe_path, context, secrets)

        meta = envelope.get("metaData")
        if not isinstance(meta, Mapping):
            meta = envelope.get("metadata")
        if not isinstance(meta, Mapping) or meta.get("code") is None:
            raise self._invalid_body(raw, method, safe_path, context, secrets, reason="no_envelope")
        code = str(meta.get("code")).strip()
        message = str(meta.get("message") or "")
        payload = envelope.get("response")
        context["code"] = code
        self._log_result(method, safe_path, raw, code)

        accepted = (
            ok_codes
            if ok_codes is not None
            else DEFAULT_OK_CODES.get(cfg.service, _FALLBACK_OK_CODES)
        )
        if code in accepted:
            data = self._decode_payload(payload, raw, method, context) if decrypt else payload
            return BpjsResponse(
                http_status=raw.status,
                code=code,
                message=message,
                data=data,
                timestamp=raw.timestamp,
                elapsed_ms=raw.elapsed_ms,
                server_date=raw.server_date,
            )

        # Errors are normally plain; decrypt when BPJS did encrypt them, never fail on it.
        if decrypt and isinstance(payload, str) and payload:
            with contextlib.suppress(DecryptionError):
                payload = self._decode_payload(payload, raw, method, context)
        raise self._error_for(code, message, payload, raw, method, context, secrets)

    @staticmethod
    def _parse_envelope(raw: _Raw) -> dict[str, Any] | None:
        if not raw.body.strip():
            return None
        try:
            parsed = json.loads(raw.body)
        except (ValueError, UnicodeDecodeError):
            return None
        return parsed if isinstance(parsed, dict) else None

    def _invalid_body(
        self,
        raw: _Raw,
        method: str,
        safe_path: str,
        context: dict[str, Any],
        secrets: tuple[str, ...],
        reason: str = "not_json",
    ) -> InvalidResponse:
        head = raw.body[:_LOGGED_BODY_BYTES].decode("utf-8", "replace")
        logger.warning(
            "bpjs %s %s %s -> http=%s non-envelope body (%d bytes) starting %r",
            self.config.service,
            method,
            safe_path,
            raw.status,
            len(raw.body),
            redact_text(head, secrets=secrets),
        )
        looks_html = b"<html" in raw.body[:1000].lower() or b"<!doctype" in raw.body[:1000].lower()
        kind = "halaman HTML" if looks_html else "bukan JSON BPJS"
        retryable = True
        if raw.status == 404:
            text = (
                f"Alamat layanan BPJS tidak ditemukan (HTTP 404, {kind}). Periksa base URL "
                f"layanan {self.config.service} di pengaturan bridging."
            )
            retryable = False
            reason = "wrong_url" if reason == "not_json" else reason
        elif raw.status >= 500:
            text = (
                f"Server BPJS sedang gangguan (HTTP {raw.status}, {kind}). Coba lagi beberapa "
                "saat lagi."
            )
            reason = "bpjs_down" if reason == "not_json" else reason
        else:
            text = f"Jawaban BPJS tidak dapat dibaca (HTTP {raw.status}, {kind})."
        if method != "GET":
            text += " Data mungkin sudah diterima BPJS; periksa sebelum mengirim ulang."
        return InvalidResponse(
            text,
            reason=reason,
            retryable=retryable,
            maybe_applied=method != "GET",
            **context,
        )

    def _decode_payload(self, payload: Any, raw: _Raw, method: str, context: dict[str, Any]) -> Any:
        if not isinstance(payload, str) or not payload:
            return payload
        cfg = self.config
        try:
            text = decrypt_payload(
                payload, cons_id=cfg.cons_id, secret=cfg.secret, timestamp=raw.timestamp
            )
        except DecryptionError as exc:
            logger.warning(
                "bpjs %s %s -> code=%s response did not decrypt (%s, %d chars)",
                cfg.service,
                context.get("operation"),
                context.get("code"),
                exc.reason,
                len(payload),
            )
            raise DecryptionError(
                exc.message
                + (
                    " Data mungkin sudah diterima BPJS; periksa sebelum mengirim ulang."
                    if method != "GET"
                    else ""
                ),
                reason=exc.reason,
                maybe_applied=method != "GET",
                **context,
            ) from exc
        try:
            return json.loads(text)
        except ValueError:
            return text  # a plain string that BPJS encrypted

    def _error_for(
        self,
        code: str,
        message: str,
        payload: Any,
        raw: _Raw,
        method: str,
        context: dict[str, Any],
        secrets: tuple[str, ...],
    ) -> BridgingError:
        cfg = self.config
        safe_message = redact_text(message, secrets=secrets)
        bpjs_note = f" Pesan BPJS: {safe_message}" if safe_message else ""
        common: dict[str, Any] = {"bpjs_message": safe_message, **context}
        status = raw.status

        if code == "401" or status == 401:
            skew = None
            if raw.server_date is not None:
                skew = raw.sent_at - raw.server_date.timestamp()
            reason, advice = classify_authentication_failure(
                message, skew, skew_limit=_CLOCK_SKEW_LIMIT_SECONDS
            )
            return AuthenticationError(f"{advice}{bpjs_note}", reason=reason, **common)
        if code == "204" or status == 204:
            return NotFound(f"Data tidak ditemukan di BPJS.{bpjs_note}", reason="no_data", **common)
        if code == "404" or status == 404:
            lowered = message.lower()
            if "not registered" in lowered or "unauthorized" in lowered:
                return NotFound(
                    f"Layanan/endpoint ini belum aktif untuk Consumer ID klinik atau alamatnya "
                    f"sudah berubah.{bpjs_note}",
                    reason="service_not_registered",
                    **common,
                )
            return NotFound(f"Data atau alamat tidak ditemukan di BPJS.{bpjs_note}", **common)
        if code == "412" or status == 412:
            field_errors = _field_errors(payload)
            listed = "; ".join(f"{f.field}: {f.message}" for f in field_errors)
            detail = f" {redact_text(listed, secrets=secrets)}" if listed else ""
            return Rejected(
                f"BPJS menolak data yang dikirim.{detail}{bpjs_note}",
                reason="validation",
                field_errors=field_errors,
                **common,
            )
        if code.startswith("5") or status >= 500:
            return ServerError(
                f"Server BPJS ({cfg.service}) mengalami kesalahan (kode {code}). Coba lagi "
                f"beberapa saat lagi.{bpjs_note}",
                **common,
            )
        if status == 429:
            return Rejected(
                f"BPJS membatasi jumlah permintaan; coba lagi sebentar lagi.{bpjs_note}",
                reason="rate_limited",
                retryable=True,
                **common,
            )
        return Rejected(
            f"BPJS menolak permintaan (kode {code}).{bpjs_note}",
            reason="refused",
            field_errors=_field_errors(payload),
            **common,
        )

    # ----------------------------------------------------------------------------- logging

    def _log_result(self, method: str, safe_path: str, raw: _Raw, code: str) -> None:
        logger.info(
            "bpjs %s %s %s -> http=%s code=%s %.0fms",
            self.config.service,
            method,
            safe_path,
            raw.status,
            code,
            raw.elapsed_ms,
        )

    def _log_failure(
        self, secrets: tuple[str, ...], method: str, safe_path: str, reason: str, exc: Exception
    ) -> None:
        logger.warning(
            "bpjs %s %s %s -> %s (%s)",
            self.config.service,
            method,
            safe_path,
            reason,
            redact_text(type(exc).__name__ + ": " + str(exc), secrets=secrets)[:300],
        )

    def _log_retry(self, operation: str, safe_path: str, attempt: int, reason: str) -> None:
        logger.info(
            "bpjs %s GET %s attempt %d failed (%s); retrying",
            self.config.service,
            safe_path,
            attempt,
            reason,
        )


def _as_json(body: Any) -> Any:
    """The request body as data, when it was given as JSON text."""
    if isinstance(body, str | bytes):
        try:
            return json.loads(body)
        except ValueError:
            return None
    return body


def _field_errors(payload: Any) -> list[FieldError]:
    items = payload if isinstance(payload, list) else [payload]
    errors: list[FieldError] = []
    for item in items:
        if isinstance(item, Mapping) and ("field" in item or "message" in item):
            errors.append(FieldError(str(item.get("field") or ""), str(item.get("message") or "")))
    return errors
