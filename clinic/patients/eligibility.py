"""BPJS eligibility: PCare ``peserta`` by card number or NIK, explained for the front desk.

    result = eligibility_check(facility_id=f.pk, card_number="0001000000001")
    result.status      # verified | inactive | other_fktp | not_found | not_verified
    result.warnings    # Indonesian sentences for the registration page

A check is a read: it never goes through the outbox. When BPJS does not answer within
``timeout_seconds`` the result is ``not_verified`` and the visit goes on; for a saved patient
:func:`eligibility_check_patient` then schedules :func:`clinic.patients.tasks.verify_eligibility_later`.
"""

from __future__ import annotations

import dataclasses
import logging
import secrets
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from django.core.cache import cache
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from bridging.pcare import PcareClient
from bridging.pcare.schemas import Participant
from bridging.transport.errors import (
    AuthenticationError,
    BpjsTimeout,
    BridgingError,
    ConfigurationError,
    NetworkError,
)
from clinic.core.models import Facility
from clinic.patients.models import EligibilityState

if TYPE_CHECKING:
    from clinic.patients.models import Patient

log = logging.getLogger(__name__)

DEFAULT_TIMEOUT_SECONDS = 4.0
#: How long a check made on the registration page can be carried into the registration.
TOKEN_TTL_SECONDS = 30 * 60
_TOKEN_PREFIX = "patients:eligibility:"


def pcare_client_for(facility_id: int) -> PcareClient:
    """The facility's PCare client (credentials from ``bridging.credentials``)."""
    try:
        from bridging.credentials.clients import pcare_client
    except ImportError as exc:  # the credentials app is not there yet
        raise ConfigurationError(
            service="pcare",
            operation="get_participant",
            message="Kredensial BPJS untuk klinik ini belum diatur.",
        ) from exc
    client: PcareClient = pcare_client(facility_id)
    return client


def _quick_client(facility_id: int, timeout_seconds: float) -> PcareClient:
    """The facility's client, with a short read timeout and no read retries."""
    client = pcare_client_for(facility_id)
    config = client.transport.config
    quick = dataclasses.replace(
        config,
        connect_timeout=min(config.connect_timeout, timeout_seconds),
        read_timeout=min(config.read_timeout, timeout_seconds),
        read_retries=0,
    )
    return PcareClient.from_config(quick)


@dataclass
class EligibilityResult:
    status: str  # an EligibilityState value (never "" here)
    message: str  # one sentence for the front desk
    warnings: list[str] = field(default_factory=list)
    checked_at: datetime | None = None
    looked_up_by: str = "card"  # "card" | "nik"
    # What PCare says about the participant (empty when not found or not verified).
    card_number: str = ""
    nik: str = ""
    name: str = ""
    birth_date: date | None = None
    sex: str = ""
    phone: str = ""
    active: bool | None = None
    status_text: str = ""  # ketAktif
    care_class: str = ""  # "KELAS I"
    care_class_code: str = ""
    membership_type: str = ""
    membership_type_code: str = ""
    provider_code: str = ""
    provider_name: str = ""
    registered_here: bool | None = None
    arrears: Decimal | None = None
    prolanis: str = ""
    prb: str = ""
    insurer_name: str = ""
    insurer_number: str = ""
    cob: bool | None = None
    retry_later: bool = False  # BPJS did not answer: check again in the background

    @property
    def found(self) -> bool:
        return self.status in (
            EligibilityState.VERIFIED,
            EligibilityState.INACTIVE,
            EligibilityState.OTHER_FKTP,
        )

    @property
    def verified(self) -> bool:
        return self.status != EligibilityState.NOT_VERIFIED

    def prefill(self) -> dict[str, Any]:
        """Initial values for the registration form."""
        if not self.found:
            return {}
        values: dict[str, Any] = {
            "name": self.name,
            "birth_date": self.birth_date,
            "sex": self.sex,
            "nik": self.nik,
            "bpjs_card_number": self.card_number,
            "phone": self.phone,
        }
        return {k: v for k, v in values.items() if v not in (None, "")}

    def to_json(self) -> dict[str, Any]:
        data = dataclasses.asdict(self)
        data["checked_at"] = self.checked_at.isoformat() if self.checked_at else None
        data["birth_date"] = self.birth_date.isoformat() if self.birth_date else None
        data["arrears"] = str(self.arrears) if self.arrears is not None else None
        return data

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> EligibilityResult:
        values = dict(data)
        if values.get("checked_at"):
            values["checked_at"] = datetime.fromisoformat(values["checked_at"])
        if values.get("birth_date"):
            values["birth_date"] = date.fromisoformat(values["birth_date"])
        if values.get("arrears") is not None:
            values["arrears"] = Decimal(values["arrears"])
        names = {f.name for f in dataclasses.fields(cls)}
        return cls(**{k: v for k, v in values.items() if k in names})


def format_rupiah(amount: Decimal) -> str:
    """``Rp 1.250.000`` (Indonesian thousands separator, no decimals)."""
    whole = int(amount.quantize(Decimal(1)))
    return "Rp " + f"{whole:,}".replace(",", ".")


def _not_verified(
    exc: BridgingError, timeout_seconds: float, by: str, card_number: str, nik: str
) -> EligibilityResult:
    if isinstance(exc, ConfigurationError | AuthenticationError):
        message = _(
            "BPJS could not be checked: the clinic's BPJS connection is not set up or was "
            "refused (%(reason)s). The visit can still be registered with the status "
            "'eligibility not verified'."
        ) % {"reason": exc.message}
    elif isinstance(exc, BpjsTimeout | NetworkError):
        message = _(
            "BPJS did not answer within %(seconds)s seconds. The visit can still be registered "
            "with the status 'eligibility not verified'; the check is repeated automatically."
        ) % {"seconds": f"{timeout_seconds:g}"}
    else:
        message = _(
            "BPJS answered with an error. The visit can still be registered with the status "
            "'eligibility not verified'; the check is repeated automatically."
        )
    return EligibilityResult(
        status=EligibilityState.NOT_VERIFIED,
        message=message,
        warnings=[message],
        looked_up_by=by,
        card_number=card_number,
        nik=nik,
        retry_later=True,
    )


def interpret_participant(
    participant: Participant, *, facility_code: str, by: str
) -> EligibilityResult:
    """Turn PCare's ``peserta`` into a status, one message and the warnings to show."""
    provider = participant.registered_provider
    provider_code = (provider.code if provider else None) or ""
    provider_name = (provider.name if provider else None) or ""
    insurance = participant.insurance
    result = EligibilityResult(
        status=EligibilityState.VERIFIED,
        message="",
        checked_at=timezone.now(),
        looked_up_by=by,
        card_number=participant.card_number or "",
        nik=participant.nik or "",
        name=(participant.name or "").strip(),
        birth_date=participant.birth_date,
        sex=participant.sex or "",
        phone=participant.phone or "",
        active=participant.active,
        status_text=participant.status_text or "",
        care_class=(participant.care_class.name or "") if participant.care_class else "",
        care_class_code=(participant.care_class.code or "") if participant.care_class else "",
        membership_type=(participant.membership_type.name or "")
        if participant.membership_type
        else "",
        membership_type_code=(participant.membership_type.code or "")
        if participant.membership_type
        else "",
        provider_code=provider_code,
        provider_name=provider_name,
        registered_here=(provider_code == facility_code) if provider_code else None,
        arrears=participant.arrears,
        prolanis=participant.prolanis_program or "",
        prb=participant.prb_program or "",
        insurer_name=(insurance.name or "") if insurance else "",
        insurer_number=(insurance.number or "") if insurance else "",
        cob=insurance.cob if insurance else None,
    )
    warnings = result.warnings
    if not participant.active:
        result.status = EligibilityState.INACTIVE
        reason = result.status_text or _("no reason given")
        warnings.append(
            _("BPJS membership is not active (BPJS says: %(reason)s).") % {"reason": reason}
        )
    if result.arrears:
        warnings.append(
            _("Contributions in arrears: %(amount)s") % {"amount": format_rupiah(result.arrears)}
        )
    if provider_code and provider_code != facility_code:
        if result.status == EligibilityState.VERIFIED:
            result.status = EligibilityState.OTHER_FKTP
        warnings.append(
            _(
                "Registered at another FKTP: %(name)s (%(code)s) — capitation is not paid to "
                "this clinic"
            )
            % {"name": provider_name or "-", "code": provider_code}
        )
    if result.prolanis:
        warnings.append(_("Prolanis participant: %(programme)s") % {"programme": result.prolanis})
    if result.prb:
        warnings.append(
            _("PRB (referral-back) participant: %(programme)s") % {"programme": result.prb}
        )
    if result.insurer_name:
        warnings.append(
            _("Private top-up insurer (COB): %(insurer)s") % {"insurer": result.insurer_name}
        )
    result.message = {
        EligibilityState.VERIFIED: _("BPJS membership is active and registered at this clinic."),
        EligibilityState.INACTIVE: _("BPJS membership is not active."),
        EligibilityState.OTHER_FKTP: _("BPJS membership is active but registered at another FKTP."),
    }[EligibilityState(result.status)]
    return result


def eligibility_check(
    *,
    facility_id: int,
    card_number: str | None = None,
    nik: str | None = None,
    timeout_seconds: float = DEFAULT_TIMEOUT_SECONDS,
) -> EligibilityResult:
    """Ask PCare about a participant by card number (preferred) or NIK. Never raises for BPJS
    trouble: that is a ``not_verified`` result. Pass valid, cleaned numbers."""
    if not card_number and not nik:
        raise ValueError("eligibility_check needs a card number or a NIK")
    by = "card" if card_number else "nik"
    facility_code = (
        Facility.objects.filter(pk=facility_id).values_list("bpjs_provider_code", flat=True).first()
        or ""
    )
    try:
        client = _quick_client(facility_id, timeout_seconds)
        if card_number:
            participant = client.get_participant(card_number)
        else:
            participant = client.get_participant_by_nik(str(nik))
    except BridgingError as exc:
        log.warning(
            "eligibility check not verified: %s (%s)", type(exc).__name__, exc.reason or exc.code
        )
        return _not_verified(exc, timeout_seconds, by, card_number or "", nik or "")
    if participant is None:
        message = (
            _("No BPJS participant has this card number.")
            if by == "card"
            else _("No BPJS participant has this NIK.")
        )
        return EligibilityResult(
            status=EligibilityState.NOT_FOUND,
            message=message,
            warnings=[message],
            checked_at=timezone.now(),
            looked_up_by=by,
            card_number=card_number or "",
            nik=nik or "",
        )
    return interpret_participant(participant, facility_code=facility_code, by=by)


# --- carrying a check from the registration page into the registration ------------------------


def remember_result(result: EligibilityResult, *, facility_id: int) -> str:
    """Keep a result for a while; returns a token the registration form posts back."""
    token = secrets.token_urlsafe(16)
    cache.set(
        _TOKEN_PREFIX + token,
        {"facility_id": facility_id, "result": result.to_json()},
        TOKEN_TTL_SECONDS,
    )
    return token


def recall_result(token: str | None, *, facility_id: int) -> EligibilityResult | None:
    if not token:
        return None
    stored = cache.get(_TOKEN_PREFIX + token)
    if not stored or stored.get("facility_id") != facility_id:
        return None
    return EligibilityResult.from_json(stored["result"])


# --- storing facts on a patient -------------------------------------------------------------


def apply_result(patient: Patient, result: EligibilityResult) -> list[str]:
    """Copy a result's key facts onto ``patient`` (not saved); returns the changed fields."""
    patient.bpjs_eligibility = result.status
    changed = ["bpjs_eligibility"]
    if result.status == EligibilityState.NOT_VERIFIED:
        return changed  # keep the facts of the last successful check
    patient.bpjs_checked_at = result.checked_at or timezone.now()
    patient.bpjs_status_text = result.status_text[:100]
    patient.bpjs_class = result.care_class[:30]
    patient.bpjs_membership_type = result.membership_type[:100]
    patient.bpjs_provider_code = result.provider_code[:8]
    patient.bpjs_provider_name = result.provider_name[:150]
    patient.bpjs_arrears = result.arrears
    patient.bpjs_prolanis = result.prolanis[:10]
    patient.bpjs_prb = result.prb[:10]
    patient.bpjs_insurer = result.insurer_name[:150]
    changed += [
        "bpjs_checked_at",
        "bpjs_status_text",
        "bpjs_class",
        "bpjs_membership_type",
        "bpjs_provider_code",
        "bpjs_provider_name",
        "bpjs_arrears",
        "bpjs_prolanis",
        "bpjs_prb",
        "bpjs_insurer",
    ]
    return changed


def schedule_verification(patient_id: int) -> None:
    """Check again in the background once the current transaction commits."""
    from clinic.patients.tasks import verify_eligibility_later

    transaction.on_commit(lambda: verify_eligibility_later.apply_async(args=[patient_id]))


def eligibility_check_patient(
    *, patient: Patient, timeout_seconds: float = DEFAULT_TIMEOUT_SECONDS
) -> EligibilityResult:
    """Check a saved patient (card first, else NIK), store the facts, and when BPJS did not
    answer schedule a background check."""
    if not patient.bpjs_card_number and not patient.nik:
        raise ValueError("patient has neither card number nor NIK")
    result = eligibility_check(
        facility_id=patient.facility_id,
        card_number=patient.bpjs_card_number or None,
        nik=None if patient.bpjs_card_number else patient.nik,
        timeout_seconds=timeout_seconds,
    )
    with transaction.atomic():
        fields = apply_result(patient, result)
        patient.save(update_fields=[*fields, "updated_at"])
        if result.retry_later:
            schedule_verification(patient.pk)
    return result
