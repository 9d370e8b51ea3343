from __future__ import annotations

from dataclasses import replace
from typing import Any

from django.core import signing
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render

from joinedup.audit.services import list_read_audit
from joinedup.core.errors import DomainError
from joinedup.core.pagination import paginate
from joinedup.core.views import form_page
from joinedup.linkage.selectors import duplicate_checked, duplicates_for_referral
from joinedup.linkage.services import duplicate_check
from joinedup.organisations.decorators import MemberRequest, require_perm
from joinedup.organisations.permissions import Perm, has_perm

from . import routes, selectors, services, statuses, throttle
from .forms import (
    AcceptForm,
    AssignForm,
    DeclineForm,
    ReferralForm,
    RouteForm,
    SelfReferralForm,
)
from .jobs import duplicate_check_waiting
from .matching import referral_matching
from .models import Referral
from .search_form import ReferralSearchForm


def _refer(request, form, *, actor, on_success, template: str, context: dict, channel: str = "web"):
    """Run a referral form: on a valid POST call `referral_create` (the one path for every route).

    `actor` is called only for a valid POST (the public form's system membership is made on first use).
    """
    status = 400
    if request.method == "POST" and form.is_valid():
        try:
            referral, _created = services.referral_create(
                actor=actor(), data=form.to_input(), submission_key=form.cleaned_data["submission_key"], channel=channel
            )
        except services.ReferralInvalid as exc:
            for field, message in exc.errors.items():
                form.add_error(field if field in form.fields else None, message)
        except DomainError as exc:
            form.add_domain_error(exc)
            status = getattr(exc, "status", 400)  # 429 when a client sent too many (throttle.py)
        else:
            return on_success(referral)
    return render(request, template, {**context, "form": form}, status=status if form.errors else 200)


@require_perm(Perm.REFERRAL_CREATE)
def referral_new(request):
    """The general referral form, with links to the forms for each route this organisation refers by."""
    form = ReferralForm(request.POST if request.method == "POST" else None)
    return _refer(
        request,
        form,
        on_success=lambda r: redirect("referrals:sent", pk=r.pk),
        template="referrals/new.html",
        actor=lambda: request.membership,
        context={"routes": routes.routes_for_kind(request.membership.organisation.kind)},
    )


@require_perm(Perm.REFERRAL_CREATE)
def referral_new_route(request, route):
    """The referral form for one route, with the questions that referrer can answer."""
    spec = routes.ROUTES.get(route)
    kind = request.membership.organisation.kind
    if spec is None or route not in routes.FORM_ROUTES or kind not in spec.kinds:
        raise Http404("No such referral route")
    form = ReferralForm(request.POST if request.method == "POST" else None, route=spec)
    return _refer(
        request,
        form,
        on_success=lambda r: redirect("referrals:sent", pk=r.pk),
        template="referrals/new.html",
        actor=lambda: request.membership,
        context={"route": spec, "routes": routes.routes_for_kind(kind)},
    )


def self_referral(request):
    """The public self-referral form: no sign-in; spam checks without third parties (see the form)."""
    form = SelfReferralForm(request.POST if request.method == "POST" else None)

    def sent(referral):
        emailed = bool(form.cleaned_data.get("notify_person"))
        token = signing.dumps({"reference": referral.reference, "emailed": emailed}, salt=_SENT_SALT)
        return redirect("self_referral_sent", token=token)

    def actor() -> Any:
        throttle.self_referral_admit(
            client=throttle.client_key(request), submission_key=form.cleaned_data["submission_key"]
        )
        return services.public_membership()

    return _refer(
        request,
        form,
        on_success=sent,
        template="referrals/self_referral.html",
        actor=actor,
        context={},
        channel="public",
    )


_SENT_SALT = "joinedup.self-referral.sent"


def self_referral_sent(request, token):
    """The confirmation: the reference only (the link is signed and lasts a day; no personal data)."""
    try:
        sent = signing.loads(token, salt=_SENT_SALT, max_age=24 * 60 * 60)
    except signing.BadSignature as exc:
        raise Http404("No such confirmation") from exc
    if not isinstance(sent, dict) or not isinstance(sent.get("reference"), str):
        raise Http404("No such confirmation")
    return render(
        request,
        "referrals/self_referral_sent.html",
        {"reference": sent["reference"], "emailed": bool(sent.get("emailed"))},
    )


@require_perm(Perm.REFERRAL_VIEW_ORG)
def referral_sent(request, pk):
    referral = selectors.referral_for_referrer(actor=request.membership, pk=pk, audit=False)  # reference only
    return render(request, "referrals/sent.html", {"referral": referral})


@require_perm(Perm.REFERRAL_VIEW_ORG)
def referral_list(request):
    page = selectors.referrals_made_page(actor=request.membership, page=request.GET.get("page"))
    list_read_audit(request, "referrals_made", shown=len(page.rows), filters={"page": request.GET.get("page")})
    loop = selectors.closed_loop_statuses(page.rows, referrer=request.membership.organisation)
    return render(request, "referrals/list.html", {"referrals": page.rows, "page": page, "said": loop})


@require_perm(Perm.REFERRAL_VIEW_ORG)
def referral_detail(request, pk):
    referral = selectors.referral_for_referrer(actor=request.membership, pk=pk)
    loop = selectors.referral_closed_loop(referral=referral)
    return render(request, "referrals/detail.html", {"referral": referral, "closed_loop": loop})


@require_perm(Perm.REFERRAL_TRIAGE_ALL, Perm.REFERRAL_TRIAGE_ORG)
def triage_queue(request):
    page = selectors.triage_queue_page(actor=request.membership, page=request.GET.get("page"))
    list_read_audit(request, "triage_queue", shown=len(page.rows), filters={"page": request.GET.get("page")})
    return render(request, "referrals/triage_queue.html", {"queue": page.rows, "total": page.total, "page": page})


@require_perm(Perm.REFERRAL_TRIAGE_ALL, Perm.REFERRAL_TRIAGE_ORG)
def triage_referral(request, pk):
    """Matching shown; route to a partner (programme manager), assign directly, or decline. A
    referral that has left the queue (routed or closed) is shown read-only: what happened."""
    referral = selectors.referral_found_by_triage(actor=request.membership, pk=pk, audit=False)
    if referral.status not in statuses.IN_TRIAGE:
        return _triage_record(request, referral)
    if request.method != "POST":  # a GET is a read of the person's referral; a POST is audited by its service
        selectors.referral_read_audit(referral, actor=request.membership)
    return _triage_decide(request, referral)


def _triage_decide(request: MemberRequest, referral: Referral) -> HttpResponse:
    actor = request.membership
    matching = referral_matching(referral=referral)
    partners, advisers = selectors.assignment_choices(actor=actor)
    action = request.POST.get("action") if request.method == "POST" else None
    can_route = has_perm(actor, Perm.REFERRAL_TRIAGE_ALL)
    route = (
        RouteForm(request.POST if action == "route" else None, partners=partners, matching=matching)
        if can_route
        else None
    )
    assign = AssignForm(request.POST if action == "assign" else None, partners=partners, advisers=advisers)
    decline = DeclineForm(request.POST if action == "decline" else None)

    def act(form) -> str:
        if form is route:
            services.referral_route(
                referral=referral,
                actor=actor,
                delivery_partner=form.cleaned_data["delivery_partner"],
                service=form.chosen_service(),
                reason=form.cleaned_data["reason"],
            )
            return f"Referral {referral.reference} sent to {form.cleaned_data['delivery_partner'].name}"
        if form is assign:
            adviser = next(m.user for m in advisers if m.user_id == form.cleaned_data["adviser"])
            services.referral_assign(
                referral=referral,
                actor=actor,
                delivery_partner=form.cleaned_data["delivery_partner"],
                adviser=adviser,
                reason=form.cleaned_data["reason"],
            )
            return f"Referral {referral.reference} assigned"
        services.referral_decline(
            referral=referral,
            actor=actor,
            reason=form.cleaned_data["reason"],
            reason_code=form.cleaned_data["reason_code"],
        )
        return f"Referral {referral.reference} declined"

    return form_page(
        request,
        {"route": route, "assign": assign, "decline": decline}.get(action) or decline,
        act,
        template="referrals/triage_referral.html",
        context=lambda: {
            "referral": referral,
            "matching": matching,
            "history": selectors.triage_history(actor=actor, referral=referral),
            "route_form": route,
            "assign_form": assign,
            "decline_form": decline,
            "duplicates": _duplicates(actor, referral),
        },
        success=lambda message: message,
        redirect_to=("referrals:triage",),
        # Shown again with the person's referral, and no service recorded anything: an audited read.
        read_audit=lambda: selectors.referral_read_audit(referral, actor=actor),
    )


def _triage_record(request: MemberRequest, referral: Referral) -> HttpResponse:
    """A referral that has left the triage queue, as triage sees it: who it went to, its status and
    history, and what the referrer sent. Nothing to decide here, so a POST changes nothing (409)."""
    selectors.referral_read_audit(referral, actor=request.membership)
    context = {
        "referral": referral,
        "history": selectors.triage_history(actor=request.membership, referral=referral),
        "posted": request.method == "POST",
    }
    return render(request, "referrals/triage_record.html", context, status=409 if request.method == "POST" else 200)


@require_perm(Perm.REFERRAL_TRIAGE_ALL, Perm.REFERRAL_TRIAGE_ORG)
def referral_search(request: MemberRequest) -> HttpResponse:
    """Every referral a triage role may see, routed and closed ones too, by name, reference, NHS
    number, status, partner and the day it was received."""
    actor = request.membership
    partners, _advisers = selectors.assignment_choices(actor=actor)
    form = ReferralSearchForm(request.GET or None, partners=partners)
    searched = bool(request.GET) and form.is_valid()
    page = None
    if searched:
        search = selectors.ReferralSearch(**form.search())
        page = selectors.referral_search_page(actor=actor, search=search, page=request.GET.get("page"))
        list_read_audit(request, "referral_search", shown=len(page.rows), filters=request.GET.dict())
    query = request.GET.copy()
    query.pop("page", None)
    context = {"form": form, "page": page, "searched": searched, "query": query.urlencode()}
    return render(request, "referrals/search.html", context, status=400 if form.errors else 200)


def _duplicates(actor, referral):
    """Read what the duplicate check found. The check runs in the background as the referral arrives
    (`referrals.jobs.referral_duplicate_check`); while its job is still waiting or running the page
    says so rather than doing the same work in the request. Only a referral with no check and no job
    on its way (one from before the worker, or whose job failed) is checked here."""
    if duplicate_checked(referral=referral):
        return duplicates_for_referral(actor=actor, referral=referral)
    if duplicate_check_waiting(referral_id=referral.pk):
        return replace(duplicates_for_referral(actor=actor, referral=referral), waiting=True)
    duplicate_check(referral=referral, actor=actor)
    return duplicates_for_referral(actor=actor, referral=referral)


@require_perm(Perm.REFERRAL_TRIAGE_ORG)
def offered_list(request):
    """Referrals the triage officer sent to the partner manager's organisation."""
    page = paginate(selectors.referrals_offered_to_partner(actor=request.membership), request.GET.get("page"))
    list_read_audit(request, "offered", shown=len(page.rows), filters={"page": request.GET.get("page")})
    return render(request, "referrals/offered_list.html", {"offered": page.rows, "total": page.total, "page": page})


@require_perm(Perm.REFERRAL_TRIAGE_ORG)
def offered_referral(request, pk):
    """The partner accepts (choosing a Personal Adviser) or declines with a declared reason."""
    actor = request.membership
    referral = selectors.referral_for_partner(actor=actor, pk=pk, audit=request.method != "POST")
    _partners, advisers = selectors.assignment_choices(actor=actor)
    advisers = [m for m in advisers if m.organisation_id == actor.organisation_id]
    action = request.POST.get("action") if request.method == "POST" else None
    accept = AcceptForm(request.POST if action == "accept" else None, advisers=advisers)
    decline = DeclineForm(request.POST if action == "decline" else None)

    def act(form) -> str:
        if form is accept:
            adviser = next(m.user for m in advisers if m.user_id == form.cleaned_data["adviser"])
            services.referral_assign(
                referral=referral, actor=actor, delivery_partner=actor.organisation, adviser=adviser
            )
            return f"Referral {referral.reference} accepted"
        services.referral_decline(
            referral=referral,
            actor=actor,
            reason=form.cleaned_data["reason"],
            reason_code=form.cleaned_data["reason_code"],
        )
        return f"Referral {referral.reference} declined and returned for re-routing"

    return form_page(
        request,
        accept if action == "accept" else decline,
        act,
        template="referrals/offered_referral.html",
        context=lambda: {
            "referral": referral,
            "match": referral_matching(referral=referral).find(referral.service_id) if referral.service_id else None,
            "accept_form": accept,
            "decline_form": decline,
        },
        success=lambda message: message,
        redirect_to=("referrals:offered",),
        # Shown again with the person's referral, and no service recorded anything: an audited read.
        read_audit=lambda: selectors.referral_read_audit(referral, actor=actor),
    )
