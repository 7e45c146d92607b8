"""redact(): secrets and patient identifiers never survive, the rest stays readable."""

from __future__ import annotations

import json

from requests.structures import CaseInsensitiveDict

from bridging.transport.errors import AuthenticationError, FieldError, Rejected
from bridging.transport.redact import (
    is_sensitive_key,
    redact,
    redact_text,
    sensitive_values,
)

CARD = "0001000000001"
NIK = "3273014101900001"


def test_headers_mask_signature_authorization_and_user_key() -> None:
    headers = CaseInsensitiveDict(
        {
            "X-cons-id": "12345",
            "X-timestamp": "1700000000",
            "X-Signature": "p1ZBkXo2RJzjWSzSvUS38YnYg+7MGGwbMgPfOsoxCVQ=",
            "X-Authorization": "Basic cGNhcmV1c2VyOlBjYXJlUGFzcyMxOjA5NQ==",
            "user_key": "abc123",
            "Content-Type": "Application/json",
        }
    )
    assert redact(headers) == {
        "X-cons-id": "12345",
        "X-timestamp": "1700000000",
        "X-Signature": "***",
        "X-Authorization": "***",
        "user_key": "***",
        "Content-Type": "Application/json",
    }


def test_patient_fields_are_masked_in_nested_dicts() -> None:
    peserta = {
        "noKartu": CARD,
        "nama": "SITI AMINAH",
        "noHP": "081234567890",
        "nohp": "081234567890",
        "noKTP": NIK,
        "nik": NIK,
        "alamat": "Jl. Merdeka 1",
        "sex": "P",
        "kdProviderPst": {"kdProvider": "0999K001", "nmProvider": "KLINIK"},
        "list": [{"nama": "BUDI", "aktif": True}],
    }
    assert redact(peserta) == {
        "noKartu": "***",
        "nama": "***",
        "noHP": "***",
        "nohp": "***",
        "noKTP": "***",
        "nik": "***",
        "alamat": "***",
        "sex": "P",
        "kdProviderPst": {"kdProvider": "0999K001", "nmProvider": "KLINIK"},
        "list": [{"nama": "***", "aktif": True}],
    }


def test_json_text_is_parsed_and_masked() -> None:
    text = json.dumps({"noKartu": CARD, "keluhan": f"kartu {CARD}", "password": "rahasia"})
    assert json.loads(redact_text(text)) == {
        "noKartu": "***",
        "keluhan": "kartu [NOKARTU]",
        "password": "***",
    }


def test_truncated_json_text_still_masks_sensitive_pairs() -> None:
    text = '{"nama": "SITI \\"AMINAH\\"", "nik": 3273014101900001, "kdPoli": "001", "alam'
    assert redact_text(text) == '{"nama": "***", "nik": "***", "kdPoli": "001", "alam'


def test_url_paths_mask_card_numbers_and_nik() -> None:
    assert redact_text(f"peserta/{CARD}") == "peserta/[NOKARTU]"
    assert redact_text(f"/peserta/nik/{NIK}") == "/peserta/nik/[NIK]"
    assert (
        redact_text(f"kunjungan/peserta/{CARD}/tglDaftar/01-02-2026")
        == "kunjungan/peserta/[NOKARTU]/tglDaftar/01-02-2026"
    )


def test_numbers_of_other_lengths_are_kept() -> None:
    assert redact_text("X-timestamp 1700000000 noUrut A12 kdPPK 0999K001") == (
        "X-timestamp 1700000000 noUrut A12 kdPPK 0999K001"
    )
    assert redact({"count": 1234567890123, "total": 12}) == {"count": "[NOKARTU]", "total": 12}


def test_query_parameters_and_header_lines_are_masked() -> None:
    assert redact_text("https://x/y?user_key=abc&page=2&password=p4ss") == (
        "https://x/y?user_key=***&page=2&password=***"
    )
    assert redact_text("X-Authorization: Basic dXNlcjpwYXNz") == "X-Authorization: ***"


def test_field_error_prose_is_not_mistaken_for_a_pair() -> None:
    assert redact_text("noKartu: Belum melakukan pendaftaran") == (
        "noKartu: Belum melakukan pendaftaran"
    )


def test_literal_secrets_are_masked_anywhere() -> None:
    assert redact_text("failed with S3cr3tK3y in it", secrets=["S3cr3tK3y", "ab"]) == (
        "failed with *** in it"
    )
    assert redact(["S3cr3tK3y", b"x S3cr3tK3y"], secrets=["S3cr3tK3y"]) == ["***", "x ***"]


def test_sensitive_values_collects_values_under_sensitive_keys() -> None:
    body = {"nama": "SITI AMINAH", "kdPoli": "001", "peserta": {"noHP": "0812345"}, "nik": 12}
    assert sensitive_values(body) == ["SITI AMINAH", "0812345"]


def test_sensitive_key_detection_ignores_case_and_separators() -> None:
    assert is_sensitive_key("X-SIGNATURE")
    assert is_sensitive_key("pcarePassword")
    assert is_sensitive_key("no_kartu") is True
    assert not is_sensitive_key("kdPoli")
    assert not is_sensitive_key("X-cons-id")


def test_redact_does_not_modify_its_input() -> None:
    body = {"nama": "SITI", "list": [{"nik": NIK}]}
    redact(body)
    assert body == {"nama": "SITI", "list": [{"nik": NIK}]}


def test_error_to_dict_is_json_ready_and_says_what_to_do() -> None:
    err = Rejected(
        "BPJS menolak data yang dikirim.",
        service="pcare",
        operation="pendaftaran_add",
        code="412",
        http_status=412,
        field_errors=[FieldError("kdPoli", "Poli tidak dikenal")],
        reason="validation",
    )
    assert json.loads(json.dumps(err.to_dict())) == {
        "type": "Rejected",
        "reason": "validation",
        "message": "BPJS menolak data yang dikirim.",
        "bpjs_message": None,
        "service": "pcare",
        "operation": "pendaftaran_add",
        "code": "412",
        "http_status": 412,
        "field_errors": [{"field": "kdPoli", "message": "Poli tidak dikenal"}],
        "retryable": False,
        "maybe_applied": False,
    }
    assert str(err) == (
        "[pcare pendaftaran_add] BPJS menolak data yang dikirim. (validation, code=412, http=412)"
    )


def test_error_instance_flags_override_class_defaults() -> None:
    err = AuthenticationError("x", retryable=True)
    assert err.retryable is True
    assert AuthenticationError("y").retryable is False
    assert err.maybe_applied is False
