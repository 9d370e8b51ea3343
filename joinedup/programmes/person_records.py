"""Programmes' records held with a person's case, for the registry in `people.records`.

A participant's ESF data, job entries and claims are what the funder requires to be kept (the grant
agreement's audit: UK GDPR article 17(3)(b)): coded characteristics, dates and amounts stay, so the
returns and claims still add up; what anyone wrote in words goes.
"""

from __future__ import annotations

from joinedup.people.records import HeldRecord, OnErase, register_held

from .models import Claim, ClaimEvidence, Course, Expense, JobEntry, Participation

_FUNDER = "the ESF participant data and outcomes the funder requires to be kept, as codes, dates and amounts"

register_held(
    HeldRecord(model=Participation, parent="case", erase=OnErase.KEEP, erase_reason=_FUNDER),
    HeldRecord(model=Course, parent="participation", erase=OnErase.KEEP, erase_reason=_FUNDER),
    HeldRecord(model=JobEntry, parent="participation", erase=OnErase.ANONYMISE, anonymise=("withdrawn_reason",)),
    HeldRecord(model=Expense, parent="participation", erase=OnErase.ANONYMISE, anonymise=("note",)),
    HeldRecord(
        model=Claim,
        parent="participation",
        erase=OnErase.ANONYMISE,
        anonymise=("rejected_reason", "correction", "reversed_reason"),
    ),
    HeldRecord(model=ClaimEvidence, parent="claim", erase=OnErase.ANONYMISE, anonymise=("described", "document_note")),
)
