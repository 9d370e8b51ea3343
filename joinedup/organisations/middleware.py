"""Puts the acting membership (organisation and role), chosen in the session, and all the user's
memberships (for switching) on the request."""

from __future__ import annotations

from .selectors import memberships_for_session

SESSION_KEY = "membership_id"


class CurrentMembershipMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        request.membership, request.memberships = None, []
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            request.membership, request.memberships = memberships_for_session(
                user=user, membership_id=request.session.get(SESSION_KEY)
            )
        return self.get_response(request)
