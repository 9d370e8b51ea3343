"""Load or refresh the population-need data: the open data shipped in joinedup/need/data/ (or newer
files given here), and Fingertips CSV exports. All or nothing; a refused file is reported line by
line and nothing is changed."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from joinedup.need import loading, services


class Command(BaseCommand):
    help = __doc__

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--geography", type=Path, help="ONS LAD19-UTLA19-RGN19 lookup (CSV)")
        parser.add_argument("--register", type=Path, help="mySociety local authority register (CSV)")
        parser.add_argument("--imd", type=Path, help="IMD 2019 by LSOA (CSV)")
        parser.add_argument("--benefits", type=Path, help="DWP benefit caseloads by authority and year (CSV)")
        parser.add_argument("--fingertips", type=Path, nargs="*", default=[], help="Fingertips CSV exports")
        parser.add_argument("--force", action="store_true", help="Load even a file already loaded")

    def handle(self, *args: Any, **options: Any) -> None:
        shipped = services.OpenDataFiles.shipped()

        def pick(name: str) -> loading.Source | None:
            path = options[name]
            return loading.Source.read(path) if path else getattr(shipped, name)

        try:
            files = services.OpenDataFiles(pick("geography"), pick("register"), pick("imd"), pick("benefits"))
            done = services.open_data_load(files=files, force=options["force"])
            paths = options["fingertips"]
            if paths:
                done += services.fingertips_import(sources=[loading.Source.read(p) for p in paths])
        except loading.FileRefused as refused:
            raise CommandError(refused.report()) from refused
        except (OSError, UnicodeDecodeError) as exc:
            raise CommandError(f"The file could not be read: {exc}") from exc
        for line in done or ["Nothing to load: every file is already loaded (--force loads it again)."]:
            self.stdout.write(line)
