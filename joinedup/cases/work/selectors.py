"""Reads for work: job starts and their in-work milestones, job search, permitted work."""

from __future__ import annotations

import functools
from dataclasses import dataclass
from datetime import date, timedelta
from uuid import UUID

from django.core.exceptions import ValidationError
from django.db.models import Exists, OuterRef, QuerySet
from django.http import Http404
from django.utils import timezone

from joinedup.core.compiled import CompiledQuery
from joinedup.core.pagination import PAGE_SIZE, Page, paginate_list
from joinedup.organisations.models import Membership

from ..checks import require_view
from ..enrolment import stages
from ..enrolment.models import Case
from .models import MILESTONES, JobApplication, JobStart, Milestone, Sustainment, WorkActivity

MILESTONE_OVERDUE_AFTER_DAYS = 14  # a milestone check within two weeks of its date is on time


def job_start_get(*, actor: Membership, case: Case, pk: UUID | str) -> JobStart:
    try:
        return case.job_starts.get(pk=pk)
    except (JobStart.DoesNotExist, ValueError, ValidationError) as exc:
        raise Http404("No such job start") from exc


@dataclass(frozen=True)
class MilestoneDue:
    job_start: JobStart
    milestone: Milestone
    due_on: date
    recorded: Sustainment | None

    @property
    def weeks(self) -> int | None:
        return self.milestone.weeks

    @property
    def achieved_on(self) -> date | None:
        return self.recorded.achieved_on if self.recorded else None

    @property
    def overdue(self) -> bool:
        """Not recorded more than MILESTONE_OVERDUE_AFTER_DAYS after it fell due."""
        return self.recorded is None and (timezone.localdate() - self.due_on).days > MILESTONE_OVERDUE_AFTER_DAYS

    @property
    def status(self) -> str:
        """ "recorded", "due" (due today or before, not recorded) or "upcoming"."""
        if self.recorded:
            return "recorded"
        return "due" if self.due_on <= timezone.localdate() else "upcoming"


# A case's job starts, and the milestones recorded for them (`CompiledQuery`, decision 011).
_job_starts_of = CompiledQuery(lambda case: JobStart.objects.filter(case=case), case=JobStart._meta.get_field("case"))
_sustainments_of = CompiledQuery(
    lambda case: Sustainment.objects.filter(job_start__case=case), case=JobStart._meta.get_field("case")
)


def case_milestones(*, case: Case) -> list[MilestoneDue]:
    """The 4, 13 and 26 week milestones and the 6-month follow-up of each job start, due automatically
    from its start date. Two queries."""
    recorded: dict[object, dict[str, Sustainment]] = {}
    for s in _sustainments_of(case=case.pk):
        recorded.setdefault(s.job_start_id, {})[s.milestone.code] = s
    result: list[MilestoneDue] = []
    for job in _job_starts_of(case=case.pk):
        mine = recorded.get(job.pk, {})
        for milestone in MILESTONES:
            result.append(MilestoneDue(job, milestone, job.milestone_due_on(milestone), mine.get(milestone.code)))
    return result


MILESTONE_REMINDER_WINDOW_DAYS = 400  # job starts older than this are past their last milestone (6 months)


def _recorded(milestone: Milestone) -> Exists:
    """Whether the job start (the outer row) has this milestone recorded."""
    when = {"weeks": milestone.weeks} if milestone.weeks is not None else {"months": milestone.months}
    return Exists(Sustainment.objects.filter(job_start=OuterRef("pk"), **when))


@functools.cache
def _milestone_jobs(mine_only: bool) -> CompiledQuery[JobStart]:
    """The job starts at open cases that started between `since` and `until`, at a partner (or an
    adviser's), each with which milestones it has recorded: one query, built once (decision 011)."""

    def build(partner: object, since: date, until: date, adviser: object = None) -> QuerySet[JobStart]:
        jobs = (
            JobStart.objects.filter(case__delivery_partner=partner, start_date__gte=since, start_date__lte=until)
            .exclude(case__stage=stages.CLOSED)
            .select_related("case__person")
            # Only what a reminder shows: a partner's year of job starts is thousands of rows.
            .only(
                "start_date",
                "job_title",
                "employer_name",
                "case__id",
                "case__person__given_name",
                "case__person__family_name",
            )
            .annotate(**{f"recorded_{m.code}": _recorded(m) for m in MILESTONES})
        )
        return jobs.filter(case__adviser=adviser) if mine_only else jobs

    start_date = JobStart._meta.get_field("start_date")
    keys = {"partner": Case._meta.get_field("delivery_partner"), "since": start_date, "until": start_date}
    return CompiledQuery(build, **keys, **({"adviser": Case._meta.get_field("adviser")} if mine_only else {}))


def milestones_due_page(*, actor: Membership, adviser: object | None, page: object, size: int = PAGE_SIZE) -> Page:
    """A page of the reminders (`milestones_due`; with `adviser`, on that adviser's cases), oldest
    due first. One query: the reminders are worked out from the window's job starts, then paged."""
    due = milestones_due(actor=actor, mine_only=adviser is not None, adviser=adviser, limit=None)
    return paginate_list(due, page, size=size)


def milestones_due(
    *, actor: Membership, mine_only: bool = True, limit: int | None = 50, adviser: object | None = None
) -> list[MilestoneDue]:
    """Reminders: in-work milestones now due and not yet recorded, for open cases, oldest due first
    (at most `limit`; None: all). `mine_only`: on one adviser's cases (`adviser`, else the actor's).
    One query whatever the size."""
    require_view(actor)
    today = timezone.localdate()
    jobs = _milestone_jobs(mine_only)(
        partner=actor.organisation_id,
        since=today - timedelta(days=MILESTONE_REMINDER_WINDOW_DAYS),
        until=today - timedelta(weeks=MILESTONES[0].weeks or 0),
        **({"adviser": actor.user_id if adviser is None else adviser} if mine_only else {}),
    )
    due: list[MilestoneDue] = []
    for job in jobs:
        for milestone in MILESTONES:
            when = job.milestone_due_on(milestone)
            if when <= today and not getattr(job, f"recorded_{milestone.code}"):
                due.append(MilestoneDue(job, milestone, when, None))
    due.sort(key=lambda m: m.due_on)
    return due if limit is None else due[:limit]


def job_application_get(*, case: Case, pk: UUID | str) -> JobApplication:
    try:
        return case.job_applications.get(pk=pk)
    except (JobApplication.DoesNotExist, ValueError, ValidationError) as exc:
        raise Http404("No such application") from exc


def work_activities(*, case: Case) -> list[WorkActivity]:
    return list(WorkActivity.objects.filter(case=case))


def cases_seeking_work() -> QuerySet[Case]:
    """Every case at the enrolled stage (not yet in work) across the partnership, for matching people
    to vacancies (`employers.matching`): the caller names only its own organisation's people."""
    return Case.objects.filter(stage=stages.ENROLLED, archived_at__isnull=True, closed_on__isnull=True)


def case_ids_of_people(*, person_ids: list[UUID]) -> list[UUID]:
    """Every case of these people (for records other apps keep per case, like `employers`' matching table)."""
    return list(Case.objects.filter(person_id__in=person_ids).values_list("pk", flat=True))


def employer_names_on_records() -> list[tuple[str, UUID, str]]:
    """Every free-text employer name on job starts, job applications and permitted work or
    volunteering: (source, id, text), for linking them to employer records."""
    out: list[tuple[str, UUID, str]] = []
    out += [("job_start", pk, text) for pk, text in JobStart.objects.values_list("pk", "employer_name")]
    out += [("application", pk, text) for pk, text in JobApplication.objects.values_list("pk", "employer_name")]
    out += [("work_activity", pk, text) for pk, text in WorkActivity.objects.values_list("pk", "organisation_name")]
    return out


def job_starts_at(*, partner_id: UUID, started_before: date) -> QuerySet[JobStart]:
    """Job starts of cases at a delivery partner that started on or before a date (for reminders
    other apps keep about a job, like `employers`' adjustments reminder)."""
    return JobStart.objects.filter(case__delivery_partner_id=partner_id, start_date__lte=started_before).select_related(
        "case__person"
    )
