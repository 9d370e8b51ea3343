"""Run a background worker: `manage.py jobs_worker` (production: one systemd unit per worker)."""

from __future__ import annotations

import logging
from typing import Any

from django.core.management.base import BaseCommand, CommandParser
from django.utils.crypto import get_random_string

from joinedup.jobs.worker import run_worker


class Command(BaseCommand):
    help = "Run background jobs until stopped (SIGTERM finishes the job in hand first)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--interval", type=float, default=1.0, help="seconds between looks at an empty queue")
        parser.add_argument("--once", action="store_true", help="run what is ready, then stop")
        parser.add_argument("--worker-id", default="", help="unique per worker (default: generated)")

    def handle(self, *args: Any, **options: Any) -> None:
        logging.getLogger("django_tasks_db").setLevel(logging.INFO if options["verbosity"] > 1 else logging.WARNING)
        worker_id = options["worker_id"] or get_random_string(32)
        if options["verbosity"]:
            self.stdout.write(f"Background worker {worker_id} started")
        ran = run_worker(worker_id=worker_id, interval=max(0.05, options["interval"]), once=options["once"])
        if options["verbosity"]:
            self.stdout.write(f"Background worker {worker_id} stopped after {ran} queue entries")
