"""Work: job starts and their in-work milestones, job search, permitted work and volunteering."""

from __future__ import annotations

import calendar
from dataclasses import dataclass
from datetime import date, timedelta

from django.db import models
from django.db.models.functions import Lower

from joinedup.core.models import BaseModel

from .. import limits
from ..enrolment.models import Case


class ContractType(models.TextChoices):
    PERMANENT = "permanent", "Permanent"
    FIXED_TERM = "fixed_term", "Fixed-term"
    TEMPORARY = "temporary", "Temporary or agency"
    ZERO_HOURS = "zero_hours", "Zero-hours"
    APPRENTICESHIP = "apprenticeship", "Apprenticeship"
    SELF_EMPLOYED = "self_employed", "Self-employed"


class JobStart(BaseModel):
    """Paid work: a job with an employer, or self-employment (then `employer_name` is the business's
    name and `hourly_pay` the expected earnings an hour). Permitted work and volunteering are
    `WorkActivity`, not job starts."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="job_starts")
    employer_name = models.CharField(max_length=limits.EMPLOYER.max_length)
    job_title = models.CharField(max_length=limits.JOB_TITLE.max_length)
    hours_per_week = models.DecimalField(max_digits=4, decimal_places=1)
    hourly_pay = models.DecimalField(max_digits=6, decimal_places=2)
    start_date = models.DateField(db_index=True)
    evidence = models.TextField(max_length=limits.WORK_EVIDENCE.max_length, blank=True)
    # Blank only on job starts recorded before the contract type was asked (and the bulk synthetic
    # load, which writes rows with COPY: hence the database default).
    contract_type = models.CharField(max_length=20, choices=ContractType.choices, blank=True, db_default="")

    class Meta:
        ordering = ["-start_date"]
        constraints = [
            # The same job start recorded twice: same case, employer (any letter case) and start date.
            models.UniqueConstraint(
                "case", Lower("employer_name"), "start_date", name="unique_job_start_per_employer_and_date"
            ),
        ]

    @property
    def self_employed(self) -> bool:
        return self.contract_type == ContractType.SELF_EMPLOYED

    def due_on(self, weeks: int) -> date:
        return self.start_date + timedelta(weeks=weeks)

    def milestone_due_on(self, milestone: Milestone) -> date:
        if milestone.weeks is not None:
            return self.due_on(milestone.weeks)
        return add_months(self.start_date, milestone.months or 0)


def add_months(start: date, months: int) -> date:
    """The same day `months` later; a day the month lacks (31st, 29 February) becomes its last day."""
    index = start.month - 1 + months
    year, month = start.year + index // 12, index % 12 + 1
    return date(year, month, min(start.day, calendar.monthrange(year, month)[1]))


@dataclass(frozen=True)
class Milestone:
    """An in-work check due from the job start: after a number of weeks, or of calendar months."""

    code: str
    label: str
    weeks: int | None = None
    months: int | None = None


# In-work milestones in the order they fall due. 13 and 26 weeks are the programme's sustainment
# outcomes (the dashboard counts 26); 4 weeks and the 6-month follow-up are in-work support checks.
MILESTONES: tuple[Milestone, ...] = (
    Milestone("4w", "4 weeks in work", weeks=4),
    Milestone("13w", "13 weeks in work", weeks=13),
    Milestone("26w", "26 weeks in work", weeks=26),
    Milestone("6m", "6-month follow-up", months=6),
)
MILESTONES_BY_CODE = {m.code: m for m in MILESTONES}
SUSTAINMENT_WEEKS = tuple(m.weeks for m in MILESTONES if m.weeks)
FOLLOW_UP_MONTHS = tuple(m.months for m in MILESTONES if m.months)


class MilestoneOutcome(models.TextChoices):
    STILL_IN_WORK = "still_in_work", "Still in the same job"
    CHANGED_JOB = "changed_job", "In work, but changed job"
    LEFT_WORK = "left_work", "Left work"


IN_WORK_OUTCOMES = (MilestoneOutcome.STILL_IN_WORK.value, MilestoneOutcome.CHANGED_JOB.value)


class Sustainment(BaseModel):
    """An in-work milestone of a job start, `weeks` (4, 13, 26) or `months` (6) after it, with the
    outcome. Only the in-work outcomes count as sustained work."""

    job_start = models.ForeignKey(JobStart, on_delete=models.CASCADE, related_name="sustainments")
    weeks = models.PositiveSmallIntegerField(
        null=True, blank=True, choices=[(w, f"{w} weeks") for w in SUSTAINMENT_WEEKS]
    )
    months = models.PositiveSmallIntegerField(
        null=True, blank=True, choices=[(m, f"{m} months") for m in FOLLOW_UP_MONTHS]
    )
    achieved_on = models.DateField(db_index=True)
    evidence = models.TextField(max_length=limits.WORK_EVIDENCE.max_length)
    outcome = models.CharField(max_length=20, choices=MilestoneOutcome.choices, default=MilestoneOutcome.STILL_IN_WORK)

    class Meta:
        ordering = ["weeks"]
        constraints = [
            models.UniqueConstraint(fields=["job_start", "weeks"], name="unique_sustainment"),
            models.UniqueConstraint(fields=["job_start", "months"], name="unique_follow_up"),
            models.CheckConstraint(
                condition=(models.Q(weeks__isnull=False) & models.Q(months__isnull=True))
                | (models.Q(weeks__isnull=True) & models.Q(months__isnull=False)),
                name="sustainment_weeks_or_months",
            ),
        ]

    @property
    def milestone(self) -> Milestone:
        return self.milestone_of(self.weeks, self.months)

    @staticmethod
    def milestone_of(weeks: int | None, months: int | None) -> Milestone:
        """The milestone a sustainment with these weeks or months records."""
        return MILESTONES_BY_CODE[f"{weeks}w" if weeks is not None else f"{months}m"]

    @property
    def in_work(self) -> bool:
        return self.outcome in IN_WORK_OUTCOMES


class ApplicationStatus(models.TextChoices):
    APPLIED = "applied", "Applied"
    INTERVIEW = "interview", "Invited to interview"
    OFFERED = "offered", "Offered the job"
    UNSUCCESSFUL = "unsuccessful", "Unsuccessful"
    WITHDRAWN = "withdrawn", "Withdrew"


class JobApplication(BaseModel):
    """Job search: a vacancy applied for, and how it went."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="job_applications")
    employer_name = models.CharField(max_length=limits.EMPLOYER.max_length)
    job_title = models.CharField(max_length=limits.JOB_TITLE.max_length)
    applied_on = models.DateField()
    status = models.CharField(max_length=20, choices=ApplicationStatus.choices, default=ApplicationStatus.APPLIED)
    interview_on = models.DateField(null=True, blank=True)

    class Meta:
        ordering = ["-applied_on", "-created_at"]


class WorkActivityKind(models.TextChoices):
    PERMITTED_WORK = "permitted_work", "Permitted work"
    VOLUNTEERING = "volunteering", "Volunteering"


class WorkActivity(BaseModel):
    """Permitted work (limited paid work allowed alongside a health-related benefit) or volunteering.
    Recorded separately from job starts: neither counts as a job start or a sustained job."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="work_activities")
    kind = models.CharField(max_length=20, choices=WorkActivityKind.choices)
    organisation_name = models.CharField(max_length=limits.ORGANISATION.max_length)
    role = models.CharField(max_length=limits.ROLE.max_length)
    hours_per_week = models.DecimalField(max_digits=4, decimal_places=1)
    weekly_earnings = models.DecimalField(max_digits=7, decimal_places=2, default=0)  # 0 for volunteering
    started_on = models.DateField()
    ended_on = models.DateField(null=True, blank=True)

    class Meta:
        ordering = ["-started_on", "-created_at"]
