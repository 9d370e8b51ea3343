"""What a person may have corrected on their record, checked as at intake (people.validators)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from functools import partial
from typing import Any

from django.core.exceptions import ValidationError

from joinedup.core.errors import DomainError
from joinedup.people.validators import (
    normalise_email,
    normalise_nhs_number,
    normalise_phone,
    normalise_postcode,
    validate_name,
)

RECTIFIABLE = ("given_name", "family_name", "date_of_birth", "email", "phone", "postcode", "nhs_number")
# The intake check of each field; names and email are checked even when blank (a name may not be).
_CHECK: dict[str, Callable[[Any], Any]] = {
    "given_name": partial(validate_name, label="First name"),
    "family_name": partial(validate_name, label="Last name"),
    "email": normalise_email,
    "phone": normalise_phone,
    "postcode": normalise_postcode,
    "nhs_number": normalise_nhs_number,
}
_OPTIONAL = {"phone", "nhs_number"}  # blank is allowed and stays blank


def _checked(name: str, value: Any) -> Any:
    if isinstance(value, str):
        value = value.strip()
    if name == "date_of_birth":
        if not isinstance(value, date) or value >= date.today():
            raise DomainError("Date of birth must be in the past", field=name)
        return value
    if name == "postcode" and not value:
        raise DomainError("Enter a postcode", field=name)
    if name in _OPTIONAL and not value:
        return value
    try:
        return _CHECK[name](value)
    except ValidationError as exc:
        raise DomainError(exc.messages[0], field=name) from exc


def checked_changes(changes: dict[str, Any]) -> dict[str, Any]:
    """The corrected values, normalised; a DomainError on the first field that is not valid."""
    checked: dict[str, Any] = {}
    for name, value in changes.items():
        if name not in RECTIFIABLE:
            raise DomainError(f"{name} cannot be corrected here")
        checked[name] = _checked(name, value)
    return checked
