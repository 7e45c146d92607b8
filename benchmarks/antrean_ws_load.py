"""Load benchmark of the Antrean FKTP web service (Mobile JKN) on PostgreSQL.

Starts the clinic with gunicorn as docker-compose.yml's ``antrean-ws`` service runs it (4 sync
workers; ``--worker-class gthread --workers 3 --threads 4`` for the web service's shape),
persistent database connections, on a database of its own, seeds one poli with a quota large
enough for the run and enough distinct patients, then drives it with 32 concurrent
clients (a small asyncio HTTP/1.1 generator) for three endpoints in the same run:

* ``GET /ws/antreanfktp/_klinik/ping``: a trivial JSON answer, the server's baseline;
* ``GET /ws/antreanfktp/antrean/status/001/{day}``;
* ``POST /ws/antreanfktp/antrean``: every request a different patient; successful bookings
  are counted apart from refusals.

It prints throughput and p50/p99 latency for each and checks the targets: status at least
half the baseline's throughput, booking at least a fifth, p99 under 100 ms for both.

Run: ``.venv/bin/python benchmarks/antrean_ws_load.py [--seconds 10] [--clients 32]
[--workers 4] [--threads 1] [--worker-class sync|gthread]
[--database-url postgres://postgres@127.0.0.1:5432/antrean_ws_bench]``. The database is
dropped and created again (its name must end in ``_bench``). Sync workers close the connection
after each answer; the clients then reconnect, as BPJS's would.
"""

from __future__ import annotations

import argparse
import asyncio
import datetime as dt
import json
import os
import platform
import statistics
import subprocess
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlparse

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from clinic.core.processes import ProcessGroup, free_port, wait_for_port, web_command  # noqa: E402

DEFAULT_DB = "postgres://postgres@127.0.0.1:5432/antrean_ws_bench"
WIB = dt.timezone(dt.timedelta(hours=7))


# ---- seeding (runs in a child process configured for the benchmark database) --------------------
def seed(day: dt.date, patients: int) -> dict[str, str]:
    import django

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "clinic.settings")
    django.setup()
    from bridging.antrean_ws import tokens
    from bridging.antrean_ws.models import AntreanWsAccount
    from clinic.core.models import Facility
    from clinic.patients.models import Patient
    from clinic.queues.models import Doctor, DoctorSchedule, Poli

    facility = Facility.objects.create(name="KLINIK BENCH", bpjs_provider_code="0999K001")
    poli = Poli.objects.create(facility=facility, name="Umum", pcare_code="001", queue_prefix="A")
    doctor = Doctor.objects.create(facility=facility, name="dr. ANDI PRATAMA", pcare_code="131491")
    DoctorSchedule.objects.create(
        facility=facility,
        poli=poli,
        doctor=doctor,
        weekday=day.weekday(),
        start_time=dt.time(0, 0),
        end_time=dt.time(23, 59),
        daily_quota=10_000_000,
    )
    batch = []
    for n in range(1, patients + 1):
        batch.append(
            Patient(
                facility=facility,
                mrn=f"RM-{n:06d}",
                nik=f"3273020101{n:06d}",
                bpjs_card_number=f"0002{n:09d}",
                name=f"PASIEN {n}",
                birth_date=dt.date(1990, 1, 1),
                sex="L",
            )
        )
        if len(batch) == 5000:
            Patient.objects.bulk_create(batch)
            batch = []
    Patient.objects.bulk_create(batch)
    account = AntreanWsAccount(
        facility=facility, username="mobilejkn", rate_per_second=10**6, rate_burst=10**6
    )
    account.set_password("Demo#2026")
    account.save()
    return {"token": tokens.issue(account)}


# ---- CPU accounting (Linux /proc; elsewhere the figures are left out) ---------------------------
def _cpu_snapshot(server_sid: int) -> dict[str, float] | None:
    """CPU seconds used so far by the server (every process of its session), PostgreSQL's
    processes, this load generator, and the whole machine (busy time of all CPUs)."""
    if not os.path.exists("/proc/stat"):
        return None
    tick = os.sysconf("SC_CLK_TCK")
    totals = {"server": 0.0, "postgres": 0.0, "generator": 0.0}
    me = os.getpid()
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            with open(f"/proc/{entry}/stat") as f:
                raw = f.read()
        except OSError:
            continue
        comm = raw[raw.index("(") + 1 : raw.rindex(")")]
        fields = raw[raw.rindex(")") + 2 :].split()
        seconds = (int(fields[11]) + int(fields[12])) / tick  # utime, stime
        if int(entry) == me:
            totals["generator"] += seconds
        elif int(fields[3]) == server_sid:  # session id
            totals["server"] += seconds
        elif comm.startswith("postgres"):
            totals["postgres"] += seconds
    with open("/proc/stat") as f:
        cpu = [int(v) for v in f.readline().split()[1:]]
    totals["machine"] = (sum(cpu[:8]) - cpu[3] - cpu[4]) / tick  # all but idle and iowait
    return totals


def _cpu_per_request(
    before: dict[str, float] | None, after: dict[str, float] | None, requests: int
) -> str:
    if before is None or after is None or not requests:
        return ""
    ms = {k: (after[k] - before[k]) * 1000 / requests for k in before}
    return (
        f"{ms['machine']:.2f} ms (server {ms['server']:.2f}, PostgreSQL {ms['postgres']:.2f}, "
        f"load generator {ms['generator']:.2f})"
    )


# ---- the load generator -----------------------------------------------------------------------
@dataclass
class Result:
    name: str
    latencies: list[float] = field(default_factory=list)
    codes: dict[str, int] = field(default_factory=dict)
    seconds: float = 0.0

    @property
    def throughput(self) -> float:
        return len(self.latencies) / self.seconds if self.seconds else 0.0

    def pct(self, p: float) -> float:
        ordered = sorted(self.latencies)
        if not ordered:
            return 0.0
        return ordered[min(len(ordered) - 1, max(0, round(p / 100 * len(ordered)) - 1))] * 1000


async def _client(
    host: str,
    port: int,
    make_request: object,
    deadline: float,
    result: Result,
) -> None:
    reader, writer = await asyncio.open_connection(host, port)
    try:
        while time.perf_counter() < deadline:
            request: bytes = make_request()  # type: ignore[operator]
            started = time.perf_counter()
            writer.write(request)
            head = await reader.readuntil(b"\r\n\r\n")
            length = 0
            for line in head.split(b"\r\n"):
                if line.lower().startswith(b"content-length:"):
                    length = int(line.split(b":", 1)[1])
            body = await reader.readexactly(length)
            result.latencies.append(time.perf_counter() - started)
            status = head.split(b" ", 2)[1].decode()
            try:
                code = str(json.loads(body)["metadata"]["code"])
            except (ValueError, KeyError):
                code = "?"
            key = f"HTTP {status} code {code}"
            result.codes[key] = result.codes.get(key, 0) + 1
            if b"connection: close" in head.lower():
                writer.close()
                reader, writer = await asyncio.open_connection(host, port)
    finally:
        writer.close()


async def _drive(
    host: str, port: int, name: str, make_request: object, clients: int, seconds: float
) -> Result:
    result = Result(name)
    started = time.perf_counter()
    deadline = started + seconds
    await asyncio.gather(
        *(_client(host, port, make_request, deadline, result) for _ in range(clients))
    )
    result.seconds = time.perf_counter() - started
    return result


def _get(path: str, host: str, headers: dict[str, str]) -> bytes:
    lines = [f"GET {path} HTTP/1.1", f"Host: {host}"] + [f"{k}: {v}" for k, v in headers.items()]
    return ("\r\n".join(lines) + "\r\n\r\n").encode()


def _post(path: str, host: str, headers: dict[str, str], body: dict[str, object]) -> bytes:
    data = json.dumps(body).encode()
    lines = [
        f"POST {path} HTTP/1.1",
        f"Host: {host}",
        "Content-Type: application/json",
        f"Content-Length: {len(data)}",
    ] + [f"{k}: {v}" for k, v in headers.items()]
    return ("\r\n".join(lines) + "\r\n\r\n").encode() + data


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--seconds", type=float, default=10.0)
    parser.add_argument("--clients", type=int, default=32)
    # The shape of docker-compose.yml's antrean-ws service: 4 sync workers. The web service
    # (Dockerfile) runs gthread, 3 workers x 4 threads.
    parser.add_argument("--workers", type=int, default=4)
    parser.add_argument("--threads", type=int, default=1)
    parser.add_argument("--worker-class", default="sync", choices=["gthread", "sync"])
    parser.add_argument("--patients", type=int, default=60_000)
    parser.add_argument("--database-url", default=os.environ.get("ANTREAN_WS_BENCH_DB", DEFAULT_DB))
    args = parser.parse_args()

    url = urlparse(args.database_url)
    name = url.path.lstrip("/")
    if url.scheme not in ("postgres", "postgresql") or not name.endswith("_bench"):
        print("--database-url must be a PostgreSQL database whose name ends in _bench")
        return 2
    admin_url = args.database_url.rsplit("/", 1)[0] + "/postgres"
    import psycopg

    with psycopg.connect(admin_url, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}"')
        conn.execute(f'CREATE DATABASE "{name}"')

    env = dict(os.environ)
    env.update(
        DATABASE_URL=args.database_url,
        DJANGO_SETTINGS_MODULE="clinic.settings",
        DEBUG="false",
        LOG_LEVEL="WARNING",
        CONN_MAX_AGE="600",
    )
    day = (dt.datetime.now(WIB) + dt.timedelta(days=1)).date()
    print(f"migrating and seeding {args.patients} patients ...", flush=True)
    subprocess.run(
        [sys.executable, "manage.py", "migrate", "--noinput", "-v", "0"],
        cwd=ROOT,
        env=env,
        check=True,
    )
    seeded = subprocess.run(
        [sys.executable, __file__, "--seed", day.isoformat(), str(args.patients)],
        cwd=ROOT,
        env=env,
        check=True,
        capture_output=True,
        text=True,
    )
    token = json.loads(seeded.stdout.strip().splitlines()[-1])["token"]
    # As a database in service would be: statistics gathered, and the seed's writes flushed, so
    # autovacuum and a checkpoint do not land in the middle of a measurement.
    with psycopg.connect(args.database_url, autocommit=True) as conn:
        conn.execute("VACUUM ANALYZE")
        conn.execute("CHECKPOINT")

    host, port = "127.0.0.1", free_port()
    group = ProcessGroup(env=env)
    command = list(
        web_command(
            host, port, workers=args.workers, threads=args.threads, worker_class=args.worker_class
        )
    )
    command[command.index("--access-logfile") + 1] = "/dev/null"
    group.start("web", command, stdout=subprocess.DEVNULL)
    try:
        if not wait_for_port(host, port, timeout=30):
            print("the clinic did not start")
            return 1
        hostport = f"{host}:{port}"
        headers = {"x-username": "mobilejkn", "x-token": token}
        base = "/ws/antreanfktp"
        ping = _get(f"{base}/_klinik/ping", hostport, {})
        status = _get(f"{base}/antrean/status/001/{day.isoformat()}", hostport, headers)
        counter = iter(range(1, args.patients + 1))

        def booking() -> bytes:
            n = next(counter)
            return _post(
                f"{base}/antrean",
                hostport,
                headers,
                {
                    "nomorkartu": f"0002{n:09d}",
                    "nik": f"3273020101{n:06d}",
                    "kodepoli": "001",
                    "tanggalperiksa": day.isoformat(),
                    "keluhan": "demam",
                },
            )

        # Warm up every worker and connection, then measure.
        asyncio.run(_drive(host, port, "warm-up", lambda: ping, args.clients, 1.0))
        server_sid = group.procs["web"].pid  # the leader of its own session
        results = []
        cpu = {}
        for label, make in (
            ("GET ping (trivial JSON)", lambda: ping),
            ("GET antrean/status", lambda: status),
            ("POST antrean", booking),
        ):
            before = _cpu_snapshot(server_sid)
            result = asyncio.run(_drive(host, port, label, make, args.clients, args.seconds))
            cpu[label] = _cpu_per_request(before, _cpu_snapshot(server_sid), len(result.latencies))
            results.append(result)
    finally:
        group.stop()

    print(
        f"\nAntrean WS load: {args.clients} clients, {args.seconds:.0f} s each, gunicorn "
        f"{args.workers} workers x {args.threads} threads ({args.worker_class}), PostgreSQL, "
        f"Python {platform.python_version()}, {os.cpu_count()} CPUs"
    )
    print(f"{'endpoint':28} {'req/s':>9} {'p50 ms':>8} {'p99 ms':>8}  answers")
    for r in results:
        answers = ", ".join(f"{k}: {v}" for k, v in sorted(r.codes.items()))
        print(f"{r.name:28} {r.throughput:9.0f} {r.pct(50):8.1f} {r.pct(99):8.1f}  {answers}")
    if any(cpu.values()):
        print(
            "\nCPU per request, all CPUs together (the machine's figure includes everything else):"
        )
        for r in results:
            print(f"  {r.name:28} {cpu[r.name]}")
    trivial, status_r, book_r = results
    booked = book_r.codes.get("HTTP 200 code 200", 0)
    print(
        f"\nPOST antrean: {booked} successful bookings ({booked / book_r.seconds:.0f}/s), "
        f"{len(book_r.latencies) - booked} refusals"
    )
    checks = [
        ("status >= 1/2 trivial", status_r.throughput >= trivial.throughput / 2),
        ("booking >= 1/5 trivial", book_r.throughput >= trivial.throughput / 5),
        ("status p99 < 100 ms", status_r.pct(99) < 100),
        ("booking p99 < 100 ms", book_r.pct(99) < 100),
        ("every booking succeeded", booked == len(book_r.latencies)),
    ]
    for label, passed in checks:
        print(f"  {'PASS' if passed else 'FAIL'}  {label}")
    print(
        f"  ratios: status {status_r.throughput / trivial.throughput:.2f}, "
        f"booking {book_r.throughput / trivial.throughput:.2f} of trivial; "
        f"median status latency {statistics.median(status_r.latencies) * 1000:.1f} ms"
    )
    return 0 if all(passed for _, passed in checks) else 1


if __name__ == "__main__":
    if len(sys.argv) == 4 and sys.argv[1] == "--seed":
        print(json.dumps(seed(dt.date.fromisoformat(sys.argv[2]), int(sys.argv[3]))))
        sys.exit(0)
    sys.exit(main())
