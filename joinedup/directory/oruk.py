"""Our records as Open Referral UK 3.0 JSON (HSDS-UK-3.0), plus our documented extension.

Optional fields with no value are left out (the schemas do not allow null). Extension fields are
prefixed `x_joinedup_` (see docs/openreferral-extension.md); ORUK allows extra properties.
"""

from __future__ import annotations

import math
from datetime import datetime, time
from decimal import Decimal
from typing import Any

from django.conf import settings

from .models import (
    Contact,
    CostOption,
    DirectoryOrganisation,
    Location,
    Schedule,
    Service,
    ServiceArea,
    ServiceAtLocation,
    Taxonomy,
    TaxonomyTerm,
)

VERSION = getattr(settings, "ORUK_VERSION", "HSDS-UK-3.0")
PROFILE_URL = "https://openreferraluk.org/specifications/3.0/"
EXTENSION_DOC = "https://github.com/joined-up/joined-up/blob/main/docs/openreferral-extension.md"


def _clean(data: dict[str, Any]) -> dict[str, Any]:
    """Drop None and empty strings: ORUK wants optional fields absent, not null."""
    return {k: v for k, v in data.items() if v is not None and v != ""}


def _str(value: Any) -> str | None:
    if value is None or value == "":
        return None
    if isinstance(value, time):
        return value.strftime("%H:%M")
    if isinstance(value, datetime):
        return value.isoformat()
    return str(value)


def _num(value: Decimal | int | None) -> float | int | None:
    if value is None:
        return None
    return int(value) if isinstance(value, int) else float(value)


def organisation(org: DirectoryOrganisation) -> dict[str, Any]:
    return _clean(
        {
            "id": str(org.id),
            "name": org.name,
            "description": org.description or org.name,
            "email": org.email,
            "website": org.website,
        }
    )


def taxonomy(tax: Taxonomy, *, with_terms: bool = False) -> dict[str, Any]:
    data = _clean(
        {
            "id": str(tax.id),
            "name": tax.name,
            "description": tax.description or tax.name,
            "uri": tax.uri,
            "version": tax.version,
        }
    )
    if with_terms:
        data["taxonomy_terms"] = [taxonomy_term(t) for t in tax.terms.all()]
    return data


def taxonomy_term(term: TaxonomyTerm) -> dict[str, Any]:
    return _clean(
        {
            "id": str(term.id),
            "name": term.name,
            "description": term.description or term.name,
            "parent_id": _str(term.parent_id),
            "taxonomy": term.taxonomy.name,
            "taxonomy_id": str(term.taxonomy_id),
            "term_uri": term.term_uri,
            "term": term.code,
        }
    )


def location(loc: Location) -> dict[str, Any]:
    data = _clean(
        {
            "id": str(loc.id),
            "location_type": loc.location_type,
            "name": loc.name,
            "description": loc.description,
            "latitude": _num(loc.latitude),
            "longitude": _num(loc.longitude),
        }
    )
    if loc.address_1 and loc.postal_code:
        data["addresses"] = [
            {
                "id": str(loc.id),
                "location_id": str(loc.id),
                "address_1": loc.address_1,
                "city": loc.city or loc.address_1,
                "state_province": loc.state_province or loc.city or "England",
                "postal_code": loc.postal_code,
                "country": loc.country or "GB",
                "address_type": "postal" if loc.location_type == "postal" else "physical",
            }
        ]
    return data


def service_list_item(service: Service) -> dict[str, Any]:
    """The flat fields of a service (compiled/service_list.json), with its organisation."""
    return _clean(
        {
            "id": str(service.id),
            "organization_id": str(service.organisation_id),
            "name": service.name,
            "description": service.description,
            "url": service.url,
            "email": service.email,
            "status": service.status,
            "fees": service.fees,
            "accreditations": service.accreditations,
            "minimum_age": service.minimum_age,
            "maximum_age": service.maximum_age,
            "assured_date": _str(service.assured_date),
            "assurer_email": service.assurer_email,
            "alert": service.alert,
            "last_modified": service.updated_at.isoformat() if service.updated_at else None,
            "organization": organisation(service.organisation),
        }
    )


def eligibility_extension(service: Service) -> dict[str, Any] | None:
    current = service.current_rules()
    if current is None:
        return None
    return _clean(
        {
            "version": current.version,
            "rules": current.rules,
            "stated_as": current.stated_as,
            "source": current.source,
            "documentation": EXTENSION_DOC,
        }
    )


def service_full(service: Service) -> dict[str, Any]:
    """One fully nested service (compiled/service.json) with the x_joinedup_ extension."""
    sid = str(service.id)
    data = service_list_item(service)
    data["schedules"] = [_schedule(s, sid) for s in service.schedules.all()]
    data["service_areas"] = [_service_area(a, sid) for a in service.service_areas.all()]
    data["service_at_locations"] = [
        {"id": str(sal.id), "service_id": sid, "location_id": str(sal.location_id), "location": location(sal.location)}
        for sal in service.service_at_locations.all()
    ]
    data["languages"] = [
        _clean({"id": str(lang.id), "service_id": sid, "name": lang.name, "code": lang.code})
        for lang in service.languages.all()
    ]
    data["funding"] = [{"id": str(f.id), "service_id": sid, "source": f.source} for f in service.fundings.all()]
    data["cost_options"] = [_cost_option(c, sid) for c in service.cost_options.all()]
    data["contacts"] = [_contact(c, sid) for c in service.contacts.all()]
    data["attributes"] = [_attribute(service, term) for term in service.terms.all()]
    ext = eligibility_extension(service)
    if ext:
        data["x_joinedup_eligibility"] = ext
    data["x_joinedup_how_to_refer"] = _clean({"text": service.how_to_refer, "self_referral": service.self_referral})
    return data


def _schedule(s: Schedule, sid: str) -> dict[str, Any]:
    return _clean(
        {
            "id": str(s.id),
            "service_id": sid,
            "freq": s.freq,
            "byday": s.byday,
            "opens_at": _str(s.opens_at),
            "closes_at": _str(s.closes_at),
            "description": s.description,
        }
    )


def _service_area(a: ServiceArea, sid: str) -> dict[str, Any]:
    return _clean(
        {
            "id": str(a.id),
            "service_id": sid,
            "name": a.name,
            "service_area": a.name,
            "extent_type": "local_authority",
            "uri": a.area,
        }
    )


def _cost_option(c: CostOption, sid: str) -> dict[str, Any]:
    return _clean(
        {
            "id": str(c.id),
            "service_id": sid,
            "option": c.option,
            "amount": _num(c.amount),
            "amount_description": c.amount_description,
        }
    )


def _contact(c: Contact, sid: str) -> dict[str, Any]:
    return _clean(
        {
            "id": str(c.id),
            "service_id": sid,
            "name": c.name,
            "title": c.title,
            # ORUK 3.0 has nowhere for a phone; HSDS puts them here and extra properties are allowed.
            "phones": [
                _clean({"id": str(p.id), "contact_id": str(c.id), "number": p.number, "description": p.description})
                for p in c.phones.all()
            ],
        }
    )


def _attribute(service: Service, term: TaxonomyTerm) -> dict[str, Any]:
    """The ORUK attribute linking the service to one taxonomy term."""
    return {
        "id": str(_attribute_id(service, term)),
        "link_id": str(service.id),
        "link_type": "service",
        "taxonomy_term_id": str(term.id),
        "taxonomy_term": taxonomy_term(term),
    }


def _attribute_id(service: Service, term: TaxonomyTerm):
    import uuid

    return uuid.uuid5(service.id, f"attribute:{term.id}")


def service_at_location_list_item(sal: ServiceAtLocation) -> dict[str, Any]:
    return {
        "id": str(sal.id),
        "service_id": str(sal.service_id),
        "location_id": str(sal.location_id),
        "location": location(sal.location),
        "service": service_list_item(sal.service),
    }


def page(items: list[dict[str, Any]], *, total: int, page_number: int, per_page: int) -> dict[str, Any]:
    """The ORUK 3.0 paging envelope."""
    total_pages = max(1, math.ceil(total / per_page)) if per_page else 1
    return {
        "total_items": total,
        "total_pages": total_pages,
        "page_number": page_number,
        "size": len(items),
        "first_page": page_number == 1,
        "last_page": page_number >= total_pages,
        "empty": len(items) == 0,
        "contents": items,
    }
