"""Demo data for the KBK dashboard: import the sandbox roster (with the Prolanis column) for a
month and generate that month's visits.

    python manage.py capitation_demo --roster-url http://127.0.0.1:8001/_sandbox/roster.csv
    python manage.py capitation_demo --roster-file roster.csv --month 2026-03 --until 2026-03-14
    python manage.py capitation_demo --write-roster var/roster-demo.csv   # only write the file
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone

from clinic.capitation.demo import generate_month, roster_with_prolanis
from clinic.capitation.models import CapitationProfile
from clinic.capitation.periods import parse_month
from clinic.capitation.roster import roster_import
from clinic.core.models import Facility

DEMO_PROVIDER = "0999K001"


class Command(BaseCommand):
    help = "Import the demo roster and generate a month of visits for the KBK dashboard."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--roster-url", default="http://127.0.0.1:8001/_sandbox/roster.csv")
        parser.add_argument("--roster-file", default="")
        parser.add_argument("--write-roster", default="", help="write the roster file and stop")
        parser.add_argument("--month", default="", help="YYYY-MM (default: this month)")
        parser.add_argument("--until", default="", help="YYYY-MM-DD (default: today)")
        parser.add_argument("--facility", default=DEMO_PROVIDER)

    def handle(self, *args: Any, **options: Any) -> None:
        if options["roster_file"]:
            data = Path(options["roster_file"]).read_bytes()
        else:
            import requests

            response = requests.get(options["roster_url"], timeout=30)
            response.raise_for_status()
            data = response.content
        data = roster_with_prolanis(data)
        if options["write_roster"]:
            Path(options["write_roster"]).write_bytes(data)
            self.stdout.write(f"roster written to {options['write_roster']}")
            return
        facility = Facility.objects.filter(bpjs_provider_code=options["facility"]).first()
        if facility is None:
            raise CommandError("facility not found: run `manage.py seed_demo` first")
        today = timezone.localdate()
        month = parse_month(options["month"], today)
        until = dt.date.fromisoformat(options["until"]) if options["until"] else today
        CapitationProfile.objects.get_or_create(
            facility=facility, defaults={"general_practitioners": 1, "has_dentist": True}
        )
        result = roster_import(
            facility=facility, month=month, file_name="roster-demo.csv", data=data
        )
        self.stdout.write(
            f"roster {month:%Y-%m}: {result.rows_accepted} accepted, "
            f"{result.rows_rejected} rejected"
        )
        generated = generate_month(facility, month, until=until)
        self.stdout.write(
            f"generated {generated.visits} visits, {generated.referrals} referrals, "
            f"{generated.activities} Prolanis activities ({generated.attendance} attended)"
        )
