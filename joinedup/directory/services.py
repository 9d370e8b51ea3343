"""Writes for the directory: import and export of ORUK feeds, and editing by directory managers.

Every write runs in one transaction and writes one audit event (joinedup.audit.services.audit_record).
"""

from __future__ import annotations

import hashlib
import json
import uuid
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from django.db import transaction
from django.utils import timezone

from joinedup.audit.services import audit_record
from joinedup.audit.verbs import AuditVerb
from joinedup.core.errors import DomainError, NotPermitted
from joinedup.organisations.models import Membership
from joinedup.organisations.permissions import Perm, has_perm

from . import areas, oruk, standards
from .eligibility import RuleError, validate_rules
from .models import (
    Contact,
    CostOption,
    DirectoryOrganisation,
    Funding,
    ImportRun,
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
from .selectors import published_services, taxonomies

MAX_FEED_BYTES = 10 * 1024 * 1024  # 10 MB: far above a county's directory, far below a memory problem
SERVICE_SCHEMA = "compiled/service_with_definitions.json"


# ---------------------------------------------------------------------------------------------
# Import


@dataclass
class ImportReport:
    run: ImportRun
    rejections: list[dict[str, str]] = field(default_factory=list)

    @property
    def accepted(self) -> bool:
        return self.run.accepted

    def lines(self) -> list[str]:
        if self.accepted:
            return [
                f"Imported {self.run.created_count} new and {self.run.updated_count} updated services "
                f"from {self.run.source}."
            ]
        head = f"Nothing was imported from {self.run.source}: {len(self.rejections)} problem(s) found."
        return [head] + [f"- {r['record']}: {r['problem']}" for r in self.rejections]


def _records(payload: Any) -> tuple[list[Any], list[Any]]:
    """(services, taxonomies) from a list, an ORUK page, or our whole-directory export."""
    if isinstance(payload, list):
        return payload, []
    if isinstance(payload, dict):
        if isinstance(payload.get("services"), list):
            return payload["services"], payload.get("taxonomies") or []
        if isinstance(payload.get("contents"), list):
            return payload["contents"], []
        if "id" in payload and "name" in payload:
            return [payload], []
    raise DomainError("The feed is not a list of services, an ORUK page or a Joined Up export.")


def oruk_import(
    *, data: bytes, source: str, actor: Membership | None = None, filename: str = "", publish: bool = False
) -> ImportReport:
    """Import an ORUK 3.0 feed. All or nothing: any rejected record means nothing changes.

    Idempotent: records keep their ORUK ids, so importing the same feed again updates them. Each
    record keeps its provenance (source, source id, time imported). Command-line imports have no
    actor; a signed-in import needs directory.manage.
    """
    if actor is not None and not has_perm(actor, Perm.DIRECTORY_MANAGE):
        raise NotPermitted("You do not have permission to import into the directory.")
    source = (source or "").strip()[:200]
    if not source:
        raise DomainError("Name the feed's source, for example the council whose directory it is.", field="source")
    run = ImportRun(source=source, filename=filename[:300], sha256=hashlib.sha256(data).hexdigest())
    rejections: list[dict[str, str]] = []
    services: list[dict[str, Any]] = []
    feed_taxonomies: list[dict[str, Any]] = []
    if len(data) > MAX_FEED_BYTES:
        rejections.append(
            {
                "record": "(file)",
                "problem": f"The file is over {MAX_FEED_BYTES // (1024 * 1024)} MB: the limit is "
                f"{MAX_FEED_BYTES // (1024 * 1024)} MB.",
            }
        )
    else:
        try:
            services, feed_taxonomies = _records(json.loads(data.decode("utf-8")))
        except (UnicodeDecodeError, json.JSONDecodeError) as exc:
            rejections.append(
                {"record": "(file)", "problem": f"The file is not valid JSON ({exc.__class__.__name__}: {exc})."}
            )
        except DomainError as exc:
            rejections.append({"record": "(file)", "problem": exc.message})
    if not rejections:
        rejections = _check(services, feed_taxonomies, source)
    if rejections:
        with transaction.atomic():  # the failed attempt and its audit event, together or not at all
            run.rejections = rejections
            run.save()
            audit_record(
                actor=actor.user if actor else None,
                verb=AuditVerb.CREATED,
                target=run,
                organisation=actor.organisation if actor else None,
                channel="web" if actor else "command",
                payload={"import": "rejected", "problems": len(rejections)},
            )
        return ImportReport(run, rejections)
    with transaction.atomic():
        now = timezone.now()
        for tax in feed_taxonomies:
            _save_taxonomy(tax, source, now)
        for item in services:
            created = _save_service(item, source, now, publish)
            if created:
                run.created_count += 1
            else:
                run.updated_count += 1
        run.accepted = True
        run.save()
        audit_record(
            actor=actor.user if actor else None,
            verb=AuditVerb.CREATED,
            target=run,
            organisation=actor.organisation if actor else None,
            channel="web" if actor else "command",
            payload={"import": "accepted", "created": run.created_count, "updated": run.updated_count},
        )
    return ImportReport(run, [])


def _check(services: list[Any], feed_taxonomies: list[Any], source: str) -> list[dict[str, str]]:
    """Every problem with the feed, each naming its record. A constant number of queries: whatever the
    feed's size, the directory is asked once for the services, terms and taxonomies it refers to."""
    problems: list[dict[str, str]] = []
    feed_terms: set[str] = set()
    feed_taxonomy_ids = {str(t.get("id")) for t in feed_taxonomies if isinstance(t, dict)}
    for i, tax in enumerate(feed_taxonomies, 1):
        label = f"taxonomy {tax.get('id', i) if isinstance(tax, dict) else i}"
        for error in standards.errors("taxonomy.json", tax)[:5]:
            problems.append({"record": label, "problem": error})
        if isinstance(tax, dict):
            feed_terms |= {str(t.get("id")) for t in tax.get("taxonomy_terms", []) if isinstance(t, dict)}
    # Pass 1: the feed on its own.
    valid: list[tuple[str, dict[str, Any]]] = []
    seen: set[str] = set()
    for i, item in enumerate(services, 1):
        label = f"service {item.get('id', f'number {i}') if isinstance(item, dict) else f'number {i}'}"
        errors = standards.errors(SERVICE_SCHEMA, item)
        for error in errors[:5]:
            problems.append({"record": label, "problem": f"does not match ORUK 3.0 ({error})"})
        if errors or not isinstance(item, dict):
            continue
        if item["id"] in seen:
            problems.append({"record": label, "problem": "appears more than once in the feed."})
        seen.add(item["id"])
        if not item.get("organization_id") and not isinstance(item.get("organization"), dict):
            problems.append({"record": label, "problem": "has no organisation (organization_id or organization)."})
        low, high = item.get("minimum_age"), item.get("maximum_age")
        for name, value in (("minimum_age", low), ("maximum_age", high)):
            if value is not None and not (float(value).is_integer() and 0 <= value <= 150):
                problem = f"has {name} {value}: it must be a whole number, 0 to 150."
                problems.append({"record": label, "problem": problem})
        if isinstance(low, int | float) and isinstance(high, int | float) and low > high:
            problems.append({"record": label, "problem": f"has minimum_age {low} above maximum_age {high}."})
        ext = item.get("x_joinedup_eligibility")
        if ext is not None:
            try:
                validate_rules(ext.get("rules") if isinstance(ext, dict) else None)
            except RuleError as exc:
                problems.append({"record": label, "problem": f"has eligibility rules we cannot read: {exc}"})
        valid.append((label, item))
    # Pass 2: against the directory, in three queries.
    attributes = [(label, a) for label, item in valid for a in item.get("attributes", []) if isinstance(a, dict)]
    referenced = {str(a.get("taxonomy_term_id") or (a.get("taxonomy_term") or {}).get("id")) for _l, a in attributes}
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
    existing = {
        str(k): v
        for k, v in Service.objects.filter(id__in=_uuids(item["id"] for _l, item in valid)).values_list("id", "source")
    }
    for label, attribute in attributes:
        term = attribute.get("taxonomy_term")
        term_id = attribute.get("taxonomy_term_id") or (term or {}).get("id")
        if not term_id or str(term_id) in known_terms:
            continue
        if not isinstance(term, dict):
            problem = f"uses taxonomy term {term_id}, which is not in the feed or the directory."
            problems.append({"record": label, "problem": problem})
        elif not (term.get("taxonomy_id") and str(term["taxonomy_id"]) in known_taxonomies or term.get("taxonomy")):
            problems.append({"record": label, "problem": f"uses taxonomy term {term_id}, whose taxonomy is not named."})
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


def _provenance(record_id: str, source: str, now) -> dict[str, Any]:
    return {"source": source, "source_id": record_id, "imported_at": now}


def _save_taxonomy(tax: dict[str, Any], source: str, now) -> None:
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
        _save_term(term, source, now, taxonomy_id=taxonomy.id)


def _save_term(term: dict[str, Any], source: str, now, taxonomy_id: Any = None) -> TaxonomyTerm:
    if not taxonomy_id and not (term.get("taxonomy_id") and Taxonomy.objects.filter(id=term["taxonomy_id"]).exists()):
        # A term that names its taxonomy only by name: one taxonomy per name per source.
        name = str(term.get("taxonomy") or "Imported terms")[:200]
        taxonomy_id = Taxonomy.objects.get_or_create(
            id=uuid.uuid5(uuid.NAMESPACE_URL, f"joinedup:taxonomy:{source}:{name}"),
            defaults={"name": name, "description": f"Terms imported from {source}", "source": source},
        )[0].id
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


def _save_service(item: dict[str, Any], source: str, now, publish: bool) -> bool:
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
        org.name, org.description = org_data["name"], org_data.get("description", org.description)
        org.email, org.website = org_data.get("email", ""), org_data.get("website", "")
        org.save()
    existing = Service.objects.filter(id=item["id"]).first()
    service = existing or Service(id=item["id"], lifecycle=Lifecycle.PUBLISHED if publish else Lifecycle.DRAFT)
    if existing and publish:
        service.lifecycle = Lifecycle.PUBLISHED
    refer = item.get("x_joinedup_how_to_refer") or {}
    for name in ("name", "description", "url", "email", "status", "fees", "accreditations", "alert", "assurer_email"):
        setattr(service, name, item.get(name, "") or "")
    service.organisation = org
    service.assured_date = _date(item.get("assured_date"))
    service.how_to_refer = refer.get("text", service.how_to_refer) if isinstance(refer, dict) else ""
    service.self_referral = (
        bool(refer.get("self_referral", service.self_referral)) if isinstance(refer, dict) else False
    )
    service.source, service.source_id, service.imported_at = source, item["id"], now
    service.save()
    # Children are replaced wholesale, keeping the feed's ids.
    for model in (Schedule, ServiceArea, Language, Funding, CostOption, Contact, ServiceAtLocation):
        model.objects.filter(service=service).delete()
    for s in item.get("schedules", []):
        Schedule.objects.create(
            id=s["id"],
            service=service,
            freq=s.get("freq", ""),
            byday=s.get("byday", ""),
            opens_at=s.get("opens_at") or None,
            closes_at=s.get("closes_at") or None,
            description=s.get("description", "")[:300],
        )
    for a in item.get("service_areas", []):
        name = a.get("name") or a.get("service_area") or ""
        code = a.get("uri") if a.get("uri") in areas.AREAS else _area_code(name)
        ServiceArea.objects.create(id=a["id"], service=service, area=code, name=name[:200] or areas.area_name(code))
    for lang in item.get("languages", []):
        Language.objects.create(
            id=lang["id"], service=service, name=lang.get("name", "")[:100], code=lang.get("code", "")[:10]
        )
    for f in item.get("funding", []):
        Funding.objects.create(id=f["id"], service=service, source=f.get("source", "")[:300])
    for c in item.get("cost_options", []):
        CostOption.objects.create(
            id=c["id"],
            service=service,
            option=c.get("option", "")[:200],
            amount=c.get("amount"),
            amount_description=c.get("amount_description", "")[:300],
        )
    for c in item.get("contacts", []):
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
    for sal in item.get("service_at_locations", []):
        loc = sal.get("location")
        if isinstance(loc, dict):
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
            ServiceAtLocation.objects.create(id=sal["id"], service=service, location=location)
    terms = []
    for attribute in item.get("attributes", []):
        term_data = attribute.get("taxonomy_term")
        term_id = attribute.get("taxonomy_term_id") or (term_data or {}).get("id")
        term = TaxonomyTerm.objects.filter(id=term_id).first()
        if term is None and isinstance(term_data, dict):
            term = _save_term(term_data, source, now)
        if term is not None:
            terms.append(term)
    service.terms.set(terms)
    ext = item.get("x_joinedup_eligibility")
    if isinstance(ext, dict):
        rules, stated_as = ext["rules"], ext.get("stated_as", "")
    else:  # a feed without our extension: its ORUK age range is all it says about eligibility
        rules, stated_as = _rules_from_ages(item), ""
    add_rule_version(service, rules=rules, stated_as=stated_as, source=f"Imported from {source}")
    return existing is None


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


# ---------------------------------------------------------------------------------------------
# Export


def oruk_export() -> dict[str, Any]:
    """The whole published directory as one ORUK JSON document (taxonomies and fully nested services).

    The directory is public information, so exporting it is not audited.
    """
    return {
        "version": oruk.VERSION,
        "exported_at": timezone.now().isoformat(),
        "taxonomies": [oruk.taxonomy(t, with_terms=True) for t in taxonomies()],
        "services": [oruk.service_full(s) for s in published_services(full=True)],
    }


# ---------------------------------------------------------------------------------------------
# Editing by directory managers


@dataclass(frozen=True)
class ServiceInput:
    organisation_id: uuid.UUID
    name: str
    description: str = ""
    how_to_refer: str = ""
    self_referral: bool = False
    url: str = ""
    email: str = ""
    areas: tuple[str, ...] = ()
    term_ids: tuple[uuid.UUID, ...] = ()
    rules: dict[str, Any] = field(default_factory=lambda: {"stated": False})
    stated_as: str = ""


def _require_manager(actor: Membership) -> None:
    if not has_perm(actor, Perm.DIRECTORY_MANAGE):
        raise NotPermitted("You do not have permission to change the directory.")


def _validate(data: ServiceInput) -> None:
    if not data.name.strip():
        raise DomainError("Enter the service's name", field="name")
    if not DirectoryOrganisation.objects.filter(id=data.organisation_id, archived_at__isnull=True).exists():
        raise DomainError("Select the organisation that runs the service", field="organisation")
    unknown = [a for a in data.areas if a not in areas.AREAS]
    if unknown:
        raise DomainError(f"Unknown area: {', '.join(unknown)}", field="areas")
    try:
        validate_rules(data.rules)
    except RuleError as exc:
        raise DomainError(str(exc), field="rules") from exc


def _apply(service: Service, data: ServiceInput, actor: Membership) -> None:
    service.organisation_id = data.organisation_id
    service.name = data.name.strip()
    for name in ("description", "how_to_refer", "self_referral", "url", "email"):
        setattr(service, name, getattr(data, name))
    service.save()
    service.terms.set(TaxonomyTerm.objects.filter(id__in=data.term_ids))
    ServiceArea.objects.filter(service=service).exclude(area__in=data.areas).delete()
    have = set(ServiceArea.objects.filter(service=service).values_list("area", flat=True))
    for code in data.areas:
        if code not in have:
            ServiceArea.objects.create(service=service, area=code, name=areas.area_name(code))
    add_rule_version(
        service,
        rules=data.rules,
        stated_as=data.stated_as,
        source=f"Entered by {actor.user.get_full_name() or actor.user.username}, {actor.organisation.name}",
        created_by=actor.user,
    )


def service_create(*, actor: Membership, data: ServiceInput) -> Service:
    """A new service, as a draft, with its first eligibility rule set."""
    _require_manager(actor)
    _validate(data)
    with transaction.atomic():
        service = Service(organisation_id=data.organisation_id, lifecycle=Lifecycle.DRAFT, created_by=actor.user)
        _apply(service, data, actor)
        audit_record(
            actor=actor.user,
            verb=AuditVerb.CREATED,
            target=service,
            organisation=actor.organisation,
            payload={"name": service.name},
        )
    return service


def service_update(*, actor: Membership, service: Service, data: ServiceInput) -> Service:
    """Change a service. A change to its eligibility adds a rule-set version; old versions stay."""
    _require_manager(actor)
    _validate(data)
    with transaction.atomic():
        before = service.current_rules()
        _apply(service, data, actor)
        after = service.current_rules()
        audit_record(
            actor=actor.user,
            verb=AuditVerb.UPDATED,
            target=service,
            organisation=actor.organisation,
            payload={
                "name": service.name,
                "rules_version": after.version if after else None,
                "rules_changed": (before.version if before else None) != (after.version if after else None),
            },
        )
    return service


def service_review(*, actor: Membership, service: Service, today: date | None = None) -> Service:
    """Confirm the entry is still right: sets the last-reviewed date (clears the "review due" flag)."""
    _require_manager(actor)
    with transaction.atomic():
        service.last_reviewed_on = today or timezone.localdate()
        service.save(update_fields=["last_reviewed_on", "updated_at"])
        audit_record(
            actor=actor.user,
            verb=AuditVerb.UPDATED,
            target=service,
            organisation=actor.organisation,
            payload={"reviewed_on": service.last_reviewed_on.isoformat()},
        )
    return service


def _move(actor: Membership, service: Service, to: Lifecycle) -> Service:
    _require_manager(actor)
    if to not in service.allowed_moves():
        raise DomainError(f"A {service.get_lifecycle_display().lower()} service cannot be {to.label.lower()}.")
    if to == Lifecycle.PUBLISHED and service.current_rules() is None:
        raise DomainError("Add eligibility (or record that it is not stated) before publishing.")
    with transaction.atomic():
        before = service.lifecycle
        service.lifecycle = to
        if to == Lifecycle.PUBLISHED and service.last_reviewed_on is None:
            service.last_reviewed_on = timezone.localdate()
        service.save(update_fields=["lifecycle", "last_reviewed_on", "updated_at"])
        audit_record(
            actor=actor.user,
            verb=AuditVerb.STATUS_CHANGED,
            target=service,
            organisation=actor.organisation,
            payload={"from": before, "to": to.value},
        )
    return service


def service_publish(*, actor: Membership, service: Service) -> Service:
    return _move(actor, service, Lifecycle.PUBLISHED)


def service_withdraw(*, actor: Membership, service: Service) -> Service:
    return _move(actor, service, Lifecycle.WITHDRAWN)
