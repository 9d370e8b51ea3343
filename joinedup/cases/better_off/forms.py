from __future__ import annotations

from decimal import Decimal
from typing import Any

from django import forms

from joinedup.core.forms import GovForm

from .. import limits
from ..fields import money_field
from . import calculator


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

    hourly_wage = money_field(
        "Hourly wage",
        maximum="500",
        help_text="In pounds. The National Living Wage from April 2026 is £12.71 an hour for people aged 21 and over.",
    )
    age = _whole_number("Age of the person", low=16, high=120)
    partner_age = _whole_number("Partner's age (leave empty if no partner)", low=16, high=120, required=False)
    partner_weekly_earnings = money_field(
        "Partner's earnings a week",
        maximum="10000",
        required=False,
        help_text="Before tax, in pounds. Leave empty if none.",
    )
    married = forms.BooleanField(
        label="The person and their partner are married or in a civil partnership", required=False
    )
    children_ages = limits.CHILDREN_AGES.field(
        "Ages of the children (optional)", help_text="Separated by commas, for example 4, 9. Leave empty if none."
    )
    tenure = forms.ChoiceField(
        label="Home",
        choices=list(calculator.TENURE_LABELS.items()),
        widget=forms.RadioSelect,
        error_messages={"required": "Select whether the household rents or owns its home"},
    )
    monthly_rent = money_field(
        "Rent a month", maximum="10000", required=False, help_text="In pounds, including service charges. 0 if none."
    )
    council_tax_band = forms.ChoiceField(
        label="Council tax band",
        choices=[("", "Does not pay council tax")] + [(b, f"Band {b}") for b in calculator.COUNCIL_TAX_BANDS],
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
        household = calculator.Household(
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


class HoursConsideredForm(GovForm):
    """The hours a week the person is thinking about working, marked on the result's chart (issue 18).
    A question about the page, not the household: asked on the result, in the address (GET)."""

    submit_label = "Mark these hours"
    submit_class = "govuk-button--secondary"

    hours = _whole_number("Hours a week being considered", low=0, high=40, required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.helper.form_method = "get"
        self.helper.disable_csrf = True
        self.helper.attrs = {**self.helper.attrs, "data-testid": "hours-considered"}

    def considered(self) -> int | None:
        return self.cleaned_data.get("hours") if self.is_bound and self.is_valid() else None
