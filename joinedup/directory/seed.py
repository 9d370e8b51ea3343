"""Seed the directory with the real programmes named in the source reports (seed/directory.json).

Called by a data migration (so `make run`, which migrates, always has it) with the migration's
historical models, and usable with the real models too. Idempotent: ids are derived from stable
keys, and a second run updates rather than duplicates. Rule sets get a new version only if changed.
"""

from __future__ import annotations

import json
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

from . import areas
from .eligibility import validate_rules
from .rules import add_rule_version
from .search import index_services

SEED_FILE = Path(__file__).parent / "seed" / "directory.json"
NAMESPACE = uuid.UUID("7d7a4c35-2f52-4b1e-8a0b-0b4b3f6f2a11")
SOURCE = "joinedup-seed"
REVIEWED_ON = date(2026, 11, 1)


def seed_id(kind: str, key: str) -> uuid.UUID:
    return uuid.uuid5(NAMESPACE, f"{kind}:{key}")


@dataclass(frozen=True)
class _Models:
    """The models the seed writes: the migration's historical ones, or the real ones."""

    organisation: Any
    service: Any
    taxonomy: Any
    term: Any
    area: Any
    rules: Any
    funding: Any
    contact: Any
    phone: Any

    @classmethod
    def of(cls, get_model: Callable[[str], Any]) -> _Models:
        return cls(
            organisation=get_model("DirectoryOrganisation"),
            service=get_model("Service"),
            taxonomy=get_model("Taxonomy"),
            term=get_model("TaxonomyTerm"),
            area=get_model("ServiceArea"),
            rules=get_model("EligibilityRuleSet"),
            funding=get_model("Funding"),
            contact=get_model("Contact"),
            phone=get_model("Phone"),
        )


def load_seed(get_model: Callable[[str], Any]) -> int:
    """Load or refresh the seed directory; returns the number of services."""
    data = json.loads(SEED_FILE.read_text(encoding="utf-8"))
    models = _Models.of(get_model)
    terms = _load_taxonomies(models, data["taxonomies"])
    orgs = _load_organisations(models, data["organisations"])
    for item in data["services"]:
        _load_service(models, item, orgs, terms)
    index_services((seed_id("service", item["key"]) for item in data["services"]), get_model=get_model)
    return len(data["services"])


def _load_taxonomies(models: _Models, taxonomies: dict[str, Any]) -> dict[str, Any]:
    """The seed's taxonomies and their terms; returns the terms by code."""
    terms: dict[str, Any] = {}
    for tkey, (name, description, items) in taxonomies.items():
        taxonomy, _ = models.taxonomy.objects.update_or_create(
            id=seed_id("taxonomy", tkey), defaults={"name": name, "description": description, "source": SOURCE}
        )
        for code, label in items.items():
            terms[code], _ = models.term.objects.update_or_create(
                id=seed_id("term", f"{tkey}:{code}"),
                defaults={"taxonomy": taxonomy, "code": code, "name": label, "description": label, "source": SOURCE},
            )
    return terms


def _load_organisations(models: _Models, organisations: dict[str, Any]) -> dict[str, Any]:
    """The seed's organisations, by key."""
    orgs: dict[str, Any] = {}
    for key, (name, description) in organisations.items():
        orgs[key], _ = models.organisation.objects.update_or_create(
            id=seed_id("organisation", key),
            defaults={"name": name, "description": description, "source": SOURCE, "source_id": key},
        )
    return orgs


def _load_service(models: _Models, item: dict[str, Any], orgs: dict[str, Any], terms: dict[str, Any]) -> None:
    """One seed service with its terms, areas, funders, contacts and eligibility."""
    validate_rules(item["rules"])
    fields = {
        "organisation": orgs[item["organisation"]],
        "name": item["name"],
        "description": item["description"],
        "how_to_refer": item["how_to_refer"],
        "self_referral": item["self_referral"],
        "status": item["status"],
        "source": SOURCE,
        "source_id": item["key"],
        "url": item.get("url", ""),
        "email": item.get("email", ""),
    }
    service, _ = models.service.objects.update_or_create(
        id=seed_id("service", item["key"]),
        defaults=fields,
        # Editors own the lifecycle and review date once a service exists; a reload never undoes them.
        create_defaults={**fields, "lifecycle": item["lifecycle"], "last_reviewed_on": REVIEWED_ON},
    )
    service.terms.set([terms[code] for code in item["needs"] + item["cohorts"]])
    _load_areas(models, service, item)
    for funder in item.get("funders", []):
        models.funding.objects.update_or_create(
            id=seed_id("funding", f"{item['key']}:{funder}"), defaults={"service": service, "source": funder}
        )
    _load_contacts(models, service, item)
    _load_rules(models, service, item)


def _load_areas(models: _Models, service: Any, item: dict[str, Any]) -> None:
    for code in item["areas"]:
        models.area.objects.update_or_create(
            id=seed_id("service_area", f"{item['key']}:{code}"),
            defaults={"service": service, "area": code, "name": areas.area_name(code)},
        )
    models.area.objects.filter(service=service).exclude(area__in=item["areas"]).delete()


def _load_contacts(models: _Models, service: Any, item: dict[str, Any]) -> None:
    for i, contact in enumerate(item.get("contacts", [])):
        row, _ = models.contact.objects.update_or_create(
            id=seed_id("contact", f"{item['key']}:{i}"),
            defaults={"service": service, "name": contact["name"], "title": contact.get("title", "")},
        )
        for j, phone in enumerate(contact.get("phones", [])):
            models.phone.objects.update_or_create(
                id=seed_id("phone", f"{item['key']}:{i}:{j}"),
                defaults={"contact": row, "number": phone["number"], "description": phone.get("description", "")},
            )


def _load_rules(models: _Models, service: Any, item: dict[str, Any]) -> None:
    latest = models.rules.objects.filter(service=service).order_by("-version").first()
    # A newer seed rule set is added only over a seed-authored one: an editor's version is never undone.
    if latest is None or latest.source == item["source"]:
        rules, stated_as, source = item["rules"], item["stated_as"], item["source"]
    else:
        rules, stated_as, source = latest.rules, latest.stated_as, latest.source
    add_rule_version(
        service,
        rules=rules,
        stated_as=stated_as,
        source=source,
        rules_model=models.rules,
        version_id=seed_id("rules", f"{item['key']}:{(latest.version if latest else 0) + 1}"),
    )
