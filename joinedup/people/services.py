from __future__ import annotations

from joinedup.organisations.models import Organisation

from .models import Consent, ConsentPurpose, Person


def consent_record(
    *,
    person: Person,
    purpose: ConsentPurpose,
    given: bool,
    recorded_by,  # noqa: ANN001 - User
    recorded_by_organisation: Organisation,
    about_organisation: Organisation | None = None,
) -> Consent:
    """Record a consent decision. Called inside the caller's transaction; the caller audits."""
    return Consent.objects.create(
        person=person,
        purpose=purpose,
        given=given,
        created_by=recorded_by,
        recorded_by_organisation=recorded_by_organisation,
        about_organisation=about_organisation,
    )
