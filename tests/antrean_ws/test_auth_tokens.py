"""GET /auth and the x-token every other endpoint needs (PROTOCOL.md §5.1 A1)."""

from __future__ import annotations

import time

import pytest
from django.core import signing

from bridging.antrean_ws import tokens
from tests.antrean_ws.conftest import PASSWORD, USERNAME, meta

pytestmark = pytest.mark.django_db


def _aged_token(account, age_seconds: int) -> str:
    signer = signing.TimestampSigner(salt=tokens.SALT)
    signer.timestamp = lambda: signing.b62_encode(int(time.time()) - age_seconds)  # type: ignore[method-assign]
    return signer.sign(f"{account.pk}.{account.key_version}")


def test_auth_with_the_right_credentials_gives_a_token(ws, account):
    response, body = ws.get("/auth", headers={"x-username": USERNAME, "x-password": PASSWORD})
    assert response.status_code == 200
    assert meta(body) == (200, "Ok")
    assert set(body) == {"response", "metadata"}
    token = body["response"]["token"]
    assert tokens.verify(token, username=USERNAME) == account


def test_auth_header_names_are_case_insensitive(ws, account):
    _, body = ws.get("/auth", headers={"X-Username": USERNAME, "X-PASSWORD": PASSWORD})
    assert meta(body) == (200, "Ok")


@pytest.mark.parametrize(
    "headers",
    [
        {"x-username": USERNAME, "x-password": "salah"},
        {"x-username": "orang-lain", "x-password": PASSWORD},
        {"x-username": USERNAME},
        {"x-password": PASSWORD},
        {},
    ],
    ids=["wrong-password", "unknown-user", "no-password", "no-username", "no-headers"],
)
def test_auth_refuses_wrong_or_missing_credentials_without_a_token(ws, account, headers):
    response, body = ws.get("/auth", headers=headers)
    assert response.status_code == 200
    assert body == {"metadata": {"message": "Username atau Password Tidak Sesuai", "code": 201}}


def test_auth_refuses_an_inactive_account(ws, account):
    account.is_active = False
    account.save()
    _, body = ws.get("/auth", headers={"x-username": USERNAME, "x-password": PASSWORD})
    assert meta(body) == (201, "Username atau Password Tidak Sesuai")


def test_auth_only_answers_get(ws, account):
    response, body = ws.post("/auth", {}, headers={"x-username": USERNAME, "x-password": PASSWORD})
    assert response.status_code == 405
    assert response["Allow"] == "GET"
    assert body == {"metadata": {"message": "Metode Tidak Diizinkan", "code": 201}}


def test_token_from_auth_opens_the_other_endpoints(ws, account, clinic_setup, day):
    _, body = ws.get("/auth", headers={"x-username": USERNAME, "x-password": PASSWORD})
    _, status = ws.get(f"/antrean/status/001/{day}", headers=ws.headers(body["response"]["token"]))
    assert meta(status) == (200, "Ok")


@pytest.mark.parametrize(
    "bad",
    ["", "garbage", "1.1:abc:def", "x" * 500],
    ids=["empty", "garbage", "forged", "huge"],
)
def test_an_invalid_token_gets_201_and_no_data(ws, account, clinic_setup, day, bad):
    response, body = ws.get(f"/antrean/status/001/{day}", headers=ws.headers(bad))
    assert response.status_code == 200
    assert body == {"metadata": {"message": "Token tidak valid", "code": 201}}


def test_a_missing_token_header_is_invalid(ws, account, clinic_setup, day):
    _, body = ws.get(f"/antrean/status/001/{day}", headers={"x-username": USERNAME})
    assert body == {"metadata": {"message": "Token tidak valid", "code": 201}}


def test_a_tampered_token_is_invalid(ws, token, clinic_setup, day):
    middle = len(token) // 2
    tampered = token[:middle] + ("x" if token[middle] != "x" else "y") + token[middle + 1 :]
    _, body = ws.get(f"/antrean/status/001/{day}", headers=ws.headers(tampered))
    assert body == {"metadata": {"message": "Token tidak valid", "code": 201}}


def test_a_token_signed_for_another_purpose_is_invalid(ws, account, clinic_setup, day):
    other = signing.TimestampSigner(salt="something-else").sign(
        f"{account.pk}.{account.key_version}"
    )
    _, body = ws.get(f"/antrean/status/001/{day}", headers=ws.headers(other))
    assert meta(body) == (201, "Token tidak valid")


def test_an_old_token_with_a_forged_signature_is_invalid_not_expired(
    ws, account, clinic_setup, day
):
    """The payload names the account before the signature is checked: a forgery must still
    be told apart from a genuine token that merely expired."""
    value, timestamp, signature = _aged_token(account, 4000).split(":")
    forged = f"{value}:{timestamp}:{'A' * len(signature)}"
    _, body = ws.get(f"/antrean/status/001/{day}", headers=ws.headers(forged))
    assert meta(body) == (201, "Token tidak valid")
    for payload in ("999999.1", f"{'9' * 40}.1", "-1.1", "1.1.1", "x.1"):
        _, body = ws.get(
            f"/antrean/status/001/{day}", headers=ws.headers(f"{payload}:{timestamp}:x")
        )
        assert meta(body) == (201, "Token tidak valid"), payload


def test_a_token_with_another_username_is_invalid(ws, token, clinic_setup, day):
    _, body = ws.get(f"/antrean/status/001/{day}", headers={"x-username": "lain", "x-token": token})
    assert meta(body) == (201, "Token tidak valid")


def test_tokens_last_one_hour_by_default(ws, account, clinic_setup, day):
    assert account.token_lifetime_seconds == 3600
    _, fresh = ws.get(f"/antrean/status/001/{day}", headers=ws.headers(_aged_token(account, 3590)))
    assert meta(fresh) == (200, "Ok")
    _, old = ws.get(f"/antrean/status/001/{day}", headers=ws.headers(_aged_token(account, 3610)))
    assert old == {"metadata": {"message": "Token expired", "code": 201}}


def test_token_lifetime_is_the_accounts_setting(ws, account, clinic_setup, day):
    account.token_lifetime_seconds = 60
    account.save()
    _, body = ws.get(f"/antrean/status/001/{day}", headers=ws.headers(_aged_token(account, 90)))
    assert meta(body) == (201, "Token expired")


def test_an_expired_token_gets_no_data_on_any_endpoint(ws, account, clinic_setup, patient, day):
    old = ws.headers(_aged_token(account, 4000))
    for method, path, body in (
        ("GET", f"/antrean/status/001/{day}", None),
        ("GET", f"/v2/antrean/status/001/{day}", None),
        ("POST", "/antrean", {"nomorkartu": "0001000000001"}),
        ("GET", f"/antrean/sisapeserta/0001000000001/001/{day}", None),
        ("PUT", "/antrean/batal", {}),
        ("POST", "/peserta", {}),
    ):
        response, answer = ws.call(method, path, body, headers=old)
        assert (response.status_code, answer) == (
            200,
            {"metadata": {"message": "Token expired", "code": 201}},
        ), path


def test_changing_the_password_invalidates_earlier_tokens(ws, account, token, clinic_setup, day):
    account.set_password("Baru#2026xx")
    account.save()
    _, body = ws.get(f"/antrean/status/001/{day}", headers=ws.headers(token))
    assert meta(body) == (201, "Token tidak valid")
    _, fresh = ws.get("/auth", headers={"x-username": USERNAME, "x-password": "Baru#2026xx"})
    _, status = ws.get(f"/antrean/status/001/{day}", headers=ws.headers(fresh["response"]["token"]))
    assert meta(status) == (200, "Ok")


def test_a_deactivated_account_loses_its_tokens(ws, account, token, clinic_setup, day):
    account.is_active = False
    account.save()
    _, body = ws.get(f"/antrean/status/001/{day}", headers=ws.headers(token))
    assert meta(body) == (201, "Token tidak valid")


def test_a_forged_token_is_refused_before_any_database_read(account, django_assert_num_queries):
    with django_assert_num_queries(0), pytest.raises(tokens.TokenRejected):
        tokens.verify(f"{account.pk + 1000}.1:1abcde:forged-signature", username=None)
