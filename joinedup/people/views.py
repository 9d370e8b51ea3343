from __future__ import annotations

from django.contrib import messages
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from joinedup.cases.selectors import case_get, case_read_audit
from joinedup.core.errors import DomainError
from joinedup.core.views import form_page
from joinedup.organisations.decorators import require_perm
from joinedup.organisations.permissions import Perm

from . import selectors, services
from .forms import ConsentForm


def _context(case) -> dict:
    return {
        "case": case,
        "consents": selectors.consents_for_person(person=case.person),
        "withdrawable": [str(p) for p in services.ADVISER_PURPOSES],
    }


@require_perm(Perm.CASE_CHANGE_ORG)
def consent(request, case_pk):
    """The person's consent decisions, and a form to record a new one (GET is an audited read)."""
    actor = request.membership
    case = case_get(actor=actor, pk=case_pk, audit=request.method != "POST")
    form = ConsentForm(
        request.POST if request.method == "POST" else None, referrer=case.referral.referring_organisation
    )
    return form_page(
        request,
        form,
        lambda f: services.consent_record(actor=actor, person=case.person, **f.service_arguments()),
        template="people/consent.html",
        context=_context(case),
        success="Consent saved",
        redirect_to=("people:consent", case.pk),
        read_audit=lambda: case_read_audit(actor=actor, case=case),
    )


@require_POST
@require_perm(Perm.CASE_CHANGE_ORG)
def consent_withdraw(request, case_pk, consent_pk):
    actor = request.membership
    case = case_get(actor=actor, pk=case_pk, audit=False)
    record = selectors.consent_for_person(person=case.person, pk=consent_pk)
    try:
        services.consent_withdraw(consent=record, actor=actor)
    except DomainError as exc:
        case_read_audit(actor=actor, case=case)  # the page is shown again, nothing recorded
        form = ConsentForm(referrer=case.referral.referring_organisation)
        context = {**_context(case), "form": form, "withdraw_error": exc.message}
        return render(request, "people/consent.html", context, status=400)
    messages.success(request, f"Consent withdrawn: {record.get_purpose_display().lower()}")
    return redirect("people:consent", case.pk)
