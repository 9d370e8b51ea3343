"""Permission and audit helpers shared by the programmes services."""

from __future__ import annotations

from typing import Any
from uuid import UUID

from django.db import models

from joinedup.audit.services import audit_record
from joinedup.audit.verbs import AuditVerb
from joinedup.core.errors import DomainError, NotPermitted
from joinedup.organisations.permissions import Membership, Perm, has_perm


def require(actor: Membership, *perms: Perm) -> None:
    if not any(has_perm(actor, p) for p in perms):
        raise NotPermitted("You do not have permission to do this.")


def require_own_or_manage(actor: Membership, partner_id: UUID, perm: Perm) -> None:
    """A programme manager may act for any partner; a partner's own manager for their own."""
    if has_perm(actor, Perm.PROGRAMME_MANAGE):
        return
    if has_perm(actor, perm) and actor.organisation_id == partner_id:
        return
    raise NotPermitted("You do not have permission to do this for that delivery partner.")


def audit(
    actor: Membership, verb: AuditVerb, target: models.Model, person_id: UUID | None = None, **payload: Any
) -> None:
    audit_record(
        actor=actor.user,
        verb=verb,
        target=target,
        organisation=actor.organisation,
        person_id=person_id,
        payload={k: str(v) for k, v in payload.items()},
    )


def shares_total(shares: list[Any], what: str, field: str) -> None:
    """Shares (percentages) must add up to exactly 100."""
    total = sum(shares)
    if total != 100:
        raise DomainError(f"The {what} add up to {total:g}%: they must add up to 100%", field=field)
