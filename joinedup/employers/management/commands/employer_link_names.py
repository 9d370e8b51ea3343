"""Propose (and with --apply, write) links from free-text employer names on job starts, applications
and work activity to employer records. Review the proposals first: exact matches are applied with
--apply; close ones only with --apply --include-close."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from joinedup.employers.linking import links_apply, proposals


class Command(BaseCommand):
    help = "Link free-text employer names on case records to employer records (dry run unless --apply)"

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--apply", action="store_true", help="Write the exact links (a dry run without it)")
        parser.add_argument("--include-close", action="store_true", help="With --apply, write the close links too")

    def handle(self, *args: Any, **options: Any) -> None:
        found = proposals()
        for p in found:
            self.stdout.write(f"{p.method:5} {p.score:.3f}  {p.source:13} {p.text!r} -> {p.employer_name}")
        exact = [p for p in found if p.method == "exact"]
        self.stdout.write(f"{len(exact)} exact and {len(found) - len(exact)} close proposals.")
        if not options["apply"]:
            self.stdout.write("Dry run: nothing written. Review, then run again with --apply (and --include-close).")
            return
        chosen = found if options["include_close"] else exact
        self.stdout.write(f"Linked {links_apply(chosen=chosen)} records. The original text is kept on each record.")
