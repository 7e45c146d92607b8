from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from clinic.capitation.models import CapitationProfile, CapitationReceipt, CapitationTariff
from clinic.capitation.tariffs import capitation_compute, tariff_pick

pytestmark = pytest.mark.django_db

MARCH = dt.date(2026, 3, 1)


def pick(facility_type: str, roster: int, gps: int, dentist: bool) -> Decimal | None:
    choice = tariff_pick(
        facility_type=facility_type,
        roster_size=roster,
        general_practitioners=gps,
        has_dentist=dentist,
        on=MARCH,
    )
    return choice.tariff.amount if choice.tariff else None


def test_demo_clinic_one_gp_for_5004_with_dentist_gets_11000_and_55044000_in_full(facility):
    CapitationProfile.objects.create(facility=facility, general_practitioners=1, has_dentist=True)
    result = capitation_compute(
        facility=facility, month=MARCH, roster_size=5004, share_percent=Decimal(100)
    )
    assert result.choice.doctor_ratio == "above"
    assert result.choice.participants_per_doctor == Decimal("5004.0")
    assert result.choice.tariff is not None and result.choice.tariff.amount == Decimal(11000)
    assert result.full_amount == Decimal(55_044_000)
    assert result.expected_amount == Decimal(55_044_000)


def test_ratio_of_exactly_5000_per_doctor_is_within_the_limit():
    assert pick("klinik_pratama", 5000, 1, True) == Decimal(12000)
    assert pick("klinik_pratama", 5001, 1, True) == Decimal(11000)
    assert pick("klinik_pratama", 10000, 2, False) == Decimal(10000)
    assert pick("klinik_pratama", 10001, 2, False) == Decimal(9000)


def test_puskesmas_and_praktik_dokter_cells():
    assert pick("puskesmas", 4000, 1, True) == Decimal(7000)
    assert pick("puskesmas", 6000, 1, False) == Decimal(5300)
    assert pick("puskesmas", 6000, 0, True) == Decimal(4300)
    assert pick("puskesmas", 6000, 0, False) == Decimal(3600)
    assert pick("dokter_praktik", 3000, 1, False) == Decimal(8800)
    assert pick("dokter_praktik", 6000, 1, True) == Decimal(8300)
    assert pick("klinik_pratama", 100, 0, True) is None  # the table has no such cell


def test_expected_capitation_applies_the_kbk_share_and_compares_with_the_receipt(facility, admin):
    CapitationProfile.objects.create(facility=facility, general_practitioners=1, has_dentist=True)
    CapitationReceipt.objects.create(
        facility=facility, month=MARCH, amount=Decimal(53_000_000), recorded_by=admin
    )
    result = capitation_compute(
        facility=facility, month=MARCH, roster_size=5004, share_percent=Decimal(97)
    )
    # 5,004 x 11,000 = 55,044,000; x 97 % = 53,392,680
    assert result.expected_amount == Decimal(53_392_680)
    assert result.difference == Decimal(53_000_000 - 53_392_680)


def test_an_edited_tariff_row_changes_the_result_without_code(facility):
    CapitationProfile.objects.create(facility=facility, general_practitioners=1, has_dentist=True)
    CapitationTariff.objects.filter(
        facility_type="klinik_pratama", doctor_ratio="above", has_dentist=True
    ).update(valid_until=dt.date(2026, 2, 28))
    CapitationTariff.objects.create(
        facility_type="klinik_pratama",
        doctor_ratio="above",
        has_dentist=True,
        amount=Decimal(11500),
        legal_source="Permenkes (uji)",
        valid_from=dt.date(2026, 3, 1),
    )
    march = capitation_compute(facility=facility, month=MARCH, roster_size=5004, share_percent=None)
    february = capitation_compute(
        facility=facility, month=dt.date(2026, 2, 1), roster_size=5004, share_percent=None
    )
    assert march.full_amount == Decimal(5004 * 11500)
    assert february.full_amount == Decimal(5004 * 11000)
    assert march.expected_amount is None


def test_seeded_tariffs_carry_their_legal_source():
    sources = set(CapitationTariff.objects.values_list("legal_source", flat=True))
    assert len(sources) == 1
    assert next(iter(sources)).startswith("Permenkes No. 3 Tahun 2023")
    assert CapitationTariff.objects.count() == 12
