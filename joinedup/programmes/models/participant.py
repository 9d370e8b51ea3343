"""A case on a programme (the ESF participant): the characteristics recorded at start, the status on
leaving, the six-month follow-up, courses and qualifications, and the job entries seen."""

from __future__ import annotations

from django.db import models

from joinedup.core.models import BaseModel

from .. import limits
from ..choices import DistanceBand, Gender, Isced, LabourMarketStatus, QualificationLevel, YesNo, YesNoPrivate
from .programme import Programme


def _yes_no() -> models.CharField:
    return models.CharField(max_length=10, choices=YesNo.choices, blank=True)


def _private() -> models.CharField:
    return models.CharField(max_length=10, choices=YesNoPrivate.choices, blank=True)


class Participation(BaseModel):
    """A case belongs to one programme through this row (cases has no column for it). The ESF
    characteristics are blank until recorded (`esf_recorded_on`); the cohort columns (age band,
    health condition, benefit, route, distance, area) are a snapshot at start, for the returns and
    the performance tables to read one table."""

    programme = models.ForeignKey(Programme, on_delete=models.PROTECT, related_name="participations")
    # Cases are archived, not deleted; deleting one (the synthetic data's reset) takes this with it.
    case = models.OneToOneField("cases.Case", on_delete=models.CASCADE, related_name="participation")
    partner = models.ForeignKey("organisations.Organisation", on_delete=models.PROTECT, related_name="+")
    started_on = models.DateField()
    # ESF characteristics at start.
    esf_recorded_on = models.DateField(null=True, blank=True)
    gender = models.CharField(max_length=10, choices=Gender.choices, blank=True)
    age_at_start = models.PositiveSmallIntegerField(null=True, blank=True)
    labour_market_status = models.CharField(max_length=30, choices=LabourMarketStatus.choices, blank=True)
    isced = models.CharField(max_length=10, choices=Isced.choices, blank=True)
    jobless_household = _yes_no()
    dependent_children = _yes_no()
    single_adult_dependent_children = _yes_no()
    basic_skills_need = _yes_no()
    homeless = _yes_no()
    rural = _yes_no()
    disability = _private()
    ethnic_minority_migrant = _private()
    other_disadvantage = _private()
    # Cohort snapshot.
    health_condition = models.CharField(max_length=30, blank=True)
    benefit = models.CharField(max_length=20, blank=True)
    route = models.CharField(max_length=40, blank=True)
    local_authority = models.CharField(max_length=60, blank=True)  # an area code of directory.areas
    months_out_of_work = models.PositiveSmallIntegerField(null=True, blank=True)
    distance = models.CharField(max_length=10, choices=DistanceBand.choices, blank=True)
    # Outcomes seen (from the case events), for the performance tables.
    first_job_on = models.DateField(null=True, blank=True)
    sustained_on = models.DateField(null=True, blank=True)
    first_employer_contact_on = models.DateField(null=True, blank=True)
    last_contact_on = models.DateField(null=True, blank=True)
    in_work_support_on = models.DateField(null=True, blank=True)  # the latest in-work support contact
    # Leaving (the ESF immediate results) and the six-month follow-up.
    left_on = models.DateField(null=True, blank=True)
    leaving_job_search = models.BooleanField(default=False)
    leaving_education = models.BooleanField(default=False)
    leaving_qualification = models.BooleanField(default=False)
    leaving_employed = models.BooleanField(default=False)
    follow_up_due_on = models.DateField(null=True, blank=True)
    follow_up_on = models.DateField(null=True, blank=True)
    follow_up_employed = models.BooleanField(default=False)
    follow_up_improved = models.BooleanField(default=False)

    class Meta:
        ordering = ["-started_on"]
        indexes = [
            models.Index(fields=["programme", "started_on"]),
            models.Index(fields=["programme", "left_on"]),
            models.Index(fields=["programme", "follow_up_due_on"]),
            # The ESF return counts the part-months at a period's edges from the rows (decision 021).
            models.Index(fields=["programme", "follow_up_on"], name="participation_follow_up_on"),
            # The performance page's job entries and sustained jobs by month (docs/benchmarks.md).
            models.Index(fields=["programme", "first_job_on"]),
            models.Index(fields=["programme", "sustained_on"]),
            models.Index(fields=["partner", "follow_up_due_on"], name="participation_follow_up_due"),
        ]

    @property
    def esf_complete(self) -> bool:
        return self.esf_recorded_on is not None


class Course(BaseModel):
    participation = models.ForeignKey(Participation, on_delete=models.CASCADE, related_name="courses")
    name = models.CharField(max_length=limits.COURSE.max_length)
    provider = models.CharField(max_length=limits.PROVIDER.max_length)
    level = models.CharField(max_length=10, choices=QualificationLevel.choices)
    started_on = models.DateField()
    completed_on = models.DateField(null=True, blank=True)
    qualification_gained = models.BooleanField(default=False)

    class Meta:
        ordering = ["-started_on"]


class JobEntry(BaseModel):
    """A job start seen on a participant's case (from `case.job_started`), and whether its evidence
    has been withdrawn (which reverses the claims it supports)."""

    participation = models.ForeignKey(Participation, on_delete=models.CASCADE, related_name="job_entries")
    job_start_id = models.UUIDField(unique=True)
    start_date = models.DateField()
    contract_type = models.CharField(max_length=20, blank=True)
    withdrawn_at = models.DateTimeField(null=True, blank=True)
    withdrawn_reason = models.TextField(max_length=limits.REASON.max_length, blank=True)

    class Meta:
        ordering = ["start_date"]
