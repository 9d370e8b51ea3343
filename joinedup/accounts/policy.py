"""Who must sign in with a second factor: every role that sees personal data (decision 018).

A role needs two-factor sign-in when any permission it holds shows or changes a person's record.
The rule is derived from `ROLE_PERMISSIONS`, so a new role or permission is covered without a
second list to keep. Staff of the Django admin always need it.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from joinedup.core.errors import NotPermitted
from joinedup.organisations.permissions import ROLE_PERMISSIONS, Perm, has_perm

# Permissions that show no person: aggregates, the directory of services.
NOT_PERSONAL = frozenset(
    {Perm.DASHBOARD_VIEW, Perm.DIRECTORY_GAPS_VIEW, Perm.DIRECTORY_MANAGE, Perm.EMPLOYER_VIEW, Perm.PROGRAMME_VIEW}
    | {Perm.NEED_VIEW, Perm.NEED_WRITE}  # issue 16: area figures and the business case's narrative, no person
)

TWO_FACTOR_ROLES: frozenset[str] = frozenset(
    role for role, perms in ROLE_PERMISSIONS.items() if not perms <= NOT_PERSONAL
)


def two_factor_required(user: Any, memberships: Iterable[Any]) -> bool:
    """Whether `user`, with these memberships, must have verified a second factor to go on."""
    if getattr(user, "is_staff", False) or getattr(user, "is_superuser", False):
        return True
    return any(m.role in TWO_FACTOR_ROLES and m.archived_at is None for m in memberships)


def check_manager(actor: Any) -> None:
    """Only administrators (Perm.ACCOUNT_MANAGE) read or change another user's sign-in."""
    if not has_perm(actor, Perm.ACCOUNT_MANAGE):
        raise NotPermitted("You do not have permission to manage sign-ins.")
