from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import TYPE_CHECKING, Any

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse

from joinedup.core.errors import NotPermitted
from joinedup.organisations.permissions import Perm, has_perm

if TYPE_CHECKING:
    from django.contrib.auth.models import User

    from joinedup.organisations.models import Membership

View = Callable[..., HttpResponse]


class MemberRequest(HttpRequest):
    """For type checking only: the request a `require_perm` view gets. The user is signed in and
    CurrentMembershipMiddleware has put the acting membership (which holds the permission) on it."""

    user: User
    membership: Membership
    memberships: list[Membership]


def require_perm(*perms: Perm) -> Callable[[View], View]:
    """Sign-in required, and the acting membership must hold at least one of `perms`."""

    def decorator(view: View) -> View:
        @login_required
        @wraps(view)
        def wrapped(request: MemberRequest, *args: Any, **kwargs: Any) -> HttpResponse:
            if not any(has_perm(request.membership, p) for p in perms):
                raise NotPermitted("You do not have permission to see this page.")
            return view(request, *args, **kwargs)

        return wrapped

    return decorator
