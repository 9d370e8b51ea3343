"""The sign-in forms: a code (from the app or a recovery code), a new password, a user to help."""

from __future__ import annotations

from typing import Any

from crispy_forms_gds.helper import FormHelper
from crispy_forms_gds.layout import Submit
from django import forms
from django.contrib.auth.forms import PasswordChangeForm

from joinedup.core.errors import DomainError
from joinedup.core.forms import GovForm


class CodeForm(GovForm):
    submit_label = "Continue"
    code = forms.CharField(
        label="Code",
        help_text="The 6-digit code your authenticator app shows now, or one of your recovery codes",
        max_length=20,
        error_messages={"required": "Enter the code from your authenticator app"},
        widget=forms.TextInput(
            attrs={"autocomplete": "one-time-code", "spellcheck": "false", "class": "govuk-input--width-10"}
        ),
    )


class SetUpCodeForm(CodeForm):
    submit_label = "Set up two-factor sign-in"

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["code"].help_text = "The 6-digit code your authenticator app shows for Joined Up"


class RecoveryCodesForm(GovForm):
    submit_label = "Make new recovery codes"
    submit_class = "govuk-button--secondary"


class PasswordForm(PasswordChangeForm):
    """Django's password change (old password, new twice, checked by AUTH_PASSWORD_VALIDATORS:
    length, common passwords, similarity to the username and name, not all numbers)."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["old_password"].label = "Current password"
        self.fields["new_password1"].label = "New password"
        self.fields["new_password2"].label = "New password again"
        self.helper = FormHelper()
        self.helper.attrs = {"novalidate": ""}
        self.helper.add_input(Submit("submit", "Change password", data_prevent_double_click="true"))

    def add_domain_error(self, error: DomainError) -> None:
        self.add_error(None, error.message)


class FindAccountForm(GovForm):
    submit_label = "Find"
    username = forms.CharField(
        label="Username", max_length=150, error_messages={"required": "Enter the username of the person to help"}
    )


class UnlockForm(forms.Form):
    username = forms.CharField(required=False, max_length=150)
    ip_address = forms.GenericIPAddressField(required=False)
