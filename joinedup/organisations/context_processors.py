from .permissions import ROLE_PERMISSIONS, Perm


def membership(request):
    """Template context: the acting membership, its permissions (for navigation) and the others."""
    current = getattr(request, "membership", None)
    perms = {p.name.lower(): False for p in Perm}
    if current is not None:
        for p in ROLE_PERMISSIONS.get(current.role, ()):
            perms[p.name.lower()] = True
    # Read once by the middleware with the acting membership.
    return {"membership": current, "can": perms, "memberships": getattr(request, "memberships", [])}
