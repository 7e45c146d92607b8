"""POST /antrean (A3) and GET /antrean/status (A2): every rule through HTTP."""

from __future__ import annotations

import datetime as dt

import pytest

from clinic.patients.nik import normalize_phone
from clinic.queues.models import Doctor, DoctorSchedule, QueueTicket, TicketSource, Visit
from tests.antrean_ws.conftest import (
    CARD,
    NIK,
    booking,
    make_patient,
    meta,
    open_day_after,
    register_walk_in,
)

pytestmark = pytest.mark.django_db


def _sunday_after(day: dt.date) -> dt.date:
    return day + dt.timedelta(days=(6 - day.weekday()) or 7)


def _open_today(clinic_setup, today):
    """Give every poli a schedule today (the test may run on a Sunday)."""
    if today.weekday() == 6:
        for poli in clinic_setup.values():
            template = DoctorSchedule.objects.filter(poli=poli).first()
            template.pk = None
            template.weekday = 6
            template.save()


# ---- status ------------------------------------------------------------------------------------
def test_status_of_an_open_poli_without_bookings_has_zero_counts(ws, clinic_setup, day):
    response, body = ws.get(f"/antrean/status/001/{day}")
    assert response.status_code == 200
    assert body == {
        "response": {
            "namapoli": "Poli Umum",
            "totalantrean": 0,
            "sisaantrean": 0,
            "antreanpanggil": "-",
            "keterangan": "",
        },
        "metadata": {"message": "Ok", "code": 200},
    }


def test_status_counts_bookings_and_the_number_called(ws, clinic_setup, facility, day, patient):
    other = make_patient(facility, "0001000000005", "3273011704550005", mrn="RM-000002")
    third = make_patient(facility, "0001000000006", "3273014809600006", mrn="RM-000003")
    for p in (patient, other, third):
        ws.post("/antrean", booking(day, card=p.bpjs_card_number, nik=p.nik))
    first = QueueTicket.objects.get(number=1)
    QueueTicket.objects.filter(pk=first.pk).update(
        status="called", called_at=dt.datetime.now(dt.UTC)
    )
    _, body = ws.get(f"/antrean/status/001/{day}")
    assert body["response"] == {
        "namapoli": "Poli Umum",
        "totalantrean": 3,
        "sisaantrean": 2,
        "antreanpanggil": "A-1",
        "keterangan": "",
    }


def test_status_v2_lists_each_doctor_session(ws, clinic_setup, facility, day, patient):
    ws.post("/antrean", booking(day))
    response, body = ws.get(f"/v2/antrean/status/001/{day}")
    assert response.status_code == 200
    assert body == {
        "response": [
            {
                "namapoli": "Poli Umum",
                "totalantrean": 1,
                "sisaantrean": 1,
                "antreanpanggil": "-",
                "keterangan": "",
                "kodedokter": 131491,
                "namadokter": "dr. ANDI PRATAMA",
                "jampraktek": "08:00-14:00",
            }
        ],
        "metadata": {"message": "Ok", "code": 200},
    }


def _status_counts(ws, day) -> tuple[int, int, str]:
    _, body = ws.get(f"/antrean/status/001/{day}")
    r = body["response"]
    return r["totalantrean"], r["sisaantrean"], r["antreanpanggil"]


def test_status_is_reused_briefly_and_dropped_by_a_booking_or_cancellation(
    ws, settings, clinic_setup, facility, patient, day
):
    settings.ANTREAN_WS_STATUS_CACHE_SECONDS = 60  # far longer than the test takes
    assert _status_counts(ws, day) == (0, 0, "-")
    # A walk-in registered at the desk is not seen before the answer expires...
    walk_in = make_patient(facility, "0001000000005", "3273011704550005", mrn="RM-000002")
    register_walk_in(facility, walk_in, clinic_setup["001"], day)
    assert _status_counts(ws, day) == (0, 0, "-")
    # ...but a Mobile JKN booking drops it at once, and so does its cancellation.
    ws.post("/antrean", booking(day))
    assert _status_counts(ws, day) == (2, 2, "-")
    ws.put("/antrean/batal", {"nomorkartu": CARD, "kodepoli": "001", "tanggalperiksa": str(day)})
    assert _status_counts(ws, day) == (1, 1, "-")


def test_status_cache_can_be_turned_off(ws, settings, clinic_setup, facility, day):
    settings.ANTREAN_WS_STATUS_CACHE_SECONDS = 0
    assert _status_counts(ws, day) == (0, 0, "-")
    first = make_patient(facility, "0001000000005", "3273011704550005", mrn="RM-000002")
    register_walk_in(facility, first, clinic_setup["001"], day)
    assert _status_counts(ws, day) == (1, 1, "-")


@pytest.mark.parametrize(
    ("path", "message"),
    [
        ("/antrean/status/999/{day}", "Poli Tidak Ditemukan"),
        ("/antrean/status//{day}", "Kode Poli Belum Diisi"),
        ("/antrean/status/001/", "Tanggal Periksa Belum Diisi"),
        (
            "/antrean/status/001/25-11-2026",
            "Format Tanggal Tidak Sesuai, format yang benar adalah yyyy-mm-dd",
        ),
        (
            "/antrean/status/001/2026-02-30",
            "Format Tanggal Tidak Sesuai, format yang benar adalah yyyy-mm-dd",
        ),
        ("/antrean/status/001/{yesterday}", "Tanggal Periksa Tidak Berlaku Mundur"),
        ("/antrean/status/001/{sunday}", "Pendaftaran ke Poli Ini Sedang Tutup"),
    ],
)
def test_status_refusals(ws, clinic_setup, today, day, path, message):
    url = path.format(day=day, yesterday=today - dt.timedelta(days=1), sunday=_sunday_after(today))
    response, body = ws.get(url)
    assert response.status_code == 200
    assert body == {"metadata": {"message": message, "code": 201}}


# ---- booking: success --------------------------------------------------------------------------
def test_booking_v1_body_gets_a_number(ws, clinic_setup, patient, day):
    response, body = ws.post("/antrean", booking(day))
    assert response.status_code == 200
    assert meta(body) == (200, "Ok")
    assert body["response"] == {
        "nomorantrean": "A-1",
        "angkaantrean": 1,
        "namapoli": "Poli Umum",
        "sisaantrean": 0,
        "antreanpanggil": "-",
        "keterangan": (
            f"Silakan datang ke Poli Umum pada {day:%d-%m-%Y}, jam praktek 08:00-14:00, "
            "dr. ANDI PRATAMA. Tunjukkan nomor antrean A-1 di bagian pendaftaran."
        ),
    }


def test_booking_appears_in_the_queue_marked_as_mobile_jkn(ws, clinic_setup, patient, day):
    ws.post("/antrean", booking(day, keluhan="batuk pilek"))
    ticket = QueueTicket.objects.select_related("visit").get()
    assert (ticket.label, ticket.source, ticket.jkn_antrean, ticket.status) == (
        "A-1",
        TicketSource.MOBILE_JKN,
        True,
        "waiting",
    )
    assert ticket.visit.patient == patient
    assert ticket.visit.complaint == "batuk pilek"
    assert ticket.visit.payer == "bpjs"
    assert ticket.schedule.doctor.pcare_code == "131491"


def test_booking_with_the_v2_fields(ws, clinic_setup, patient, day):
    body = booking(day, kodedokter=131491, jampraktek="08:00-14:00", norm="RM-000001")
    body["nohp"] = "081200000001"
    _, answer = ws.post("/antrean", body)
    assert meta(answer) == (200, "Ok")
    assert answer["response"]["nomorantrean"] == "A-1"
    patient.refresh_from_db()
    assert patient.phone == "081200000001"
    # The front desk finds the patient by that number too.
    assert patient.phone_normalized == normalize_phone("081200000001") != ""


def test_kodedokter_may_be_a_string_of_digits(ws, clinic_setup, patient, day):
    _, answer = ws.post("/antrean", booking(day, kodedokter="131491"))
    assert meta(answer) == (200, "Ok")


def test_empty_v2_fields_count_as_absent(ws, clinic_setup, patient, day):
    _, answer = ws.post(
        "/antrean", booking(day, kodedokter="", jampraktek="", norm="", nohp="", keluhan="")
    )
    assert meta(answer) == (200, "Ok")


def test_numbers_follow_the_front_desk_sequence(ws, clinic_setup, facility, patient, day):
    walk_in = make_patient(facility, "0001000000005", "3273011704550005", mrn="RM-000002")
    register_walk_in(facility, walk_in, clinic_setup["001"], day)
    _, answer = ws.post("/antrean", booking(day))
    assert answer["response"]["nomorantrean"] == "A-2"
    assert answer["response"]["angkaantrean"] == 2
    assert answer["response"]["sisaantrean"] == 1


def test_without_a_doctor_the_session_with_most_quota_left_is_chosen(
    ws, clinic_setup, facility, patient, day
):
    poli = clinic_setup["001"]
    from tests.factories import DoctorFactory

    budi = DoctorFactory(facility=facility, name="dr. BUDI", pcare_code="131499")
    DoctorSchedule.objects.create(
        facility=facility,
        poli=poli,
        doctor=budi,
        weekday=day.weekday(),
        start_time=dt.time(15),
        end_time=dt.time(18),
        daily_quota=80,
    )
    _, answer = ws.post("/antrean", booking(day))
    assert meta(answer) == (200, "Ok")
    assert Visit.objects.get().doctor == budi


def test_a_patient_known_only_by_nik_gets_the_card_from_the_booking(
    ws, clinic_setup, facility, day
):
    known = make_patient(facility, None, NIK, mrn="RM-000009")
    _, answer = ws.post("/antrean", booking(day))
    assert meta(answer) == (200, "Ok")
    known.refresh_from_db()
    assert known.bpjs_card_number == CARD


def test_bookings_are_accepted_up_to_the_days_ahead_setting(
    ws, account, clinic_setup, patient, today
):
    def far(days: int) -> dt.date:
        target = today + dt.timedelta(days=days)
        return target if target.weekday() != 6 else target + dt.timedelta(days=1)

    limit_day = today + dt.timedelta(days=3)
    if limit_day.weekday() != 6:
        _, ok = ws.post("/antrean", booking(limit_day))
        assert meta(ok) == (200, "Ok")
    too_far = today + dt.timedelta(days=4)
    _, answer = ws.post("/antrean", booking(too_far, poli="002"))
    assert answer == {
        "metadata": {
            "message": "Tanggal Periksa Hanya Dapat Dipilih Sampai 3 Hari ke Depan",
            "code": 201,
        }
    }
    account.booking_days_ahead = 7
    account.save()
    _, later = ws.post("/antrean", booking(far(6), poli="002"))
    assert meta(later) == (200, "Ok")


def test_same_day_booking_before_closing_time(ws, clinic_setup, patient, today, at_time):
    _open_today(clinic_setup, today)
    at_time(13, 59)
    _, answer = ws.post("/antrean", booking(today))
    assert meta(answer) == (200, "Ok")


# ---- booking: refusals -------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"nomorkartu": ""}, "Nomor Kartu Belum Diisi"),
        ({"nomorkartu": None}, "Nomor Kartu Belum Diisi"),
        (
            {"nomorkartu": "000100000000"},
            "Format Nomor Kartu Tidak Sesuai, Nomor Kartu Harus 13 Digit Angka",
        ),
        (
            {"nomorkartu": "00010000000011"},
            "Format Nomor Kartu Tidak Sesuai, Nomor Kartu Harus 13 Digit Angka",
        ),
        (
            {"nomorkartu": "00010000000a1"},
            "Format Nomor Kartu Tidak Sesuai, Nomor Kartu Harus 13 Digit Angka",
        ),
        (
            {"nomorkartu": 1000000001},
            "Format Nomor Kartu Tidak Sesuai, Nomor Kartu Harus 13 Digit Angka",
        ),
        ({"nik": ""}, "NIK Belum Diisi"),
        ({"nik": "327301050785000"}, "Format NIK Tidak Sesuai, NIK Harus 16 Digit Angka"),
        ({"nik": "327301050785000X"}, "Format NIK Tidak Sesuai, NIK Harus 16 Digit Angka"),
        ({"nik": ["3273010507850001"]}, "Format NIK Tidak Sesuai, NIK Harus 16 Digit Angka"),
        ({"kodepoli": ""}, "Kode Poli Belum Diisi"),
        ({"kodepoli": "999"}, "Poli Tidak Ditemukan"),
        ({"kodepoli": 1}, "Poli Tidak Ditemukan"),
        ({"tanggalperiksa": ""}, "Tanggal Periksa Belum Diisi"),
        (
            {"tanggalperiksa": "25-11-2026"},
            "Format Tanggal Tidak Sesuai, format yang benar adalah yyyy-mm-dd",
        ),
        (
            {"tanggalperiksa": "2026-13-01"},
            "Format Tanggal Tidak Sesuai, format yang benar adalah yyyy-mm-dd",
        ),
        (
            {"tanggalperiksa": 20261125},
            "Format Tanggal Tidak Sesuai, format yang benar adalah yyyy-mm-dd",
        ),
        ({"kodedokter": "dr-andi"}, "Format Kode Dokter Tidak Sesuai"),
        ({"kodedokter": True}, "Format Kode Dokter Tidak Sesuai"),
        ({"kodedokter": 999999}, "Jadwal Dokter Tidak Ditemukan Pada Poli dan Tanggal Tersebut"),
        ({"kodedokter": 131492}, "Jadwal Dokter Tidak Ditemukan Pada Poli dan Tanggal Tersebut"),
        (
            {"jampraktek": "8-14"},
            "Format Jam Praktek Tidak Sesuai, format yang benar adalah HH:MM-HH:MM",
        ),
        ({"jampraktek": "09:00-14:00"}, "Jam Praktek Tidak Sesuai Dengan Jadwal Dokter"),
        (
            {"kodedokter": 131491, "jampraktek": "14:00-16:00"},
            "Jam Praktek Tidak Sesuai Dengan Jadwal Dokter",
        ),
        ({"nohp": "08abc"}, "Format Nomor HP Tidak Sesuai"),
        ({"nohp": 812000000}, "Format Nomor HP Tidak Sesuai"),
        ({"keluhan": {"a": 1}}, "Format Keluhan Tidak Sesuai"),
        ({"norm": 12}, "Format Nomor Rekam Medis Tidak Sesuai"),
        ({"norm": "RM-999999"}, "Nomor Rekam Medis Tidak Sesuai Dengan Data Pasien"),
        ({"nik": "3273010507850009"}, "NIK Tidak Sesuai Dengan Nomor Kartu Pasien"),
    ],
)
def test_booking_refusals(ws, clinic_setup, patient, day, changes, message):
    response, body = ws.post("/antrean", booking(day, **changes))
    assert response.status_code == 200
    assert body == {"metadata": {"message": message, "code": 201}}
    assert QueueTicket.objects.count() == 0


def test_a_card_belonging_to_another_patient_than_the_nik(ws, clinic_setup, facility, patient, day):
    make_patient(facility, "0001000000005", "3273011704550005", mrn="RM-000002")
    _, body = ws.post("/antrean", booking(day, card="0001000000009", nik="3273011704550005"))
    assert meta(body) == (201, "Nomor Kartu Tidak Sesuai Dengan Data Pasien")


def test_booking_in_the_past_is_refused(ws, clinic_setup, patient, today):
    _, body = ws.post("/antrean", booking(today - dt.timedelta(days=1)))
    assert body == {"metadata": {"message": "Tanggal Periksa Tidak Berlaku Mundur", "code": 201}}


def test_booking_on_a_day_the_poli_is_closed(ws, account, clinic_setup, patient, today):
    account.booking_days_ahead = 7
    account.save()
    _, body = ws.post("/antrean", booking(_sunday_after(today)))
    assert body == {"metadata": {"message": "Pendaftaran ke Poli Ini Sedang Tutup", "code": 201}}


def test_same_day_booking_after_closing_time(ws, clinic_setup, patient, today, at_time):
    _open_today(clinic_setup, today)
    at_time(14, 0)
    _, body = ws.post("/antrean", booking(today))
    assert body == {
        "metadata": {"message": "Pendaftaran Ke Poli Umum Sudah Tutup Jam 14:00:00", "code": 201}
    }


def test_unknown_patient_gets_202_pasien_baru(ws, clinic_setup, day):
    response, body = ws.post("/antrean", booking(day))
    assert response.status_code == 200
    assert body == {
        "metadata": {
            "message": "Pasien Baru, Silakan Melakukan Registrasi Pasien Baru Terlebih Dahulu",
            "code": 202,
        }
    }
    assert QueueTicket.objects.count() == 0


def test_one_booking_per_patient_date_and_poli(ws, clinic_setup, patient, day):
    ws.post("/antrean", booking(day))
    _, again = ws.post("/antrean", booking(day))
    assert again == {
        "metadata": {
            "message": "Nomor Antrean Hanya Dapat Diambil 1 Kali Pada Tanggal dan Poli Yang Sama",
            "code": 201,
        }
    }
    _, other_poli = ws.post("/antrean", booking(day, poli="002"))
    assert meta(other_poli) == (200, "Ok")
    _, other_day = ws.post("/antrean", booking(open_day_after(day)))
    assert meta(other_day) == (200, "Ok")
    assert QueueTicket.objects.count() == 3


def test_a_front_desk_visit_counts_as_the_days_booking(ws, clinic_setup, facility, patient, day):
    register_walk_in(facility, patient, clinic_setup["001"], day)
    _, again = ws.post("/antrean", booking(day))
    assert meta(again)[0] == 201
    assert "1 Kali" in meta(again)[1]


def test_full_quota_is_refused_with_kuota(ws, clinic_setup, facility, patient, day):
    DoctorSchedule.objects.filter(poli=clinic_setup["002"]).update(daily_quota=1)
    other = make_patient(facility, "0001000000005", "3273011704550005", mrn="RM-000002")
    _, first = ws.post(
        "/antrean", booking(day, card=other.bpjs_card_number, nik=other.nik, poli="002")
    )
    assert meta(first) == (200, "Ok")
    _, body = ws.post("/antrean", booking(day, poli="002"))
    assert body == {
        "metadata": {
            "message": "Kuota Poli Gigi Pada Tanggal Tersebut Sudah Penuh, Silakan Pilih Tanggal Lain",
            "code": 201,
        }
    }
    # The refusal used no number: the next booking elsewhere is still gap-free.
    assert list(QueueTicket.objects.values_list("label", flat=True)) == ["B-1"]


def test_the_booking_answer_counts_who_waits_ahead_and_the_number_called(
    ws, clinic_setup, facility, patient, day
):
    others = [
        make_patient(facility, f"000100000001{i}", f"327301170455001{i}", mrn=f"RM-00001{i}")
        for i in range(3)
    ]
    for other in others:
        ws.post("/antrean", booking(day, card=other.bpjs_card_number, nik=other.nik))
    QueueTicket.objects.filter(number=1).update(status="called", called_at=dt.datetime.now(dt.UTC))
    _, body = ws.post("/antrean", booking(day))
    assert meta(body) == (200, "Ok")
    assert (
        body["response"]["nomorantrean"],
        body["response"]["sisaantrean"],
        body["response"]["antreanpanggil"],
    ) == ("A-4", 2, "A-1")


def test_a_quota_lowered_a_moment_ago_is_respected(ws, clinic_setup, facility, patient, day):
    other = make_patient(facility, "0001000000005", "3273011704550005", mrn="RM-000002")
    _, first = ws.post(
        "/antrean", booking(day, card=other.bpjs_card_number, nik=other.nik, poli="002")
    )
    assert meta(first) == (200, "Ok")  # the sessions of Poli Gigi are now cached
    DoctorSchedule.objects.filter(poli=clinic_setup["002"]).update(daily_quota=1)
    _, body = ws.post("/antrean", booking(day, poli="002"))
    assert meta(body)[0] == 201
    assert meta(body)[1].startswith("Kuota Poli Gigi Pada Tanggal Tersebut Sudah Penuh")


def _deactivate_doctor(polis):
    doctor = Doctor.objects.get(pcare_code="131492")
    doctor.is_active = False
    doctor.save()


def _remove_sessions(polis):
    for session in DoctorSchedule.objects.filter(poli=polis["002"]):
        session.delete()


def _deactivate_poli(polis):
    polis["002"].is_active = False
    polis["002"].save()


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (_deactivate_doctor, "Pendaftaran ke Poli Ini Sedang Tutup"),
        (_remove_sessions, "Pendaftaran ke Poli Ini Sedang Tutup"),
        (_deactivate_poli, "Poli Tidak Ditemukan"),
    ],
    ids=["doctor deactivated", "sessions removed", "poli deactivated"],
)
def test_a_change_at_the_clinic_reaches_mobile_jkn_at_once(
    ws, clinic_setup, patient, day, change, message, django_capture_on_commit_callbacks
):
    """The adapter caches polis and sessions for a few seconds; saving or deleting one (the
    admin, the clinic's pages) drops them once it commits."""
    _, status = ws.get(f"/antrean/status/002/{day}")
    assert meta(status) == (200, "Ok")  # Poli Gigi and its sessions are now cached
    with django_capture_on_commit_callbacks(execute=True):
        change(clinic_setup)
    _, body = ws.post("/antrean", booking(day, poli="002"))
    assert meta(body) == (201, message)
