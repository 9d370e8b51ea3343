"""The personal plan: goals, actions towards them and onward referrals to directory services."""

from __future__ import annotations

from django.db import models

from joinedup.core.models import BaseModel

from .. import limits
from ..enrolment.models import Case


class GoalStatus(models.TextChoices):
    OPEN = "open", "Working on it"
    ACHIEVED = "achieved", "Achieved"
    STOPPED = "stopped", "No longer a goal"


class PlanGoal(BaseModel):
    """A goal in the person's own words."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="goals")
    text = models.TextField(max_length=limits.GOAL.max_length)
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
    description = models.TextField(max_length=limits.ACTION.max_length)
    owner = models.CharField(max_length=10, choices=ActionOwner.choices)
    owner_name = models.CharField(
        max_length=limits.ACTION_OWNER_NAME.max_length, blank=True
    )  # who, when "someone else"
    due_on = models.DateField()
    done_on = models.DateField(null=True, blank=True)

    class Meta:
        ordering = ["due_on", "created_at"]
        indexes = [models.Index(fields=["case", "due_on"])]


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
    reason = models.TextField(max_length=limits.REFERRAL_REASON.max_length)
    made_on = models.DateField()
    status = models.CharField(max_length=20, choices=OnwardReferralStatus.choices, default=OnwardReferralStatus.MADE)
    status_changed_on = models.DateField()

    class Meta:
        ordering = ["-made_on", "-created_at"]
        indexes = [models.Index(fields=["case", "made_on"])]
