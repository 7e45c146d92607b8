"""Whatever arrives gets a well-formed ``metadata`` answer; rate limits; the call log, the
monitor page and the settings page."""

from __future__ import annotations

import datetime as dt
import json

import pytest
from django.test import Client
from django.urls import reverse

from bridging.antrean_ws import ports, ratelimit, views
from bridging.antrean_ws.models import AntreanWsAccount, InboundCall
from tests.antrean_ws.conftest import BASE, CARD, NIK, PASSWORD, USERNAME, Ws, booking, meta

pytestmark = pytest.mark.django_db


# ---- HTTP-level answers ------------------------------------------------------------------------
@pytest.mark.parametrize(
    "raw",
    [b"{not json", b"\xff\xfe", b"[1, 2", b'{"nomorkartu": }'],
    ids=["broken", "binary", "list", "value"],
)
def test_a_body_that_is_not_json_gets_400_and_201(ws, clinic_setup, patient, raw):
    response, body = ws.post("/antrean", raw=raw)
    assert response.status_code == 400
    assert body == {
        "metadata": {"message": "Format Data Tidak Sesuai, Data Harus Berupa JSON", "code": 201}
    }


@pytest.mark.parametrize("raw", ["[]", '"text"', "42", "null"])
def test_json_that_is_not_an_object_gets_400(ws, clinic_setup, raw):
    response, body = ws.put("/antrean/batal", raw=raw)
    assert response.status_code == 400
    assert body == {
        "metadata": {
            "message": "Format Data Tidak Sesuai, Data Harus Berupa Objek JSON",
            "code": 201,
        }
    }


def test_an_empty_body_is_an_empty_object(ws, clinic_setup):
    _, body = ws.post("/antrean", raw=b"")
    assert body == {"metadata": {"message": "Nomor Kartu Belum Diisi", "code": 201}}


def test_a_huge_body_gets_413_without_being_read(ws, clinic_setup, patient, day):
    huge = json.dumps({**booking(day), "keluhan": "x" * 200_000})
    response, body = ws.post("/antrean", raw=huge)
    assert response.status_code == 413
    assert body == {"metadata": {"message": "Ukuran Data Terlalu Besar", "code": 201}}


@pytest.mark.parametrize(
    "path", ["/", "/antrian", "/antrean/status/001", "/peserta/1", "/../etc/passwd", "/v3/auth"]
)
def test_unknown_paths_get_404_with_metadata(ws, path):
    response, body = ws.get(path)
    assert response.status_code == 404
    assert body == {"metadata": {"message": "Alamat Tidak Ditemukan", "code": 201}}


def test_a_host_outside_allowed_hosts_gets_400_with_metadata_and_is_logged(settings):
    settings.ALLOWED_HOSTS = ["klinik.example"]
    client = Client(HTTP_HOST="attacker.example")
    for path in (f"{BASE}/antrean/status/001/2026-11-25", BASE):
        response = client.get(path)
        assert response.status_code == 400
        assert response["Content-Type"] == "application/json"
        assert response.json() == {"metadata": {"message": "Permintaan Tidak Valid", "code": 201}}
    views.call_log.flush()
    assert (
        list(InboundCall.objects.values_list("endpoint", "http_status", "code"))
        == [("bad request", 400, 201)] * 2
    )
    # The clinic's own pages keep Django's page.
    page = client.get("/login/")
    assert page.status_code == 400
    assert page["Content-Type"].startswith("text/html")


@pytest.mark.parametrize(
    ("method", "path", "allow"),
    [
        ("GET", "/antrean", "POST"),
        ("DELETE", "/antrean", "POST"),
        ("POST", "/antrean/batal", "PUT"),
        ("GET", "/antrean/batal", "PUT"),
        ("GET", "/peserta", "POST"),
        ("POST", "/antrean/status/001/2026-11-25", "GET"),
        ("PUT", "/antrean/sisapeserta/0001000000001/001/2026-11-25", "GET"),
        ("PATCH", "/v2/antrean/status/001/2026-11-25", "GET"),
        ("DELETE", "/auth", "GET"),
    ],
)
def test_wrong_methods_get_405_with_metadata(ws, method, path, allow):
    response, body = ws.call(method, path, {})
    assert response.status_code == 405
    assert response["Allow"] == allow
    assert body == {"metadata": {"message": "Metode Tidak Diizinkan", "code": 201}}


def test_paths_with_a_trailing_slash_and_the_v2_prefix_are_served(ws, clinic_setup, patient, day):
    response, body = ws.get(f"/antrean/status/001/{day}/")
    assert (response.status_code, meta(body)) == (200, (200, "Ok"))
    _, booked = ws.post("/v2/antrean/", booking(day))
    assert meta(booked) == (200, "Ok")
    _, sisa = ws.get(f"/v2/antrean/sisapeserta/{CARD}/001/{day}")
    assert sisa["response"]["nomorantrean"] == "A-1"


def test_posts_need_no_csrf_token(token, clinic_setup, patient, day):
    strict = Ws(Client(enforce_csrf_checks=True), token)
    _, body = strict.post("/antrean", booking(day))
    assert meta(body) == (200, "Ok")


def test_an_internal_failure_is_a_metadata_answer_not_a_500(ws, clinic_setup, day, monkeypatch):
    def broken(*args, **kwargs):
        raise RuntimeError("boom 0001000000001")

    monkeypatch.setattr(ports.get_port().__class__, "poli_status", broken)
    response, body = ws.get(f"/antrean/status/001/{day}")
    assert response.status_code == 200
    assert body == {
        "metadata": {"message": "Maaf Terjadi Kesalahan, Hubungi Administrator", "code": 201}
    }


def test_a_busy_database_is_not_shown_as_a_database_error(
    ws, clinic_setup, patient, day, monkeypatch
):
    def busy(*args, **kwargs):
        raise ports.PortBusy("database is locked")

    monkeypatch.setattr(ports.get_port().__class__, "book", busy)
    _, body = ws.post("/antrean", booking(day))
    assert body == {
        "metadata": {"message": "Sistem Sedang Sibuk, Silakan Coba Beberapa Saat Lagi", "code": 201}
    }


def test_the_port_is_chosen_by_setting(settings):
    settings.ANTREAN_WS_PORT = "clinic.queues.mobilejkn.ClinicQueueAdapter"
    from clinic.queues.mobilejkn import ClinicQueueAdapter

    assert isinstance(ports.get_port(), ClinicQueueAdapter)
    del settings.ANTREAN_WS_PORT
    assert isinstance(ports.get_port(), ClinicQueueAdapter)


# ---- rate limit --------------------------------------------------------------------------------
def test_token_bucket_allows_the_burst_then_the_rate():
    now = [1000.0]
    take = lambda: ratelimit.allow("t", rate=2, burst=3, clock=lambda: now[0])  # noqa: E731
    assert [take() for _ in range(4)] == [True, True, True, False]
    now[0] += 0.5  # one token back
    assert [take(), take()] == [True, False]
    now[0] += 100  # never more than the burst
    assert [take() for _ in range(4)] == [True, True, True, False]


def test_rate_limit_per_client_address_gives_429(ws, account, clinic_setup, day):
    account.rate_per_second = 1
    account.rate_burst = 3
    account.save()
    views.forget_limits(USERNAME)
    answers = [ws.get(f"/antrean/status/001/{day}")[0].status_code for _ in range(4)]
    assert answers == [200, 200, 200, 429]
    response, body = ws.get(f"/antrean/status/001/{day}")
    assert body == {
        "metadata": {
            "message": "Terlalu Banyak Permintaan, Silakan Coba Beberapa Saat Lagi",
            "code": 201,
        }
    }
    assert response["Retry-After"] == "1"
    other_address = ws.client.get(
        f"{BASE}/antrean/status/001/{day}", headers=ws.headers(), REMOTE_ADDR="10.0.0.9"
    )
    assert other_address.status_code == 200


def test_the_default_limit_is_far_above_bpjs_traffic(ws, account, clinic_setup, day):
    assert (account.rate_per_second, account.rate_burst) == (100, 500)
    codes = {ws.get(f"/antrean/status/001/{day}")[0].status_code for _ in range(150)}
    assert codes == {200}


# ---- call log ----------------------------------------------------------------------------------
def test_every_call_is_logged_without_identifiers(ws, account, clinic_setup, patient, day):
    ws.get("/auth", headers={"x-username": USERNAME, "x-password": PASSWORD})
    ws.post("/antrean", booking(day))
    ws.get(f"/antrean/sisapeserta/{CARD}/001/{day}")
    ws.get("/nowhere")
    ws.call("DELETE", "/antrean")
    ws.get(f"/antrean/status/001/{day}", headers=ws.headers("bad"))
    rows = list(
        InboundCall.objects.order_by("id").values_list(
            "endpoint", "code", "http_status", "facility_id"
        )
    )
    assert rows == [
        ("GET auth", 200, 200, account.facility_id),
        ("POST antrean", 200, 200, account.facility_id),
        ("GET antrean/sisapeserta", 200, 200, account.facility_id),
        ("unknown", 201, 404, None),
        ("DELETE antrean", 201, 405, None),
        ("GET antrean/status", 201, 200, None),
    ]
    for call in InboundCall.objects.all():
        assert call.duration_ms >= 0
        assert call.client_address == "127.0.0.1"
        text = " ".join(str(v) for v in call.__dict__.values())
        assert CARD not in text and NIK not in text


# ---- monitor and settings pages ----------------------------------------------------------------
def _calls(endpoint: str, durations: list[float], codes: list[int] | None = None, facility=None):
    now = dt.datetime.now(dt.UTC)
    for i, duration in enumerate(durations):
        InboundCall.objects.create(
            endpoint=endpoint,
            code=(codes or [200] * len(durations))[i],
            http_status=200,
            duration_ms=duration,
            facility=facility,
            at=now,
        )


def test_monitor_shows_todays_count_errors_and_percentiles(client_for, admin, account, facility):
    _calls("GET antrean/status", [float(ms) for ms in range(1, 101)], facility=facility)
    _calls("POST antrean", [10, 20, 30, 40], codes=[200, 201, 202, 201], facility=facility)
    InboundCall.objects.create(
        endpoint="POST antrean",
        code=200,
        http_status=200,
        duration_ms=9999,
        at=dt.datetime.now(dt.UTC) - dt.timedelta(days=2),
        facility=facility,
    )
    response = client_for(admin).get(reverse("antrean_ws:monitor"))
    assert response.status_code == 200
    stats = {s.endpoint: s for s in response.context["stats"]}
    status = stats["GET antrean/status"]
    assert (status.count, status.errors, status.p50, status.p95, status.p99) == (100, 0, 50, 95, 99)
    booking_stats = stats["POST antrean"]
    assert (booking_stats.count, booking_stats.error_percent, booking_stats.p99) == (4, 50.0, 40)
    assert b"budget-warning" not in response.content


def test_monitor_warns_when_p95_passes_the_budget(client_for, admin, account, facility):
    account.p95_budget_ms = 50
    account.save()
    _calls("GET antrean/status", [float(ms) for ms in range(1, 101)], facility=facility)
    response = client_for(admin).get(reverse("antrean_ws:monitor"))
    assert response.context["over_budget"][0].endpoint == "GET antrean/status"
    assert b'data-testid="budget-warning"' in response.content


def test_monitor_default_budget_is_500_ms(client_for, admin, facility):
    _calls("GET antrean/status", [450.0] * 10, facility=facility)
    response = client_for(admin).get(reverse("antrean_ws:monitor"))
    assert response.context["budget_ms"] == 500
    assert response.context["over_budget"] == []


@pytest.mark.parametrize("page", ["antrean_ws:monitor", "antrean_ws:settings"])
def test_pages_are_for_clinic_admins_only(client, client_for, frontdesk, dokter, page):
    assert client.get(reverse(page)).status_code == 302
    assert client_for(frontdesk).get(reverse(page)).status_code == 403
    assert client_for(dokter).get(reverse(page)).status_code == 403


def _settings_form(**changes):
    data = {
        "username": USERNAME,
        "is_active": "on",
        "token_lifetime_seconds": "600",
        "booking_days_ahead": "5",
        "rate_per_second": "200",
        "rate_burst": "800",
        "p95_budget_ms": "300",
        "new_password": "",
        "confirm_password": "",
    }
    data.update(changes)
    return data


def test_admin_sets_lifetime_and_password_and_old_tokens_end(
    client_for, admin, account, token, clinic_setup, day
):
    response = client_for(admin).post(
        reverse("antrean_ws:settings"),
        _settings_form(new_password="Rahasia#Baru1", confirm_password="Rahasia#Baru1"),
    )
    assert response.status_code == 302
    account.refresh_from_db()
    assert (
        account.token_lifetime_seconds,
        account.booking_days_ahead,
        account.rate_per_second,
        account.rate_burst,
        account.p95_budget_ms,
    ) == (600, 5, 200, 800, 300)
    assert account.check_password("Rahasia#Baru1")
    ws = Ws(Client(), token)
    _, body = ws.get(f"/antrean/status/001/{day}")
    assert meta(body) == (201, "Token tidak valid")


def test_admin_keeps_the_password_when_the_field_is_empty(client_for, admin, account):
    version = account.key_version
    client_for(admin).post(reverse("antrean_ws:settings"), _settings_form())
    account.refresh_from_db()
    assert account.key_version == version
    assert account.check_password(PASSWORD)


def test_admin_creates_the_account_when_there_is_none(client_for, admin, facility):
    page = client_for(admin)
    refused = page.post(reverse("antrean_ws:settings"), _settings_form())
    assert refused.status_code == 200
    assert AntreanWsAccount.objects.count() == 0
    page.post(
        reverse("antrean_ws:settings"),
        _settings_form(new_password="Rahasia#Baru1", confirm_password="Rahasia#Baru1"),
    )
    account = AntreanWsAccount.objects.get()
    assert (account.facility, account.username) == (facility, USERNAME)


def test_mismatched_passwords_are_refused(client_for, admin, account):
    response = client_for(admin).post(
        reverse("antrean_ws:settings"),
        _settings_form(new_password="Rahasia#Baru1", confirm_password="Rahasia#Baru2"),
    )
    assert response.status_code == 200
    assert b'data-testid="error-confirm_password"' in response.content
    account.refresh_from_db()
    assert account.check_password(PASSWORD)


def test_demo_seed_creates_the_demo_account_once(facility):
    from bridging.antrean_ws.demo import seed_demo_antrean_ws

    assert seed_demo_antrean_ws(facility) is True
    assert seed_demo_antrean_ws(facility) is False
    account = AntreanWsAccount.objects.get()
    assert (account.username, account.check_password("Demo#2026")) == ("mobilejkn", True)


def test_call_log_batches_rows_until_flushed(ws, account, clinic_setup, day, settings):
    from bridging.antrean_ws.calllog import call_log

    settings.ANTREAN_WS_LOG_FLUSH_SECONDS = 60
    for _ in range(3):
        ws.get(f"/antrean/status/001/{day}")
    assert (InboundCall.objects.count(), call_log.pending()) == (0, 3)
    assert call_log.flush() == 3
    assert (
        list(InboundCall.objects.values_list("endpoint", flat=True)) == ["GET antrean/status"] * 3
    )


def test_the_monitor_page_writes_the_buffered_calls_first(
    ws, client_for, admin, account, clinic_setup, day, settings
):
    settings.ANTREAN_WS_LOG_FLUSH_SECONDS = 60
    ws.get(f"/antrean/status/001/{day}")
    response = client_for(admin).get(reverse("antrean_ws:monitor"))
    assert [s.count for s in response.context["stats"]] == [1]
