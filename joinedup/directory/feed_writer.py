"""Writing a checked ORUK feed into the directory (for imports.oruk_import, inside its transaction).

Records keep their ORUK ids, so writing the same feed again updates them, and each keeps its
provenance (source, source id, time imported).
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from django.db.models import Q

from . import areas
from .models import (
    Contact,
    CostOption,
    DirectoryOrganisation,
    Funding,
    Language,
    Lifecycle,
    Location,
    Phone,
    Schedule,
    Service,
    ServiceArea,
    ServiceAtLocation,
    Taxonomy,
    TaxonomyTerm,
)
from .rules import add_rule_version
from .search import index_services

# A service's children, replaced wholesale on each import.
CHILDREN = (Schedule, ServiceArea, Language, Funding, CostOption, Contact, ServiceAtLocation)
SERVICE_TEXT = ("name", "description", "url", "email", "status", "fees", "accreditations", "alert", "assurer_email")


@dataclass
class Touched:
    """What one import changed that a service's search columns are made from (decision 024): the
    services it wrote, and the taxonomy terms and organisations it renamed, whose other services'
    columns hold the old name. Indexed once, at the end of the import (`reindex`)."""

    services: set[Any] = field(default_factory=set)
    renamed_terms: set[Any] = field(default_factory=set)
    renamed_organisations: set[Any] = field(default_factory=set)

    def reindex(self) -> int:
        """One `index_services` over every service the import wrote or whose term or organisation it
        renamed. Returns the number indexed."""
        ids = set(self.services)
        if self.renamed_terms or self.renamed_organisations:
            others = Service.objects.filter(
                Q(terms__in=self.renamed_terms) | Q(organisation_id__in=self.renamed_organisations)
            )
            ids.update(others.values_list("id", flat=True).distinct())
        return index_services(sorted(ids)) if ids else 0


def _provenance(record_id: str, source: str, now) -> dict[str, Any]:
    return {"source": source, "source_id": record_id, "imported_at": now}


def save_taxonomy(tax: dict[str, Any], source: str, now, touched: Touched) -> None:
    taxonomy, _ = Taxonomy.objects.update_or_create(
        id=tax["id"],
        defaults={
            "name": tax["name"],
            "description": tax["description"],
            "uri": tax.get("uri", ""),
            "version": tax.get("version", ""),
            **_provenance(tax["id"], source, now),
        },
    )
    for term in tax.get("taxonomy_terms", []):
        save_term(term, source, now, touched, taxonomy_id=taxonomy.id)


def save_term(term: dict[str, Any], source: str, now, touched: Touched, taxonomy_id: Any = None) -> TaxonomyTerm:
    if not taxonomy_id and not (term.get("taxonomy_id") and Taxonomy.objects.filter(id=term["taxonomy_id"]).exists()):
        # A term that names its taxonomy only by name: one taxonomy per name per source.
        name = str(term.get("taxonomy") or "Imported terms")[:200]
        taxonomy_id = Taxonomy.objects.get_or_create(
            id=uuid.uuid5(uuid.NAMESPACE_URL, f"joinedup:taxonomy:{source}:{name}"),
            defaults={"name": name, "description": f"Terms imported from {source}", "source": source},
        )[0].id
    before = TaxonomyTerm.objects.filter(id=term["id"]).values_list("name", flat=True).first()
    if before is not None and before != term["name"]:
        touched.renamed_terms.add(term["id"])
    return TaxonomyTerm.objects.update_or_create(
        id=term["id"],
        defaults={
            "taxonomy_id": taxonomy_id or term["taxonomy_id"],
            "code": term.get("term") or term["id"],
            "name": term["name"],
            "description": term["description"],
            "term_uri": term.get("term_uri", ""),
            **_provenance(term["id"], source, now),
        },
    )[0]


def save_service(item: dict[str, Any], source: str, now, publish: bool, touched: Touched) -> bool:
    """Create or update one service with everything it holds; True if it is new. Its search columns
    are worked out at the end of the import (`Touched.reindex`)."""
    org = _save_organisation(item, source, now, touched)
    existing = Service.objects.filter(id=item["id"]).first()
    service = existing or Service(id=item["id"], lifecycle=Lifecycle.PUBLISHED if publish else Lifecycle.DRAFT)
    if existing and publish:
        service.lifecycle = Lifecycle.PUBLISHED
    _set_fields(service, item, org)
    service.source, service.source_id, service.imported_at = source, item["id"], now
    service.save()
    _replace_children(service, item, source, now)
    service.terms.set(_terms(item, source, now, touched))
    _save_rules(service, item, source)
    touched.services.add(service.pk)
    return existing is None


def _save_organisation(item: dict[str, Any], source: str, now, touched: Touched) -> DirectoryOrganisation:
    """The service's organisation: made if new, and refreshed if the feed describes it."""
    org_data = item.get("organization") or {}
    org_id = item.get("organization_id") or org_data["id"]
    org, _ = DirectoryOrganisation.objects.get_or_create(
        id=org_id,
        defaults={
            "name": org_data.get("name", "Unknown organisation"),
            "description": org_data.get("description", ""),
            **_provenance(org_id, source, now),
        },
    )
    if org_data.get("name"):
        if org.name != org_data["name"]:
            touched.renamed_organisations.add(org.pk)
        org.name, org.description = org_data["name"], org_data.get("description", org.description)
        org.email, org.website = org_data.get("email", ""), org_data.get("website", "")
        org.save()
    return org


def _set_fields(service: Service, item: dict[str, Any], org: DirectoryOrganisation) -> None:
    refer = item.get("x_joinedup_how_to_refer") or {}
    for name in SERVICE_TEXT:
        setattr(service, name, item.get(name, "") or "")
    service.organisation = org
    service.assured_date = _date(item.get("assured_date"))
    service.how_to_refer = refer.get("text", service.how_to_refer) if isinstance(refer, dict) else ""
    service.self_referral = (
        bool(refer.get("self_referral", service.self_referral)) if isinstance(refer, dict) else False
    )


def _replace_children(service: Service, item: dict[str, Any], source: str, now) -> None:
    """Children are replaced wholesale, keeping the feed's ids."""
    for model in CHILDREN:
        model.objects.filter(service=service).delete()
    _save_schedules(service, item.get("schedules", []))
    _save_areas(service, item.get("service_areas", []))
    _save_languages(service, item.get("languages", []))
    for f in item.get("funding", []):
        Funding.objects.create(id=f["id"], service=service, source=f.get("source", "")[:300])
    _save_cost_options(service, item.get("cost_options", []))
    _save_contacts(service, item.get("contacts", []))
    _save_locations(service, item.get("service_at_locations", []), source, now)


def _save_schedules(service: Service, schedules: list[dict[str, Any]]) -> None:
    for s in schedules:
        Schedule.objects.create(
            id=s["id"],
            service=service,
            freq=s.get("freq", ""),
            byday=s.get("byday", ""),
            opens_at=s.get("opens_at") or None,
            closes_at=s.get("closes_at") or None,
            description=s.get("description", "")[:300],
        )


def _save_areas(service: Service, service_areas: list[dict[str, Any]]) -> None:
    for a in service_areas:
        name = a.get("name") or a.get("service_area") or ""
        code = a.get("uri") if a.get("uri") in areas.AREAS else _area_code(name)
        ServiceArea.objects.create(id=a["id"], service=service, area=code, name=name[:200] or areas.area_name(code))


def _save_languages(service: Service, languages: list[dict[str, Any]]) -> None:
    for lang in languages:
        Language.objects.create(
            id=lang["id"], service=service, name=lang.get("name", "")[:100], code=lang.get("code", "")[:10]
        )


def _save_cost_options(service: Service, cost_options: list[dict[str, Any]]) -> None:
    for c in cost_options:
        CostOption.objects.create(
            id=c["id"],
            service=service,
            option=c.get("option", "")[:200],
            amount=c.get("amount"),
            amount_description=c.get("amount_description", "")[:300],
        )


def _save_contacts(service: Service, contacts: list[dict[str, Any]]) -> None:
    for c in contacts:
        contact = Contact.objects.create(
            id=c["id"], service=service, name=c.get("name", "")[:200], title=c.get("title", "")[:200]
        )
        for p in c.get("phones", []) if isinstance(c.get("phones"), list) else []:
            if isinstance(p, dict) and p.get("id") and p.get("number"):
                Phone.objects.create(
                    id=p["id"],
                    contact=contact,
                    number=str(p["number"])[:40],
                    description=p.get("description", "")[:200],
                )


def _save_locations(service: Service, service_at_locations: list[dict[str, Any]], source: str, now) -> None:
    for sal in service_at_locations:
        loc = sal.get("location")
        if isinstance(loc, dict):
            location = _save_location(loc, source, now)
            ServiceAtLocation.objects.create(id=sal["id"], service=service, location=location)


def _save_location(loc: dict[str, Any], source: str, now) -> Location:
    address = (loc.get("addresses") or [{}])[0]
    location, _ = Location.objects.update_or_create(
        id=loc["id"],
        defaults={
            "name": loc.get("name", ""),
            "description": loc.get("description", ""),
            "location_type": loc["location_type"],
            "latitude": loc.get("latitude"),
            "longitude": loc.get("longitude"),
            "address_1": address.get("address_1", ""),
            "city": address.get("city", ""),
            "state_province": address.get("state_province", ""),
            "postal_code": address.get("postal_code", ""),
            "country": address.get("country", "GB")[:2],
            **_provenance(loc["id"], source, now),
        },
    )
    return location


def _terms(item: dict[str, Any], source: str, now, touched: Touched) -> list[TaxonomyTerm]:
    """The service's taxonomy terms: those the directory has, and those the feed describes in full."""
    terms = []
    for attribute in item.get("attributes", []):
        term_data = attribute.get("taxonomy_term")
        term_id = attribute.get("taxonomy_term_id") or (term_data or {}).get("id")
        term = TaxonomyTerm.objects.filter(id=term_id).first()
        if term is None and isinstance(term_data, dict):
            term = save_term(term_data, source, now, touched)
        if term is not None:
            terms.append(term)
    return terms


def _save_rules(service: Service, item: dict[str, Any], source: str) -> None:
    ext = item.get("x_joinedup_eligibility")
    if isinstance(ext, dict):
        rules, stated_as = ext["rules"], ext.get("stated_as", "")
    else:  # a feed without our extension: its ORUK age range is all it says about eligibility
        rules, stated_as = _rules_from_ages(item), ""
    add_rule_version(service, rules=rules, stated_as=stated_as, source=f"Imported from {source}")


def _rules_from_ages(item: dict[str, Any]) -> dict[str, Any]:
    low, high = item.get("minimum_age"), item.get("maximum_age")
    if low is None and high is None:
        return {"stated": False}
    node: dict[str, Any] = {"criterion": "age"}
    if low is not None:
        node["min"] = int(low)
    if high is not None:
        node["max"] = int(high)
    return node


def _date(value: Any) -> date | None:
    try:
        return date.fromisoformat(value[:10]) if value else None
    except (TypeError, ValueError):
        return None


def _area_code(name: str) -> str:
    lowered = name.strip().lower()
    for code, area in areas.AREAS.items():
        if area.name.lower() == lowered:
            return code
    return ""
