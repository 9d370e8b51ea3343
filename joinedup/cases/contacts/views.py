from __future__ import annotations

from uuid import UUID

from django.http import HttpResponse

from joinedup.organisations.decorators import MemberRequest, require_perm
from joinedup.organisations.permissions import Perm

from ..pages import case_for_form, case_page, form_data
from . import services
from .forms import ContactForm


@require_perm(Perm.CASE_CHANGE_ORG)
def contact_new(request: MemberRequest, pk: UUID) -> HttpResponse:
    case = case_for_form(request, pk)
    return case_page(
        request,
        case,
        ContactForm(form_data(request), initial=ContactForm.quick_defaults()),
        lambda f: services.contact_record(case=case, actor=request.membership, **f.cleaned_data),
        "cases/contact_new.html",
        "Contact saved",
    )
