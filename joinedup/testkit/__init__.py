"""Test kit: factories and the test partnership (`factories`), page readers (`pages`) and instance
comparison (`records`). Not an installed app: it has no models. Tests import from here."""

from joinedup.testkit.factories import (
    PASSWORD,
    MembershipFactory,
    OrganisationFactory,
    Partnership,
    UserFactory,
    referral_input,
)
from joinedup.testkit.pages import input_value, page_text, select_options
from joinedup.testkit.records import loaded_fields
from joinedup.testkit.signin import SignInClient, totp_code, verified_device

__all__ = [
    "PASSWORD",
    "SignInClient",
    "MembershipFactory",
    "OrganisationFactory",
    "Partnership",
    "UserFactory",
    "input_value",
    "loaded_fields",
    "page_text",
    "referral_input",
    "select_options",
    "totp_code",
    "verified_device",
]
