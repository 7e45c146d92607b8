"""One sandbox per test session (per xdist worker), reset before every test."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from zoneinfo import ZoneInfo

import pytest

from tests.sandbox.bpjs import Bpjs
from tests.support.sandbox import SandboxServer

WIB = ZoneInfo("Asia/Jakarta")


@pytest.fixture(scope="session")
def sandbox_server() -> Iterator[SandboxServer]:
    with SandboxServer() as server:
        yield server


@pytest.fixture
def sandbox(sandbox_server: SandboxServer) -> SandboxServer:
    sandbox_server.reset()
    return sandbox_server


@pytest.fixture
def pcare(sandbox: SandboxServer) -> Bpjs:
    return Bpjs(sandbox.pcare_url)


@pytest.fixture
def antrean(sandbox: SandboxServer) -> Bpjs:
    return Bpjs(sandbox.antrean_url, authorization="")


@pytest.fixture
def icare(sandbox: SandboxServer) -> Bpjs:
    return Bpjs(sandbox.icare_url)


@pytest.fixture
def vclaim(sandbox: SandboxServer) -> Bpjs:
    return Bpjs(sandbox.vclaim_url, authorization="")


def today_wib() -> dt.date:
    return dt.datetime.now(WIB).date()


@pytest.fixture
def today() -> dt.date:
    return today_wib()


@pytest.fixture
def tgl(today: dt.date) -> str:
    """Today in PCare's dd-mm-yyyy."""
    return today.strftime("%d-%m-%Y")
