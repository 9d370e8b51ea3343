from __future__ import annotations

from typing import Any

from django import forms

from joinedup.core.forms import GovDateField, GovForm

from . import limits
from .extract import FIELDS
from .models import RequestKind, RequestOutcome


def _reference() -> forms.CharField:
    return forms.CharField(
        label="Referral reference",
        help_text="Any referral about the person, for example JU-7KQ4M2X",
        max_length=12,
        error_messages={"required": "Enter a referral reference", "max_length": "Enter a reference like JU-7KQ4M2X"},
    )


class RequestForm(GovForm):
    submit_label = "Record the request"

    reference = _reference()
    kind = forms.ChoiceField(
        label="What the person asked for",
        choices=RequestKind.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Choose what the person asked for"},
    )
    received_on = GovDateField(noun="date the request was received", label="Date received")
    description = limits.REQUEST_DESCRIPTION.field(
        "What they asked, in their words (optional)", widget=forms.Textarea(attrs={"rows": 3})
    )


class AnswerForm(GovForm):
    submit_label = "Record the answer"

    outcome = forms.ChoiceField(
        label="Outcome",
        choices=RequestOutcome.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Choose whether the request was done or refused"},
    )
    note = limits.OUTCOME_NOTE.field(
        "Note (needed when refused: the exemption and why)", widget=forms.Textarea(attrs={"rows": 3})
    )


class RectifyForm(GovForm):
    submit_label = "Save the corrections"

    given_name = forms.CharField(
        label="First name", max_length=100, error_messages={"required": "Enter their first name"}
    )
    family_name = forms.CharField(
        label="Last name", max_length=100, error_messages={"required": "Enter their last name"}
    )
    date_of_birth = GovDateField(noun="date of birth", label="Date of birth")
    email = forms.EmailField(label="Email (optional)", required=False, max_length=254)
    phone = forms.CharField(label="Phone (optional)", required=False, max_length=30)
    postcode = forms.CharField(label="Postcode", max_length=8, error_messages={"required": "Enter a postcode"})
    nhs_number = forms.CharField(label="NHS number (optional)", required=False, max_length=12)

    @staticmethod
    def initial_for(person: Any) -> dict[str, Any]:
        return {name: getattr(person, name) for name in RectifyForm.base_fields}


class HoldForm(GovForm):
    submit_label = "Place the hold"

    reference = _reference()
    reason = limits.HOLD_REASON.field(
        "Why the record must be kept",
        required="Say why the record must be kept (the claim, investigation or order)",
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class TrailSearchForm(GovForm):
    submit_label = "Show audit trail"

    reference = forms.CharField(
        label="Referral reference",
        help_text="For example, JU-7KQ4M2X",
        max_length=12,
        required=False,
        error_messages={"max_length": "Enter a reference like JU-7KQ4M2X"},
    )
    name = forms.CharField(label="Or the person's name", max_length=100, required=False)
    user = forms.CharField(label="Who (a user's name or sign-in)", max_length=100, required=False)
    since = GovDateField(noun="first date", label="From", required=False)
    until = GovDateField(noun="last date", label="To", required=False)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if not any(data.get(k) for k in ("reference", "name", "user", "since", "until")):
            raise forms.ValidationError("Enter a referral reference, a name, a user or dates to search by")
        if data.get("since") and data.get("until") and data["since"] > data["until"]:
            self.add_error("until", "The last date must be the same as or after the first date")
        return data


class AgreementForm(GovForm):
    submit_label = "Record the agreement"

    title = limits.AGREEMENT_TITLE.field("Title", required="Enter the agreement's title")
    recipient = limits.AGREEMENT_PARTIES.field(
        "Who receives the extract (the parties)", required="Enter who receives the extract"
    )
    purpose = limits.AGREEMENT_TEXT.field(
        "Purpose", required="Enter the agreement's purpose", widget=forms.Textarea(attrs={"rows": 3})
    )
    legal_basis = limits.AGREEMENT_TEXT.field(
        "Legal basis",
        required="Enter the legal basis",
        help_text="For example, UK GDPR article 6(1)(e) and 9(2)(j), research in the public interest",
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    allowed_fields = forms.MultipleChoiceField(
        label="Fields the extract may hold",
        choices=[(code, f.label) for code, f in FIELDS.items()],
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": "Choose at least one field the extract may hold"},
    )
    starts_on = GovDateField(noun="start date", label="Starts on")
    expires_on = GovDateField(noun="end date", label="Expires on")
