"""The sandbox's 5,000 roster participants, computed (SANDBOX.md "The roster").

The UAT runner books roster participants the clinic does not know yet, so that the clinic's
web service first answers 202 (pasien baru) and then registers them from the data below.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

SIZE = 5000
_EPOCH = date(1940, 1, 1)
_FIRST = {
    "L": (
        "AHMAD",
        "BAMBANG",
        "DEDI",
        "EKO",
        "FAJAR",
        "GUNAWAN",
        "HENDRA",
        "IRFAN",
        "JOKO",
        "KURNIAWAN",
    ),
    "P": ("ANI", "BUNGA", "CITRA", "DIAN", "ENDANG", "FITRI", "GITA", "HANI", "INDAH", "JUWITA"),
}
_LAST = (
    "SAPUTRA",
    "WIJAYA",
    "HIDAYAT",
    "NUGROHO",
    "PURNAMA",
    "SUSANTO",
    "RAHAYU",
    "LESTARI",
    "SETIADI",
    "PRATIWI",
)


@dataclass(frozen=True)
class RosterParticipant:
    n: int
    card_number: str
    nik: str
    name: str
    sex: str
    birth_date: date
    phone: str
    address: str


def card_number(n: int) -> str:
    return f"0002{n:09d}"


def participant(n: int) -> RosterParticipant:
    if not 1 <= n <= SIZE:
        raise ValueError("roster participants are numbered 1..5000")
    sex = "L" if n % 2 else "P"
    birth = _EPOCH + timedelta(days=n * 7919 % 30000)
    day = birth.day + (40 if sex == "P" else 0)
    nik = f"327302{day:02d}{birth.month:02d}{birth.year % 100:02d}{n:04d}"
    return RosterParticipant(
        n=n,
        card_number=card_number(n),
        nik=nik,
        name=f"{_FIRST[sex][n % 10]} {_LAST[(n // 10) % 10]}",
        sex=sex,
        birth_date=birth,
        phone=f"0813{n:08d}",
        address=f"Jl. Contoh No. {n % 200 + 1}, Bandung",
    )
