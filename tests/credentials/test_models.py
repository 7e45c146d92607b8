"""Encryption at rest, masking and what a credential shows of itself."""

from __future__ import annotations

import pytest
from cryptography.fernet import Fernet
from django.db import connection
from django.test import override_settings

from bridging.credentials.crypto import SecretUnreadable, decrypt_text, derive_dev_key
from bridging.credentials.models import BpjsCredential, mask_secret

pytestmark = pytest.mark.django_db

SECRETS = ("sandbox-secret", "sandbox-user-key", "Demo#2026")


def _raw_columns(pk: int) -> str:
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT secret_encrypted, user_key_encrypted, password_encrypted "
            "FROM credentials_bpjscredential WHERE id = %s",
            [pk],
        )
        row = cursor.fetchone()
    return " ".join(row)


def _pcare(facility, **extra) -> BpjsCredential:
    return BpjsCredential.objects.create(
        facility=facility,
        environment="sandbox",
        service="pcare",
        cons_id="1000",
        secret="sandbox-secret",
        user_key="sandbox-user-key",
        username="klinik.demo",
        password="Demo#2026",
        **extra,
    )


def test_the_database_columns_never_hold_the_secrets_in_clear(facility):
    credential = _pcare(facility)
    raw = _raw_columns(credential.pk)
    for secret in SECRETS:
        assert secret not in raw
    assert raw.count("gAAAAA") == 3  # three Fernet tokens
    reloaded = BpjsCredential.objects.get(pk=credential.pk)
    assert (reloaded.secret, reloaded.user_key, reloaded.password) == SECRETS


def test_the_configured_field_encryption_key_encrypts(facility):
    key = Fernet.generate_key().decode()
    with override_settings(FIELD_ENCRYPTION_KEY=key):
        credential = _pcare(facility)
    token = BpjsCredential.objects.values_list("secret_encrypted", flat=True).get(pk=credential.pk)
    assert Fernet(key.encode()).decrypt(token.encode()) == b"sandbox-secret"
    # Without that key (development's derived key) the token does not open.
    with pytest.raises(SecretUnreadable, match="FIELD_ENCRYPTION_KEY"):
        BpjsCredential.objects.get(pk=credential.pk).secret


def test_a_second_key_still_decrypts_after_rotation(facility):
    old, new = Fernet.generate_key().decode(), Fernet.generate_key().decode()
    with override_settings(FIELD_ENCRYPTION_KEY=old):
        credential = _pcare(facility)
    with override_settings(FIELD_ENCRYPTION_KEY=f"{new},{old}"):
        reloaded = BpjsCredential.objects.get(pk=credential.pk)
        assert reloaded.secret == "sandbox-secret"
        reloaded.secret = reloaded.secret
        reloaded.save()
    with override_settings(FIELD_ENCRYPTION_KEY=new):
        assert BpjsCredential.objects.get(pk=credential.pk).secret == "sandbox-secret"


def test_the_development_key_is_derived_from_secret_key_deterministically():
    first = derive_dev_key("one-secret-key")
    assert first == derive_dev_key("one-secret-key")
    assert first != derive_dev_key("another-secret-key")
    Fernet(first)  # a valid Fernet key
    with override_settings(FIELD_ENCRYPTION_KEY="", SECRET_KEY="one-secret-key"):
        token = Fernet(first).encrypt(b"x").decode()
        assert decrypt_text(token) == "x"


def test_str_and_repr_show_no_secret(facility):
    credential = _pcare(facility)
    text = f"{credential} {credential!r}"
    for secret in SECRETS:
        assert secret not in text
    assert str(credential) == f"PCare · Sandbox ({facility.pk})"


@pytest.mark.parametrize(
    ("value", "masked"),
    [
        ("sandbox-secret", "••••••cret"),
        ("1234567890ab12", "••••••ab12"),
        ("8chars!!", "••••••!!"),
        ("short", "••••••"),
        ("", ""),
    ],
)
def test_masking_shows_at_most_the_last_four_characters(value, masked):
    assert mask_secret(value) == masked


def test_the_password_is_masked_entirely(facility):
    credential = _pcare(facility)
    assert credential.masked("password") == "••••••"
    assert credential.masked("secret") == "••••••cret"
    assert credential.masked("user_key") == "••••••-key"


def test_blank_secret_stores_nothing(facility):
    credential = BpjsCredential.objects.create(
        facility=facility, environment="sandbox", service="vclaim", secret=""
    )
    assert credential.secret_encrypted == ""
    assert credential.has("secret") is False
    assert credential.masked("secret") == ""


@pytest.mark.parametrize(
    ("environment", "service", "url"),
    [
        ("sandbox", "pcare", "http://sandbox.test:9/pcare-rest-dev"),
        ("sandbox", "antreanfktp", "http://sandbox.test:9/antreanfktp_dev"),
        ("sandbox", "icare", "http://sandbox.test:9/ihs_dev"),
        ("sandbox", "vclaim", "http://sandbox.test:9/vclaim-rest-dev"),
        ("development", "pcare", "https://apijkn-dev.bpjs-kesehatan.go.id/pcare-rest-dev"),
        ("development", "antreanfktp", "https://apijkn-dev.bpjs-kesehatan.go.id/antreanfktp_dev"),
        ("development", "icare", "https://apijkn-dev.bpjs-kesehatan.go.id/ihs_dev"),
        ("development", "vclaim", "https://apijkn-dev.bpjs-kesehatan.go.id/vclaim-rest-dev"),
        ("production", "pcare", "https://apijkn.bpjs-kesehatan.go.id/pcare-rest"),
        ("production", "antreanfktp", "https://apijkn.bpjs-kesehatan.go.id/antreanfktp"),
        ("production", "icare", "https://apijkn.bpjs-kesehatan.go.id/wsihs"),
        ("production", "vclaim", "https://apijkn.bpjs-kesehatan.go.id/vclaim-rest"),
    ],
)
def test_default_base_urls_per_environment_and_service(settings, environment, service, url):
    settings.BPJS_SANDBOX_URL = "http://sandbox.test:9/"
    credential = BpjsCredential(environment=environment, service=service)
    assert credential.effective_base_url == url
    credential.base_url = "https://proxy.klinik.test/pcare"
    assert credential.effective_base_url == "https://proxy.klinik.test/pcare"


def test_the_sandbox_test_card_is_the_default_only_in_the_sandbox():
    assert BpjsCredential(environment="sandbox").effective_test_card == "0001000000001"
    assert BpjsCredential(environment="production").effective_test_card == ""
    assert (
        BpjsCredential(environment="production", test_card_number="0001234567890")
    ).effective_test_card == "0001234567890"
