"""Forms for workplace health and for adjustments and Access to Work. They only parse."""

from __future__ import annotations

from decimal import Decimal
from typing import Any, cast

from django import forms

from joinedup.core.forms import GovDateField, GovForm

from . import limits
from .choices import AccessToWorkElement, AccessToWorkStatus, AdjustmentKind, Urgency, WhoPays


class AssessmentForm(GovForm):
    """The date; the items (a checkbox and evidence for each standard and level) are read from the
    POST by the view, every value given, so an item sent twice reaches the service and is refused."""

    submit_label = "Save self-assessment"
    assessed_on = GovDateField(noun="date of the assessment", label="Date of the assessment")


class AdviceForm(GovForm):
    submit_label = "Send the question"
    provider_id = forms.ChoiceField(
        label="Advice provider",
        error_messages={
            "required": "Select an advice provider",
            "invalid_choice": "Select an advice provider from the list",
        },
    )
    about_employee = forms.TypedChoiceField(
        label="What is it about?",
        coerce=lambda v: v == "yes",
        widget=forms.RadioSelect,
        choices=[("no", "A policy or practice"), ("yes", "An employee's situation (do not name them)")],
        error_messages={"required": "Say what the question is about"},
    )
    question = limits.QUESTION.field(
        "Your question", required="Enter your question", widget=forms.Textarea(attrs={"rows": 6})
    )
    urgency = forms.ChoiceField(
        label="How soon do you need an answer?",
        choices=Urgency.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Select how soon"},
    )

    def __init__(self, *args: Any, providers: list[tuple[str, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        cast(forms.ChoiceField, self.fields["provider_id"]).choices = [("", "Select"), *providers]


class AnswerForm(GovForm):
    submit_label = "Save the answer"
    answer = limits.ANSWER.field(
        "The provider's answer", required="Enter the answer", widget=forms.Textarea(attrs={"rows": 6})
    )


class AbsenceForm(GovForm):
    submit_label = "Save"
    period_start = GovDateField(noun="start of the period", label="Start of the period")
    period_end = GovDateField(noun="end of the period", label="End of the period")
    days_lost = forms.DecimalField(
        label="Working days lost to sickness",
        min_value=Decimal("0"),
        max_digits=8,
        decimal_places=1,
        error_messages={
            "required": "Enter the days lost",
            "invalid": "Days lost must be a number, like 12.5",
            "min_value": "Days lost cannot be negative",
        },
    )
    headcount = forms.IntegerField(
        label="Number of staff",
        min_value=1,
        max_value=1_000_000,
        error_messages={
            "required": "Enter the number of staff",
            "invalid": "Enter a whole number",
            "min_value": "Enter at least 1",
        },
    )


class AdjustmentForm(GovForm):
    submit_label = "Save adjustment"
    kind = forms.ChoiceField(
        label="Kind of adjustment",
        choices=AdjustmentKind.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Select the kind of adjustment"},
    )
    description = limits.ADJUSTMENT.field(
        "What was agreed", required="Describe the adjustment", widget=forms.Textarea(attrs={"rows": 3})
    )
    who_pays = forms.ChoiceField(
        label="Who pays",
        choices=WhoPays.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Select who pays"},
    )
    in_place_on = GovDateField(
        noun="date it was in place", label="In place from (leave empty if not yet)", required=False
    )


class AccessToWorkForm(GovForm):
    submit_label = "Save Access to Work"
    status = forms.ChoiceField(
        label="Access to Work application",
        choices=AccessToWorkStatus.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Select where the application is"},
    )
    elements = forms.MultipleChoiceField(
        label="Elements awarded",
        choices=AccessToWorkElement.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    applied_on = GovDateField(noun="date applied", label="Date applied", required=False)
    decided_on = GovDateField(noun="date of the decision", label="Date of the decision", required=False)
