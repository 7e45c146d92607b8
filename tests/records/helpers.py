"""Building a record through the services, as the pages do."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from django.utils import timezone

from clinic.records import services
from clinic.records.access import record_of_visit
from clinic.records.models import MedicalRecord

VITALS = {
    "systolic": "120",
    "diastolic": "80",
    "weight_kg": "70",
    "height_cm": "170",
    "respiratory_rate": "18",
    "heart_rate": "80",
    "temperature_c": "36,8",
    "waist_cm": "80",
    "chief_complaint": "demam tiga hari",
}


def triaged(visit: Any, nurse: Any) -> MedicalRecord:
    record = record_of_visit(nurse, visit)
    return services.triage_save(record=record, by=nurse, data=dict(VITALS))


def encounter(
    record: MedicalRecord,
    doctor: Any,
    diagnoses: list[str],
    *,
    discharge: str = "3",
    **fields: Any,
) -> MedicalRecord:
    data = {
        "anamnesis": "Demam sejak 3 hari, batuk.",
        "physical_exam": "Faring hiperemis.",
        "prognosis": "02",
        "discharge": discharge,
        **fields,
    }
    return services.encounter_save(record=record, by=doctor, data=data, diagnoses=diagnoses)


def vertical_referral(record: MedicalRecord, doctor: Any, **fields: Any) -> Any:
    from clinic.referrals.services import referral_save

    data = {
        "referral_kind": "specialist",
        "planned_date": (timezone.localdate() + timedelta(days=1)).isoformat(),
        "specialty": "INT",
        "subspecialty": "3",
        "facility_type": "1",
        "provider": "0999R001",
        "provider_name_0999R001": "RSU DEMO HARAPAN",
        **fields,
    }
    return referral_save(record=record, by=doctor, data=data)


def drug_and_procedure(record: MedicalRecord, doctor: Any) -> None:
    services.prescription_add(
        record=record,
        by=doctor,
        data={
            "dpho": "1",
            "drug_code": "110100020",
            "drug_name": "Parasetamol tab 500 mg",
            "signa1": "3",
            "signa2": "1",
            "quantity": "10",
        },
    )
    services.procedure_add(
        record=record,
        by=doctor,
        data={
            "code": "01001",
            "name": "Pemeriksaan gula darah sewaktu",
            "fee": "15000",
            "max_tariff": "15000",
            "result": "110",
        },
    )
