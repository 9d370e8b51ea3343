"""Names and identifiers as the linkage model compares them: folded, with nickname groups."""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache
from pathlib import Path

from django.core.exceptions import ValidationError

from joinedup.people import validators

_NICKNAMES = Path(__file__).resolve().parent / "data" / "nicknames.csv"
_NOT_LETTER = re.compile(r"[^a-z]")
_SPECIAL = str.maketrans({"ł": "l", "Ł": "L", "ø": "o", "Ø": "O", "æ": "ae", "Æ": "Ae", "ß": "ss", "đ": "d", "Đ": "D"})


def fold(name: str) -> str:
    """Lower case ASCII letters only: "Siobhán O'Connor" -> "siobhanoconnor"."""
    decomposed = unicodedata.normalize("NFKD", (name or "").translate(_SPECIAL))
    ascii_only = decomposed.encode("ascii", "ignore").decode("ascii").lower()
    return _NOT_LETTER.sub("", ascii_only)


@lru_cache(maxsize=1)
def _groups() -> dict[str, frozenset[str]]:
    """Each known name -> the first names of every line it appears on (its nickname groups)."""
    groups: dict[str, set[str]] = {}
    for line in _NICKNAMES.read_text(encoding="utf-8").splitlines():
        if not line.strip() or line.startswith("#"):
            continue
        names = [fold(n) for n in line.split(",") if fold(n)]
        for name in names:
            groups.setdefault(name, set()).add(names[0])
    return {name: frozenset(keys) for name, keys in groups.items()}


def name_groups(given_name: str) -> list[str]:
    """The nickname groups of a given name ("bill" -> ["william"]); the name itself when unknown."""
    folded = fold(given_name)
    return sorted(_groups().get(folded, {folded})) if folded else []


def nicknames_of(given_name: str) -> list[str]:
    """Every other form of `given_name` the list knows (for the synthetic population)."""
    folded = fold(given_name)
    keys = _groups().get(folded, frozenset())
    return sorted({n for n, g in _groups().items() if g & keys} - {folded})


def normalise_ni_number(value: str) -> str:
    """A National Insurance number as "AB123456C", or "" when it is not a valid one
    (the format check is `people.validators.normalise_ni_number`)."""
    try:
        return validators.normalise_ni_number(value)
    except ValidationError:
        return ""


def postcode_parts(postcode: str) -> tuple[str, str]:
    """("NG18 1AB") -> ("NG18", "NG18 1"): the district and the sector."""
    postcode = (postcode or "").strip().upper()
    if " " not in postcode:
        return postcode[:-3], postcode[:-2].strip() if len(postcode) > 3 else ""
    outward, inward = postcode.split(" ", 1)
    return outward, f"{outward} {inward[:1]}"
