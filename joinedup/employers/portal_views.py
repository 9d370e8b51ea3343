"""An employer's own pages (`employer.self`): their organisation, vacancies and the people put
forward to them; and the page an invited person sets their password on."""

from __future__ import annotations

from uuid import UUID

from django.contrib.auth.forms import SetPasswordForm
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render

from joinedup.organisations.decorators import MemberRequest, require_perm
from joinedup.organisations.permissions import Perm

from . import invitations, portal, selectors


@require_perm(Perm.EMPLOYER_SELF)
def home(request: MemberRequest) -> HttpResponse:
    employer = selectors.employer_for_member(actor=request.membership)
    candidates = portal.candidates_for_employer(actor=request.membership)
    vacancies = list(employer.vacancies.select_related("site"))
    return render(
        request, "employers/portal.html", {"employer": employer, "candidates": candidates, "vacancies": vacancies}
    )


@require_perm(Perm.EMPLOYER_SELF)
def candidate(request: MemberRequest, pk: UUID) -> HttpResponse:
    found = portal.candidate_for_employer(actor=request.membership, pk=pk)
    return render(request, "employers/candidate.html", {"candidate": found})


def invitation(request: HttpRequest, uidb64: str, token: str) -> HttpResponse:
    user = invitations.invited_user(uidb64, token)
    if user is None:
        return render(request, "employers/invitation.html", {"invalid": True}, status=400)
    form = SetPasswordForm(user, request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        form.save()
        return redirect("login")
    status = 400 if request.method == "POST" else 200
    return render(request, "employers/invitation.html", {"form": form}, status=status)
