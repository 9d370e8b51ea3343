from __future__ import annotations

from uuid import UUID

from django.http import HttpResponse
from django.shortcuts import render

from joinedup.audit.services import list_read_audit
from joinedup.core.views import form_page
from joinedup.organisations.decorators import MemberRequest, require_perm
from joinedup.organisations.permissions import Perm

from . import selectors, services
from .forms import MergeForm, ReverseForm


@require_perm(Perm.PERSON_MERGE)
def merge_candidate(request, pk):
    """Compare a referral's person with a possible duplicate; on confirmation, merge them."""
    actor = request.membership
    candidate = selectors.candidate_for_merge(actor=actor, pk=pk, audit=request.method != "POST")
    referral = candidate.duplicate_check.referral
    return form_page(
        request,
        MergeForm(request.POST if request.method == "POST" else None),
        lambda f: services.person_merge(
            actor=actor,
            survivor=candidate.person,
            duplicate=referral.person,
            reason=f.cleaned_data["reason"],
            match_probability=candidate.match_probability,
        ),
        template="linkage/merge.html",
        context={"candidate": candidate, "referral": referral, "new": referral.person, "known": candidate.person},
        success="Records merged",
        redirect_to=lambda merge: ("linkage:merge_detail", merge.pk),
        read_audit=lambda: selectors.candidate_read_audit(actor=actor, candidate=candidate),
    )


@require_perm(Perm.PERSON_MERGE)
def merge_list(request):
    merges = list(selectors.merges(actor=request.membership)[:200])
    list_read_audit(request, "merges", shown=2 * len(merges))  # each merge names two records
    return render(request, "linkage/merge_list.html", {"merges": merges})


@require_perm(Perm.PERSON_MERGE)
def merge_detail(request, pk):
    actor = request.membership
    merge = selectors.merge_get(actor=actor, pk=pk, audit=request.method != "POST")
    return form_page(
        request,
        ReverseForm(request.POST if request.method == "POST" else None),
        lambda f: services.person_merge_reverse(actor=actor, merge=merge, reason=f.cleaned_data["reason"]),
        template="linkage/merge_detail.html",
        context={"merge": merge},
        success="Merge reversed",
        redirect_to=("linkage:merge_detail", merge.pk),
        read_audit=lambda: selectors.merge_read_audit(actor=actor, merge=merge),
    )


@require_perm(Perm.PERSON_MERGE)
def dedupe_runs(request: MemberRequest) -> HttpResponse:
    """Deduplication runs of the whole population (`manage.py linkage_dedupe`), newest first."""
    return render(request, "linkage/dedupe_runs.html", {"runs": selectors.dedupe_runs(actor=request.membership)[:50]})


@require_perm(Perm.PERSON_MERGE)
def dedupe_run(request: MemberRequest, pk: UUID) -> HttpResponse:
    """A run's most likely pairs still to review."""
    run, pairs = selectors.dedupe_pairs(actor=request.membership, run_id=pk)
    return render(request, "linkage/dedupe_run.html", {"run": run, "pairs": pairs})


@require_perm(Perm.PERSON_MERGE)
def dedupe_pair_merge(request: MemberRequest, pk: int) -> HttpResponse:
    """Compare a pair a run found; on confirmation, merge the newer record into the older."""
    actor = request.membership
    pair = selectors.dedupe_pair_get(actor=actor, pk=pk, audit=request.method != "POST")
    known, newer = sorted((pair.person_l, pair.person_r), key=lambda p: (p.created_at, str(p.pk)))
    return form_page(
        request,
        MergeForm(request.POST if request.method == "POST" else None),
        lambda f: services.person_merge(
            actor=actor,
            survivor=known,
            duplicate=newer,
            reason=f.cleaned_data["reason"],
            match_probability=pair.match_probability,
        ),
        template="linkage/dedupe_merge.html",
        context={"pair": pair, "known": known, "new": newer},
        success="Records merged",
        redirect_to=lambda merge: ("linkage:merge_detail", merge.pk),
        read_audit=lambda: selectors.dedupe_pair_read_audit(actor=actor, pair=pair, shown_as="merge comparison"),
    )
