from __future__ import annotations

from typing import Any

from django import forms

from joinedup.core.forms import GovDateField, GovForm

from .. import limits
from . import instruments
from .models import AssessmentArea, AssessmentRating, Timepoint


class WellbeingForm(GovForm):
    """One questionnaire: a radio question per item, built from the instrument's definition."""

    submit_label = "Save answers"

    def __init__(self, *args: Any, instrument: instruments.Instrument, **kwargs: Any) -> None:
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


class AssessmentForm(GovForm):
    """Every area rated from 1 (major barrier) to 5 (a strength)."""

    submit_label = "Save assessment"

    def __init__(self, *args: Any, **kwargs: Any) -> None:
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
        self.fields["summary"] = limits.ASSESSMENT_SUMMARY.field(
            "Summary (optional)",
            help_text="What the person said matters most, in their words",
            widget=forms.Textarea(attrs={"rows": 4}),
        )

    def service_arguments(self) -> dict:
        d = self.cleaned_data
        return {
            "assessed_on": d["assessed_on"],
            "ratings": {area: d[area] for area in AssessmentArea.values},
            "summary": d["summary"],
        }
