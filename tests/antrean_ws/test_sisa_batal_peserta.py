"""GET /antrean/sisapeserta (A4), PUT /antrean/batal (A5) and POST /peserta (A6)."""

from __future__ import annotations

import datetime as dt

import pytest

from clinic.patients.models import Patient
from clinic.queues.models import DoctorSchedule, QueueTicket, Visit
from tests.antrean_ws.conftest import CARD, booking, make_patient, meta, register_walk_in

pytestmark = pytest.mark.django_db


def _cancel_body(day, card=CARD, poli="001", **extra):
    return {"nomorkartu": card, "kodepoli": poli, "tanggalperiksa": day.isoformat(), **extra}


# ---- sisa --------------------------------------------------------------------------------------
def test_sisa_gives_the_patients_number_and_who_is_ahead(ws, clinic_setup, facility, patient, day):
    first = make_patient(facility, "0001000000005", "3273011704550005", mrn="RM-000002")
    second = make_patient(facility, "0001000000006", "3273014809600006", mrn="RM-000003")
    for p in (first, second, patient):
        ws.post("/antrean", booking(day, card=p.bpjs_card_number, nik=p.nik))
    QueueTicket.objects.filter(number=1).update(status="called", called_at=dt.datetime.now(dt.UTC))
    response, body = ws.get(f"/antrean/sisapeserta/{CARD}/001/{day}")
    assert response.status_code == 200
    assert body == {
        "response": {
            "nomorantrean": "A-3",
            "namapoli": "Poli Umum",
            "sisaantrean": 1,
            "antreanpanggil": "A-1",
            "keterangan": "",
        },
        "metadata": {"message": "Ok", "code": 200},
    }


def test_sisa_once_called(ws, clinic_setup, patient, day):
    ws.post("/antrean", booking(day))
    QueueTicket.objects.update(status="called", called_at=dt.datetime.now(dt.UTC))
    _, body = ws.get(f"/antrean/sisapeserta/{CARD}/001/{day}")
    assert body["response"]["sisaantrean"] == 0
    assert body["response"]["antreanpanggil"] == "A-1"
    assert body["response"]["keterangan"] == "Nomor antrean Anda sedang atau sudah dipanggil"


@pytest.mark.parametrize(
    ("path", "message"),
    [
        ("/antrean/sisapeserta/{card}/001/{day}", "Antrean Tidak Ditemukan"),
        (
            "/antrean/sisapeserta/123/001/{day}",
            "Format Nomor Kartu Tidak Sesuai, Nomor Kartu Harus 13 Digit Angka",
        ),
        ("/antrean/sisapeserta/{card}/777/{day}", "Poli Tidak Ditemukan"),
        ("/antrean/sisapeserta/{card}/001/2026/11/25", "Alamat Tidak Ditemukan"),
        (
            "/antrean/sisapeserta/{card}/001/20261125",
            "Format Tanggal Tidak Sesuai, format yang benar adalah yyyy-mm-dd",
        ),
        ("/antrean/sisapeserta/{card}/001/{yesterday}", "Tanggal Periksa Tidak Berlaku Mundur"),
    ],
)
def test_sisa_refusals(ws, clinic_setup, patient, today, day, path, message):
    url = path.format(card=CARD, day=day, yesterday=today - dt.timedelta(days=1))
    _, body = ws.get(url)
    assert body == {"metadata": {"message": message, "code": 201}}


def test_sisa_after_cancelling_finds_nothing(ws, clinic_setup, patient, day):
    ws.post("/antrean", booking(day))
    ws.put("/antrean/batal", _cancel_body(day))
    _, body = ws.get(f"/antrean/sisapeserta/{CARD}/001/{day}")
    assert meta(body) == (201, "Antrean Tidak Ditemukan")


# ---- batal -------------------------------------------------------------------------------------
def test_cancel_then_cancel_again(ws, clinic_setup, patient, day):
    ws.post("/antrean", booking(day))
    response, body = ws.put("/antrean/batal", _cancel_body(day, keterangan="peserta batal hadir"))
    assert response.status_code == 200
    assert body == {"metadata": {"message": "Ok", "code": 200}}
    ticket = QueueTicket.objects.select_related("visit").get()
    assert (ticket.status, ticket.cancel_reason, ticket.visit.status) == (
        "cancelled",
        "peserta batal hadir",
        "cancelled",
    )
    _, again = ws.put("/antrean/batal", _cancel_body(day))
    assert again == {"metadata": {"message": "Antrean Sudah Dibatalkan Sebelumnya", "code": 201}}


def test_cancel_without_a_booking(ws, clinic_setup, patient, day):
    _, body = ws.put("/antrean/batal", _cancel_body(day))
    assert body == {"metadata": {"message": "Antrean Tidak Ditemukan", "code": 201}}


@pytest.mark.parametrize("status", ["called", "in_service", "done"])
def test_cancel_is_refused_once_served(ws, clinic_setup, patient, day, status):
    ws.post("/antrean", booking(day))
    QueueTicket.objects.update(status=status, called_at=dt.datetime.now(dt.UTC))
    _, body = ws.put("/antrean/batal", _cancel_body(day))
    assert body == {
        "metadata": {
            "message": "Pasien Sudah Dilayani, Antrean Tidak Dapat Dibatalkan!",
            "code": 201,
        }
    }
    assert QueueTicket.objects.get().status == status


def test_cancel_frees_the_quota_but_never_the_number(ws, clinic_setup, facility, patient, day):
    DoctorSchedule.objects.filter(poli=clinic_setup["002"]).update(daily_quota=1)
    ws.post("/antrean", booking(day, poli="002"))
    ws.put("/antrean/batal", _cancel_body(day, poli="002"))
    other = make_patient(facility, "0001000000005", "3273011704550005", mrn="RM-000002")
    _, body = ws.post(
        "/antrean", booking(day, card=other.bpjs_card_number, nik=other.nik, poli="002")
    )
    assert body["response"]["nomorantrean"] == "B-2"
    # and the patient who cancelled may book again, with a new number
    DoctorSchedule.objects.filter(poli=clinic_setup["002"]).update(daily_quota=5)
    _, rebook = ws.post("/antrean", booking(day, poli="002"))
    assert rebook["response"]["nomorantrean"] == "B-3"


def test_cancel_touches_only_that_patients_mobile_jkn_booking(
    ws, clinic_setup, facility, patient, day
):
    other = make_patient(facility, "0001000000005", "3273011704550005", mrn="RM-000002")
    ws.post("/antrean", booking(day, card=other.bpjs_card_number, nik=other.nik))
    register_walk_in(facility, patient, clinic_setup["001"], day)
    _, body = ws.put("/antrean/batal", _cancel_body(day))
    assert meta(body) == (201, "Antrean Tidak Ditemukan")
    assert sorted(QueueTicket.objects.values_list("status", flat=True)) == ["waiting", "waiting"]


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"nomorkartu": ""}, "Nomor Kartu Belum Diisi"),
        ({"nomorkartu": "12"}, "Format Nomor Kartu Tidak Sesuai, Nomor Kartu Harus 13 Digit Angka"),
        ({"kodepoli": "x"}, "Poli Tidak Ditemukan"),
        (
            {"tanggalperiksa": "kemarin"},
            "Format Tanggal Tidak Sesuai, format yang benar adalah yyyy-mm-dd",
        ),
        ({"keterangan": 5}, "Format Keterangan Tidak Sesuai"),
    ],
)
def test_cancel_refusals(ws, clinic_setup, patient, day, changes, message):
    ws.post("/antrean", booking(day))
    _, body = ws.put("/antrean/batal", {**_cancel_body(day), **changes})
    assert body == {"metadata": {"message": message, "code": 201}}
    assert QueueTicket.objects.get().status == "waiting"


def test_cancel_in_the_past_is_refused(ws, clinic_setup, patient, today):
    _, body = ws.put("/antrean/batal", _cancel_body(today - dt.timedelta(days=1)))
    assert body == {"metadata": {"message": "Tanggal Periksa Tidak Berlaku Mundur", "code": 201}}


# ---- peserta -----------------------------------------------------------------------------------
def pasien_baru(**changes):
    body = {
        "nomorkartu": "0002000005000",
        "nik": "3273024304800001",
        "nomorkk": "3273020101005000",
        "nama": "ANI SAPUTRA",
        "jeniskelamin": "P",
        "tanggallahir": "1980-04-03",
        "nohp": "081300005000",
        "alamat": "Jl. Contoh No. 1, Bandung",
        "kodeprop": "32",
        "namaprop": "JAWA BARAT",
        "kodedati2": "3273",
        "namadati2": "KOTA BANDUNG",
        "kodekec": "327302",
        "namakec": "SUKASARI",
        "kodekel": "3273020001",
        "namakel": "SARIJADI",
        "rw": "001",
        "rt": "002",
    }
    body.update(changes)
    return body


def test_pasien_baru_registers_the_patient_then_booking_works(ws, clinic_setup, day):
    _, new = ws.post("/antrean", booking(day, card="0002000005000", nik="3273024304800001"))
    assert meta(new)[0] == 202
    response, body = ws.post("/peserta", pasien_baru())
    assert response.status_code == 200
    assert meta(body) == (200, "Pasien berhasil didaftarkan, silakan lanjutkan pengambilan antrean")
    patient = Patient.objects.get()
    assert body["response"] == {"norm": patient.mrn}
    assert (patient.bpjs_card_number, patient.nik, patient.name, patient.sex) == (
        "0002000005000",
        "3273024304800001",
        "ANI SAPUTRA",
        "P",
    )
    assert (patient.birth_date, patient.village_code, patient.rt) == (
        dt.date(1980, 4, 3),
        "3273020001",
        "002",
    )
    _, booked = ws.post("/antrean", booking(day, card="0002000005000", nik="3273024304800001"))
    assert meta(booked) == (200, "Ok")


def test_pasien_baru_with_region_codes_in_another_coding_still_registers(ws, clinic_setup):
    _, body = ws.post("/peserta", pasien_baru(kodedati2="0273", kodekec="3273010"))
    assert meta(body)[0] == 200
    patient = Patient.objects.get()
    assert (patient.bpjs_card_number, patient.regency_code) == ("0002000005000", "")


@pytest.mark.parametrize("field", ["nomorkartu", "nik"])
def test_pasien_baru_already_registered(ws, clinic_setup, facility, field):
    make_patient(facility, "0002000005000", "3273024304800001", mrn="RM-000001")
    changes = (
        {"nik": "3273024304800002"} if field == "nomorkartu" else {"nomorkartu": "0002000005001"}
    )
    _, body = ws.post("/peserta", pasien_baru(**changes))
    assert body == {"metadata": {"message": "Data pasien ini sudah terdaftar", "code": 201}}
    assert Patient.objects.count() == 1


@pytest.mark.parametrize(
    ("field", "label"),
    [
        ("nomorkk", "Nomor KK"),
        ("nama", "Nama"),
        ("jeniskelamin", "Jenis Kelamin"),
        ("tanggallahir", "Tanggal Lahir"),
        ("nohp", "Nomor HP"),
        ("alamat", "Alamat"),
        ("kodeprop", "Kode Provinsi"),
        ("namaprop", "Nama Provinsi"),
        ("kodedati2", "Kode Dati II"),
        ("namadati2", "Nama Dati II"),
        ("kodekec", "Kode Kecamatan"),
        ("namakec", "Nama Kecamatan"),
        ("kodekel", "Kode Kelurahan"),
        ("namakel", "Nama Kelurahan"),
        ("rw", "RW"),
        ("rt", "RT"),
    ],
)
def test_pasien_baru_every_field_is_required(ws, clinic_setup, field, label):
    body = pasien_baru()
    del body[field]
    _, answer = ws.post("/peserta", body)
    assert answer == {"metadata": {"message": f"{label} Belum Diisi", "code": 201}}
    assert Patient.objects.count() == 0


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"nomorkartu": ""}, "Nomor Kartu Belum Diisi"),
        (
            {"nomorkartu": "123"},
            "Format Nomor Kartu Tidak Sesuai, Nomor Kartu Harus 13 Digit Angka",
        ),
        ({"nik": "32730"}, "Format NIK Tidak Sesuai, NIK Harus 16 Digit Angka"),
        ({"nomorkk": "32730201010050"}, "Format Nomor KK Tidak Sesuai"),
        ({"nama": "1"}, "Format Nama Tidak Sesuai"),
        ({"nama": 42}, "Format Nama Tidak Sesuai"),
        ({"jeniskelamin": "X"}, "Jenis Kelamin Harus L atau P"),
        ({"tanggallahir": "03-04-1980"}, "Format Tanggal Lahir Tidak Sesuai"),
        ({"tanggallahir": "2999-01-01"}, "Tanggal Lahir Tidak Boleh Melebihi Hari Ini"),
        ({"nohp": "08-ab"}, "Format Nomor HP Tidak Sesuai"),
        ({"kodeprop": "3A"}, "Format Kode Provinsi Tidak Sesuai"),
        ({"kodekel": "32730200011"}, "Format Kode Kelurahan Tidak Sesuai"),
        ({"rt": "0001"}, "Format RT Tidak Sesuai"),
        ({"rw": 1}, "Format RW Tidak Sesuai"),
    ],
)
def test_pasien_baru_formats(ws, clinic_setup, changes, message):
    _, answer = ws.post("/peserta", pasien_baru(**changes))
    assert answer == {"metadata": {"message": message, "code": 201}}
    assert Patient.objects.count() == 0


def test_pasien_baru_whose_nik_contradicts_the_birth_date(ws, clinic_setup):
    _, answer = ws.post("/peserta", pasien_baru(tanggallahir="1981-04-03"))
    assert meta(answer)[0] == 201
    assert "NIK" in meta(answer)[1]
    assert Patient.objects.count() == 0
    assert Visit.objects.count() == 0
