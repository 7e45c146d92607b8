"""Fixtures for the typed-client tests: one sandbox per session, reset before every test."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from datetime import date, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import pytest

from bridging.antrean import AntreanFktpClient
from bridging.icare import IcareClient
from bridging.pcare import PcareClient
from bridging.transport.http import ServiceConfig
from bridging.vclaim import VclaimClient
from tests.support.sandbox import SandboxServer

WIB = ZoneInfo("Asia/Jakarta")
CREDENTIALS: dict[str, str] = {
    "cons_id": "1000",
    "secret": "sandbox-secret",
    "user_key": "sandbox-user-key",
}
PCARE_LOGIN: dict[str, str] = {"username": "klinik.demo", "password": "Demo#2026"}
PATHS = {
    "pcare": "pcare-rest-dev",
    "antreanfktp": "antreanfktp_dev",
    "icare": "ihs_dev",
    "vclaim": "vclaim-rest-dev",
}


@pytest.fixture(scope="session")
def sandbox() -> Iterator[SandboxServer]:
    server = SandboxServer()
    server.start()
    try:
        yield server
    finally:
        server.stop()


@pytest.fixture
def sandbox_url(sandbox: SandboxServer) -> str:
    return str(sandbox.base_url).rstrip("/")


@pytest.fixture
def sandbox_control(sandbox: SandboxServer) -> Callable[..., Any]:
    """Call the control surface: ``sandbox_control("PUT", "faults", {...})``."""

    def control(method: str, path: str, body: Any = None, **params: Any) -> Any:
        return sandbox.control(method, f"/{path}", body, **params)

    return control


@pytest.fixture(autouse=True)
def _reset_sandbox(request: pytest.FixtureRequest) -> None:
    # Tests that talk to the sandbox start from its seeded state; the others never start it.
    if "sandbox_url" in request.fixturenames:
        server: SandboxServer = request.getfixturevalue("sandbox")
        server.reset()


@pytest.fixture
def sandbox_state(sandbox_control: Callable[..., Any]) -> Callable[..., list[dict[str, Any]]]:
    """Everything the sandbox holds of one kind (``pendaftaran``, ``kunjungan``, ...)."""

    def state(kind: str, **params: Any) -> list[dict[str, Any]]:
        answer = sandbox_control("GET", f"state/{kind}", **params)
        if isinstance(answer, dict):
            for value in answer.values():
                if isinstance(value, list):
                    return value
        return list(answer or [])

    return state


@pytest.fixture
def sandbox_requests(sandbox_control: Callable[..., Any]) -> Callable[[str], list[dict[str, Any]]]:
    def logged(service: str) -> list[dict[str, Any]]:
        answer = sandbox_control("GET", "requests", service=service, limit=100)
        return list(answer["requests"])

    return logged


def _config(base: str, service: str, **extra: Any) -> ServiceConfig:
    return ServiceConfig(
        service=service,
        base_url=f"{base}/{PATHS[service]}",
        read_timeout=10.0,
        **{**CREDENTIALS, **extra},
    )


@pytest.fixture
def pcare_config(sandbox_url: str) -> ServiceConfig:
    return _config(sandbox_url, "pcare", **PCARE_LOGIN)


@pytest.fixture
def antrean_config(sandbox_url: str) -> ServiceConfig:
    return _config(sandbox_url, "antreanfktp")


@pytest.fixture
def pcare(pcare_config: ServiceConfig) -> PcareClient:
    return PcareClient.from_config(pcare_config)


@pytest.fixture
def antrean(antrean_config: ServiceConfig) -> AntreanFktpClient:
    return AntreanFktpClient.from_config(antrean_config)


@pytest.fixture
def icare(sandbox_url: str) -> IcareClient:
    return IcareClient.from_config(_config(sandbox_url, "icare", **PCARE_LOGIN))


@pytest.fixture
def icare_fkrtl(sandbox_url: str) -> IcareClient:
    """A hospital's iCare client: no PCare login."""
    return IcareClient.from_config(_config(sandbox_url, "icare"))


@pytest.fixture
def vclaim(sandbox_url: str) -> VclaimClient:
    return VclaimClient.from_config(_config(sandbox_url, "vclaim"))


@pytest.fixture
def today() -> date:
    """Today in WIB, as the sandbox counts it."""
    return datetime.now(WIB).date()


@pytest.fixture
def open_day(today: date) -> date:
    """The first day after today with a schedule (Monday to Saturday)."""
    day = today + timedelta(days=1)
    while day.weekday() == 6:
        day += timedelta(days=1)
    return day


@pytest.fixture
def closed_day(today: date) -> date:
    """The next Sunday."""
    return today + timedelta(days=(6 - today.weekday()) or 7)
