"""Picking the tariff from the table and computing expected capitation.

Expected capitation for a month = roster size x tariff x KBK payment share. The tariff cell is
picked by the facility type, the doctor-to-participant ratio (participants per general
practitioner against the cell's limit, 5,000 in Permenkes 3/2023) and dentist availability.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from django.db.models import Q

from clinic.capitation.models import (
    CapitationProfile,
    CapitationReceipt,
    CapitationTariff,
    DoctorRatio,
)
from clinic.core.models import Facility


@dataclass(frozen=True)
class TariffChoice:
    tariff: CapitationTariff | None
    doctor_ratio: str
    participants_per_doctor: Decimal | None
    general_practitioners: int
    has_dentist: bool

    @property
    def doctor_ratio_label(self) -> str:
        return str(DoctorRatio(self.doctor_ratio).label)


def profile_for(facility: Facility) -> CapitationProfile:
    profile, _created = CapitationProfile.objects.get_or_create(facility=facility)
    return profile


def tariff_pick(
    *,
    facility_type: str,
    roster_size: int,
    general_practitioners: int,
    has_dentist: bool,
    on: dt.date,
) -> TariffChoice:
    candidates = CapitationTariff.objects.filter(
        facility_type=facility_type, valid_from__lte=on
    ).filter(Q(valid_until__isnull=True) | Q(valid_until__gte=on))
    ratio: Decimal | None = None
    if general_practitioners <= 0:
        doctor_ratio = DoctorRatio.NO_DOCTOR
    else:
        ratio = Decimal(roster_size) / Decimal(general_practitioners)
        doctor_ratio = DoctorRatio.WITHIN
    chosen: CapitationTariff | None = None
    for tariff in candidates.order_by("-valid_from", "pk"):
        cell_ratio = doctor_ratio
        if ratio is not None:
            limit = tariff.participants_per_doctor_limit
            cell_ratio = DoctorRatio.WITHIN if ratio <= limit else DoctorRatio.ABOVE
        if tariff.doctor_ratio != cell_ratio:
            continue
        if tariff.has_dentist is not None and tariff.has_dentist != has_dentist:
            continue
        chosen = tariff
        doctor_ratio = cell_ratio
        break
    if chosen is None and ratio is not None:
        doctor_ratio = DoctorRatio.WITHIN if ratio <= 5000 else DoctorRatio.ABOVE
    return TariffChoice(
        tariff=chosen,
        doctor_ratio=doctor_ratio,
        participants_per_doctor=ratio.quantize(Decimal("0.1")) if ratio is not None else None,
        general_practitioners=general_practitioners,
        has_dentist=has_dentist,
    )


def rupiah(amount: Decimal) -> Decimal:
    return amount.quantize(Decimal("1"), rounding=ROUND_HALF_UP)


@dataclass(frozen=True)
class Capitation:
    month: dt.date
    roster_size: int
    choice: TariffChoice
    full_amount: Decimal | None  # roster x tariff (100 %)
    share_percent: Decimal | None  # KBK payment share
    expected_amount: Decimal | None
    received: CapitationReceipt | None

    @property
    def difference(self) -> Decimal | None:
        if self.received is None or self.expected_amount is None:
            return None
        return self.received.amount - self.expected_amount


def capitation_compute(
    *,
    facility: Facility,
    month: dt.date,
    roster_size: int,
    share_percent: Decimal | None,
) -> Capitation:
    profile = profile_for(facility)
    choice = tariff_pick(
        facility_type=facility.facility_type,
        roster_size=roster_size,
        general_practitioners=profile.general_practitioners,
        has_dentist=profile.has_dentist,
        on=month,
    )
    full = None
    expected = None
    if choice.tariff is not None:
        full = rupiah(Decimal(roster_size) * choice.tariff.amount)
        if share_percent is not None:
            expected = rupiah(full * share_percent / Decimal(100))
    received = CapitationReceipt.objects.filter(facility=facility, month=month).first()
    return Capitation(
        month=month,
        roster_size=roster_size,
        choice=choice,
        full_amount=full,
        share_percent=share_percent,
        expected_amount=expected,
        received=received,
    )
