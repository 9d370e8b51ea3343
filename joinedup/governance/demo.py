"""The demo's information governance (issue 17): the evaluator's data-sharing agreement and a
person's request for a copy of their record, made through the services as an administrator would.
Idempotent: an earlier run's are left as they are."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from django.utils import timezone

from joinedup.people.records import REGISTRY

from .agreements import agreement_record
from .extract import FIELDS
from .models import DataSharingAgreement, RightsRequest
from .services import rights_request_record

EVALUATOR = "University of East Anglia (the independent evaluation)"


def load_governance_demo(*, admin: Any) -> int:
    """Returns how many records it made."""
    made = 0
    today = timezone.localdate()
    if not DataSharingAgreement.objects.filter(recipient=EVALUATOR).exists():
        agreement_record(
            actor=admin,
            title="Evaluation of impact and savings",
            recipient=EVALUATOR,
            purpose="To measure the service's effect on employment and health, and what it saves",
            legal_basis=(
                "UK GDPR article 6(1)(e) and 9(2)(j), with the Data Protection Act 2018 schedule 1 part 1 paragraph 4"
            ),
            fields=list(FIELDS),
            starts_on=today,
            expires_on=today + timedelta(days=2 * 365),
        )
        made += 1
    first: Any = REGISTRY["referrals"].model._default_manager.order_by("created_at").first()
    if first is not None and not RightsRequest.objects.exists():
        rights_request_record(
            actor=admin,
            reference=first.reference,
            kind="access",
            received_on=today - timedelta(days=3),
            description="Please send me a copy of everything you hold about me.",
        )
        made += 1
    return made
