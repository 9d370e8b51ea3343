"""The need app's forms: they parse; the services decide."""

from __future__ import annotations

from django import forms

from joinedup.core.forms import GovForm

from .narrative import NARRATIVE_LIMIT


class NarrativeForm(GovForm):
    submit_label = "Save this section"

    text = forms.CharField(
        label="Text of the section",
        widget=forms.Textarea(attrs={"rows": 10}),
        max_length=NARRATIVE_LIMIT,
        error_messages={
            "required": "Enter the text of the section",
            "max_length": f"The text must be {NARRATIVE_LIMIT:,} characters or fewer.",
        },
        help_text="Saved as a new dated version; the earlier versions are kept.",
    )


class FingertipsUploadForm(GovForm):
    submit_label = "Load the file"

    file = forms.FileField(
        label="Fingertips CSV file",
        help_text="The CSV from Fingertips' “Export table” or “Download data” for any indicator, as downloaded.",
        error_messages={
            "required": "Choose the Fingertips CSV file to load",
            "invalid": "Choose the Fingertips CSV file to load",
            "empty": "The file is empty. Choose the CSV file Fingertips exported.",
            "max_length": "The file's name must be 255 characters or fewer.",
        },
    )
