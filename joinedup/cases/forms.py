from __future__ import annotations

import uuid
from decimal import Decimal

from django import forms
from django.utils import timezone
from django.utils.safestring import SafeString

from joinedup.core.forms import GovDateField, GovForm, unbound_fields_html

from . import better_off, instruments, stages
from .models import (
    MILESTONES,
    AccessToWork,
    ActionOwner,
    ApplicationStatus,
    AssessmentArea,
    AssessmentRating,
    ContactChannel,
    ContactKind,
    ContractType,
    EarlyHelpOutcome,
    EarlyHelpSituation,
    ExitDestination,
    FitNoteAdvice,
    MilestoneOutcome,
    OnwardReferralStatus,
    Timepoint,
    WorkActivityKind,
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

    @staticmethod
    def quick_defaults() -> dict:
        """Quick entry: today, by phone, 15 minutes of support; the adviser changes what differs."""
        return {
            "happened_on": timezone.localdate(),
            "channel": ContactChannel.PHONE,
            "kind": ContactKind.SUPPORT,
            "duration_minutes": 15,
        }

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
    contract_type = forms.ChoiceField(
        label="Type of work",
        help_text="Permitted work and volunteering are not job starts: record them under 'Permitted work "
        "and volunteering' on the person's page.",
        choices=ContractType.choices,
        widget=forms.RadioSelect,
        initial=ContractType.PERMANENT,  # most job starts; the adviser changes it when it differs
        required=False,  # the radios come pre-selected; a post without it means permanent
        error_messages={"invalid_choice": "Select the type of contract, or self-employed"},
    )
    evidence = forms.CharField(
        label="Evidence (optional)",
        help_text="For example, 'contract seen' or 'confirmed by employer'",
        widget=forms.Textarea(attrs={"rows": 2}),
        required=False,
        max_length=2000,
        error_messages={"max_length": "Evidence must be 2,000 characters or fewer"},
    )

    def clean_contract_type(self) -> str:
        return self.cleaned_data.get("contract_type") or ContractType.PERMANENT


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

    def __init__(self, *args, **kwargs) -> None:
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

    def __init__(self, *args, instrument: instruments.Instrument, **kwargs) -> None:
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

    def shown(self) -> SafeString:
        """The filters as they apply (a bad value ignored), as the fields of an unbound form: the
        same markup for the same filters, so rendered once (`unbound_fields_html`)."""
        self.is_valid()
        initial = {name: value for name, value in self.cleaned_data.items() if value not in (None, "")}
        return unbound_fields_html(CaseloadFilterForm, initial={"show": "mine", **initial})

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

    def __init__(self, *args, **kwargs) -> None:
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

    def __init__(self, *args, goals=(), **kwargs) -> None:
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

    def __init__(self, *args, starting: bool, **kwargs) -> None:
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

    def __init__(self, *args, updating: bool = False, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        if updating:
            for name in ("employer_name", "job_title", "applied_on"):
                del self.fields[name]


def _money_field(label: str, *, maximum: str, required: bool = True, help_text: str = "") -> forms.DecimalField:
    return forms.DecimalField(
        label=label,
        help_text=help_text,
        required=required,
        min_value=Decimal("0"),
        max_value=Decimal(maximum),
        max_digits=7,
        decimal_places=2,
        error_messages={
            "required": f"Enter the {label.lower()}",
            "invalid": f"{label} must be an amount of money, like 12.71",
            "min_value": f"{label} cannot be negative",
            "max_value": f"{label} must be no more than £{Decimal(maximum):,.0f}",
            "max_digits": f"{label} must be no more than £{Decimal(maximum):,.0f}",
            "max_decimal_places": f"{label} can have at most 2 decimal places",
        },
        widget=forms.TextInput(attrs={"inputmode": "decimal", "class": "govuk-input--width-5"}),
    )


def _whole_number(label: str, *, low: int, high: int, required: bool = True) -> forms.IntegerField:
    message = f"{label} must be a whole number from {low} to {high}"
    return forms.IntegerField(
        label=label,
        required=required,
        min_value=low,
        max_value=high,
        error_messages={
            "required": f"Enter the {label.lower()}",
            "invalid": message,
            "min_value": message,
            "max_value": message,
        },
        widget=forms.TextInput(attrs={"inputmode": "numeric", "class": "govuk-input--width-3"}),
    )


class BetterOffForm(GovForm):
    """The household the better-off-in-work calculation is for, and the hourly wage."""

    submit_label = "Calculate"

    hourly_wage = _money_field(
        "Hourly wage",
        maximum="500",
        help_text="In pounds. The National Living Wage from April 2026 is £12.71 an hour for people aged 21 and over.",
    )
    age = _whole_number("Age of the person", low=16, high=120)
    partner_age = _whole_number("Partner's age (leave empty if no partner)", low=16, high=120, required=False)
    partner_weekly_earnings = _money_field(
        "Partner's earnings a week",
        maximum="10000",
        required=False,
        help_text="Before tax, in pounds. Leave empty if none.",
    )
    married = forms.BooleanField(
        label="The person and their partner are married or in a civil partnership", required=False
    )
    children_ages = forms.CharField(
        label="Ages of the children (optional)",
        help_text="Separated by commas, for example 4, 9. Leave empty if none.",
        required=False,
        max_length=100,
        error_messages={"max_length": "Ages of the children must be 100 characters or fewer"},
    )
    tenure = forms.ChoiceField(
        label="Home",
        choices=list(better_off.TENURE_LABELS.items()),
        widget=forms.RadioSelect,
        error_messages={"required": "Select whether the household rents or owns its home"},
    )
    monthly_rent = _money_field(
        "Rent a month", maximum="10000", required=False, help_text="In pounds, including service charges. 0 if none."
    )
    council_tax_band = forms.ChoiceField(
        label="Council tax band",
        choices=[("", "Does not pay council tax")] + [(b, f"Band {b}") for b in better_off.COUNCIL_TAX_BANDS],
        required=False,
    )
    lcwra = forms.BooleanField(
        label="Gets the Universal Credit health element (limited capability for work and work-related activity)",
        required=False,
    )
    pip_daily_living = forms.ChoiceField(
        label="PIP daily living",
        choices=[("", "None"), ("standard", "Standard rate"), ("enhanced", "Enhanced rate")],
        required=False,
        widget=forms.RadioSelect(attrs={"class": "govuk-radios--inline"}),
    )
    pip_mobility = forms.ChoiceField(
        label="PIP mobility",
        choices=[("", "None"), ("standard", "Standard rate"), ("enhanced", "Enhanced rate")],
        required=False,
        widget=forms.RadioSelect(attrs={"class": "govuk-radios--inline"}),
    )

    def clean_children_ages(self) -> tuple[int, ...]:
        text = self.cleaned_data.get("children_ages", "").strip()
        if not text:
            return ()
        ages = []
        for part in text.replace(";", ",").split(","):
            part = part.strip()
            if not part:
                continue
            if not part.isdigit() or not 0 <= int(part) <= 19:
                raise forms.ValidationError(
                    "Enter each child's age as a whole number from 0 to 19, separated by commas"
                )
            ages.append(int(part))
        if len(ages) > 12:
            raise forms.ValidationError("Enter no more than 12 children")
        return tuple(ages)

    def service_arguments(self) -> dict:
        d = self.cleaned_data
        household = better_off.Household(
            age=d["age"],
            partner_age=d.get("partner_age"),
            partner_weekly_earnings=d.get("partner_weekly_earnings") or Decimal("0"),
            married=bool(d.get("married")),
            children_ages=d.get("children_ages") or (),
            monthly_rent=d.get("monthly_rent") or Decimal("0"),
            tenure=d["tenure"],
            council_tax_band=d.get("council_tax_band") or "",
            lcwra=bool(d.get("lcwra")),
            pip_daily_living=d.get("pip_daily_living") or "",
            pip_mobility=d.get("pip_mobility") or "",
        )
        return {"household": household, "hourly_wage": d["hourly_wage"]}


class WorkActivityForm(GovForm):
    submit_label = "Save"

    kind = forms.ChoiceField(
        label="What kind",
        choices=WorkActivityKind.choices,
        widget=forms.RadioSelect,
        help_text="Neither counts as a job start.",
        error_messages={"required": "Select permitted work or volunteering"},
    )
    organisation_name = forms.CharField(
        label="Organisation",
        max_length=200,
        error_messages={
            "required": "Enter the organisation's name",
            "max_length": "Organisation must be 200 characters or fewer",
        },
    )
    role = forms.CharField(
        label="What the person does",
        max_length=200,
        error_messages={"required": "Enter what the person does", "max_length": "This must be 200 characters or fewer"},
    )
    hours_per_week = forms.DecimalField(
        label="Hours a week",
        max_digits=4,
        decimal_places=1,
        min_value=Decimal("0.5"),
        max_value=Decimal("80"),
        error_messages=JobStartForm.base_fields["hours_per_week"].error_messages,
        widget=forms.TextInput(attrs={"inputmode": "decimal", "class": "govuk-input--width-4"}),
    )
    weekly_earnings = _money_field(
        "Earnings a week",
        maximum="10000",
        required=False,
        help_text="Permitted work only, before tax. Leave empty for volunteering.",
    )
    started_on = GovDateField(noun="start date", label="Start date")

    def service_arguments(self) -> dict:
        d = dict(self.cleaned_data)
        d["weekly_earnings"] = d.get("weekly_earnings") or Decimal("0")
        return d


class OnwardReferralForm(GovForm):
    """Refer the person on to a published directory service, from their plan."""

    submit_label = "Save referral"

    service = forms.ChoiceField(
        label="Service",
        error_messages={"required": "Choose the service", "invalid_choice": "Choose a service from the list"},
    )
    goal = forms.ChoiceField(label="Towards which goal (optional)", required=False)
    reason = forms.CharField(
        label="Why you are referring the person",
        widget=forms.Textarea(attrs={"rows": 2}),
        max_length=1000,
        error_messages={
            "required": "Enter why you are referring the person to this service",
            "max_length": "The reason must be 1,000 characters or fewer",
        },
    )
    made_on = GovDateField(noun="referral date", label="Date of the referral")

    def __init__(self, *args, services=(), goals=(), **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["service"].choices = [("", "Choose a service")] + [
            (str(s.pk), f"{s.name} ({s.organisation.name})") for s in services
        ]
        self.goals = {str(g.pk): g for g in goals}
        self.fields["goal"].choices = [("", "Not tied to a goal")] + [(pk, g.text[:80]) for pk, g in self.goals.items()]

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
