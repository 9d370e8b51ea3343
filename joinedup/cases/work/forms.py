from __future__ import annotations

from decimal import Decimal
from typing import Any

from django import forms

from joinedup.core.forms import GovDateField, GovForm

from .. import limits
from ..fields import hours_field, money_field
from .models import MILESTONES, ApplicationStatus, ContractType, MilestoneOutcome, WorkActivityKind


def _employer_field() -> forms.CharField:
    return limits.EMPLOYER.field("Employer", required="Enter the employer's name")


def _job_title_field() -> forms.CharField:
    return limits.JOB_TITLE.field("Job title", required="Enter the job title")


class JobStartForm(GovForm):
    submit_label = "Save job start"

    employer_name = _employer_field()
    job_title = _job_title_field()
    hours_per_week = hours_field()
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
    evidence = limits.WORK_EVIDENCE.field(
        "Evidence (optional)",
        help_text="For example, 'contract seen' or 'confirmed by employer'",
        widget=forms.Textarea(attrs={"rows": 2}),
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
    evidence = limits.WORK_EVIDENCE.field(
        "Evidence the person is still in work",
        required="Enter the evidence that the person is still in work",
        help_text="For example, 'payslip seen for week ending 14 March'. If they left work, say when and why.",
        widget=forms.Textarea(attrs={"rows": 2}),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
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


class JobApplicationForm(GovForm):
    submit_label = "Save application"

    employer_name = _employer_field()
    job_title = _job_title_field()
    applied_on = GovDateField(noun="application date", label="Date applied")
    status = forms.ChoiceField(
        label="How is it going?",
        choices=ApplicationStatus.choices,
        widget=forms.RadioSelect,
        initial=ApplicationStatus.APPLIED,
        error_messages={"required": "Select how the application is going"},
    )
    interview_on = GovDateField(noun="interview date", label="Interview date (optional)", required=False)

    def __init__(self, *args: Any, updating: bool = False, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if updating:
            for name in ("employer_name", "job_title", "applied_on"):
                del self.fields[name]


class WorkActivityForm(GovForm):
    submit_label = "Save"

    kind = forms.ChoiceField(
        label="What kind",
        choices=WorkActivityKind.choices,
        widget=forms.RadioSelect,
        help_text="Neither counts as a job start.",
        error_messages={"required": "Select permitted work or volunteering"},
    )
    organisation_name = limits.ORGANISATION.field("Organisation", required="Enter the organisation's name")
    role = limits.ROLE.field("What the person does", required="Enter what the person does")
    hours_per_week = hours_field()
    weekly_earnings = money_field(
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
