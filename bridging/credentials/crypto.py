"""Encryption at rest for the BPJS secrets (consumer secret, user_key, PCare password).

Fernet (AES-128-CBC + HMAC-SHA256, from ``cryptography``) with the key in
``settings.FIELD_ENCRYPTION_KEY``. The setting may hold several keys separated by commas: the
first encrypts, every one of them decrypts (key rotation: put the new key first, re-save, then
drop the old one).

Development only: when the setting is empty and the install is not production, a key is derived
deterministically from ``SECRET_KEY`` with HKDF-SHA256, so a fresh checkout works without setup.
Such a key is exactly as secret as ``SECRET_KEY`` and changes with it; production refuses to start
without ``FIELD_ENCRYPTION_KEY`` (see ``clinic/settings.py``).
"""

from __future__ import annotations

import base64
import binascii
from functools import lru_cache

from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.kdf.hkdf import HKDF
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

from bridging.transport.errors import ConfigurationError

__all__ = ["SecretUnreadable", "decrypt_text", "derive_dev_key", "encrypt_text"]

_HKDF_SALT = b"klinik-bpjs/field-encryption/v1"
_HKDF_INFO = b"bpjs-credentials"


class SecretUnreadable(ConfigurationError):
    """A stored secret does not decrypt with the configured key(s)."""

    default_reason = "secret_unreadable"


def derive_dev_key(secret_key: str) -> bytes:
    """A Fernet key derived from ``SECRET_KEY`` (development installs only)."""
    raw = HKDF(algorithm=hashes.SHA256(), length=32, salt=_HKDF_SALT, info=_HKDF_INFO).derive(
        secret_key.encode("utf-8")
    )
    return base64.urlsafe_b64encode(raw)


@lru_cache(maxsize=8)
def _fernet_for(configured: str, secret_key: str, production: bool) -> MultiFernet:
    keys = [k.strip() for k in configured.split(",") if k.strip()]
    if not keys:
        if production:
            raise ImproperlyConfigured("Production needs FIELD_ENCRYPTION_KEY (a Fernet key).")
        return MultiFernet([Fernet(derive_dev_key(secret_key))])
    try:
        return MultiFernet([Fernet(k.encode("ascii")) for k in keys])
    except (ValueError, binascii.Error, UnicodeEncodeError) as exc:
        raise ImproperlyConfigured(
            "FIELD_ENCRYPTION_KEY must be one or more Fernet keys (32 bytes, url-safe base64), "
            "separated by commas. Make one with: python -c 'from cryptography.fernet import "
            "Fernet; print(Fernet.generate_key().decode())'"
        ) from exc


def _fernet() -> MultiFernet:
    return _fernet_for(
        str(getattr(settings, "FIELD_ENCRYPTION_KEY", "") or ""),
        str(settings.SECRET_KEY),
        bool(getattr(settings, "PRODUCTION", False)),
    )


def encrypt_text(value: str) -> str:
    """The Fernet token of ``value`` ("" stays "": nothing stored)."""
    if not value:
        return ""
    return _fernet().encrypt(value.encode("utf-8")).decode("ascii")


def decrypt_text(token: str, *, what: str = "secret") -> str:
    """The plain text of a stored token; ``SecretUnreadable`` when no key opens it."""
    if not token:
        return ""
    try:
        return _fernet().decrypt(token.encode("ascii")).decode("utf-8")
    except (InvalidToken, UnicodeError) as exc:
        raise SecretUnreadable(
            f"Nilai {what} yang tersimpan tidak dapat dibuka dengan kunci enkripsi saat ini "
            "(FIELD_ENCRYPTION_KEY berubah?). Isi ulang nilainya di menu Kredensial BPJS.",
            reason="secret_unreadable",
        ) from exc
