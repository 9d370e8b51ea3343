"""The adviser's side of the person's messages (decision 022): the thread, and a reply."""

from __future__ import annotations

from uuid import UUID

from django.http import HttpResponse

from joinedup.cases.selectors import case_get, case_read_audit
from joinedup.core.views import form_page
from joinedup.organisations.decorators import MemberRequest, require_perm
from joinedup.organisations.permissions import Perm

from . import selectors, services
from .forms import ReplyForm


@require_perm(Perm.CASE_CHANGE_ORG)
def thread(request: MemberRequest, case_pk: UUID) -> HttpResponse:
    actor = request.membership
    case = case_get(actor=actor, pk=case_pk, audit=request.method != "POST")
    form = ReplyForm(request.POST if request.method == "POST" else None)
    return form_page(
        request,
        form,
        lambda f: services.adviser_reply(actor=actor, case=case, **f.cleaned_data),
        template="portal/adviser_thread.html",
        context=lambda: {
            "case": case,
            "messages_shown": selectors.messages_for_case(case=case),
            "told_by": (told_by := services.reply_channel(case.person)),
            "told_by_text": told_by == services.TEXT,
        },
        success="Reply sent. The person will get an email or text saying you replied (not what you said).",
        redirect_to=("portal_adviser:thread", case.pk),
        read_audit=lambda: case_read_audit(actor=actor, case=case),
    )
