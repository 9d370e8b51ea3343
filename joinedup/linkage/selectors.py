"""Reads for linkage, scoped to the acting membership. Candidate details need `person.merge`."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

import pyarrow as pa
from django.db.models import Exists, OuterRef, Q, QuerySet

from joinedup.audit.services import audit_record
from joinedup.audit.verbs import AuditVerb
from joinedup.cases.models import Case
from joinedup.core.errors import NotPermitted
from joinedup.core.selectors import get_in_scope
from joinedup.organisations.models import Membership
from joinedup.organisations.permissions import Perm, has_perm
from joinedup.people.models import Person
from joinedup.referrals import statuses
from joinedup.referrals.models import Referral

from .models import DedupePair, DedupeRun, DuplicateCandidate, DuplicateCheck, PersonMerge
from .names import normalise_ni_number, postcode_parts

SHOW_THRESHOLD = 0.5
LIKELY_THRESHOLD = 0.9
MAX_COMPARED = 2000  # known people passed to the model for one referral (blocking keeps it far below)
_OPEN_STATUSES = [code for code, s in statuses.REGISTRY.items() if not s.closes]


def known_people() -> QuerySet[Person]:
    """People already known to the partnership: an open referral or an open case, not merged away."""
    open_referral = Referral.objects.filter(person=OuterRef("pk"), status__in=_OPEN_STATUSES)
    open_case = Case.objects.filter(person=OuterRef("pk"), closed_on__isnull=True)
    return Person.objects.filter(Exists(open_referral) | Exists(open_case), archived_at__isnull=True)


def _swapped(dob: date) -> date | None:
    if dob.day <= 12 and dob.day != dob.month:
        return date(dob.year, dob.day, dob.month)
    return None


def blocked_candidates(person: Person) -> QuerySet[Person]:
    """Known people sharing something the model blocks on (`engine.BLOCKING_RULES`), in SQL."""
    rule = Q(date_of_birth=person.date_of_birth) | Q(postcode=person.postcode)
    if swapped := _swapped(person.date_of_birth):
        rule |= Q(date_of_birth=swapped)
    if person.nhs_number:
        rule |= Q(nhs_number=person.nhs_number)
    if ni := normalise_ni_number(person.national_insurance_number):
        rule |= Q(national_insurance_number=ni)
    family, given = person.family_name.strip(), person.given_name.strip()
    district, _ = postcode_parts(person.postcode)
    if family and district:
        rule |= Q(family_name__iexact=family, postcode__startswith=f"{district} ")
    if family and given:
        rule |= Q(family_name__iexact=family, given_name__istartswith=given[:1])
        rule |= Q(family_name__iexact=given, given_name__iexact=family)
    # Two queries, not one: the blocking filter alone is a cheap scan, while folding the "known"
    # subqueries into it makes PostgreSQL's planner overestimate the cost and JIT-compile the
    # query, which took 180 of 220 ms at 100,000 people (docs/benchmarks.md).
    ids = list(
        Person.objects.filter(rule, archived_at__isnull=True)
        .exclude(pk=person.pk)
        .values_list("pk", flat=True)[: MAX_COMPARED * 2]
    )
    return known_people().filter(pk__in=ids)


@dataclass(frozen=True)
class Duplicates:
    """What the triage page shows about possible duplicates of a referral's person."""

    count: int  # possible matches (probability at least SHOW_THRESHOLD) still known
    likely: int  # of which at least LIKELY_THRESHOLD
    may_see: bool  # whether the actor may see who they are (and merge)
    candidates: list[DuplicateCandidate] = field(default_factory=list)  # empty unless may_see
    merges: list[PersonMerge] = field(default_factory=list)  # merges that brought this referral here
    likely_threshold: float = LIKELY_THRESHOLD
    waiting: bool = False  # the check has not run yet: the background worker is still to do it


def duplicate_checked(*, referral: Referral) -> bool:
    """Whether `services.duplicate_check` has run for `referral` (one indexed query)."""
    return DuplicateCheck.objects.filter(referral=referral).exists()


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
        likely=sum(1 for c in candidates if c.match_probability >= LIKELY_THRESHOLD),
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


# Issue 19: deduplicating the whole population (population.py, manage.py linkage_dedupe).
_POPULATION_FIELDS = (
    "pk",
    "given_name",
    "family_name",
    "date_of_birth",
    "postcode",
    "nhs_number",
    "national_insurance_number",
)


def population_table(*, batch: int = 50_000) -> pa.Table:
    """Every person not merged away, as the model's records (`engine.to_table`), read in batches.

    For the system's deduplication run (no acting user: the run's audit event records it)."""
    from . import engine

    rows = Person.objects.filter(archived_at__isnull=True).order_by().values_list(*_POPULATION_FIELDS)
    records = (
        engine.record(
            unique_id=pk,
            given_name=given,
            family_name=family,
            date_of_birth=dob,
            postcode=postcode,
            nhs_number=nhs,
            national_insurance_number=ni,
        )
        for pk, given, family, dob, postcode, nhs, ni in rows.iterator(chunk_size=batch)
    )
    return engine.to_table(records)


def _require_review(actor: Membership) -> None:
    if not has_perm(actor, Perm.PERSON_MERGE):
        raise NotPermitted("You do not have permission to review possible duplicates.")


def dedupe_runs(*, actor: Membership) -> QuerySet[DedupeRun]:
    """The deduplication runs, newest first (counts only: no personal data)."""
    _require_review(actor)
    return DedupeRun.objects.all()


def dedupe_pairs(*, actor: Membership, run_id: object, limit: int = 50) -> tuple[DedupeRun, list[DedupePair]]:
    """A run and its `limit` most likely pairs whose people are both still unmerged. Each person
    shown is a read of their record, so each is audited."""
    run = get_in_scope(dedupe_runs(actor=actor), pk=run_id)
    pairs = list(
        run.found.filter(person_l__archived_at__isnull=True, person_r__archived_at__isnull=True).select_related(
            "person_l", "person_r"
        )[:limit]
    )
    for pair in pairs:
        dedupe_pair_read_audit(actor=actor, pair=pair, shown_as="deduplication run")
    return run, pairs


def dedupe_pair_get(*, actor: Membership, pk: object, audit: bool = True) -> DedupePair:
    """One pair to compare (both people shown: two audited reads)."""
    _require_review(actor)
    pair = get_in_scope(DedupePair.objects.select_related("run", "person_l", "person_r"), pk=pk)
    if audit:
        dedupe_pair_read_audit(actor=actor, pair=pair, shown_as="merge comparison")
    return pair


def dedupe_pair_read_audit(*, actor: Membership, pair: DedupePair, shown_as: str) -> None:
    for person_id in (pair.person_l_id, pair.person_r_id):
        audit_record(
            actor=actor.user,
            verb=AuditVerb.VIEWED,
            target=pair,
            organisation=actor.organisation,
            person_id=person_id,
            payload={"as": shown_as, "run": str(pair.run_id)},
        )
