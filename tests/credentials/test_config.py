"""service_config and the client builders: from stored credentials to ServiceConfig."""

from __future__ import annotations

import pytest

from bridging.antrean import AntreanFktpClient
from bridging.credentials import service_config
from bridging.credentials.clients import antrean_client, icare_client, pcare_client, vclaim_client
from bridging.credentials.models import BpjsCredential
from bridging.icare import IcareClient
from bridging.pcare import PcareClient
from bridging.transport.errors import ConfigurationError
from bridging.transport.http import ServiceConfig
from bridging.vclaim import VclaimClient

pytestmark = pytest.mark.django_db


def test_the_pcare_config_carries_every_stored_value(facility, demo_credentials, settings):
    settings.BPJS_SANDBOX_URL = "http://127.0.0.1:8999"
    config = service_config(facility_id=facility.pk, service="pcare")
    assert config == ServiceConfig(
        service="pcare",
        base_url="http://127.0.0.1:8999/pcare-rest-dev",
        cons_id="1000",
        secret="sandbox-secret",
        user_key="sandbox-user-key",
        username="klinik.demo",
        password="Demo#2026",
        app_code="095",
        connect_timeout=5.0,
        read_timeout=25.0,
    )


def test_the_environment_defaults_to_the_facility_active_one(facility, demo_credentials):
    BpjsCredential.objects.create(
        facility=facility,
        environment="development",
        service="vclaim",
        cons_id="2222",
        secret="dev-secret",
        user_key="dev-key",
        read_timeout=40.0,
    )
    assert service_config(facility_id=facility.pk, service="vclaim").cons_id == "1000"
    facility.bpjs_environment = "development"
    facility.save()
    config = service_config(facility_id=facility.pk, service="vclaim")
    assert (config.cons_id, config.secret, config.user_key, config.read_timeout) == (
        "2222",
        "dev-secret",
        "dev-key",
        40.0,
    )
    assert config.base_url == "https://apijkn-dev.bpjs-kesehatan.go.id/vclaim-rest-dev"
    sandbox = service_config(facility_id=facility.pk, service="vclaim", environment="sandbox")
    assert sandbox.cons_id == "1000"


def test_antrean_uses_the_pcare_user_key_when_its_own_is_blank(facility, demo_credentials):
    pcare = BpjsCredential.objects.get(facility=facility, service="pcare")
    pcare.user_key = "pcare-only-key"
    pcare.save()
    antrean = BpjsCredential.objects.get(facility=facility, service="antreanfktp")
    antrean.user_key = ""
    antrean.save()
    config = service_config(facility_id=facility.pk, service="antreanfktp")
    assert (config.cons_id, config.secret, config.user_key) == (
        "1000",
        "sandbox-secret",
        "pcare-only-key",
    )


def test_antrean_keeps_its_own_user_key_when_set(facility, demo_credentials):
    antrean = BpjsCredential.objects.get(facility=facility, service="antreanfktp")
    antrean.user_key = "antrol-key"
    antrean.save()
    assert service_config(facility_id=facility.pk, service="antreanfktp").user_key == "antrol-key"
    assert service_config(facility_id=facility.pk, service="pcare").user_key == "sandbox-user-key"


def test_icare_takes_the_pcare_login_when_blank(facility, demo_credentials):
    BpjsCredential.objects.filter(facility=facility, service="icare").update(
        username="", password_encrypted="", cons_id=""
    )
    config = service_config(facility_id=facility.pk, service="icare")
    assert (config.cons_id, config.username, config.password) == (
        "1000",
        "klinik.demo",
        "Demo#2026",
    )


def test_vclaim_never_borrows_from_pcare(facility, demo_credentials):
    BpjsCredential.objects.filter(facility=facility, service="vclaim").update(user_key_encrypted="")
    with pytest.raises(ConfigurationError) as caught:
        service_config(facility_id=facility.pk, service="vclaim")
    assert caught.value.reason == "missing_credentials"
    assert caught.value.message == (
        "Kredensial BPJS VClaim untuk lingkungan Sandbox belum lengkap: user_key belum diisi. "
        "Lengkapi di menu Kredensial BPJS; tidak ada data yang dikirim."
    )


def test_a_missing_credential_is_a_configuration_error_in_indonesian(facility):
    with pytest.raises(ConfigurationError) as caught:
        service_config(facility_id=facility.pk, service="pcare", environment="production")
    assert caught.value.service == "pcare"
    assert caught.value.message == (
        "Kredensial BPJS PCare untuk lingkungan Produksi belum diisi. Admin klinik dapat "
        "mengisinya di menu Kredensial BPJS; tidak ada data yang dikirim."
    )


def test_a_pcare_credential_without_login_is_incomplete(facility, demo_credentials):
    BpjsCredential.objects.filter(facility=facility, service="pcare").update(username="")
    with pytest.raises(ConfigurationError, match="username PCare belum diisi"):
        service_config(facility_id=facility.pk, service="pcare")


def test_unknown_facility_and_service_are_configuration_errors(facility):
    with pytest.raises(ConfigurationError, match="Faskes tidak ditemukan"):
        service_config(facility_id=facility.pk + 999, service="pcare")
    with pytest.raises(ConfigurationError, match="Layanan BPJS tidak dikenal"):
        service_config(facility_id=facility.pk, service="aplicares")


def test_another_facility_credentials_are_never_used(facility, other_facility, demo_credentials):
    with pytest.raises(ConfigurationError, match="belum diisi"):
        service_config(facility_id=other_facility.pk, service="pcare")


def test_an_unreadable_secret_is_a_configuration_error(facility, demo_credentials):
    BpjsCredential.objects.filter(facility=facility, service="pcare").update(
        secret_encrypted="gAAAAAnot-a-token"
    )
    with pytest.raises(ConfigurationError) as caught:
        service_config(facility_id=facility.pk, service="pcare")
    assert caught.value.reason == "secret_unreadable"
    assert "sandbox-secret" not in caught.value.message


def test_the_client_builders_return_typed_clients(facility, demo_credentials):
    clients = [
        pcare_client(facility.pk),
        antrean_client(facility.pk),
        icare_client(facility.pk),
        vclaim_client(facility.pk, environment="sandbox"),
    ]
    assert [type(c) for c in clients] == [
        PcareClient,
        AntreanFktpClient,
        IcareClient,
        VclaimClient,
    ]
    assert [c.transport.config.service for c in clients] == [
        "pcare",
        "antreanfktp",
        "icare",
        "vclaim",
    ]
