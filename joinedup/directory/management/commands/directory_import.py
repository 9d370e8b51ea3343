from __future__ import annotations

import urllib.request
from pathlib import Path
from urllib.parse import urlparse

from django.core.management.base import BaseCommand, CommandError, CommandParser

from joinedup.core.errors import DomainError
from joinedup.directory.imports import oruk_import_queue
from joinedup.directory.services import MAX_FEED_BYTES, oruk_import


class Command(BaseCommand):
    help = "Import an Open Referral UK 3.0 feed (a JSON file). All or nothing; re-importing updates."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("path", help="the JSON file, or a URL on this machine (http://127.0.0.1:…/…)")
        parser.add_argument("--source", required=True, help="who publishes the feed, e.g. 'Derbyshire County Council'")
        parser.add_argument(
            "--publish", action="store_true", help="publish the services (otherwise new ones are drafts)"
        )
        parser.add_argument(
            "--queue", action="store_true", help="hand it to the background worker (progress on /background-jobs/)"
        )

    def handle(self, *args, path: str, source: str, publish: bool, queue: bool = False, **options) -> None:
        url = urlparse(path)
        if url.scheme in ("http", "https"):
            # Only this machine: a feed elsewhere is downloaded and checked by a person first.
            if url.hostname not in ("127.0.0.1", "localhost", "::1"):
                raise CommandError("Only URLs on this machine (127.0.0.1 or localhost) can be imported directly.")
            try:
                with urllib.request.urlopen(path, timeout=30) as response:  # noqa: S310 - loopback only, checked above
                    data = response.read(MAX_FEED_BYTES + 1)
            except OSError as exc:
                raise CommandError(f"Could not read {path}: {exc}") from exc
            name = path
        else:
            file = Path(path)
            if not file.is_file():
                raise CommandError(f"There is no file at {path}.")
            with file.open("rb") as handle:
                data = handle.read(MAX_FEED_BYTES + 1)  # never read more than one byte past the limit
            name = file.name
        if queue:
            try:
                job_id = oruk_import_queue(data=data, source=source, filename=name, publish=publish)
            except DomainError as exc:
                raise CommandError(exc.message) from exc
            self.stdout.write(
                f"Queued as background job {job_id}: see /background-jobs/{job_id}/ for its progress and report."
            )
            return
        try:
            report = oruk_import(data=data, source=source, filename=name, publish=publish)
        except DomainError as exc:
            raise CommandError(exc.message) from exc
        for line in report.lines():
            self.stdout.write(line)
        if not report.accepted:
            raise CommandError("The feed was rejected; the directory has not changed.")
