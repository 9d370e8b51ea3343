from __future__ import annotations

import calendar
from dataclasses import dataclass
from datetime import date, timedelta

from django.conf import settings
from django.db import models
from django.db.models.functions import Lower

from joinedup.core.models import BaseModel

from . import instruments, stages


class Case(BaseModel):
    referral = models.OneToOneField("referrals.Referral", on_delete=models.PROTECT, related_name="case")
    person = models.ForeignKey("people.Person", on_delete=models.PROTECT, related_name="cases")
    delivery_partner = models.ForeignKey("organisations.Organisation", on_delete=models.PROTECT, related_name="cases")
    adviser = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    stage = models.CharField(max_length=20, choices=stages.CHOICES, default=stages.ENROLLED)
    enrolled_on = models.DateField()
    eligibility_evidence = models.TextField(max_length=2000)
    closed_on = models.DateField(null=True, blank=True)
    # The adviser's next step with the person and when the plan is next reviewed (shown on the caseload).
    next_action = models.CharField(max_length=300, blank=True)
    next_review_on = models.DateField(null=True, blank=True)

    class Meta:
        ordering = ["-enrolled_on"]
        indexes = [
            models.Index(fields=["delivery_partner", "stage"]),
            models.Index(fields=["adviser", "stage"]),
            models.Index(fields=["enrolled_on"]),
            # A partner's caseload newest first, and the dashboard's starts by partner and month
            # (index-only). Measured in docs/benchmarks.md.
            models.Index(fields=["delivery_partner", "enrolled_on"]),
            # An adviser's own caseload in its order, newest first: the page of 50 and its count
            # straight from the index. Apart, the adviser and partner indexes were combined and
            # every one of the adviser's cases read and sorted (docs/benchmarks.md, fourth session).
            models.Index(fields=["delivery_partner", "adviser", "-enrolled_on", "id"], name="case_adviser_caseload"),
        ]

    def __str__(self) -> str:
        return f"Case for {self.person}"


class ContactChannel(models.TextChoices):
    FACE_TO_FACE = "face_to_face", "Face to face"
    PHONE = "phone", "Phone"
    VIDEO = "video", "Video call"
    MESSAGE = "message", "Email or text message"


class ContactKind(models.TextChoices):
    SUPPORT = "support", "Support"
    JOB_SEARCH = "job_search", "Job search"
    EMPLOYER = "employer_contact", "Employer contact"
    IN_WORK = "in_work_support", "In-work support"


class Contact(BaseModel):
    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="contacts")
    happened_on = models.DateField()
    channel = models.CharField(max_length=20, choices=ContactChannel.choices)
    kind = models.CharField(max_length=20, choices=ContactKind.choices)
    duration_minutes = models.PositiveIntegerField()
    notes = models.TextField(max_length=5000, blank=True)

    class Meta:
        ordering = ["-happened_on", "-created_at"]
        indexes = [models.Index(fields=["case", "happened_on"])]


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
    employer_name = models.CharField(max_length=200)
    job_title = models.CharField(max_length=200)
    hours_per_week = models.DecimalField(max_digits=4, decimal_places=1)
    hourly_pay = models.DecimalField(max_digits=6, decimal_places=2)
    start_date = models.DateField(db_index=True)
    evidence = models.TextField(max_length=2000, blank=True)
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
    evidence = models.TextField(max_length=2000)
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


class Timepoint(models.TextChoices):
    START = "start", "Start"
    REVIEW = "review", "Review"
    EXIT = "exit", "Exit"


class WellbeingMeasure(BaseModel):
    """One completed questionnaire (see `instruments.py`), scored when it was recorded."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="wellbeing_measures")
    instrument = models.CharField(max_length=20, choices=instruments.CHOICES)
    answers = models.JSONField()
    total = models.PositiveSmallIntegerField(null=True, blank=True)
    converted = models.DecimalField(max_digits=5, decimal_places=2, null=True, blank=True)
    band = models.CharField(max_length=200, blank=True)
    recorded_on = models.DateField()
    timepoint = models.CharField(max_length=10, choices=Timepoint.choices)

    class Meta:
        ordering = ["instrument", "recorded_on", "created_at"]
        indexes = [models.Index(fields=["case", "instrument", "recorded_on"])]


class AssessmentArea(models.TextChoices):
    """The areas of a holistic assessment of barriers and strengths, in the order they are asked."""

    HEALTH = "health", "Health"
    WELLBEING = "wellbeing", "Wellbeing"
    CONFIDENCE = "confidence", "Confidence"
    SKILLS = "skills", "Skills and qualifications"
    WORK_HISTORY = "work_history", "Work history"
    HOUSING = "housing", "Housing"
    MONEY = "money", "Money and debt"
    TRANSPORT = "transport", "Transport"
    CARING = "caring", "Childcare and caring"
    SUBSTANCES = "substances", "Substance use"
    OFFENDING = "offending", "Offending"
    DIGITAL = "digital", "Digital access"


class AssessmentRating(models.IntegerChoices):
    """Higher is better: 1 stops the person working now, 5 is a strength to build on."""

    MAJOR_BARRIER = 1, "Major barrier"
    BARRIER = 2, "Barrier"
    SOME_DIFFICULTY = 3, "Some difficulty"
    NO_BARRIER = 4, "No barrier"
    STRENGTH = 5, "A strength"


class Assessment(BaseModel):
    """One assessment of every area; repeated over time so change shows."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="assessments")
    assessed_on = models.DateField()
    summary = models.TextField(max_length=5000, blank=True)

    class Meta:
        ordering = ["assessed_on", "created_at"]
        indexes = [models.Index(fields=["case", "assessed_on"])]


class AreaRating(BaseModel):
    assessment = models.ForeignKey(Assessment, on_delete=models.CASCADE, related_name="ratings")
    area = models.CharField(max_length=20, choices=AssessmentArea.choices)
    rating = models.PositiveSmallIntegerField(choices=AssessmentRating.choices)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["assessment", "area"], name="unique_area_rating")]


class GoalStatus(models.TextChoices):
    OPEN = "open", "Working on it"
    ACHIEVED = "achieved", "Achieved"
    STOPPED = "stopped", "No longer a goal"


class PlanGoal(BaseModel):
    """A goal in the person's own words."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="goals")
    text = models.TextField(max_length=500)
    status = models.CharField(max_length=10, choices=GoalStatus.choices, default=GoalStatus.OPEN)
    status_changed_on = models.DateField(null=True, blank=True)

    class Meta:
        ordering = ["created_at"]


class ActionOwner(models.TextChoices):
    PERSON = "person", "The person"
    ADVISER = "adviser", "Personal Adviser"
    OTHER = "other", "Someone else"


class PlanAction(BaseModel):
    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="plan_actions")
    goal = models.ForeignKey(PlanGoal, null=True, blank=True, on_delete=models.SET_NULL, related_name="actions")
    description = models.TextField(max_length=500)
    owner = models.CharField(max_length=10, choices=ActionOwner.choices)
    owner_name = models.CharField(max_length=200, blank=True)  # who, when "someone else"
    due_on = models.DateField()
    done_on = models.DateField(null=True, blank=True)

    class Meta:
        ordering = ["due_on", "created_at"]
        indexes = [models.Index(fields=["case", "due_on"])]


class ExitDestination(models.TextChoices):
    PAID_WORK = "paid_work", "In paid work"
    SELF_EMPLOYED = "self_employed", "Self-employed"
    EDUCATION = "education", "Education or training"
    VOLUNTEERING = "volunteering", "Volunteering"
    OTHER_SUPPORT = "other_support", "Moved to other support"
    MOVED_AWAY = "moved_away", "Moved out of the area"
    HEALTH = "health", "Too unwell to continue for now"
    DISENGAGED = "disengaged", "Stopped taking part"
    OTHER = "other", "Something else"


class CaseExit(BaseModel):
    """Support ended, with the destination; re-engagement reopens the case and is kept on the same row."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="exits")
    closed_on = models.DateField()
    destination = models.CharField(max_length=20, choices=ExitDestination.choices)
    reason = models.TextField(max_length=2000)
    stage_before = models.CharField(max_length=20, choices=stages.CHOICES)
    reengaged_on = models.DateField(null=True, blank=True)
    reengage_reason = models.TextField(max_length=2000, blank=True)

    class Meta:
        ordering = ["closed_on", "created_at"]


class EarlyHelpSituation(models.TextChoices):
    OFF_SICK = "off_sick", "Off sick"
    AT_RISK = "at_risk", "In work but at risk of falling out of work"


class FitNoteAdvice(models.TextChoices):
    NONE = "none", "No fit note"
    NOT_FIT = "not_fit", "Not fit for work"
    MAY_BE_FIT = "may_be_fit", "May be fit for work, taking account of the advice"


class AccessToWork(models.TextChoices):
    NOT_NEEDED = "not_needed", "Not needed"
    NOT_APPLIED = "not_applied", "Needed, not applied yet"
    APPLIED = "applied", "Applied, waiting"
    APPROVED = "approved", "Approved"
    DECLINED = "declined", "Declined"


class EarlyHelpOutcome(models.TextChoices):
    OPEN = "open", "Still being supported"
    RETURNED = "returned", "Returned to work"
    STILL_OFF = "still_off", "Still off work, support ended"
    LEFT_EMPLOYER = "left_employer", "Left the employer"


class EarlyHelp(BaseModel):
    """Early help for someone in work who is off sick or at risk of falling out of work (Fit for Work model)."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="early_help")
    situation = models.CharField(max_length=20, choices=EarlyHelpSituation.choices)
    started_on = models.DateField()
    employer_contact = models.CharField(max_length=300, blank=True)
    fit_note_advice = models.CharField(max_length=20, choices=FitNoteAdvice.choices, default=FitNoteAdvice.NONE)
    fit_note_from = models.DateField(null=True, blank=True)
    fit_note_to = models.DateField(null=True, blank=True)
    phased_return = models.BooleanField(default=False)
    adjusted_duties = models.BooleanField(default=False)
    adjusted_hours = models.BooleanField(default=False)
    equipment = models.BooleanField(default=False)
    plan_notes = models.TextField(max_length=2000, blank=True)
    access_to_work = models.CharField(max_length=20, choices=AccessToWork.choices, default=AccessToWork.NOT_NEEDED)
    outcome = models.CharField(max_length=20, choices=EarlyHelpOutcome.choices, default=EarlyHelpOutcome.OPEN)
    outcome_on = models.DateField(null=True, blank=True)

    class Meta:
        ordering = ["-started_on", "-created_at"]

    @property
    def return_to_work_plan(self) -> list[str]:
        parts = [
            ("Phased return", self.phased_return),
            ("Adjusted duties", self.adjusted_duties),
            ("Adjusted hours", self.adjusted_hours),
            ("Equipment", self.equipment),
        ]
        return [label for label, chosen in parts if chosen]


class ApplicationStatus(models.TextChoices):
    APPLIED = "applied", "Applied"
    INTERVIEW = "interview", "Invited to interview"
    OFFERED = "offered", "Offered the job"
    UNSUCCESSFUL = "unsuccessful", "Unsuccessful"
    WITHDRAWN = "withdrawn", "Withdrew"


class JobApplication(BaseModel):
    """Job search: a vacancy applied for, and how it went."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="job_applications")
    employer_name = models.CharField(max_length=200)
    job_title = models.CharField(max_length=200)
    applied_on = models.DateField()
    status = models.CharField(max_length=20, choices=ApplicationStatus.choices, default=ApplicationStatus.APPLIED)
    interview_on = models.DateField(null=True, blank=True)

    class Meta:
        ordering = ["-applied_on", "-created_at"]


class BetterOffCalculation(BaseModel):
    """A better-off-in-work calculation run for the person: the household it was run for, the hourly
    wage, the tax year and model version, and the net income at each number of hours (see
    `better_off.py`). Kept so the adviser and the person can come back to it."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="better_off_calculations")
    household = models.JSONField()  # better_off.Household.as_json()
    hourly_wage = models.DecimalField(max_digits=6, decimal_places=2)
    tax_year = models.PositiveSmallIntegerField()  # PolicyEngine's year: 2026 is the 2026 to 2027 tax year
    model_version = models.CharField(max_length=40)
    results = models.JSONField()  # better_off.Result.as_json()

    class Meta:
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["case", "created_at"])]


class WorkActivityKind(models.TextChoices):
    PERMITTED_WORK = "permitted_work", "Permitted work"
    VOLUNTEERING = "volunteering", "Volunteering"


class WorkActivity(BaseModel):
    """Permitted work (limited paid work allowed alongside a health-related benefit) or volunteering.
    Recorded separately from job starts: neither counts as a job start or a sustained job."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="work_activities")
    kind = models.CharField(max_length=20, choices=WorkActivityKind.choices)
    organisation_name = models.CharField(max_length=200)
    role = models.CharField(max_length=200)
    hours_per_week = models.DecimalField(max_digits=4, decimal_places=1)
    weekly_earnings = models.DecimalField(max_digits=7, decimal_places=2, default=0)  # 0 for volunteering
    started_on = models.DateField()
    ended_on = models.DateField(null=True, blank=True)

    class Meta:
        ordering = ["-started_on", "-created_at"]


class OnwardReferralStatus(models.TextChoices):
    MADE = "made", "Referral made"
    ACCEPTED = "accepted", "Accepted by the service"
    DECLINED = "declined", "Declined by the service"
    ATTENDED = "attended", "The person attended"
    NO_RESPONSE = "no_response", "No response"


class OnwardReferral(BaseModel):
    """A referral from the personal plan to a published directory service, tracked to its outcome.
    The service's and its organisation's names are kept as they were, so the plan still reads right
    if the service is later withdrawn from the directory."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="onward_referrals")
    service = models.ForeignKey("directory.Service", null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    service_name = models.CharField(max_length=300)
    organisation_name = models.CharField(max_length=300)
    goal = models.ForeignKey(PlanGoal, null=True, blank=True, on_delete=models.SET_NULL, related_name="referrals")
    reason = models.TextField(max_length=1000)
    made_on = models.DateField()
    status = models.CharField(max_length=20, choices=OnwardReferralStatus.choices, default=OnwardReferralStatus.MADE)
    status_changed_on = models.DateField()

    class Meta:
        ordering = ["-made_on", "-created_at"]
        indexes = [models.Index(fields=["case", "made_on"])]
