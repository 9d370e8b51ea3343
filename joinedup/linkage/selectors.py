"""Reads for linkage, scoped to the acting membership. Candidate details need `person.merge`."""

from __future__ import annotations

from dataclasses import dataclass, field

from django.db.models import QuerySet

from joinedup.audit.services import audit_record
from joinedup.audit.verbs import AuditVerb
from joinedup.core.errors import NotPermitted
from joinedup.core.selectors import get_in_scope
from joinedup.organisations.models import Membership
from joinedup.organisations.permissions import Perm, has_perm
from joinedup.referrals.models import Referral

from . import services
from .models import DuplicateCandidate, PersonMerge


@dataclass(frozen=True)
class Duplicates:
    """What the triage page shows about possible duplicates of a referral's person."""

    count: int  # possible matches (probability at least SHOW_THRESHOLD) still known
    likely: int  # of which at least LIKELY_THRESHOLD
    may_see: bool  # whether the actor may see who they are (and merge)
    candidates: list[DuplicateCandidate] = field(default_factory=list)  # empty unless may_see
    merges: list[PersonMerge] = field(default_factory=list)  # merges that brought this referral here
    likely_threshold: float = services.LIKELY_THRESHOLD


def _may_triage(actor: Membership) -> bool:
    return has_perm(actor, Perm.REFERRAL_TRIAGE_ALL) or has_perm(actor, Perm.REFERRAL_TRIAGE_ORG)


def duplicates_for_referral(*, actor: Membership, referral: Referral) -> Duplicates:
    """The possible duplicates of `referral`'s person, as found by `services.duplicate_check` (none
    until it has run: the triage page runs it first).

    Triage roles see how many there are; only `person.merge` sees who (each candidate shown is a
    read of that person's record, so each is audited).
    """
    if not (_may_triage(actor) or has_perm(actor, Perm.PERSON_MERGE)):
        raise NotPermitted("You do not have permission to see possible duplicates.")
    candidates = [
        c
        for c in DuplicateCandidate.objects.filter(duplicate_check__referral=referral).select_related("person")
        if c.person.archived_at is None and c.person_id != referral.person_id
    ]
    merges = list(PersonMerge.objects.filter(survivor_id=referral.person_id, reversed_at__isnull=True))
    merges = [m for m in merges if str(referral.pk) in m.moved.get("referrals", [])]
    may_see = has_perm(actor, Perm.PERSON_MERGE)
    if may_see:
        for candidate in candidates:
            audit_record(
                actor=actor.user,
                verb=AuditVerb.VIEWED,
                target=candidate,
                organisation=actor.organisation,
                person_id=candidate.person_id,
                payload={"as": "possible duplicate", "referral": referral.reference},
            )
    return Duplicates(
        count=len(candidates),
        likely=sum(1 for c in candidates if c.match_probability >= services.LIKELY_THRESHOLD),
        may_see=may_see,
        candidates=candidates if may_see else [],
        merges=merges,
    )


def candidate_for_merge(*, actor: Membership, pk: int, audit: bool = True) -> DuplicateCandidate:
    """A candidate the actor may merge, with its referral and both people. Reading it is audited."""
    if not has_perm(actor, Perm.PERSON_MERGE):
        raise NotPermitted("You do not have permission to merge people's records.")
    qs = DuplicateCandidate.objects.select_related(
        "person", "duplicate_check__referral__person", "duplicate_check__referral__referring_organisation"
    )
    candidate = get_in_scope(qs, pk=pk)
    if audit:
        candidate_read_audit(actor=actor, candidate=candidate)
    return candidate


def candidate_read_audit(*, actor: Membership, candidate: DuplicateCandidate) -> None:
    """The comparison page shows both people: one audited read of each."""
    referral = candidate.duplicate_check.referral
    for person_id in (referral.person_id, candidate.person_id):
        audit_record(
            actor=actor.user,
            verb=AuditVerb.VIEWED,
            target=candidate,
            organisation=actor.organisation,
            person_id=person_id,
            payload={"as": "merge comparison", "referral": referral.reference},
        )


def merges(*, actor: Membership) -> QuerySet[PersonMerge]:
    if not has_perm(actor, Perm.PERSON_MERGE):
        raise NotPermitted("You do not have permission to see merges.")
    return PersonMerge.objects.select_related("survivor", "duplicate", "created_by", "reversed_by")


def merge_get(*, actor: Membership, pk: str, audit: bool = True) -> PersonMerge:
    merge = get_in_scope(merges(actor=actor), pk=pk)
    if audit:
        merge_read_audit(actor=actor, merge=merge)
    return merge


def merge_read_audit(*, actor: Membership, merge: PersonMerge) -> None:
    """The merge page shows both records: one audited read of each."""
    for person_id in (merge.survivor_id, merge.duplicate_id):
        audit_record(
            actor=actor.user,
            verb=AuditVerb.VIEWED,
            target=merge,
            organisation=actor.organisation,
            person_id=person_id,
            payload={"survivor": str(merge.survivor_id), "duplicate": str(merge.duplicate_id)},
        )
