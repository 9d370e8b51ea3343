"""Areas the directory knows: local authorities (upper tier and districts) and postcode districts.

Codes are stable slugs; reports and eligibility rules use them. A district belongs to its upper-tier
authority, so a rule for "nottinghamshire" covers someone in Mansfield. The postcode-district table is
deliberately partial (the D2N2 and Norfolk districts the seed data needs); a district not in it is
"unknown", never guessed.
"""

from __future__ import annotations

import re
from dataclasses import dataclass


@dataclass(frozen=True)
class Area:
    code: str
    name: str
    parent: str | None = None


AREAS: dict[str, Area] = {
    a.code: a
    for a in [
        Area("england", "England"),
        Area("d2n2", "Derby, Derbyshire, Nottingham and Nottinghamshire (D2N2)", "england"),
        Area("nottingham", "Nottingham City", "d2n2"),
        Area("nottinghamshire", "Nottinghamshire", "d2n2"),
        Area("derby", "Derby City", "d2n2"),
        Area("derbyshire", "Derbyshire", "d2n2"),
        Area("norfolk", "Norfolk", "england"),
        *(
            Area(code, name, "nottinghamshire")
            for code, name in [
                ("ashfield", "Ashfield"),
                ("bassetlaw", "Bassetlaw"),
                ("broxtowe", "Broxtowe"),
                ("gedling", "Gedling"),
                ("mansfield", "Mansfield"),
                ("newark_and_sherwood", "Newark and Sherwood"),
                ("rushcliffe", "Rushcliffe"),
            ]
        ),
        *(
            Area(code, name, "derbyshire")
            for code, name in [
                ("amber_valley", "Amber Valley"),
                ("bolsover", "Bolsover"),
                ("chesterfield", "Chesterfield"),
                ("derbyshire_dales", "Derbyshire Dales"),
                ("erewash", "Erewash"),
                ("high_peak", "High Peak"),
                ("north_east_derbyshire", "North East Derbyshire"),
                ("south_derbyshire", "South Derbyshire"),
            ]
        ),
    ]
}

# Postcode district -> the local authority most of it lies in (partial on purpose).
POSTCODE_DISTRICTS: dict[str, str] = {
    **{f"NG{n}": "nottingham" for n in (1, 2, 3, 5, 6, 7, 8, 11)},
    "NG4": "gedling",
    "NG9": "broxtowe",
    "NG10": "erewash",
    "NG12": "rushcliffe",
    "NG15": "ashfield",
    "NG16": "broxtowe",
    "NG17": "ashfield",
    "NG18": "mansfield",
    "NG19": "mansfield",
    "NG20": "mansfield",
    "NG21": "newark_and_sherwood",
    "NG22": "newark_and_sherwood",
    "NG24": "newark_and_sherwood",
    "S80": "bassetlaw",
    "S81": "bassetlaw",
    "DN22": "bassetlaw",
    **{f"DE{n}": "derby" for n in (1, 3, 21, 22, 23, 24)},
    "DE4": "derbyshire_dales",
    "DE5": "amber_valley",
    "DE7": "erewash",
    "DE11": "south_derbyshire",
    "DE56": "amber_valley",
    "S40": "chesterfield",
    "S41": "chesterfield",
    "S42": "north_east_derbyshire",
    "S44": "bolsover",
    "SK13": "high_peak",
    "SK17": "high_peak",
    "SK22": "high_peak",
    "SK23": "high_peak",
    **{f"NR{n}": "norfolk" for n in range(1, 36)},
    **{f"PE{n}": "norfolk" for n in (30, 31, 32, 33, 34, 37, 38)},
}

_DISTRICT = re.compile(r"^\s*([A-Z]{1,2}[0-9][0-9A-Z]?)")


def postcode_district(postcode: str | None) -> str | None:
    """The outward code of a postcode ("ng18 1ab" -> "NG18"), or None when it does not look like one."""
    if not postcode:
        return None
    text = postcode.upper().strip()
    compact = text.replace(" ", "")
    if " " not in text and len(compact) >= 5:  # full postcode without a space: inward part is 3 characters
        text = compact[:-3]
    match = _DISTRICT.match(text)
    return match.group(1) if match else None


def area_for_postcode(postcode: str | None) -> str | None:
    district = postcode_district(postcode)
    return POSTCODE_DISTRICTS.get(district) if district else None


def ancestors(code: str) -> list[str]:
    """The area and every area containing it, innermost first."""
    chain: list[str] = []
    current: str | None = code
    while current and current in AREAS and current not in chain:
        chain.append(current)
        current = AREAS[current].parent
    return chain


def area_name(code: str) -> str:
    area = AREAS.get(code)
    return area.name if area else code


def local_authority_choices() -> list[tuple[str, str]]:
    """Areas a person can live in (districts and unitary authorities), alphabetical."""
    leaves = [a for a in AREAS.values() if a.parent and not any(b.parent == a.code for b in AREAS.values())]
    return sorted(((a.code, a.name) for a in leaves), key=lambda pair: pair[1])
