"""Coarsening and keyed hashing for extracts and erasure: postcodes to the district, dates to the month,
identifiers to an HMAC under a key of the agreement's own."""

from __future__ import annotations

import hashlib
import hmac
from datetime import date, datetime

from django.conf import settings


def postcode_district(postcode: str) -> str:
    """The outward code ("NG18 1AB" -> "NG18"); blank stays blank."""
    value = postcode.strip().upper()
    if not value:
        return ""
    if " " in value:
        return value.split()[0]
    return value[:-3] if len(value) > 4 else value


def to_month(value: date | datetime | None) -> str:
    """ "2026-04" for any day in April 2026; blank for none."""
    return f"{value:%Y-%m}" if value is not None else ""


def agreement_key(salt: str) -> bytes:
    """The agreement's secret: derived from the deployment's SECRET_KEY and the agreement's salt, so it
    is in no table and no file, differs per agreement, and is the same every time for one agreement."""
    return hmac.new(str(settings.SECRET_KEY).encode(), b"joinedup.extract:" + salt.encode(), hashlib.sha256).digest()


def pseudonym(key: bytes, identifier: object) -> str:
    """A stable keyed hash of an identifier (HMAC-SHA256, first 16 bytes in hex)."""
    return hmac.new(key, str(identifier).encode(), hashlib.sha256).hexdigest()[:32]
