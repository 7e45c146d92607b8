"""The port through which the Antrean FKTP web service reaches the clinic.

``bridging`` never imports ``clinic``: the web service speaks to the clinic only through
:class:`ClinicQueuePort`, with the plain dataclasses below. The implementation is named by the
setting ``ANTREAN_WS_PORT`` (a dotted path to a class with a no-argument constructor), by
default :data:`DEFAULT_PORT`, and lives with the clinic code it adapts.

Rules that need no database (formats, dates, hours) are checked by the web service; the port
enforces those that must hold atomically (one booking per patient, quota, distinct numbers)
and reports them by raising the exceptions defined here.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, time
from functools import lru_cache
from typing import Protocol

from django.conf import settings
from django.utils.module_loading import import_string

DEFAULT_PORT = "clinic.queues.mobilejkn.ClinicQueueAdapter"


# ---- data ------------------------------------------------------------------------------------
@dataclass(frozen=True)
class PoliInfo:
    code: str
    name: str
    is_active: bool = True

    @property
    def display_name(self) -> str:
        return self.name if self.name.lower().startswith("poli") else f"Poli {self.name}"


@dataclass(frozen=True)
class ScheduleInfo:
    """One doctor's practice hours at a poli on a given day, with what is booked so far."""

    id: int
    doctor_code: str
    doctor_name: str
    start: time
    end: time
    quota: int
    booked: int = 0

    @property
    def hours(self) -> str:
        return f"{self.start:%H:%M}-{self.end:%H:%M}"

    @property
    def remaining(self) -> int:
        return max(0, self.quota - self.booked)


@dataclass(frozen=True)
class QueueCounts:
    """Counts of the non-cancelled tickets: all of them, those still waiting, and the label
    of the ticket called last (empty when none has been called)."""

    total: int
    waiting: int
    called_label: str = ""


@dataclass(frozen=True)
class ScheduleStatus:
    schedule: ScheduleInfo
    counts: QueueCounts


@dataclass(frozen=True)
class PoliStatus:
    poli: PoliInfo
    counts: QueueCounts
    schedules: list[ScheduleStatus] = field(default_factory=list)


@dataclass(frozen=True)
class PatientRef:
    id: int
    mrn: str
    nik: str | None
    card_number: str | None


@dataclass(frozen=True)
class BookingRequest:
    patient_id: int
    poli_code: str
    day: date
    # Schedules the booking may go to; the port takes the one with most quota left at the
    # moment it allocates (and the next when that one has just filled up).
    schedule_ids: tuple[int, ...]
    complaint: str = ""
    phone: str = ""
    card_number: str = ""  # stored on a patient known so far by NIK only


@dataclass(frozen=True)
class Booking:
    label: str
    number: int
    poli: PoliInfo
    schedule: ScheduleInfo | None
    waiting_before: int
    called_label: str = ""


@dataclass(frozen=True)
class Remaining:
    label: str
    number: int
    poli: PoliInfo
    schedule: ScheduleInfo | None
    waiting_before: int
    called_label: str = ""
    waiting: bool = True  # False once the number has been called


@dataclass(frozen=True)
class NewPatient:
    card_number: str
    nik: str
    family_card_number: str
    name: str
    sex: str  # "L" | "P"
    birth_date: date
    phone: str
    address: str
    province_code: str
    province_name: str
    regency_code: str
    regency_name: str
    district_code: str
    district_name: str
    village_code: str
    village_name: str
    rw: str
    rt: str


# ---- refusals ----------------------------------------------------------------------------------
class PortError(Exception):
    """A refusal the web service turns into metadata code 201."""


class DuplicateBooking(PortError):
    pass


class QuotaFull(PortError):
    pass


class BookingNotFound(PortError):
    pass


class AlreadyCancelled(PortError):
    pass


class AlreadyServed(PortError):
    pass


class AlreadyRegistered(PortError):
    pass


class PortBusy(PortError):
    """The database stayed busy through every retry (never shown as a database error)."""


# ---- the port ----------------------------------------------------------------------------------
class ClinicQueuePort(Protocol):
    def find_poli(self, facility_id: int, code: str) -> PoliInfo | None: ...

    def schedules(
        self, facility_id: int, poli_code: str, day: date, *, with_counts: bool = True
    ) -> list[ScheduleInfo]:
        """The poli's sessions on ``day``, earliest first; ``booked`` is 0 without counts."""
        ...

    def poli_status(self, facility_id: int, poli_code: str, day: date) -> PoliStatus: ...

    def find_patient(
        self, facility_id: int, *, card_number: str, nik: str
    ) -> PatientRef | None: ...

    def book(self, facility_id: int, request: BookingRequest) -> Booking: ...

    def remaining(
        self, facility_id: int, *, card_number: str, poli_code: str, day: date
    ) -> Remaining | None: ...

    def cancel(
        self, facility_id: int, *, card_number: str, poli_code: str, day: date, reason: str
    ) -> None: ...

    def register_patient(self, facility_id: int, patient: NewPatient) -> PatientRef: ...


@lru_cache(maxsize=4)
def _load(path: str) -> ClinicQueuePort:
    cls = import_string(path)
    instance: ClinicQueuePort = cls()
    return instance


def get_port() -> ClinicQueuePort:
    return _load(getattr(settings, "ANTREAN_WS_PORT", "") or DEFAULT_PORT)
