"""Who may do what to an employer record: the one place the employers app checks it.

Everyone in the partnership with `employer.view` sees every employer. The owning organisation edits
(`employer.change_org`); the employer's own people (`employer.self`) keep their own record."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from joinedup.audit.services import audit_record
from joinedup.audit.verbs import AuditVerb
from joinedup.core.errors import NotPermitted
from joinedup.organisations.permissions import Perm, has_perm

if TYPE_CHECKING:
    from django.db import models

    from joinedup.organisations.permissions import Membership

    from .models import Employer


def is_own_employer(actor: Membership | None, employer: Employer) -> bool:
    return (
        actor is not None
        and has_perm(actor, Perm.EMPLOYER_SELF)
        and employer.organisation_id is not None
        and employer.organisation_id == actor.organisation_id
    )


def can_edit(actor: Membership | None, employer: Employer) -> bool:
    if actor is None:
        return False
    if has_perm(actor, Perm.EMPLOYER_CHANGE_ORG) and employer.owner_id == actor.organisation_id:
        return True
    return is_own_employer(actor, employer)


def can_invite(actor: Membership | None, employer: Employer) -> bool:
    """Only the organisation holding the relationship invites the employer's people to sign in."""
    return actor is not None and has_perm(actor, Perm.EMPLOYER_INVITE) and employer.owner_id == actor.organisation_id


def require_invite(actor: Membership, employer: Employer) -> None:
    if not can_invite(actor, employer):
        raise NotPermitted(f"Only a manager at {employer.owner.name} can invite people from this employer.")


def require_edit(actor: Membership, employer: Employer) -> None:
    if not can_edit(actor, employer):
        raise NotPermitted(f"Only {employer.owner.name}, which holds this employer relationship, can change it.")


def require_staff(actor: Membership, perm: Perm = Perm.EMPLOYER_VIEW) -> None:
    if not has_perm(actor, perm):
        raise NotPermitted("You do not have permission to do this.")


def audit(actor: Membership, verb: AuditVerb, target: models.Model, person_id: Any = None, **payload: Any) -> None:
    audit_record(
        actor=actor.user,
        verb=verb,
        target=target,
        organisation=actor.organisation,
        person_id=person_id,
        payload={
            k: (str(v) if v is not None and not isinstance(v, (bool, int, list)) else v) for k, v in payload.items()
        },
    )
