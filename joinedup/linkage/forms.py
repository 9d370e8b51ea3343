from __future__ import annotations

from django import forms

from joinedup.core.forms import GovForm


class MergeForm(GovForm):
    submit_label = "Merge the records"
    submit_class = "govuk-button--warning"

    confirmed = forms.BooleanField(
        label="I have checked that these records are the same person",
        error_messages={"required": "Confirm that you have checked these records are the same person"},
    )
    reason = forms.CharField(
        label="How do you know? (optional)",
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=1000,
        error_messages={"max_length": "The reason must be 1,000 characters or fewer"},
    )


class ReverseForm(GovForm):
    submit_label = "Reverse the merge"
    submit_class = "govuk-button--warning"

    reason = forms.CharField(
        label="Why are you reversing the merge?",
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=1000,
        error_messages={
            "required": "Enter why you are reversing the merge",
            "max_length": "The reason must be 1,000 characters or fewer",
        },
    )
