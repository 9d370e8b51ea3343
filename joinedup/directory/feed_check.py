"""Checking an ORUK feed before anything is imported: every problem, each naming its record.

A constant number of queries: whatever the feed's size, the directory is asked once each for the
taxonomy terms, taxonomies and services the feed refers to.
"""

from __future__ import annotations

import uuid
from typing import Any

from . import standards
from .eligibility import RuleError, validate_rules
from .models import Service, Taxonomy, TaxonomyTerm

SERVICE_SCHEMA = "compiled/service_with_definitions.json"

Problem = dict[str, str]
Labelled = tuple[str, dict[str, Any]]


def feed_problems(services: list[Any], feed_taxonomies: list[Any], source: str) -> list[Problem]:
    """Every problem with the feed, each naming its record: first the feed on its own, then the feed
    against the directory (in three queries)."""
    problems, feed_terms = _taxonomy_problems(feed_taxonomies)
    valid: list[Labelled] = []
    seen: set[str] = set()
    for i, item in enumerate(services, 1):
        label = f"service {item.get('id', f'number {i}') if isinstance(item, dict) else f'number {i}'}"
        if _schema_problems(label, item, problems):
            continue
        problems.extend(_service_problems(label, item, seen))
        seen.add(item["id"])
        valid.append((label, item))
    feed_taxonomy_ids = {str(t.get("id")) for t in feed_taxonomies if isinstance(t, dict)}
    problems.extend(_attribute_problems(valid, feed_terms, feed_taxonomy_ids))
    problems.extend(_source_problems(valid, source))
    return problems


def _taxonomy_problems(feed_taxonomies: list[Any]) -> tuple[list[Problem], set[str]]:
    """The feed's taxonomies' problems, and the ids of the terms they bring."""
    problems: list[Problem] = []
    feed_terms: set[str] = set()
    for i, tax in enumerate(feed_taxonomies, 1):
        label = f"taxonomy {tax.get('id', i) if isinstance(tax, dict) else i}"
        for error in standards.errors("taxonomy.json", tax)[:5]:
            problems.append({"record": label, "problem": error})
        if isinstance(tax, dict):
            feed_terms |= {str(t.get("id")) for t in tax.get("taxonomy_terms", []) if isinstance(t, dict)}
    return problems, feed_terms


def _schema_problems(label: str, item: Any, problems: list[Problem]) -> bool:
    """Add the record's (first five) ORUK schema errors; True if it cannot be checked further."""
    errors = standards.errors(SERVICE_SCHEMA, item)
    for error in errors[:5]:
        problems.append({"record": label, "problem": f"does not match ORUK 3.0 ({error})"})
    return bool(errors) or not isinstance(item, dict)


def _service_problems(label: str, item: dict[str, Any], seen: set[str]) -> list[Problem]:
    """What is wrong with one schema-valid service record, on its own."""
    problems: list[str] = []
    if item["id"] in seen:
        problems.append("appears more than once in the feed.")
    if not item.get("organization_id") and not isinstance(item.get("organization"), dict):
        problems.append("has no organisation (organization_id or organization).")
    problems.extend(_age_problems(item.get("minimum_age"), item.get("maximum_age")))
    ext = item.get("x_joinedup_eligibility")
    if ext is not None:
        try:
            validate_rules(ext.get("rules") if isinstance(ext, dict) else None)
        except RuleError as exc:
            problems.append(f"has eligibility rules we cannot read: {exc}")
    return [{"record": label, "problem": problem} for problem in problems]


def _age_problems(low: Any, high: Any) -> list[str]:
    problems = []
    for name, value in (("minimum_age", low), ("maximum_age", high)):
        if value is not None and not (float(value).is_integer() and 0 <= value <= 150):
            problems.append(f"has {name} {value}: it must be a whole number, 0 to 150.")
    if isinstance(low, int | float) and isinstance(high, int | float) and low > high:
        problems.append(f"has minimum_age {low} above maximum_age {high}.")
    return problems


def _term_id(attribute: dict[str, Any]) -> Any:
    return attribute.get("taxonomy_term_id") or (attribute.get("taxonomy_term") or {}).get("id")


def _attribute_problems(valid: list[Labelled], feed_terms: set[str], feed_taxonomy_ids: set[str]) -> list[Problem]:
    """Attributes whose taxonomy term is neither in the feed nor the directory, and cannot be made."""
    attributes = [(label, a) for label, item in valid for a in item.get("attributes", []) if isinstance(a, dict)]
    referenced = {str(_term_id(a)) for _l, a in attributes}
    known_terms = feed_terms | {
        str(t) for t in TaxonomyTerm.objects.filter(id__in=_uuids(referenced)).values_list("id", flat=True)
    }
    taxonomy_refs = {
        str(a["taxonomy_term"].get("taxonomy_id"))
        for _l, a in attributes
        if isinstance(a.get("taxonomy_term"), dict) and a["taxonomy_term"].get("taxonomy_id")
    }
    known_taxonomies = feed_taxonomy_ids | {
        str(t) for t in Taxonomy.objects.filter(id__in=_uuids(taxonomy_refs)).values_list("id", flat=True)
    }
    problems = []
    for label, attribute in attributes:
        term, term_id = attribute.get("taxonomy_term"), _term_id(attribute)
        if not term_id or str(term_id) in known_terms:
            continue
        if not isinstance(term, dict):
            problem = f"uses taxonomy term {term_id}, which is not in the feed or the directory."
            problems.append({"record": label, "problem": problem})
        elif not (term.get("taxonomy_id") and str(term["taxonomy_id"]) in known_taxonomies or term.get("taxonomy")):
            problems.append({"record": label, "problem": f"uses taxonomy term {term_id}, whose taxonomy is not named."})
    return problems


def _source_problems(valid: list[Labelled], source: str) -> list[Problem]:
    """Records whose id is already a service imported from another source."""
    existing = {
        str(k): v
        for k, v in Service.objects.filter(id__in=_uuids(item["id"] for _l, item in valid)).values_list("id", "source")
    }
    problems = []
    for label, item in valid:
        other = existing.get(str(item["id"]))
        if other is not None and other != source:
            problems.append({"record": label, "problem": f"has the id of a service from another source ({other})."})
    return problems


def _uuids(values: Any) -> list[uuid.UUID]:
    out = []
    for value in values:
        try:
            out.append(uuid.UUID(str(value)))
        except ValueError:
            continue
    return out
