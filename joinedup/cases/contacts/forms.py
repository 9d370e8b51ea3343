from __future__ import annotations

from django import forms
from django.utils import timezone

from joinedup.core.forms import GovDateField, GovForm

from .. import limits
from .models import ADVISER_CHANNELS, ContactChannel, ContactKind


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
        choices=ADVISER_CHANNELS,
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
    notes = limits.CONTACT_NOTES.field("Notes (optional)", widget=forms.Textarea(attrs={"rows": 4}))
