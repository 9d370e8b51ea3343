"""Employer names compared: the folded key two spellings of one name share, and how close two names
are. Used to flag a likely duplicate before an employer is created and by `employer_link_names`."""

from __future__ import annotations

import re
import unicodedata
from difflib import SequenceMatcher

# Words that say what kind of body an employer is, not which one.
_NOISE = frozenset({"ltd", "limited", "plc", "llp", "the", "and", "co", "company", "uk", "group", "cic", "trust"})
CLOSE = 0.85  # similarity at or above which two names are "close"

_COMPANY_NUMBER = re.compile(r"^(?:\d{8}|[A-Z]{2}\d{6}|R0\d{6})$")


def name_key(name: str) -> str:
    """Lower case, accents and punctuation dropped, '&' read as 'and', legal suffixes dropped."""
    text = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode().lower().replace("&", " and ")
    words = [w for w in re.split(r"[^a-z0-9]+", text) if w and w not in _NOISE]
    return " ".join(words) or re.sub(r"[^a-z0-9]+", " ", text).strip()


def similarity(a: str, b: str) -> float:
    """0 to 1: how alike two names are, on their folded keys."""
    ka, kb = name_key(a), name_key(b)
    if not ka or not kb:
        return 0.0
    if ka == kb:
        return 1.0
    return SequenceMatcher(None, ka, kb).ratio()


def company_number(text: str) -> str:
    """A Companies House number normalised (upper case, no spaces; digits padded to 8), or "" when
    empty. ValueError with a plain-English message when it is the wrong shape."""
    value = re.sub(r"\s+", "", text or "").upper()
    if not value:
        return ""
    if value.isdigit() and 6 <= len(value) < 8:  # leading zeros are often left off
        value = value.zfill(8)
    if not _COMPANY_NUMBER.match(value):
        raise ValueError(
            "Enter a Companies House number of 8 characters: 8 digits, like 01234567, or 2 letters "
            "and 6 digits, like SC123456"
        )
    return value
