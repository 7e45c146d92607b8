"""A minimal signed BPJS client for the sandbox tests: requests + bridging.transport.crypto."""

from __future__ import annotations

import json
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import requests

from bridging.transport import crypto

CONS_ID = "1000"
SECRET = "sandbox-secret"
USER_KEY = "sandbox-user-key"
USERNAME = "klinik.demo"
PASSWORD = "Demo#2026"


@dataclass
class Answer:
    status: int
    body: Any
    timestamp: str
    headers: Any
    text: str

    @property
    def meta(self) -> dict[str, Any]:
        body = self.body
        return body.get("metaData") or body.get("metadata")

    @property
    def code(self) -> Any:
        return self.meta["code"]

    @property
    def message(self) -> str:
        return self.meta["message"]

    @property
    def raw(self) -> Any:
        return self.body["response"]

    @property
    def data(self) -> Any:
        """The decrypted response."""
        return json.loads(
            crypto.decrypt_payload(
                self.body["response"], cons_id=CONS_ID, secret=SECRET, timestamp=self.timestamp
            )
        )


class Bpjs:
    def __init__(
        self,
        base_url: str,
        *,
        cons_id: str = CONS_ID,
        secret: str = SECRET,
        user_key: str | None = USER_KEY,
        authorization: str | None = None,
        clock: Callable[[], float] = time.time,
    ) -> None:
        self.base_url = base_url.rstrip("/")
        self.cons_id = cons_id
        self.secret = secret
        self.user_key = user_key
        self.authorization = (
            authorization
            if authorization is not None
            else crypto.x_authorization(USERNAME, PASSWORD, "095")
        )
        self.clock = clock
        self.session = requests.Session()

    def headers(self, timestamp: str) -> dict[str, str]:
        headers = {
            "X-cons-id": self.cons_id,
            "X-timestamp": timestamp,
            "X-signature": crypto.sign(self.cons_id, self.secret, timestamp),
            "Content-Type": "Application/x-www-form-urlencoded",
        }
        if self.user_key is not None:
            headers["user_key"] = self.user_key
        if self.authorization:
            headers["X-authorization"] = self.authorization
        return headers

    def call(
        self,
        method: str,
        path: str,
        body: Any = None,
        *,
        headers: dict[str, str] | None = None,
        timeout: float = 15,
    ) -> Answer:
        timestamp = str(int(self.clock()))
        sent = self.headers(timestamp)
        if headers:
            sent.update(headers)
        response = self.session.request(
            method,
            f"{self.base_url}/{path.lstrip('/')}",
            data=json.dumps(body) if body is not None else None,
            headers=sent,
            timeout=timeout,
        )
        try:
            parsed = response.json()
        except ValueError:
            parsed = None
        return Answer(response.status_code, parsed, timestamp, response.headers, response.text)

    def get(self, path: str, **kwargs: Any) -> Answer:
        return self.call("GET", path, **kwargs)

    def post(self, path: str, body: Any, **kwargs: Any) -> Answer:
        return self.call("POST", path, body, **kwargs)

    def put(self, path: str, body: Any, **kwargs: Any) -> Answer:
        return self.call("PUT", path, body, **kwargs)

    def delete(self, path: str, body: Any = None, **kwargs: Any) -> Answer:
        return self.call("DELETE", path, body, **kwargs)
