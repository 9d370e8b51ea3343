"""The employers app's forms. They only parse; the services validate the rules and say what is wrong."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal
from typing import Any, cast

from django import forms
from django.utils import timezone

from joinedup.cases.fields import hours_field
from joinedup.core.forms import GovDateField, GovForm

from . import limits
from .choices import (
    AdjustmentKind,
    DisabilityConfident,
    EngagementChannel,
    EngagementKind,
    HealthAward,
    NominationStatus,
    SicSection,
    SizeBand,
    VacancyKind,
    VacancyStatus,
    WagePeriod,
    WorkPattern,
)
from .models import ContractType
from .services import EmployerInput, SiteInput, VacancyInput
from .wages import AgeBand

_BLANK = [("", "Select")]


def _choice(
    label: str, choices: Any, message: str, *, radios: bool = False, required: bool = True
) -> forms.ChoiceField:
    return forms.ChoiceField(
        label=label,
        choices=choices,
        required=required,
        widget=forms.RadioSelect if radios else forms.Select,
        error_messages={"required": message, "invalid_choice": message},
    )


def _optional_date(noun: str, label: str) -> GovDateField:
    return GovDateField(noun=noun, label=label, required=False)


class EmployerForm(GovForm):
    submit_label = "Save employer"

    name = limits.NAME.field("Employer's name", required="Enter the employer's name")
    companies_house_number = forms.CharField(
        label="Companies House number (optional)",
        help_text="8 characters, like 01234567 or SC123456",
        required=False,
        max_length=12,
        error_messages={"max_length": "A Companies House number is 8 characters, like 01234567"},
        widget=forms.TextInput(attrs={"class": "govuk-input--width-10"}),
    )
    sic_section = _choice("Sector (SIC 2007 section)", _BLANK + SicSection.choices, "Select the sector")
    size_band = _choice("Size", SizeBand.choices, "Select the size of the employer", radios=True)
    disability_confident = _choice(
        "Disability Confident level", DisabilityConfident.choices, "Select a level", required=False
    )
    disability_confident_on = _optional_date("date the level was reached", "Date the level was reached")
    disability_confident_expires_on = _optional_date("Disability Confident expiry date", "Expiry date")
    health_award = _choice(
        "Workplace Wellbeing Charter or Better Health at Work Award", HealthAward.choices, "Select one", required=False
    )
    health_award_on = _optional_date("date of the charter or award", "Date of the charter or award")
    publishes_vacancies = forms.BooleanField(
        label="The employer agrees to their open vacancies being on the public jobs page", required=False
    )

    def employer_input(self) -> EmployerInput:
        values: dict[str, Any] = {k: self.cleaned_data.get(k) for k in EmployerInput.__dataclass_fields__}
        return EmployerInput(**values)


class EmployerCreateForm(EmployerForm):
    site_name = limits.SITE_NAME.field("Site name (optional)", help_text="For example 'Head office'")
    postcode = forms.CharField(
        label="Site postcode",
        max_length=10,
        error_messages={"required": "Enter the postcode of the site"},
        widget=forms.TextInput(attrs={"class": "govuk-input--width-10", "autocomplete": "postal-code"}),
    )
    not_a_duplicate = forms.BooleanField(
        label="I have checked: this is a different employer from the one named above", required=False
    )

    def site_input(self) -> SiteInput:
        return SiteInput(name=self.cleaned_data["site_name"], postcode=self.cleaned_data["postcode"])


class SiteForm(GovForm):
    submit_label = "Add site"
    name = limits.SITE_NAME.field("Site name", required="Enter a name for the site")
    address = limits.ADDRESS.field("Address (optional)")
    postcode = forms.CharField(label="Postcode", max_length=10, error_messages={"required": "Enter the postcode"})

    def site_input(self) -> SiteInput:
        return SiteInput(**self.cleaned_data)


class ContactForm(GovForm):
    submit_label = "Add contact"
    name = limits.CONTACT_NAME.field("Name", required="Enter the contact's name")
    role = limits.CONTACT_ROLE.field("Role (optional)")
    agreed_to_contact = forms.BooleanField(label="They agree to be contacted by the partnership", required=False)
    email = forms.EmailField(
        label="Email (optional)",
        required=False,
        error_messages={"invalid": "Enter an email address, like name@example.com"},
    )
    phone = limits.PHONE.field("Phone (optional)")


class EngagementForm(GovForm):
    submit_label = "Save"
    happened_on = GovDateField(noun="date", label="Date")
    channel = _choice("How", EngagementChannel.choices, "Select how", radios=True)
    kind = _choice("What about", EngagementKind.choices, "Select what it was about", radios=True)
    notes = limits.NOTES.field("Notes (optional)", widget=forms.Textarea(attrs={"rows": 4}))
    follow_up = limits.TASK.field("Follow-up task (optional)")
    follow_up_on = _optional_date("date the follow-up is due", "Follow-up due (optional)")


class InviteForm(GovForm):
    submit_label = "Invite"
    email = forms.EmailField(
        label="Their work email",
        error_messages={
            "required": "Enter their email address",
            "invalid": "Enter an email address, like name@example.com",
        },
    )
    first_name = forms.CharField(label="First name (optional)", max_length=150, required=False)
    last_name = forms.CharField(label="Last name (optional)", max_length=150, required=False)


def _money(label: str) -> forms.DecimalField:
    return forms.DecimalField(
        label=label,
        min_value=Decimal("0"),
        max_digits=9,
        decimal_places=2,
        error_messages={
            "required": "Enter the wage",
            "invalid": "The wage must be an amount of money, like 12.71",
            "min_value": "The wage cannot be negative",
            "max_digits": "The wage is too large",
            "max_decimal_places": "The wage can have at most 2 decimal places",
        },
        widget=forms.TextInput(attrs={"inputmode": "decimal", "class": "govuk-input--width-10"}),
    )


class VacancyForm(GovForm):
    submit_label = "Save vacancy"

    title = limits.TITLE.field("Job title", required="Enter the job title")
    site_id = forms.ChoiceField(
        label="Site",
        error_messages={"required": "Select the site", "invalid_choice": "Select one of the employer's sites"},
    )
    description = limits.DESCRIPTION.field(
        "Description", required="Enter a description", widget=forms.Textarea(attrs={"rows": 5})
    )
    kind = _choice("Kind", VacancyKind.choices, "Select the kind of opportunity", radios=True)
    hours_min = hours_field()
    hours_max = hours_field()
    pattern = _choice("Pattern", WorkPattern.choices, "Select the working pattern")
    contract_type = _choice("Contract", ContractType.choices, "Select the contract type")
    wage = _money("Wage, in pounds")
    wage_period = _choice("Wage is paid", WagePeriod.choices, "Select hourly or annual", radios=True)
    age_band = _choice("Age band the wage is for", AgeBand.choices, "Select the age band")
    openings = forms.IntegerField(
        label="Openings",
        min_value=1,
        max_value=999,
        initial=1,
        error_messages={
            "required": "Enter how many openings",
            "invalid": "Openings must be a whole number",
            "min_value": "Enter at least 1 opening",
            "max_value": "Enter at most 999 openings",
        },
        widget=forms.TextInput(attrs={"inputmode": "numeric", "class": "govuk-input--width-3"}),
    )
    closing_on = GovDateField(noun="closing date", label="Closing date")
    adjustments_offered = forms.MultipleChoiceField(
        label="Adjustments offered", choices=AdjustmentKind.choices, required=False, widget=forms.CheckboxSelectMultiple
    )
    guaranteed_interview = forms.BooleanField(
        label="Guaranteed interview for disabled applicants who meet the essential criteria (Disability Confident)",
        required=False,
    )
    how_to_apply = limits.HOW_TO_APPLY.field(
        "How to apply", required="Say how to apply", widget=forms.Textarea(attrs={"rows": 3})
    )
    status = _choice("Status", VacancyStatus.choices, "Select the status", radios=True)

    def __init__(self, *args: Any, sites: list[tuple[str, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        cast(forms.ChoiceField, self.fields["site_id"]).choices = sites
        self.fields["hours_min"].label = "Fewest hours a week"
        self.fields["hours_max"].label = "Most hours a week"
        self.fields["hours_max"].error_messages["required"] = "Enter the most hours a week"
        self.fields["hours_min"].error_messages["required"] = "Enter the fewest hours a week"

    def vacancy_input(self) -> VacancyInput:
        return VacancyInput(**self.cleaned_data)


class PreferencesForm(GovForm):
    submit_label = "Save"

    hours_min = hours_field()
    hours_max = hours_field()
    travel_districts = forms.CharField(
        label="Postcode districts they can travel to (optional)",
        required=False,
        max_length=300,
        help_text="The first part of each postcode, separated by commas, like NG18, NG19. Leave empty if not known.",
    )
    kinds = forms.MultipleChoiceField(
        label="Kinds of work they want",
        choices=VacancyKind.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    adjustments_known = forms.BooleanField(label="We have asked what adjustments they need", required=False)
    adjustments_needed = forms.MultipleChoiceField(
        label="Adjustments they need",
        choices=AdjustmentKind.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for key, label in (
            ("hours_min", "Fewest hours a week (optional)"),
            ("hours_max", "Most hours a week (optional)"),
        ):
            self.fields[key].label = label
            self.fields[key].required = False

    def preferences(self) -> Any:
        from .placement import PreferencesInput

        d = self.cleaned_data
        travel = [t for t in (d["travel_districts"] or "").replace(";", ",").split(",") if t.strip()]
        return PreferencesInput(
            hours_min=d["hours_min"],
            hours_max=d["hours_max"],
            travel_districts=travel or None,
            kinds=d["kinds"] or None,
            adjustments_needed=d["adjustments_needed"] if d["adjustments_known"] else None,
        )


class PutForwardForm(GovForm):
    submit_label = "Put forward"

    consent_given = forms.BooleanField(
        label="The person agrees to their name being shared with this employer for this vacancy", required=False
    )
    shares_contact = forms.BooleanField(label="They also agree to share their email and phone", required=False)
    shares_adjustments = forms.BooleanField(label="They also agree to share the adjustments they need", required=False)
    expires_on = GovDateField(
        noun="date the consent ends", label="Consent ends on", help_text="At most a year from today"
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("initial", {"expires_on": timezone.localdate() + timedelta(days=90)})
        super().__init__(*args, **kwargs)


class JobStartForm(GovForm):
    submit_label = "Record job start"
    start_date = GovDateField(noun="start date", label="Start date")
    hours_per_week = hours_field()
    hourly_pay = forms.DecimalField(
        label="Pay an hour, in pounds (optional: the vacancy's wage if left empty)",
        required=False,
        min_value=Decimal("0"),
        max_digits=6,
        decimal_places=2,
        error_messages={
            "invalid": "Pay must be an amount of money, like 12.71",
            "max_digits": "Pay must be no more than £1,000 an hour",
        },
    )


class NominationForm(GovForm):
    submit_label = "Update"
    status = _choice("How it went", NominationStatus.choices, "Select how it went", radios=True)

    def __init__(self, *args: Any, allowed: list[str], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        cast(forms.ChoiceField, self.fields["status"]).choices = [(k, NominationStatus(k).label) for k in allowed]


class FilterForm(forms.Form):
    """The staff lists' filters (GET): only parsed, never an error."""

    q = forms.CharField(required=False, max_length=100)
    status = forms.ChoiceField(required=False, choices=[("", "Any status"), *VacancyStatus.choices])
    kind = forms.ChoiceField(required=False, choices=[("", "Any kind"), *VacancyKind.choices])
    district = forms.CharField(required=False, max_length=4)
    sector = forms.ChoiceField(required=False, choices=[("", "Any sector"), *SicSection.choices])
    mine = forms.BooleanField(required=False)
