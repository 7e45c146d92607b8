"""ICD-10 search latency over the full list (about 12,000 codes), as the encounter form calls it.

Migrates the database (the ICD-10 table is loaded by the records migration, or refreshed by
``manage.py icd10_load``), then times ``icd10_search`` for code prefixes (with and without the
dot), single words, several words and words that match nothing, and prints the median and p95
in milliseconds per kind and overall. Target: p95 under 50 ms.

Run (SQLite by default; set DATABASE_URL for PostgreSQL, a database of its own)::

    .venv/bin/python benchmarks/icd10_search.py [--rounds 20]
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/klinik_bench \\
        .venv/bin/python benchmarks/icd10_search.py
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "clinic.settings")

import django  # noqa: E402

django.setup()

from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402

from clinic.records.icd10 import icd10_search  # noqa: E402
from clinic.records.models import Icd10Code  # noqa: E402

TARGET_P95_MS = 50.0

QUERIES: dict[str, list[str]] = {
    "code prefix": ["A0", "A09", "J06", "J06.9", "j069", "K29.7", "E11", "I1", "Z00.0", "S52"],
    "one word": ["diarrhoea", "fever", "hypertension", "diabetes", "fracture", "asthma"],
    "words": [
        "acute upper respiratory",
        "gastritis unspecified",
        "essential hypertension",
        "type 2 diabetes without complications",
        "otitis media",
    ],
    "no match": ["xyzzy", "qwertyuiop", "A99.9"],
}


def percentile(values: list[float], pct: float) -> float:
    ordered = sorted(values)
    index = min(len(ordered) - 1, max(0, round(pct / 100 * (len(ordered) - 1))))
    return ordered[index]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=20, help="times each query is run")
    args = parser.parse_args()

    call_command("migrate", verbosity=0)
    if not Icd10Code.objects.exists():
        call_command("icd10_load", verbosity=0)
    count = Icd10Code.objects.count()
    print(f"database: {connection.vendor}; ICD-10 codes: {count}")

    for query in [q for qs in QUERIES.values() for q in qs]:
        icd10_search(query)  # warm up
    all_ms: list[float] = []
    print(f"{'kind':<14}{'queries':>8}{'median ms':>12}{'p95 ms':>10}{'results':>9}")
    for kind, queries in QUERIES.items():
        timings: list[float] = []
        results = 0
        for _ in range(args.rounds):
            for query in queries:
                start = time.perf_counter()
                found = icd10_search(query)
                timings.append((time.perf_counter() - start) * 1000)
                results = max(results, len(found))
        all_ms.extend(timings)
        print(
            f"{kind:<14}{len(timings):>8}{statistics.median(timings):>12.2f}"
            f"{percentile(timings, 95):>10.2f}{results:>9}"
        )
    p95 = percentile(all_ms, 95)
    print(f"{'all':<14}{len(all_ms):>8}{statistics.median(all_ms):>12.2f}{p95:>10.2f}")
    verdict = "OK" if p95 < TARGET_P95_MS else "TOO SLOW"
    print(f"p95 {p95:.2f} ms, target < {TARGET_P95_MS:.0f} ms: {verdict}")


if __name__ == "__main__":
    main()
