"""The person's forms: they only parse; the services hold the rules and their messages."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django import forms
from django.utils.translation import gettext_lazy as _

from joinedup.core.forms import GovForm

from .services import SHARE_DAYS, SHARED_WITH_MAX

if TYPE_CHECKING:
    from django.utils.functional import _StrOrPromise as StrOrPromise

TEXT_MAX = 1000
# cases.limits.PERSON_MESSAGE, whose service check has the one message


class AddressForm(GovForm):
    submit_label = _("Send me a link")

    address = forms.CharField(
        label=_("Email address or mobile number"),
        help_text=_(
            "The email address or UK mobile number your adviser or the person who referred you has for you. "
            "We send a code to a mobile number."
        ),
        max_length=254,
        error_messages={
            "required": _("Enter your email address or mobile number"),
            "max_length": _("Email address or mobile number must be 254 characters or fewer"),
        },
        widget=forms.TextInput(attrs={"autocomplete": "email", "spellcheck": "false"}),
    )


class CodeForm(GovForm):
    submit_label = _("Sign in")

    code = forms.CharField(
        label=_("Code we sent you"),
        help_text=_("It has 6 numbers."),
        max_length=20,
        error_messages={"required": _("Enter the 6-digit code we sent you")},
        widget=forms.TextInput(
            attrs={"inputmode": "numeric", "autocomplete": "one-time-code", "class": "govuk-input--width-5"}
        ),
    )


def _text(label: StrOrPromise, required: StrOrPromise) -> forms.CharField:
    return forms.CharField(
        label=label,
        max_length=TEXT_MAX,
        error_messages={
            "required": required,
            "max_length": _("Your message must be 1,000 characters or fewer."),
        },
        widget=forms.Textarea(attrs={"rows": 4}),
    )


class MessageForm(GovForm):
    submit_label = _("Send message")

    text = _text(_("Your message"), _("Enter your message."))


class NoteForm(GovForm):
    submit_label = _("Save note")

    text = _text(_("Your note"), _("Enter your message."))


class ShareForm(GovForm):
    submit_label = _("Make a link")

    shared_with = forms.CharField(
        label=_("Who are you sharing your plan with?"),
        help_text=_("For example, Dr Patel at your GP practice, or your work coach."),
        max_length=SHARED_WITH_MAX,
        error_messages={
            "required": _("Enter who you are sharing your plan with"),
            "max_length": _("Who you are sharing with must be 100 characters or fewer"),
        },
    )
    days = forms.TypedChoiceField(
        label=_("How long should the link work?"),
        choices=[(d, _("%(days)s days") % {"days": d}) for d in SHARE_DAYS],
        coerce=int,
        widget=forms.RadioSelect,
        error_messages={"required": _("Select how long to share your plan for")},
    )


class ReplyForm(GovForm):
    """The adviser's reply to the person."""

    submit_label = "Send reply"

    text = forms.CharField(
        label="Your reply",
        help_text="The person is emailed that you have replied, with a link to sign in: not what you wrote.",
        max_length=TEXT_MAX,
        error_messages={
            "required": "Enter your reply.",
            "max_length": "Your message must be 1,000 characters or fewer.",
        },
        widget=forms.Textarea(attrs={"rows": 5}),
    )
    duration_minutes = forms.IntegerField(
        label="Time spent in minutes",
        initial=5,
        error_messages={
            "required": "Enter the time spent in minutes",
            "invalid": "Time spent must be a whole number of minutes",
        },
        widget=forms.TextInput(attrs={"inputmode": "numeric", "class": "govuk-input--width-4"}),
    )
