"""The employers app's person-linked records, for the registry in `people.records`."""

from __future__ import annotations

from joinedup.people.records import OnErase, OnMerge, PersonRecord, register

from .models import ShareConsent

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
