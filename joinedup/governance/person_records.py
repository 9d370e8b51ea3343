"""Governance's person-linked records, for the registry in `people.records`."""

from __future__ import annotations

from joinedup.people.records import OnErase, OnMerge, PersonRecord, register

from .models import Erasure, LegalHold, RightsRequest

register(
    PersonRecord(
        model=RightsRequest,
        field="person",
        key="rights_requests",
        merge=OnMerge.MOVE,
        # The request and when it was answered stay, as the evidence that it was answered in time;
        # what the person wrote goes.
        erase=OnErase.ANONYMISE,
        anonymise=("description", "outcome_note"),
        on_their_own_pages=False,  # the outcome note may name the exemption staff relied on
        export=("kind", "received_on", "due_on", "description", "completed_at", "outcome", "outcome_note"),
    ),
    PersonRecord(
        model=LegalHold,
        field="person",
        key="legal_holds",
        merge=OnMerge.MOVE,
        # An erasure never runs while a hold is in place, so only lifted holds are ever deleted.
        erase=OnErase.DELETE,
        export=("reason", "created_at", "lifted_at"),
        on_their_own_pages=False,  # a hold's reason may be an investigation the person must not be tipped off about
    ),
    PersonRecord(
        model=Erasure,
        field="person",
        key="erasures",
        merge=OnMerge.REFUSE,
        merge_reason="an erased record is not merged: its details are gone",
        erase=OnErase.KEEP,
        erase_reason=(
            "the record that the erasure was done, when and how (UK GDPR article 5(2), accountability); "
            "it names no one once the person's details are gone"
        ),
        export=("trigger", "created_at", "rule", "done"),
    ),
)
