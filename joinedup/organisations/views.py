from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect
from django.views.decorators.http import require_POST

from .middleware import SESSION_KEY
from .selectors import memberships_for_user


@login_required
@require_POST
def switch_membership(request):
    """Act as another of the user's own memberships. Ids of other users' memberships are ignored."""
    chosen = memberships_for_user(user=request.user).filter(pk=request.POST.get("membership")).first()
    if chosen is not None:
        request.session[SESSION_KEY] = str(chosen.pk)
    return redirect("home")
