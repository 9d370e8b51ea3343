"""`manage.py retention [--dry-run]`: apply the retention periods (governance.retention), daily."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from joinedup.governance.retention_run import retention_run


class Command(BaseCommand):
    help = "Erase or anonymise what is past its retention period (legal holds respected). --dry-run only reports."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--dry-run", action="store_true", help="Say what would be done, and do nothing")

    def handle(self, *args: Any, **options: Any) -> None:
        report = retention_run(dry_run=options["dry_run"])
        for line in report.lines():
            self.stdout.write(line)
        if report.failed:
            raise CommandError(f"{len(report.failed)} people could not be erased (listed above)")
