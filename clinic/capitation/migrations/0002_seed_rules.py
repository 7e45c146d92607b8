"""Seed the rule tables with the values PROTOCOL.md section 9 gives, each with its source.

Edit them in the Django admin when the rules change; this migration only creates them.
"""

import datetime as dt
from decimal import Decimal

from django.db import migrations

PERMENKES = (
    "Permenkes No. 3 Tahun 2023 tentang Standar Tarif Pelayanan Kesehatan dalam "
    "Penyelenggaraan Program Jaminan Kesehatan, Pasal 6 (PROTOCOL.md 9.1, source S24)"
)
PERMENKES_FROM = dt.date(2023, 1, 1)
PERMENKES_NOTE = (
    "Valid from the start of 2023 (the regulation's year); the exact day of enactment is not in "
    "PROTOCOL.md."
)

# (facility type, doctor ratio, dentist, amount)
TARIFFS = [
    ("puskesmas", "within", True, 7000),
    ("puskesmas", "within", False, 6300),
    ("puskesmas", "above", True, 6000),
    ("puskesmas", "above", False, 5300),
    ("puskesmas", "none", True, 4300),
    ("puskesmas", "none", False, 3600),
    ("klinik_pratama", "within", True, 12000),
    ("klinik_pratama", "within", False, 10000),
    ("klinik_pratama", "above", True, 11000),
    ("klinik_pratama", "above", False, 9000),
    ("dokter_praktik", "within", None, 8800),
    ("dokter_praktik", "above", None, 8300),
]

KBK_SOURCE = (
    "Peraturan BPJS Kesehatan No. 7 Tahun 2019 tentang Petunjuk Pelaksanaan Pembayaran "
    "Kapitasi Berbasis Kinerja pada FKTP (PROTOCOL.md 9.2, sources S27, S31, S32)"
)
KBK_NOTE = (
    "Targets and weights CONFIRMED (S29, S31, S32); the lower rating bands and the payment "
    "table come from one slide deck (S31, LIKELY). Praktik mandiri dokter: the klinik pratama "
    "payment shares are assumed (no source gives them). Valid from the start of 2019 (the "
    "regulation's year); the exact day is not in PROTOCOL.md."
)
D = Decimal

# code, weight, target, unit, higher is better, bands: (rating, lower, lower incl., upper, upper incl.)
INDICATORS = [
    (
        "AK",
        D("0.40"),
        D("150"),
        "‰",
        True,
        [
            (4, D("150"), True, None, False),
            (3, D("145"), False, D("150"), False),
            (2, D("140"), False, D("145"), True),
            (1, None, True, D("140"), True),
        ],
    ),
    (
        "RRNS",
        D("0.50"),
        D("2"),
        "%",
        False,
        [
            (4, None, True, D("2"), True),
            (3, D("2"), False, D("2.5"), True),
            (2, D("2.5"), False, D("3"), True),
            (1, D("3"), False, None, False),
        ],
    ),
    (
        "RPPT",
        D("0.10"),
        D("5"),
        "%",
        True,
        [
            (4, D("5"), True, None, False),
            (3, D("4"), True, D("5"), False),
            (2, D("3"), True, D("4"), False),
            (1, None, True, D("3"), False),
        ],
    ),
]

# facility type: [(score from, share %)]
PAYMENT = {
    "klinik_pratama": [(D("4"), D("100")), (D("3"), D("97")), (D("2"), D("96")), (D("1"), D("95"))],
    "puskesmas": [(D("4"), D("100")), (D("3"), D("95")), (D("2"), D("90")), (D("1"), D("85"))],
    "dokter_praktik": [
        (D("4"), D("100")),
        (D("3"), D("97")),
        (D("2"), D("96")),
        (D("1"), D("95")),
    ],
}

RPPT_SOURCE = "PROTOCOL.md 9.2 counting rules (UNCONFIRMED: the sources disagree on hypertension)"
# name, description, active, criteria:
# (condition, age from, age below, sys min, sys max, dia min, dia max, glucose min, glucose max)
RULE_SETS = [
    (
        "Varian A: HT menurut usia",
        "DM: GDP 80–130 mg/dL; HT <65 th: sistolik 120–130 dan diastolik 70–79, "
        "≥65 th: sistolik 130–139 dan diastolik 70–79",
        True,
        [
            ("DM", None, None, None, None, None, None, 80, 130),
            ("HT", None, 65, 120, 130, 70, 79, None, None),
            ("HT", 65, None, 130, 139, 70, 79, None, None),
        ],
    ),
    (
        "Varian B: HT 110–129 / <90",
        "DM: GDP 80–130 mg/dL; HT: sistolik 110–129 dan diastolik <90",
        False,
        [
            ("DM", None, None, None, None, None, None, 80, 130),
            ("HT", None, None, 110, 129, None, 89, None, None),
        ],
    ),
]


def seed(apps, schema_editor):
    tariff = apps.get_model("capitation", "CapitationTariff")
    for facility_type, ratio, dentist, amount in TARIFFS:
        tariff.objects.create(
            facility_type=facility_type,
            doctor_ratio=ratio,
            participants_per_doctor_limit=5000,
            has_dentist=dentist,
            amount=D(amount),
            legal_source=PERMENKES,
            legal_date=None,
            valid_from=PERMENKES_FROM,
            note=PERMENKES_NOTE,
        )
    scheme_model = apps.get_model("capitation", "KbkScheme")
    indicator_model = apps.get_model("capitation", "KbkIndicator")
    band_model = apps.get_model("capitation", "KbkBand")
    payment_model = apps.get_model("capitation", "KbkPaymentBand")
    scheme = scheme_model.objects.create(
        name="KBK (Peraturan BPJS Kesehatan 7/2019)",
        legal_source=KBK_SOURCE,
        legal_date=None,
        source_note=KBK_NOTE,
        valid_from=dt.date(2019, 1, 1),
        is_active=True,
    )
    for code, weight, target, unit, higher, bands in INDICATORS:
        indicator = indicator_model.objects.create(
            scheme=scheme,
            code=code,
            weight=weight,
            target=target,
            unit=unit,
            higher_is_better=higher,
        )
        for rating, lower, lower_incl, upper, upper_incl in bands:
            band_model.objects.create(
                indicator=indicator,
                rating=rating,
                lower=lower,
                lower_inclusive=lower_incl,
                upper=upper,
                upper_inclusive=upper_incl,
            )
    for facility_type, rows in PAYMENT.items():
        for min_score, share in rows:
            payment_model.objects.create(
                scheme=scheme,
                facility_type=facility_type,
                min_score=min_score,
                share_percent=share,
                note="assumed: as klinik pratama" if facility_type == "dokter_praktik" else "",
            )
    rule_set_model = apps.get_model("capitation", "RpptRuleSet")
    criterion_model = apps.get_model("capitation", "RpptCriterion")
    for name, description, active, criteria in RULE_SETS:
        rule_set = rule_set_model.objects.create(
            name=name, source=RPPT_SOURCE, description=description, is_active=active
        )
        for cond, age_from, age_below, s_min, s_max, d_min, d_max, g_min, g_max in criteria:
            criterion_model.objects.create(
                rule_set=rule_set,
                condition=cond,
                age_from=age_from,
                age_below=age_below,
                systolic_min=s_min,
                systolic_max=s_max,
                diastolic_min=d_min,
                diastolic_max=d_max,
                glucose_min=g_min,
                glucose_max=g_max,
            )


def unseed(apps, schema_editor):
    for name in ("RpptRuleSet", "KbkScheme", "CapitationTariff"):
        apps.get_model("capitation", name).objects.all().delete()


class Migration(migrations.Migration):
    dependencies = [("capitation", "0001_initial")]

    operations = [migrations.RunPython(seed, unseed)]
