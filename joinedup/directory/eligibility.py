"""Eligibility as data: a rule set (JSON) evaluated against a person's circumstances.

A rule set is a tree. Leaves are *criteria* over one circumstance; branches combine them:

    {"all": [node, ...]}                 every child must hold
    {"any": [node, ...]}                 at least one child must hold
    {"at_least": 2, "of": [node, ...]}   at least N children must hold
    {"criterion": "age", "min": 18, "max": 24, "label": "optional plain-English label"}

Criteria: age (min/max), area (areas: [area codes]; postcode_districts: [...]), employment_status
(in: [...]), benefits (any_of: [...]), months_on_benefits (min), months_out_of_work (min),
health_condition (any_of: [...]), situation (is: one of SITUATIONS), referral_source (in: [...]),
open (anyone). A rule set `{"stated": false}` means the provider has not stated eligibility.

Evaluation uses three-valued (Kleene) logic: a circumstance the person has not told us is UNKNOWN,
not false, so the answer can be "unknown — this evidence would settle it". Every leaf returns a
plain-English reason; every unknown leaf says what evidence would settle it. See
docs/decisions/002-eligibility-rules.md for why this is our own small evaluator.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any

from joinedup.people.choices import Benefit, EmploymentStatus, HealthCondition

from . import areas
from .voice import to_you


class Outcome(StrEnum):
    ELIGIBLE = "eligible"
    NOT_ELIGIBLE = "not_eligible"
    UNKNOWN = "unknown"

    @property
    def label(self) -> str:
        return {"eligible": "Eligible", "not_eligible": "Not eligible", "unknown": "Not known yet"}[self.value]


# Circumstances that are not benefits, health conditions or employment status.
SITUATIONS: dict[str, str] = {
    "ex_offender": "has a criminal conviction (ex-offender)",
    "domestic_abuse": "has experienced domestic abuse",
    "homelessness": "is homeless or at risk of homelessness",
    "ehc_plan": "has an Education, Health and Care plan (or SEN statement)",
    "care_leaver": "is a care leaver",
    "disability": "has a disability or long-term health condition",
    "financial_difficulty": "is in financial difficulty",
    # What IPS is for (issue 18): a severe mental illness is not anxiety or depression, which the
    # health condition "mental_health" covers; a care coordinator in secondary care vouches for it.
    "severe_mental_illness": (
        "has a severe mental illness, such as psychosis, schizophrenia or bipolar disorder, and is in the care "
        "of a secondary mental health team (anxiety or depression alone is not a severe mental illness)"
    ),
}
# Benefits paid because of ill health or disability ("health-related benefits" in the source reports).
HEALTH_RELATED_BENEFITS = ["esa", "uc_lcw", "uc_lcwra"]
OUT_OF_WORK_BENEFITS = ["esa", "uc_lcw", "uc_lcwra", "uc", "jsa"]

_BENEFITS = dict(Benefit.choices)
_EMPLOYMENT = dict(EmploymentStatus.choices)
_HEALTH = dict(HealthCondition.choices)

CRITERIA = {
    "age",
    "area",
    "employment_status",
    "benefits",
    "months_on_benefits",
    "months_out_of_work",
    "health_condition",
    "situation",
    "referral_source",
    "open",
}

EVIDENCE = {
    "age": "Date of birth (for example from a passport, driving licence or GP record)",
    "area": "Home postcode or local authority",
    "employment_status": "Current work situation (out of work, not looking, off sick or at risk)",
    "benefits": "Which benefits the person gets (an award letter or Universal Credit journal)",
    "months_on_benefits": "When the benefit claim started (an award letter)",
    "months_out_of_work": "When the person last worked or was in training",
    "health_condition": "The person's health conditions (their own account or a GP or clinician)",
    "situation": "The person's own account, or a referrer who knows their circumstances",
    "referral_source": "Who is making the referral",
}


@dataclass(frozen=True)
class Circumstances:
    """What we know about a person. None means "not known"; an empty set means "none"."""

    age: int | None = None
    area: str | None = None  # an area code from areas.AREAS
    postcode: str | None = None
    employment_status: str | None = None
    benefits: frozenset[str] | None = None
    months_on_benefits: int | None = None
    months_out_of_work: int | None = None
    health_conditions: frozenset[str] | None = None
    situations: frozenset[str] | None = None
    referral_source: str | None = None  # an OrganisationKind code, or "self"

    def home_area(self) -> str | None:
        return self.area or areas.area_for_postcode(self.postcode)


@dataclass
class Result:
    outcome: Outcome
    reason: str
    evidence: list[str] = field(default_factory=list)
    children: list[Result] = field(default_factory=list)
    criterion: str | None = None

    @property
    def reason_to_you(self) -> str:
        return to_you(self.reason)

    def lines(self, depth: int = 0) -> list[tuple[int, Result]]:
        """Flatten for display: (depth, result) pairs, parent before children."""
        out = [(depth, self)]
        for child in self.children:
            out.extend(child.lines(depth + 1))
        return out

    @property
    def evidence_needed(self) -> list[str]:
        seen: list[str] = []
        for _depth, line in self.lines():
            for item in line.evidence:
                if item not in seen:
                    seen.append(item)
        return seen


@dataclass
class Evaluation:
    outcome: Outcome
    result: Result
    version: int | None = None

    @property
    def evidence_needed_to_you(self) -> list[str]:
        return [to_you(item) for item in self.evidence_needed]

    @property
    def reasons(self) -> list[str]:
        return [line.reason for _d, line in self.result.lines()]

    @property
    def evidence_needed(self) -> list[str]:
        return self.result.evidence_needed if self.outcome == Outcome.UNKNOWN else []


class RuleError(ValueError):
    """A rule set is not well formed; the message says where, in plain English."""


# ---------------------------------------------------------------------------------------------
# Validation


def validate_rules(rules: Any) -> None:
    """Raise RuleError unless `rules` is a well-formed rule set."""
    if not isinstance(rules, dict):
        raise RuleError("A rule set must be a JSON object.")
    if rules.get("stated") is False:
        return
    _validate_node(rules, "rule set")


def _validate_node(node: Any, where: str) -> None:
    if not isinstance(node, dict):
        raise RuleError(f"Each rule in the {where} must be a JSON object.")
    if "all" in node or "any" in node:
        key = "all" if "all" in node else "any"
        children = node[key]
        if not isinstance(children, list) or not children:
            raise RuleError(f"'{key}' in the {where} needs a non-empty list of rules.")
        _validate_children(children, where)
        return
    if "at_least" in node:
        n, children = node.get("at_least"), node.get("of")
        if not isinstance(children, list) or not isinstance(n, int) or not 1 <= n <= len(children):
            raise RuleError(
                f"'at_least' in the {where} needs a whole number between 1 and the number of rules in 'of'."
            )
        _validate_children(children, where)
        return
    _validate_criterion(node, where)


def _validate_children(children: list[Any], where: str) -> None:
    for i, child in enumerate(children, 1):
        _validate_node(child, f"{where}, rule {i}")


def _validate_criterion(node: dict[str, Any], where: str) -> None:
    kind = node.get("criterion")
    if kind not in CRITERIA:
        raise RuleError(f"The {where} has an unknown criterion {kind!r}.")
    if kind == "age" and node.get("min") is None and node.get("max") is None:
        raise RuleError(f"The age rule in the {where} needs a minimum or a maximum.")
    if kind == "area":
        _validate_area(node, where)
    if kind == "situation" and node.get("is") not in SITUATIONS:
        raise RuleError(f"The situation rule in the {where} names an unknown situation {node.get('is')!r}.")
    _validate_lists(kind, node, where)


def _validate_area(node: dict[str, Any], where: str) -> None:
    unknown = [a for a in node.get("areas", []) if a not in areas.AREAS]
    if unknown:
        raise RuleError(f"The area rule in the {where} names unknown areas: {', '.join(unknown)}.")
    if not node.get("areas") and not node.get("postcode_districts"):
        raise RuleError(f"The area rule in the {where} needs areas or postcode districts.")


def _validate_lists(kind: str, node: dict[str, Any], where: str) -> None:
    """The criteria that need a list (any_of, in) or a whole-number minimum."""
    if kind in {"benefits", "health_condition"} and not node.get("any_of"):
        raise RuleError(f"The {kind.replace('_', ' ')} rule in the {where} needs a list 'any_of'.")
    if kind in {"employment_status", "referral_source"} and not node.get("in"):
        raise RuleError(f"The {kind.replace('_', ' ')} rule in the {where} needs a list 'in'.")
    if kind in {"months_on_benefits", "months_out_of_work"} and not isinstance(node.get("min"), int):
        raise RuleError(f"The {kind.replace('_', ' ')} rule in the {where} needs a whole-number 'min'.")


# ---------------------------------------------------------------------------------------------
# Evaluation


def evaluate(rules: dict[str, Any], person: Circumstances, *, version: int | None = None) -> Evaluation:
    if rules.get("stated") is False:
        result = Result(
            Outcome.UNKNOWN,
            "The provider has not stated who this service is for: ask them.",
            evidence=["Ask the provider whether this person is eligible"],
        )
        return Evaluation(Outcome.UNKNOWN, result, version)
    result = _node(rules, person)
    return Evaluation(result.outcome, result, version)


def _all(outcomes: set[Outcome]) -> Outcome:
    if Outcome.NOT_ELIGIBLE in outcomes:
        return Outcome.NOT_ELIGIBLE
    return Outcome.UNKNOWN if Outcome.UNKNOWN in outcomes else Outcome.ELIGIBLE


def _at_least(need: int, met: int, unknown: int) -> Outcome:
    if met >= need:
        return Outcome.ELIGIBLE
    return Outcome.NOT_ELIGIBLE if met + unknown < need else Outcome.UNKNOWN


def _node(node: dict[str, Any], p: Circumstances) -> Result:
    if "all" in node:
        children = [_node(c, p) for c in node["all"]]
        text = node.get("label") or "All of these must apply"
        return Result(_all({c.outcome for c in children}), f"{text}:", children=children)
    if "any" in node or "at_least" in node:
        items = node.get("any") or node["of"]
        need = 1 if "any" in node else node["at_least"]
        children = [_node(c, p) for c in items]
        met = sum(c.outcome == Outcome.ELIGIBLE for c in children)
        unknown = sum(c.outcome == Outcome.UNKNOWN for c in children)
        head = node.get("label") or ("At least one of these" if need == 1 else f"At least {need} of these")
        return Result(_at_least(need, met, unknown), f"{head} ({met} met, {unknown} not known):", children=children)
    return _criterion(node, p)


def outcome(rules: dict[str, Any], person: Circumstances) -> Outcome:
    """The same answer as `evaluate(rules, person).outcome`, without building reasons: what search uses to
    rank every candidate before explaining only the page it shows (tested to agree, with hypothesis)."""
    if rules.get("stated") is False:
        return Outcome.UNKNOWN
    return _decide(rules, person)


def _decide(node: dict[str, Any], p: Circumstances) -> Outcome:
    if "all" in node:
        return _all({_decide(c, p) for c in node["all"]})
    if "any" in node or "at_least" in node:
        results = [_decide(c, p) for c in node.get("any") or node["of"]]
        need = 1 if "any" in node else node["at_least"]
        return _at_least(need, results.count(Outcome.ELIGIBLE), results.count(Outcome.UNKNOWN))
    return _test(node, p)


def _member(value: str | None, wanted: list[str]) -> Outcome:
    if value is None:
        return Outcome.UNKNOWN
    return Outcome.ELIGIBLE if value in wanted else Outcome.NOT_ELIGIBLE


def _overlap(values: frozenset[str] | None, wanted: list[str]) -> Outcome:
    if values is None:
        return Outcome.UNKNOWN
    return Outcome.ELIGIBLE if set(values) & set(wanted) else Outcome.NOT_ELIGIBLE


def _test(node: dict[str, Any], p: Circumstances) -> Outcome:
    """One criterion's outcome (the decisions `_criterion` explains)."""
    kind = node["criterion"]
    decide = _DECIDE.get(kind) if isinstance(kind, str) else None
    if decide is None:
        raise RuleError(f"Unknown criterion {kind!r}.")
    return decide(kind, node, p)


def _decide_age(kind: str, node: dict[str, Any], p: Circumstances) -> Outcome:
    if p.age is None:
        return Outcome.UNKNOWN
    lo, hi = node.get("min"), node.get("max")
    outside = (lo is not None and p.age < lo) or (hi is not None and p.age > hi)
    return Outcome.NOT_ELIGIBLE if outside else Outcome.ELIGIBLE


def _decide_area(kind: str, node: dict[str, Any], p: Circumstances) -> Outcome:
    district = areas.postcode_district(p.postcode)
    if district and district in node.get("postcode_districts", []):
        return Outcome.ELIGIBLE
    home = p.home_area()
    if home is None:
        return Outcome.UNKNOWN
    wanted = node.get("areas", [])
    if set(areas.ancestors(home)) & set(wanted):
        return Outcome.ELIGIBLE
    return Outcome.UNKNOWN if any(home in areas.ancestors(a) for a in wanted) else Outcome.NOT_ELIGIBLE


def _decide_months(kind: str, node: dict[str, Any], p: Circumstances) -> Outcome:
    months = getattr(p, kind)
    if months is None:
        return Outcome.UNKNOWN
    return Outcome.ELIGIBLE if months >= node["min"] else Outcome.NOT_ELIGIBLE


# Each criterion's decision, by the criterion's name (CRITERIA).
_DECIDE: dict[str, Callable[[str, dict[str, Any], Circumstances], Outcome]] = {
    "open": lambda kind, node, p: Outcome.ELIGIBLE,
    "age": _decide_age,
    "area": _decide_area,
    "employment_status": lambda kind, node, p: _member(p.employment_status, node["in"]),
    "referral_source": lambda kind, node, p: _member(p.referral_source, node["in"]),
    "benefits": lambda kind, node, p: _overlap(p.benefits, node["any_of"]),
    "health_condition": lambda kind, node, p: _overlap(p.health_conditions, node["any_of"]),
    "situation": lambda kind, node, p: _overlap(p.situations, [node["is"]]),
    "months_on_benefits": _decide_months,
    "months_out_of_work": _decide_months,
}


def _yes(kind: str, reason: str) -> Result:
    return Result(Outcome.ELIGIBLE, reason, criterion=kind)


def _no(kind: str, reason: str) -> Result:
    return Result(Outcome.NOT_ELIGIBLE, reason, criterion=kind)


def _unknown(kind: str, reason: str) -> Result:
    return Result(Outcome.UNKNOWN, reason, evidence=[EVIDENCE[kind]], criterion=kind)


def _labels(codes: list[str], names: dict[str, str]) -> str:
    return ", ".join(names.get(c, c) for c in codes)


def _criterion(node: dict[str, Any], p: Circumstances) -> Result:
    """One criterion's outcome with its plain-English reason (and, if unknown, the evidence to settle it)."""
    kind = node["criterion"]
    explain = _EXPLAIN.get(kind) if isinstance(kind, str) else None
    if explain is None:
        raise RuleError(f"Unknown criterion {kind!r}.")
    return explain(kind, node, p)


def _explain_open(kind: str, node: dict[str, Any], p: Circumstances) -> Result:
    return _yes(kind, node.get("label") or "Open to anyone.")


def _age_wanted(lo: int | None, hi: int | None) -> str:
    if lo is not None and hi is not None:
        return f"aged {lo} to {hi}"
    return f"aged {lo} or over" if lo is not None else f"aged {hi} or under"


def _explain_age(kind: str, node: dict[str, Any], p: Circumstances) -> Result:
    lo, hi = node.get("min"), node.get("max")
    wanted = _age_wanted(lo, hi)
    if p.age is None:
        return _unknown(kind, f"For people {wanted}; age not known.")
    if (lo is not None and p.age < lo) or (hi is not None and p.age > hi):
        return _no(kind, f"For people {wanted}; this person is {p.age}.")
    return _yes(kind, f"For people {wanted}; this person is {p.age}.")


def _explain_area(kind: str, node: dict[str, Any], p: Circumstances) -> Result:
    names = [areas.area_name(a) for a in node.get("areas", [])] + list(node.get("postcode_districts", []))
    wanted = "people living in " + ", ".join(names)
    district = areas.postcode_district(p.postcode)
    if district and district in node.get("postcode_districts", []):
        return _yes(kind, f"For {wanted}; postcode district {district}.")
    home = p.home_area()
    if home is None:
        if district:
            return _unknown(kind, f"For {wanted}; we cannot tell which area postcode district {district} is in.")
        return _unknown(kind, f"For {wanted}; where the person lives is not known.")
    if set(areas.ancestors(home)) & set(node.get("areas", [])):
        return _yes(kind, f"For {wanted}; this person lives in {areas.area_name(home)}.")
    if any(home in areas.ancestors(a) for a in node.get("areas", [])):
        return _unknown(
            kind, f"For {wanted}; this person lives in {areas.area_name(home)}, but we do not know which part."
        )
    return _no(kind, f"For {wanted}; this person lives in {areas.area_name(home)}.")


def _explain_employment_status(kind: str, node: dict[str, Any], p: Circumstances) -> Result:
    wanted = _labels(node["in"], _EMPLOYMENT).lower()
    if p.employment_status is None:
        return _unknown(kind, f"For people who are: {wanted}; work situation not known.")
    now = _EMPLOYMENT.get(p.employment_status, p.employment_status).lower()
    if p.employment_status in node["in"]:
        return _yes(kind, f"For people who are: {wanted}; this person is {now}.")
    return _no(kind, f"For people who are: {wanted}; this person is {now}.")


def _explain_benefits(kind: str, node: dict[str, Any], p: Circumstances) -> Result:
    wanted = node.get("label") or "people getting " + _labels(node["any_of"], _BENEFITS)
    if p.benefits is None:
        return _unknown(kind, f"For {wanted}; benefits not known.")
    got = sorted(set(p.benefits) & set(node["any_of"]))
    if got:
        return _yes(kind, f"For {wanted}; this person gets {_labels(got, _BENEFITS)}.")
    held = sorted(b for b in p.benefits if b != "none")
    now = _labels(held, _BENEFITS) if held else "no benefits"
    return _no(kind, f"For {wanted}; this person gets {now}.")


def _explain_months(kind: str, node: dict[str, Any], p: Circumstances) -> Result:
    """months_on_benefits and months_out_of_work: at least `min` months."""
    months = getattr(p, kind)
    what = "claiming benefits" if kind == "months_on_benefits" else "out of work or training"
    wanted = f"people {what} for {node['min']} months or more"
    if months is None:
        return _unknown(kind, f"For {wanted}; how long is not known.")
    if months >= node["min"]:
        return _yes(kind, f"For {wanted}; this person has been for {months} months.")
    return _no(kind, f"For {wanted}; this person has been for {months} months.")


def _explain_health_condition(kind: str, node: dict[str, Any], p: Circumstances) -> Result:
    wanted = node.get("label") or "people with " + _labels(node["any_of"], _HEALTH).lower()
    if p.health_conditions is None:
        return _unknown(kind, f"For {wanted}; health conditions not known.")
    got = sorted(set(p.health_conditions) & set(node["any_of"]))
    if got:
        return _yes(kind, f"For {wanted}; this person has {_labels(got, _HEALTH).lower()}.")
    return _no(kind, f"For {wanted}; this person has told us of none of these.")


def _explain_situation(kind: str, node: dict[str, Any], p: Circumstances) -> Result:
    code = node["is"]
    text = SITUATIONS[code]
    if p.situations is None:
        return _unknown(kind, f"For someone who {text}; not known.")
    if code in p.situations:
        return _yes(kind, f"For someone who {text}; this applies.")
    return _no(kind, f"For someone who {text}; this does not apply.")


def _explain_referral_source(kind: str, node: dict[str, Any], p: Circumstances) -> Result:
    wanted = ", ".join(node["in"]).replace("_", " ")
    if p.referral_source is None:
        return _unknown(kind, f"Referrals from: {wanted}; who is referring is not known.")
    if p.referral_source in node["in"]:
        return _yes(kind, f"Referrals from: {wanted}; this referral qualifies.")
    return _no(kind, f"Referrals from: {wanted}; not from {p.referral_source.replace('_', ' ')}.")


# Each criterion's explainer, by the criterion's name (CRITERIA).
_EXPLAIN: dict[str, Callable[[str, dict[str, Any], Circumstances], Result]] = {
    "open": _explain_open,
    "age": _explain_age,
    "area": _explain_area,
    "employment_status": _explain_employment_status,
    "benefits": _explain_benefits,
    "months_on_benefits": _explain_months,
    "months_out_of_work": _explain_months,
    "health_condition": _explain_health_condition,
    "situation": _explain_situation,
    "referral_source": _explain_referral_source,
}


# ---------------------------------------------------------------------------------------------
# What a rule set implies, for narrowing a search in SQL before evaluating


def age_range(rules: Any) -> tuple[int | None, int | None]:
    """(lowest, highest) age anyone meeting the rules can have; None where there is no bound.

    A *necessary* condition: a person whose known age is outside the range is NOT_ELIGIBLE whatever
    else is true, so search may leave such services out in SQL (Service.minimum_age/maximum_age hold
    this, written by rules.add_rule_version). Bounds come from age criteria that must hold: every
    child of `all` (and of `at_least` N of N), and the loosest bound over every branch of `any`.
    """
    if not isinstance(rules, dict) or rules.get("stated") is False:
        return None, None
    return _age_bounds(rules)


def _age_bounds(node: dict[str, Any]) -> tuple[int | None, int | None]:
    if "all" in node or ("at_least" in node and node["at_least"] == len(node.get("of", []))):
        low: int | None = None
        high: int | None = None
        for child in node.get("all") or node["of"]:
            child_low, child_high = _age_bounds(child)
            if child_low is not None:
                low = child_low if low is None else max(low, child_low)
            if child_high is not None:
                high = child_high if high is None else min(high, child_high)
        return low, high
    if "any" in node or ("at_least" in node and node["at_least"] == 1):
        bounds = [_age_bounds(child) for child in node.get("any") or node["of"]]
        lows, highs = [b[0] for b in bounds], [b[1] for b in bounds]
        return (
            None if None in lows else min(x for x in lows if x is not None),
            None if None in highs else max(x for x in highs if x is not None),
        )
    if node.get("criterion") == "age":
        return node.get("min"), node.get("max")
    return None, None  # other criteria, and "at least N of M" for 1 < N < M: no bound we can rely on


def describe(rules: dict[str, Any]) -> list[str]:
    """The rule set in plain English, one line per criterion (for service pages)."""
    if rules.get("stated") is False:
        return ["Eligibility not stated: ask the provider."]
    return [line.reason.split(";")[0].rstrip(":") for _d, line in _node(rules, Circumstances()).lines()]
