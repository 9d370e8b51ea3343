"""Form fields more than one of the sub-packages' forms ask: hours a week, and an amount of money."""

from __future__ import annotations

from decimal import Decimal

from django import forms

_HOURS_RANGE = "Hours must be between 0.5 and 80 a week"


def hours_field() -> forms.DecimalField:
    """Hours a week, from 0.5 to 80 to one decimal place."""
    return forms.DecimalField(
        label="Hours a week",
        max_digits=4,
        decimal_places=1,
        min_value=Decimal("0.5"),
        max_value=Decimal("80"),
        error_messages={
            "required": "Enter the hours a week",
            "invalid": "Hours a week must be a number, like 16 or 22.5",
            "min_value": _HOURS_RANGE,
            "max_value": _HOURS_RANGE,
            "max_digits": _HOURS_RANGE,
            "max_decimal_places": "Hours a week can have at most one decimal place",
        },
        widget=forms.TextInput(attrs={"inputmode": "decimal", "class": "govuk-input--width-4"}),
    )


def money_field(label: str, *, maximum: str, required: bool = True, help_text: str = "") -> forms.DecimalField:
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
