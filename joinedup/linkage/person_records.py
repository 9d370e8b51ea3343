"""Linkage's person-linked records, for the registry in `people.records`.

None of them moves on a merge: they are the evidence of how two records came to be merged, and
say which records they were at the time.
"""

from __future__ import annotations

from joinedup.people.records import OnErase, OnMerge, PersonRecord, register

from .models import DedupePair, DuplicateCandidate, DuplicateCheck, PersonMerge

_MERGE_EXPORT = (
    "survivor",
    "duplicate",
    "created_at",
    "merged_by_organisation",
    "match_probability",
    "reason",
    "reversed_at",
    "reverse_reason",
)
_MERGE_KEPT = "the merge's own record of which two records it combined, which its reversal needs"
_MERGE_ERASE = ("reason", "reverse_reason")  # free text; the rest is ids, dates and a probability

register(
    PersonRecord(
        model=DuplicateCheck,
        field="person",
        key="duplicate_checks",
        merge=OnMerge.KEEP,
        merge_reason="it records whom the model compared at the time; its referral moves with the merge",
        erase=OnErase.DELETE,
        on_their_own_pages=False,  # match evidence about other people: staff review it first
        export=("referral", "created_at", "model_version", "compared"),
    ),
    PersonRecord(
        model=DuplicateCandidate,
        field="person",
        key="duplicate_candidates",
        merge=OnMerge.KEEP,
        merge_reason="it is the evidence for the merge as it was scored (and a check names a person once)",
        erase=OnErase.DELETE,
        on_their_own_pages=False,  # match evidence about other people: staff review it first
        export=("duplicate_check", "match_probability", "levels"),
    ),
    PersonRecord(
        model=PersonMerge,
        field="survivor",
        key="merges_as_survivor",
        merge=OnMerge.KEEP,
        merge_reason=_MERGE_KEPT,
        erase=OnErase.ANONYMISE,
        anonymise=_MERGE_ERASE,
        on_their_own_pages=False,  # the merged records' details as they were: staff review them first
        export=_MERGE_EXPORT,
    ),
    PersonRecord(
        model=PersonMerge,
        field="duplicate",
        key="merges_as_duplicate",
        merge=OnMerge.KEEP,
        merge_reason=_MERGE_KEPT,
        erase=OnErase.ANONYMISE,
        anonymise=_MERGE_ERASE,
        on_their_own_pages=False,  # the merged records' details as they were: staff review them first
        export=_MERGE_EXPORT,
    ),
    *(
        PersonRecord(
            model=DedupePair,
            field=side,
            key=f"dedupe_pairs_{side[-1]}",
            merge=OnMerge.KEEP,
            merge_reason="it records which two records a deduplication run scored, as they were",
            erase=OnErase.DELETE,
            on_their_own_pages=False,  # match evidence about other people: staff review it first
            export=("run", "match_probability"),
        )
        for side in ("person_l", "person_r")
    ),
)
