"""The employers app's person-linked records, for the registry in `people.records`."""

from __future__ import annotations

from joinedup.people.records import HeldRecord, OnErase, OnMerge, PersonRecord, register, register_held

from .models import (
    AccessToWork,
    Adjustment,
    JobStartLink,
    MatchRow,
    Nomination,
    ShareConsent,
    TravelArea,
    WorkPreferences,
)

register(
    PersonRecord(
        model=ShareConsent,
        field="person",
        key="employer_consents",
        merge=OnMerge.MOVE,
        erase=OnErase.KEEP,
        erase_reason=(
            "the record of what the person agreed to share with which employer and until when is the "
            "evidence that what was shared before the erasure was shared lawfully (UK GDPR article 7(1))"
        ),
        export=(
            "employer",
            "purpose",
            "shares_contact",
            "shares_adjustments",
            "created_at",
            "expires_at",
            "withdrawn_at",
        ),
    ),
)

# What hangs off a case or a job start. Nominations and links to vacancies are ids, statuses and
# dates counted in the partnership's figures; the person's wishes for matching go whole.
register_held(
    HeldRecord(model=WorkPreferences, parent="case", erase=OnErase.DELETE),
    HeldRecord(model=TravelArea, parent="preferences", erase=OnErase.DELETE),
    # The matching table's copy (decision 030): derived, rewritten by match_table; erasure deletes it.
    HeldRecord(model=MatchRow, parent="case", erase=OnErase.DELETE),
    HeldRecord(
        model=Nomination,
        parent="case",
        erase=OnErase.KEEP,
        erase_reason="who was put forward for which vacancy and how it went (a status and dates), counted in figures",
    ),
    HeldRecord(
        model=JobStartLink,
        parent="job_start",
        erase=OnErase.KEEP,
        erase_reason="links a counted job start to its vacancy; it holds nothing but the two records",
    ),
    HeldRecord(model=Adjustment, parent="job_start", erase=OnErase.ANONYMISE, anonymise=("description",)),
    HeldRecord(
        model=AccessToWork,
        parent="job_start",
        erase=OnErase.KEEP,
        erase_reason="the application's status, dates and the elements awarded as codes, with no free text",
    ),
)
