"""Building blocks shared by the four typed BPJS clients (PCare, Antrean FKTP, iCare, VClaim).

Nothing here knows a wire name: those live only in each service's ``schemas.py``. This module
gives the schemas their tolerant field types (dates in both BPJS formats, empty strings read as
"absent", numbers that arrive as strings) and gives the clients one way to call the transport and
to turn a response that does not fit its model into :class:`InvalidResponse`.
"""

from __future__ import annotations

import re
from datetime import date, datetime
from decimal import Decimal, InvalidOperation
from typing import TYPE_CHECKING, Annotated, Any, ClassVar, Generic, Self, TypeVar
from urllib.parse import quote

from pydantic import (
    BaseModel,
    BeforeValidator,
    ConfigDict,
    PlainSerializer,
    TypeAdapter,
    ValidationError,
)

from bridging.transport.errors import InvalidResponse

if TYPE_CHECKING:
    from bridging.transport.http import BpjsResponse, ServiceConfig, Transport

T = TypeVar("T")
M = TypeVar("M", bound=BaseModel)


class WireModel(BaseModel):
    """Base of every request and response model.

    Attributes are English snake_case; the BPJS names are their aliases. Models accept either
    spelling on input, always write the BPJS spelling, and ignore fields they do not know.
    """

    model_config = ConfigDict(
        validate_by_name=True,
        validate_by_alias=True,
        serialize_by_alias=True,
        extra="ignore",
    )

    def to_wire(self) -> dict[str, Any]:
        """The JSON body BPJS expects (wire names, BPJS date formats, nulls kept)."""
        return self.model_dump(mode="json", by_alias=True)


# --- scalar coercions ------------------------------------------------------------------------


def _blank_to_none(value: Any) -> Any:
    if value is None:
        return None
    if isinstance(value, str) and value.strip() == "":
        return None
    return value


def _text(value: Any) -> Any:
    value = _blank_to_none(value)
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int | float | Decimal):
        return str(value)
    return value


def _required_text(value: Any) -> Any:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int | float | Decimal):
        return str(value)
    return value


def _decimal(value: Any) -> Any:
    value = _blank_to_none(value)
    if isinstance(value, str):
        cleaned = value.strip().replace(",", ".")
        try:
            return Decimal(cleaned)
        except InvalidOperation:
            return value  # let pydantic report it
    if isinstance(value, float):
        return Decimal(str(value))
    return value


def _object_or_none(value: Any) -> Any:
    """Nested objects: a non-object, or an object whose values are all empty, is absent."""
    if isinstance(value, dict):
        if all(_blank_to_none(v) is None for v in value.values()):
            return None
        return value
    if isinstance(value, BaseModel):
        return value
    return None


_DATE_PREFIX = re.compile(r"^\s*(\d{1,4})[-/](\d{1,2})[-/](\d{1,4})")


def parse_bpjs_date(value: Any) -> Any:
    """Read ``dd-mm-yyyy`` or ``yyyy-mm-dd`` (a time part, if any, is ignored)."""
    value = _blank_to_none(value)
    if value is None or (isinstance(value, date) and not isinstance(value, datetime)):
        return value
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, str):
        match = _DATE_PREFIX.match(value)
        if match is None:
            return value  # pydantic reports it as an invalid date
        first, second, third = match.groups()
        try:
            if len(first) == 4:
                return date(int(first), int(second), int(third))
            if len(third) == 4:
                return date(int(third), int(second), int(first))
        except ValueError:
            return value
    return value


def format_dmy(value: date) -> str:
    """PCare's date format, ``dd-mm-yyyy``."""
    return value.strftime("%d-%m-%Y")


def format_iso(value: date) -> str:
    """Antrean FKTP's and VClaim's date format, ``yyyy-mm-dd``."""
    return value.strftime("%Y-%m-%d")


def _dmy_or_none(value: date | None) -> str | None:
    return None if value is None else format_dmy(value)


def _iso_or_none(value: date | None) -> str | None:
    return None if value is None else format_iso(value)


def _number_out(value: Decimal | None) -> int | float | None:
    if value is None:
        return None
    if value == value.to_integral_value():
        return int(value)
    return float(value)


def _decimal_comma(value: Decimal | None) -> str | None:
    if value is None:
        return None
    return format(value, "f").replace(".", ",")


# Optional text: "" and null both read as None; numbers arrive as strings.
Text = Annotated[str | None, BeforeValidator(_text)]
# Required text: numbers are accepted and read as strings.
Code = Annotated[str, BeforeValidator(_required_text)]
OptInt = Annotated[int | None, BeforeValidator(_blank_to_none)]
OptBool = Annotated[bool | None, BeforeValidator(_blank_to_none)]
# A number read from a number or a string ("36,4" and "36.4" alike); written as a JSON number.
OptDecimal = Annotated[
    Decimal | None, BeforeValidator(_decimal), PlainSerializer(_number_out, return_type=Any)
]
# A decimal written the catalogue's way, with a decimal comma ("36,4").
CommaDecimal = Annotated[
    Decimal | None,
    BeforeValidator(_decimal),
    PlainSerializer(_decimal_comma, return_type=str | None),
]
# PCare dates (dd-mm-yyyy on the wire).
DmyDate = Annotated[
    date, BeforeValidator(parse_bpjs_date), PlainSerializer(format_dmy, return_type=str)
]
OptDmyDate = Annotated[
    date | None,
    BeforeValidator(parse_bpjs_date),
    PlainSerializer(_dmy_or_none, return_type=str | None),
]
# Antrean FKTP and VClaim dates (yyyy-mm-dd on the wire).
IsoDate = Annotated[
    date, BeforeValidator(parse_bpjs_date), PlainSerializer(format_iso, return_type=str)
]
OptIsoDate = Annotated[
    date | None,
    BeforeValidator(parse_bpjs_date),
    PlainSerializer(_iso_or_none, return_type=str | None),
]


# Metadata for an optional nested object that may arrive empty, null or as a scalar:
# ``Annotated[SomeModel | None, Nested]``.
Nested = BeforeValidator(_object_or_none)


# --- lists and pages -------------------------------------------------------------------------


class Page(BaseModel, Generic[T]):
    """One page of a paged BPJS list: ``count`` is the total the server reports."""

    count: int
    items: list[T]


def list_payload(data: Any) -> tuple[list[Any], int | None]:
    """The items of a list answer, whether ``{count, list: [...]}``, a bare list, or nothing."""
    if data is None or data == "" or data == {}:
        return [], 0
    if isinstance(data, list):
        return data, None
    if isinstance(data, dict):
        items = data.get("list")
        if items is None:
            for value in data.values():
                if isinstance(value, list):
                    items = value
                    break
        if items is None:
            raise _ShapeError("jawaban bukan daftar (tidak ada 'list')")
        raw_count = data.get("count")
        try:
            count = int(raw_count) if raw_count is not None else None
        except (TypeError, ValueError):
            count = None
        return list(items), count
    raise _ShapeError("jawaban bukan daftar")


class _ShapeError(ValueError):
    pass


def answer_fields(data: Any) -> dict[str, Any]:
    """A write answer as ``{field: message}``.

    PCare answers writes with one ``{field, message}`` object or a list of them (PROTOCOL.md
    §4.4: UNCONFIRMED which), so both are read; entries without a field name are skipped.
    """
    entries = [data] if isinstance(data, dict) else data if isinstance(data, list) else []
    fields: dict[str, Any] = {}
    for entry in entries:
        if isinstance(entry, dict) and isinstance(entry.get("field"), str):
            fields.setdefault(entry["field"], _blank_to_none(entry.get("message")))
    return fields


def field_message(data: Any, field: str) -> str | None:
    """The ``message`` of the ``{field, message}`` entry naming ``field``, if any."""
    value = answer_fields(data).get(field)
    return None if value is None else str(value)


def segment(value: object) -> str:
    """One URL path segment, percent-encoded (search keywords may hold spaces or slashes)."""
    return quote(str(value), safe="")


# --- client base -----------------------------------------------------------------------------

_adapters: dict[Any, TypeAdapter[Any]] = {}


def _adapter(kind: Any) -> TypeAdapter[Any]:
    adapter = _adapters.get(kind)
    if adapter is None:
        adapter = TypeAdapter(kind)
        _adapters[kind] = adapter
    return adapter


def _describe(exc: ValidationError) -> str:
    # Field locations and reasons only: the offending values may be patient data.
    parts = []
    for error in exc.errors()[:3]:
        location = ".".join(str(p) for p in error["loc"]) or "(jawaban)"
        parts.append(f"{location}: {error['msg']}")
    more = exc.error_count() - len(parts)
    if more > 0:
        parts.append(f"dan {more} lainnya")
    return "; ".join(parts)


class ServiceClient:
    """Common plumbing of the typed clients: one transport, typed parsing, error mapping."""

    service: ClassVar[str] = ""
    service_label: ClassVar[str] = ""

    def __init__(self, transport: Transport) -> None:
        self._transport = transport

    @classmethod
    def from_config(cls, config: ServiceConfig, **transport_options: Any) -> Self:
        """A client over a new :class:`Transport` for ``config`` (options go to the transport)."""
        from bridging.transport.http import Transport

        return cls(Transport(config, **transport_options))

    @property
    def transport(self) -> Transport:
        return self._transport

    def _request(
        self,
        method: str,
        path: str,
        *,
        operation: str,
        body: Any = None,
        authorization: bool = False,
        content_type: str | None = None,
        ok_codes: frozenset[str] | None = None,
        decrypt: bool = True,
    ) -> BpjsResponse:
        return self._transport.request(
            method,
            path,
            body=body,
            authorization=authorization,
            content_type=content_type,
            operation=operation,
            ok_codes=ok_codes,
            decrypt=decrypt,
        )

    def _invalid(
        self,
        response: BpjsResponse | None,
        operation: str,
        detail: str,
        *,
        maybe_applied: bool = False,
    ) -> InvalidResponse:
        message = (
            f"Jawaban {self.service_label} untuk '{operation}' tidak sesuai format yang dikenal "
            f"({detail}). Data tidak diproses; coba lagi nanti atau laporkan ke admin."
        )
        return InvalidResponse(
            message,
            service=self.service,
            operation=operation,
            code=None if response is None else response.code,
            http_status=None if response is None else response.http_status,
            retryable=True,
            maybe_applied=maybe_applied,
            reason="unexpected_shape",
        )

    def _parse(
        self,
        kind: Any,
        data: Any,
        *,
        response: BpjsResponse,
        operation: str,
        write: bool = False,
    ) -> Any:
        """Validate ``data`` as ``kind``; a misfit is :class:`InvalidResponse`.

        ``write`` marks the answer to a write: the write may then have been applied.
        """
        try:
            return _adapter(kind).validate_python(data)
        except ValidationError as exc:
            raise self._invalid(response, operation, _describe(exc), maybe_applied=write) from None

    def _parse_list(self, item: Any, response: BpjsResponse, operation: str) -> list[Any]:
        try:
            items, _ = list_payload(response.data)
        except _ShapeError as exc:
            raise self._invalid(response, operation, str(exc)) from None
        result: list[Any] = self._parse(list[item], items, response=response, operation=operation)
        return result

    def _parse_page(self, item: Any, response: BpjsResponse, operation: str) -> Page[Any]:
        try:
            items, count = list_payload(response.data)
        except _ShapeError as exc:
            raise self._invalid(response, operation, str(exc)) from None
        parsed: list[Any] = self._parse(list[item], items, response=response, operation=operation)
        return Page[Any](count=len(parsed) if count is None else count, items=parsed)

    def _written(self, kind: type[M], response: BpjsResponse, operation: str) -> M:
        """The identifiers a write answer carries, read into ``kind`` by their wire names.

        A missing identifier is :class:`InvalidResponse` with ``maybe_applied`` set: the write
        may have gone through although we cannot tell its number.
        """
        parsed: M = self._parse(
            kind, answer_fields(response.data), response=response, operation=operation, write=True
        )
        return parsed
