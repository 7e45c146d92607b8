"""Redaction of secrets and patient identifiers: the one function every log line goes through.

``redact(value, secrets=...)`` accepts what we log or store for humans (the outbox keeps a
redacted copy of each attempt) and returns a copy that is safe to show:

* mappings (headers, JSON objects): values under sensitive keys are masked, whatever their
  type; keys compare case-insensitively, ignoring ``-`` and ``_`` (``X-Signature``,
  ``user_key``, ``noKTP``, ``nohp``...). Other values are redacted recursively.
* sequences: each item redacted.
* text: JSON text is parsed, redacted and written back; text that is not JSON (URL paths, log
  messages, HTML, truncated JSON) has ``"key": value`` pairs of sensitive keys, ``key=value``
  query parameters, 16-digit numbers (NIK) and 13-digit numbers (JKN card numbers) masked.
* any literal secret passed in ``secrets`` (the consumer secret, user_key, password) is masked
  wherever it appears.

Masks: ``"***"`` for secrets and personal fields, ``"[NIK]"`` and ``"[NOKARTU]"`` for bare
identifiers, so a log still shows what kind of value was there.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Mapping
from typing import Any

__all__ = ["MASK", "is_sensitive_key", "redact", "redact_text", "sensitive_values"]

MASK = "***"
NIK_MASK = "[NIK]"
CARD_MASK = "[NOKARTU]"

# Normalised (lower case, no "-", "_" or spaces) keys whose values are always masked.
_SECRET_KEYS = frozenset(
    {
        "xsignature",
        "signature",
        "xauthorization",
        "authorization",
        "proxyauthorization",
        "userkey",
        "secret",
        "consumersecret",
        "conssecret",
        "password",
        "passwd",
        "pwd",
        "pass",
        "xpassword",
        "username",
        "xusername",
        "token",
        "xtoken",
        "accesstoken",
        "refreshtoken",
        "apikey",
        "cookie",
        "setcookie",
    }
)
_PATIENT_KEYS = frozenset(
    {
        "nama",
        "nmpst",
        "namapeserta",
        "namapasien",
        "nohp",
        "notelp",
        "nomorhp",
        "nomortelepon",
        "telepon",
        "telp",
        "alamat",
        "noktp",
        "nik",
        "nokartu",
        "noka",
        "nokapst",
        "nomorkartu",
        "nomorpeserta",
        "tgllahir",
        "tanggallahir",
        "email",
    }
)
_SENSITIVE_KEYS = _SECRET_KEYS | _PATIENT_KEYS
# Substrings that make any key sensitive (e.g. "pcarePassword", "x-cons-secret").
_SENSITIVE_PARTS = ("password", "secret", "token", "signature", "authorization")

_NIK = re.compile(r"(?<!\d)\d{16}(?!\d)")
_CARD = re.compile(r"(?<!\d)\d{13}(?!\d)")
_SECRET_KEY_PATTERNS = (
    "x[-_]?signature",
    "x[-_]?authorization",
    "authorization",
    "user[-_]?key",
    "[a-z_]*secret",
    "[a-z_]*password",
    "passwd",
    "pwd",
    "x[-_]?username",
    "username",
    "[a-z_]*token",
)
_PATIENT_KEY_PATTERNS = (
    "nama",
    "nmpst",
    "namapeserta",
    "namapasien",
    "no[-_]?hp",
    "no[-_]?telp",
    "nomorhp",
    "telepon",
    "alamat",
    "no[-_]?ktp",
    "nik",
    "no[-_]?kartu",
    "noka",
    "nokapst",
    "nomorkartu",
    "tgl[-_]?lahir",
    "tanggallahir",
    "email",
)
_KEY_ALTERNATIVES = "|".join((*_SECRET_KEY_PATTERNS, *_PATIENT_KEY_PATTERNS))
_SECRET_KEY_ALTERNATIVES = "|".join(_SECRET_KEY_PATTERNS)
# "key": "value" or "key": 123 inside JSON-like text (also when it does not parse).
_JSON_PAIR = re.compile(
    rf'("(?:{_KEY_ALTERNATIVES})"\s*:\s*)("(?:[^"\\]|\\.)*"|[^,}}\]\s]+)', re.IGNORECASE
)
# key=value (query strings, form bodies) for every sensitive key ...
_KV_PAIR = re.compile(
    rf"(?<![A-Za-z])((?:{_KEY_ALTERNATIVES})\s*=\s*)([^&\s,;\"']+)", re.IGNORECASE
)
# ... and "Key: value" (header lines) for secrets only: "noKartu: ..." is prose in messages.
_HEADER_PAIR = re.compile(
    rf"(?<![A-Za-z])((?:{_SECRET_KEY_ALTERNATIVES})\s*:\s*)((?:basic\s+|bearer\s+)?[^&\s,;\"']+)",
    re.IGNORECASE,
)
_MIN_SECRET_LENGTH = 4


def _normalise(key: str) -> str:
    return key.lower().replace("-", "").replace("_", "").replace(" ", "")


def is_sensitive_key(key: str) -> bool:
    """Whether values under this key (header or JSON field) must never be shown."""
    norm = _normalise(key)
    return norm in _SENSITIVE_KEYS or any(part in norm for part in _SENSITIVE_PARTS)


def _mask_secrets(text: str, secrets: tuple[str, ...]) -> str:
    for secret in secrets:
        if secret in text:
            text = text.replace(secret, MASK)
    return text


def redact_text(text: str, *, secrets: Iterable[str] = ()) -> str:
    """Redact free text: JSON text, a URL or path, a log message, an HTML page."""
    secret_values = _usable_secrets(secrets)
    return _redact_text(text, secret_values)


def _redact_text(text: str, secrets: tuple[str, ...]) -> str:
    stripped = text.lstrip()
    if stripped[:1] in ("{", "["):
        try:
            parsed = json.loads(text)
        except ValueError:
            pass
        else:
            return json.dumps(_redact(parsed, secrets), ensure_ascii=False, separators=(",", ":"))
    text = _mask_secrets(text, secrets)
    text = _JSON_PAIR.sub(lambda m: f'{m.group(1)}"{MASK}"', text)
    text = _KV_PAIR.sub(lambda m: f"{m.group(1)}{MASK}", text)
    text = _HEADER_PAIR.sub(lambda m: f"{m.group(1)}{MASK}", text)
    text = _NIK.sub(NIK_MASK, text)
    return _CARD.sub(CARD_MASK, text)


def _usable_secrets(secrets: Iterable[str]) -> tuple[str, ...]:
    # Longest first, so a secret that contains another is masked whole.
    unique = {s for s in secrets if s and len(s) >= _MIN_SECRET_LENGTH}
    return tuple(sorted(unique, key=len, reverse=True))


def _redact(value: Any, secrets: tuple[str, ...]) -> Any:
    if isinstance(value, str):
        return _redact_text(value, secrets)
    if isinstance(value, bytes | bytearray):
        return _redact_text(bytes(value).decode("utf-8", "replace"), secrets)
    if isinstance(value, Mapping):
        return {
            key: (MASK if isinstance(key, str) and is_sensitive_key(key) else _redact(v, secrets))
            for key, v in value.items()
        }
    if isinstance(value, list | tuple | set | frozenset):
        return [_redact(item, secrets) for item in value]
    if isinstance(value, bool) or value is None or isinstance(value, float):
        return value
    if isinstance(value, int):
        text = str(value)
        if len(text) == 16:
            return NIK_MASK
        if len(text) == 13:
            return CARD_MASK
        return value
    return _redact_text(str(value), secrets)


def sensitive_values(value: Any) -> list[str]:
    """The text values found under sensitive keys (a patient's name, a password...).

    The transport masks these literally in everything it logs about the same request, so a
    name that BPJS echoes back inside an error page or message is masked too.
    """
    found: list[str] = []

    def walk(item: Any, sensitive: bool) -> None:
        if isinstance(item, Mapping):
            for key, sub in item.items():
                walk(sub, sensitive or (isinstance(key, str) and is_sensitive_key(key)))
        elif isinstance(item, list | tuple):
            for sub in item:
                walk(sub, sensitive)
        elif sensitive and isinstance(item, str | int) and not isinstance(item, bool):
            text = str(item)
            if len(text) >= _MIN_SECRET_LENGTH:
                found.append(text)

    walk(value, False)
    return found


def redact(value: Any, *, secrets: Iterable[str] = ()) -> Any:
    """A copy of ``value`` with secrets and patient identifiers masked (see the module doc).

    ``secrets`` are literal values to mask anywhere (consumer secret, user_key, passwords);
    values shorter than four characters are ignored, since masking them would garble text.
    """
    return _redact(value, _usable_secrets(secrets))
