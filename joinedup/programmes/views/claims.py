"""Claim batches: the list and the month's run, a batch with its claims and evidence, and the
moves: submit, reject a claim, approve or reject the batch, record payment, correct a claim."""

from __future__ import annotations

from datetime import date, timedelta
from uuid import UUID

from django.contrib import messages
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from joinedup.audit.services import list_read_audit
from joinedup.core.errors import DomainError
from joinedup.core.views import form_page
from joinedup.organisations.decorators import MemberRequest, require_perm
from joinedup.organisations.permissions import Perm, has_perm

from .. import selectors, services
from ..forms import BatchForm, ConfirmForm, CorrectionForm, PaidForm, ReasonForm
from ..models import Claim, ClaimBatch, Programme
from ..services.claims import month_start
from .common import form_data

CLAIMERS = (Perm.PROGRAMME_MANAGE, Perm.CLAIM_SUBMIT_ORG)


def _months(programme: Programme) -> list[tuple[str, str]]:
    first, last = (
        month_start(programme.starts_on),
        min(month_start(timezone.localdate()), month_start(programme.ends_on)),
    )
    out = []
    while last >= first:
        out.append((last.isoformat(), f"{last:%B %Y}"))
        last = (last - timedelta(days=1)).replace(day=1)
    return out


def _partners(request: MemberRequest, programme: Programme) -> list[tuple[str, str]]:
    contracts = programme.contracts.select_related("partner").order_by("partner__name")
    if not has_perm(request.membership, Perm.PROGRAMME_MANAGE):
        contracts = contracts.filter(partner_id=request.membership.organisation_id)
    return [(str(c.partner_id), c.partner.name) for c in contracts]


@require_perm(*CLAIMERS)
def claims(request: MemberRequest, pk: UUID) -> HttpResponse:
    programme = selectors.programme_get(actor=request.membership, pk=pk)
    form = BatchForm(form_data(request), months=_months(programme), partners=_partners(request, programme))

    def action(f: BatchForm) -> ClaimBatch:
        return services.claims_batch_generate(
            actor=request.membership,
            programme=programme,
            partner_id=UUID(f.cleaned_data["partner"]),
            month=date.fromisoformat(f.cleaned_data["month"]),
        )

    rejected: list[Claim] = []
    if has_perm(request.membership, Perm.CLAIM_SUBMIT_ORG):
        rejected = list(selectors.rejected_claims(actor=request.membership, programme=programme))
        if rejected and request.method == "GET":  # the list names the people whose claims were rejected
            list_read_audit(request, "programme_rejected_claims", shown=len(rejected), filters={"programme": pk})
    context = {
        "programme": programme,
        "batches": selectors.batches_for(actor=request.membership, programme=programme),
        "rejected": rejected,
        "can_run": has_perm(request.membership, Perm.PROGRAMME_MANAGE),
        "months": _months(programme),
    }
    return form_page(
        request,
        form,
        action,
        template="programmes/claims.html",
        context=context,
        success=lambda b: f"Claims for {b.month:%B %Y} gathered: £{b.total:,.2f}",
        redirect_to=lambda b: ("programmes:batch", programme.pk, b.pk),
    )


@require_POST
@require_perm(Perm.PROGRAMME_MANAGE)
def claim_run(request: MemberRequest, pk: UUID) -> HttpResponse:
    programme = selectors.programme_get(actor=request.membership, pk=pk)
    try:
        month = date.fromisoformat(request.POST.get("month", ""))
        batches = services.claim_run(actor=request.membership, programme=programme, month=month)
    except ValueError:
        messages.error(request, "Choose the month")
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, f"{len(batches)} draft batches made for {month:%B %Y}")
    return redirect("programmes:claims", programme.pk)


@require_perm(*CLAIMERS)
def batch_detail(request: MemberRequest, pk: UUID, batch_pk: UUID) -> HttpResponse:
    programme = selectors.programme_get(actor=request.membership, pk=pk)
    batch = selectors.batch_get(actor=request.membership, programme=programme, pk=batch_pk)
    found = list(batch.claims.select_related("participation__case__person").prefetch_related("evidence"))
    if request.method == "GET":  # the batch names each claim's participant
        list_read_audit(request, "programme_claim_batch", shown=len(found), filters={"batch": batch.pk})
    context = {
        "programme": programme,
        "batch": batch,
        "claims": found,
        "recoveries": batch.recoveries.all(),
        "reason_form": _action(ReasonForm(auto_id="reject_%s"), "reject", "Reject the claim"),
        "paid_form": _action(PaidForm(initial={"paid_on": timezone.localdate()}, auto_id="paid_%s"), "pay"),
        "manage": has_perm(request.membership, Perm.PROGRAMME_MANAGE),
        "own": has_perm(request.membership, Perm.CLAIM_SUBMIT_ORG),
    }
    if request.method == "POST":
        return _batch_move(request, programme, batch, context)
    return render(request, "programmes/batch.html", context)


def _action(form: ReasonForm | PaidForm, move: str, label: str = "") -> ReasonForm | PaidForm:
    """A batch page form posts to the page with its move in the query string."""
    form.helper.form_action = f"?move={move}"
    if label:
        form.helper.inputs[0].value = label
    return form


def _batch_move(request: MemberRequest, programme: Programme, batch: ClaimBatch, context: dict) -> HttpResponse:
    move = request.POST.get("move") or request.GET.get("move", "")
    actor = request.membership
    forms = {
        "reject": _action(ReasonForm(request.POST, auto_id="reject_%s"), "reject", "Reject the claim"),
        "pay": _action(PaidForm(request.POST, auto_id="paid_%s"), "pay"),
    }
    actions = {
        "submit": (None, lambda f: services.batch_submit(actor=actor, batch=batch), "Claim submitted"),
        "approve": (None, lambda f: services.batch_decide(actor=actor, batch=batch, approve=True), "Claim approved"),
        "reject": (
            "reject",
            lambda f: services.batch_decide(actor=actor, batch=batch, approve=False, reason=f.cleaned_data["reason"]),
            "Claim rejected",
        ),
        "pay": (
            "pay",
            lambda f: services.batch_pay(actor=actor, batch=batch, paid_on=f.cleaned_data["paid_on"]),
            "Payment recorded",
        ),
    }
    if move not in actions:
        raise Http404("No such action")
    form_key, action, success = actions[move]
    form = forms[form_key] if form_key else ConfirmForm(request.POST)
    return form_page(
        request,
        form,
        action,
        template="programmes/batch.html",
        context={**context, "reason_form": forms["reject"], "paid_form": forms["pay"]},
        success=success,
        redirect_to=("programmes:batch", programme.pk, batch.pk),
    )


@require_perm(Perm.PROGRAMME_MANAGE)
def claim_reject(request: MemberRequest, pk: UUID, batch_pk: UUID, claim_pk: UUID) -> HttpResponse:
    programme = selectors.programme_get(actor=request.membership, pk=pk)
    batch = selectors.batch_get(actor=request.membership, programme=programme, pk=batch_pk)
    claim = batch.claims.filter(pk=claim_pk).first()
    if claim is None:
        raise Http404("No such claim")
    return form_page(
        request,
        ReasonForm(form_data(request)),
        lambda f: services.claim_reject(actor=request.membership, claim=claim, reason=f.cleaned_data["reason"]),
        template="programmes/form.html",
        context={
            "title": f"Reject the {claim.get_outcome_display().lower()} claim",
            "caption": f"{batch.partner.name}, {batch.month:%B %Y}",
            "back": ("programmes:batch", (programme.pk, batch.pk)),
        },
        success="Claim rejected",
        redirect_to=("programmes:batch", programme.pk, batch.pk),
    )


@require_perm(Perm.CLAIM_SUBMIT_ORG)
def claim_correct(request: MemberRequest, pk: UUID, claim_pk: UUID) -> HttpResponse:
    programme = selectors.programme_get(actor=request.membership, pk=pk)
    claim = selectors.rejected_claims(actor=request.membership, programme=programme).filter(pk=claim_pk).first()
    if claim is None:
        raise Http404("No such claim")
    return form_page(
        request,
        CorrectionForm(form_data(request)),
        lambda f: services.claim_correct(
            actor=request.membership, claim=claim, correction=f.cleaned_data["correction"]
        ),
        template="programmes/form.html",
        context={
            "title": f"Correct the {claim.get_outcome_display().lower()} claim",
            "caption": f"Rejected: {claim.rejected_reason}",
            "back": ("programmes:claims", (programme.pk,)),
        },
        success="Claim corrected: it goes in your next batch",
        redirect_to=("programmes:claims", programme.pk),
    )
