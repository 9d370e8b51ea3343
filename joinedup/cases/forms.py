from __future__ import annotations

from decimal import Decimal

from django import forms

from joinedup.core.forms import GovDateField, GovForm

from .models import ContactChannel, ContactKind


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


class ContactForm(GovForm):
    submit_label = "Save contact"

    happened_on = GovDateField(noun="contact date", label="Date of contact")
    channel = forms.ChoiceField(
        label="How",
        choices=ContactChannel.choices,
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
    notes = forms.CharField(
        label="Notes (optional)",
        widget=forms.Textarea(attrs={"rows": 4}),
        required=False,
        max_length=5000,
        error_messages={"max_length": "Notes must be 5,000 characters or fewer"},
    )


class JobStartForm(GovForm):
    submit_label = "Save job start"

    employer_name = forms.CharField(
        label="Employer",
        max_length=200,
        error_messages={
            "required": "Enter the employer's name",
            "max_length": "Employer must be 200 characters or fewer",
        },
    )
    job_title = forms.CharField(
        label="Job title",
        max_length=200,
        error_messages={"required": "Enter the job title", "max_length": "Job title must be 200 characters or fewer"},
    )
    hours_per_week = forms.DecimalField(
        label="Hours a week",
        max_digits=4,
        decimal_places=1,
        min_value=Decimal("0.5"),
        max_value=Decimal("80"),
        error_messages={
            "required": "Enter the hours a week",
            "invalid": "Hours a week must be a number, like 16 or 22.5",
            "min_value": "Hours must be between 0.5 and 80 a week",
            "max_value": "Hours must be between 0.5 and 80 a week",
            "max_digits": "Hours must be between 0.5 and 80 a week",
            "max_decimal_places": "Hours a week can have at most one decimal place",
        },
        widget=forms.TextInput(attrs={"inputmode": "decimal", "class": "govuk-input--width-4"}),
    )
    hourly_pay = forms.DecimalField(
        label="Pay an hour, in pounds",
        max_digits=6,
        decimal_places=2,
        error_messages={
            "required": "Enter the pay an hour",
            "invalid": "Pay must be an amount of money, like 12.21",
            "max_digits": "Pay must be no more than £1,000 an hour",
            "max_decimal_places": "Pay can have at most 2 decimal places",
        },
        widget=forms.TextInput(attrs={"inputmode": "decimal", "class": "govuk-input--width-5"}),
    )
    start_date = GovDateField(noun="start date", label="Start date")
    evidence = forms.CharField(
        label="Evidence (optional)",
        help_text="For example, 'contract seen' or 'confirmed by employer'",
        widget=forms.Textarea(attrs={"rows": 2}),
        required=False,
        max_length=2000,
        error_messages={"max_length": "Evidence must be 2,000 characters or fewer"},
    )


class SustainmentForm(GovForm):
    submit_label = "Save"

    weeks = forms.TypedChoiceField(
        label="Milestone",
        choices=[(13, "13 weeks in work"), (26, "26 weeks in work")],
        coerce=int,
        widget=forms.RadioSelect,
        error_messages={"required": "Select the milestone"},
    )
    achieved_on = GovDateField(noun="date confirmed", label="Date confirmed")
    evidence = forms.CharField(
        label="Evidence the person is still in work",
        help_text="For example, 'payslip seen for week ending 14 March'",
        widget=forms.Textarea(attrs={"rows": 2}),
        max_length=2000,
        error_messages={
            "required": "Enter the evidence that the person is still in work",
            "max_length": "Evidence must be 2,000 characters or fewer",
        },
    )
