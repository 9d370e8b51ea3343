"""The programmes app's forms: they parse; the services decide."""

from __future__ import annotations

import uuid
from decimal import Decimal
from typing import Any

from django import forms

from joinedup.core.forms import GovDateField, GovForm

from . import limits
from .choices import (
    ExpenseKind,
    FunderKind,
    Gender,
    InvestmentPriority,
    Isced,
    LabourMarketStatus,
    Outcome,
    QualificationLevel,
    TariffModel,
    YesNo,
    YesNoPrivate,
)
from .services import FunderInput, RuleInput
from .services.participants import LABELS, SENSITIVE, EsfInput


def number(
    label: str, *, maximum: int = 10_000_000, required: bool = True, decimal: bool = False, help_text: str = ""
) -> forms.Field:
    messages = {
        "required": f"Enter the {label.lower()}",
        "invalid": f"{label} must be a number",
        "min_value": f"{label} cannot be negative",
        "max_value": f"{label} must be no more than {maximum:,}",
        "max_digits": f"{label} must be no more than {maximum:,}",
        "max_decimal_places": f"{label} can have at most 2 decimal places",
    }
    widget = forms.TextInput(attrs={"inputmode": "decimal" if decimal else "numeric", "class": "govuk-input--width-10"})
    common: dict[str, Any] = {
        "label": label,
        "required": required,
        "error_messages": messages,
        "widget": widget,
        "help_text": help_text,
    }
    if decimal:
        return forms.DecimalField(
            min_value=Decimal(0), max_value=Decimal(maximum), max_digits=12, decimal_places=2, **common
        )
    return forms.IntegerField(min_value=0, max_value=maximum, **common)


def radios(label: str, choices: list[tuple[str, str]], *, required_message: str) -> forms.ChoiceField:
    return forms.ChoiceField(
        label=label,
        choices=choices,
        widget=forms.RadioSelect,
        error_messages={"required": required_message, "invalid_choice": required_message},
    )


def _choices(form: forms.Form, name: str, choices: list[tuple[str, str]]) -> None:
    field = form.fields[name]
    assert isinstance(field, forms.ChoiceField)
    field.choices = choices


FUNDER_ROWS = 3


class ProgrammeForm(GovForm):
    submit_label = "Set up the programme"

    name = limits.NAME.field("Programme name")
    code = limits.CODE.field("Short code", help_text="Letters, numbers and hyphens, like nihes-2026")
    investment_priority = radios(
        "Investment priority", InvestmentPriority.choices, required_message="Choose the investment priority"
    )
    starts_on = GovDateField(noun="start date", label="Starts")
    ends_on = GovDateField(noun="end date", label="Ends")
    contract_value = number("Contract value in pounds", decimal=True, maximum=1_000_000_000)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for i in range(1, FUNDER_ROWS + 1):
            first = i == 1
            self.fields[f"funder_{i}_name"] = limits.FUNDER.field(f"Funder {i}", required=first)
            self.fields[f"funder_{i}_kind"] = forms.ChoiceField(
                label=f"Funder {i}: kind of funding", choices=[("", "Choose"), *FunderKind.choices], required=first,
                error_messages={"required": "Choose what kind of funding the funder gives"},
            )  # fmt: skip
            self.fields[f"funder_{i}_share"] = number(
                f"Funder {i}: share in per cent", decimal=True, maximum=100, required=first
            )

    def funders(self) -> list[FunderInput]:
        data = self.cleaned_data
        return [
            FunderInput(data[f"funder_{i}_name"], data[f"funder_{i}_kind"], data[f"funder_{i}_share"] or Decimal(0))
            for i in range(1, FUNDER_ROWS + 1)
            if data.get(f"funder_{i}_name")
        ]

    def service_arguments(self) -> dict[str, Any]:
        data = {k: v for k, v in self.cleaned_data.items() if not k.startswith("funder_")}
        return {**data, "funders": self.funders()}


class TargetForm(GovForm):
    submit_label = "Save targets"

    year = number("Year", maximum=2100)
    starts = number("Starts")
    job_entries = number("Job entries")
    sustained_jobs = number("Sustained jobs")


class ContractForm(GovForm):
    submit_label = "Save contract"

    partner = forms.ChoiceField(
        label="Delivery partner",
        error_messages={"required": "Choose a delivery partner", "invalid_choice": "Choose a delivery partner"},
    )
    allocated_starts = number("Allocated starts")
    value = number("Contract value in pounds", decimal=True, maximum=1_000_000_000)

    def __init__(self, *args: Any, partners: list[tuple[str, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _choices(self, "partner", [("", "Choose"), *partners])


class BudgetForm(GovForm):
    submit_label = "Save budget"

    partner = forms.ChoiceField(
        label="Delivery partner",
        error_messages={"required": "Choose a delivery partner", "invalid_choice": "Choose a delivery partner"},
    )
    amount = number("Expenses and hardship budget in pounds", decimal=True)

    def __init__(self, *args: Any, partners: list[tuple[str, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _choices(self, "partner", [("", "Choose"), *partners])


class TariffForm(GovForm):
    submit_label = "Save tariff"

    model = radios("Payment model", TariffModel.choices, required_message="Choose the payment model")
    price_per_participant = number(
        "Price per participant in pounds", decimal=True, help_text="The outcome payments are shares of this"
    )
    delivery_fee_percent = number(
        "Delivery fee, per cent of each contract",
        decimal=True,
        maximum=100,
        required=False,
        help_text="Only with a delivery fee; paid in equal monthly parts",
    )
    attachment_share = number("Attachment: share in per cent", decimal=True, maximum=100)
    attachment_definition = limits.DEFINITION.field("Attachment: what counts", widget=forms.Textarea(attrs={"rows": 2}))
    job_entry_share = number("Job entry: share in per cent", decimal=True, maximum=100)
    job_entry_definition = limits.DEFINITION.field(
        "Job entry: which job starts count", widget=forms.Textarea(attrs={"rows": 2})
    )
    job_entry_min_hours = number("Job entry: fewest hours a week", decimal=True, maximum=80, required=False)
    job_entry_self_employed = forms.BooleanField(
        label="Self-employment counts as a job entry", required=False, initial=True
    )
    sustained_share = number("Sustained: share in per cent", decimal=True, maximum=100)
    sustained_definition = limits.DEFINITION.field(
        "Sustained: how sustainment is measured", widget=forms.Textarea(attrs={"rows": 2})
    )
    sustained_weeks = forms.TypedChoiceField(
        label="Sustained: weeks in work", choices=[("26", "26 weeks"), ("13", "13 weeks")], coerce=int, initial="26"
    )

    def service_arguments(self) -> dict[str, Any]:
        d = self.cleaned_data
        rules = [
            RuleInput(Outcome.ATTACHMENT, d["attachment_share"], d["attachment_definition"]),
            RuleInput(
                Outcome.JOB_ENTRY,
                d["job_entry_share"],
                d["job_entry_definition"],
                d["job_entry_min_hours"],
                d["job_entry_self_employed"],
            ),
            RuleInput(
                Outcome.SUSTAINED, d["sustained_share"], d["sustained_definition"], sustained_weeks=d["sustained_weeks"]
            ),
        ]
        return {
            "model": d["model"],
            "price_per_participant": d["price_per_participant"],
            "delivery_fee_percent": d["delivery_fee_percent"] or Decimal(0),
            "rules": [r for r in rules if r.share_percent or r.outcome != Outcome.ATTACHMENT],
        }


class BatchForm(GovForm):
    submit_label = "Gather the month's claims"

    month = forms.ChoiceField(
        label="Month", error_messages={"required": "Choose the month", "invalid_choice": "Choose the month"}
    )
    partner = forms.ChoiceField(
        label="Delivery partner",
        error_messages={"required": "Choose a delivery partner", "invalid_choice": "Choose a delivery partner"},
    )

    def __init__(
        self, *args: Any, months: list[tuple[str, str]], partners: list[tuple[str, str]], **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        _choices(self, "month", months)
        _choices(self, "partner", partners)


class ReasonForm(GovForm):
    submit_label = "Reject"
    submit_class = "govuk-button--warning"

    reason = limits.REASON.field("Reason", widget=forms.Textarea(attrs={"rows": 3}))


class PaidForm(GovForm):
    submit_label = "Record payment"

    paid_on = GovDateField(noun="date it was paid", label="Paid on")


class CorrectionForm(GovForm):
    submit_label = "Correct and claim again"

    correction = limits.NOTE.field("What was corrected", widget=forms.Textarea(attrs={"rows": 3}))


class WithdrawForm(GovForm):
    submit_label = "Withdraw the evidence"
    submit_class = "govuk-button--warning"

    reason = limits.REASON.field("Why is the job start's evidence withdrawn?", widget=forms.Textarea(attrs={"rows": 3}))


class ChooseProgrammeForm(GovForm):
    submit_label = "Put the case on this programme"

    programme = forms.ChoiceField(
        label="Programme",
        widget=forms.RadioSelect,
        error_messages={"required": "Choose the programme", "invalid_choice": "Choose the programme"},
    )

    def __init__(self, *args: Any, programmes: list[tuple[str, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _choices(self, "programme", programmes)


class EsfForm(GovForm):
    """The ESF characteristics at start: every item is asked; the sensitive ones offer "prefers not to say"."""

    submit_label = "Save participant data"

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        specials: dict[str, list[tuple[str, str]]] = {
            "gender": Gender.choices,
            "labour_market_status": LabourMarketStatus.choices,
            "isced": Isced.choices,
        }
        for name, what in LABELS.items():
            choices = specials.get(name) or (YesNoPrivate.choices if name in SENSITIVE else YesNo.choices)
            self.fields[name] = radios(what[0].upper() + what[1:], choices, required_message=f"Choose {what}")

    def esf_input(self) -> EsfInput:
        return EsfInput(**{name: self.cleaned_data[name] for name in LABELS})


class LeavingForm(GovForm):
    submit_label = "Save leaving status"

    left_on = GovDateField(noun="date they left", label="Date they left")
    job_search = forms.BooleanField(label="Looking for work", required=False)
    education = forms.BooleanField(label="In education or training", required=False)
    qualification = forms.BooleanField(label="Gained a qualification", required=False)
    employed = forms.BooleanField(label="In employment or self-employment", required=False)


class FollowUpForm(GovForm):
    submit_label = "Save follow-up"

    on = GovDateField(noun="follow-up date", label="Date of the follow-up")
    employed = forms.BooleanField(label="In employment or self-employment", required=False)
    improved = forms.BooleanField(
        label="Their labour market situation has improved",
        required=False,
        help_text="For example from part-time to full-time work, or a more secure contract",
    )


class CourseForm(GovForm):
    submit_label = "Save course"

    name = limits.COURSE.field("Course")
    provider = limits.PROVIDER.field("Provider")
    level = forms.ChoiceField(
        label="Level",
        choices=QualificationLevel.choices,
        error_messages={"required": "Choose the level", "invalid_choice": "Choose the level"},
    )
    started_on = GovDateField(noun="start date", label="Started")
    completed_on = GovDateField(noun="completion date", label="Completed", required=False)
    qualification_gained = forms.BooleanField(label="Gained the qualification", required=False)


class ExpenseForm(GovForm):
    submit_label = "Ask for the payment"

    kind = radios("What is it for?", ExpenseKind.choices, required_message="Choose what the payment is for")
    amount = number("Amount in pounds", decimal=True, maximum=10_000)
    needed_on = GovDateField(noun="date it is needed", label="Needed on")
    note = limits.NOTE.field("Why it is needed", widget=forms.Textarea(attrs={"rows": 3}))

    submission_key = forms.UUIDField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if not self.is_bound:  # one key per form shown: a retried submission sends it again
            self.initial.setdefault("submission_key", uuid.uuid4())

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        if "submission_key" in self.errors:  # a hidden field: say so where the person can see it
            del self.errors["submission_key"]
            self.add_error(None, "This form has expired. Check the details and ask for the payment again")
        return cleaned


class ConfirmForm(GovForm):
    """A button and nothing else (submit a batch, approve it)."""

    submit_label = "Confirm"
