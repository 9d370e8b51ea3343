"""What a person may have corrected on their record, checked as at intake (people.validators)."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.core.exceptions import ValidationError

from joinedup.core.errors import DomainError
from joinedup.people.validators import normalise_nhs_number, normalise_postcode

RECTIFIABLE = ("given_name", "family_name", "date_of_birth", "email", "phone", "postcode", "nhs_number")
_NORMALISE = {"postcode": normalise_postcode, "nhs_number": normalise_nhs_number}
_REQUIRED = {
    "given_name": "Enter their first name",
    "family_name": "Enter their last name",
    "postcode": "Enter a postcode",
}


def checked_changes(changes: dict[str, Any]) -> dict[str, Any]:
    """The corrected values, normalised; a DomainError on the first field that is not valid."""
    checked: dict[str, Any] = {}
    for name, value in changes.items():
        if name not in RECTIFIABLE:
            raise DomainError(f"{name} cannot be corrected here")
        if isinstance(value, str):
            value = value.strip()
        if name in _REQUIRED and not value:
            raise DomainError(_REQUIRED[name], field=name)
        if name == "date_of_birth" and (not isinstance(value, date) or value >= date.today()):
            raise DomainError("Date of birth must be in the past", field=name)
        if value and name in _NORMALISE:
            try:
                value = _NORMALISE[name](value)
            except ValidationError as exc:
                raise DomainError(exc.messages[0], field=name) from exc
        checked[name] = value
    return checked
