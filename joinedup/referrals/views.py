from __future__ import annotations

from django.contrib import messages
from django.shortcuts import redirect, render

from joinedup.core.decorators import require_perm
from joinedup.core.errors import DomainError
from joinedup.linkage.selectors import duplicates_for_referral
from joinedup.organisations.permissions import Perm

from . import selectors, services
from .forms import AssignForm, DeclineForm, ReferralForm


@require_perm(Perm.REFERRAL_CREATE)
def referral_new(request):  # noqa: ANN001, ANN201
    form = ReferralForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            referral, _created = services.referral_create(
                actor=request.membership, data=form.to_input(), submission_key=form.cleaned_data["submission_key"]
            )
        except services.ReferralInvalid as exc:
            for field, message in exc.errors.items():
                form.add_error(field if field in form.fields else None, message)
        except DomainError as exc:
            form.add_domain_error(exc)
        else:
            return redirect("referrals:sent", pk=referral.pk)
    return render(request, "referrals/new.html", {"form": form}, status=400 if form.errors else 200)


@require_perm(Perm.REFERRAL_VIEW_ORG)
def referral_sent(request, pk):  # noqa: ANN001, ANN201
    referral = selectors.referral_for_referrer(actor=request.membership, pk=pk, audit=False)  # reference only
    return render(request, "referrals/sent.html", {"referral": referral})


@require_perm(Perm.REFERRAL_VIEW_ORG)
def referral_list(request):  # noqa: ANN001, ANN201
    referrals = selectors.referrals_made_by_org(actor=request.membership)[:200]
    return render(request, "referrals/list.html", {"referrals": referrals})


@require_perm(Perm.REFERRAL_VIEW_ORG)
def referral_detail(request, pk):  # noqa: ANN001, ANN201
    referral = selectors.referral_for_referrer(actor=request.membership, pk=pk)
    loop = selectors.referral_closed_loop(referral=referral)
    return render(request, "referrals/detail.html", {"referral": referral, "loop": loop})


@require_perm(Perm.REFERRAL_TRIAGE_ALL, Perm.REFERRAL_TRIAGE_ORG)
def triage_queue(request):  # noqa: ANN001, ANN201
    queue = selectors.triage_queue(actor=request.membership)
    return render(request, "referrals/triage_queue.html", {"queue": queue[:200], "total": queue.count()})


@require_perm(Perm.REFERRAL_TRIAGE_ALL, Perm.REFERRAL_TRIAGE_ORG)
def triage_referral(request, pk):  # noqa: ANN001, ANN201
    actor = request.membership
    # A GET is a read of the person's referral (audited); a POST is audited by the service it calls.
    referral = selectors.referral_for_triage(actor=actor, pk=pk, audit=request.method != "POST")
    partners, advisers = selectors.assignment_choices(actor=actor)
    assign = AssignForm(
        request.POST if request.POST.get("action") == "assign" else None, partners=partners, advisers=advisers
    )
    decline = DeclineForm(request.POST if request.POST.get("action") == "decline" else None)
    if request.method == "POST":
        form = assign if request.POST.get("action") == "assign" else decline
        if form.is_valid():
            try:
                if form is assign:
                    adviser = next(m.user for m in advisers if m.user_id == form.cleaned_data["adviser"])
                    services.referral_assign(
                        referral=referral,
                        actor=actor,
                        delivery_partner=form.cleaned_data["delivery_partner"],
                        adviser=adviser,
                        reason=form.cleaned_data["reason"],
                    )
                    messages.success(request, f"Referral {referral.reference} assigned")
                else:
                    services.referral_decline(referral=referral, actor=actor, reason=form.cleaned_data["reason"])
                    messages.success(request, f"Referral {referral.reference} declined")
                return redirect("referrals:triage")
            except DomainError as exc:
                form.add_domain_error(exc)
        status = 400
    else:
        status = 200
    return render(
        request,
        "referrals/triage_referral.html",
        {
            "referral": referral,
            "assign_form": assign,
            "decline_form": decline,
            "duplicates": duplicates_for_referral(actor=actor, referral=referral),
        },
        status=status,
    )
