"""Check the programmes' monthly tallies against their participations, or recount them (decision 021)."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from joinedup.programmes.models import Programme
from joinedup.programmes.tally import tallies_check, tallies_rebuild


class Command(BaseCommand):
    help = "Check each programme's monthly tallies against its participations (--check), or recount them (--rebuild)."

    def add_arguments(self, parser: CommandParser) -> None:
        group = parser.add_mutually_exclusive_group(required=True)
        group.add_argument("--check", action="store_true", help="Report any tally that disagrees with a recount")
        group.add_argument("--rebuild", action="store_true", help="Recount every programme's tallies")
        parser.add_argument("--programme", default="", help="Only the programme with this code")

    def handle(self, *args: Any, **options: Any) -> None:
        programmes = Programme.objects.order_by("code")
        if options["programme"]:
            programmes = programmes.filter(code=options["programme"])
            if not programmes.exists():
                raise CommandError(f"No programme with the code {options['programme']!r}.")
        wrong = 0
        for programme in programmes:
            if options["rebuild"]:
                self.stdout.write(f"{programme.code}: recounted, {tallies_rebuild(programme)} tallies.")
                continue
            differences = tallies_check(programme)
            for (_partner, month, measure, dimension, value, area), (stored, counted) in sorted(
                differences.items(), key=lambda item: (item[0][1], item[0][2:])
            ):
                where = " ".join(part for part in (dimension and f"{dimension}={value}", area) if part)
                self.stdout.write(
                    f"{programme.code} {measure} {month:%Y-%m} {where}: stored {stored}, counted {counted}"
                )
            wrong += len(differences)
        if wrong:
            raise CommandError(f"{wrong} tallies disagree with the participations; run `programme_tallies --rebuild`.")
        if options["check"]:
            self.stdout.write("The programme tallies agree with the participations.")
