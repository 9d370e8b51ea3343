"""An employer's own pages (`employer.self`): their organisation, vacancies and the people put
forward to them; and the page an invited person sets their password on."""

from __future__ import annotations

from uuid import UUID

from django.contrib.auth.forms import SetPasswordForm
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render

from joinedup.core.views import form_page
from joinedup.organisations.decorators import MemberRequest, require_perm
from joinedup.organisations.permissions import Perm

from . import invitations, placement, portal, selectors
from .forms import NominationForm


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
    n = portal.nomination_for_employer(actor=request.membership, pk=pk)
    found = portal.candidate_shown(actor=request.membership, nomination=n)
    moves = placement.allowed_moves(n, actor=request.membership)
    return render(request, "employers/candidate.html", {"candidate": found, "can_update": bool(moves)})


@require_perm(Perm.EMPLOYER_SELF)
def candidate_status(request: MemberRequest, pk: UUID) -> HttpResponse:
    """The employer records how it went: interview, offer or not successful."""
    n = portal.nomination_for_employer(actor=request.membership, pk=pk)
    if request.method != "POST":
        portal.candidate_read_audit(actor=request.membership, nomination=n)  # the page shows their name
    return form_page(
        request,
        NominationForm(
            request.POST if request.method == "POST" else None,
            allowed=placement.allowed_moves(n, actor=request.membership),
        ),
        lambda f: placement.nomination_update(actor=request.membership, nomination=n, **f.cleaned_data),
        template="employers/form.html",
        context={
            "heading": f"How it went: {n.vacancy.title}",
            "caption": n.case.person.full_name,
            "intro": "Their adviser records a start or a withdrawal.",
            "back": ("employers:candidate", n.pk),
        },
        success="Updated",
        redirect_to=("employers:candidate", n.pk),
        read_audit=lambda: portal.candidate_read_audit(actor=request.membership, nomination=n),
    )


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
