from __future__ import annotations

from functools import wraps

from django.contrib.auth.decorators import login_required

from joinedup.core.errors import NotPermitted
from joinedup.organisations.permissions import Perm, has_perm


def require_perm(*perms: Perm):
    """Sign-in required, and the acting membership must hold at least one of `perms`."""

    def decorator(view):
        @login_required
        @wraps(view)
        def wrapped(request, *args, **kwargs):
            if not any(has_perm(request.membership, p) for p in perms):
                raise NotPermitted("You do not have permission to see this page.")
            return view(request, *args, **kwargs)

        return wrapped

    return decorator
