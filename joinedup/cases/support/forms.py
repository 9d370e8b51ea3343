from __future__ import annotations

from typing import Any

from django import forms

from joinedup.core.forms import GovDateField, GovForm

from .. import limits
from .models import AccessToWork, EarlyHelpOutcome, EarlyHelpSituation, ExitDestination, FitNoteAdvice


class ExitForm(GovForm):
    submit_label = "End support"
    submit_class = "govuk-button--warning"

    closed_on = GovDateField(noun="date support ended", label="Date support ended")
    destination = forms.ChoiceField(
        label="Where did the person go?",
        choices=ExitDestination.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Select where the person went when support ended"},
    )
    reason = limits.EXIT_REASON.field(
        "Why did support end?", required="Enter why support ended", widget=forms.Textarea(attrs={"rows": 3})
    )


class ReengageForm(GovForm):
    submit_label = "Re-engage"

    reengaged_on = GovDateField(noun="date of re-engagement", label="Date the person came back")
    reason = limits.REENGAGE_REASON.field(
        "Why is the person coming back?",
        required="Enter why the person is coming back",
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class EarlyHelpForm(GovForm):
    """Starting early help asks the situation and date; updating keeps the rest current."""

    submit_label = "Save early help"

    situation = forms.ChoiceField(
        label="The person's situation",
        choices=EarlyHelpSituation.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Select the person's situation"},
    )
    started_on = GovDateField(noun="start date", label="Early help started")
    employer_contact = limits.EMPLOYER_CONTACT.field(
        "Employer contact (optional)", help_text="Who at the employer, and how to reach them"
    )
    fit_note_advice = forms.ChoiceField(
        label="Fit note",
        choices=FitNoteAdvice.choices,
        widget=forms.RadioSelect,
        initial=FitNoteAdvice.NONE,
        error_messages={"required": "Select what the fit note says"},
    )
    fit_note_from = GovDateField(noun="fit note start date", label="Fit note from (optional)", required=False)
    fit_note_to = GovDateField(noun="fit note end date", label="Fit note to (optional)", required=False)
    phased_return = forms.BooleanField(label="Phased return", required=False)
    adjusted_duties = forms.BooleanField(label="Adjusted duties", required=False)
    adjusted_hours = forms.BooleanField(label="Adjusted hours", required=False)
    equipment = forms.BooleanField(label="Equipment or adaptations", required=False)
    plan_notes = limits.RETURN_PLAN_NOTES.field(
        "Return-to-work plan and fit note advice (optional)", widget=forms.Textarea(attrs={"rows": 3})
    )
    access_to_work = forms.ChoiceField(
        label="Access to Work",
        choices=AccessToWork.choices,
        initial=AccessToWork.NOT_NEEDED,
        error_messages={"required": "Select the Access to Work status"},
    )
    outcome = forms.ChoiceField(
        label="Outcome",
        choices=EarlyHelpOutcome.choices,
        widget=forms.RadioSelect,
        initial=EarlyHelpOutcome.OPEN,
        error_messages={"required": "Select the outcome"},
    )
    outcome_on = GovDateField(noun="date of the outcome", label="Date of the outcome (if there is one)", required=False)

    def __init__(self, *args: Any, starting: bool, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if not starting:
            del self.fields["situation"]
            del self.fields["started_on"]

    def details(self) -> dict:
        return {k: v for k, v in self.cleaned_data.items() if k not in ("situation", "started_on")}
