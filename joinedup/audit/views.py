from django.shortcuts import render

from joinedup.organisations.decorators import require_perm
from joinedup.organisations.permissions import Perm

from .forms import TrailSearchForm
from .selectors import audit_trail_for_reference


@require_perm(Perm.AUDIT_VIEW)
def person_trail(request):
    form = TrailSearchForm(request.GET or None)
    form.helper.form_method = "get"
    events, referral = None, None
    if form.is_valid():
        found = audit_trail_for_reference(actor=request.membership, reference=form.cleaned_data["reference"])
        if found is None:
            form.add_error("reference", "No referral has that reference")
        else:
            referral, trail = found
            events = trail[:500]
    return render(
        request,
        "audit/trail.html",
        {"form": form, "events": events, "referral": referral},
        status=400 if form.errors else 200,
    )
