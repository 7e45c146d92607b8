"""Antrean FKTP (BPJS side) request and response models (PROTOCOL.md §5.2).

Dates are ``yyyy-mm-dd`` on the wire. ``waktu`` of ``antrean/panggil`` is epoch milliseconds.
"""

from __future__ import annotations

from datetime import datetime
from enum import IntEnum
from typing import Annotated

from pydantic import Field, PlainSerializer

from bridging.pcare.base import Code, IsoDate, OptInt, Text, WireModel


def _epoch_ms(value: datetime) -> int:
    return int(value.timestamp() * 1000)


EpochMillis = Annotated[datetime, PlainSerializer(_epoch_ms, return_type=int)]


class QueuePoli(WireModel):
    """A poli with a published schedule on a date (``ref/poli/tanggal/{date}``)."""

    poli_code: Code = Field(alias="kodepoli")
    poli_name: Text = Field(default=None, alias="namapoli")
    subspecialty_code: Text = Field(default=None, alias="kdsubspesialis")
    subspecialty_name: Text = Field(default=None, alias="nmsubspesialis")


class QueueDoctor(WireModel):
    """A doctor's session on a date (``ref/dokter/kodepoli/{poli}/tanggal/{date}``)."""

    doctor_code: int = Field(alias="kodedokter")
    doctor_name: Text = Field(default=None, alias="namadokter")
    practice_hours: Text = Field(default=None, alias="jampraktek")
    capacity: OptInt = Field(default=None, alias="kapasitas")


class QueueAddRequest(WireModel):
    """``antrean/add``: show in Mobile JKN a queue number the clinic issued.

    ``card_number`` is empty for a patient without JKN. The queue label is facility-defined
    ("A-12"); ``queue_position`` is its number (12).
    """

    card_number: str = Field(default="", alias="nomorkartu")
    nik: str = Field(alias="nik")
    phone: str = Field(default="", alias="nohp")
    poli_code: str = Field(alias="kodepoli")
    poli_name: str = Field(alias="namapoli")
    medical_record_number: str = Field(default="", alias="norm")
    visit_date: IsoDate = Field(alias="tanggalperiksa")
    doctor_code: int = Field(alias="kodedokter")
    doctor_name: str = Field(alias="namadokter")
    practice_hours: str = Field(alias="jampraktek")
    queue_number: str = Field(alias="nomorantrean")
    queue_position: int = Field(alias="angkaantrean")
    note: str = Field(default="", alias="keterangan")


class CallStatus(IntEnum):
    PRESENT = 1
    ABSENT = 2


class QueueCallRequest(WireModel):
    """``antrean/panggil``: the patient was called at the poli (present or a no-show)."""

    visit_date: IsoDate = Field(alias="tanggalperiksa")
    poli_code: str = Field(alias="kodepoli")
    card_number: str = Field(alias="nomorkartu")
    status: CallStatus = Field(alias="status")
    called_at: EpochMillis = Field(alias="waktu")


class QueueCancelRequest(WireModel):
    """``antrean/batal``: the clinic cancels a queue entry."""

    visit_date: IsoDate = Field(alias="tanggalperiksa")
    poli_code: str = Field(alias="kodepoli")
    card_number: str = Field(alias="nomorkartu")
    reason: str = Field(alias="alasan")


__all__ = [
    "CallStatus",
    "QueueAddRequest",
    "QueueCallRequest",
    "QueueCancelRequest",
    "QueueDoctor",
    "QueuePoli",
]
