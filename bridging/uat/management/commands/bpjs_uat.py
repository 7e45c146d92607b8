"""``python manage.py bpjs_uat --env sandbox [--report report.json] [--clinic-url URL]``."""

from __future__ import annotations

import json
import logging
from pathlib import Path
from typing import Any

from django.apps import apps
from django.core.management.base import BaseCommand, CommandError, CommandParser

from bridging.uat import report, runner
from bridging.uat.context import DEFAULT_CLINIC_URL
from bridging.uat.models import UatRun, UatStep
from bridging.uat.scenarios.base import GROUPS

ENVIRONMENTS = ("sandbox", "development", "production")
MARKS = {"pass": "PASS", "fail": "FAIL", "error": "ERROR", "skipped": "SKIP"}


class Command(BaseCommand):
    help = (
        "Run the BPJS UAT scenarios (PCare, Antrean FKTP, iCare, the clinic's Antrean FKTP web "
        "service) now, print one line per step and a summary, and exit 1 when any step fails."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--env", choices=ENVIRONMENTS, required=True)
        parser.add_argument("--facility", metavar="CODE", help="BPJS provider code.")
        parser.add_argument("--report", metavar="FILE", help="Write the JSON report here.")
        parser.add_argument("--html", metavar="FILE", help="Write the HTML report here.")
        parser.add_argument("--pdf", metavar="FILE", help="Write the PDF report here.")
        parser.add_argument("--zip", metavar="FILE", help="Write the ZIP of the JSON here.")
        parser.add_argument(
            "--clinic-url",
            default=DEFAULT_CLINIC_URL,
            help=f"Base URL of the clinic's Antrean FKTP web service ({DEFAULT_CLINIC_URL}).",
        )
        parser.add_argument("--group", action="append", choices=GROUPS, help="Repeatable.")
        parser.add_argument("--ws-username", default="", help="The web service's x-username.")
        parser.add_argument("--ws-password", default="", help="The web service's x-password.")
        parser.add_argument("--card", default="", help="Test card number for the look-ups.")
        parser.add_argument("--nik", default="", help="NIK of that test participant.")
        parser.add_argument(
            "--confirm-production-writes",
            action="store_true",
            help="In production, also run the scenarios that write test data.",
        )

    def _facility(self, code: str | None) -> Any:
        model = apps.get_model("core", "Facility")
        if code:
            facility = model.objects.filter(bpjs_provider_code=code).first()
            if facility is None:
                raise CommandError(f"Facility {code} not found.")
            return facility
        facilities = list(model.objects.order_by("bpjs_provider_code")[:20])
        if not facilities:
            raise CommandError("There is no facility yet (run seed_demo or add one).")
        if len(facilities) > 1:
            codes = ", ".join(f.bpjs_provider_code for f in facilities)
            raise CommandError(f"There are several facilities; name one with --facility ({codes}).")
        return facilities[0]

    def handle(self, *args: Any, **options: Any) -> None:
        from bridging.credentials.crypto import encrypt_text

        if int(options.get("verbosity", 1)) < 2:
            # One line per step: the transport's own request log only with -v 2.
            logging.getLogger("bridging.transport").setLevel(logging.WARNING)
        facility = self._facility(options.get("facility"))
        run = UatRun.objects.create(
            facility=facility,
            environment=options["env"],
            groups=options.get("group") or list(GROUPS),
            started_from="cli",
            writes_confirmed=bool(options["confirm_production_writes"]),
            clinic_url=options["clinic_url"],
            clinic_ws_username=options["ws_username"],
            clinic_ws_password_encrypted=encrypt_text(options["ws_password"]),
        )
        opts = runner.options_for(run, card_number=options["card"], nik=options["nik"])
        self.stdout.write(
            f"UAT #{run.pk}: {facility.bpjs_provider_code}, environment {run.environment}, "
            f"clinic web service {opts.clinic_url}"
        )
        run = runner.execute(run, options=opts, on_step=self._print_step)
        self._write_outputs(run, options)
        summary = run.summary()
        self.stdout.write(
            f"Summary: {summary['passed']} passed, {summary['failed']} failed, "
            f"{summary['errors']} errors, {summary['skipped']} skipped of {summary['total']}."
        )
        if run.message:
            self.stdout.write(f"Run stopped: {run.message}")
        if not run.ok:
            failed = [s.key for s in run.steps.exclude(verdict__in=["pass", "skipped"])]
            raise CommandError("UAT failed: " + (", ".join(failed) or run.state), returncode=1)

    def _print_step(self, step: UatStep) -> None:
        line = (
            f"[{MARKS.get(step.verdict, step.verdict):5}] {step.key:42} {step.message}"
            f" ({step.duration_ms:.0f} ms)"
        )
        self.stdout.write(line.replace("\n", " "))

    def _write_outputs(self, run: UatRun, options: dict[str, Any]) -> None:
        if options.get("report"):
            Path(options["report"]).write_text(
                json.dumps(report.report_dict(run), ensure_ascii=False, indent=2),
                encoding="utf-8",
            )
        if options.get("html"):
            Path(options["html"]).write_text(report.render_html(run), encoding="utf-8")
        if options.get("pdf"):
            Path(options["pdf"]).write_bytes(report.render_pdf(run))
        if options.get("zip"):
            Path(options["zip"]).write_bytes(report.build_zip(run))
