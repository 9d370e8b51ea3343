"""Sign-in: Django's ModelBackend, reading the user's memberships with the user."""

from __future__ import annotations

from django.contrib.auth.backends import ModelBackend
from django.contrib.auth.base_user import AbstractBaseUser

from .selectors import memberships_in_order


class MembershipBackend(ModelBackend):
    """Every signed-in request reads the user (here) and then their memberships (the acting
    membership and the switcher). This reads both in one query: the active memberships with their
    user and organisation. A user with no active membership is read as ModelBackend reads them.
    Everything else (passwords, `is_active`, the session's password hash check) is ModelBackend's
    and Django's."""

    def get_user(self, user_id: object) -> AbstractBaseUser | None:
        try:
            memberships = memberships_in_order(user=user_id)
        except (TypeError, ValueError):
            return None
        if not memberships:
            return super().get_user(user_id)
        user = memberships[0].user  # active: inactive users have no memberships read
        for membership in memberships:
            membership.user = user
        user._memberships = memberships  # read by CurrentMembershipMiddleware
        return user
