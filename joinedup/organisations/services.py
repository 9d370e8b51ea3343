from __future__ import annotations

from joinedup.core.errors import DomainError

from .models import Membership, Organisation, Role
from .permissions import ROLE_ORGANISATION_KINDS


def validate_role_for_organisation(*, role: str, organisation: Organisation) -> None:
    """A role only makes sense in some kinds of organisation (a Personal Adviser in a delivery partner)."""
    if organisation.kind not in ROLE_ORGANISATION_KINDS.get(role, frozenset()):
        raise DomainError(
            f"A {Role(role).label.lower()} cannot belong to a {organisation.get_kind_display().lower()}.",
            field="role",
        )


def membership_add(*, user, organisation: Organisation, role: str) -> Membership:
    """Give `user` a role in `organisation` (idempotent)."""
    validate_role_for_organisation(role=role, organisation=organisation)
    membership, _ = Membership.objects.get_or_create(user=user, organisation=organisation, role=role)
    return membership
