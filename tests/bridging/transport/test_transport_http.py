"""Transport against a tiny local HTTP server that fakes BPJS answers (no sandbox needed)."""

from __future__ import annotations

import json
import logging
import socket
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import pytest

from bridging.transport.crypto import encrypt_payload, sign, x_authorization
from bridging.transport.errors import (
    AuthenticationError,
    BpjsTimeout,
    ConfigurationError,
    DecryptionError,
    FieldError,
    InvalidResponse,
    NetworkError,
    NotFound,
    Rejected,
    ServerError,
)
from bridging.transport.http import ServiceConfig, Transport

CONS_ID, SECRET, USER_KEY = "12345", "S3cr3tK3y", "uk-very-secret-user-key"
USERNAME, PASSWORD = "pcareuser", "PcarePass#1"
FROZEN = 1700000000.0
CARD = "0001000000001"
NIK = "3273014101900001"
PLAIN = {"count": 1, "list": [{"kdSadar": "01", "nmSadar": "Compos mentis"}]}


@dataclass
class Received:
    method: str
    path: str
    headers: dict[str, str]
    body: bytes


@dataclass
class Reply:
    status: int = 200
    body: bytes = b""
    headers: dict[str, str] = field(default_factory=dict)
    delay: float = 0.0


Responder = Callable[[Received], Reply]


class FakeBpjs:
    """Serves whatever the test's responder returns, and records every request."""

    def __init__(self) -> None:
        self.received: list[Received] = []
        self.responder: Responder = lambda _req: envelope_reply(200, "OK", None)
        self.date: str | None = None  # overrides the HTTP Date header when set
        fake = self

        class Handler(BaseHTTPRequestHandler):
            def _serve(self) -> None:
                length = int(self.headers.get("Content-Length") or 0)
                req = Received(
                    method=self.command,
                    path=self.path,
                    headers=dict(self.headers.items()),
                    body=self.rfile.read(length) if length else b"",
                )
                fake.received.append(req)
                reply = fake.responder(req)
                if reply.delay:
                    time.sleep(reply.delay)
                try:
                    self.send_response(reply.status)
                    for name, value in reply.headers.items():
                        self.send_header(name, value)
                    self.send_header("Content-Length", str(len(reply.body)))
                    self.end_headers()
                    self.wfile.write(reply.body)
                except OSError:
                    pass  # the client gave up (timeout tests)

            do_GET = do_POST = do_PUT = do_DELETE = _serve

            def date_time_string(self, timestamp: float | None = None) -> str:
                return fake.date or super().date_time_string(timestamp)

            def log_message(self, format: str, *args: Any) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self.server.server_address[1]}/pcare-rest-dev"

    def start(self) -> None:
        self.thread.start()

    def stop(self) -> None:
        self.server.shutdown()
        self.server.server_close()
        self.thread.join(timeout=5)


def envelope_reply(
    http_status: int,
    message: str,
    response: Any,
    *,
    code: Any = None,
    key: str = "metaData",
    headers: dict[str, str] | None = None,
) -> Reply:
    body = {key: {"message": message, "code": http_status if code is None else code}}
    body["response"] = response
    return Reply(http_status, json.dumps(body).encode(), headers or {})


def encrypted_reply(plain: Any, req: Received, **kwargs: Any) -> Reply:
    text = plain if isinstance(plain, str) else json.dumps(plain)
    cipher = encrypt_payload(
        text, cons_id=CONS_ID, secret=SECRET, timestamp=req.headers["X-timestamp"]
    )
    return envelope_reply(200, "OK", cipher, **kwargs)


@pytest.fixture
def fake() -> Iterator[FakeBpjs]:
    server = FakeBpjs()
    server.start()
    yield server
    server.stop()


def make_transport(
    base_url: str,
    service: str = "pcare",
    clock: Callable[[], float] = lambda: FROZEN,
    **overrides: Any,
) -> Transport:
    settings: dict[str, Any] = {
        "service": service,
        "base_url": base_url,
        "cons_id": CONS_ID,
        "secret": SECRET,
        "user_key": USER_KEY,
        "username": USERNAME,
        "password": PASSWORD,
        "connect_timeout": 1.0,
        "read_timeout": 2.0,
        "read_retries": 2,
    }
    settings.update(overrides)
    transport = Transport(ServiceConfig(**settings), clock=clock)
    transport.retry_backoff = (0.0, 0.0, 0.0)
    return transport


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


# ------------------------------------------------------------------------------ success paths


def test_frozen_clock_gives_exact_signed_headers(fake: FakeBpjs) -> None:
    fake.responder = lambda req: encrypted_reply(PLAIN, req)
    make_transport(fake.base_url).request("GET", "kesadaran")
    (req,) = fake.received
    assert req.path == "/pcare-rest-dev/kesadaran"
    assert req.headers["X-cons-id"] == CONS_ID
    assert req.headers["X-timestamp"] == "1700000000"
    assert req.headers["X-signature"] == "p1ZBkXo2RJzjWSzSvUS38YnYg+7MGGwbMgPfOsoxCVQ="
    assert req.headers["user_key"] == USER_KEY
    assert "X-authorization" not in req.headers
    assert "Content-Type" not in req.headers


def test_authorization_flag_adds_x_authorization(fake: FakeBpjs) -> None:
    fake.responder = lambda req: encrypted_reply(PLAIN, req)
    make_transport(fake.base_url).request("GET", "kesadaran", authorization=True)
    assert fake.received[0].headers["X-authorization"] == (
        "Basic cGNhcmV1c2VyOlBjYXJlUGFzcyMxOjA5NQ=="
    )


def test_get_decrypts_with_the_timestamp_sent(fake: FakeBpjs) -> None:
    fake.responder = lambda req: encrypted_reply(PLAIN, req)
    result = make_transport(fake.base_url).request("GET", "kesadaran", operation="kesadaran")
    assert result.data == PLAIN
    assert result.code == "200"
    assert result.message == "OK"
    assert result.http_status == 200
    assert result.timestamp == "1700000000"
    assert result.elapsed_ms > 0


def test_golden_ciphertext_from_vectors_is_decrypted(
    fake: FakeBpjs, vectors: dict[str, Any]
) -> None:
    vector = vectors["encrypted_responses"][1]
    fake.responder = lambda _req: envelope_reply(200, "OK", vector["response"])
    transport = make_transport(fake.base_url, clock=lambda: float(vector["timestamp"]))
    result = transport.request("GET", f"peserta/{CARD}")
    assert result.data == json.loads(vector["plaintext_json"])
    assert result.data["nama"] == "SITI 😀 AMINAH"


def test_each_attempt_signs_and_decrypts_with_its_own_timestamp(fake: FakeBpjs) -> None:
    ticks = iter([FROZEN, FROZEN + 7])

    def responder(req: Received) -> Reply:
        if len(fake.received) == 1:
            return Reply(503, b"<html>Service Unavailable</html>")
        return encrypted_reply(PLAIN, req)

    fake.responder = responder
    result = make_transport(fake.base_url, clock=lambda: next(ticks)).request("GET", "kesadaran")
    assert [r.headers["X-timestamp"] for r in fake.received] == ["1700000000", "1700000007"]
    assert fake.received[1].headers["X-signature"] == sign(CONS_ID, SECRET, "1700000007")
    assert result.timestamp == "1700000007"
    assert result.data == PLAIN


def test_lower_case_metadata_and_string_code_are_accepted(fake: FakeBpjs) -> None:
    fake.responder = lambda req: encrypted_reply(PLAIN, req, code="200", key="metadata")
    result = make_transport(fake.base_url, service="vclaim").request("GET", "Peserta/x")
    assert result.code == "200"
    assert result.data == PLAIN


def test_antrean_reference_code_1_is_success(fake: FakeBpjs) -> None:
    fake.responder = lambda req: encrypted_reply([{"kodepoli": "001"}], req, code=1, key="metadata")
    result = make_transport(fake.base_url, service="antreanfktp").request("GET", "ref/poli")
    assert result.code == "1"
    assert result.data == [{"kodepoli": "001"}]


def test_null_and_empty_responses_are_returned_without_decrypting(fake: FakeBpjs) -> None:
    transport = make_transport(fake.base_url)
    fake.responder = lambda _req: envelope_reply(200, "OK", None)
    assert transport.request("DELETE", "kunjungan/X1").data is None
    fake.responder = lambda _req: envelope_reply(200, "OK", "")
    assert transport.request("DELETE", "kunjungan/X1").data == ""
    fake.responder = lambda _req: envelope_reply(200, "OK", [{"a": 1}])
    assert transport.request("GET", "x").data == [{"a": 1}]


def test_decrypt_false_returns_the_raw_string(fake: FakeBpjs) -> None:
    fake.responder = lambda _req: envelope_reply(200, "OK", "0999R0010125V000001", code="200")
    result = make_transport(fake.base_url, service="vclaim").request(
        "DELETE", "SEP/2.0/delete", body={"x": 1}, decrypt=False
    )
    assert result.data == "0999R0010125V000001"


def test_post_sends_raw_json_with_trustmark_content_type(fake: FakeBpjs) -> None:
    fake.responder = lambda req: encrypted_reply({"field": "noUrut", "message": "A1"}, req)
    body = {"noKartu": CARD, "keluhan": "demam 😷", "kunjSakit": True}
    result = make_transport(fake.base_url).request(
        "POST", "pendaftaran", body=body, authorization=True, ok_codes=frozenset({"200"})
    )
    (req,) = fake.received
    assert req.headers["Content-Type"] == "Application/x-www-form-urlencoded"
    assert json.loads(req.body.decode("utf-8")) == body
    assert req.body.decode("utf-8") == json.dumps(body, ensure_ascii=False, separators=(",", ":"))
    assert result.data == {"field": "noUrut", "message": "A1"}


def test_icare_post_sends_application_json(fake: FakeBpjs) -> None:
    fake.responder = lambda req: encrypted_reply({"url": "https://x"}, req)
    make_transport(fake.base_url, service="icare").request(
        "POST", "api/pcare/validate", body={"param": CARD, "kodedokter": 1}, authorization=True
    )
    assert fake.received[0].headers["Content-Type"] == "Application/json"


def test_server_date_is_parsed_from_http_date_header(fake: FakeBpjs) -> None:
    fake.date = "Tue, 14 Nov 2023 22:13:20 GMT"
    fake.responder = lambda req: encrypted_reply(PLAIN, req)
    result = make_transport(fake.base_url).request("GET", "kesadaran")
    assert result.server_date == datetime(2023, 11, 14, 22, 13, 20, tzinfo=UTC)


def test_server_date_matches_single_date_header(fake: FakeBpjs) -> None:
    fake.responder = lambda req: encrypted_reply(PLAIN, req)
    before = datetime.now(UTC).replace(microsecond=0)
    result = make_transport(fake.base_url).request("GET", "kesadaran")
    after = datetime.now(UTC)
    assert result.server_date is not None
    assert before <= result.server_date <= after


# ------------------------------------------------------------------------------- error paths


def test_401_envelope_raises_authentication_error_with_bpjs_message(fake: FakeBpjs) -> None:
    fake.responder = lambda _req: envelope_reply(401, "Signature tidak valid", None)
    with pytest.raises(AuthenticationError) as info:
        make_transport(fake.base_url, clock=time.time).request("GET", "kesadaran", operation="ref")
    err = info.value
    assert err.reason == "signature_rejected"
    assert err.bpjs_message == "Signature tidak valid"
    assert "Signature tidak valid" in err.message
    assert "consumer secret" in err.message
    assert err.code == "401"
    assert err.http_status == 401
    assert err.service == "pcare"
    assert err.operation == "ref"
    assert err.retryable is False
    assert err.maybe_applied is False
    assert len(fake.received) == 1


def test_401_with_timestamp_message_points_at_the_clock(fake: FakeBpjs) -> None:
    fake.responder = lambda _req: envelope_reply(401, "Timestamp di luar batas waktu", None)
    with pytest.raises(AuthenticationError) as info:
        make_transport(fake.base_url, clock=time.time).request("GET", "kesadaran")
    assert info.value.reason == "timestamp_rejected"
    assert "NTP" in info.value.message


def test_401_with_skewed_server_date_blames_the_clock(fake: FakeBpjs) -> None:
    # Our frozen clock says 22:13:20; the server's Date header is ten minutes later.
    fake.date = "Tue, 14 Nov 2023 22:23:20 GMT"
    fake.responder = lambda _req: envelope_reply(401, "Signature tidak valid", None)
    with pytest.raises(AuthenticationError) as info:
        make_transport(fake.base_url).request("GET", "kesadaran")
    assert info.value.reason == "clock_skew"
    assert "lebih lambat 600 detik" in info.value.message


def test_401_with_small_skew_keeps_the_bpjs_reason(fake: FakeBpjs) -> None:
    fake.date = "Tue, 14 Nov 2023 22:13:50 GMT"
    fake.responder = lambda _req: envelope_reply(401, "user_key tidak valid", None)
    with pytest.raises(AuthenticationError) as info:
        make_transport(fake.base_url).request("GET", "kesadaran")
    assert info.value.reason == "user_key_rejected"


def test_412_list_raises_rejected_with_field_errors(fake: FakeBpjs) -> None:
    problems = [{"field": "noKartu", "message": "Belum melakukan pendaftaran pada poli tersebut."}]
    fake.responder = lambda _req: envelope_reply(412, "PRECONDITION_FAILED", problems)
    with pytest.raises(Rejected) as info:
        make_transport(fake.base_url).request("POST", "kunjungan/V1", body={"noKartu": CARD})
    err = info.value
    assert err.field_errors == [
        FieldError("noKartu", "Belum melakukan pendaftaran pada poli tersebut.")
    ]
    assert err.reason == "validation"
    assert err.code == "412"
    assert err.http_status == 412
    assert err.retryable is False
    assert err.maybe_applied is False
    assert "Belum melakukan pendaftaran" in err.message


def test_encrypted_412_list_is_decrypted_before_reading_field_errors(fake: FakeBpjs) -> None:
    problems = [{"field": "kdPoli", "message": "Poli tidak dikenal"}]

    def responder(req: Received) -> Reply:
        cipher = encrypt_payload(
            json.dumps(problems),
            cons_id=CONS_ID,
            secret=SECRET,
            timestamp=req.headers["X-timestamp"],
        )
        return envelope_reply(412, "PRECONDITION_FAILED", cipher)

    fake.responder = responder
    with pytest.raises(Rejected) as info:
        make_transport(fake.base_url).request("POST", "pendaftaran", body={})
    assert info.value.field_errors == [FieldError("kdPoli", "Poli tidak dikenal")]


def test_code_204_raises_not_found(fake: FakeBpjs) -> None:
    fake.responder = lambda _req: envelope_reply(200, "Data tidak ditemukan", None, code=204)
    with pytest.raises(NotFound) as info:
        make_transport(fake.base_url).request("GET", f"peserta/{CARD}")
    assert info.value.code == "204"
    assert info.value.reason == "no_data"
    assert info.value.http_status == 200


def test_http_204_without_body_raises_not_found(fake: FakeBpjs) -> None:
    fake.responder = lambda _req: Reply(204, b"")
    with pytest.raises(NotFound):
        make_transport(fake.base_url).request("GET", f"peserta/{CARD}")


def test_404_not_registered_names_the_service_registration(fake: FakeBpjs) -> None:
    message = "Unauthorized! You are not registered for this service!"
    fake.responder = lambda _req: envelope_reply(404, message, None)
    with pytest.raises(NotFound) as info:
        make_transport(fake.base_url).request("POST", "kunjungan", body={})
    assert info.value.reason == "service_not_registered"
    assert info.value.bpjs_message == message


def test_antrean_refusal_code_201_raises_rejected(fake: FakeBpjs) -> None:
    fake.responder = lambda _req: envelope_reply(
        200, "Nomor antrean sudah digunakan", None, code=201, key="metadata"
    )
    with pytest.raises(Rejected) as info:
        make_transport(fake.base_url, service="antreanfktp").request("POST", "antrean/add", body={})
    assert info.value.code == "201"
    assert info.value.reason == "refused"
    assert "Nomor antrean sudah digunakan" in info.value.message


def test_non_2xx_json_500_envelope_raises_server_error_with_message(fake: FakeBpjs) -> None:
    message = "Cannot access child value on Newtonsoft.Json.Linq.JValue."
    fake.responder = lambda _req: envelope_reply(500, message, [])
    with pytest.raises(ServerError) as info:
        make_transport(fake.base_url).request("POST", "kunjungan/V1", body={})
    assert info.value.bpjs_message == message
    assert info.value.retryable is True
    assert info.value.code == "500"
    assert len(fake.received) == 1


def test_html_500_raises_invalid_response_and_logs_only_the_start(
    fake: FakeBpjs, caplog: pytest.LogCaptureFixture
) -> None:
    page = b"<!DOCTYPE html><html><head><title>Runtime Error</title></head>" + b"x" * 5000
    fake.responder = lambda _req: Reply(500, page)
    caplog.set_level(logging.INFO, logger="bridging.transport")
    with pytest.raises(InvalidResponse) as info:
        make_transport(fake.base_url, read_retries=0).request("GET", "kesadaran")
    err = info.value
    assert type(err) is InvalidResponse
    assert err.reason == "bpjs_down"
    assert err.retryable is True
    assert err.maybe_applied is False
    assert "HTML" in err.message
    logged = "\n".join(r.getMessage() for r in caplog.records)
    assert "Runtime Error" in logged
    assert "x" * 300 not in logged


def test_html_answer_to_post_may_have_been_applied(fake: FakeBpjs) -> None:
    fake.responder = lambda _req: Reply(502, b"<html>Bad Gateway</html>")
    with pytest.raises(InvalidResponse) as info:
        make_transport(fake.base_url).request("POST", "pendaftaran", body={})
    assert info.value.maybe_applied is True
    assert len(fake.received) == 1


def test_html_404_points_at_the_base_url(fake: FakeBpjs) -> None:
    fake.responder = lambda _req: Reply(404, b"<html><body>404 - File not found</body></html>")
    with pytest.raises(InvalidResponse) as info:
        make_transport(fake.base_url).request("GET", "kesadaran")
    assert info.value.reason == "wrong_url"
    assert info.value.retryable is False


def test_garbled_ciphertext_raises_decryption_error(fake: FakeBpjs) -> None:
    def garbled(req: Received) -> Reply:
        good = encrypted_reply(PLAIN, req)
        body = json.loads(good.body)
        cipher = body["response"]
        body["response"] = cipher[:10] + ("A" if cipher[10] != "A" else "B") + cipher[11:]
        return Reply(200, json.dumps(body).encode())

    fake.responder = garbled
    with pytest.raises(DecryptionError) as get_info:
        make_transport(fake.base_url).request("GET", "kesadaran")
    assert get_info.value.maybe_applied is False
    assert get_info.value.retryable is True
    assert get_info.value.code == "200"
    with pytest.raises(DecryptionError) as post_info:
        make_transport(fake.base_url).request("POST", "pendaftaran", body={})
    assert post_info.value.maybe_applied is True


def test_ciphertext_for_another_secret_raises_decryption_error(fake: FakeBpjs) -> None:
    def wrong_key(req: Received) -> Reply:
        cipher = encrypt_payload(
            json.dumps(PLAIN), cons_id=CONS_ID, secret="other", timestamp=req.headers["X-timestamp"]
        )
        return envelope_reply(200, "OK", cipher)

    fake.responder = wrong_key
    with pytest.raises(DecryptionError) as info:
        make_transport(fake.base_url).request("GET", "kesadaran")
    assert info.value.reason in {"wrong_key", "lz_corrupt"}


def test_get_read_timeout_is_retried_then_not_applied(fake: FakeBpjs) -> None:
    fake.responder = lambda _req: Reply(200, b"{}", delay=1.0)
    transport = make_transport(fake.base_url, read_timeout=0.2, read_retries=2)
    with pytest.raises(BpjsTimeout) as info:
        transport.request("GET", "kesadaran")
    assert len(fake.received) == 3
    assert info.value.maybe_applied is False
    assert info.value.retryable is True
    assert info.value.reason == "read_timeout"


def test_post_read_timeout_is_not_retried_and_maybe_applied(fake: FakeBpjs) -> None:
    fake.responder = lambda _req: Reply(200, b"{}", delay=1.0)
    transport = make_transport(fake.base_url, read_timeout=0.2, read_retries=2)
    with pytest.raises(BpjsTimeout) as info:
        transport.request("POST", "pendaftaran", body={"noKartu": CARD})
    assert len(fake.received) == 1
    assert info.value.maybe_applied is True
    assert info.value.retryable is True


def test_get_503_is_retried_then_succeeds(fake: FakeBpjs) -> None:
    def responder(req: Received) -> Reply:
        if len(fake.received) < 3:
            return envelope_reply(503, "Service Unavailable", None)
        return encrypted_reply(PLAIN, req)

    fake.responder = responder
    result = make_transport(fake.base_url, read_retries=2).request("GET", "kesadaran")
    assert len(fake.received) == 3
    assert result.data == PLAIN


def test_get_retries_are_bounded(fake: FakeBpjs) -> None:
    fake.responder = lambda _req: envelope_reply(504, "Gateway Timeout", None)
    with pytest.raises(ServerError):
        make_transport(fake.base_url, read_retries=1).request("GET", "kesadaran")
    assert len(fake.received) == 2


def test_connect_refused_raises_network_error() -> None:
    transport = make_transport(f"http://127.0.0.1:{free_port()}/pcare-rest-dev")
    with pytest.raises(NetworkError) as info:
        transport.request("POST", "pendaftaran", body={})
    assert info.value.reason == "connect_failed"
    assert info.value.retryable is True
    assert info.value.maybe_applied is False
    assert "koneksi internet" in info.value.message


def test_missing_credentials_raise_configuration_error_before_sending(fake: FakeBpjs) -> None:
    with pytest.raises(ConfigurationError) as info:
        make_transport(fake.base_url, secret="").request("GET", "kesadaran")
    assert "consumer secret" in info.value.message
    with pytest.raises(ConfigurationError) as auth_info:
        make_transport(fake.base_url, password="").request("GET", "x", authorization=True)
    assert "password PCare" in auth_info.value.message
    assert fake.received == []


# ---------------------------------------------------------------------------------- redaction


def test_logs_never_contain_secrets_or_patient_identifiers(
    fake: FakeBpjs, caplog: pytest.LogCaptureFixture
) -> None:
    def responder(req: Received) -> Reply:
        if req.method == "GET":
            return envelope_reply(401, f"Signature tidak valid untuk {CARD}", None)
        return Reply(500, f"<html>error for {NIK} SITI AMINAH</html>".encode())

    fake.responder = responder
    caplog.set_level(logging.DEBUG, logger="bridging.transport")
    transport = make_transport(fake.base_url, read_retries=0)
    body = {"noKartu": CARD, "nik": NIK, "nama": "SITI AMINAH", "noHP": "081234567890"}
    with pytest.raises(AuthenticationError) as auth_info:
        transport.request("GET", f"peserta/nik/{NIK}", authorization=True)
    with pytest.raises(InvalidResponse):
        transport.request("POST", f"peserta/{CARD}", body=body, authorization=True)
    logged = "\n".join(r.getMessage() for r in caplog.records)
    assert len(caplog.records) >= 4
    forbidden = [
        SECRET,
        USER_KEY,
        PASSWORD,
        CARD,
        NIK,
        "SITI AMINAH",
        "081234567890",
        sign(CONS_ID, SECRET, "1700000000"),
        x_authorization(USERNAME, PASSWORD),
    ]
    assert [value for value in forbidden if value in logged] == []
    assert "peserta/nik/[NIK]" in logged
    assert CARD not in auth_info.value.message
    assert CARD not in (auth_info.value.bpjs_message or "")


def test_default_operation_name_hides_identifiers_in_the_path(fake: FakeBpjs) -> None:
    fake.responder = lambda _req: envelope_reply(200, "Data tidak ditemukan", None, code=204)
    with pytest.raises(NotFound) as info:
        make_transport(fake.base_url).request("GET", f"peserta/{CARD}")
    assert info.value.operation == "GET peserta/[NOKARTU]"
    assert CARD not in str(info.value)


def test_names_in_a_raw_json_body_are_masked_when_echoed(
    fake: FakeBpjs, caplog: pytest.LogCaptureFixture
) -> None:
    fake.responder = lambda _req: Reply(500, b"<html>gagal simpan BUDI SANTOSO</html>")
    caplog.set_level(logging.DEBUG, logger="bridging.transport")
    with pytest.raises(InvalidResponse):
        make_transport(fake.base_url).request("POST", "x", body='{"nama": "BUDI SANTOSO"}')
    logged = "\n".join(r.getMessage() for r in caplog.records)
    assert "gagal simpan ***" in logged
    assert "BUDI" not in logged
