"""Fixtures for the transport tests: golden vectors and the JavaScript lz-string reference."""

from __future__ import annotations

import json
import shutil
import subprocess
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

VECTORS_PATH = Path("/work/shared/bpjs/vectors.json")
JS_DIR = Path(__file__).resolve().parents[2] / "js"
LZ_BATCH_SCRIPT = JS_DIR / "lz_batch.js"

LzRunner = Callable[[str, list[str]], list[str | None]]


@pytest.fixture(scope="session")
def vectors() -> dict[str, Any]:
    return json.loads(VECTORS_PATH.read_text(encoding="utf-8"))


def _ensure_node_modules(node: str) -> str | None:
    """Return a reason to skip, or None when tests/js/node_modules/lz-string is usable."""
    if (JS_DIR / "node_modules" / "lz-string").is_dir():
        return None
    npm = shutil.which("npm")
    if npm is None:
        return (
            f"node found at {node} but npm is missing, so tests/js/node_modules cannot be installed"
        )
    try:
        subprocess.run(
            [npm, "ci", "--prefix", str(JS_DIR), "--no-audit", "--no-fund"],
            check=True,
            capture_output=True,
            timeout=300,
        )
    except (subprocess.CalledProcessError, subprocess.TimeoutExpired, OSError) as exc:
        return f"`npm ci --prefix tests/js` failed ({exc}); cannot load the lz-string reference"
    if not (JS_DIR / "node_modules" / "lz-string").is_dir():
        return "`npm ci --prefix tests/js` ran but node_modules/lz-string is still missing"
    return None


@pytest.fixture(scope="session")
def lz_node() -> LzRunner:
    """Run JavaScript lz-string 1.5.0 over a whole batch in one node process."""
    node = shutil.which("node")
    if node is None:
        pytest.skip(
            "node is not installed: the differential test against JavaScript lz-string needs it"
        )
    reason = _ensure_node_modules(node)
    if reason is not None:
        pytest.skip(reason)

    def run(op: str, inputs: list[str]) -> list[str | None]:
        # ensure_ascii escapes lone surrogates as \\udXXX, which JSON.parse turns back into
        # lone UTF-16 code units (and JSON.stringify escapes them again on the way back).
        payload = json.dumps({"op": op, "inputs": inputs}, ensure_ascii=True)
        completed = subprocess.run(
            [node, str(LZ_BATCH_SCRIPT)],
            input=payload.encode("ascii"),
            capture_output=True,
            check=True,
            cwd=JS_DIR,
            timeout=300,
        )
        results: list[str | None] = json.loads(completed.stdout.decode("utf-8"))
        assert len(results) == len(inputs)
        return results

    return run
