"""AntreanFktpClient and IcareClient over real HTTP against the sandbox."""

from __future__ import annotations

import dataclasses
from datetime import UTC, date, datetime

import pytest
import requests

from bridging.antrean import AntreanFktpClient
from bridging.antrean.schemas import (
    CallStatus,
    QueueAddRequest,
    QueueCallRequest,
    QueueCancelRequest,
)
from bridging.icare import IcareClient
from bridging.pcare import PcareClient
from bridging.pcare.schemas import RegistrationRequest, VisitRequest
from bridging.transport.errors import FieldError, Rejected


def queue_add(day: date, card: str = "0001000000001", number: str = "A-12") -> QueueAddRequest:
    return QueueAddRequest(
        card_number=card,
        nik="3273010507850001",
        phone="081200000001",
        poli_code="001",
        poli_name="Umum",
        medical_record_number="RM000001",
        visit_date=day,
        doctor_code=131491,
        doctor_name="dr. ANDI PRATAMA",
        practice_hours="08:00-14:00",
        queue_number=number,
        queue_position=int(number.split("-")[-1]),
        note="Datang 15 menit sebelum jam praktek",
    )


def test_reference_polis_and_doctors_on_an_open_day(antrean: AntreanFktpClient, open_day: date):
    polis = antrean.list_polis(open_day)
    doctors = antrean.list_doctors("002", open_day)

    assert [(p.poli_code, p.poli_name) for p in polis] == [
        ("001", "UMUM"),
        ("002", "GIGI"),
        ("003", "KIA"),
    ]
    assert [(d.doctor_code, d.doctor_name, d.practice_hours, d.capacity) for d in doctors] == [
        (131492, "drg. SARI WULANDARI", "09:00-15:00", 20)
    ]


def test_reference_on_a_closed_day_is_an_empty_list_not_an_error(
    antrean: AntreanFktpClient, closed_day: date
):
    assert antrean.list_polis(closed_day) == []
    assert antrean.list_doctors("001", closed_day) == []


def test_add_call_and_cancel_queue(antrean: AntreanFktpClient, open_day: date, sandbox_state):
    antrean.add_queue(queue_add(open_day))
    antrean.add_queue(queue_add(open_day, card="0001000000005", number="A-13"))
    antrean.call_queue(
        QueueCallRequest(
            visit_date=open_day,
            poli_code="001",
            card_number="0001000000001",
            status=CallStatus.ABSENT,
            called_at=datetime(2026, 3, 9, 1, 30, tzinfo=UTC),
        )
    )
    antrean.cancel_queue(
        QueueCancelRequest(
            visit_date=open_day,
            poli_code="001",
            card_number="0001000000005",
            reason="Jadwal dokter berubah",
        )
    )

    rows = sandbox_state("antrean", tanggal=open_day.isoformat())
    by_card = {row["nomorkartu"]: row for row in rows}
    assert by_card["0001000000001"]["nomorantrean"] == "A-12"
    assert by_card["0001000000001"]["panggil"]["waktu"] == 1773019800000
    assert by_card["0001000000001"]["panggilStatus"] == 2
    assert by_card["0001000000005"]["deleted"] is True
    assert by_card["0001000000005"]["batal"]["alasan"] == "Jadwal dokter berubah"


def test_duplicate_queue_is_rejected_with_bpjs_message(antrean: AntreanFktpClient, open_day: date):
    antrean.add_queue(queue_add(open_day))

    with pytest.raises(Rejected) as caught:
        antrean.add_queue(queue_add(open_day))

    assert caught.value.code == "201"
    assert (
        caught.value.bpjs_message == "Nomor antrean sudah digunakan pada tanggal dan poli tersebut"
    )


def test_call_after_cancel_is_refused(antrean: AntreanFktpClient, open_day: date):
    antrean.add_queue(queue_add(open_day))
    antrean.cancel_queue(
        QueueCancelRequest(
            visit_date=open_day, poli_code="001", card_number="0001000000001", reason="batal"
        )
    )

    with pytest.raises(Rejected) as caught:
        antrean.call_queue(
            QueueCallRequest(
                visit_date=open_day,
                poli_code="001",
                card_number="0001000000001",
                status=CallStatus.PRESENT,
                called_at=datetime(2026, 3, 9, 1, 30, tzinfo=UTC),
            )
        )
    assert caught.value.bpjs_message == "Antrean tidak ditemukan"


def test_icare_fktp_link_opens_history_with_the_visit(
    icare: IcareClient, pcare: PcareClient, today: date
):
    card = "0001000000001"
    pcare.add_registration(
        RegistrationRequest(
            participant_provider_code="0999K001",
            registration_date=today,
            card_number=card,
            poli_code="001",
            sick_visit=True,
        )
    )
    number = pcare.add_visit(
        VisitRequest(
            card_number=card,
            registration_date=today,
            poli_code="001",
            discharge_status_code="3",
            discharge_date=today,
            doctor_code="131491",
            diagnosis1_code="A09",
        )
    ).visit_number

    link = icare.history_link_fktp(card, doctor_code=131491)

    page = requests.get(link.url, timeout=5)
    assert page.status_code == 200
    assert number in page.text


def test_icare_fkrtl_link_without_x_authorization(icare_fkrtl: IcareClient):
    link = icare_fkrtl.history_link_fkrtl("0001000000005", doctor_code=12345)

    assert "/_sandbox/icare/history?token=" in link.url


def test_icare_inactive_card_is_rejected(icare: IcareClient):
    with pytest.raises(Rejected) as caught:
        icare.history_link_fktp("0001000000003")

    assert caught.value.field_errors == [FieldError("param", "Peserta tidak aktif")]


def test_antrean_envelope_spelled_metadata_camel_case_is_read_too(
    antrean: AntreanFktpClient, open_day: date, closed_day: date, sandbox_control
):
    sandbox_control("PATCH", "settings", {"antrean_fktp_envelope": "metaData"})

    assert [p.poli_code for p in antrean.list_polis(open_day)] == ["001", "002", "003"]
    assert antrean.list_polis(closed_day) == []
    antrean.add_queue(queue_add(open_day))


def test_distinct_antrean_user_key_from_config(antrean_config, open_day: date, sandbox_control):
    sandbox_control("PATCH", "settings", {"antrean_fktp_user_key": "antrean-only-key"})
    own_key = AntreanFktpClient.from_config(
        dataclasses.replace(antrean_config, user_key="antrean-only-key")
    )

    assert [p.poli_code for p in own_key.list_polis(open_day)] == ["001", "002", "003"]
