"""Patient search latency on 500,000 patients (PostgreSQL), beside a primary-key lookup.

Generates the patients once in a facility of their own (``0999B001``) with COPY, so later runs
reuse them; then times ``patient_search`` (the front desk's search box, through the ORM, as the
page calls it) for each kind of query, and ``Patient.objects.get(pk=...)`` in the same run, and
prints the median and p95 in milliseconds. Target: p95 of every search under 30 ms.

Run (a database of its own, created once)::

    psql postgres://postgres@127.0.0.1:5432/postgres -c "create database klinik_bench"
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/klinik_bench \\
        .venv/bin/python benchmarks/patient_search.py [--patients 500000] [--searches 200]

It migrates the database first. ``--regenerate`` drops and rebuilds the generated patients.
"""

from __future__ import annotations

import argparse
import io
import os
import random
import statistics
import sys
import time
from collections.abc import Callable, Iterator
from datetime import date, timedelta
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "clinic.settings")

import django  # noqa: E402

django.setup()

from django.core.management import call_command  # noqa: E402
from django.db import connection, transaction  # noqa: E402
from django.utils import timezone  # noqa: E402

from clinic.core.models import Facility, User  # noqa: E402
from clinic.patients.models import MrnCounter, Patient, format_mrn  # noqa: E402
from clinic.patients.nik import normalize_name  # noqa: E402
from clinic.patients.selectors import patient_search  # noqa: E402

FACILITY_CODE = "0999B001"
TARGET_P95_MS = 30.0

FIRST_MALE = [
    "AHMAD",
    "BAMBANG",
    "BUDI",
    "DEDI",
    "EKO",
    "FAJAR",
    "GUNAWAN",
    "HENDRA",
    "IRFAN",
    "JOKO",
    "KURNIAWAN",
    "LUKMAN",
    "MUHAMMAD",
    "NUGROHO",
    "OKTAVIANUS",
    "PRASETYO",
    "RUDI",
    "SUGENG",
    "TAUFIK",
    "UMAR",
    "WAHYU",
    "YUSUF",
    "ZAINAL",
    "AGUS",
    "ANDI",
    "ARIF",
    "BAYU",
    "DANI",
    "DIMAS",
    "FIKRI",
    "GALIH",
    "HARI",
    "IMAM",
    "JAKA",
    "KEVIN",
    "RIZKY",
    "SLAMET",
    "TEGUH",
    "YOGA",
]
FIRST_FEMALE = [
    "ANI",
    "BUNGA",
    "CITRA",
    "DEWI",
    "ENDANG",
    "FITRI",
    "GITA",
    "HANI",
    "INDAH",
    "JUWITA",
    "KARTIKA",
    "LESTARI",
    "MAYA",
    "NUR",
    "OKTAVIA",
    "PUTRI",
    "RATNA",
    "SITI",
    "TUTI",
    "UMI",
    "WULAN",
    "YANTI",
    "ZAHRA",
    "AYU",
    "DIAN",
    "EKA",
    "FARAH",
    "INTAN",
    "LINDA",
    "MEGA",
    "NOVI",
    "RINA",
    "SARI",
    "TRI",
    "VINA",
    "WATI",
    "YULI",
    "RAHMA",
    "SRI",
]
MIDDLE = ("", "", "", "NUR", "DWI", "TRI", "ADI", "PUTRA", "PUTRI", "SRI", "EKA", "MUHAMMAD")
LAST = [
    "SANTOSO",
    "WIJAYA",
    "HIDAYAT",
    "NUGROHO",
    "PURNAMA",
    "SUSANTO",
    "RAHAYU",
    "LESTARI",
    "SETIADI",
    "PRATIWI",
    "KUSUMA",
    "SAPUTRA",
    "GUNAWAN",
    "HALIM",
    "SIREGAR",
    "NASUTION",
    "HARAHAP",
    "SIMANJUNTAK",
    "LUBIS",
    "PANJAITAN",
    "SIHOMBING",
    "TAMBUNAN",
    "WIBOWO",
    "HARTONO",
    "SUHARTO",
    "SUDARSO",
    "WAHYUDI",
    "FIRMANSYAH",
    "HERMAWAN",
    "SETIAWAN",
    "KURNIAWATI",
    "MULYADI",
    "HASIBUAN",
    "SITOMPUL",
    "MANURUNG",
    "SINAGA",
    "PANGARIBUAN",
    "RANGKUTI",
    "DAULAY",
    "TANJUNG",
    "PULUNGAN",
    "MARPAUNG",
    "SIMATUPANG",
    "HUTAPEA",
    "SIAHAAN",
    "ARITONANG",
    "NAPITUPULU",
    "PANGESTU",
    "ANGGRAINI",
    "MAHARANI",
    "SEPTIANI",
    "OKTAVIANI",
    "FEBRIANTI",
]


# --- the generated patients (a pure function of n, so queries can be built from n) ------------


def person(n: int) -> dict[str, Any]:
    rnd = random.Random(n * 7919)
    sex = "L" if rnd.random() < 0.5 else "P"
    first = rnd.choice(FIRST_MALE if sex == "L" else FIRST_FEMALE)
    middle = rnd.choice(MIDDLE)
    name = " ".join(part for part in (first, middle, rnd.choice(LAST)) if part)
    birth = date(1935, 1, 1) + timedelta(days=rnd.randrange(0, 32000))
    block, serial = divmod(n, 9999)
    region = f"32{block // 90 + 1:02d}{block % 90 + 1:02d}"
    day = birth.day + (40 if sex == "P" else 0)
    return {
        "mrn": format_mrn(n),
        "nik": f"{region}{day:02d}{birth:%m%y}{serial + 1:04d}",
        "bpjs_card_number": f"0003{n:09d}",
        "name": name,
        "birth_date": birth,
        "sex": sex,
        "phone": f"0857{n:08d}",
    }


def _copy_rows(facility: Facility, start: int, stop: int) -> Iterator[str]:
    now = timezone.now().isoformat()
    for n in range(start, stop):
        p = person(n)
        row = {
            **p,
            "birth_date": p["birth_date"].isoformat(),
            "name_key": normalize_name(p["name"]),
            "phone_normalized": p["phone"],
            "address": f"Jl. Contoh No. {n % 200 + 1}, Bandung",
            "facility_id": str(facility.pk),
            "created_at": now,
            "updated_at": now,
            "likely_duplicate": "f",
            **dict.fromkeys(BLANK_COLUMNS, ""),
        }
        yield "\t".join(str(row[c]) for c in (*COPY_COLUMNS, *BLANK_COLUMNS)) + "\n"


COPY_COLUMNS = (
    "facility_id",
    "mrn",
    "nik",
    "bpjs_card_number",
    "name",
    "birth_date",
    "sex",
    "phone",
    "address",
    "name_key",
    "phone_normalized",
    "created_at",
    "updated_at",
    "likely_duplicate",
)
#: Text columns with no database default that COPY fills with "".
BLANK_COLUMNS = (
    "rt",
    "rw",
    "province_code",
    "regency_code",
    "district_code",
    "village_code",
    "family_card_number",
    "bpjs_eligibility",
    "bpjs_status_text",
    "bpjs_class",
    "bpjs_membership_type",
    "bpjs_provider_code",
    "bpjs_provider_name",
    "bpjs_prolanis",
    "bpjs_prb",
    "bpjs_insurer",
)


def generate(facility: Facility, total: int, *, regenerate: bool) -> None:
    patients = Patient.objects.filter(facility=facility)
    if regenerate:
        patients.delete()
    have = patients.count()
    if have >= total:
        print(f"reusing {have:,} generated patients")
        return
    print(f"generating patients {have + 1:,}..{total:,} with COPY ...", flush=True)
    started = time.perf_counter()
    table = Patient._meta.db_table
    columns = ", ".join((*COPY_COLUMNS, *BLANK_COLUMNS))
    with transaction.atomic(), connection.cursor() as cursor:
        raw = cursor.cursor  # psycopg 3
        batch = 50_000
        for start in range(have + 1, total + 1, batch):
            stop = min(start + batch, total + 1)
            buffer = io.StringIO("".join(_copy_rows(facility, start, stop)))
            with raw.copy(f"COPY {table} ({columns}) FROM STDIN") as copy:
                while chunk := buffer.read(1 << 20):
                    copy.write(chunk)
            print(f"  {stop - 1:,}", flush=True)
    MrnCounter.objects.update_or_create(facility=facility, defaults={"last_number": total})
    with connection.cursor() as cursor:
        cursor.execute(f"VACUUM ANALYZE {table}")
    print(f"generated in {time.perf_counter() - started:.1f} s")


# --- timing -----------------------------------------------------------------------------------


def timed(fn: Callable[[], object], repeat: int) -> list[float]:
    out = []
    for _ in range(repeat):
        started = time.perf_counter()
        fn()
        out.append((time.perf_counter() - started) * 1000)
    return out


def p95(values: list[float]) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))]


def name_part(rnd: random.Random, n: int) -> str:
    word = rnd.choice([w for w in person(n)["name"].split() if len(w) >= 4])
    length = rnd.randint(4, min(7, len(word)))
    start = rnd.randint(0, len(word) - length)
    return word[start : start + length].lower()


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--patients", type=int, default=500_000)
    parser.add_argument("--searches", type=int, default=200)
    parser.add_argument("--regenerate", action="store_true")
    parser.add_argument("--seed", type=int, default=2026)
    args = parser.parse_args()
    if connection.vendor != "postgresql":
        print("This benchmark needs PostgreSQL: set DATABASE_URL=postgres://...", file=sys.stderr)
        return 2

    call_command("migrate", verbosity=0)
    facility, _ = Facility.objects.get_or_create(
        bpjs_provider_code=FACILITY_CODE, defaults={"name": "KLINIK BENCHMARK"}
    )
    user, _ = User.objects.get_or_create(
        username="bench-frontdesk", defaults={"role": "frontdesk", "facility": facility}
    )
    generate(facility, args.patients, regenerate=args.regenerate)

    rnd = random.Random(args.seed)
    total = args.patients
    kinds: dict[str, Callable[[int], str]] = {
        "name part": lambda n: name_part(rnd, n),
        "NIK": lambda n: str(person(n)["nik"]),
        "card": lambda n: str(person(n)["bpjs_card_number"]),
        "phone": lambda n: "+62 " + str(person(n)["phone"])[1:],
        "MRN": lambda n: str(person(n)["mrn"]),
    }
    ids = list(
        Patient.objects.filter(facility=facility)
        .order_by("?")
        .values_list("pk", flat=True)[: args.searches]
    )
    # Warm up the connection and the caches a little, as a running server would be.
    for q in ("budi", "0003000000001", "RM-000001"):
        patient_search(user=user, q=q)

    results: dict[str, list[float]] = {}
    misses = 0
    for kind, make in kinds.items():
        queries = [make(rnd.randint(1, total)) for _ in range(args.searches)]
        timings = []
        for q in queries:
            started = time.perf_counter()
            found = patient_search(user=user, q=q)
            timings.append((time.perf_counter() - started) * 1000)
            misses += not found
        results[kind] = timings
    pk_iter = iter(ids * 2)
    results_pk = timed(lambda: Patient.objects.get(pk=next(pk_iter)), len(ids))

    every = [t for timings in results.values() for t in timings]
    print()
    print(f"PostgreSQL {connection.pg_version}, {total:,} patients, {args.searches} queries/kind")
    print(f"{'query':<22}{'median ms':>10}{'p95 ms':>10}{'max ms':>10}")
    for kind, timings in [*results.items(), ("all searches", every)]:
        print(
            f"{kind:<22}{statistics.median(timings):>10.2f}{p95(timings):>10.2f}"
            f"{max(timings):>10.2f}"
        )
    print(
        f"{'primary-key lookup':<22}{statistics.median(results_pk):>10.2f}"
        f"{p95(results_pk):>10.2f}{max(results_pk):>10.2f}"
    )
    worst = max(p95(t) for t in results.values())
    verdict = "PASS" if worst < TARGET_P95_MS else "FAIL"
    print(f"target: p95 < {TARGET_P95_MS:g} ms for every kind -> worst {worst:.2f} ms {verdict}")
    if misses:
        print(f"note: {misses} searches found nothing")
    return 0 if worst < TARGET_P95_MS else 1


if __name__ == "__main__":
    raise SystemExit(main())
