"""Eligibility rules as rows a directory editor can fill in (issue 18): how the criteria combine, then
one row per criterion — what, comparison, value — instead of the rule data written by hand.

`rules_from_rows` makes the same rule data decision 002 describes (and `validate_rules` checks);
`rows_from_rules` reads a rule set back into rows, or says it cannot (groups within groups, such as
INSPIRE Local's three routes, stay editable as data). Values are written in words or codes
("Derby; Derbyshire", "ESA, Universal Credit with limited capability for work (LCW)", "18 to 24"), and
every problem is a plain-English message naming the row.

`SAMPLE_PEOPLE` are the people an editor previews a rule set against before saving.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from joinedup.organisations.selectors import organisation_kind_choices
from joinedup.people.choices import Benefit, EmploymentStatus, HealthCondition

from . import areas
from .eligibility import SITUATIONS, Circumstances, Evaluation, RuleError, evaluate, validate_rules

__all__ = ["RuleError", "Row", "RowsForm", "preview", "rows_from_rules", "rules_from_rows", "same_rules"]

# How the rows combine (the first choice on the form).
ALL, ANY, AT_LEAST, OPEN, NOT_STATED, AS_DATA = "all", "any", "at_least", "open", "not_stated", "data"
COMBINE_CHOICES = [
    (ALL, "Everyone who meets every criterion below"),
    (ANY, "Everyone who meets at least one criterion below"),
    (AT_LEAST, "Everyone who meets a number of the criteria below"),
    (OPEN, "Anyone: no conditions"),
    (NOT_STATED, "The provider has not said who it is for"),
    (AS_DATA, "Written as rule data (for groups within groups)"),
]

CRITERION_CHOICES = [
    ("age", "Age"),
    ("area", "Where they live"),
    ("employment_status", "Work situation"),
    ("benefits", "Benefits they get"),
    ("months_on_benefits", "Months on benefits"),
    ("months_out_of_work", "Months out of work or training"),
    ("health_condition", "Health condition"),
    ("situation", "Circumstance"),
    ("referral_source", "Who is referring"),
]
_CRITERION_NAMES = dict(CRITERION_CHOICES)

AT_LEAST_CMP, AT_MOST, BETWEEN, ONE_OF, IS, POSTCODE = "at_least", "at_most", "between", "one_of", "is", "postcode"
COMPARISON_CHOICES = [
    (AT_LEAST_CMP, "is at least"),
    (AT_MOST, "is at most"),
    (BETWEEN, "is between"),
    (ONE_OF, "is one of"),
    (IS, "is"),
    (POSTCODE, "postcode district is one of"),
]
_COMPARISON_NAMES = dict(COMPARISON_CHOICES)
# The comparisons each criterion takes; the first is used when none is chosen.
COMPARISONS: dict[str, tuple[str, ...]] = {
    "age": (AT_LEAST_CMP, AT_MOST, BETWEEN),
    "months_on_benefits": (AT_LEAST_CMP,),
    "months_out_of_work": (AT_LEAST_CMP,),
    "area": (ONE_OF, POSTCODE),
    "employment_status": (ONE_OF,),
    "benefits": (ONE_OF,),
    "health_condition": (ONE_OF,),
    "referral_source": (ONE_OF,),
    "situation": (IS,),
}
_LIST_KEY = {"employment_status": "in", "referral_source": "in", "benefits": "any_of", "health_condition": "any_of"}
_NUMBER_LIMITS = {"age": 120, "months_on_benefits": 600, "months_out_of_work": 600}


@dataclass(frozen=True)
class Row:
    """One criterion as the editor writes it."""

    what: str
    comparison: str = ""
    value: str = ""
    label: str = ""  # the provider's words for it (shown in the reasons), optional


def _vocabulary(criterion: str) -> list[tuple[str, str]]:
    """(code, words) for the criteria whose values come from a list."""
    if criterion == "employment_status":
        return list(EmploymentStatus.choices)
    if criterion == "benefits":
        return [c for c in Benefit.choices if c[0] != Benefit.NONE]
    if criterion == "health_condition":
        return [c for c in HealthCondition.choices if c[0] != HealthCondition.PREFER_NOT_TO_SAY]
    if criterion == "referral_source":
        return [*organisation_kind_choices(), ("self", "The person themselves")]
    if criterion == "situation":
        return [(code, text[0].upper() + text[1:]) for code, text in SITUATIONS.items()]
    if criterion == "area":
        return [(code, a.name) for code, a in areas.AREAS.items()]
    return []


def _aliases(criterion: str) -> dict[str, str]:
    """Every way of writing a value (code, words, the words before a bracket, the bracket's
    abbreviation), lower case, to its code."""
    shorter: dict[str, str] = {}
    exact: dict[str, str] = {}
    for code, words in _vocabulary(criterion):
        exact[code.lower()] = exact[words.lower()] = code
        shorter[code.replace("_", " ").lower()] = code
        short = words.split(" (")[0]
        if criterion == "situation":  # without its verb or what follows a comma: "care leaver"
            short = re.sub(r"^(has|is)( an| a)? ", "", short.split(",")[0].lower())
        shorter[short.strip().lower()] = code
        for abbreviation in re.findall(r"\(([A-Z]{2,6})\)", words):
            shorter[abbreviation.lower()] = code
    return {**shorter, **exact}  # a value's own words win over another's shortening


def _either(items: list[str]) -> str:
    return items[0] if len(items) == 1 else f"{', '.join(items[:-1])} or {items[-1]}"


def _words_for(criterion: str, code: str) -> str:
    return dict(_vocabulary(criterion)).get(code, code)


def _codes(criterion: str, text: str, where: str) -> list[str]:
    """A list of values from words or codes, split on semicolons (or commas within a part that is not
    itself a value)."""
    aliases = _aliases(criterion)
    found: list[str] = []
    for part in (p.strip() for p in text.split(";")):
        if not part:
            continue
        pieces = [part] if part.lower() in aliases else [p.strip() for p in part.split(",") if p.strip()]
        for piece in pieces:
            code = aliases.get(piece.lower())
            if code is None:
                name = _CRITERION_NAMES[criterion].lower()
                raise RuleError(f"{where}: “{piece}” is not a {name} we know. Write one of: {_choices(criterion)}.")
            if code not in found:
                found.append(code)
    if not found:
        raise RuleError(f"{where}: write at least one value, for example {_example(criterion)}.")
    return found


def _choices(criterion: str) -> str:
    if criterion == "area":
        return "the name of a council area, like Derby or Nottinghamshire"
    return "; ".join(words for _code, words in _vocabulary(criterion))


def _example(criterion: str) -> str:
    vocabulary = _vocabulary(criterion)
    return f"“{vocabulary[0][1]}”" if vocabulary else "“18”"


def _number(criterion: str, text: str, where: str) -> int:
    limit = _NUMBER_LIMITS[criterion]
    if not re.fullmatch(r"\s*\d{1,3}\s*", text or ""):
        raise RuleError(f"{where}: write a whole number, like 18.")
    value = int(text)
    if value > limit:
        raise RuleError(f"{where}: write a number no more than {limit}.")
    return value


def _leaf(row: Row, where: str) -> dict[str, Any]:
    criterion = row.what
    if criterion not in COMPARISONS:
        raise RuleError(f"{where}: choose what the criterion is about.")
    comparison = row.comparison or COMPARISONS[criterion][0]
    if comparison not in COMPARISONS[criterion]:
        allowed = _either([f"“{_COMPARISON_NAMES[c]}”" for c in COMPARISONS[criterion]])
        raise RuleError(f"{where}: {_CRITERION_NAMES[criterion].lower()} can only be compared with {allowed}.")
    node: dict[str, Any] = {"criterion": criterion}
    if criterion in _NUMBER_LIMITS:
        node.update(_numbers(criterion, comparison, row.value, where))
    elif criterion == "area" and comparison == POSTCODE:
        districts = [d.strip().upper() for d in re.split(r"[;,\s]+", row.value or "") if d.strip()]
        if not districts or not all(re.fullmatch(r"[A-Z]{1,2}[0-9][0-9A-Z]?", d) for d in districts):
            raise RuleError(f"{where}: write postcode districts (the first half of a postcode), like NG18, DE1.")
        node["postcode_districts"] = districts
    elif criterion == "area":
        node["areas"] = _codes(criterion, row.value, where)
    elif criterion == "situation":
        codes = _codes(criterion, row.value, where)
        if len(codes) > 1:
            raise RuleError(f"{where}: a circumstance row takes one circumstance; add a row for each.")
        node["is"] = codes[0]
    else:
        node[_LIST_KEY[criterion]] = _codes(criterion, row.value, where)
    if row.label.strip():
        node["label"] = row.label.strip()
    return node


def _numbers(criterion: str, comparison: str, text: str, where: str) -> dict[str, int]:
    if comparison == BETWEEN:
        parts = re.split(r"\s*(?:to|and|-|–)\s*", (text or "").strip())
        if len(parts) != 2:
            raise RuleError(f"{where}: write the two ages, like 18 to 24.")
        low, high = (_number(criterion, p, where) for p in parts)
        if low > high:
            raise RuleError(f"{where}: the first age must not be more than the second.")
        return {"min": low, "max": high}
    return {"min" if comparison == AT_LEAST_CMP else "max": _number(criterion, text, where)}


def rules_from_rows(combine: str, rows: list[Row], *, at_least: int | None = None) -> dict[str, Any]:
    """The rule data the rows say (decision 002), checked by `validate_rules`; raises RuleError with
    a plain-English message. Rows with nothing chosen are left out."""
    if combine == NOT_STATED:
        return {"stated": False}
    if combine == OPEN:
        return {"criterion": "open"}
    filled = [r for r in rows if r.what or r.value.strip()]
    leaves = [_leaf(r, f"Criterion {n}") for n, r in enumerate(filled, 1)]
    if not leaves:
        raise RuleError("Add at least one criterion, or choose “Anyone” or “The provider has not said”.")
    if combine == AT_LEAST:
        if at_least is None or not 1 <= at_least <= len(leaves):
            raise RuleError(f"Say how many of the {len(leaves)} criteria a person must meet (1 to {len(leaves)}).")
        rules: dict[str, Any] = {"at_least": at_least, "of": leaves}
    elif combine == ANY:
        rules = {"any": leaves}
    elif combine == ALL:
        rules = {"all": leaves}
    else:
        raise RuleError("Choose how the criteria combine.")
    validate_rules(rules)
    return rules


def _row(node: dict[str, Any]) -> Row | None:
    """A criterion as a row, or None when a row cannot say it."""
    criterion = node.get("criterion")
    if criterion not in COMPARISONS:
        return None
    label = node.get("label", "")
    if criterion in _NUMBER_LIMITS:
        low, high = node.get("min"), node.get("max")
        if low is not None and high is not None:
            return Row(criterion, BETWEEN, f"{low} to {high}", label)
        return Row(
            criterion, AT_LEAST_CMP if low is not None else AT_MOST, str(low if low is not None else high), label
        )
    if criterion == "area" and node.get("postcode_districts") and not node.get("areas"):
        return Row(criterion, POSTCODE, ", ".join(node["postcode_districts"]), label)
    if criterion == "situation":
        return Row(criterion, IS, _words_for(criterion, node["is"]), label)
    key = "areas" if criterion == "area" else _LIST_KEY[criterion]
    return Row(criterion, COMPARISONS[criterion][0], "; ".join(_words_for(criterion, c) for c in node[key]), label)


@dataclass(frozen=True)
class RowsForm:
    combine: str
    rows: list[Row]
    at_least: int | None = None


def rows_from_rules(rules: dict[str, Any]) -> RowsForm | None:
    """The rule set as rows, or None when rows cannot say it exactly (then it is edited as data)."""
    if rules.get("stated") is False:
        return RowsForm(NOT_STATED, [])
    if rules.get("criterion") == "open":
        return RowsForm(OPEN, [])
    for combine in (ALL, ANY):
        if combine in rules and len(rules) == 1:
            children, at_least = rules[combine], None
            break
    else:
        if "at_least" in rules and set(rules) == {"at_least", "of"}:
            combine, children, at_least = AT_LEAST, rules["of"], rules["at_least"]
        elif "criterion" in rules:
            combine, children, at_least = ALL, [rules], None
        else:
            return None
    rows = [_row(child) if isinstance(child, dict) else None for child in children]
    if any(r is None for r in rows):
        return None
    back = RowsForm(combine, [r for r in rows if r is not None], at_least)
    try:
        again = rules_from_rows(back.combine, back.rows, at_least=back.at_least)
    except RuleError:
        return None
    return back if same_rules(again, rules) else None


def same_rules(a: dict[str, Any], b: dict[str, Any]) -> bool:
    """The same rules, a one-child "all" or "any" being its child."""
    return _normal(a) == _normal(b)


def _normal(node: Any) -> Any:
    if isinstance(node, dict):
        for combine in (ALL, ANY):
            if set(node) == {combine} and isinstance(node[combine], list) and len(node[combine]) == 1:
                return _normal(node[combine][0])
        return {k: _normal(v) for k, v in node.items()}
    if isinstance(node, list):
        return [_normal(v) for v in node]
    return node


# ---------------------------------------------------------------------------------------------
# Sample people to preview rules against (not real people).

SAMPLE_PEOPLE: list[tuple[str, Circumstances]] = [
    (
        "Aged 30 in Mansfield, out of work for 14 months, on Universal Credit with limited capability for "
        "work, with anxiety or depression",
        Circumstances(
            age=30,
            area="mansfield",
            employment_status="unemployed",
            benefits=frozenset({"uc_lcw"}),
            months_on_benefits=10,
            months_out_of_work=14,
            health_conditions=frozenset({"mental_health"}),
            situations=frozenset(),
            referral_source="gp_practice",
        ),
    ),
    (
        "Aged 42 in Nottingham, out of work for 3 years on Employment and Support Allowance, with a severe "
        "mental illness, referred by the community mental health team",
        Circumstances(
            age=42,
            area="nottingham",
            employment_status="unemployed",
            benefits=frozenset({"esa"}),
            months_on_benefits=36,
            months_out_of_work=36,
            health_conditions=frozenset({"mental_health"}),
            situations=frozenset({"severe_mental_illness"}),
            referral_source="community_mental_health",
        ),
    ),
    (
        "Aged 19 in Derby, not working or looking, no benefits, autistic, with an Education, Health and Care plan",
        Circumstances(
            age=19,
            area="derby",
            employment_status="inactive",
            benefits=frozenset(),
            months_out_of_work=12,
            health_conditions=frozenset({"autism"}),
            situations=frozenset({"ehc_plan"}),
            referral_source="self",
        ),
    ),
    (
        "Aged 55 in Norwich, in work but off sick with back pain, no benefits",
        Circumstances(
            age=55,
            area="norwich",
            employment_status="employed_off_sick",
            benefits=frozenset(),
            months_out_of_work=0,
            health_conditions=frozenset({"musculoskeletal"}),
            situations=frozenset(),
            referral_source="gp_practice",
        ),
    ),
    (
        "Aged 27 in Chesterfield, homeless, with a criminal conviction and drug or alcohol use, on Universal Credit",
        Circumstances(
            age=27,
            area="chesterfield",
            employment_status="unemployed",
            benefits=frozenset({"uc"}),
            months_on_benefits=7,
            months_out_of_work=30,
            health_conditions=frozenset({"substance_use"}),
            situations=frozenset({"homelessness", "ex_offender"}),
            referral_source="housing",
        ),
    ),
    ("Someone who has told us nothing yet", Circumstances()),
]


def preview(rules: dict[str, Any]) -> list[tuple[str, Evaluation]]:
    """Each sample person and how the rules answer for them, with the reasons."""
    return [(who, evaluate(rules, person)) for who, person in SAMPLE_PEOPLE]


def value_help() -> list[tuple[str, str, str]]:
    """For the form: each criterion, the comparisons it takes and the values it takes."""
    out = []
    for code, name in CRITERION_CHOICES:
        comparisons = _either([f"“{_COMPARISON_NAMES[c]}”" for c in COMPARISONS[code]])
        if code in _NUMBER_LIMITS:
            values = "a whole number (“is between”: two, like 18 to 24)"
        elif code == "area":
            values = "council areas, like Derby; Nottinghamshire (or postcode districts, like NG18, DE1)"
        else:
            values = _choices(code) + (" (one a row)" if code == "situation" else " (one or more, with ; between)")
        out.append((name, comparisons, values))
    return out
