from __future__ import annotations

from typing import Any

from joinedup.core.errors import DomainError

from .models import Membership, Organisation, OrganisationKind, Role
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


def employer_membership_create(*, user: object, employer_name: str, organisation_id: Any = None) -> Membership:
    """The employer role for `user` in the employer's organisation (kind employer), made with the
    employer's name on the first invitation (a suffix when another organisation has that name)."""
    if organisation_id is not None:
        organisation = Organisation.objects.get(pk=organisation_id)
    else:
        name, n = employer_name[:180], 1
        while Organisation.objects.filter(name=name).exists():
            n += 1
            name = f"{employer_name[:180]} (employer {n})"
        organisation = Organisation.objects.create(name=name, kind=OrganisationKind.EMPLOYER)
    return membership_add(user=user, organisation=organisation, role=Role.EMPLOYER)
