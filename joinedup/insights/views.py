from django.shortcuts import render

from joinedup.core.decorators import require_perm
from joinedup.organisations.permissions import Perm

from .selectors import dashboard


@require_perm(Perm.DASHBOARD_VIEW)
def dashboard_view(request):  # noqa: ANN001, ANN201
    return render(request, "insights/dashboard.html", {"dashboard": dashboard(actor=request.membership)})
