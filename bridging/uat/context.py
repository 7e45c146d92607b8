"""Everything a UAT step needs: the facility, the environment, the typed clients (recording
what they send), the clinic's web service, the test participants and what earlier steps left."""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import Any, TypeVar
from zoneinfo import ZoneInfo

from bridging.antrean import AntreanFktpClient
from bridging.credentials import service_config
from bridging.icare import IcareClient
from bridging.pcare import PcareClient
from bridging.pcare.base import ServiceClient
from bridging.uat import roster
from bridging.uat.recording import HttpAnswer, Recorder, RecordingTransport
from bridging.uat.scenarios.base import StepSkipped

WIB = ZoneInfo("Asia/Jakarta")
DEFAULT_CLINIC_URL = "http://127.0.0.1:8000/ws/antreanfktp"
DEMO_WS_USERNAME = "mobilejkn"
DEMO_WS_PASSWORD = "Demo#2026"  # the demo seed's; any other installation passes its own
SANDBOX_CARD = "0001000000001"
SANDBOX_NIK = "3273010507850001"

C = TypeVar("C", bound=ServiceClient)


def today_wib() -> date:
    return datetime.now(WIB).date()


def first_open_day_after(day: date) -> date:
    """The first day after ``day`` that is not a Sunday (the demo clinic's closed day)."""
    nxt = day + timedelta(days=1)
    return nxt + timedelta(days=1) if nxt.weekday() == 6 else nxt


def next_sunday_after(day: date) -> date:
    return day + timedelta(days=(6 - day.weekday()) or 7)


@dataclass
class UatOptions:
    clinic_url: str = DEFAULT_CLINIC_URL
    ws_username: str = DEMO_WS_USERNAME
    ws_password: str = DEMO_WS_PASSWORD
    card_number: str = ""  # looked up (peserta, iCare); default: the environment's test card
    nik: str = ""
    poli_code: str = "001"
    doctor_code: str = "131491"
    diagnosis_code: str = "A09"  # outpatient visit
    referral_diagnosis_code: str = "K80.2"  # a specialist diagnosis (no TACC needed)
    referral_subspecialty: str = "3"  # PENYAKIT DALAM
    referral_facility_type: str = "1"
    drug_code: str = "110100020"
    procedure_code: str = "01001"
    token_wait_seconds: float = 2.5
    seed: int | None = None


@dataclass
class UatContext:
    facility_id: int
    environment: str
    options: UatOptions
    recorder: Recorder = field(default_factory=Recorder)
    state: dict[str, Any] = field(default_factory=dict)
    _clients: dict[str, ServiceClient] = field(default_factory=dict)

    def __post_init__(self) -> None:
        self.recorder.add_secrets(self.options.ws_password)
        self.random = random.Random(self.options.seed)
        self.today = today_wib()
        self.open_day = first_open_day_after(self.today)
        if not self.options.card_number:
            self.options.card_number = SANDBOX_CARD
            if not self.options.nik:
                self.options.nik = SANDBOX_NIK
        # Participants the writing scenarios use: roster members (sandbox), drawn per run so
        # that data left by an earlier run on the same day does not get in the way.
        picks = self.random.sample(range(2501, roster.SIZE + 1), 4)
        self.state["pcare_card"] = roster.card_number(picks[0])
        self.state["pcare_card_referral"] = roster.card_number(picks[1])
        self.state["antrean_card_called"] = roster.card_number(picks[2])
        self.state["antrean_card_cancelled"] = roster.card_number(picks[3])
        self.state["antrean_number"] = self.random.randint(500, 9899)
        self.state["ws_roster_start"] = self.random.randint(1, 2500)

    # ---- BPJS clients ------------------------------------------------------------------------
    def _client(self, kind: type[C], service: str) -> C:
        client = self._clients.get(service)
        if client is None:
            config = service_config(
                facility_id=self.facility_id, service=service, environment=self.environment
            )
            transport = RecordingTransport(config)
            transport.recorder = self.recorder
            client = kind(transport)
            self._clients[service] = client
        return client  # type: ignore[return-value]

    @property
    def pcare(self) -> PcareClient:
        return self._client(PcareClient, "pcare")

    @property
    def antrean(self) -> AntreanFktpClient:
        return self._client(AntreanFktpClient, "antreanfktp")

    @property
    def icare(self) -> IcareClient:
        return self._client(IcareClient, "icare")

    def close(self) -> None:
        for client in self._clients.values():
            client.transport.close()
        self.recorder.session.close()

    # ---- state between steps -----------------------------------------------------------------
    def need(self, key: str, what: str) -> Any:
        """A value an earlier step left, or skip: ``what`` names that step for the report."""
        value = self.state.get(key)
        if value is None:
            raise StepSkipped(f"Bergantung pada langkah “{what}” yang tidak berhasil.")
        return value

    # ---- the clinic's web service, called as BPJS calls it -----------------------------------
    def ws_url(self, path: str) -> str:
        return f"{self.options.clinic_url.rstrip('/')}/{path.lstrip('/')}"

    def ws(
        self, method: str, path: str, *, token: str | None = None, body: Any = None
    ) -> HttpAnswer:
        headers = {"Content-Type": "application/json", "x-username": self.options.ws_username}
        if token is not None:
            headers["x-token"] = token
        return self.recorder.http(method, self.ws_url(path), headers=headers, body=body)

    def ws_login(self, password: str | None = None) -> HttpAnswer:
        headers = {
            "x-username": self.options.ws_username,
            "x-password": self.options.ws_password if password is None else password,
        }
        return self.recorder.http("GET", self.ws_url("auth"), headers=headers)

    def ws_token(self) -> str:
        """A fresh token (not recorded as its own step)."""
        answer = self.ws_login()
        token = answer.response.get("token") if isinstance(answer.response, dict) else None
        if answer.code != 200 or not token:
            raise StepSkipped("Token web service klinik tidak didapat: " + answer.describe())
        self.recorder.add_secrets(str(token))
        return str(token)
