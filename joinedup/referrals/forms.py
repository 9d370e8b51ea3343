from __future__ import annotations

import time
import uuid
from typing import cast

from crispy_forms_gds.layout import Field, Fieldset, Layout, Size
from django import forms

from joinedup.core.forms import GovDateField, GovForm
from joinedup.organisations.models import Organisation
from joinedup.people.choices import Benefit, EmploymentStatus, HealthCondition

from .routes import Route, RouteField
from .services import ReferralInput, referral_problems
from .statuses import DECLINE_REASON_CHOICES, DECLINE_REASONS


class ReferralForm(GovForm):
    """Parses what the referrer typed; the rules themselves live in `referral_create`."""

    submit_label = "Send referral"

    given_name = forms.CharField(label="First name", required=False, strip=True)
    family_name = forms.CharField(label="Last name", required=False, strip=True)
    date_of_birth = GovDateField(noun="date of birth", label="Date of birth", help_text="For example, 27 3 1985")
    email = forms.EmailField(
        label="Email address (optional)",
        required=False,
        max_length=254,
        error_messages={"invalid": "Enter an email address in the correct format, like name@example.com"},
    )
    phone = forms.CharField(label="Telephone number (optional)", required=False)
    postcode = forms.CharField(
        label="Postcode", required=False, widget=forms.TextInput(attrs={"autocomplete": "postal-code"})
    )
    nhs_number = forms.CharField(
        label="NHS number (optional)", required=False, help_text="A 10 digit number, like 943 476 5919"
    )
    employment_status = forms.ChoiceField(
        label="Employment status",
        choices=EmploymentStatus.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Select the person's employment status"},
    )
    benefits = forms.MultipleChoiceField(
        label="Benefits",
        help_text="Select all that apply",
        choices=Benefit.choices,
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )
    health_condition = forms.ChoiceField(
        label="Main health condition",
        choices=HealthCondition.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Select the main health condition"},
    )
    help_wanted = forms.CharField(
        label="What do they want help with?",
        help_text="In their own words if you can, for example 'getting back to work after a long time off'",
        widget=forms.Textarea(attrs={"rows": 4}),
        required=False,
    )
    consent_referral = forms.BooleanField(
        label="The person agrees to be referred to the service",
        required=False,
    )
    consent_share_progress = forms.BooleanField(
        label="The person agrees that the service can tell you how they are getting on",
        help_text="If they do not agree, you will only be told whether the referral was accepted",
        required=False,
    )
    notify_person = forms.BooleanField(
        label="The person would like to be told by email how the referral is going",
        help_text="We email them the reference, and say when it is accepted and when support starts",
        required=False,
    )
    submission_key = forms.UUIDField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, route: Route | None = None, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.route = route
        if not self.is_bound:
            self.initial.setdefault("submission_key", uuid.uuid4())
        medium, small = Size.MEDIUM, Size.SMALL
        if route is not None and route.nhs_number_required:
            self.fields["nhs_number"].label = "NHS number"
        if route is not None and route.benefits_may_be_unknown:
            self.fields["benefits"].help_text = "Select all that apply. Leave them all unticked if you do not know"
        route_fields = []
        for spec in route.fields if route else ():
            self.fields[spec.name] = _route_field(spec)
            route_fields.append(_layout(spec))
        self.helper.layout = Layout(
            Fieldset(
                Field.text("given_name"),
                Field.text("family_name"),
                Field("date_of_birth"),
                legend=self.about_legend,
                legend_size=medium,
            ),
            Fieldset(
                Field.text("email"),
                Field.text("phone", field_width=20),
                Field.text("postcode", field_width=10),
                Field.text("nhs_number", field_width=10),
                legend="Contact details",
                legend_size=medium,
            ),
            Fieldset(
                Field.radios("employment_status", legend_size=small),
                Field.checkboxes("benefits", legend_size=small),
                Field.radios("health_condition", legend_size=small),
                Field.textarea("help_wanted", label_size=small),
                legend=self.circumstances_legend,
                legend_size=medium,
            ),
            *([Fieldset(*route_fields, legend=route.details_legend, legend_size=medium)] if route_fields else []),
            Fieldset(*self.consent_layout(), legend="Consent", legend_size=medium),
            *self.extra_layout(),
            "submission_key",
        )

    about_legend = "About the person"
    circumstances_legend = "Their circumstances"

    def consent_layout(self) -> list:
        return [
            Field.checkbox("consent_referral"),
            Field.checkbox("consent_share_progress"),
            Field.checkbox("notify_person"),
        ]

    def extra_layout(self) -> list:
        return []

    def clean(self) -> dict:
        """Show the service's rule errors together with parsing errors, in one error summary."""
        cleaned = super().clean()
        if "submission_key" in self.errors:  # a hidden field: say so where the person can see it
            del self.errors["submission_key"]
            self.add_error(None, "This form has expired. Check the details and send the referral again")
        values = dict(cleaned)
        if self.route is not None:
            values["route"] = self.route.code
            values["details"] = {k: v for k, v in self.route_details().items() if k in cleaned}
        for field, message in referral_problems(values).items():
            if field not in self.errors:
                self.add_error(field if field in self.fields else None, message)
        return cleaned

    def to_input(self) -> ReferralInput:
        d = self.cleaned_data
        return ReferralInput(
            given_name=d["given_name"],
            family_name=d["family_name"],
            date_of_birth=d["date_of_birth"],
            postcode=d["postcode"],
            employment_status=d["employment_status"],
            health_condition=d["health_condition"],
            help_wanted=d["help_wanted"],
            consent_referral=d["consent_referral"],
            consent_share_progress=d["consent_share_progress"],
            email=d["email"],
            phone=d["phone"],
            nhs_number=d["nhs_number"],
            benefits=list(d["benefits"]),
            route=self.route.code if self.route else "",
            details=self.route_details(),
            national_insurance_number=d.get("national_insurance_number") or "",
            notify_person=bool(d.get("notify_person")),
        )

    def route_details(self) -> dict:
        """The route's answers, as the service stores them (the NI number goes on the person)."""
        d = self.cleaned_data
        out = {}
        for spec in self.route.fields if self.route else ():
            if spec.name == "national_insurance_number":
                continue
            value = d.get(spec.name)
            if value in (None, "") and spec.kind != "bool":
                continue
            out[spec.name] = bool(value) if spec.kind == "bool" else value
        return out


def _route_field(spec: RouteField) -> forms.Field:
    """A form field for one of a route's questions (the rules are checked by the service)."""
    common = {"label": spec.label, "help_text": spec.hint, "required": False}
    if spec.kind == "bool":
        return forms.BooleanField(**common)
    if spec.kind == "choice":
        return forms.ChoiceField(choices=spec.choices, widget=forms.RadioSelect, **common)
    if spec.kind == "months":
        return forms.IntegerField(
            min_value=0,
            max_value=600,
            error_messages={
                "invalid": f"{spec.label.rstrip('?')}: enter a whole number of months",
                "min_value": f"{spec.label.rstrip('?')}: enter 0 or more",
                "max_value": f"{spec.label.rstrip('?')}: enter 600 or fewer",
            },
            **common,
        )
    return forms.CharField(max_length=500, strip=True, **common)


def _layout(spec: RouteField):
    small = Size.SMALL
    if spec.kind == "bool":
        return Field.checkbox(spec.name)
    if spec.kind == "choice":
        return Field.radios(spec.name, legend_size=small)
    if spec.kind in {"months", "nino"}:
        return Field.text(spec.name, field_width=10)
    return Field.text(spec.name)


class SelfReferralForm(ReferralForm):
    """The public form: the person refers themselves. No sign-in, so two checks against spam bots
    without any third-party service: a field people never see (a bot fills it in) and a signed
    token with the time the form was shown (a bot posts too fast, or replays an old form)."""

    submit_label = "Send my referral"
    about_legend = "About you"
    circumstances_legend = "Your circumstances"

    website = forms.CharField(label="Leave this blank", required=False)  # the honeypot
    form_token = forms.CharField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, **kwargs) -> None:
        from .routes import ROUTES, SELF

        super().__init__(*args, route=ROUTES[SELF], **kwargs)
        labels = {
            "given_name": "Your first name",
            "family_name": "Your last name",
            "date_of_birth": "Your date of birth",
            "employment_status": "Are you working at the moment?",
            "benefits": "Which benefits do you get?",
            "health_condition": "Which health condition affects you most?",
            "help_wanted": "What would you like help with?",
            "consent_referral": "I agree to be referred to the service and for it to keep my details",
            "nhs_number": "Your NHS number (optional)",
            "notify_person": "Email me my reference and tell me how my referral is going",
        }
        for name, label in labels.items():
            self.fields[name].label = label
        self.fields[
            "help_wanted"
        ].help_text = "In your own words, for example 'getting back to work after a long time off'"
        # The reader is the person (issue 18: "We email them the reference").
        self.fields[
            "notify_person"
        ].help_text = "We email you the reference, and tell you when it is accepted and when support starts"
        status = cast(forms.ChoiceField, self.fields["employment_status"])
        status.choices = [(code, _FIRST_PERSON_CHOICES.get(code, label)) for code, label in EmploymentStatus.choices]
        self.fields["website"].widget.attrs.update({"autocomplete": "off", "tabindex": "-1"})
        if not self.is_bound:
            self.initial["form_token"] = spam_token_issue(self.initial["submission_key"])

    def consent_layout(self) -> list:
        return [Field.checkbox("consent_referral"), Field.checkbox("notify_person")]

    def add_error(self, field, error) -> None:
        """The service's rules speak of "the person"; here the person is the reader."""
        if isinstance(error, str):
            error = _SECOND_PERSON.get(error, error)
        super().add_error(field, error)

    def full_clean(self) -> None:
        super().full_clean()
        for errors in getattr(self, "_errors", {}).values() if self._errors else []:
            for i, message in enumerate(errors):
                if isinstance(message, str) and message in _SECOND_PERSON:
                    errors[i] = _SECOND_PERSON[message]

    def extra_layout(self) -> list:
        from crispy_forms_gds.layout import Div

        # Hidden from people (and screen readers); a bot filling every field fills this one.
        return [Div(Field.text("website"), css_class="govuk-visually-hidden", aria_hidden="true"), "form_token"]

    def clean(self) -> dict:
        cleaned = super().clean()
        problem = spam_check(
            token=self.data.get("form_token", ""),
            honeypot=self.data.get("website", ""),
            submission_key=cleaned.get("submission_key"),
        )
        if problem:
            self.errors.clear()
            self.add_error(None, problem)
        return cleaned


_FIRST_PERSON_CHOICES: dict[str, str] = {EmploymentStatus.AT_RISK.value: "In work but at risk of losing my job"}

_SECOND_PERSON = {
    "Enter a postcode, like NG18 1AB": "Enter your postcode, like NG18 1AB",
    "Enter the person's first name": "Enter your first name",
    "Enter the person's last name": "Enter your last name",
    "Enter the date of birth": "Enter your date of birth",
    "Select the person's employment status": "Select whether you are working at the moment",
    "Select the benefits the person gets, or 'None of these'": "Select the benefits you get, or 'None of these'",
    "Select the main health condition": "Select the health condition that affects you most",
    "Enter what the person wants help with": "Enter what you would like help with",
    "The person must agree to the referral before you can refer them": (
        "You need to agree to be referred before you can send this"
    ),
    "The person must be 16 or older to be referred": "You must be 16 or older to refer yourself",
}


def spam_token_issue(submission_key) -> str:
    from django.core import signing

    return signing.TimestampSigner(salt="joinedup.self-referral").sign(str(submission_key))


def spam_check(*, token: str, honeypot: str, submission_key, now=None) -> str:
    """A plain-English reason to refuse the submission, or "" when it looks like a person's."""
    from django.conf import settings
    from django.core import signing

    if honeypot.strip():
        return "We could not send your referral. Leave the last box blank and try again"
    signer = signing.TimestampSigner(salt="joinedup.self-referral")
    max_age = getattr(settings, "SELF_REFERRAL_MAX_AGE", 2 * 60 * 60)
    try:
        value = signer.unsign(token, max_age=max_age)
    except signing.BadSignature:  # tampered with, or expired (SignatureExpired is a BadSignature)
        return "This form has expired. Check your details and send it again"
    if str(submission_key) != value:
        return "This form has expired. Check your details and send it again"
    issued = signing.b62_decode(token.split(":")[-2])
    elapsed = (now or time.time()) - issued
    if elapsed < getattr(settings, "SELF_REFERRAL_MIN_SECONDS", 3):
        return "That was very quick. Check your details and send the form again"
    return ""


class AssignForm(GovForm):
    submit_label = "Assign referral"

    action = forms.CharField(widget=forms.HiddenInput, initial="assign")

    delivery_partner = forms.ModelChoiceField(
        label="Delivery partner",
        queryset=Organisation.objects.none(),
        empty_label="Choose a delivery partner",
        error_messages={"required": "Select a delivery partner", "invalid_choice": "Select a delivery partner"},
    )
    adviser = forms.TypedChoiceField(
        label="Personal Adviser",
        coerce=int,
        error_messages={"required": "Select a Personal Adviser", "invalid_choice": "Select a Personal Adviser"},
    )
    reason = forms.CharField(
        label="Why this partner? (optional)",
        widget=forms.Textarea(attrs={"rows": 2}),
        required=False,
    )

    def __init__(self, *args, partners, advisers, **kwargs) -> None:
        kwargs.setdefault("auto_id", "id_assign_%s")  # shares a page with DeclineForm: ids must differ
        super().__init__(*args, **kwargs)
        self.fields["delivery_partner"].queryset = partners
        self.fields["adviser"].choices = [("", "Choose a Personal Adviser")] + [
            (m.user_id, f"{m.user.get_full_name() or m.user.username} ({m.organisation.name})") for m in advisers
        ]


class RouteForm(GovForm):
    """The triage officer sends the referral to a delivery partner, for a service from the matches."""

    submit_label = "Send to the delivery partner"

    action = forms.CharField(widget=forms.HiddenInput, initial="route")
    service = forms.ChoiceField(
        label="Which service is it for?",
        help_text="Eligible services first, then those not known yet",
        widget=forms.RadioSelect,
        required=False,
    )
    delivery_partner = forms.ModelChoiceField(
        label="Delivery partner",
        queryset=Organisation.objects.none(),
        empty_label="Choose a delivery partner",
        error_messages={"required": "Select a delivery partner", "invalid_choice": "Select a delivery partner"},
    )
    reason = forms.CharField(
        label="Note for the partner (optional)", widget=forms.Textarea(attrs={"rows": 2}), required=False
    )

    def __init__(self, *args, partners, matching, **kwargs) -> None:
        kwargs.setdefault("auto_id", "id_route_%s")
        super().__init__(*args, **kwargs)
        self.matching = matching
        self.fields["delivery_partner"].queryset = partners
        choices = [("", "No particular service")]
        for match in matching.eligible:
            choices.append((str(match.service.pk), f"{match.service.name} (eligible)"))
        for match in matching.unknown:
            choices.append((str(match.service.pk), f"{match.service.name} (not known yet)"))
        self.fields["service"].choices = choices
        self.initial.setdefault("service", "")

    def chosen_service(self):
        """The service chosen from the matches shown (the choices allow no other)."""
        from joinedup.directory.models import Service

        chosen = self.cleaned_data.get("service")
        return Service.objects.filter(pk=uuid.UUID(chosen)).first() if chosen else None


class AcceptForm(GovForm):
    """The delivery partner accepts a referral sent to it, giving it to one of its Personal Advisers."""

    submit_label = "Accept referral"

    action = forms.CharField(widget=forms.HiddenInput, initial="accept")
    adviser = forms.TypedChoiceField(
        label="Personal Adviser",
        coerce=int,
        error_messages={"required": "Select a Personal Adviser", "invalid_choice": "Select a Personal Adviser"},
    )

    def __init__(self, *args, advisers, **kwargs) -> None:
        kwargs.setdefault("auto_id", "id_accept_%s")
        super().__init__(*args, **kwargs)
        self.fields["adviser"].choices = [("", "Choose a Personal Adviser")] + [
            (m.user_id, m.user.get_full_name() or m.user.username) for m in advisers
        ]


class DeclineForm(GovForm):
    submit_label = "Decline referral"
    submit_class = "govuk-button--warning"

    action = forms.CharField(widget=forms.HiddenInput, initial="decline")

    reason_code = forms.ChoiceField(
        label="Reason for declining",
        help_text="The referrer will see this",
        choices=DECLINE_REASON_CHOICES,
        widget=forms.RadioSelect,
        required=False,
    )
    reason = forms.CharField(
        label="Why is the referral declined?",
        help_text="Add any detail the referrer should know. Needed if you choose 'Another reason'",
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
    )

    def __init__(self, *args, **kwargs) -> None:
        kwargs.setdefault("auto_id", "id_decline_%s")  # shares a page with AssignForm: ids must differ
        super().__init__(*args, **kwargs)

    def clean(self) -> dict:
        cleaned = super().clean()
        code, note = cleaned.get("reason_code"), (cleaned.get("reason") or "").strip()
        if not code and not note:
            self.add_error("reason_code", "Select why the referral is declined")
        elif code and DECLINE_REASONS[code].needs_note and not note:
            self.add_error("reason", "Enter why the referral is declined")
        return cleaned
