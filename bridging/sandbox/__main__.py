"""``python -m bridging.sandbox serve --host 127.0.0.1 --port 8001 --db var/sandbox.sqlite3``."""

from __future__ import annotations

import argparse
import sys

from bridging.sandbox.serve import serve


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bridging.sandbox")
    commands = parser.add_subparsers(dest="command", required=True)
    run = commands.add_parser("serve", help="serve the sandbox with gunicorn")
    run.add_argument("--host", default="127.0.0.1")
    run.add_argument("--port", type=int, default=8001)
    run.add_argument("--db", default="var/sandbox.sqlite3", help="the sandbox's SQLite file")
    run.add_argument("--threads", type=int, default=64, help="gthread threads (hangs hold one)")
    run.add_argument("--log-level", default="warning")
    args = parser.parse_args(argv)
    serve(
        host=args.host,
        port=args.port,
        db_path=args.db,
        threads=args.threads,
        log_level=args.log_level,
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
