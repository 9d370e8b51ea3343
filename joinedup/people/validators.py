"""Validation of personal identifiers and contact details, shared by forms, API and services."""

from __future__ import annotations

import re
from datetime import date

import nhs_number
from django.core.exceptions import ValidationError
from django.core.validators import EmailValidator

# The UK postcode format (BS 7666 shape), spaces optional; normalised to "AA9A 9AA".
_POSTCODE = re.compile(r"^([A-Z]{1,2}[0-9][A-Z0-9]?)\s*([0-9][A-Z]{2})$")


def normalise_postcode(value: str) -> str:
    if not value.strip():
        raise ValidationError("Enter a postcode, like NG18 1AB")
    match = _POSTCODE.match(value.strip().upper())
    if not match:
        raise ValidationError("Enter a real postcode, like NG18 1AB")
    return f"{match.group(1)} {match.group(2)}"


def normalise_nhs_number(value: str) -> str:
    """Return the 10 digits of a valid NHS number, or raise with a plain-English message."""
    digits = re.sub(r"[\s-]", "", value)
    if not digits.isdigit() or len(digits) != 10:
        raise ValidationError("NHS number must be 10 digits, like 943 476 5919")
    if not nhs_number.is_valid(digits):
        raise ValidationError("Enter a valid NHS number. Check you have entered it correctly")
    return digits


# HMRC's National Insurance number format (NIM39110): two prefix letters (not D, F, I, Q, U or V;
# the second not O; not BG, GB, KN, NK, NT, TN or ZZ), six digits and a suffix A to D.
# python-stdnum has no module for it, so this one pattern is the project's only check.
_NI_NUMBER = re.compile(r"^(?!BG|GB|KN|NK|NT|TN|ZZ)[A-CEGHJ-PR-TW-Z][A-CEGHJ-NPR-TW-Z][0-9]{6}[A-D]$")


def normalise_ni_number(value: str) -> str:
    """'qq 12 34 56 c' -> 'QQ123456C', or raise with a plain-English message."""
    compact = re.sub(r"[\s.-]", "", value or "").upper()
    if not _NI_NUMBER.match(compact):
        raise ValidationError("Enter a National Insurance number in the right format, like QQ 12 34 56 C")
    return compact


def validate_date_of_birth(value: date, *, today: date | None = None) -> date:
    today = today or date.today()
    if value > today:
        raise ValidationError("Date of birth must be in the past")
    age = today.year - value.year - ((today.month, today.day) < (value.month, value.day))
    if age < 16:
        raise ValidationError("The person must be 16 or older to be referred")
    if age > 100:
        raise ValidationError("Date of birth must be after " + f"{today.year - 100}")
    return value


_PHONE = re.compile(r"^\+?[0-9 ()-]{10,20}$")


def normalise_phone(value: str) -> str:
    value = value.strip()
    if value and not _PHONE.match(value):
        raise ValidationError("Enter a telephone number, like 01632 960 001 or 07700 900 982")
    return value


# Characters a name may not hold: controls (C0, DEL, C1) and the bidirectional controls that can make
# a name display as something else (embeddings, overrides, isolates, marks), and zero-width joiners'
# invisible relatives that hide a name's real spelling.
_NAME_REFUSED = re.compile("[\x00-\x1f\x7f-\x9f\u061c\u200b\u200e\u200f\u202a-\u202e\u2066-\u2069\ufeff]")
NAME_MAX_LENGTH = 100


def validate_name(value: str, *, label: str = "Name") -> str:
    """A person's name, stripped, or raise with a plain-English message. The one check every form,
    the API and FHIR use: not blank, at most 100 characters, and no control or direction-changing
    characters. Letters of any script, spaces, hyphens and apostrophes are all welcome."""
    value = (value or "").strip()
    if not value:
        raise ValidationError(f"Enter the person's {label.lower()}")
    if len(value) > NAME_MAX_LENGTH:
        raise ValidationError(f"{label} must be {NAME_MAX_LENGTH} characters or fewer")
    if _NAME_REFUSED.search(value):
        raise ValidationError(f"{label} must not contain control characters or text-direction characters")
    return value


EMAIL_MAX_LENGTH = 254
_EMAIL = EmailValidator()


def normalise_email(value: str) -> str:
    """An email address, stripped and lower-cased ('' stays ''), or raise with a plain-English message."""
    value = (value or "").strip()
    if not value:
        return ""
    if len(value) > EMAIL_MAX_LENGTH:
        raise ValidationError(f"Email address must be {EMAIL_MAX_LENGTH} characters or fewer")
    try:
        _EMAIL(value)
    except ValidationError as exc:
        raise ValidationError("Enter an email address in the correct format, like name@example.com") from exc
    return value.lower()
