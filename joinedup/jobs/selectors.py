"""Reads of background jobs: the administrator's list, and one job's progress for the page that started it."""

from __future__ import annotations

from uuid import UUID

from django.db.models import Count, QuerySet

from joinedup.core.errors import NotPermitted
from joinedup.core.selectors import get_in_scope
from joinedup.organisations.permissions import Membership, Perm, has_perm

from .models import Job, JobStatus


def _require_manage(actor: Membership) -> None:
    if not has_perm(actor, Perm.JOBS_MANAGE):
        raise NotPermitted("You cannot see background jobs.")


def jobs_list(*, actor: Membership, status: str = "") -> QuerySet[Job]:
    """Every job, newest first, optionally in one status (the administrator's page)."""
    _require_manage(actor)
    jobs = Job.objects.defer("result")
    return jobs.filter(status=status) if status in JobStatus.values else jobs


def jobs_counts(*, actor: Membership) -> dict[str, int]:
    _require_manage(actor)
    counts = dict(Job.objects.values_list("status").annotate(n=Count("pk")).order_by())
    return {status: counts.get(status, 0) for status in JobStatus.values}


def job_get(*, actor: Membership, pk: UUID | str) -> Job:
    _require_manage(actor)
    return get_in_scope(Job.objects.all(), pk=pk)


def job_for(*, key: str, organisation_id: UUID | str) -> Job | None:
    """The organisation's job queued under `key` (the page that started it knows the key), if any.
    The caller checks the permission for what the job is about."""
    return Job.objects.filter(key=key, organisation_id=organisation_id).defer("result").first()


def job_waiting(*, key: str) -> bool:
    """Whether the job queued under `key` is still to finish (waiting to run, or running)."""
    return Job.objects.filter(key=key, status__in=(JobStatus.QUEUED, JobStatus.RUNNING)).exists()
