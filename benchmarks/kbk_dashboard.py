"""KBK dashboard and report query times on a year of a 50-clinic network (PostgreSQL).

Generates once, with COPY, a network of clinics (``0999N001``..): each with a roster of 5,000
participants for each of 12 months (a little churn between months, 300 of them in Prolanis),
polis and doctors, and a year of BPJS visits (2,000,000 in all by default) with a signed medical
record, a primary diagnosis and blood pressure each, about 3 % referrals (some non-specialist,
some with a TACC), and weekly Prolanis activities with attendance. Later runs reuse the data.

Then, for a sample of clinics and months, it times through the same code the pages call:

* the dashboard (``indicators.dashboard``: roster, contacts, RRNS, RPPT, score, capitation),
* the outreach list's first page and its count,
* the three drill-down queries on their own (contacts, referral facts, RPPT statuses),
* the top-10 diagnoses report, visits per poli and day, referrals by doctor, and the
  unusual-occurrence alert;

and prints the median and maximum in milliseconds of each. Target: under one second each.

Run (a database of its own, created once)::

    psql postgres://postgres@127.0.0.1:5432/postgres -c "create database klinik_kbk_bench"
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/klinik_kbk_bench \\
        .venv/bin/python benchmarks/kbk_dashboard.py [--clinics 50] [--visits 2000000]
        [--samples 10] [--regenerate]
"""

from __future__ import annotations

import argparse
import datetime as dt
import functools
import itertools
import os
import random
import statistics
import sys
import time
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "clinic.settings")

import django  # noqa: E402

django.setup()

from django.core.management import call_command  # noqa: E402
from django.db import connection, models, transaction  # noqa: E402
from django.test import RequestFactory  # noqa: E402
from django.utils import timezone  # noqa: E402

from clinic.capitation import indicators, reports, views  # noqa: E402
from clinic.capitation.models import (  # noqa: E402
    CapitationProfile,
    ProlanisActivity,
    ProlanisAttendance,
    ProlanisClub,
    ProlanisMember,
    RosterEntry,
)
from clinic.capitation.periods import next_month, period_for  # noqa: E402
from clinic.core.models import Facility, User  # noqa: E402
from clinic.patients.models import Patient  # noqa: E402
from clinic.queues.models import Doctor, DoctorSchedule, Poli, Visit  # noqa: E402
from clinic.records.models import MedicalRecord, RecordDiagnosis  # noqa: E402
from clinic.referrals.models import Referral  # noqa: E402

PREFIX = "0999N"
YEAR_START = dt.date(2025, 1, 1)
MONTHS = [dt.date(2025, m, 1) for m in range(1, 13)]
ROSTER = 5000
TARGET_MS = 1000.0
DIAGNOSES = [
    ("J06.9", False, 30),
    ("I10", True, 14),
    ("K30", True, 10),
    ("E11.9", True, 7),
    ("M79.1", True, 7),
    ("A09", True, 6),
    ("K04.0", False, 5),
    ("L30.9", True, 5),
    ("R51", True, 4),
    ("J45.9", True, 3),
    ("H10.9", True, 3),
    ("N39.0", True, 3),
    ("I25.1", False, 2),
    ("N18.5", False, 1),
]


# --- COPY helpers -----------------------------------------------------------------------------


def _text(value: Any) -> str:
    if value is None:
        return "\\N"
    if value is True:
        return "t"
    if value is False:
        return "f"
    if isinstance(value, dt.datetime | dt.date):
        return value.isoformat()
    return str(value).replace("\\", "\\\\").replace("\t", " ").replace("\n", " ")


class Copier:
    """COPY rows of a model: every concrete column, from the row or the field's default."""

    def __init__(self, model: type[models.Model]) -> None:
        self.model = model
        self.now = timezone.now()
        self.all_fields = list(model._meta.concrete_fields)
        self.fields = self.all_fields
        self.columns = [f.column for f in self.fields]

    def _choose(self, first: dict[str, Any]) -> None:
        """The primary key is copied only when the rows give it."""
        pk = self.model._meta.pk
        self.fields = [f for f in self.all_fields if f is not pk or pk.attname in first]
        self.columns = [f.column for f in self.fields]
        self._keys = [f.attname for f in self.fields]
        # Defaults are computed once (as text), only for the columns the rows leave out.
        self._defaults = {
            f.attname: _text(self.default(f)) for f in self.fields if f.attname not in first
        }

    def default(self, field: models.Field[Any, Any]) -> Any:
        if getattr(field, "auto_now", False) or getattr(field, "auto_now_add", False):
            return self.now
        if field.has_default():
            return field.get_default()
        if field.null:
            return None
        if isinstance(field, models.CharField | models.TextField):
            return ""
        raise ValueError(f"{self.model.__name__}.{field.name} needs a value")

    def line(self, row: dict[str, Any]) -> str:
        defaults = self._defaults
        return (
            "\t".join(_text(row[key]) if key in row else defaults[key] for key in self._keys) + "\n"
        )

    def copy(self, rows: Iterable[dict[str, Any]], chunk: int = 50_000) -> int:
        table = self.model._meta.db_table
        iterator = iter(rows)
        first = next(iterator, None)
        if first is None:
            return 0
        self._choose(first)
        columns = ", ".join(f'"{c}"' for c in self.columns)
        count = 0
        raw = connection.connection
        buffer: list[str] = []

        def flush() -> None:
            with (
                raw.cursor() as cursor,
                cursor.copy(f"COPY {table} ({columns}) FROM STDIN") as copy,
            ):
                copy.write("".join(buffer))
            buffer.clear()

        for row in itertools.chain([first], iterator):
            buffer.append(self.line(row))
            count += 1
            if len(buffer) >= chunk:
                flush()
        if buffer:
            flush()
        return count


def next_id(model: type[models.Model]) -> int:
    return int(model._default_manager.aggregate(m=models.Max("pk"))["m"] or 0) + 1


def reset_sequence(model: type[models.Model]) -> None:
    table = model._meta.db_table
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), "
            f"(SELECT COALESCE(MAX(id), 1) FROM {table}))"
        )


# --- generation -------------------------------------------------------------------------------


def card(clinic: int, n: int) -> str:
    return f"0003{clinic:03d}{n:06d}"


def generate(clinics: int, visits_total: int, seed: int = 11) -> None:
    rng = random.Random(seed)
    started = time.perf_counter()
    per_clinic = visits_total // clinics
    codes = [c for c, _ns, _w in DIAGNOSES]
    weights = [w for _c, _ns, w in DIAGNOSES]
    flags = {c: ns for c, ns, _w in DIAGNOSES}
    open_days = [
        YEAR_START + dt.timedelta(days=i)
        for i in range(365)
        if (YEAR_START + dt.timedelta(days=i)).weekday() < 6
    ]
    with transaction.atomic():
        facilities = []
        for c in range(1, clinics + 1):
            facility = Facility.objects.create(
                name=f"KLINIK JARINGAN {c:02d}", bpjs_provider_code=f"{PREFIX}{c:03d}"
            )
            CapitationProfile.objects.create(
                facility=facility, general_practitioners=1, has_dentist=True
            )
            polis = [
                Poli.objects.create(
                    facility=facility,
                    name=name,
                    pcare_code=code,
                    queue_prefix=prefix,
                    is_sick_visit=sick,
                )
                for name, code, prefix, sick in (
                    ("Umum", "001", "A", True),
                    ("Gigi", "002", "B", True),
                    ("KIA", "003", "C", False),
                )
            ]
            doctors = [
                Doctor.objects.create(
                    facility=facility, name=f"dr. UMUM {c}-{d}", pcare_code=f"9{c:03d}{d}"
                )
                for d in range(1, 4)
            ]
            for weekday in range(6):
                DoctorSchedule.objects.create(
                    facility=facility,
                    poli=polis[0],
                    doctor=doctors[0],
                    weekday=weekday,
                    start_time=dt.time(8),
                    end_time=dt.time(14),
                    daily_quota=200,
                )
            facilities.append((facility, polis, doctors))
        print(f"  facilities: {time.perf_counter() - started:.1f}s", flush=True)

        # Rosters: 5,000 a month per clinic with ~1 % churn each month.
        def roster_rows() -> Iterator[dict[str, Any]]:
            for c, (facility, _p, _d) in enumerate(facilities, start=1):
                base = 0
                for month in MONTHS:
                    for n in range(base + 1, base + ROSTER + 1):
                        yield {
                            "facility_id": facility.pk,
                            "month": month,
                            "card_number": card(c, n),
                            "name": f"PESERTA {c}-{n}",
                            "sex": "L" if n % 2 else "P",
                            "birth_date": dt.date(1940, 1, 1) + dt.timedelta(days=n * 7919 % 30000),
                            "phone": f"0813{c:02d}{n:06d}",
                            "source": "import",
                        }
                    base += 50

        count = Copier(RosterEntry).copy(roster_rows())
        print(f"  roster rows: {count:,} ({time.perf_counter() - started:.1f}s)", flush=True)

        ProlanisMember.objects.bulk_create(
            [
                ProlanisMember(
                    facility=facility,
                    card_number=card(c, n),
                    condition="DM" if n % 40 == 0 else "HT",
                    birth_date=dt.date(1940, 1, 1) + dt.timedelta(days=n * 7919 % 30000),
                    name=f"PESERTA {c}-{n}",
                )
                for c, (facility, _p, _d) in enumerate(facilities, start=1)
                for n in range(600, ROSTER + 1)
                if n % 40 == 0 or n % 25 == 0
            ],
            batch_size=5000,
        )

        # Patients: the roster participants who ever visit (cards 1..5,550 cover the churn).
        patient_ids: dict[tuple[int, int], int] = {}
        first_patient = next_id(Patient)

        def patient_rows() -> Iterator[dict[str, Any]]:
            pk = first_patient
            for c, (facility, _p, _d) in enumerate(facilities, start=1):
                for n in range(1, ROSTER + 551):
                    patient_ids[(c, n)] = pk
                    yield {
                        "id": pk,
                        "facility_id": facility.pk,
                        "mrn": f"RM-{n:06d}",
                        "bpjs_card_number": card(c, n),
                        "name": f"PESERTA {c}-{n}",
                        "birth_date": dt.date(1940, 1, 1) + dt.timedelta(days=n * 7919 % 30000),
                        "sex": "L" if n % 2 else "P",
                        "nik": None,
                    }
                    pk += 1

        count = Copier(Patient).copy(patient_rows())
        print(f"  patients: {count:,} ({time.perf_counter() - started:.1f}s)", flush=True)

        visit_pk = next_id(Visit)
        record_pk = next_id(MedicalRecord)
        plan: list[tuple[int, int, int, dt.date, int, int, int, int]] = []

        def visit_rows() -> Iterator[dict[str, Any]]:
            nonlocal visit_pk
            per_day = per_clinic // len(open_days)
            extra = per_clinic - per_day * len(open_days)
            for c, (facility, polis, doctors) in enumerate(facilities, start=1):
                for index, day in enumerate(open_days):
                    month_base = 50 * (day.month - 1)
                    for _ in range(per_day + (1 if index < extra else 0)):
                        n = month_base + 1 + int(rng.paretovariate(1.2) * 40) % ROSTER
                        roll = rng.random()
                        poli = polis[0] if roll < 0.7 else polis[1] if roll < 0.85 else polis[2]
                        doctor = doctors[rng.randrange(3)]
                        plan.append(
                            (
                                visit_pk,
                                record_pk + len(plan),
                                c,
                                day,
                                n,
                                poli.pk,
                                doctor.pk,
                                facility.pk,
                            )
                        )
                        yield {
                            "id": visit_pk,
                            "facility_id": facility.pk,
                            "patient_id": patient_ids[(c, n)],
                            "poli_id": poli.pk,
                            "doctor_id": doctor.pk,
                            "visit_date": day,
                            "payer": "bpjs",
                            "is_sick_visit": poli.is_sick_visit,
                            "status": "done",
                            "eligibility": "verified",
                        }
                        visit_pk += 1

        count = Copier(Visit).copy(visit_rows())
        print(f"  visits: {count:,} ({time.perf_counter() - started:.1f}s)", flush=True)

        def record_rows() -> Iterator[dict[str, Any]]:
            for v_pk, r_pk, c, _day, n, _poli, doctor, facility_id in plan:
                yield {
                    "id": r_pk,
                    "facility_id": facility_id,
                    "visit_id": v_pk,
                    "patient_id": patient_ids[(c, n)],
                    "status": "signed",
                    # about 3 % end in a vertical referral (the referral rows follow)
                    "discharge": "4" if r_pk % 33 == 0 else "3",
                    "doctor_id": doctor,
                    "systolic": 110 + (n * 7 + r_pk) % 50,
                    "diastolic": 65 + (n * 3 + r_pk) % 35,
                }

        count = Copier(MedicalRecord).copy(record_rows())
        print(f"  records: {count:,} ({time.perf_counter() - started:.1f}s)", flush=True)

        referral_records: list[tuple[int, int, str]] = []

        def diagnosis_rows() -> Iterator[dict[str, Any]]:
            for _v, r_pk, _c, _day, _n, _poli, _doctor, facility_id in plan:
                code = rng.choices(codes, weights)[0]
                if r_pk % 33 == 0:
                    referral_records.append((r_pk, facility_id, code))
                yield {
                    "record_id": r_pk,
                    "rank": 1,
                    "code": code,
                    "title": f"Diagnosis {code}",
                    "non_specialist": flags[code],
                }

        count = Copier(RecordDiagnosis).copy(diagnosis_rows())
        print(f"  diagnoses: {count:,} ({time.perf_counter() - started:.1f}s)", flush=True)

        def referral_rows() -> Iterator[dict[str, Any]]:
            for r_pk, facility_id, code in referral_records:
                tacc = flags[code] and rng.random() < 0.5
                yield {
                    "facility_id": facility_id,
                    "record_id": r_pk,
                    "kind": "specialist",
                    "tacc": 3 if tacc else -1,
                    "tacc_reason": f"{code} - x" if tacc else "",
                    "non_specialist": flags[code],
                }

        count = Copier(Referral).copy(referral_rows())
        print(f"  referrals: {count:,} ({time.perf_counter() - started:.1f}s)", flush=True)

        members: dict[int, list[str]] = {}
        for m in ProlanisMember.objects.filter(facility__bpjs_provider_code__startswith=PREFIX):
            members.setdefault(m.facility_id, []).append(m.card_number)
        attendance: list[ProlanisAttendance] = []
        for _c, (facility, _p, _d) in enumerate(facilities, start=1):
            club = ProlanisClub.objects.create(
                facility=facility, name="Klub", group="02", pcare_club_id="1"
            )
            day = YEAR_START
            while day.year == 2025:
                if day.weekday() == 5:
                    activity = ProlanisActivity.objects.create(
                        facility=facility, club=club, date=day, kind="11"
                    )
                    for member_card in rng.sample(members[facility.pk], 80):
                        attendance.append(
                            ProlanisAttendance(
                                activity=activity,
                                facility=facility,
                                date=day,
                                card_number=member_card,
                                systolic=rng.randint(110, 150),
                                diastolic=rng.randint(65, 95),
                                fasting_glucose=rng.randint(80, 180),
                            )
                        )
                day += dt.timedelta(days=1)
        ProlanisAttendance.objects.bulk_create(attendance, batch_size=5000)
        print(f"  attendance: {len(attendance):,} ({time.perf_counter() - started:.1f}s)")
        for model in (Patient, Visit, MedicalRecord, RecordDiagnosis, Referral, RosterEntry):
            reset_sequence(model)
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    print(f"generated in {time.perf_counter() - started:.1f}s", flush=True)


# --- timing -----------------------------------------------------------------------------------


def timed(fn: Callable[[], Any]) -> float:
    started = time.perf_counter()
    fn()
    return (time.perf_counter() - started) * 1000


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--clinics", type=int, default=50)
    parser.add_argument("--visits", type=int, default=2_000_000)
    parser.add_argument("--samples", type=int, default=10)
    parser.add_argument("--regenerate", action="store_true")
    args = parser.parse_args()
    if connection.vendor != "postgresql":
        print("set DATABASE_URL to a PostgreSQL database (see the docstring)")
        return 2
    call_command("migrate", verbosity=0)
    existing = Facility.objects.filter(bpjs_provider_code__startswith=PREFIX)
    if args.regenerate and existing.exists():
        print("dropping the generated network ...", flush=True)
        with connection.cursor() as cursor:
            cursor.execute(
                "TRUNCATE capitation_rosterentry, capitation_prolanisattendance, "
                "capitation_prolanisactivity, capitation_prolanisclub, capitation_prolanismember, "
                "capitation_capitationprofile, referrals_referral, records_recorddiagnosis, "
                "records_medicalrecord, queues_visit, patients_patient, "
                "queues_doctorschedule, queues_doctor, queues_poli CASCADE"
            )
        existing.delete()
    if not existing.exists():
        print(f"generating {args.clinics} clinics, {args.visits:,} visits ...", flush=True)
        generate(args.clinics, args.visits)
    facilities = list(existing.order_by("bpjs_provider_code"))
    visits = Visit.objects.filter(facility__in=facilities).count()
    print(
        f"network: {len(facilities)} clinics, {visits:,} visits in 2025, "
        f"{RosterEntry.objects.filter(facility__in=facilities).count():,} roster rows"
    )

    rng = random.Random(5)
    today = dt.date(2025, 12, 31)
    samples = [(rng.choice(facilities), rng.choice(MONTHS)) for _ in range(args.samples)]
    # The month in progress too: the projection path (as on the 14th).
    samples.append((facilities[0], dt.date(2025, 6, 1)))
    page_users: dict[int, User] = {}

    def page(view: Callable[..., Any], f: Facility, m: dt.date) -> Any:
        """The page as a clinic admin gets it (view, template, charts' data)."""
        user = page_users.get(f.pk)
        if user is None:
            user, _ = User.objects.get_or_create(
                username=f"bench-admin-{f.pk}", defaults={"role": "clinic_admin", "facility": f}
            )
            page_users[f.pk] = user
        request = RequestFactory().get("/capitation/", {"month": f"{m:%Y-%m}"})
        request.user = user
        request.session = {}  # type: ignore[assignment]
        response = view(request)
        assert response.status_code == 200, response.status_code
        return response

    checks: dict[str, Callable[[Facility, dt.date], Any]] = {
        "dashboard page (view + charts)": lambda f, m: page(views.dashboard, f, m),
        "outreach page": lambda f, m: page(views.outreach, f, m),
        "reports page (all four)": lambda f, m: page(views.reports_page, f, m),
        "dashboard (all figures)": lambda f, m: indicators.dashboard(f, m, today),
        "dashboard, month in progress": lambda f, m: indicators.dashboard(
            f, m, m + dt.timedelta(days=13)
        ),
        "contacts count (AK)": lambda f, m: indicators.contacted(
            f.pk, period_for(f.pk, m, today)
        ).count(),
        "outreach list: count + first page": lambda f, m: (
            indicators.not_contacted(f.pk, period_for(f.pk, m, today)).count(),
            list(indicators.not_contacted(f.pk, period_for(f.pk, m, today))[:100]),
        ),
        "referral facts with detail (RRNS)": lambda f, m: indicators.referral_facts(
            f.pk, period_for(f.pk, m, today), detail=True
        ),
        "Prolanis statuses (RPPT)": lambda f, m: indicators.prolanis_status(
            f.pk, period_for(f.pk, m, today)
        ),
        "top-10 diagnoses report": lambda f, m: reports.top_diagnoses(f.pk, m, next_month(m)),
        "visits per poli and day": lambda f, m: reports.visits_per_poli_day(f.pk, m, next_month(m)),
        "referrals by doctor": lambda f, m: reports.referrals_by_doctor(f.pk, m, next_month(m)),
        "unusual-occurrence alert": lambda f, m: reports.unusual_occurrences(
            f.pk, next_month(m) - dt.timedelta(days=1)
        ),
    }
    print(f"\n{'query':40} {'median ms':>10} {'max ms':>10}  target < {TARGET_MS:.0f} ms")
    failed = False
    for name, fn in checks.items():
        fn(*samples[0])  # warm-up
        times = [timed(functools.partial(fn, f, m)) for f, m in samples]
        median, worst = statistics.median(times), max(times)
        ok = worst < TARGET_MS
        failed |= not ok
        print(f"{name:40} {median:10.1f} {worst:10.1f}  {'ok' if ok else 'SLOW'}")
    print("\nall under target" if not failed else "\nsome queries are over the target")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
