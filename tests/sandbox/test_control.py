"""The control surface: faults, reset, settings, clock, request log, state, roster files."""

from __future__ import annotations

import csv
import email.utils
import io
import json
import time

import pytest
import requests

from bridging.transport.errors import DecryptionError
from tests.sandbox.bpjs import Bpjs
from tests.sandbox.helpers import ROSTER, daftar_body
from tests.support.sandbox import SandboxServer

DEFAULT_SETTINGS = {
    "timestamp_window_seconds": 300,
    "kunjungan_response_shape": "list",
    "antrean_fktp_envelope": "metadata",
    "antrean_fktp_user_key": "sandbox-user-key",
    "allow_other_fktp_pendaftaran": False,
    "referral_without_rujuklanjut": "500",
    "status_pulang_inpatient": [
        {"kdStatusPulang": "1", "nmStatusPulang": "Sembuh"},
        {"kdStatusPulang": "2", "nmStatusPulang": "Rujuk"},
    ],
    "legacy_kunjungan_path": "404",
    "encrypt_412_list": False,
    "sep_update_response": "plain",
}


def control_raw(sandbox, method, path, body=None):
    return requests.request(method, f"{sandbox.control_url}{path}", json=body, timeout=10)


# ---- faults ------------------------------------------------------------------------------------
def test_faults_default_put_get_delete(sandbox):
    assert sandbox.control("GET", "/faults") == {
        "latency_ms": 0,
        "error_rate": 0.0,
        "timeout_rate": 0.0,
        "html_error_rate": 0.0,
        "garbled_rate": 0.0,
        "seed": None,
        "hang_seconds": 65.0,
        "apply_on_timeout": 0.0,
        "services": ["pcare", "antreanfktp", "icare", "vclaim"],
    }
    put = sandbox.control("PUT", "/faults", {"error_rate": 0.3, "seed": 7, "services": ["pcare"]})
    assert put["error_rate"] == 0.3
    assert put["timeout_rate"] == 0.0  # keys left out are off
    assert sandbox.control("GET", "/faults") == put
    assert sandbox.control("DELETE", "/faults")["error_rate"] == 0.0


@pytest.mark.parametrize(
    "body",
    [
        {"error_rate": 1.5},
        {"error_rate": 0.6, "timeout_rate": 0.6},
        {"nope": 1},
        {"services": ["bpjs"]},
        {"seed": "x"},
    ],
)
def test_invalid_faults_are_refused_with_400(sandbox, body):
    response = control_raw(sandbox, "PUT", "/faults", body)
    assert response.status_code == 400
    assert "error" in response.json()
    assert sandbox.control("GET", "/faults")["error_rate"] == 0.0


def _statuses(client: Bpjs, n: int) -> list[int]:
    return [client.get("kesadaran").status for _ in range(n)]


def test_seeded_faults_repeat(sandbox, pcare):
    sandbox.control("PUT", "/faults", {"error_rate": 0.5, "seed": 7})
    first = _statuses(pcare, 24)
    sandbox.control("PUT", "/faults", {"error_rate": 0.5, "seed": 7})
    second = _statuses(pcare, 24)
    assert first == second
    assert set(first) == {200, 500}
    sandbox.control("PUT", "/faults", {"error_rate": 0.5, "seed": 8})
    assert _statuses(pcare, 24) != first


def test_error_fault_answers_the_services_json_500(sandbox, pcare, vclaim):
    sandbox.control("PUT", "/faults", {"error_rate": 1.0})
    answer = pcare.get("kesadaran")
    assert answer.status == 500
    assert answer.body == {
        "response": [],
        "metaData": {"message": "Internal Server Error", "code": 500},
    }
    answer = vclaim.get("Peserta/nokartu/0001000000001/tglSEP/2026-01-05")
    assert answer.status == 500
    assert answer.body["metaData"] == {"message": "Internal Server Error", "code": "500"}


def test_html_error_fault_answers_an_iis_page(sandbox, pcare):
    sandbox.control("PUT", "/faults", {"html_error_rate": 1.0})
    answer = pcare.get("kesadaran")
    assert answer.status == 500
    assert answer.body is None
    assert "Runtime Error" in answer.text
    assert answer.headers["Content-Type"].startswith("text/html")


def test_garbled_fault_answers_200_that_does_not_decrypt(sandbox, pcare):
    sandbox.control("PUT", "/faults", {"garbled_rate": 1.0})
    answer = pcare.get("kesadaran")
    assert answer.status == 200
    assert answer.body["metaData"] == {"message": "OK", "code": 200}
    assert isinstance(answer.raw, str)
    with pytest.raises(DecryptionError):
        answer.data


def test_faults_apply_only_to_the_listed_services(sandbox, pcare, vclaim):
    sandbox.control("PUT", "/faults", {"error_rate": 1.0, "services": ["vclaim"]})
    assert pcare.get("kesadaran").status == 200
    assert vclaim.get("Peserta/nokartu/0001000000001/tglSEP/2026-01-05").status == 500


def test_control_surface_is_never_faulted(sandbox):
    sandbox.control("PUT", "/faults", {"error_rate": 1.0})
    assert sandbox.control("GET", "/settings") == DEFAULT_SETTINGS


def test_latency_fault_delays_answers(sandbox, pcare):
    sandbox.control("PUT", "/faults", {"latency_ms": 400})
    started = time.monotonic()
    assert pcare.get("kesadaran").status == 200
    assert time.monotonic() - started >= 0.4


def test_timeout_fault_does_not_answer(sandbox, pcare):
    sandbox.control("PUT", "/faults", {"timeout_rate": 1.0, "hang_seconds": 3})
    with pytest.raises(requests.ReadTimeout):
        pcare.get("kesadaran", timeout=1)


@pytest.mark.parametrize(("apply", "held"), [(1.0, 1), (0.0, 0)])
def test_write_that_times_out_is_applied_per_apply_on_timeout(sandbox, pcare, tgl, apply, held):
    sandbox.control(
        "PUT", "/faults", {"timeout_rate": 1.0, "hang_seconds": 1.5, "apply_on_timeout": apply}
    )
    with pytest.raises(requests.ReadTimeout):
        pcare.post("pendaftaran", daftar_body(tgl), timeout=0.7)
    sandbox.control("DELETE", "/faults")
    assert len(sandbox.control("GET", "/state/pendaftaran")["pendaftaran"]) == held


# ---- reset, settings, clock -------------------------------------------------------------------
def test_reset_restores_the_seeded_state(sandbox, pcare, tgl):
    pcare.post("pendaftaran", daftar_body(tgl))
    sandbox.control("PUT", "/faults", {"error_rate": 0.2})
    sandbox.control("PATCH", "/settings", {"encrypt_412_list": True})
    sandbox.control("POST", "/clock", {"offset_seconds": -30})
    assert sandbox.control("POST", "/reset") == {"reset": True}
    assert sandbox.control("GET", "/state/pendaftaran")["pendaftaran"] == []
    assert sandbox.control("GET", "/faults")["error_rate"] == 0.0
    assert sandbox.control("GET", "/settings") == DEFAULT_SETTINGS
    assert sandbox.control("GET", "/clock")["offset_seconds"] == 0.0
    assert pcare.post("pendaftaran", daftar_body(tgl)).data["message"] == "A1"


def test_settings_have_every_key_with_its_default(sandbox):
    assert sandbox.control("GET", "/settings") == DEFAULT_SETTINGS


def test_settings_patch_changes_only_the_keys_given(sandbox):
    changed = sandbox.control("PATCH", "/settings", {"kunjungan_response_shape": "object"})
    assert changed == {**DEFAULT_SETTINGS, "kunjungan_response_shape": "object"}
    assert sandbox.control("GET", "/settings") == changed


@pytest.mark.parametrize(
    "body",
    [
        {"unknown_key": 1},
        {"kunjungan_response_shape": "tuple"},
        {"timestamp_window_seconds": "300"},
        {"encrypt_412_list": 1},
    ],
)
def test_invalid_settings_are_refused_with_400(sandbox, body):
    assert control_raw(sandbox, "PATCH", "/settings", body).status_code == 400
    assert sandbox.control("GET", "/settings") == DEFAULT_SETTINGS


def test_clock_offset_shows_in_the_date_header_and_the_timestamp_window(sandbox):
    sandbox.control("POST", "/clock", {"offset_seconds": -600})
    honest = Bpjs(sandbox.pcare_url)
    answer = honest.get("kesadaran")
    assert answer.status == 401
    assert answer.message == "Timestamp di luar batas waktu"
    server_time = email.utils.parsedate_to_datetime(answer.headers["Date"]).timestamp()
    assert abs(server_time - (time.time() - 600)) < 5
    skewed = Bpjs(sandbox.pcare_url, clock=lambda: time.time() - 600)
    assert skewed.get("kesadaran").status == 200


# ---- request log ----------------------------------------------------------------------------
def test_request_log_is_newest_first_filtered_and_redacted(sandbox, pcare, vclaim):
    pcare.get("peserta/0001000000001")
    vclaim.get("Peserta/nik/3273010507850001/tglSEP/2026-01-05")
    Bpjs(sandbox.pcare_url, user_key="bocor").get("kesadaran")
    log = sandbox.control("GET", "/requests", limit=10)["requests"]
    assert [(r["service"], r["status"], r["verdict"]) for r in log] == [
        ("pcare", 401, "auth_failed"),
        ("vclaim", 200, "ok"),
        ("pcare", 200, "ok"),
    ]
    assert log[2]["path"] == "/pcare-rest-dev/peserta/*********0001"
    assert log[1]["path"] == "/vclaim-rest-dev/Peserta/nik/************0001/tglSEP/2026-01-05"
    assert set(log[0]) == {
        "at",
        "service",
        "method",
        "path",
        "status",
        "code",
        "verdict",
        "duration_ms",
    }
    text = json.dumps(log)
    for secret in (
        "sandbox-user-key",
        "bocor",
        "sandbox-secret",
        "0001000000001",
        "3273010507850001",
    ):
        assert secret not in text
    only_vclaim = sandbox.control("GET", "/requests", service="vclaim")["requests"]
    assert [r["service"] for r in only_vclaim] == ["vclaim"]
    assert len(sandbox.control("GET", "/requests", limit=1)["requests"]) == 1


# ---- roster files -----------------------------------------------------------------------------
COLUMNS = [
    "No",
    "No Kartu",
    "NIK",
    "Nama",
    "Hubungan Keluarga",
    "Jenis Kelamin",
    "Tanggal Lahir",
    "Jenis Peserta",
    "Kelas",
    "No HP",
    "Alamat",
    "Kode Provider",
    "Tgl Mulai Aktif",
]


def _expected_row(n: int) -> list[str]:
    card, nik, nama, sex, lahir, kelas, jns, hp, alamat, _ = ROSTER[n]
    jenis = {"13": "PEKERJA PENERIMA UPAH", "21": "PBI (APBN)"}[jns]
    return [
        str(n + 4),
        card,
        nik,
        nama,
        "Peserta",
        sex,
        lahir,
        jenis,
        kelas,
        hp,
        alamat,
        "0999K001",
        "01-01-2020",
    ]


def test_roster_csv(sandbox):
    response = requests.get(f"{sandbox.control_url}/roster.csv", timeout=30)
    assert response.status_code == 200
    assert response.headers["Content-Type"] == "text/csv; charset=utf-8"
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8"))))
    assert rows[0] == COLUMNS
    assert len(rows) == 1 + 5004
    assert [row[1] for row in rows[1:5]] == [
        "0001000000001",
        "0001000000005",
        "0001000000006",
        "0001000000007",
    ]
    for n in ROSTER:
        assert rows[n + 4] == _expected_row(n)


def test_roster_xlsx(sandbox):
    from openpyxl import load_workbook

    response = requests.get(f"{sandbox.control_url}/roster.xlsx", timeout=60)
    assert response.status_code == 200
    sheet = load_workbook(io.BytesIO(response.content), read_only=True).active
    rows = [list(row) for row in sheet.iter_rows(values_only=True)]
    assert rows[0] == COLUMNS
    assert len(rows) == 1 + 5004
    for n in (1, 40, 5000):
        expected = _expected_row(n)
        assert rows[n + 4] == [int(expected[0]), *expected[1:]]


# ---- a sandbox of its own: control token, restart ------------------------------------------
def test_control_token_is_required_when_set_and_state_survives_a_restart(tmp_path, tgl):
    with SandboxServer(db_path=str(tmp_path / "s.sqlite3"), control_token="rahasia") as own:
        assert requests.post(f"{own.control_url}/reset", timeout=10).status_code == 401
        wrong = requests.get(
            f"{own.control_url}/faults", headers={"X-Sandbox-Token": "salah"}, timeout=10
        )
        assert wrong.status_code == 401
        assert own.control("GET", "/faults")["error_rate"] == 0.0
        assert Bpjs(own.pcare_url).post("pendaftaran", daftar_body(tgl)).code == 201
        own.control("PATCH", "/settings", {"encrypt_412_list": True})
        own.restart()
        [row] = own.control("GET", "/state/pendaftaran")["pendaftaran"]
        assert row["noUrut"] == "A1"
        assert own.control("GET", "/settings")["encrypt_412_list"] is True
        assert (
            Bpjs(own.pcare_url)
            .post("pendaftaran", daftar_body(tgl, "0001000000005"))
            .data["message"]
            == "A2"
        )
