"""Small builders for capitation tests: roster rows, patients, visits, records, referrals."""

from __future__ import annotations

import datetime as dt
import itertools
from typing import Any

from clinic.capitation.models import (
    ProlanisActivity,
    ProlanisAttendance,
    ProlanisClub,
    ProlanisMember,
    RosterEntry,
)
from clinic.core.models import Facility
from clinic.patients.models import Patient
from clinic.queues.models import Doctor, Poli, Visit

_serial = itertools.count(1)


def card(n: int) -> str:
    return f"0002{n:09d}"


def roster_entry(facility: Facility, month: dt.date, n: int, **extra: Any) -> RosterEntry:
    values: dict[str, Any] = {
        "name": f"PESERTA {n}",
        "sex": "L" if n % 2 else "P",
        "birth_date": dt.date(1980, 1, 1),
        "phone": f"0813{n:08d}",
    }
    values.update(extra)
    return RosterEntry.objects.create(facility=facility, month=month, card_number=card(n), **values)


def poli(facility: Facility, code: str = "001", *, sick: bool = True, name: str = "") -> Poli:
    prefix = {"001": "A", "002": "B", "003": "C"}.get(code, "Z")
    name = name or {"001": "Umum", "002": "Gigi", "003": "KIA"}.get(code, code)
    found, _ = Poli.objects.get_or_create(
        facility=facility,
        pcare_code=code,
        defaults={"name": name, "queue_prefix": prefix, "is_sick_visit": sick},
    )
    return found


def doctor(facility: Facility, name: str = "dr. ANDI PRATAMA", code: str = "131491") -> Doctor:
    found, _ = Doctor.objects.get_or_create(
        facility=facility, pcare_code=code, defaults={"name": name}
    )
    return found


def patient(
    facility: Facility,
    card_number: str | None,
    *,
    sex: str = "L",
    birth_date: dt.date = dt.date(1980, 1, 1),
    name: str = "",
) -> Patient:
    serial = next(_serial)
    return Patient.objects.create(
        facility=facility,
        mrn=f"RM-{serial:06d}",
        name=name or f"PASIEN {serial}",
        birth_date=birth_date,
        sex=sex,
        bpjs_card_number=card_number,
    )


def visit(
    facility: Facility,
    who: Patient,
    day: dt.date,
    *,
    sick: bool = True,
    payer: str = "bpjs",
    status: str = "done",
    poli_code: str = "001",
    by: Doctor | None = None,
) -> Visit:
    return Visit.objects.create(
        facility=facility,
        patient=who,
        poli=poli(facility, poli_code, sick=sick),
        doctor=by,
        visit_date=day,
        payer=payer,
        is_sick_visit=sick,
        status=status,
    )


def record(
    facility: Facility,
    who: Patient,
    day: dt.date,
    *,
    by: Doctor | None = None,
    diagnosis: str = "",
    non_specialist: bool = False,
    systolic: int | None = None,
    diastolic: int | None = None,
    status: str = "signed",
    discharge: str = "3",
) -> Any:
    from clinic.records.models import MedicalRecord, RecordDiagnosis

    the_visit = visit(facility, who, day, by=by)
    medical = MedicalRecord.objects.create(
        facility=facility,
        visit=the_visit,
        patient=who,
        doctor=by,
        status=status,
        discharge=discharge,
        systolic=systolic,
        diastolic=diastolic,
    )
    if diagnosis:
        RecordDiagnosis.objects.create(
            record=medical,
            rank=1,
            code=diagnosis,
            title=f"Diagnosis {diagnosis}",
            non_specialist=non_specialist,
        )
    return medical


def referral(
    facility: Facility,
    who: Patient,
    day: dt.date,
    *,
    by: Doctor | None = None,
    non_specialist: bool = False,
    tacc: int = -1,
    tacc_reason: str = "",
    kind: str = "specialist",
    diagnosis: str = "K29",
) -> Any:
    from clinic.referrals.models import Referral

    medical = record(
        facility,
        who,
        day,
        by=by,
        diagnosis=diagnosis,
        non_specialist=non_specialist,
        discharge="6" if kind == "horizontal" else "4",
    )
    return Referral.objects.create(
        facility=facility,
        record=medical,
        kind=kind,
        tacc=tacc,
        tacc_reason=tacc_reason,
        non_specialist=non_specialist,
    )


def club(facility: Facility, group: str = "02", club_id: str = "1001") -> ProlanisClub:
    found, _ = ProlanisClub.objects.get_or_create(
        facility=facility, pcare_club_id=club_id, defaults={"name": "Klub HT", "group": group}
    )
    return found


def activity(facility: Facility, day: dt.date) -> ProlanisActivity:
    return ProlanisActivity.objects.create(
        facility=facility, club=club(facility), date=day, kind="11", topic="Senam"
    )


def attend(
    facility: Facility, day: dt.date, card_number: str, **readings: Any
) -> ProlanisAttendance:
    act = ProlanisActivity.objects.filter(facility=facility, date=day).first() or activity(
        facility, day
    )
    return ProlanisAttendance.objects.create(
        activity=act, facility=facility, date=day, card_number=card_number, **readings
    )


def member(
    facility: Facility, card_number: str, condition: str, birth_date: dt.date, name: str = ""
) -> ProlanisMember:
    return ProlanisMember.objects.create(
        facility=facility,
        card_number=card_number,
        condition=condition,
        birth_date=birth_date,
        name=name or f"PROLANIS {card_number[-4:]}",
    )
