"""Cases' person-linked records, for the registry in `people.records`."""

from __future__ import annotations

from joinedup.people.records import OnErase, OnMerge, PersonRecord, register

from .models import Case

register(
    PersonRecord(
        model=Case,
        field="person",
        key="cases",
        merge=OnMerge.MOVE,
        # The adviser's free text goes; the stage and dates stay for the programme's starts and outcomes.
        erase=OnErase.ANONYMISE,
        anonymise=("eligibility_evidence", "next_action"),
        export=(
            "referral",
            "delivery_partner",
            "adviser",
            "stage",
            "enrolled_on",
            "eligibility_evidence",
            "next_action",
            "next_review_on",
            "closed_on",
        ),
    ),
)
