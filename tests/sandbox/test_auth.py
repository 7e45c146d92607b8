"""Authentication as BPJS does it, in SANDBOX.md's order, over real HTTP."""

from __future__ import annotations

import time

import pytest
import requests

from bridging.transport import crypto
from bridging.transport.errors import DecryptionError
from tests.sandbox.bpjs import Bpjs
from tests.support.sandbox import SandboxServer

# (service url attribute, path, method, body, needs X-authorization, envelope key, code type)
SERVICES = [
    ("pcare_url", "kesadaran", "GET", None, True, "metaData", int),
    ("antrean_url", "ref/poli/tanggal/2030-01-07", "GET", None, False, "metadata", int),
    ("icare_url", "api/pcare/validate", "POST", {"param": "0001000000001"}, True, "metaData", int),
    ("icare_url", "api/rs/validate", "POST", {"param": "0001000000001"}, False, "metaData", int),
    (
        "vclaim_url",
        "Peserta/nokartu/0001000000001/tglSEP/2030-01-07",
        "GET",
        None,
        False,
        "metaData",
        str,
    ),
]
IDS = ["pcare", "antreanfktp", "icare-fktp", "icare-rs", "vclaim"]


def _client(sandbox: SandboxServer, attr: str, needs_auth: bool, **kwargs) -> Bpjs:
    if not needs_auth:
        kwargs.setdefault("authorization", "")
    return Bpjs(getattr(sandbox, attr), **kwargs)


def _assert_refused(answer, message: str, envelope: str, code_type: type) -> None:
    assert answer.status == 401
    assert answer.body == {"response": None, envelope: {"message": message, "code": code_type(401)}}


@pytest.mark.parametrize(
    ("attr", "path", "method", "body", "needs_auth", "envelope", "code_type"), SERVICES, ids=IDS
)
def test_unknown_cons_id_is_refused_first(
    sandbox, attr, path, method, body, needs_auth, envelope, code_type
):
    client = _client(sandbox, attr, needs_auth, cons_id="9999", user_key="wrong")
    answer = client.call(method, path, body)
    _assert_refused(answer, "X-cons-id tidak dikenal", envelope, code_type)


@pytest.mark.parametrize(
    ("attr", "path", "method", "body", "needs_auth", "envelope", "code_type"), SERVICES, ids=IDS
)
def test_bad_signature_is_refused(
    sandbox, attr, path, method, body, needs_auth, envelope, code_type
):
    client = _client(sandbox, attr, needs_auth, secret="not-the-secret")
    answer = client.call(method, path, body)
    _assert_refused(answer, "Signature tidak valid", envelope, code_type)


@pytest.mark.parametrize(
    ("attr", "path", "method", "body", "needs_auth", "envelope", "code_type"), SERVICES, ids=IDS
)
def test_timestamp_outside_window_is_refused(
    sandbox, attr, path, method, body, needs_auth, envelope, code_type
):
    client = _client(sandbox, attr, needs_auth, clock=lambda: time.time() - 400)
    answer = client.call(method, path, body)
    _assert_refused(answer, "Timestamp di luar batas waktu", envelope, code_type)


@pytest.mark.parametrize(
    ("attr", "path", "method", "body", "needs_auth", "envelope", "code_type"), SERVICES, ids=IDS
)
def test_wrong_user_key_is_refused_over_http(
    sandbox, attr, path, method, body, needs_auth, envelope, code_type
):
    client = _client(sandbox, attr, needs_auth, user_key="not-the-key")
    answer = client.call(method, path, body)
    _assert_refused(answer, "user_key tidak valid", envelope, code_type)


@pytest.mark.parametrize(
    ("attr", "path", "method", "body", "needs_auth", "envelope", "code_type"), SERVICES, ids=IDS
)
def test_missing_user_key_is_refused(
    sandbox, attr, path, method, body, needs_auth, envelope, code_type
):
    client = _client(sandbox, attr, needs_auth, user_key=None)
    answer = client.call(method, path, body)
    _assert_refused(answer, "user_key tidak valid", envelope, code_type)


@pytest.mark.parametrize(
    ("attr", "path", "method", "body", "needs_auth", "envelope", "code_type"), SERVICES, ids=IDS
)
def test_right_credentials_are_accepted_over_http(
    sandbox, attr, path, method, body, needs_auth, envelope, code_type
):
    answer = _client(sandbox, attr, needs_auth).call(method, path, body)
    assert answer.status == 200
    assert isinstance(answer.raw, str)
    assert answer.data  # decrypts with the key from the timestamp sent


@pytest.mark.parametrize(
    ("attr", "path", "method", "body"),
    [
        ("pcare_url", "kesadaran", "GET", None),
        ("icare_url", "api/pcare/validate", "POST", {"param": "0001000000001"}),
    ],
    ids=["pcare", "icare-fktp"],
)
@pytest.mark.parametrize(
    "authorization",
    [
        "",
        crypto.x_authorization("klinik.demo", "salah", "095"),
        crypto.x_authorization("klinik.demo", "Demo#2026", "096"),
        "Bearer abc",
    ],
    ids=["missing", "wrong-password", "wrong-app-code", "not-basic"],
)
def test_bad_x_authorization_is_refused_where_needed(
    sandbox, attr, path, method, body, authorization
):
    # authorization="" sends no X-authorization header at all.
    answer = Bpjs(getattr(sandbox, attr), authorization=authorization).call(method, path, body)
    _assert_refused(answer, "X-authorization tidak valid", "metaData", int)


def test_icare_rs_needs_no_x_authorization(sandbox):
    answer = Bpjs(sandbox.icare_url, authorization="").post(
        "api/rs/validate", {"param": "0001000000001", "kodedokter": 1}
    )
    assert answer.status == 200
    assert answer.code == 200


def test_header_names_are_matched_in_any_case(sandbox):
    timestamp = str(int(time.time()))
    headers = {
        "x-CONS-id": "1000",
        "X-TIMESTAMP": timestamp,
        "x-signature": crypto.sign("1000", "sandbox-secret", timestamp),
        "USER_KEY": "sandbox-user-key",
        "X-Authorization": crypto.x_authorization("klinik.demo", "Demo#2026"),
    }
    response = requests.get(f"{sandbox.pcare_url}/kesadaran", headers=headers, timeout=10)
    assert response.status_code == 200
    assert response.json()["metaData"] == {"message": "OK", "code": 200}


def test_response_decrypts_with_the_key_from_the_callers_timestamp(sandbox, pcare):
    answer = pcare.get("kesadaran")
    assert answer.data == {
        "count": 4,
        "list": [
            {"kdSadar": "01", "nmSadar": "Compos mentis"},
            {"kdSadar": "02", "nmSadar": "Somnolence"},
            {"kdSadar": "03", "nmSadar": "Sopor"},
            {"kdSadar": "04", "nmSadar": "Coma"},
        ],
    }
    with pytest.raises(DecryptionError):
        crypto.decrypt_payload(
            answer.raw,
            cons_id="1000",
            secret="sandbox-secret",
            timestamp=str(int(answer.timestamp) + 1),
        )


def test_trailing_slash_is_accepted_without_redirect(sandbox, pcare):
    answer = pcare.get("kesadaran/")
    assert answer.status == 200
    assert answer.data["count"] == 4


def test_unknown_service_base_answers_html_404(sandbox):
    response = requests.get(f"{sandbox.base_url}/pcare-rest/kesadaran", timeout=10)
    assert response.status_code == 404
    assert response.headers["Content-Type"].startswith("text/html")


def test_unknown_path_answers_404_envelope_after_authentication(sandbox, pcare):
    answer = pcare.get("tidak/ada")
    assert answer.status == 404
    assert answer.body == {
        "response": None,
        "metaData": {"message": "Endpoint tidak ditemukan", "code": 404},
    }


def test_timestamp_window_is_a_setting(sandbox):
    sandbox.control("PATCH", "/settings", {"timestamp_window_seconds": 30})
    answer = Bpjs(sandbox.pcare_url, clock=lambda: time.time() - 60).get("kesadaran")
    assert answer.status == 401
    assert answer.message == "Timestamp di luar batas waktu"
    sandbox.control("PATCH", "/settings", {"timestamp_window_seconds": 120})
    assert Bpjs(sandbox.pcare_url, clock=lambda: time.time() - 60).get("kesadaran").status == 200


def test_antrean_fktp_user_key_is_a_setting(sandbox):
    sandbox.control("PATCH", "/settings", {"antrean_fktp_user_key": "antrol-key"})
    old = Bpjs(sandbox.antrean_url, authorization="").get("ref/poli/tanggal/2030-01-07")
    assert old.status == 401
    assert old.message == "user_key tidak valid"
    new = Bpjs(sandbox.antrean_url, authorization="", user_key="antrol-key").get(
        "ref/poli/tanggal/2030-01-07"
    )
    assert new.status == 200
    assert new.code == 1
    # PCare keeps its own key.
    assert Bpjs(sandbox.pcare_url).get("kesadaran").status == 200
