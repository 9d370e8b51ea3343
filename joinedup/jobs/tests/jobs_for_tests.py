"""Jobs declared for the queue's tests. Each appends a line to the file it is given, so a test (or a
worker in another process) can count how often it really ran."""

from __future__ import annotations

import time
from pathlib import Path

from joinedup.core.errors import DomainError
from joinedup.jobs.registry import Progress, job


def _ran(marker: str) -> int:
    with Path(marker).open("a") as f:
        f.write("ran\n")
    return len(Path(marker).read_text().splitlines())


@job(label="Count a run")
def count_run(*, marker: str, progress: Progress) -> dict[str, int]:
    progress.report(50, "Half way")
    return {"runs": _ran(marker)}


@job(label="Always fails", max_attempts=3, backoff_seconds=0)
def always_fails(*, marker: str, progress: Progress) -> None:
    _ran(marker)
    raise RuntimeError("The test service is down")


@job(label="Refuses its input")
def refuses(*, marker: str, progress: Progress) -> None:
    _ran(marker)
    raise DomainError("That record cannot be used.")


@job(label="Slow the first time", max_attempts=3, lease_seconds=1)
def slow_first_time(*, marker: str, progress: Progress) -> dict[str, int]:
    runs = _ran(marker)
    if runs == 1:
        time.sleep(60)  # the test kills the worker here
    return {"runs": runs}


@job(label="A daily job for the tests")
def daily_for_tests(*, day: str, progress: Progress) -> dict[str, str]:
    return {"day": day}
