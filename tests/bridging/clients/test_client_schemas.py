"""The client schemas read BPJS's recorded shapes and write its wire format (no server)."""

from __future__ import annotations

from datetime import UTC, date, datetime
from decimal import Decimal

import pytest
from pydantic import ValidationError

from bridging.antrean.schemas import (
    CallStatus,
    QueueAddRequest,
    QueueCallRequest,
    QueueDoctor,
    QueuePoli,
)
from bridging.icare.schemas import IcareFkrtlRequest, IcareFktpRequest, IcareHistoryLink
from bridging.pcare.base import answer_fields, field_message, list_payload, parse_bpjs_date
from bridging.pcare.schemas import (
    CheckupRecord,
    Diagnosis,
    MedicineRequest,
    MedicineResult,
    OnwardReferral,
    Participant,
    Registration,
    RegistrationRequest,
    SpecialistReferral,
    VisitRequest,
    VisitResult,
)
from bridging.vclaim.schemas import (
    ParticipantEnvelope,
    ReferralEnvelope,
    SepCareClass,
    SepDelete,
    SepEnvelope,
    SepInsert,
    SepPoli,
    SepReferral,
)

PCARE_PESERTA = {
    "noKartu": "0001000000001",
    "nama": "BUDI SANTOSO",
    "hubunganKeluarga": "Peserta",
    "sex": "L",
    "tglLahir": "05-07-1985",
    "tglMulaiAktif": "01-01-2020",
    "tglAkhirBerlaku": "31-12-2030",
    "kdProviderPst": {"kdProvider": "0999K001", "nmProvider": "KLINIK PRATAMA SEHAT BERSAMA"},
    "kdProviderGigi": {"kdProvider": None, "nmProvider": None},
    "jnsKelas": {"kode": "3", "nama": "KELAS III"},
    "jnsPeserta": {"kode": "21", "nama": "PBI (APBN)"},
    "golDarah": "0",
    "noHP": "081200000001",
    "noKTP": "3273010507850001",
    "pstProl": "",
    "pstPrb": "",
    "aktif": True,
    "ketAktif": "AKTIF",
    "asuransi": {"kdAsuransi": None, "nmAsuransi": None, "noAsuransi": None, "cob": False},
    "tunggakan": 0,
    "unknownNewField": {"x": 1},
}


def test_pcare_participant_reads_recorded_shape_in_english():
    participant = Participant.model_validate(PCARE_PESERTA)

    assert participant.card_number == "0001000000001"
    assert participant.birth_date == date(1985, 7, 5)
    assert participant.coverage_end == date(2030, 12, 31)
    assert participant.registered_provider is not None
    assert participant.registered_provider.code == "0999K001"
    assert participant.dental_provider is None  # all-null object reads as absent
    assert participant.care_class is not None and participant.care_class.name == "KELAS III"
    assert participant.prolanis_program is None  # "" reads as absent
    assert participant.active is True
    assert participant.insurance is not None and participant.insurance.cob is False
    assert participant.arrears == Decimal(0)


def test_pcare_participant_without_card_number_is_a_validation_error():
    data = dict(PCARE_PESERTA)
    del data["noKartu"]
    with pytest.raises(ValidationError):
        Participant.model_validate(data)


def test_registration_request_writes_pcare_wire_names_and_dd_mm_yyyy():
    request = RegistrationRequest(
        participant_provider_code="0999K001",
        registration_date=date(2026, 3, 9),
        card_number="0001000000001",
        poli_code="001",
        complaint="demam",
        sick_visit=True,
        systolic=120,
        diastolic=80,
    )

    assert request.to_wire() == {
        "kdProviderPeserta": "0999K001",
        "tglDaftar": "09-03-2026",
        "noKartu": "0001000000001",
        "kdPoli": "001",
        "keluhan": "demam",
        "kunjSakit": True,
        "sistole": 120,
        "diastole": 80,
        "beratBadan": 0,
        "tinggiBadan": 0,
        "respRate": 0,
        "lingkarPerut": 0,
        "heartRate": 0,
        "rujukBalik": 0,
        "kdTkp": "10",
    }


def test_registration_reads_lower_case_tgldaftar_and_numeric_queue_number():
    registration = Registration.model_validate(
        {
            "noUrut": 7,
            "tgldaftar": "09-03-2026",
            "poli": {"kdPoli": "001", "nmPoli": "UMUM", "poliSakit": True},
            "tkp": {"kdTkp": "10", "nmTkp": "RJTP"},
            "sistole": "",
        }
    )

    assert registration.queue_number == "7"
    assert registration.registration_date == date(2026, 3, 9)
    assert registration.poli is not None and registration.poli.curative is True
    assert registration.systolic is None


def test_visit_request_with_referral_writes_nulls_number_tacc_and_comma_temperature():
    request = VisitRequest(
        card_number="0001000000001",
        registration_date=date(2026, 3, 9),
        poli_code="001",
        discharge_status_code="4",
        discharge_date=date(2026, 3, 9),
        doctor_code="131491",
        diagnosis1_code="I20.9",
        referral=OnwardReferral(
            provider_code="0999R001",
            planned_date=date(2026, 3, 12),
            specialist=SpecialistReferral(subspecialty_code="26", facility_type_code="1"),
        ),
        temperature=Decimal("36.4"),
    )

    wire = request.to_wire()

    assert wire["noKunjungan"] is None
    assert wire["kdTacc"] == -1
    assert wire["suhu"] == "36,4"
    assert wire["rujukLanjut"] == {
        "kdppk": "0999R001",
        "tglEstRujuk": "12-03-2026",
        "subSpesialis": {"kdSubSpesialis1": "26", "kdSarana": "1"},
        "khusus": None,
    }


@pytest.mark.parametrize(
    ("raw", "expected"),
    [("36,4", Decimal("36.4")), ("36.5", Decimal("36.5")), (37, Decimal(37)), ("", None)],
)
def test_visit_temperature_accepts_every_seen_format(raw, expected):
    request = VisitRequest.model_validate(
        {
            "noKartu": "1",
            "tglDaftar": "09-03-2026",
            "kdPoli": "001",
            "kdStatusPulang": "3",
            "tglPulang": "09-03-2026",
            "kdDokter": "1",
            "kdDiag1": "A09",
            "kdTacc": "2",
            "suhu": raw,
        }
    )

    assert request.temperature == expected
    assert request.tacc_code == 2  # a string kdTacc is read as a number


def test_diagnosis_code_given_as_number_reads_as_string():
    assert Diagnosis.model_validate({"kdDiag": 123, "nmDiag": "x"}).code == "123"


def test_medicine_and_checkup_numbers_go_out_as_json_numbers():
    medicine = MedicineRequest(
        visit_number="V1", drug_code="160101003", signa1=3, signa2=1, quantity=10
    )
    checkup = CheckupRecord.model_validate(
        {"noKunjungan": "V1", "gulaDarahPuasa": "110,5", "lemakDarahChol": 190}
    )

    assert medicine.to_wire()["signa1"] == 3
    assert checkup.to_wire()["gulaDarahPuasa"] == 110.5
    assert checkup.to_wire()["lemakDarahChol"] == 190
    assert checkup.to_wire()["kdMCU"] == 0


@pytest.mark.parametrize(
    ("data", "expected"),
    [
        ({"field": "noKunjungan", "message": "0999K0010326Y000001"}, "0999K0010326Y000001"),
        ([{"field": "noKunjungan", "message": "0999K0010326Y000001"}], "0999K0010326Y000001"),
        (
            [{"field": "kdObatSK", "message": "37"}, {"field": "noKunjungan", "message": "N"}],
            "N",
        ),
        ([], None),
        (None, None),
    ],
)
def test_field_message_reads_object_or_list_answers(data, expected):
    assert field_message(data, "noKunjungan") == expected


@pytest.mark.parametrize(
    ("data", "items", "count"),
    [
        ({"count": 2, "list": [1, 2]}, [1, 2], 2),
        ([1, 2, 3], [1, 2, 3], None),
        (None, [], 0),
        ({"list": [], "count": "0"}, [], 0),
    ],
)
def test_list_payload_accepts_wrapped_bare_or_missing_lists(data, items, count):
    assert list_payload(data) == (items, count)


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("05-07-1985", date(1985, 7, 5)),
        ("1985-07-05", date(1985, 7, 5)),
        ("05-07-1985 10:00:00", date(1985, 7, 5)),
        ("", None),
    ],
)
def test_bpjs_dates_parse_in_both_formats(raw, expected):
    assert parse_bpjs_date(raw) == expected


def test_antrean_refs_read_int_doctor_code_and_requests_write_iso_dates_and_millis():
    doctor = QueueDoctor.model_validate(
        {
            "namadokter": "dr. ANDI",
            "kodedokter": "131491",
            "jampraktek": "08:00-14:00",
            "kapasitas": 50,
        }
    )
    poli = QueuePoli.model_validate({"kodepoli": "001", "namapoli": "Umum", "nmsubspesialis": ""})
    call = QueueCallRequest(
        visit_date=date(2026, 3, 9),
        poli_code="001",
        card_number="0001000000001",
        status=CallStatus.PRESENT,
        called_at=datetime(2026, 3, 9, 1, 0, tzinfo=UTC),
    )
    add = QueueAddRequest(
        nik="3273010507850001",
        poli_code="001",
        poli_name="Umum",
        visit_date=date(2026, 3, 9),
        doctor_code=131491,
        doctor_name="dr. ANDI PRATAMA",
        practice_hours="08:00-14:00",
        queue_number="A-12",
        queue_position=12,
    )

    assert doctor.doctor_code == 131491
    assert poli.subspecialty_name is None
    assert call.to_wire() == {
        "tanggalperiksa": "2026-03-09",
        "kodepoli": "001",
        "nomorkartu": "0001000000001",
        "status": 1,
        "waktu": 1773018000000,
    }
    assert add.to_wire()["tanggalperiksa"] == "2026-03-09"
    assert add.to_wire()["nomorkartu"] == ""


def test_icare_fktp_omits_missing_doctor_and_fkrtl_sends_it():
    assert IcareFktpRequest(card_number="0001000000001").to_wire() == {"param": "0001000000001"}
    assert IcareFkrtlRequest(card_number="0001000000001", doctor_code=12).to_wire() == {
        "param": "0001000000001",
        "kodedokter": 12,
    }
    assert (
        IcareHistoryLink.model_validate({"url": "http://x/h?token=1"}).url == "http://x/h?token=1"
    )


def test_vclaim_participant_and_referral_read_recorded_shapes():
    peserta = {
        "noKartu": "0001234567890",
        "nik": "3201010101800001",
        "nama": "BUDI CONTOH",
        "sex": "L",
        "tglLahir": "1980-01-01",
        "hakKelas": {"kode": "3", "keterangan": "KELAS III"},
        "statusPeserta": {"kode": "0", "keterangan": "AKTIF"},
        "cob": {"nmAsuransi": None, "noAsuransi": None, "tglTAT": None, "tglTMT": None},
        "mr": {"noMR": None, "noTelepon": "081200000000"},
        "tglTAT": "2080-01-01",
        "umur": {"umurSaatPelayanan": "44 tahun ,4 bulan ,5 hari", "umurSekarang": ""},
    }
    referral = ReferralEnvelope.model_validate(
        {
            "rujukan": {
                "noKunjungan": "0101B0010524P000123",
                "tglKunjungan": "2024-05-06",
                "keluhan": "",
                "diagnosa": {"kode": "I20.9", "nama": "Angina pectoris, unspecified"},
                "poliRujukan": {"kode": "JAN", "nama": "JANTUNG"},
                "provPerujuk": {"kode": "0101B001", "nama": "KLINIK CONTOH"},
                "peserta": peserta,
            }
        }
    ).referral

    participant = ParticipantEnvelope.model_validate({"peserta": peserta}).participant
    assert participant.birth_date == date(1980, 1, 1)
    assert participant.active is True
    assert participant.cob is None
    assert participant.medical_record is not None
    assert participant.medical_record.phone == "081200000000"
    assert referral.referral_number == "0101B0010524P000123"
    assert referral.visit_date == date(2024, 5, 6)
    assert referral.complaint is None
    assert referral.referring_provider is not None
    assert referral.referring_provider.code == "0101B001"


def test_sep_insert_wraps_t_sep_and_writes_flags_as_strings():
    insert = SepInsert(
        card_number="0001000000001",
        sep_date=date(2026, 3, 10),
        service_provider_code="0999R001",
        care_class=SepCareClass(entitled_class="3"),
        medical_record_number="RM001",
        referral=SepReferral(
            referral_date=date(2026, 3, 9),
            referral_number="0999K0010326Y000001",
            referring_provider_code="0999K001",
        ),
        initial_diagnosis="I20.9",
        poli=SepPoli(destination="JAN"),
        phone="081200000001",
        user="admisi1",
    )

    t_sep = insert.to_wire()["request"]["t_sep"]

    assert t_sep["tglSep"] == "2026-03-10"
    assert t_sep["rujukan"] == {
        "asalRujukan": "1",
        "tglRujukan": "2026-03-09",
        "noRujukan": "0999K0010326Y000001",
        "ppkRujukan": "0999K001",
    }
    assert t_sep["poli"] == {"tujuan": "JAN", "eksekutif": "0"}
    assert t_sep["jaminan"]["penjamin"]["suplesi"]["suplesi"] == "0"
    assert SepDelete(sep_number="S", user="u").to_wire() == {
        "request": {"t_sep": {"noSep": "S", "user": "u"}}
    }


def test_sep_response_reads_misspelled_assessment_and_lower_case_no_mr():
    sep = SepEnvelope.model_validate(
        {
            "sep": {
                "noSep": "0999R0010326V000001",
                "tglSep": "2026-03-10",
                "assestmenPel": "",
                "peserta": {"noKartu": "0001000000001", "noMr": "RM001", "kelamin": "Laki-Laki"},
            }
        }
    ).sep

    assert sep.sep_number == "0999R0010326V000001"
    assert sep.service_assessment is None
    assert sep.participant is not None and sep.participant.medical_record_number == "RM001"


def test_vertical_referral_without_referral_object_is_refused_before_sending():
    with pytest.raises(ValidationError) as caught:
        VisitRequest(
            card_number="0001000000001",
            registration_date=date(2026, 3, 9),
            poli_code="001",
            discharge_status_code="4",
            discharge_date=date(2026, 3, 9),
            doctor_code="131491",
            diagnosis1_code="I20.9",
        )

    assert "membutuhkan data rujukan" in str(caught.value)


def test_write_answers_read_into_result_models_by_wire_name():
    answer = [{"field": "kdObatSK", "message": "37"}, {"field": "kdRacikan", "message": "R.12"}]

    result = MedicineResult.model_validate(answer_fields(answer))

    assert (result.medicine_id, result.compound_code) == ("37", "R.12")
    assert VisitResult.model_validate(
        answer_fields({"field": "noKunjungan", "message": "0999K0010326Y000001"})
    ) == VisitResult(visit_number="0999K0010326Y000001")
