"""Support beyond the plan: early help for someone in work, the end of support and re-engagement."""

from __future__ import annotations

from django.db import models

from joinedup.core.models import BaseModel

from .. import limits
from ..enrolment import stages
from ..enrolment.models import Case


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
    reason = models.TextField(max_length=limits.EXIT_REASON.max_length)
    stage_before = models.CharField(max_length=20, choices=stages.CHOICES)
    reengaged_on = models.DateField(null=True, blank=True)
    reengage_reason = models.TextField(max_length=limits.REENGAGE_REASON.max_length, blank=True)

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
    employer_contact = models.CharField(max_length=limits.EMPLOYER_CONTACT.max_length, blank=True)
    fit_note_advice = models.CharField(max_length=20, choices=FitNoteAdvice.choices, default=FitNoteAdvice.NONE)
    fit_note_from = models.DateField(null=True, blank=True)
    fit_note_to = models.DateField(null=True, blank=True)
    phased_return = models.BooleanField(default=False)
    adjusted_duties = models.BooleanField(default=False)
    adjusted_hours = models.BooleanField(default=False)
    equipment = models.BooleanField(default=False)
    plan_notes = models.TextField(max_length=limits.RETURN_PLAN_NOTES.max_length, blank=True)
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
