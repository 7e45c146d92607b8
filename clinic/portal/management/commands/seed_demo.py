from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError

from clinic.portal.demo import DemoRefused, seed_demo


class Command(BaseCommand):
    help = "Create the demo clinic (idempotent). Refused on production installs."

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            created = seed_demo()
        except DemoRefused as exc:
            raise CommandError(str(exc)) from exc
        summary = ", ".join(f"{k} +{v}" for k, v in created.items())
        self.stdout.write(self.style.SUCCESS(f"Demo clinic ready ({summary})."))
