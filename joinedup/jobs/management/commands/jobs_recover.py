"""Put back on the queue the jobs whose worker stopped mid-job (workers also do this themselves)."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from joinedup.jobs.services import jobs_recover


class Command(BaseCommand):
    help = "Requeue running jobs whose lease ran out (their worker stopped)."

    def handle(self, *args: Any, **options: Any) -> None:
        self.stdout.write(f"{jobs_recover()} job(s) put back on the queue")
