from __future__ import annotations

import pytest

from tests.factories import PASSWORD

pytestmark = pytest.mark.django_db


def test_token_from_username_and_password_authenticates_api_calls(client, frontdesk):
    response = client.post(
        "/api/v1/auth/token/",
        {"username": "frontdesk", "password": PASSWORD},
        content_type="application/json",
    )
    assert response.status_code == 200
    token = response.json()["token"]
    me = client.get("/api/v1/me/", HTTP_AUTHORIZATION=f"Token {token}")
    assert me.status_code == 200
    assert me.json() == {"username": "frontdesk", "role": "frontdesk", "facility": "0999K001"}


def test_wrong_password_gets_the_one_error_format(client, frontdesk):
    response = client.post(
        "/api/v1/auth/token/",
        {"username": "frontdesk", "password": "salah"},
        content_type="application/json",
    )
    assert response.status_code == 401
    assert response.json() == {
        "code": "authentication_failed",
        "message": "Nama pengguna atau kata sandi salah.",
        "fields": {},
    }


def test_missing_fields_are_reported_per_field(client):
    response = client.post("/api/v1/auth/token/", {}, content_type="application/json")
    assert response.status_code == 400
    body = response.json()
    assert body["code"] == "validation_failed"
    assert set(body["fields"]) == {"username", "password"}


def test_unauthenticated_api_call_is_refused_in_the_error_format(client):
    response = client.get("/api/v1/me/")
    assert response.status_code in (401, 403)
    assert response.json()["code"] == "not_authenticated"


def test_openapi_schema_and_docs_are_served(client):
    schema = client.get("/api/schema/")
    assert schema.status_code == 200
    assert b"/api/v1/auth/token/" in schema.content
    docs = client.get("/api/docs/")
    assert docs.status_code == 200
    assert b"swagger-ui" in docs.content
