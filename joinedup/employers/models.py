"""Employers, their sites, contacts and engagement; vacancies; people put forward with their consent;
adjustments and Access to Work per job; workplace health. See decision 020."""

from __future__ import annotations

from django.db import models
from django.utils import timezone

from joinedup.core.models import BaseModel

from . import limits
from .choices import (
    AccessToWorkStatus,
    AdjustmentKind,
    AdviceStatus,
    CharterLevel,
    CharterStandard,
    DisabilityConfident,
    EngagementChannel,
    EngagementKind,
    HealthAward,
    NominationStatus,
    SicSection,
    SizeBand,
    Urgency,
    VacancyKind,
    VacancyStatus,
    WagePeriod,
    WhoPays,
    WorkPattern,
)
from .wages import AgeBand


class ContractType(models.TextChoices):
    """The codes of `cases`' job-start contract types, so a job start from a vacancy carries it over."""

    PERMANENT = "permanent", "Permanent"
    FIXED_TERM = "fixed_term", "Fixed-term"
    TEMPORARY = "temporary", "Temporary or agency"
    ZERO_HOURS = "zero_hours", "Zero-hours"
    APPRENTICESHIP = "apprenticeship", "Apprenticeship"


class Employer(BaseModel):
    """An employer the partnership works with. One partner organisation (`owner`) holds the
    relationship and edits it; everyone in the partnership sees it. `organisation` is set when the
    employer's own people are invited to sign in."""

    name = models.CharField(max_length=limits.NAME.max_length)
    name_key = models.CharField(max_length=limits.NAME.max_length, db_index=True)  # duplicates.name_key
    companies_house_number = models.CharField(max_length=8, blank=True, db_index=True)
    sic_section = models.CharField("Sector (SIC 2007 section)", max_length=1, choices=SicSection.choices)
    size_band = models.CharField(max_length=10, choices=SizeBand.choices)
    disability_confident = models.CharField(max_length=10, choices=DisabilityConfident.choices, blank=True)
    disability_confident_on = models.DateField(null=True, blank=True)
    disability_confident_expires_on = models.DateField(null=True, blank=True)
    health_award = models.CharField(max_length=20, choices=HealthAward.choices, blank=True)
    health_award_on = models.DateField(null=True, blank=True)
    publishes_vacancies = models.BooleanField(default=False)  # agreed to open vacancies on the public page
    owner = models.ForeignKey("organisations.Organisation", on_delete=models.PROTECT, related_name="employers_held")
    organisation = models.OneToOneField(
        "organisations.Organisation", null=True, blank=True, on_delete=models.PROTECT, related_name="employer"
    )

    class Meta:
        ordering = ["name"]
        indexes = [models.Index(fields=["owner", "name"])]

    def __str__(self) -> str:
        return self.name


class Site(BaseModel):
    employer = models.ForeignKey(Employer, on_delete=models.CASCADE, related_name="sites")
    name = models.CharField(max_length=limits.SITE_NAME.max_length)
    address = models.CharField(max_length=limits.ADDRESS.max_length, blank=True)
    postcode = models.CharField(max_length=8)
    district = models.CharField(max_length=4, db_index=True)  # the postcode's outward code

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return f"{self.name}, {self.postcode}"


class EmployerContact(BaseModel):
    employer = models.ForeignKey(Employer, on_delete=models.CASCADE, related_name="contacts")
    name = models.CharField(max_length=limits.CONTACT_NAME.max_length)
    role = models.CharField(max_length=limits.CONTACT_ROLE.max_length, blank=True)
    email = models.EmailField(blank=True)
    phone = models.CharField(max_length=limits.PHONE.max_length, blank=True)
    agreed_to_contact = models.BooleanField(default=False)

    class Meta:
        ordering = ["name"]


class Engagement(BaseModel):
    employer = models.ForeignKey(Employer, on_delete=models.CASCADE, related_name="engagements")
    happened_on = models.DateField(db_index=True)
    channel = models.CharField(max_length=10, choices=EngagementChannel.choices)
    kind = models.CharField(max_length=30, choices=EngagementKind.choices)
    notes = models.TextField(max_length=limits.NOTES.max_length, blank=True)
    organisation = models.ForeignKey("organisations.Organisation", on_delete=models.PROTECT, related_name="+")

    class Meta:
        ordering = ["-happened_on", "-created_at"]


class FollowUp(BaseModel):
    employer = models.ForeignKey(Employer, on_delete=models.CASCADE, related_name="follow_ups")
    task = models.CharField(max_length=limits.TASK.max_length)
    due_on = models.DateField(db_index=True)
    done_on = models.DateField(null=True, blank=True)

    class Meta:
        ordering = ["due_on", "created_at"]


class Vacancy(BaseModel):
    employer = models.ForeignKey(Employer, on_delete=models.PROTECT, related_name="vacancies")
    site = models.ForeignKey(Site, on_delete=models.PROTECT, related_name="vacancies")
    title = models.CharField(max_length=limits.TITLE.max_length)
    description = models.TextField(max_length=limits.DESCRIPTION.max_length)
    hours_min = models.DecimalField(max_digits=4, decimal_places=1)
    hours_max = models.DecimalField(max_digits=4, decimal_places=1)
    pattern = models.CharField(max_length=20, choices=WorkPattern.choices)
    contract_type = models.CharField(max_length=20, choices=ContractType.choices)
    wage = models.DecimalField(max_digits=9, decimal_places=2)
    wage_period = models.CharField(max_length=4, choices=WagePeriod.choices, default=WagePeriod.HOURLY)
    age_band = models.CharField(max_length=12, choices=AgeBand.choices, default=AgeBand.ADULT)
    kind = models.CharField(max_length=30, choices=VacancyKind.choices, default=VacancyKind.JOB)
    openings = models.PositiveSmallIntegerField(default=1)
    closing_on = models.DateField()
    adjustments_offered = models.JSONField(default=list)  # AdjustmentKind codes
    guaranteed_interview = models.BooleanField(default=False)
    how_to_apply = models.TextField(max_length=limits.HOW_TO_APPLY.max_length)
    status = models.CharField(max_length=10, choices=VacancyStatus.choices, default=VacancyStatus.DRAFT)
    published_on = models.DateField(null=True, blank=True)  # first opened: schema.org datePosted

    class Meta:
        ordering = ["closing_on", "title"]
        indexes = [
            models.Index(fields=["status", "closing_on"]),
            models.Index(fields=["employer", "status"]),
        ]

    def __str__(self) -> str:
        return f"{self.title} at {self.employer.name}"

    @property
    def is_open(self) -> bool:
        return self.status == VacancyStatus.OPEN and self.closing_on >= timezone.localdate()


class WorkPreferences(BaseModel):
    """What a person on a caseload wants from work, for matching. A blank field is not known."""

    case = models.OneToOneField("cases.Case", on_delete=models.CASCADE, related_name="work_preferences")
    hours_min = models.DecimalField(max_digits=4, decimal_places=1, null=True, blank=True)
    hours_max = models.DecimalField(max_digits=4, decimal_places=1, null=True, blank=True)
    travel_districts = models.JSONField(null=True, blank=True)  # postcode districts; None: not asked
    kinds = models.JSONField(null=True, blank=True)  # VacancyKind codes; None: not asked
    adjustments_needed = models.JSONField(null=True, blank=True)  # AdjustmentKind codes; [] none

    class Meta:
        indexes = [models.Index(fields=["hours_min", "hours_max"])]


class TravelArea(models.Model):
    """One postcode district a person can travel to (indexed for matching a vacancy to people)."""

    id = models.BigAutoField(primary_key=True)
    preferences = models.ForeignKey(WorkPreferences, on_delete=models.CASCADE, related_name="areas")
    district = models.CharField(max_length=4)

    class Meta:
        indexes = [models.Index(fields=["district", "preferences"])]
        constraints = [models.UniqueConstraint(fields=["preferences", "district"], name="unique_travel_area")]


class MatchRow(models.Model):
    """The matching table (decision 030): one row for each postcode district a person looking for
    work can reach (where they live, and each area they said they can travel to), for each open case
    at the enrolled stage, holding what ranking a vacancy's people needs, so SQL narrows on the
    district and ranks without joining the case, the person and their preferences.

    Derived, never edited: `match_table.match_rows_refresh` rewrites a case's rows whenever what they
    copy changes (the case's stage, the person's name or postcode, their work preferences, plan goals
    or better-off calculation), from the event each writer announces; `match_rows_rebuild` writes
    them all (the data migration, synthetic loads)."""

    id = models.BigAutoField(primary_key=True)
    case = models.ForeignKey("cases.Case", on_delete=models.CASCADE, related_name="+")
    partner = models.ForeignKey("organisations.Organisation", on_delete=models.CASCADE, related_name="+")
    district = models.CharField(max_length=4)  # a district this person can reach
    name = models.CharField(max_length=201)  # "given family", the ranking's tie-break
    hours_min = models.DecimalField(max_digits=4, decimal_places=1, null=True)
    hours_max = models.DecimalField(max_digits=4, decimal_places=1, null=True)
    kinds = models.IntegerField(null=True)  # VacancyKind bits (match_table.KIND_BITS); None: not known
    adjustments = models.IntegerField(null=True)  # AdjustmentKind bits needed; 0 none; None: not known
    goal_stems = models.TextField(null=True)  # " stem stem " of the open plan goals; None: no goal
    better_off_wage = models.DecimalField(max_digits=7, decimal_places=2, null=True)  # latest calculation's

    class Meta:
        indexes = [models.Index(fields=["district", "case"], name="employers_matchrow_district")]
        constraints = [models.UniqueConstraint(fields=["case", "district"], name="unique_match_row")]


class ShareConsent(BaseModel):
    """The person's consent to share their named details with one employer: purpose and expiry,
    withdrawn like any consent. While it is in force the employer sees what it says."""

    person = models.ForeignKey("people.Person", on_delete=models.CASCADE, related_name="employer_consents")
    employer = models.ForeignKey(Employer, on_delete=models.PROTECT, related_name="share_consents")
    purpose = models.CharField(max_length=300)
    shares_contact = models.BooleanField(default=False)  # email and phone
    shares_adjustments = models.BooleanField(default=False)  # the adjustments they need
    expires_at = models.DateTimeField()
    withdrawn_at = models.DateTimeField(null=True, blank=True)
    recorded_by_organisation = models.ForeignKey(
        "organisations.Organisation", on_delete=models.PROTECT, related_name="+"
    )

    def in_force(self) -> bool:
        """Not withdrawn, not expired, and the person's record not erased (erasure archives it, and
        ends every consent to share: the employer sees nothing of an erased person)."""
        return self.withdrawn_at is None and self.expires_at > timezone.now() and self.person.archived_at is None

    @staticmethod
    def in_force_q(prefix: str = "") -> models.Q:
        """The same condition in SQL, through `prefix` (e.g. "consent__") from another model."""
        return models.Q(
            **{
                f"{prefix}withdrawn_at__isnull": True,
                f"{prefix}expires_at__gt": timezone.now(),
                f"{prefix}person__archived_at__isnull": True,
            }
        )


class Nomination(BaseModel):
    """A person put forward for a vacancy, with the consent it rests on, and how it went."""

    vacancy = models.ForeignKey(Vacancy, on_delete=models.PROTECT, related_name="nominations")
    case = models.ForeignKey("cases.Case", on_delete=models.CASCADE, related_name="nominations")
    consent = models.ForeignKey(ShareConsent, on_delete=models.PROTECT, related_name="nominations")
    status = models.CharField(max_length=20, choices=NominationStatus.choices, default=NominationStatus.PUT_FORWARD)
    status_changed_on = models.DateField()

    class Meta:
        ordering = ["-created_at"]
        constraints = [models.UniqueConstraint(fields=["vacancy", "case"], name="unique_nomination")]


class JobStartLink(BaseModel):
    """A job start recorded from a vacancy (employer and role carried over)."""

    job_start = models.OneToOneField("cases.JobStart", on_delete=models.CASCADE, related_name="vacancy_link")
    vacancy = models.ForeignKey(Vacancy, on_delete=models.PROTECT, related_name="job_starts")
    nomination = models.OneToOneField(Nomination, null=True, blank=True, on_delete=models.SET_NULL)


class LinkSource(models.TextChoices):
    JOB_START = "job_start", "Job start"
    APPLICATION = "application", "Job application"
    WORK_ACTIVITY = "work_activity", "Permitted work or volunteering"


class NameLink(BaseModel):
    """A free-text employer name on a case record linked to an employer record by the reviewable
    command `employer_link_names`. The original text stays where it was."""

    source = models.CharField(max_length=20, choices=LinkSource.choices)
    source_id = models.UUIDField()
    original_text = models.CharField(max_length=200)
    employer = models.ForeignKey(Employer, on_delete=models.CASCADE, related_name="name_links")
    method = models.CharField(max_length=10)  # "exact" or "close"
    score = models.DecimalField(max_digits=4, decimal_places=3)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["source", "source_id"], name="unique_name_link")]


class Adjustment(BaseModel):
    """A reasonable adjustment agreed for a job."""

    job_start = models.ForeignKey("cases.JobStart", on_delete=models.CASCADE, related_name="adjustments")
    kind = models.CharField(max_length=20, choices=AdjustmentKind.choices)
    description = models.TextField(max_length=limits.ADJUSTMENT.max_length)
    who_pays = models.CharField(max_length=20, choices=WhoPays.choices)
    in_place_on = models.DateField(null=True, blank=True)

    class Meta:
        ordering = ["created_at"]


class AccessToWork(BaseModel):
    job_start = models.OneToOneField("cases.JobStart", on_delete=models.CASCADE, related_name="access_to_work")
    status = models.CharField(max_length=20, choices=AccessToWorkStatus.choices)
    elements = models.JSONField(default=list)  # AccessToWorkElement codes awarded
    applied_on = models.DateField(null=True, blank=True)
    decided_on = models.DateField(null=True, blank=True)


class CharterAssessment(BaseModel):
    """An employer's self-assessment against the Workplace Wellbeing Charter, valid two years."""

    employer = models.ForeignKey(Employer, on_delete=models.CASCADE, related_name="assessments")
    assessed_on = models.DateField()
    valid_until = models.DateField()

    class Meta:
        ordering = ["-assessed_on", "-created_at"]


class CharterAnswer(models.Model):
    id = models.BigAutoField(primary_key=True)
    assessment = models.ForeignKey(CharterAssessment, on_delete=models.CASCADE, related_name="answers")
    standard = models.CharField(max_length=20, choices=CharterStandard.choices)
    level = models.CharField(max_length=12, choices=CharterLevel.choices)
    met = models.BooleanField()
    evidence = models.TextField(max_length=limits.EVIDENCE.max_length, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["assessment", "standard", "level"], name="unique_charter_answer")
        ]


class AdviceRequest(BaseModel):
    """An occupational health question from an employer, sent to an advice provider in the directory.
    About a policy, or an employee's situation without naming them."""

    employer = models.ForeignKey(Employer, on_delete=models.CASCADE, related_name="advice_requests")
    provider = models.ForeignKey("directory.Service", on_delete=models.PROTECT, related_name="+")
    question = models.TextField(max_length=limits.QUESTION.max_length)
    about_employee = models.BooleanField(default=False)
    urgency = models.CharField(max_length=10, choices=Urgency.choices)
    status = models.CharField(max_length=10, choices=AdviceStatus.choices, default=AdviceStatus.SENT)
    answer = models.TextField(max_length=limits.ANSWER.max_length, blank=True)
    answered_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]

    @property
    def response_days(self) -> int | None:
        if self.answered_at is None:
            return None
        return (self.answered_at.date() - self.created_at.date()).days


class SicknessAbsence(BaseModel):
    employer = models.ForeignKey(Employer, on_delete=models.CASCADE, related_name="absences")
    period_start = models.DateField()
    period_end = models.DateField()
    days_lost = models.DecimalField(max_digits=8, decimal_places=1)
    headcount = models.PositiveIntegerField()

    class Meta:
        ordering = ["period_start"]
        constraints = [
            models.UniqueConstraint(fields=["employer", "period_start", "period_end"], name="unique_absence_period")
        ]
