"""Capture each exchange a UAT step makes, redacted, for the evidence pack.

BPJS calls go through :class:`RecordingTransport` (a :class:`Transport` that notes the request
it was asked to send and the decoded answer or the error). Calls to the clinic's own web service
go through :meth:`Recorder.http`. Everything stored passes :func:`bridging.transport.redact`:
no secret, token, card number, NIK or name reaches the report.
"""

from __future__ import annotations

import json
import time
from collections.abc import Iterable
from datetime import UTC, datetime
from typing import Any

import requests

from bridging.transport.errors import BridgingError
from bridging.transport.http import BpjsResponse, Transport
from bridging.transport.redact import redact, redact_text

__all__ = ["HttpAnswer", "Recorder", "RecordingTransport"]

#: Longest text kept of one answer (long reference lists are cut; the report says so).
MAX_TEXT = 4000


def _now_iso() -> str:
    return datetime.now(UTC).isoformat()


def _clip(value: Any) -> Any:
    text = json.dumps(value, ensure_ascii=False, default=str)
    if len(text) <= MAX_TEXT:
        return value
    return {"truncated": True, "length": len(text), "start": text[:MAX_TEXT]}


class Recorder:
    """Collects the exchanges of the step being run (``begin`` clears, ``take`` hands over)."""

    def __init__(self, secrets: Iterable[str] = ()) -> None:
        self._secrets = {s for s in secrets if s}
        self._items: list[dict[str, Any]] = []
        self.session = requests.Session()

    def add_secrets(self, *secrets: str) -> None:
        self._secrets.update(s for s in secrets if s)

    def begin(self) -> None:
        self._items = []

    def take(self) -> list[dict[str, Any]]:
        items, self._items = self._items, []
        return items

    def safe(self, value: Any) -> Any:
        return _clip(redact(value, secrets=self._secrets))

    def note(self, entry: dict[str, Any]) -> None:
        self._items.append(entry)

    # ---- the clinic's web service (plain HTTP, as BPJS calls it) ------------------------------
    def http(
        self,
        method: str,
        url: str,
        *,
        headers: dict[str, str] | None = None,
        body: Any = None,
        timeout: float = 20.0,
        keep_body: bool = True,
        target: str = "clinic",
    ) -> HttpAnswer:
        started = time.perf_counter()
        entry: dict[str, Any] = {
            "at": _now_iso(),
            "target": target,
            "method": method,
            "path": redact_text(url, secrets=self._secrets),
            "headers": self.safe(headers or {}),
            "body": self.safe(body) if body is not None else None,
        }
        try:
            resp = self.session.request(
                method,
                url,
                headers=headers,
                data=body if isinstance(body, str) or body is None else json.dumps(body),
                timeout=timeout,
            )
        except requests.RequestException as exc:
            entry["error"] = {"type": type(exc).__name__, "message": redact_text(str(exc))}
            entry["elapsed_ms"] = round((time.perf_counter() - started) * 1000, 1)
            self._items.append(entry)
            raise
        try:
            parsed: Any = resp.json()
        except ValueError:
            parsed = None
        kept: Any = None
        if keep_body:
            kept = self.safe(parsed) if parsed is not None else self.safe(resp.text[:500])
        entry["response"] = {"http_status": resp.status_code, "body": kept}
        entry["elapsed_ms"] = round((time.perf_counter() - started) * 1000, 1)
        self._items.append(entry)
        return HttpAnswer(resp.status_code, parsed, resp.headers.get("Content-Type", ""))


class HttpAnswer:
    """The clinic web service's answer: HTTP status and the parsed JSON (or ``None``)."""

    def __init__(self, status: int, body: Any, content_type: str = "") -> None:
        self.status = status
        self.body = body
        self.content_type = content_type

    @property
    def metadata(self) -> dict[str, Any]:
        if isinstance(self.body, dict):
            meta = self.body.get("metadata")
            if isinstance(meta, dict):
                return meta
        return {}

    @property
    def code(self) -> int | None:
        code = self.metadata.get("code")
        try:
            return int(code) if code is not None else None
        except (TypeError, ValueError):
            return None

    @property
    def message(self) -> str:
        return str(self.metadata.get("message", ""))

    @property
    def response(self) -> Any:
        return self.body.get("response") if isinstance(self.body, dict) else None

    def describe(self) -> str:
        return f"HTTP {self.status}, code {self.code}, “{self.message}”"


class RecordingTransport(Transport):
    """A transport that tells a :class:`Recorder` about every call (redacted)."""

    recorder: Recorder | None = None

    def request(self, method: str, path: str, **kwargs: Any) -> BpjsResponse:
        recorder = self.recorder
        if recorder is None:
            return super().request(method, path, **kwargs)
        recorder.add_secrets(self.config.secret, self.config.user_key, self.config.password)
        entry: dict[str, Any] = {
            "at": _now_iso(),
            "target": self.config.service,
            "method": method.upper(),
            "path": redact_text(path),
            "body": recorder.safe(kwargs.get("body")) if kwargs.get("body") is not None else None,
        }
        started = time.perf_counter()
        try:
            response = super().request(method, path, **kwargs)
        except BridgingError as exc:
            entry["error"] = recorder.safe(exc.to_dict())
            entry["elapsed_ms"] = round((time.perf_counter() - started) * 1000, 1)
            recorder.note(entry)
            raise
        entry["response"] = {
            "http_status": response.http_status,
            "code": response.code,
            "message": response.message,
            "data": recorder.safe(response.data),
        }
        entry["elapsed_ms"] = round(response.elapsed_ms, 1)
        recorder.note(entry)
        return response
