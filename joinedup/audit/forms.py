from django import forms

from joinedup.core.forms import GovForm


class TrailSearchForm(GovForm):
    submit_label = "Show audit trail"

    reference = forms.CharField(
        label="Referral reference",
        help_text="For example, JU-7KQ4M2X",
        max_length=12,
        error_messages={"required": "Enter a referral reference", "max_length": "Enter a reference like JU-7KQ4M2X"},
    )
