"""A minimal WSGI request/response pair and a path router (no framework)."""

from __future__ import annotations

import contextlib
import json
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import parse_qs

Environ = dict[str, Any]
StartResponse = Callable[..., Any]

REASONS = {
    200: "OK",
    201: "Created",
    204: "No Content",
    400: "Bad Request",
    401: "Unauthorized",
    403: "Forbidden",
    404: "Not Found",
    405: "Method Not Allowed",
    410: "Gone",
    412: "Precondition Failed",
    500: "Internal Server Error",
    504: "Gateway Timeout",
}


class Request:
    """What the app needs from a WSGI environ; header names are case-insensitive."""

    def __init__(self, environ: Environ) -> None:
        self.environ = environ
        self.method = str(environ.get("REQUEST_METHOD", "GET")).upper()
        raw_path = environ.get("PATH_INFO", "") or "/"
        # PEP 3333 hands PATH_INFO over as latin-1 decoded bytes.
        with contextlib.suppress(UnicodeEncodeError, UnicodeDecodeError):
            raw_path = raw_path.encode("latin-1").decode("utf-8")
        self.path: str = raw_path
        self.query: dict[str, list[str]] = parse_qs(environ.get("QUERY_STRING", ""))
        self.headers: dict[str, str] = {}
        for key, value in environ.items():
            if key.startswith("HTTP_"):
                self.headers[key[5:].replace("_", "-").lower()] = value
        if environ.get("CONTENT_TYPE"):
            self.headers["content-type"] = environ["CONTENT_TYPE"]
        self._body: bytes | None = None

    def header(self, name: str) -> str | None:
        """Header by name, any case; `user_key` and `user-key` are the same header here."""
        return self.headers.get(name.replace("_", "-").lower())

    def arg(self, name: str, default: str | None = None) -> str | None:
        values = self.query.get(name)
        return values[0] if values else default

    @property
    def body(self) -> bytes:
        if self._body is None:
            try:
                length = int(self.environ.get("CONTENT_LENGTH") or 0)
            except ValueError:
                length = 0
            stream = self.environ.get("wsgi.input")
            self._body = stream.read(length) if (stream is not None and length > 0) else b""
        return self._body

    def json(self) -> Any:
        """The raw body parsed as JSON whatever the Content-Type; raises ValueError."""
        if not self.body.strip():
            raise ValueError("empty body")
        return json.loads(self.body.decode("utf-8"))

    @property
    def host_url(self) -> str:
        scheme = self.environ.get("wsgi.url_scheme", "http")
        host = self.header("host")
        if not host:
            host = f"{self.environ.get('SERVER_NAME', '127.0.0.1')}:{self.environ.get('SERVER_PORT', '80')}"
        return f"{scheme}://{host}"


@dataclass
class Response:
    status: int = 200
    body: bytes = b""
    content_type: str = "application/json"
    headers: list[tuple[str, str]] = field(default_factory=list)

    @classmethod
    def json(cls, data: Any, status: int = 200) -> Response:
        text = json.dumps(data, ensure_ascii=False, separators=(",", ":"))
        return cls(status=status, body=text.encode("utf-8"), content_type="application/json")

    @classmethod
    def html(cls, text: str, status: int = 200) -> Response:
        return cls(
            status=status, body=text.encode("utf-8"), content_type="text/html; charset=utf-8"
        )

    def send(
        self, start_response: StartResponse, extra: Iterable[tuple[str, str]] = ()
    ) -> list[bytes]:
        reason = REASONS.get(self.status, "Unknown")
        headers = [
            ("Content-Type", self.content_type),
            ("Content-Length", str(len(self.body))),
            *self.headers,
            *extra,
        ]
        start_response(f"{self.status} {reason}", headers)
        return [self.body]


Handler = Callable[..., Any]


@dataclass(frozen=True)
class Route:
    method: str
    pattern: re.Pattern[str]
    handler: Handler
    name: str


class Router:
    """Routes like ``peserta/{noKartu}``; literal segments match in any case."""

    def __init__(self) -> None:
        self.routes: list[Route] = []

    def add(self, method: str, template: str, handler: Handler) -> None:
        parts = []
        for segment in template.strip("/").split("/"):
            if segment.startswith("{") and segment.endswith("}"):
                parts.append(f"(?P<{segment[1:-1]}>[^/]+)")
            else:
                parts.append(f"(?i:{re.escape(segment)})")
        pattern = re.compile("^" + "/".join(parts) + "$")
        self.routes.append(Route(method.upper(), pattern, handler, template))

    def match(self, method: str, path: str) -> tuple[Route | None, dict[str, str], bool]:
        """(route, params, path_known): path_known is True when only the method differs."""
        path = path.strip("/")
        path_known = False
        for route in self.routes:
            found = route.pattern.match(path)
            if found is None:
                continue
            if route.method == method:
                return route, found.groupdict(), True
            path_known = True
        return None, {}, path_known
