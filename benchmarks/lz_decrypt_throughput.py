"""Decrypt + decompress throughput of BPJS responses: our Python transport vs the JS reference.

Builds realistic BPJS-like JSON payloads (a PCare ``diagnosa`` list and a participant roster)
of about 10 KB, 100 KB and 1 MB, encrypts them as BPJS does (LZ-string, AES-256-CBC, base64),
then times ``decrypt_payload`` in Python and the same work in node (Node ``crypto`` plus npm
``lz-string`` 1.5.0 from ``tests/js/node_modules``) in the same run, and prints MB/s of JSON for
both and their ratio. Target: Python at least 0.25x node on the 1 MB payloads.

Run: ``.venv/bin/python benchmarks/lz_decrypt_throughput.py [--min-seconds 1.0]``.
Node is optional: without it (or without ``npm ci --prefix tests/js``) only Python is timed.
"""

from __future__ import annotations

import argparse
import json
import platform
import random
import shutil
import statistics
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bridging.transport.crypto import decrypt_payload, encrypt_payload  # noqa: E402
from bridging.transport.lzstring import compress_to_encoded_uri_component  # noqa: E402

JS_DIR = ROOT / "tests" / "js"
CONS_ID, SECRET, TIMESTAMP = "12345", "S3cr3tK3y", "1700000000"
TARGET_RATIO = 0.25

_SYLLABLES = ["ra", "di", "su", "ti", "wa", "ni", "ko", "me", "lia", "an", "to", "sri", "yu", "ha"]
_STREETS = ["Jl. Merdeka", "Jl. Sudirman", "Gg. Melati", "Jl. Diponegoro", "Perum Griya Asri"]
_DIAG_WORDS = [
    "Acute",
    "Chronic",
    "infection",
    "fever",
    "unspecified",
    "with complication",
    "of upper respiratory tract",
    "Hypertension",
    "Diabetes mellitus",
    "gastroenteritis",
    "Dermatitis",
    "Other",
]


def _name(rng: random.Random) -> str:
    return " ".join(
        "".join(rng.choice(_SYLLABLES) for _ in range(rng.randint(2, 3))).upper()
        for _ in range(rng.randint(1, 3))
    )


def diagnosa_payload(target_bytes: int, seed: int = 1) -> str:
    """``{"count", "list": [{kdDiag, nmDiag, nonSpesialis}]}`` as PCare's diagnosa search answers."""
    rng = random.Random(seed)
    items: list[dict[str, Any]] = []
    size = 0
    while size < target_bytes:
        item = {
            "kdDiag": f"{rng.choice('ABCDEFGHIJKLMNOPQRSTUVWXYZ')}{rng.randint(0, 99):02d}."
            f"{rng.randint(0, 9)}",
            "nmDiag": " ".join(rng.choice(_DIAG_WORDS) for _ in range(rng.randint(2, 6))),
            "nonSpesialis": rng.random() < 0.4,
        }
        items.append(item)
        size += len(json.dumps(item)) + 1
    return json.dumps({"count": len(items), "list": items}, separators=(",", ":"))


def roster_payload(target_bytes: int, seed: int = 2) -> str:
    """A participant list shaped like PCare ``peserta`` objects (invented data)."""
    rng = random.Random(seed)
    items: list[dict[str, Any]] = []
    size = 0
    while size < target_bytes:
        item = {
            "noKartu": f"000{rng.randint(0, 10**10 - 1):010d}",
            "nama": _name(rng),
            "hubunganKeluarga": rng.choice(["Peserta", "Istri", "Suami", "Anak"]),
            "sex": rng.choice("LP"),
            "tglLahir": f"{rng.randint(1, 28):02d}-{rng.randint(1, 12):02d}-{rng.randint(1940, 2020)}",
            "kdProviderPst": {"kdProvider": "0999K001", "nmProvider": "KLINIK PRATAMA SEHAT"},
            "jnsKelas": {"kode": "3", "nama": "KELAS III"},
            "jnsPeserta": rng.choice(
                [{"kode": "22", "nama": "PBI (APBD)"}, {"kode": "15", "nama": "PEKERJA MANDIRI"}]
            ),
            "noHP": f"08{rng.randint(10**9, 10**10 - 1)}",
            "noKTP": f"3273{rng.randint(10**11, 10**12 - 1)}",
            "alamat": f"{rng.choice(_STREETS)} No. {rng.randint(1, 200)}, RT {rng.randint(1, 15):02d}",
            "aktif": rng.random() < 0.9,
            "ketAktif": "AKTIF",
            "keluhan": rng.choice(["", "demam 😷", "batuk pilek", "pusing — mual", "kontrol"]),
        }
        items.append(item)
        size += len(json.dumps(item, ensure_ascii=False).encode()) + 1
    return json.dumps(
        {"count": len(items), "list": items}, ensure_ascii=False, separators=(",", ":")
    )


def time_python(response: str, min_seconds: float) -> tuple[float, float, int]:
    for _ in range(2):
        decrypt_payload(response, cons_id=CONS_ID, secret=SECRET, timestamp=TIMESTAMP)
    times: list[float] = []
    start = time.perf_counter()
    while len(times) < 5 or time.perf_counter() - start < min_seconds:
        t0 = time.perf_counter()
        decrypt_payload(response, cons_id=CONS_ID, secret=SECRET, timestamp=TIMESTAMP)
        times.append(time.perf_counter() - t0)
    return min(times), statistics.median(times), len(times)


def time_node(cases: list[dict[str, str]], min_seconds: float) -> dict[str, dict[str, Any]] | str:
    """Timings per case name, or the reason node could not be used."""
    node = shutil.which("node")
    if node is None:
        return "node is not installed"
    if not (JS_DIR / "node_modules" / "lz-string").is_dir():
        return "tests/js/node_modules is missing (run: npm ci --prefix tests/js)"
    request = {
        "cons_id": CONS_ID,
        "secret": SECRET,
        "timestamp": TIMESTAMP,
        "min_seconds": min_seconds,
        "cases": cases,
    }
    completed = subprocess.run(
        [node, str(JS_DIR / "bench_decrypt.js")],
        input=json.dumps(request).encode(),
        capture_output=True,
        check=False,
        cwd=JS_DIR,
    )
    if completed.returncode != 0:
        return f"node failed: {completed.stderr.decode(errors='replace')[:300]}"
    return {row["name"]: row for row in json.loads(completed.stdout)}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--min-seconds", type=float, default=1.0, help="timing budget per case")
    args = parser.parse_args()

    payloads: list[tuple[str, str]] = []
    for label, size in (("10KB", 10_000), ("100KB", 100_000), ("1MB", 1_000_000)):
        payloads.append((f"diagnosa {label}", diagnosa_payload(size)))
        payloads.append((f"roster {label}", roster_payload(size)))

    cases: list[dict[str, str]] = []
    info: dict[str, dict[str, Any]] = {}
    for name, text in payloads:
        response = encrypt_payload(text, cons_id=CONS_ID, secret=SECRET, timestamp=TIMESTAMP)
        assert (
            decrypt_payload(response, cons_id=CONS_ID, secret=SECRET, timestamp=TIMESTAMP) == text
        )
        lz_len = len(compress_to_encoded_uri_component(text))
        cases.append({"name": name, "response": response})
        info[name] = {"json_bytes": len(text.encode()), "lz_chars": lz_len}

    node = time_node(cases, args.min_seconds)
    print(
        f"Python {platform.python_version()} ({platform.machine()}), timing >= {args.min_seconds}s per case"
    )
    if isinstance(node, str):
        print(f"JavaScript reference skipped: {node}")
    header = f"{'payload':<16} {'JSON KB':>8} {'LZ ratio':>8} {'Python MB/s':>12} {'node MB/s':>10} {'ratio':>6}"
    print(header)
    print("-" * len(header))
    verdicts: list[str] = []
    for case in cases:
        name = case["name"]
        json_mb = info[name]["json_bytes"] / 1e6
        best, _median, _runs = time_python(case["response"], args.min_seconds)
        py_rate = json_mb / best
        node_cell, ratio_cell = "-", "-"
        if not isinstance(node, str):
            node_rate = json_mb / node[name]["best_seconds"]
            node_cell = f"{node_rate:.1f}"
            ratio = py_rate / node_rate
            ratio_cell = f"{ratio:.2f}"
            if name.endswith("1MB"):
                ok = "meets" if ratio >= TARGET_RATIO else "MISSES"
                verdicts.append(
                    f"{name}: Python/node = {ratio:.2f} ({ok} the {TARGET_RATIO} target)"
                )
        lz_ratio = info[name]["json_bytes"] / info[name]["lz_chars"]
        print(
            f"{name:<16} {info[name]['json_bytes'] / 1000:>8.0f} {lz_ratio:>8.2f} "
            f"{py_rate:>12.1f} {node_cell:>10} {ratio_cell:>6}"
        )
    print()
    print("MB/s = MB of decrypted JSON (UTF-8) per second, best run; decrypt = base64 + AES + LZ.")
    for verdict in verdicts:
        print(verdict)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
