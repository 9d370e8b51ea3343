from __future__ import annotations

from django import forms
from django.utils.safestring import SafeString

from joinedup.core.forms import GovDateField, GovForm, unbound_fields_html

from .. import limits
from . import stages
from .selectors import SORT_CHOICES


class EnrolForm(GovForm):
    submit_label = "Enrol"

    enrolled_on = GovDateField(noun="enrolment date", label="Date of enrolment", help_text="For example, 3 11 2026")
    eligibility_confirmed = forms.BooleanField(
        label="I have checked the person is eligible for the programme", required=False
    )
    eligibility_evidence = forms.CharField(
        label="Evidence of eligibility",
        help_text="What you saw, for example 'UC award letter dated 2 October showing LCW'",
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
    )
    consent_to_support = forms.BooleanField(
        label="The person consents to support and to their information being recorded", required=False
    )


class NextStepForm(GovForm):
    submit_label = "Save next step"

    next_action = limits.NEXT_ACTION.field(
        "Next action", help_text="For example, 'Help Sam apply for the Boots vacancy by Friday'"
    )
    next_review_on = GovDateField(noun="review date", label="Next review of the plan", required=False)


class CaseloadFilterForm(GovForm):
    """The caseload's filters, sent by GET so a filtered list can be bookmarked."""

    submit_label = "Apply filters"

    show = forms.ChoiceField(
        label="Whose cases",
        choices=[("mine", "Your cases"), ("all", "Everyone's cases")],
        widget=forms.RadioSelect(attrs={"class": "govuk-radios--small govuk-radios--inline"}),
        required=False,
    )
    stage = forms.ChoiceField(
        label="Stage",
        choices=[("", "Any stage"), ("active", "Any stage but closed"), *stages.CHOICES],
        required=False,
    )
    review = forms.ChoiceField(
        label="Plan review",
        choices=[("", "Any"), ("due", "Due in the next 7 days or overdue"), ("overdue", "Overdue")],
        required=False,
    )
    no_recent_contact = forms.BooleanField(label="Only people with no contact in the last 14 days", required=False)
    adviser = forms.IntegerField(required=False, widget=forms.HiddenInput)
    q = forms.CharField(required=False, max_length=100, widget=forms.HiddenInput)  # the search box's, kept
    sort = forms.ChoiceField(required=False, choices=SORT_CHOICES, widget=forms.HiddenInput)

    def shown(self) -> SafeString:
        """The filters as they apply (a bad value ignored), as the fields of an unbound form: the
        same markup for the same filters, so rendered once (`unbound_fields_html`)."""
        self.is_valid()
        initial = {name: value for name, value in self.cleaned_data.items() if value not in (None, "")}
        return unbound_fields_html(CaseloadFilterForm, initial={"show": "mine", **initial})

    def filters(self) -> dict:
        self.is_valid()  # a bad value is ignored rather than shown as an error
        d = self.cleaned_data
        return {
            "mine_only": d.get("show") != "all",
            "stage": d.get("stage") or "",
            "review": d.get("review") or "",
            "no_recent_contact": bool(d.get("no_recent_contact")),
            "adviser_id": d.get("adviser"),
            "text": (d.get("q") or "").strip(),
            "sort": d.get("sort") or "",
        }
