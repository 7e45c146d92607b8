"""Where the indicators and reports read other apps' data: the only module here that joins
``queues``, ``patients``, ``records`` and ``referrals``. If those models change, this is the
one place to adapt.

- Contacts (AK): BPJS visits (any poli, sick or healthy, any TKP: a home visit is a visit with
  its TKP), not cancelled, by the patient's card number; and Prolanis attendance.
- Referrals (RRNS): vertical referrals (specialist or special) of signed medical records whose
  discharge is a vertical referral (as the referrals app's RRNS preview counts them), dated by
  their visit, with the record's doctor. ``Referral.non_specialist`` is the
  snapshot taken at signing; a TACC counts when it is 1..4 with a reason.
- Readings (RPPT): blood pressure from the nurse's triage of a medical record (not voided),
  dated by its visit; blood pressure and fasting glucose recorded at Prolanis activities. The
  medical record has no glucose field yet, so fasting glucose comes from Prolanis attendance
  only (documented in docs/capitation.md).
- Diagnoses (reports): the primary diagnosis (rank 1) of each medical record not voided.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db.models import QuerySet

from clinic.capitation.kbk import Reading, ReferralFact
from clinic.capitation.models import ProlanisAttendance
from clinic.queues.models import Payer, Visit, VisitStatus


def bpjs_visits(facility_id: int, start: dt.date, end: dt.date) -> QuerySet[Visit]:
    """BPJS visits from ``start`` up to (not including) ``end``, not cancelled."""
    return (
        Visit.objects.filter(facility_id=facility_id, visit_date__gte=start, visit_date__lt=end)
        .filter(payer=Payer.BPJS)
        .exclude(status=VisitStatus.CANCELLED)
    )


def visit_card_numbers(facility_id: int, start: dt.date, end: dt.date) -> QuerySet[Any]:
    """Card numbers of patients with a BPJS visit in the period (a subquery)."""
    return (
        bpjs_visits(facility_id, start, end)
        .filter(patient__bpjs_card_number__isnull=False)
        .values("patient__bpjs_card_number")
    )


def attendance_card_numbers(facility_id: int, start: dt.date, end: dt.date) -> QuerySet[Any]:
    return ProlanisAttendance.objects.filter(
        facility_id=facility_id, date__gte=start, date__lt=end
    ).values("card_number")


def contacted_cards(facility_id: int, start: dt.date, end: dt.date) -> set[str]:
    """Card numbers with a contact in the period (a BPJS visit or Prolanis attendance).

    Two small reads of the period's rows, joined to the roster by the caller: a subquery
    inside the roster query lets PostgreSQL pick a poor plan on fresh statistics."""
    visits = visit_card_numbers(facility_id, start, end).order_by()
    cards = {str(c) for c in visits.values_list("patient__bpjs_card_number", flat=True).distinct()}
    attended = attendance_card_numbers(facility_id, start, end).order_by()
    cards.update(attended.values_list("card_number", flat=True).distinct())
    return cards


def referrals(facility_id: int, start: dt.date, end: dt.date) -> QuerySet[Any]:
    from clinic.records.models import Discharge, RecordStatus
    from clinic.referrals.models import Referral, ReferralKind

    # The same referrals as the referrals app's RRNS preview (``referrals.services.rrns``):
    # vertical, on a signed record whose discharge is a vertical referral.
    return Referral.objects.filter(
        facility_id=facility_id,
        kind__in=[ReferralKind.SPECIALIST, ReferralKind.SPECIAL],
        record__status=RecordStatus.SIGNED,
        record__discharge=Discharge.VERTICAL_REFERRAL,
        record__visit__visit_date__gte=start,
        record__visit__visit_date__lt=end,
    ).select_related("record__visit", "record__doctor", "record__patient")


def referral_fact(referral: Any) -> ReferralFact:
    record = referral.record
    # ``diagnoses`` is prefetched by ``referral_facts(detail=True)``: pick rank 1 in Python.
    diagnosis = next((d for d in record.diagnoses.all() if d.rank == 1), None)
    return ReferralFact(
        referral_id=referral.pk,
        date=record.visit.visit_date,
        non_specialist=bool(referral.non_specialist),
        tacc_justified=bool(referral.has_valid_tacc),
        doctor_name=record.doctor.name if record.doctor_id else "",
        diagnosis_code=diagnosis.code if diagnosis else "",
        diagnosis_name=diagnosis.title if diagnosis else "",
        patient_name=record.patient.name,
        card_number=record.patient.bpjs_card_number or "",
    )


def referral_facts(
    facility_id: int, start: dt.date, end: dt.date, *, detail: bool = False
) -> list[ReferralFact]:
    """Every referral in the period; ``detail`` also reads the primary diagnosis."""
    rows = referrals(facility_id, start, end)
    if detail:
        return [referral_fact(r) for r in rows.prefetch_related("record__diagnoses")]
    facts = []
    for values in rows.values(
        "pk",
        "record__visit__visit_date",
        "non_specialist",
        "tacc",
        "tacc_reason",
        "record__doctor__name",
    ):
        facts.append(
            ReferralFact(
                referral_id=values["pk"],
                date=values["record__visit__visit_date"],
                non_specialist=values["non_specialist"],
                tacc_justified=values["tacc"] in (1, 2, 3, 4)
                and bool((values["tacc_reason"] or "").strip()),
                doctor_name=values["record__doctor__name"] or "",
            )
        )
    return facts


def readings(
    facility_id: int, start: dt.date, end: dt.date, card_numbers: list[str]
) -> list[Reading]:
    """Blood pressure and fasting glucose of these participants in the period."""
    from clinic.records.models import MedicalRecord, RecordStatus

    found: list[Reading] = []
    records = (
        MedicalRecord.objects.filter(
            facility_id=facility_id,
            visit__visit_date__gte=start,
            visit__visit_date__lt=end,
            patient__bpjs_card_number__in=card_numbers,
            systolic__isnull=False,
            diastolic__isnull=False,
        )
        .exclude(status=RecordStatus.VOIDED)
        .values_list(
            "patient__bpjs_card_number", "visit__visit_date", "systolic", "diastolic", "pk"
        )
    )
    for card, day, systolic, diastolic, pk in records:
        found.append(Reading(str(card), day, systolic=systolic, diastolic=diastolic, order=pk))
    attended = ProlanisAttendance.objects.filter(
        facility_id=facility_id, date__gte=start, date__lt=end, card_number__in=card_numbers
    ).values_list("card_number", "date", "systolic", "diastolic", "fasting_glucose", "pk")
    for card, day, systolic, diastolic, glucose, pk in attended:
        found.append(
            Reading(
                card,
                day,
                systolic=systolic,
                diastolic=diastolic,
                fasting_glucose=glucose,
                # After the day's records: a club reading is taken later the same day.
                order=10**12 + pk,
            )
        )
    return found


def primary_diagnoses(facility_id: int, start: dt.date, end: dt.date) -> QuerySet[Any]:
    """Primary diagnoses of the period's records, with the visit date and the patient's sex and
    birth date (``record__visit__visit_date``, ``record__patient__sex``, ...)."""
    from clinic.records.models import RecordDiagnosis, RecordStatus

    return RecordDiagnosis.objects.filter(
        rank=1,
        record__facility_id=facility_id,
        record__visit__visit_date__gte=start,
        record__visit__visit_date__lt=end,
    ).exclude(record__status=RecordStatus.VOIDED)


def records_by_doctor(facility_id: int, start: dt.date, end: dt.date) -> dict[str, int]:
    """Medical records (not voided) per doctor's name in the period."""
    from django.db.models import Count

    from clinic.records.models import MedicalRecord, RecordStatus

    rows = (
        MedicalRecord.objects.filter(
            facility_id=facility_id, visit__visit_date__gte=start, visit__visit_date__lt=end
        )
        .exclude(status=RecordStatus.VOIDED)
        .values("doctor__name")
        .annotate(n=Count("id"))
    )
    return {(row["doctor__name"] or "-"): row["n"] for row in rows}


def first_contact_days(
    facility_id: int, start: dt.date, end: dt.date, cards: set[str]
) -> list[dt.date]:
    """For each card of ``cards`` (the roster) contacted in the period, the day of its first
    contact."""
    from django.db.models import Min

    first: dict[str, dt.date] = {}
    visit_rows = (
        bpjs_visits(facility_id, start, end)
        .filter(patient__bpjs_card_number__isnull=False)
        .values("patient__bpjs_card_number")
        .annotate(day=Min("visit_date"))
        .values_list("patient__bpjs_card_number", "day")
    )
    for card, day in visit_rows:
        if card in cards:
            first[str(card)] = day
    attended = (
        ProlanisAttendance.objects.filter(facility_id=facility_id, date__gte=start, date__lt=end)
        .values("card_number")
        .annotate(day=Min("date"))
        .values_list("card_number", "day")
    )
    for card, day in attended:
        known = first.get(card)
        if card in cards and (known is None or day < known):
            first[card] = day
    return sorted(first.values())
