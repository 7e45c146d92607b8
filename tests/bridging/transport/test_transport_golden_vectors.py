"""The transport reproduces /work/shared/bpjs/vectors.json exactly (independent implementations)."""

from __future__ import annotations

import base64
import hashlib
import hmac
from typing import Any

import pytest

from bridging.transport.crypto import (
    decrypt_payload,
    derive_key,
    encrypt_payload,
    sign,
    x_authorization,
)
from bridging.transport.lzstring import (
    compress_to_encoded_uri_component,
    decompress_from_encoded_uri_component,
)


def test_signature_vectors_match(vectors: dict[str, Any]) -> None:
    assert len(vectors["signature"]) == 2
    for vector in vectors["signature"]:
        assert (
            sign(vector["consid"], vector["secret"], vector["timestamp"]) == vector["x_signature"]
        )


def test_signature_signs_consid_ampersand_timestamp(vectors: dict[str, Any]) -> None:
    for vector in vectors["signature"]:
        assert f"{vector['consid']}&{vector['timestamp']}" == vector["message"]


def test_catalogue_hmac_example_uses_the_same_primitive(vectors: dict[str, Any]) -> None:
    example = vectors["hmac_catalogue_example"]
    digest = hmac.new(example["key"].encode(), example["message"].encode(), hashlib.sha256)
    assert base64.b64encode(digest.digest()).decode() == example["base64"]


def test_x_authorization_vector_matches(vectors: dict[str, Any]) -> None:
    (vector,) = vectors["x_authorization"]
    header = x_authorization(vector["username"], vector["password"], vector["kd_aplikasi"])
    assert header == vector["header"]
    assert x_authorization(vector["username"], vector["password"]) == vector["header"]


def test_derived_key_is_sha256_of_consid_secret_timestamp(vectors: dict[str, Any]) -> None:
    key_vector = vectors["decrypt_key"]
    assert key_vector["key_plain"] == "12345S3cr3tK3y1700000000"
    assert derive_key("12345", "S3cr3tK3y", "1700000000").hex() == key_vector["sha256_hex"]


@pytest.mark.parametrize("index", [0, 1])
def test_encrypted_response_decrypts_to_plaintext(vectors: dict[str, Any], index: int) -> None:
    vector = vectors["encrypted_responses"][index]
    plain = decrypt_payload(
        vector["response"],
        cons_id=vector["consid"],
        secret=vector["secret"],
        timestamp=vector["timestamp"],
    )
    assert plain == vector["plaintext_json"]


@pytest.mark.parametrize("index", [0, 1])
def test_encrypting_plaintext_yields_exact_response(vectors: dict[str, Any], index: int) -> None:
    vector = vectors["encrypted_responses"][index]
    encrypted = encrypt_payload(
        vector["plaintext_json"],
        cons_id=vector["consid"],
        secret=vector["secret"],
        timestamp=vector["timestamp"],
    )
    assert encrypted == vector["response"]


@pytest.mark.parametrize("index", [0, 1])
def test_encrypted_response_lz_layer_matches(vectors: dict[str, Any], index: int) -> None:
    vector = vectors["encrypted_responses"][index]
    assert (
        compress_to_encoded_uri_component(vector["plaintext_json"])
        == vector["lz_encoded_uri_component"]
    )
    assert (
        decompress_from_encoded_uri_component(vector["lz_encoded_uri_component"])
        == vector["plaintext_json"]
    )


def test_emoji_vector_contains_an_astral_character(vectors: dict[str, Any]) -> None:
    # Guards the point of the second vector: it exercises UTF-16 surrogate pairs.
    assert "😀" in vectors["encrypted_responses"][1]["plaintext_json"]


def test_every_lz_vector_compresses_exactly(vectors: dict[str, Any]) -> None:
    assert len(vectors["lzstring"]) >= 5
    for vector in vectors["lzstring"]:
        assert (
            compress_to_encoded_uri_component(vector["input"])
            == vector["compressToEncodedURIComponent"]
        )


def test_every_lz_vector_decompresses_exactly(vectors: dict[str, Any]) -> None:
    for vector in vectors["lzstring"]:
        assert (
            decompress_from_encoded_uri_component(vector["compressToEncodedURIComponent"])
            == vector["input"]
        )
