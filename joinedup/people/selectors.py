from __future__ import annotations

from django.utils import timezone

from joinedup.organisations.models import Organisation

from .models import Consent, ConsentPurpose, Person


def consent_is_active(*, person: Person, purpose: ConsentPurpose, about: Organisation | None = None) -> bool:
    """The latest consent for this purpose (and organisation) was given, not withdrawn, not expired."""
    qs = Consent.objects.filter(person=person, purpose=purpose)
    if about is not None:
        qs = qs.filter(about_organisation=about)
    latest = qs.order_by("-created_at").first()
    if latest is None or not latest.given or latest.withdrawn_at is not None:
        return False
    return latest.expires_at is None or latest.expires_at > timezone.now()
