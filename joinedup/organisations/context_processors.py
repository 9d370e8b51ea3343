from .permissions import ROLE_PERMISSIONS, Perm
from .selectors import memberships_for_user


def membership(request):  # noqa: ANN001, ANN201
    """Template context: the acting membership, its permissions (for navigation) and the others."""
    current = getattr(request, "membership", None)
    perms = {p.name.lower(): False for p in Perm}
    if current is not None:
        for p in ROLE_PERMISSIONS.get(current.role, ()):
            perms[p.name.lower()] = True
    user = getattr(request, "user", None)
    others = memberships_for_user(user=user) if user is not None and user.is_authenticated else []
    return {"membership": current, "can": perms, "memberships": others}
