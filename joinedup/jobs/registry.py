"""The one way to declare a background job: `@job(...)` on a function that takes ids and calls a service.

    from joinedup.jobs.registry import Progress, job

    @job(label="Send a notification", max_attempts=5, backoff_seconds=30)
    def notification_deliver(*, notification: str, progress: Progress) -> dict[str, object]:
        return notifications_send(ids=[notification])

    notification_deliver.enqueue(key=f"notification:{pk}", notification=str(pk))

The function is called by the worker with the ids it was enqueued with (strings) and a `Progress` to
report a percentage; what it returns (JSON) is kept as the job's result; an exception is an attempt
that failed (retried with backoff up to `max_attempts`; a `DomainError` is not retried: the same
input would fail the same way). See docs/how-to/add-a-job.md.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import timedelta
from importlib import import_module
from typing import TYPE_CHECKING, Any
from uuid import UUID

from django.utils import timezone

if TYPE_CHECKING:
    from joinedup.organisations.permissions import Membership

    from .models import Job

JobFunction = Callable[..., Any]
Id = str | int | UUID

_KINDS: dict[str, JobKind] = {}


class Progress:
    """Given to a running job: `progress.report(40, "Working out 16 hours")` shows on the job's page
    and renews the job's lease (a job that reports is not taken for one whose worker stopped)."""

    def __init__(self, job_id: UUID | str, lease_seconds: int) -> None:
        self.job_id = job_id
        self.lease_seconds = lease_seconds

    def report(self, percent: int | None, message: str = "") -> None:
        from .models import Job

        now = timezone.now()
        Job.objects.filter(pk=self.job_id).update(
            percent=None if percent is None else max(0, min(100, int(percent))),
            message=message[:200],
            lease_until=now + timedelta(seconds=self.lease_seconds),
            updated_at=now,
        )


@dataclass(frozen=True)
class JobKind:
    function: JobFunction
    label: str
    max_attempts: int = 3
    backoff_seconds: int = 10  # before the 2nd attempt; doubled each time, at most an hour
    lease_seconds: int = 300  # a running job not heard of for this long is run again
    name: str = field(default="")

    def __call__(self, **kwargs: Any) -> Any:
        return self.function(**kwargs)

    def backoff(self, attempts: int) -> timedelta:
        return timedelta(seconds=min(3600, self.backoff_seconds * 2 ** max(0, attempts - 1)))

    def enqueue(
        self,
        *,
        key: str | None = None,
        actor: Membership | None = None,
        organisation_id: UUID | None = None,
        **ids: Id,
    ) -> Job:
        """Put the job on the queue (in the caller's transaction); the same key twice is one job.
        `organisation_id`: whose pages may show its progress (default: the actor's organisation)."""
        from .services import job_enqueue

        return job_enqueue(kind=self, key=key, actor=actor, organisation_id=organisation_id, arguments=ids)


def job(
    *, label: str, max_attempts: int = 3, backoff_seconds: int = 10, lease_seconds: int = 300
) -> Callable[[JobFunction], JobKind]:
    """Declare a background job (see the module's docstring)."""
    if max_attempts < 1 or backoff_seconds < 0 or lease_seconds < 1:
        raise ValueError("A job needs at least one attempt, a backoff of 0 or more and a lease of 1 second or more.")

    def declare(function: JobFunction) -> JobKind:
        name = f"{function.__module__}.{function.__qualname__}"
        kind = JobKind(function, label, max_attempts, backoff_seconds, lease_seconds, name)
        _KINDS[name] = kind
        return kind

    return declare


def kind_for(name: str) -> JobKind:
    """The declared job called `name`, importing its module if this process has not yet."""
    if name not in _KINDS:
        module = name.rsplit(".", 1)[0]
        if not module.startswith("joinedup."):
            raise LookupError(f"{name!r} is not a Joined Up job")
        import_module(module)
    if name not in _KINDS:
        raise LookupError(f"No job called {name!r} is declared")
    return _KINDS[name]


def declared() -> dict[str, JobKind]:
    return dict(_KINDS)
