"""Daily jobs: `settings.JOBS_DAILY` maps a declared job (`registry.job`, by its dotted name) to the
local time ("HH:MM") from which it is due each day. Every worker round (`worker.run_worker`) asks a
`DailyJobs` to enqueue what is due and not yet queued today, with the key
`daily:<name>:<YYYY-MM-DD>` and the day as its one argument: the key makes it once a day however many
workers look (a second enqueue of the key returns the first job), and a worker that starts after the
time still queues today's (like a systemd timer's `Persistent=true`). Each worker remembers the days
it has queued, so this costs one query per job per day, not per round.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, time

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone

from .models import Job
from .registry import JobKind, kind_for


def daily_key(name: str, day: date) -> str:
    return f"daily:{name}:{day.isoformat()}"


def daily_schedule() -> dict[JobKind, time]:
    """The declared daily jobs and their times; a name that is not a declared job, or a time that is
    not HH:MM, is refused (the worker checks this as it starts)."""
    schedule: dict[JobKind, time] = {}
    for name, at in getattr(settings, "JOBS_DAILY", {}).items():
        try:
            schedule[kind_for(name)] = time.fromisoformat(at)
        except ValueError as exc:
            raise ValueError(f"JOBS_DAILY[{name!r}] must be a time of day as HH:MM, not {at!r}") from exc
    return schedule


@dataclass
class DailyJobs:
    schedule: dict[JobKind, time] = field(default_factory=daily_schedule)
    queued_on: dict[str, date] = field(default_factory=dict)

    def enqueue_due(self, now: datetime | None = None) -> list[Job]:
        """Queue each daily job whose time has come today and that is not queued for today yet."""
        local = timezone.localtime(now or timezone.now())
        queued = []
        for kind, at in self.schedule.items():
            if self.queued_on.get(kind.name) == local.date() or local.time() < at:
                continue
            day = local.date().isoformat()
            try:
                with transaction.atomic():
                    queued.append(kind.enqueue(key=daily_key(kind.name, local.date()), day=day))
            except IntegrityError:
                pass  # another worker queued it between our look and our write: the key is unique
            self.queued_on[kind.name] = local.date()
        return queued
