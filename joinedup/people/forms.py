from __future__ import annotations

from typing import Any

from django import forms
from django.core.exceptions import ValidationError

from joinedup.core.forms import GovDateField, GovForm
from joinedup.organisations.models import Organisation

from .models import ConsentPurpose
from .selectors import gp_practices


class _ChoiceOfOrganisation(forms.ModelChoiceField):
    def to_python(self, value):
        try:
            return super().to_python(value)
        except ValidationError as exc:  # a malformed id: the same plain message as an unknown one
            raise ValidationError(self.error_messages["invalid_choice"], code="invalid_choice") from exc


class ConsentForm(GovForm):
    submit_label = "Save consent"

    purpose = forms.ChoiceField(
        label="What is the person deciding about?",
        widget=forms.RadioSelect,
        error_messages={"required": "Select what the person is deciding about", "invalid_choice": "Select an option"},
    )
    gp_practice = _ChoiceOfOrganisation(
        label="Their GP practice (if sharing with their GP)",
        queryset=Organisation.objects.none(),
        required=False,
        empty_label="Select a GP practice",
        error_messages={"invalid_choice": "Select a GP practice from the list"},
    )
    given = forms.ChoiceField(
        label="Do they agree?",
        choices=[("yes", "Yes, they agree"), ("no", "No, they do not agree")],
        widget=forms.RadioSelect,
        error_messages={"required": "Select whether the person agrees", "invalid_choice": "Select yes or no"},
    )
    expires_on = GovDateField(
        noun="date the consent ends",
        label="Date the consent ends (optional)",
        help_text="Leave blank if it does not end. After this date nothing more is shared. For example, 1 6 2027",
        required=False,
    )

    def __init__(self, *args, referrer: Organisation, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.referrer = referrer
        self.fields["purpose"].choices = [
            (ConsentPurpose.SHARE_PROGRESS, f"Sharing their progress with {referrer.name}, who referred them"),
            (ConsentPurpose.SHARE_GP, "Sharing their progress with their GP practice"),
            (ConsentPurpose.NOTIFY_PERSON, "Being told by email how their referral is going"),
        ]
        self.fields["gp_practice"].queryset = gp_practices()

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        if data.get("purpose") == ConsentPurpose.SHARE_GP and not data.get("gp_practice"):
            self.add_error("gp_practice", "Select the person's GP practice")
        return data

    def service_arguments(self) -> dict[str, Any]:
        data = self.cleaned_data
        about = {
            ConsentPurpose.SHARE_PROGRESS: self.referrer,
            ConsentPurpose.SHARE_GP: data.get("gp_practice"),
        }.get(data["purpose"])
        return {
            "purpose": data["purpose"],
            "given": data["given"] == "yes",
            "about_organisation": about,
            "expires_on": data.get("expires_on"),
        }
