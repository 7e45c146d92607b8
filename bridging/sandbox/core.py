"""Shared pieces of the service handlers: the verified call, replies, envelopes, settings."""

from __future__ import annotations

import copy
import datetime as dt
import json
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from bridging.sandbox.data import STATUS_PULANG_INPATIENT_DEFAULT, USER_KEY, WIB
from bridging.sandbox.web import Request

if TYPE_CHECKING:
    from bridging.sandbox.app import SandboxApp

SERVICE_BASES = {
    "pcare-rest-dev": "pcare",
    "antreanfktp_dev": "antreanfktp",
    "ihs_dev": "icare",
    "vclaim-rest-dev": "vclaim",
}
SERVICE_NAMES = tuple(SERVICE_BASES.values())

NEWTONSOFT_MESSAGE = "Cannot access child value on Newtonsoft.Json.Linq.JValue."
LEGACY_404_MESSAGE = "Unauthorized! You are not registered for this service!"

DEFAULT_SETTINGS: dict[str, Any] = {
    "timestamp_window_seconds": 300,
    "kunjungan_response_shape": "list",
    "antrean_fktp_envelope": "metadata",
    "antrean_fktp_user_key": USER_KEY,
    "allow_other_fktp_pendaftaran": False,
    "referral_without_rujuklanjut": "500",
    "status_pulang_inpatient": [
        {"kdStatusPulang": code, "nmStatusPulang": name}
        for code, name in STATUS_PULANG_INPATIENT_DEFAULT
    ],
    "legacy_kunjungan_path": "404",
    "encrypt_412_list": False,
    "sep_update_response": "plain",
}


def _is_int(value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def _status_list(value: Any) -> bool:
    return isinstance(value, list) and all(
        isinstance(item, dict)
        and set(item) == {"kdStatusPulang", "nmStatusPulang"}
        and all(isinstance(v, str) for v in item.values())
        for item in value
    )


SETTING_VALIDATORS: dict[str, Callable[[Any], bool]] = {
    "timestamp_window_seconds": lambda v: _is_int(v) and v >= 0,
    "kunjungan_response_shape": lambda v: v in ("list", "object"),
    "antrean_fktp_envelope": lambda v: v in ("metadata", "metaData"),
    "antrean_fktp_user_key": lambda v: isinstance(v, str),
    "allow_other_fktp_pendaftaran": lambda v: isinstance(v, bool),
    "referral_without_rujuklanjut": lambda v: v in ("500", "412"),
    "status_pulang_inpatient": _status_list,
    "legacy_kunjungan_path": lambda v: v in ("404", "serve"),
    "encrypt_412_list": lambda v: isinstance(v, bool),
    "sep_update_response": lambda v: v in ("plain", "encrypted"),
}


def default_settings() -> dict[str, Any]:
    return copy.deepcopy(DEFAULT_SETTINGS)


_NO_VALUE = object()


@dataclass
class Reply:
    """A service answer before it is wrapped in the service's envelope.

    ``data`` is encrypted into ``response``; ``plain`` is put there as it is (errors, deletes).
    """

    code: int | str
    message: str
    data: Any = None
    plain: Any = _NO_VALUE
    http_status: int | None = None
    omit_response: bool = False

    @property
    def has_plain(self) -> bool:
        return self.plain is not _NO_VALUE


def ok(data: Any, *, code: int | str = 200, message: str = "OK") -> Reply:
    return Reply(code=code, message=message, data=data)


def plain(value: Any, *, code: int | str = 200, message: str = "OK") -> Reply:
    return Reply(code=code, message=message, plain=value)


def no_data() -> Reply:
    return Reply(code=204, message="Data tidak ditemukan", plain=None)


def server_error(message: str) -> Reply:
    return Reply(code=500, message=message, plain=[])


class Rejection(Exception):
    """Raised by a handler to answer 412 with ``[{field, message}]``."""

    def __init__(self, errors: list[tuple[str, str]]) -> None:
        super().__init__("; ".join(f"{f}: {m}" for f, m in errors))
        self.errors = errors


def reject(field_name: str, message: str) -> Rejection:
    return Rejection([(field_name, message)])


@dataclass
class Call:
    """A service request that passed the authentication checks."""

    app: SandboxApp
    request: Request
    service: str
    path: str
    params: dict[str, str]
    timestamp: str
    now: float
    settings: dict[str, Any]
    _body: Any = field(default=_NO_VALUE)

    @property
    def today(self) -> dt.date:
        return dt.datetime.fromtimestamp(self.now, WIB).date()

    @property
    def now_wib(self) -> dt.datetime:
        return dt.datetime.fromtimestamp(self.now, WIB)

    def body(self) -> Any:
        if self._body is _NO_VALUE:
            try:
                self._body = self.request.json()
            except (ValueError, UnicodeDecodeError):
                self._body = None
        return self._body

    def body_object(self) -> dict[str, Any]:
        body = self.body()
        if not isinstance(body, dict):
            raise reject("request", "Format request tidak valid (harus objek JSON)")
        return body


def iso_now(now: float) -> str:
    return dt.datetime.fromtimestamp(now, WIB).isoformat(timespec="milliseconds")


def parse_dmy(value: Any) -> dt.date | None:
    """dd-mm-yyyy (PCare) or None."""
    if not isinstance(value, str):
        return None
    try:
        return dt.datetime.strptime(value, "%d-%m-%Y").date()
    except ValueError:
        return None


def parse_ymd(value: Any) -> dt.date | None:
    """yyyy-mm-dd (Antrean FKTP, VClaim) or None."""
    if not isinstance(value, str) or len(value) != 10:
        return None
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        return None


def dmy(day: dt.date) -> str:
    return day.strftime("%d-%m-%Y")


def loads(text: str) -> Any:
    return json.loads(text)


def page(items: list[Any], start: str, limit: str) -> dict[str, Any]:
    """``{count, list}`` for ``{start}/{limit}``: start is the row offset, limit 1..500."""
    try:
        first = max(int(start), 0)
        size = min(max(int(limit), 0), 500)
    except ValueError as exc:
        raise reject("limit", "Parameter start/limit harus angka") from exc
    return {"count": len(items), "list": items[first : first + size]}
