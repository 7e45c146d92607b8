"""Every fault the sandbox can play surfaces from a client as the right BridgingError."""

from __future__ import annotations

import dataclasses
import time
from datetime import date

import pytest

from bridging.antrean import AntreanFktpClient
from bridging.icare import IcareClient
from bridging.pcare import PcareClient
from bridging.pcare.base import Page
from bridging.pcare.schemas import RegistrationRequest
from bridging.transport.errors import (
    AuthenticationError,
    BpjsTimeout,
    ConfigurationError,
    DecryptionError,
    InvalidResponse,
    ServerError,
)
from bridging.transport.http import BpjsResponse, ServiceConfig, Transport
from bridging.vclaim import VclaimClient


def registration(day: date) -> RegistrationRequest:
    return RegistrationRequest(
        participant_provider_code="0999K001",
        registration_date=day,
        card_number="0001000000001",
        poli_code="001",
        sick_visit=True,
    )


def test_timed_out_post_is_retryable_and_maybe_applied(
    pcare_config: ServiceConfig, sandbox_control, today: date
):
    sandbox_control("PUT", "faults", {"timeout_rate": 1.0, "hang_seconds": 3, "seed": 1})
    config = dataclasses.replace(pcare_config, read_timeout=1.0, read_retries=0)
    client = PcareClient.from_config(config)

    with pytest.raises(BpjsTimeout) as caught:
        client.add_registration(registration(today))

    error = caught.value
    assert error.retryable is True
    assert error.maybe_applied is True
    assert error.operation == "add_registration"
    assert "tidak menjawab dalam 1 detik" in error.message
    assert "periksa di BPJS sebelum mengirim ulang" in error.message


def test_timed_out_get_is_not_maybe_applied(pcare_config: ServiceConfig, sandbox_control):
    sandbox_control("PUT", "faults", {"timeout_rate": 1.0, "hang_seconds": 3, "seed": 1})
    config = dataclasses.replace(pcare_config, read_timeout=1.0, read_retries=0)

    with pytest.raises(BpjsTimeout) as caught:
        PcareClient.from_config(config).get_participant("0001000000001")

    assert caught.value.maybe_applied is False
    assert caught.value.retryable is True


def test_server_error_500(pcare: PcareClient, sandbox_control):
    sandbox_control("PUT", "faults", {"error_rate": 1.0, "seed": 1})

    with pytest.raises(ServerError) as caught:
        pcare.list_consciousness_levels()

    assert caught.value.http_status == 500
    assert caught.value.retryable is True
    assert "Coba lagi beberapa saat lagi" in caught.value.message


def test_html_error_page_is_invalid_response(vclaim: VclaimClient, sandbox_control, today: date):
    sandbox_control("PUT", "faults", {"html_error_rate": 1.0, "seed": 1})

    with pytest.raises(InvalidResponse) as caught:
        vclaim.get_participant("0001000000001", today)

    assert type(caught.value) is InvalidResponse
    assert caught.value.http_status == 500
    assert "halaman HTML" in caught.value.message


def test_garbled_ciphertext_is_decryption_error_and_maybe_applied_for_a_write(
    pcare: PcareClient, sandbox_control, today: date
):
    sandbox_control("PUT", "faults", {"garbled_rate": 1.0, "seed": 1})

    with pytest.raises(DecryptionError) as caught:
        pcare.add_registration(registration(today))

    assert caught.value.maybe_applied is True
    assert caught.value.retryable is True


def test_garbled_read_is_decryption_error(antrean: AntreanFktpClient, sandbox_control, open_day):
    sandbox_control("PUT", "faults", {"garbled_rate": 1.0, "seed": 1})

    with pytest.raises(DecryptionError) as caught:
        antrean.list_polis(open_day)

    assert caught.value.maybe_applied is False


def test_faults_limited_to_one_service_leave_others_alone(
    pcare: PcareClient, vclaim: VclaimClient, sandbox_control, today: date
):
    sandbox_control("PUT", "faults", {"error_rate": 1.0, "seed": 1, "services": ["vclaim"]})

    assert pcare.get_participant("0001000000001") is not None
    with pytest.raises(ServerError):
        vclaim.get_participant("0001000000001", today)


def test_wrong_secret_is_a_bad_signature(pcare_config: ServiceConfig):
    client = PcareClient.from_config(dataclasses.replace(pcare_config, secret="wrong-secret"))

    with pytest.raises(AuthenticationError) as caught:
        client.get_participant("0001000000001")

    assert caught.value.reason == "signature_rejected"
    assert caught.value.http_status == 401
    assert caught.value.bpjs_message == "Signature tidak valid"
    assert "consumer secret" in caught.value.message
    assert caught.value.retryable is False


def test_clinic_clock_ten_minutes_slow_is_a_stale_timestamp(pcare_config: ServiceConfig):
    client = PcareClient(Transport(pcare_config, clock=lambda: time.time() - 600))

    with pytest.raises(AuthenticationError) as caught:
        client.get_participant("0001000000001")

    assert caught.value.bpjs_message == "Timestamp di luar batas waktu"
    assert caught.value.reason == "clock_skew"
    assert "Sinkronkan jam server" in caught.value.message


def test_sandbox_clock_ten_minutes_off_is_a_stale_timestamp(icare: IcareClient, sandbox_control):
    sandbox_control("POST", "clock", {"offset_seconds": -600})

    with pytest.raises(AuthenticationError) as caught:
        icare.history_link_fktp("0001000000001")

    assert caught.value.bpjs_message == "Timestamp di luar batas waktu"
    assert caught.value.reason == "clock_skew"
    assert caught.value.retryable is False
    assert "Sinkronkan jam server (NTP)" in caught.value.message


def test_wrong_user_key(antrean_config: ServiceConfig, open_day: date):
    client = AntreanFktpClient.from_config(
        dataclasses.replace(antrean_config, user_key="not-the-key")
    )

    with pytest.raises(AuthenticationError) as caught:
        client.list_polis(open_day)

    assert caught.value.reason == "user_key_rejected"
    assert caught.value.bpjs_message == "user_key tidak valid"
    assert "user key" in caught.value.message


def test_wrong_pcare_password_is_refused_x_authorization(pcare_config: ServiceConfig):
    client = PcareClient.from_config(dataclasses.replace(pcare_config, password="salah"))

    with pytest.raises(AuthenticationError) as caught:
        client.get_participant("0001000000001")

    assert caught.value.reason == "authorization_rejected"
    assert caught.value.bpjs_message == "X-authorization tidak valid"


def test_missing_pcare_username_fails_before_sending(pcare_config: ServiceConfig, sandbox_requests):
    client = PcareClient.from_config(dataclasses.replace(pcare_config, username=""))

    with pytest.raises(ConfigurationError) as caught:
        client.get_participant("0001000000001")

    assert caught.value.reason == "missing_credentials"
    assert "username PCare" in caught.value.message
    assert sandbox_requests("pcare") == []


def test_trigger_card_500_is_an_html_server_failure(pcare: PcareClient):
    with pytest.raises(InvalidResponse) as caught:
        pcare.get_participant("0009000000500")

    assert type(caught.value) is InvalidResponse
    assert caught.value.http_status == 500
    assert caught.value.reason == "bpjs_down"
    assert caught.value.retryable is True


class _StubTransport:
    """Answers every call with one canned response (shape misfits need no server)."""

    def __init__(self, data: object, code: str = "200") -> None:
        self.config = ServiceConfig(
            service="pcare", base_url="http://stub", cons_id="1", secret="s", user_key="k"
        )
        self._data = data
        self._code = code

    def request(self, method: str, path: str, **_: object) -> BpjsResponse:
        return BpjsResponse(
            http_status=200,
            code=self._code,
            message="OK",
            data=self._data,
            timestamp="0",
            elapsed_ms=1.0,
            server_date=None,
        )


def test_response_that_does_not_fit_the_model_is_invalid_response():
    client = PcareClient(_StubTransport({"nama": "TANPA NOMOR KARTU"}))  # type: ignore[arg-type]

    with pytest.raises(InvalidResponse) as caught:
        client.get_participant("0001000000001")

    assert caught.value.reason == "unexpected_shape"
    assert caught.value.maybe_applied is False
    assert "noKartu" in caught.value.message
    assert "TANPA NOMOR KARTU" not in caught.value.message  # no patient data in messages


def test_write_answer_without_its_identifier_is_invalid_and_maybe_applied(today: date):
    client = PcareClient(_StubTransport([], code="201"))  # type: ignore[arg-type]

    with pytest.raises(InvalidResponse) as caught:
        client.add_registration(registration(today))

    assert caught.value.maybe_applied is True
    assert "noUrut" in caught.value.message


def test_reference_list_as_bare_list_is_read():
    client = PcareClient(_StubTransport([{"kdSadar": "01", "nmSadar": "Compos mentis"}]))  # type: ignore[arg-type]

    assert [c.code for c in client.list_consciousness_levels()] == ["01"]
    page = PcareClient(_StubTransport({"count": 9, "list": []})).list_polis()  # type: ignore[arg-type]
    assert page == Page(count=9, items=[])


def test_timed_out_write_that_was_applied_is_found_by_a_lookup(
    pcare_config: ServiceConfig, pcare: PcareClient, sandbox_control, today: date
):
    sandbox_control(
        "PUT",
        "faults",
        {"timeout_rate": 1.0, "hang_seconds": 3, "apply_on_timeout": 1.0, "seed": 1},
    )
    slow = PcareClient.from_config(dataclasses.replace(pcare_config, read_timeout=1.0))

    with pytest.raises(BpjsTimeout) as caught:
        slow.add_registration(registration(today))
    assert caught.value.maybe_applied is True

    sandbox_control("DELETE", "faults")
    held = pcare.find_registration("0001000000001", today, "001")
    assert held is not None
    assert held.queue_number == "A1"
    assert pcare.find_registration("0001000000001", today, "002") is None
