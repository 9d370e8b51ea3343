from __future__ import annotations

import json
import sys

from django.core.management.base import BaseCommand, CommandParser

from joinedup.directory.services import oruk_export


class Command(BaseCommand):
    help = "Export the whole published directory as Open Referral UK 3.0 JSON (to a file or stdout)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--output", "-o", help="file to write (default: standard output)")

    def handle(self, *args, output: str | None = None, **options) -> None:
        text = json.dumps(oruk_export(), ensure_ascii=False, indent=1)
        if output:
            with open(output, "w", encoding="utf-8") as handle:
                handle.write(text)
            self.stderr.write(f"Wrote {output}.")
        else:
            sys.stdout.write(text)
