"""Governance's background jobs: the daily retention run (queued by the worker from
`settings.JOBS_DAILY`, `jobs.daily`; `manage.py retention --dry-run` still reports by hand)."""

from __future__ import annotations

from django.conf import settings

from joinedup.core.errors import DomainError
from joinedup.jobs.registry import Progress, job

from .retention_run import retention_run


@job(label="Apply the retention periods", max_attempts=3, backoff_seconds=600, lease_seconds=3600)
def retention_daily(*, day: str, progress: Progress) -> dict[str, object]:
    """One day's retention run. Idempotent: a person already erased is not due again, so a run again
    after a worker stopped mid-way carries on where it was. A person who could not be erased fails
    the job with their ids (not retried: the same record fails the same way) for someone to look at.
    Where `settings.RETENTION_ENFORCED` is off (the development and demo setup) it is a dry run:
    it reports who would be erased and changes nothing."""
    enforced = settings.RETENTION_ENFORCED
    progress.report(None, "Applying the retention periods" if enforced else "Reporting the retention periods (dry run)")
    report = retention_run(dry_run=not enforced, channel="job")
    if not enforced:
        return {"day": day, "dry_run": True, "would_erase": len(report.due), "held": len(report.held)}
    if report.failed:
        raise DomainError(f"{len(report.failed)} people could not be erased: " + "; ".join(report.lines()[-3:]))
    return {
        "day": day,
        "erased": len(report.erased),
        "held": len(report.held),
        "consents": report.consents,
        "audit_events": report.audit_events,
    }
