"""Writes for the directory: import and export of ORUK feeds, and editing by directory managers.

Every write runs in one transaction and writes one audit event (joinedup.audit.services.audit_record).
Importing lives in imports.py (reading and recording the run), feed_check.py (every problem with a
feed) and feed_writer.py (writing a checked feed); its public names are re-exported here.
"""

from __future__ import annotations

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

from . import areas, oruk
from .eligibility import RuleError, validate_rules
from .imports import MAX_FEED_BYTES, ImportReport, oruk_import
from .models import DirectoryOrganisation, Lifecycle, Service, ServiceArea, TaxonomyTerm
from .rules import add_rule_version
from .search import index_services
from .selectors import published_services, taxonomies

__all__ = [
    "MAX_FEED_BYTES",
    "ImportReport",
    "ServiceInput",
    "oruk_export",
    "oruk_import",
    "service_create",
    "service_publish",
    "service_review",
    "service_update",
    "service_withdraw",
]


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
    index_services([service.pk])


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
