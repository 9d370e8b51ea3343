"""People's own person-linked records, for the registry in `people.records`."""

from __future__ import annotations

from .models import Consent
from .records import OnErase, OnMerge, PersonRecord, register

register(
    PersonRecord(
        model=Consent,
        field="person",
        key="consents",
        merge=OnMerge.MOVE,
        erase=OnErase.KEEP,
        erase_reason=(
            "the record of what the person agreed to, about whom and until when, is the evidence that "
            "what was shared before the erasure was shared lawfully (UK GDPR article 7(1))"
        ),
        export=(
            "purpose",
            "given",
            "recorded_by_organisation",
            "about_organisation",
            "created_at",
            "expires_at",
            "withdrawn_at",
        ),
    ),
)
