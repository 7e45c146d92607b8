"""BPJS request signing and response encryption (PROTOCOL.md §2.2, §2.3, §3.3).

* ``X-signature`` = base64(HMAC-SHA256(key=consumer secret, msg=``cons_id + "&" + timestamp``)).
* ``X-authorization`` = ``"Basic " + base64(username + ":" + password + ":" + app_code)``.
* Response key = SHA-256(``cons_id + secret + timestamp``) (raw 32 bytes, AES-256), IV = its
  first 16 bytes, AES-CBC with PKCS#7 padding, around LZ-string's URI-safe compression.

``encrypt_payload`` exists for the sandbox and the tests: BPJS never expects encrypted requests.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import hmac

from cryptography.hazmat.primitives import padding
from cryptography.hazmat.primitives.ciphers import Cipher, algorithms, modes

from bridging.transport.errors import DecryptionError
from bridging.transport.lzstring import (
    compress_to_encoded_uri_component,
    decompress_from_encoded_uri_component,
)

__all__ = ["decrypt_payload", "derive_key", "encrypt_payload", "sign", "x_authorization"]

_BLOCK_BITS = 128


def sign(cons_id: str, secret: str, timestamp: str) -> str:
    """The ``X-signature`` header for this consumer and timestamp."""
    digest = hmac.new(
        secret.encode("utf-8"), f"{cons_id}&{timestamp}".encode(), hashlib.sha256
    ).digest()
    return base64.b64encode(digest).decode("ascii")


def x_authorization(username: str, password: str, app_code: str = "095") -> str:
    """The ``X-authorization`` header (PCare and iCare FKTP)."""
    token = base64.b64encode(f"{username}:{password}:{app_code}".encode()).decode("ascii")
    return f"Basic {token}"


def derive_key(cons_id: str, secret: str, timestamp: str) -> bytes:
    """The AES-256 key for responses to the request sent with ``timestamp``; IV is key[:16]."""
    return hashlib.sha256(f"{cons_id}{secret}{timestamp}".encode()).digest()


def _cipher(key: bytes) -> Cipher[modes.CBC]:
    return Cipher(algorithms.AES(key), modes.CBC(key[:16]))


def encrypt_payload(text: str, *, cons_id: str, secret: str, timestamp: str) -> str:
    """What BPJS puts in ``response``: base64(AES-256-CBC(LZ-string(text)))."""
    compressed = compress_to_encoded_uri_component(text).encode("ascii")
    padder = padding.PKCS7(_BLOCK_BITS).padder()
    padded = padder.update(compressed) + padder.finalize()
    encryptor = _cipher(derive_key(cons_id, secret, timestamp)).encryptor()
    return base64.b64encode(encryptor.update(padded) + encryptor.finalize()).decode("ascii")


def decrypt_payload(data: str, *, cons_id: str, secret: str, timestamp: str) -> str:
    """The text inside an encrypted ``response``; ``DecryptionError`` says which layer failed.

    A failure at the AES layer almost always means the key is wrong: a wrong consumer secret
    or cons-id, or a response decrypted with a timestamp other than the one sent.
    """
    try:
        raw = base64.b64decode(data, validate=False)
    except (binascii.Error, ValueError) as exc:
        raise DecryptionError(
            "Respons BPJS bukan base64 yang sah; data tidak dapat dibaca.",
            reason="not_base64",
        ) from exc
    if not raw or len(raw) % 16:
        raise DecryptionError(
            f"Respons BPJS terpotong atau rusak (panjang {len(raw)} byte bukan kelipatan 16).",
            reason="bad_ciphertext_length",
        )
    decryptor = _cipher(derive_key(cons_id, secret, timestamp)).decryptor()
    padded = decryptor.update(raw) + decryptor.finalize()
    unpadder = padding.PKCS7(_BLOCK_BITS).unpadder()
    try:
        compressed = unpadder.update(padded) + unpadder.finalize()
        lz_text = compressed.decode("ascii")
    except (ValueError, UnicodeDecodeError) as exc:
        raise DecryptionError(
            "Respons BPJS tidak dapat didekripsi. Kemungkinan consumer secret atau Consumer ID "
            "di pengaturan bridging salah (kunci dekripsi tidak cocok).",
            reason="wrong_key",
        ) from exc
    text = decompress_from_encoded_uri_component(lz_text)
    # JavaScript gives "" both for an empty text ("Q") and for a stream cut short.
    if text is None or (text == "" and lz_text != "Q"):
        raise DecryptionError(
            "Respons BPJS berhasil didekripsi tetapi isinya rusak (dekompresi LZ-string gagal).",
            reason="lz_corrupt",
        )
    return text
