"""``python manage.py bpjs_ping --env sandbox|development|production [--facility 0999K001]``."""

from __future__ import annotations

import json
import logging
from typing import Any

from django.apps import apps
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.translation import gettext as _

from bridging.credentials.defaults import ENVIRONMENTS, SERVICES
from bridging.credentials.ping import format_report, run_ping


class Command(BaseCommand):
    help = (
        "Check the BPJS connection of a facility: per service one signed read, then reachable, "
        "signature, timestamp, access, answer, decryption, clock_skew and latency. Exits 1 when "
        "any check fails."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--env",
            choices=ENVIRONMENTS,
            help="Environment to check (default: the facility's active BPJS environment).",
        )
        parser.add_argument(
            "--facility",
            metavar="CODE",
            help="BPJS provider code of the facility (required when there are several).",
        )
        parser.add_argument(
            "--service",
            action="append",
            choices=SERVICES,
            help="Check only this service (repeatable).",
        )
        parser.add_argument("--json", action="store_true", help="Print the report as JSON.")

    def handle(self, *args: Any, **options: Any) -> None:
        facility_model = apps.get_model("core", "Facility")
        code = options.get("facility")
        if code:
            facility = facility_model.objects.filter(bpjs_provider_code=code).first()
            if facility is None:
                raise CommandError(_("Facility %(code)s not found.") % {"code": code})
        else:
            facilities = list(facility_model.objects.order_by("bpjs_provider_code")[:20])
            if not facilities:
                raise CommandError(_("There is no facility yet (run seed_demo or add one)."))
            if len(facilities) > 1:
                codes = ", ".join(str(f.bpjs_provider_code) for f in facilities)
                raise CommandError(
                    _("There are several facilities; name one with --facility CODE (%(codes)s).")
                    % {"codes": codes}
                )
            facility = facilities[0]
        # The report says everything; the transport's own log lines only at -v 2.
        transport_logger = logging.getLogger("bridging.transport")
        level = transport_logger.level
        if options["verbosity"] < 2:
            transport_logger.setLevel(logging.ERROR)
        try:
            report = run_ping(
                facility_id=facility.pk,
                environment=options.get("env"),
                services=options.get("service") or SERVICES,
            )
        finally:
            transport_logger.setLevel(level)
        if options["json"]:
            self.stdout.write(json.dumps(report.to_dict(), ensure_ascii=False, indent=2))
        else:
            for line in format_report(report):
                self.stdout.write(line)
        if not report.ok:
            failed = ", ".join(f"{service}.{check}" for service, check in report.failures)
            raise CommandError(
                _("BPJS connection check failed: %(failed)s") % {"failed": failed}, returncode=1
            )
