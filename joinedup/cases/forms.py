from __future__ import annotations

from decimal import Decimal

from django import forms

from joinedup.core.forms import GovDateField, GovForm

from . import instruments, stages
from .models import (
    MILESTONES,
    AccessToWork,
    ActionOwner,
    ApplicationStatus,
    AssessmentArea,
    AssessmentRating,
    ContactChannel,
    ContactKind,
    EarlyHelpOutcome,
    EarlyHelpSituation,
    ExitDestination,
    FitNoteAdvice,
    MilestoneOutcome,
    Timepoint,
)


class EnrolForm(GovForm):
    submit_label = "Enrol"

    enrolled_on = GovDateField(noun="enrolment date", label="Date of enrolment", help_text="For example, 3 11 2026")
    eligibility_confirmed = forms.BooleanField(
        label="I have checked the person is eligible for the programme", required=False
    )
    eligibility_evidence = forms.CharField(
        label="Evidence of eligibility",
        help_text="What you saw, for example 'UC award letter dated 2 October showing LCW'",
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
    )
    consent_to_support = forms.BooleanField(
        label="The person consents to support and to their information being recorded", required=False
    )


class ContactForm(GovForm):
    submit_label = "Save contact"

    happened_on = GovDateField(noun="contact date", label="Date of contact")
    channel = forms.ChoiceField(
        label="How",
        choices=ContactChannel.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Select how the contact happened"},
    )
    kind = forms.ChoiceField(
        label="Type of contact",
        choices=ContactKind.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Select the type of contact"},
    )
    duration_minutes = forms.IntegerField(
        label="Duration in minutes",
        error_messages={
            "required": "Enter the duration in minutes",
            "invalid": "Duration must be a whole number of minutes",
        },
        widget=forms.TextInput(attrs={"inputmode": "numeric", "class": "govuk-input--width-4"}),
    )
    notes = forms.CharField(
        label="Notes (optional)",
        widget=forms.Textarea(attrs={"rows": 4}),
        required=False,
        max_length=5000,
        error_messages={"max_length": "Notes must be 5,000 characters or fewer"},
    )


class JobStartForm(GovForm):
    submit_label = "Save job start"

    employer_name = forms.CharField(
        label="Employer",
        max_length=200,
        error_messages={
            "required": "Enter the employer's name",
            "max_length": "Employer must be 200 characters or fewer",
        },
    )
    job_title = forms.CharField(
        label="Job title",
        max_length=200,
        error_messages={"required": "Enter the job title", "max_length": "Job title must be 200 characters or fewer"},
    )
    hours_per_week = forms.DecimalField(
        label="Hours a week",
        max_digits=4,
        decimal_places=1,
        min_value=Decimal("0.5"),
        max_value=Decimal("80"),
        error_messages={
            "required": "Enter the hours a week",
            "invalid": "Hours a week must be a number, like 16 or 22.5",
            "min_value": "Hours must be between 0.5 and 80 a week",
            "max_value": "Hours must be between 0.5 and 80 a week",
            "max_digits": "Hours must be between 0.5 and 80 a week",
            "max_decimal_places": "Hours a week can have at most one decimal place",
        },
        widget=forms.TextInput(attrs={"inputmode": "decimal", "class": "govuk-input--width-4"}),
    )
    hourly_pay = forms.DecimalField(
        label="Pay an hour, in pounds",
        max_digits=6,
        decimal_places=2,
        error_messages={
            "required": "Enter the pay an hour",
            "invalid": "Pay must be an amount of money, like 12.21",
            "max_digits": "Pay must be no more than £1,000 an hour",
            "max_decimal_places": "Pay can have at most 2 decimal places",
        },
        widget=forms.TextInput(attrs={"inputmode": "decimal", "class": "govuk-input--width-5"}),
    )
    start_date = GovDateField(noun="start date", label="Start date")
    evidence = forms.CharField(
        label="Evidence (optional)",
        help_text="For example, 'contract seen' or 'confirmed by employer'",
        widget=forms.Textarea(attrs={"rows": 2}),
        required=False,
        max_length=2000,
        error_messages={"max_length": "Evidence must be 2,000 characters or fewer"},
    )


class SustainmentForm(GovForm):
    submit_label = "Save"

    weeks = forms.ChoiceField(
        label="Milestone",
        choices=[(m.code.removesuffix("w") if m.weeks else m.code, m.label) for m in MILESTONES],
        widget=forms.RadioSelect,
        error_messages={"required": "Select the milestone"},
    )
    outcome = forms.ChoiceField(
        label="Outcome",
        choices=MilestoneOutcome.choices,
        widget=forms.RadioSelect,
        required=False,  # still in the same job, unless another is chosen
    )
    achieved_on = GovDateField(noun="date confirmed", label="Date confirmed")
    evidence = forms.CharField(
        label="Evidence the person is still in work",
        help_text="For example, 'payslip seen for week ending 14 March'. If they left work, say when and why.",
        widget=forms.Textarea(attrs={"rows": 2}),
        max_length=2000,
        error_messages={
            "required": "Enter the evidence that the person is still in work",
            "max_length": "Evidence must be 2,000 characters or fewer",
        },
    )

    def __init__(self, *args, **kwargs) -> None:  # noqa: ANN002, ANN003
        kwargs.setdefault("initial", {}).setdefault("outcome", MilestoneOutcome.STILL_IN_WORK)
        super().__init__(*args, **kwargs)

    def service_arguments(self) -> dict:
        d = self.cleaned_data
        milestone = d["weeks"]
        when = {"months": int(milestone.removesuffix("m"))} if milestone.endswith("m") else {"weeks": int(milestone)}
        return {
            **when,
            "outcome": d.get("outcome") or MilestoneOutcome.STILL_IN_WORK,
            "achieved_on": d["achieved_on"],
            "evidence": d["evidence"],
        }


class WellbeingForm(GovForm):
    """One questionnaire: a radio question per item, built from the instrument's definition."""

    submit_label = "Save answers"

    def __init__(self, *args, instrument: instruments.Instrument, **kwargs) -> None:  # noqa: ANN002, ANN003
        super().__init__(*args, **kwargs)
        self.instrument = instrument
        labels = instrument.answer_labels
        choices = [
            (v, f"{v} – {labels[v - instrument.minimum]}" if labels else str(v))
            for v in range(instrument.minimum, instrument.maximum + 1)
        ]
        for number, item in enumerate(instrument.items, start=1):
            self.fields[f"item_{number}"] = forms.TypedChoiceField(
                label=f"{number}. {item}",
                choices=choices,
                coerce=int,
                widget=forms.RadioSelect(attrs={"class": "govuk-radios--small"} if len(choices) > 5 else None),
                error_messages={
                    "required": f"Select an answer to question {number}",
                    "invalid_choice": f"The answer to question {number} must be from "
                    f"{instrument.minimum} to {instrument.maximum}",
                },
            )
        self.fields["recorded_on"] = GovDateField(noun="date completed", label="Date completed")
        self.fields["timepoint"] = forms.ChoiceField(
            label="When in the person's support",
            choices=Timepoint.choices,
            widget=forms.RadioSelect,
            error_messages={"required": "Select when this was completed: start, review or exit"},
        )

    def service_arguments(self) -> dict:
        d = self.cleaned_data
        return {
            "instrument": self.instrument.code,
            "answers": [d[f"item_{n}"] for n in range(1, len(self.instrument.items) + 1)],
            "recorded_on": d["recorded_on"],
            "timepoint": d["timepoint"],
        }


class NextStepForm(GovForm):
    submit_label = "Save next step"

    next_action = forms.CharField(
        label="Next action",
        help_text="For example, 'Help Sam apply for the Boots vacancy by Friday'",
        max_length=300,
        required=False,
        error_messages={"max_length": "The next action must be 300 characters or fewer"},
    )
    next_review_on = GovDateField(noun="review date", label="Next review of the plan", required=False)


class CaseloadFilterForm(GovForm):
    """The caseload's filters, sent by GET so a filtered list can be bookmarked."""

    submit_label = "Apply filters"

    show = forms.ChoiceField(
        label="Whose cases",
        choices=[("mine", "Your cases"), ("all", "Everyone's cases")],
        widget=forms.RadioSelect(attrs={"class": "govuk-radios--small govuk-radios--inline"}),
        required=False,
    )
    stage = forms.ChoiceField(
        label="Stage",
        choices=[("", "Any stage"), ("active", "Any stage but closed"), *stages.CHOICES],
        required=False,
    )
    review = forms.ChoiceField(
        label="Plan review",
        choices=[("", "Any"), ("due", "Due in the next 7 days or overdue"), ("overdue", "Overdue")],
        required=False,
    )
    no_recent_contact = forms.BooleanField(label="Only people with no contact in the last 14 days", required=False)
    adviser = forms.IntegerField(required=False, widget=forms.HiddenInput)

    def __init__(self, *args, **kwargs) -> None:  # noqa: ANN002, ANN003
        super().__init__(*args, **kwargs)
        self.helper.form_method = "get"
        self.helper.attrs = {}

    def filters(self) -> dict:
        self.is_valid()  # a bad value is ignored rather than shown as an error
        d = self.cleaned_data
        return {
            "mine_only": d.get("show") != "all",
            "stage": d.get("stage") or "",
            "review": d.get("review") or "",
            "no_recent_contact": bool(d.get("no_recent_contact")),
            "adviser_id": d.get("adviser"),
        }


class AssessmentForm(GovForm):
    """Every area rated from 1 (major barrier) to 5 (a strength)."""

    submit_label = "Save assessment"

    def __init__(self, *args, **kwargs) -> None:  # noqa: ANN002, ANN003
        super().__init__(*args, **kwargs)
        self.fields["assessed_on"] = GovDateField(noun="assessment date", label="Date of assessment")
        choices = [(r.value, f"{r.value} – {r.label}") for r in AssessmentRating]
        for area in AssessmentArea:
            self.fields[area.value] = forms.TypedChoiceField(
                label=area.label,
                choices=choices,
                coerce=int,
                widget=forms.RadioSelect(attrs={"class": "govuk-radios--small govuk-radios--inline"}),
                error_messages={
                    "required": f"Rate {area.label.lower()}",
                    "invalid_choice": f"The rating for {area.label.lower()} must be from 1 to 5",
                },
            )
        self.fields["summary"] = forms.CharField(
            label="Summary (optional)",
            help_text="What the person said matters most, in their words",
            widget=forms.Textarea(attrs={"rows": 4}),
            required=False,
            max_length=5000,
            error_messages={"max_length": "The summary must be 5,000 characters or fewer"},
        )

    def service_arguments(self) -> dict:
        d = self.cleaned_data
        return {
            "assessed_on": d["assessed_on"],
            "ratings": {area: d[area] for area in AssessmentArea.values},
            "summary": d["summary"],
        }


class GoalForm(GovForm):
    submit_label = "Save goal"

    text = forms.CharField(
        label="The goal, in the person's own words",
        help_text="For example, 'I want a job where I can use my hands, near home, 3 days a week'",
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=500,
        error_messages={
            "required": "Enter the goal, in the person's words",
            "max_length": "The goal must be 500 characters or fewer",
        },
    )


class PlanActionForm(GovForm):
    submit_label = "Save action"

    description = forms.CharField(
        label="Action",
        widget=forms.Textarea(attrs={"rows": 2}),
        max_length=500,
        error_messages={"required": "Enter the action", "max_length": "The action must be 500 characters or fewer"},
    )
    owner = forms.ChoiceField(
        label="Who will do it",
        choices=ActionOwner.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Select who will do this"},
    )
    owner_name = forms.CharField(
        label="Their name, if someone else (optional)",
        max_length=200,
        required=False,
        error_messages={"max_length": "The name must be 200 characters or fewer"},
    )
    due_on = GovDateField(noun="due date", label="Due by")
    goal = forms.ChoiceField(label="Towards which goal (optional)", required=False)

    def __init__(self, *args, goals=(), **kwargs) -> None:  # noqa: ANN001, ANN002, ANN003
        super().__init__(*args, **kwargs)
        self.goals = {str(g.pk): g for g in goals}
        self.fields["goal"].choices = [("", "Not tied to a goal")] + [(pk, g.text[:80]) for pk, g in self.goals.items()]

    def service_arguments(self) -> dict:
        d = dict(self.cleaned_data)
        d["goal"] = self.goals.get(d.get("goal") or "")
        return d


class ActionDoneForm(GovForm):
    submit_label = "Mark as done"

    done_on = GovDateField(noun="date done", label="Date done")


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
    reason = forms.CharField(
        label="Why did support end?",
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=2000,
        error_messages={
            "required": "Enter why support ended",
            "max_length": "The reason must be 2,000 characters or fewer",
        },
    )


class ReengageForm(GovForm):
    submit_label = "Re-engage"

    reengaged_on = GovDateField(noun="date of re-engagement", label="Date the person came back")
    reason = forms.CharField(
        label="Why is the person coming back?",
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=2000,
        error_messages={
            "required": "Enter why the person is coming back",
            "max_length": "The reason must be 2,000 characters or fewer",
        },
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
    employer_contact = forms.CharField(
        label="Employer contact (optional)",
        help_text="Who at the employer, and how to reach them",
        max_length=300,
        required=False,
        error_messages={"max_length": "This must be 300 characters or fewer"},
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
    plan_notes = forms.CharField(
        label="Return-to-work plan and fit note advice (optional)",
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=2000,
        required=False,
        error_messages={"max_length": "This must be 2,000 characters or fewer"},
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

    def __init__(self, *args, starting: bool, **kwargs) -> None:  # noqa: ANN002, ANN003
        super().__init__(*args, **kwargs)
        if not starting:
            del self.fields["situation"]
            del self.fields["started_on"]

    def details(self) -> dict:
        return {k: v for k, v in self.cleaned_data.items() if k not in ("situation", "started_on")}


class JobApplicationForm(GovForm):
    submit_label = "Save application"

    employer_name = forms.CharField(
        label="Employer",
        max_length=200,
        error_messages={
            "required": "Enter the employer's name",
            "max_length": "Employer must be 200 characters or fewer",
        },
    )
    job_title = forms.CharField(
        label="Job title",
        max_length=200,
        error_messages={"required": "Enter the job title", "max_length": "Job title must be 200 characters or fewer"},
    )
    applied_on = GovDateField(noun="application date", label="Date applied")
    status = forms.ChoiceField(
        label="How is it going?",
        choices=ApplicationStatus.choices,
        widget=forms.RadioSelect,
        initial=ApplicationStatus.APPLIED,
        error_messages={"required": "Select how the application is going"},
    )
    interview_on = GovDateField(noun="interview date", label="Interview date (optional)", required=False)

    def __init__(self, *args, updating: bool = False, **kwargs) -> None:  # noqa: ANN002, ANN003
        super().__init__(*args, **kwargs)
        if updating:
            for name in ("employer_name", "job_title", "applied_on"):
                del self.fields[name]
