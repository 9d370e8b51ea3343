from __future__ import annotations

import uuid
from collections.abc import Iterable
from typing import Any

from django import forms

from joinedup.core.forms import GovDateField, GovForm

from .. import limits
from .models import ActionOwner, OnwardReferralStatus, PlanGoal


def _choice_field(form: forms.BaseForm, name: str) -> forms.ChoiceField:
    """One of the form's choice fields, to set its choices."""
    field = form.fields[name]
    assert isinstance(field, forms.ChoiceField)
    return field


class GoalForm(GovForm):
    submit_label = "Save goal"

    text = limits.GOAL.field(
        "The goal, in the person's own words",
        required="Enter the goal, in the person's words",
        help_text="For example, 'I want a job where I can use my hands, near home, 3 days a week'",
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class PlanActionForm(GovForm):
    submit_label = "Save action"

    description = limits.ACTION.field("Action", required="Enter the action", widget=forms.Textarea(attrs={"rows": 2}))
    owner = forms.ChoiceField(
        label="Who will do it",
        choices=ActionOwner.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Select who will do this"},
    )
    owner_name = limits.ACTION_OWNER_NAME.field("Their name, if someone else (optional)")
    due_on = GovDateField(noun="due date", label="Due by")
    goal = forms.ChoiceField(label="Towards which goal (optional)", required=False)

    def __init__(self, *args: Any, goals: Iterable[PlanGoal] = (), **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.goals = {str(g.pk): g for g in goals}
        _choice_field(self, "goal").choices = [("", "Not tied to a goal")] + [
            (pk, g.text[:80]) for pk, g in self.goals.items()
        ]

    def service_arguments(self) -> dict:
        d = dict(self.cleaned_data)
        d["goal"] = self.goals.get(d.get("goal") or "")
        return d


class ActionDoneForm(GovForm):
    submit_label = "Mark as done"

    done_on = GovDateField(noun="date done", label="Date done")


class OnwardReferralForm(GovForm):
    """Refer the person on to a published directory service, from their plan."""

    submit_label = "Save referral"

    service = forms.ChoiceField(
        label="Service",
        error_messages={"required": "Choose the service", "invalid_choice": "Choose a service from the list"},
    )
    goal = forms.ChoiceField(label="Towards which goal (optional)", required=False)
    reason = limits.REFERRAL_REASON.field(
        "Why you are referring the person",
        required="Enter why you are referring the person to this service",
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    made_on = GovDateField(noun="referral date", label="Date of the referral")

    def __init__(self, *args: Any, services: Iterable[Any] = (), goals: Iterable[PlanGoal] = (), **kwargs: Any) -> None:
        """`services`: the directory's published services (its models are its own)."""
        super().__init__(*args, **kwargs)
        _choice_field(self, "service").choices = [("", "Choose a service")] + [
            (str(s.pk), f"{s.name} ({s.organisation.name})") for s in services
        ]
        self.goals = {str(g.pk): g for g in goals}
        _choice_field(self, "goal").choices = [("", "Not tied to a goal")] + [
            (pk, g.text[:80]) for pk, g in self.goals.items()
        ]

    def service_arguments(self) -> dict:
        d = self.cleaned_data
        return {
            "service_id": uuid.UUID(d["service"]),
            "goal": self.goals.get(d.get("goal") or ""),
            "reason": d["reason"],
            "made_on": d["made_on"],
        }


class OnwardReferralUpdateForm(GovForm):
    submit_label = "Save outcome"

    status = forms.ChoiceField(
        label="What happened",
        choices=OnwardReferralStatus.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Select what happened with the referral"},
    )
    changed_on = GovDateField(noun="date", label="Date")
