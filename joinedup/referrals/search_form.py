"""The triage roles' referral search form (`views.referral_search`)."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any, cast

from django import forms

from joinedup.core.forms import GovDateField, GovForm

from .statuses import CHOICES


class ReferralSearchForm(GovForm):
    """Triage's search of every referral it may see (GET, so a search can be bookmarked). Parses only:
    the search itself is `selectors.referral_search_page`."""

    submit_label = "Search"

    q = forms.CharField(
        label="Name, reference or NHS number",
        required=False,
        max_length=100,
        error_messages={"max_length": "Name, reference or NHS number must be 100 characters or fewer."},
    )
    status = forms.ChoiceField(label="Status", required=False)
    partner = forms.ChoiceField(label="Delivery partner", required=False)
    received_from = GovDateField(noun="first day received", label="Received on or after", required=False)
    received_to = GovDateField(noun="last day received", label="Received on or before", required=False)

    def __init__(self, *args: Any, partners: Iterable[Any], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.helper.form_method = "get"
        cast(forms.ChoiceField, self.fields["status"]).choices = [("", "Any status"), *CHOICES]
        partner_choices = [("", "Any partner")] + [(str(o.pk), o.name) for o in partners]
        cast(forms.ChoiceField, self.fields["partner"]).choices = partner_choices

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        start, end = cleaned.get("received_from"), cleaned.get("received_to")
        if start and end and end < start:
            self.add_error("received_to", "The last day received must be the same as or after the first day")
        return cleaned

    def search(self) -> dict:
        """The search as the selector takes it (only from a valid form)."""
        d = self.cleaned_data
        return {
            "text": d.get("q") or "",
            "status": d.get("status") or "",
            "partner": d.get("partner") or "",
            "received_from": d.get("received_from"),
            "received_to": d.get("received_to"),
        }
