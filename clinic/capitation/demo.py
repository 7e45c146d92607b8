"""Demo data for the KBK dashboard (development and tests only; never in production).

- ``roster_with_prolanis(csv)`` adds the optional ``Prolanis`` column to the sandbox's roster
  file (``GET /_sandbox/roster.csv``), using the Prolanis flags SANDBOX.md gives the roster
  (DM when n mod 40 = 0, else HT when n mod 25 = 0; demo cards 5 HT and 6 DM).
- ``generate_month(facility, month)`` creates a month of BPJS visits with signed medical
  records (diagnoses, blood pressure), a few referrals, and weekly Prolanis club activities
  with attendance and readings, for participants of the month's roster. Deterministic for a
  seed.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import random
from dataclasses import dataclass, field

from django.conf import settings
from django.db import transaction
from django.db.models import F

from clinic.capitation.models import (
    ProlanisActivity,
    ProlanisAttendance,
    ProlanisClub,
    ProlanisMember,
    RosterEntry,
)
from clinic.capitation.periods import count_open_days, month_end, next_month, open_weekdays
from clinic.capitation.roster import roster_entries
from clinic.core.models import Facility
from clinic.patients.models import MrnCounter, Patient, format_mrn
from clinic.queues.models import Doctor, Poli, Visit

DEMO_PROLANIS = {"0001000000005": "HT", "0001000000006": "DM"}

# (ICD-10, title, weight): a primary-care mix; flags for non-specialist come from the ICD table.
DIAGNOSES: list[tuple[str, str, int]] = [
    ("J06.9", "Acute upper respiratory infection, unspecified", 30),
    ("I10", "Essential (primary) hypertension", 14),
    ("K30", "Dyspepsia", 10),
    ("E11.9", "Type 2 diabetes mellitus without complications", 7),
    ("M79.1", "Myalgia", 7),
    ("A09", "Diarrhoea and gastroenteritis of presumed infectious origin", 6),
    ("K04.0", "Pulpitis", 5),
    ("L30.9", "Dermatitis, unspecified", 5),
    ("R51", "Headache", 4),
    ("J45.9", "Asthma, unspecified", 3),
    ("H10.9", "Conjunctivitis, unspecified", 3),
    ("N39.0", "Urinary tract infection, site not specified", 3),
    ("Z00.0", "General medical examination", 3),
]
SPECIALIST_REFERRAL_DIAGNOSES = [("I25.1", "Atherosclerotic heart disease"), ("N18.5", "CKD 5")]


def prolanis_flag(card_number: str) -> str:
    if card_number in DEMO_PROLANIS:
        return DEMO_PROLANIS[card_number]
    if card_number.startswith("0002"):
        n = int(card_number[4:])
        if n % 40 == 0:
            return "DM"
        if n % 25 == 0:
            return "HT"
    return ""


def roster_with_prolanis(data: bytes) -> bytes:
    """The sandbox roster CSV with a ``Prolanis`` column appended."""
    rows = list(csv.reader(io.StringIO(data.decode("utf-8-sig"))))
    header, body = rows[0], rows[1:]
    card_index = header.index("No Kartu")
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow([*header, "Prolanis"])
    for row in body:
        if row:
            writer.writerow([*row, prolanis_flag(row[card_index])])
    return out.getvalue().encode("utf-8")


def _non_specialist_codes(codes: list[str]) -> set[str]:
    try:
        from clinic.records.models import Icd10Code
    except ImportError:  # pragma: no cover - the records app is installed
        return set()
    return set(
        Icd10Code.objects.filter(code__in=codes, non_specialist=True).values_list("code", flat=True)
    )


@dataclass
class Generated:
    patients: int = 0
    visits: int = 0
    records: int = 0
    referrals: int = 0
    activities: int = 0
    attendance: int = 0
    contacted_cards: set[str] = field(default_factory=set)


def _patients_for(facility: Facility, entries: list[RosterEntry]) -> dict[str, Patient]:
    """Patients for these roster entries: existing ones by card, the rest created."""
    entries = list({e.card_number: e for e in entries}.values())
    cards = [e.card_number for e in entries]
    known = {
        p.bpjs_card_number: p
        for p in Patient.objects.filter(facility=facility, bpjs_card_number__in=cards)
    }
    missing = [e for e in entries if e.card_number not in known]
    if missing:
        MrnCounter.objects.get_or_create(facility=facility)
        MrnCounter.objects.filter(facility=facility).update(
            last_number=F("last_number") + len(missing)
        )
        last = MrnCounter.objects.get(facility=facility).last_number
        first = last - len(missing) + 1
        new = [
            Patient(
                facility=facility,
                mrn=format_mrn(first + i),
                nik=e.nik or None,
                bpjs_card_number=e.card_number,
                name=e.name,
                birth_date=e.birth_date or dt.date(1980, 1, 1),
                sex=e.sex or "L",
                phone=e.phone,
                address=e.address[:300],
                bpjs_provider_code=facility.bpjs_provider_code,
            )
            for i, e in enumerate(missing)
        ]
        Patient.objects.bulk_create(new, batch_size=2000)
        known.update(
            {
                p.bpjs_card_number: p
                for p in Patient.objects.filter(
                    facility=facility, bpjs_card_number__in=[e.card_number for e in missing]
                )
            }
        )
    return {str(k): v for k, v in known.items()}


def generate_month(
    facility: Facility,
    month: dt.date,
    *,
    until: dt.date | None = None,
    contact_share: float = 0.16,
    seed: int = 7,
) -> Generated:
    """A month of visits (up to ``until`` inclusive, default the whole month) reaching about
    ``contact_share`` of the roster by month end."""
    if settings.PRODUCTION:
        raise RuntimeError("demo data is never generated on a production install")
    from clinic.records.models import MedicalRecord, RecordDiagnosis
    from clinic.referrals.models import Referral

    rng = random.Random(seed)
    entries = list(roster_entries(facility.pk, month).order_by("card_number"))
    result = Generated()
    if not entries:
        return result
    last_day = month_end(month)
    until = min(until or last_day, last_day)
    weekdays = open_weekdays(facility.pk)
    open_days = [
        month + dt.timedelta(days=i)
        for i in range((last_day - month).days + 1)
        if (month + dt.timedelta(days=i)).weekday() in weekdays
    ]
    total_open = len(open_days)
    polis = {p.pcare_code: p for p in Poli.objects.filter(facility=facility)}
    doctors = list(Doctor.objects.filter(facility=facility).order_by("pcare_code"))
    if not polis or not doctors:
        raise RuntimeError("the facility needs polis and doctors (run the demo seed first)")
    gp = doctors[0]
    dentist = doctors[1] if len(doctors) > 1 else gp
    members = {
        m.card_number: m.condition
        for m in ProlanisMember.objects.filter(facility=facility, is_active=True)
    }
    prolanis_cards = [e for e in entries if e.card_number in members]
    others = [e for e in entries if e.card_number not in members]
    rng.shuffle(others)
    target_people = int(len(entries) * contact_share)
    pool = (prolanis_cards[: target_people // 4] + others)[:target_people]
    per_day = max(1, round(len(pool) * 1.25 / max(total_open, 1)))
    codes = [code for code, _title, _w in DIAGNOSES]
    weights = [w for _code, _title, w in DIAGNOSES]
    non_specialist = _non_specialist_codes(codes + [c for c, _t in SPECIALIST_REFERRAL_DIAGNOSES])
    titles = {code: title for code, title, _w in DIAGNOSES}
    titles.update(dict(SPECIALIST_REFERRAL_DIAGNOSES))
    plan: list[tuple[dt.date, RosterEntry]] = []
    cursor = 0
    for index, day in enumerate(open_days):
        if day > until:
            break
        for _ in range(per_day):
            if cursor < len(pool) and rng.random() < 0.8:
                who = pool[cursor]
                cursor += 1
            else:
                who = pool[rng.randrange(max(cursor, 1))] if pool else entries[0]
            plan.append((day, who))
        del index
    with transaction.atomic():
        patients = _patients_for(facility, [who for _day, who in plan])
        result.patients = len(patients)
        visits: list[Visit] = []
        for day, who in plan:
            roll = rng.random()
            code = "001" if roll < 0.7 else ("002" if roll < 0.85 else "003")
            poli = polis.get(code) or polis["001"]
            visits.append(
                Visit(
                    facility=facility,
                    patient=patients[who.card_number],
                    poli=poli,
                    doctor=dentist if code == "002" else gp,
                    visit_date=day,
                    payer="bpjs",
                    is_sick_visit=poli.is_sick_visit,
                    status="done",
                    eligibility="verified",
                )
            )
        Visit.objects.bulk_create(visits, batch_size=2000)
        records: list[MedicalRecord] = []
        for visit in visits:
            card = visit.patient.bpjs_card_number or ""
            condition = members.get(card, "")
            if condition == "HT":
                systolic, diastolic = rng.randint(115, 160), rng.randint(70, 100)
            else:
                systolic, diastolic = rng.randint(100, 135), rng.randint(65, 85)
            records.append(
                MedicalRecord(
                    facility=facility,
                    visit=visit,
                    patient=visit.patient,
                    status="signed",
                    doctor=visit.doctor,
                    systolic=systolic,
                    diastolic=diastolic,
                )
            )
        MedicalRecord.objects.bulk_create(records, batch_size=2000)
        diagnoses: list[RecordDiagnosis] = []
        referrals: list[Referral] = []
        to_vertical: list[int] = []
        for medical in records:
            card = medical.patient.bpjs_card_number or ""
            condition = members.get(card, "")
            if medical.visit.poli.pcare_code == "002":
                code = "K04.0"
            elif condition == "HT" and rng.random() < 0.7:
                code = "I10"
            elif condition == "DM" and rng.random() < 0.7:
                code = "E11.9"
            else:
                code = rng.choices(codes, weights)[0]
            refer = medical.visit.poli.pcare_code == "001" and rng.random() < 0.04
            if refer and rng.random() < 0.6:
                code = rng.choice(SPECIALIST_REFERRAL_DIAGNOSES)[0]
            diagnoses.append(
                RecordDiagnosis(
                    record=medical,
                    rank=1,
                    code=code,
                    title=titles[code],
                    non_specialist=code in non_specialist,
                )
            )
            if refer:
                medical.discharge = "4"
                to_vertical.append(medical.pk)
                flagged = code in non_specialist
                with_tacc = flagged and rng.random() < 0.5
                referrals.append(
                    Referral(
                        facility=facility,
                        record=medical,
                        kind="specialist",
                        planned_date=medical.visit.visit_date,
                        provider_code="0999R001",
                        provider_name="RSU DEMO HARAPAN",
                        tacc=3 if with_tacc else -1,
                        tacc_reason=f"{code} - {titles[code]}" if with_tacc else "",
                        non_specialist=flagged,
                    )
                )
        RecordDiagnosis.objects.bulk_create(diagnoses, batch_size=2000)
        MedicalRecord.objects.filter(pk__in=to_vertical).update(discharge="4")
        Referral.objects.bulk_create(referrals, batch_size=2000)
        result.visits = len(visits)
        result.records = len(records)
        result.referrals = len(referrals)
        result.contacted_cards = {who.card_number for _day, who in plan}
        _prolanis_activities(facility, month, until, prolanis_cards, members, rng, result)
    return result


def _prolanis_activities(
    facility: Facility,
    month: dt.date,
    until: dt.date,
    prolanis_cards: list[RosterEntry],
    members: dict[str, str],
    rng: random.Random,
    result: Generated,
) -> None:
    """A club exercise every Saturday; a third of Prolanis members attend with readings.
    Demo activities are recorded without being sent to PCare (no outbox jobs)."""
    if not prolanis_cards:
        return
    club, _ = ProlanisClub.objects.get_or_create(
        facility=facility,
        pcare_club_id="DEMO-01",
        defaults={"name": "Klub Prolanis Sehat Bersama", "group": "02"},
    )
    day = month
    while day <= until and day < next_month(month):
        if day.weekday() == 5:
            activity = ProlanisActivity.objects.create(
                facility=facility, club=club, date=day, kind="11", topic="Senam dan penyuluhan"
            )
            result.activities += 1
            rows = []
            for entry in rng.sample(prolanis_cards, max(1, len(prolanis_cards) // 3)):
                condition = members[entry.card_number]
                rows.append(
                    ProlanisAttendance(
                        activity=activity,
                        facility=facility,
                        date=day,
                        card_number=entry.card_number,
                        systolic=rng.randint(115, 150),
                        diastolic=rng.randint(68, 95),
                        fasting_glucose=rng.randint(85, 190) if condition == "DM" else None,
                    )
                )
            ProlanisAttendance.objects.bulk_create(rows)
            result.attendance += len(rows)
            result.contacted_cards |= {r.card_number for r in rows}
        day += dt.timedelta(days=1)


def open_days_in(facility_id: int, month: dt.date) -> int:
    return count_open_days(month, month_end(month), open_weekdays(facility_id))
