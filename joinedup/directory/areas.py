"""Areas the directory knows: England, regions, D2N2, upper-tier authorities, districts, and postcode
districts.

The authorities and their hierarchy come from ONS data vendored in `data/local_authorities.csv` (OGL
v3; see `data/README.md`), each with its ONS code. Codes we use in rules and reports are stable slugs
of the name ("mansfield", "newark_and_sherwood"). A district belongs to its upper-tier authority, so a
rule for "nottinghamshire" covers someone in Mansfield.

A postcode is mapped through its district (outward code) with `data/postcode_districts.csv`: ours,
deliberately partial and coarse (a district split between authorities maps to the one most of it lies
in, or only to the county). A district not in it is "not known", never guessed.
"""

from __future__ import annotations

import csv
import re
from dataclasses import dataclass
from functools import cache
from pathlib import Path

DATA = Path(__file__).parent / "data"


@dataclass(frozen=True)
class Area:
    code: str
    name: str
    parent: str | None = None
    gss: str = ""  # the ONS (GSS) code, where there is one
    tier: str = ""  # country, region, partnership, county, unitary, district


def _slug(name: str) -> str:
    return re.sub(r"[^a-z0-9]+", "_", name.lower().replace("'", "")).strip("_")


# Names residents use for the two cities' councils, so "Derby City" is not mistaken for Derbyshire.
_DISPLAY = {"E06000015": "Derby City", "E06000018": "Nottingham City"}
_D2N2_LEP = "E37000045"


def _load() -> dict[str, Area]:
    with (DATA / "local_authorities.csv").open(encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))
    by_gss = {row["code"]: _slug(row["name"]) for row in rows}
    out: dict[str, Area] = {}
    for row in rows:
        code = _slug(row["name"])
        if row["tier"] == "country":
            parent = None
        elif row["tier"] == "region":
            parent = "england"
        elif row["parent_utla_code"]:
            parent = by_gss[row["parent_utla_code"]]
        elif row["lep_code"] == _D2N2_LEP:
            parent = "d2n2"  # Derby, Nottingham, Derbyshire, Nottinghamshire
        else:
            parent = by_gss.get(row["region_code"], "england")
        out[code] = Area(code, _DISPLAY.get(row["code"], row["name"]), parent, row["code"], row["tier"])
    d2n2 = next(row for row in rows if row["lep_code"] == _D2N2_LEP)
    out["d2n2"] = Area(
        "d2n2", "Derby, Derbyshire, Nottingham and Nottinghamshire (D2N2)", by_gss[d2n2["region_code"]], _D2N2_LEP,
        "partnership",
    )  # fmt: skip
    return out


AREAS: dict[str, Area] = _load()


def _load_postcode_districts() -> dict[str, str]:
    with (DATA / "postcode_districts.csv").open(encoding="utf-8", newline="") as handle:
        table = {row["postcode_district"]: row["area"] for row in csv.DictReader(handle)}
    unknown = sorted(set(table.values()) - set(AREAS))
    if unknown:
        raise RuntimeError(f"postcode_districts.csv names areas we do not know: {', '.join(unknown)}")
    return table


# Postcode district -> the local authority most of it lies in (partial on purpose).
POSTCODE_DISTRICTS: dict[str, str] = _load_postcode_districts()

_DISTRICT = re.compile(r"^\s*([A-Z]{1,2}[0-9][0-9A-Z]?)")
_FULL_POSTCODE = re.compile(r"^([A-Z]{1,2}[0-9][A-Z0-9]?) ?([0-9][A-Z]{2})$")
_OUTWARD = re.compile(r"^[A-Z]{1,2}[0-9][A-Z0-9]?$")


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


class PostcodeProblem(ValueError):
    """What is wrong with a postcode, in plain English."""


def parse_postcode(text: str) -> str:
    """A full postcode ("NG18 1AB") or just its district ("NG18"), normalised; PostcodeProblem otherwise."""
    value = re.sub(r"\s+", " ", (text or "").strip().upper())
    if not value:
        raise PostcodeProblem("Enter a postcode, like NG18 1AB")
    if len(value) > 8:
        raise PostcodeProblem("A postcode is at most 8 characters, like NG18 1AB")
    full = _FULL_POSTCODE.match(value)
    if full:
        return f"{full.group(1)} {full.group(2)}"
    if _OUTWARD.match(value):
        return value
    raise PostcodeProblem("Enter a real postcode, like NG18 1AB, or the first part of it, like NG18")


def area_for_postcode(postcode: str | None) -> str | None:
    district = postcode_district(postcode)
    return POSTCODE_DISTRICTS.get(district) if district else None


@cache
def ancestors(code: str) -> tuple[str, ...]:
    """The area and every area containing it, innermost first."""
    chain: list[str] = []
    current: str | None = code
    while current and current in AREAS and current not in chain:
        chain.append(current)
        current = AREAS[current].parent
    return tuple(chain)


@cache
def descendants(code: str) -> tuple[str, ...]:
    """Every area inside this one (not the area itself)."""
    return tuple(a.code for a in AREAS.values() if a.code != code and code in ancestors(a.code))


def area_name(code: str) -> str:
    area = AREAS.get(code)
    return area.name if area else code


def local_authority_choices() -> list[tuple[str, str]]:
    """Areas a person can live in (districts and unitary authorities), alphabetical."""
    leaves = [a for a in AREAS.values() if a.parent and not descendants(a.code)]
    return sorted(((a.code, a.name) for a in leaves), key=lambda pair: pair[1])
