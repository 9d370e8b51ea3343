"""Writes for background jobs: enqueue, run (the worker's side), retry, recover (decision 016).

Every job is a `Job` row (our table: what pages show) and a queue entry of the one Django task
`tasks.run_job(job_id)`. With the database backend both are written in the caller's transaction, so
a rolled-back write queues nothing and a committed one cannot lose its job. A job runs only when a
worker claims its row (queued to running, a conditional update), so a job enqueued twice, or a
queue entry run twice, runs once.
"""

from __future__ import annotations

import logging
import traceback
from datetime import datetime, timedelta
from hashlib import sha256
from uuid import UUID

from django.db import transaction
from django.db.models import F, Q
from django.utils import timezone
from django_tasks import DEFAULT_TASK_BACKEND_ALIAS, task_backends
from django_tasks.backends.immediate import ImmediateBackend

from joinedup.audit.services import audit_record
from joinedup.audit.verbs import AuditVerb
from joinedup.core.errors import DomainError, NotPermitted
from joinedup.organisations.permissions import Membership, Perm, has_perm

from .models import KEY_MAX, Job, JobStatus
from .registry import Id, JobKind, Progress, kind_for

logger = logging.getLogger(__name__)


def _ids(arguments: dict[str, Id]) -> dict[str, str]:
    """Ids in, nothing else: a job's arguments are the keys of the records it works on."""
    out: dict[str, str] = {}
    for name, value in arguments.items():
        if not isinstance(value, str | int | UUID) or isinstance(value, bool):
            raise TypeError(f"Job argument {name!r} must be an id (str, int or UUID), not {type(value).__name__}")
        out[name] = str(value)
    return out


def _default_key(kind: JobKind, arguments: dict[str, str]) -> str:
    digest = sha256(repr(sorted(arguments.items())).encode()).hexdigest()[:32]
    return f"{kind.name}:{digest}"[-KEY_MAX:]


def _dispatch(job: Job, *, run_after: datetime | None = None) -> None:
    """Queue "run job <id>". The database backend writes it in the caller's transaction; the
    immediate backend (tests only) runs it once the transaction commits."""
    from .tasks import run_job

    if isinstance(task_backends[DEFAULT_TASK_BACKEND_ALIAS], ImmediateBackend):
        if run_after is None:  # a retry waits for a real worker: the immediate backend cannot defer
            transaction.on_commit(lambda: run_job.enqueue(str(job.pk)), robust=True)
        return
    task = run_job.using(run_after=run_after) if run_after else run_job
    result = task.enqueue(str(job.pk))
    Job.objects.filter(pk=job.pk).update(task_id=str(result.id))


def job_enqueue(
    *,
    kind: JobKind,
    arguments: dict[str, Id],
    key: str | None = None,
    actor: Membership | None = None,
    organisation_id: UUID | None = None,
) -> Job:
    """Record the job and queue it; the same `key` again returns the first job and queues nothing."""
    ids = _ids(arguments)
    key = (key or _default_key(kind, ids))[:KEY_MAX]
    with transaction.atomic():
        existing = Job.objects.filter(key=key).first()
        if existing is not None:
            return existing
        job = Job.objects.create(
            kind=kind.name,
            label=kind.label,
            key=key,
            arguments=ids,
            max_attempts=kind.max_attempts,
            organisation_id=organisation_id or (actor.organisation_id if actor else None),
            created_by=actor.user if actor else None,
        )
        _dispatch(job)
    return job


def _claim(job_id: str, worker_id: str, kind: JobKind) -> bool:
    now = timezone.now()
    return bool(
        Job.objects.filter(pk=job_id, status=JobStatus.QUEUED)
        .filter(Q(run_after__isnull=True) | Q(run_after__lte=now))
        .update(
            status=JobStatus.RUNNING,
            attempts=F("attempts") + 1,
            started_at=now,
            lease_until=now + timedelta(seconds=kind.lease_seconds),
            worker_id=worker_id[:64],
            updated_at=now,
        )
    )


def job_run(*, job_id: str, worker_id: str = "") -> str:
    """The worker's side: claim the job, call its function with its ids, record what happened.
    Never raises for the job's own failure: that is recorded on the job (and retried)."""
    job = Job.objects.filter(pk=job_id).first()
    if job is None:
        return "no such job"
    try:
        kind = kind_for(job.kind)
    except (LookupError, ImportError) as exc:
        _finish_failed(job, f"{type(exc).__name__}: {exc}")
        return "failed"
    if not _claim(job_id, worker_id, kind):
        return f"not run: {job.get_status_display().lower()}"
    job.refresh_from_db()
    try:
        result = kind(**job.arguments, progress=Progress(job.pk, kind.lease_seconds))
    except Exception as exc:
        return _attempt_failed(job, kind, exc)
    now = timezone.now()
    Job.objects.filter(pk=job.pk, status=JobStatus.RUNNING).update(
        status=JobStatus.DONE,
        result=result if isinstance(result, dict | list | str | int | float) else None,
        error="",
        percent=100,
        finished_at=now,
        lease_until=None,
        updated_at=now,
    )
    return "done"


def _error_text(exc: BaseException) -> str:
    if isinstance(exc, DomainError):
        return str(exc)
    lines = traceback.format_exception_only(type(exc), exc)
    return "".join(lines).strip()[:4000]


def _attempt_failed(job: Job, kind: JobKind, exc: Exception) -> str:
    logger.warning("Job %s (%s) attempt %s failed: %s", job.pk, job.kind, job.attempts, exc)
    error = _error_text(exc)
    if job.attempts >= job.max_attempts or isinstance(exc, DomainError):
        _finish_failed(job, error)
        return "failed"
    run_after = timezone.now() + kind.backoff(job.attempts)
    with transaction.atomic():
        Job.objects.filter(pk=job.pk).update(
            status=JobStatus.QUEUED, error=error, run_after=run_after, lease_until=None, updated_at=timezone.now()
        )
        _dispatch(job, run_after=run_after)
    return "retrying"


def _finish_failed(job: Job, error: str) -> None:
    now = timezone.now()
    Job.objects.filter(pk=job.pk).update(
        status=JobStatus.FAILED, error=error[:4000], finished_at=now, lease_until=None, updated_at=now
    )


def jobs_recover(*, now: datetime | None = None) -> int:
    """Put back on the queue every running job whose worker stopped (its lease ran out without a
    word); one out of attempts is marked failed. The worker runs this as it starts and between jobs."""
    now = now or timezone.now()
    recovered = 0
    for job in Job.objects.filter(status=JobStatus.RUNNING, lease_until__lt=now):
        stopped = f"The worker stopped during attempt {job.attempts} (it did not finish or report in time)."
        with transaction.atomic():
            if job.attempts >= job.max_attempts:
                moved = Job.objects.filter(pk=job.pk, status=JobStatus.RUNNING, lease_until__lt=now).update(
                    status=JobStatus.FAILED, error=stopped, finished_at=now, lease_until=None, updated_at=now
                )
            else:
                moved = Job.objects.filter(pk=job.pk, status=JobStatus.RUNNING, lease_until__lt=now).update(
                    status=JobStatus.QUEUED, error=stopped, run_after=None, lease_until=None, updated_at=now
                )
                if moved:
                    _dispatch(job)
        recovered += moved
    return recovered


def job_retry(*, job: Job, actor: Membership) -> Job:
    """An administrator runs a failed job again, with its attempts counted afresh. Audited."""
    if not has_perm(actor, Perm.JOBS_MANAGE):
        raise NotPermitted("You cannot manage background jobs.")
    with transaction.atomic():
        moved = Job.objects.filter(pk=job.pk, status=JobStatus.FAILED).update(
            status=JobStatus.QUEUED,
            attempts=0,
            run_after=None,
            finished_at=None,
            percent=None,
            updated_at=timezone.now(),
        )
        if not moved:
            raise DomainError("Only a failed job can be run again.")
        job.refresh_from_db()
        _dispatch(job)
        audit_record(
            actor=actor.user,
            verb=AuditVerb.JOB_RETRIED,
            target=job,
            organisation=actor.organisation,
            payload={"job": job.label, "kind": job.kind},
        )
    return job
