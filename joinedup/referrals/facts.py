"""Facts about referrals for another app's figures (the programmes app's IPS fidelity: zero
exclusion). Aggregates only: no personal data."""

from __future__ import annotations

from collections.abc import Iterable
from uuid import UUID

from django.db.models import Count

from . import statuses
from .models import ReferralStatusChange


def declines_by_partner(*, reason_codes: Iterable[str]) -> dict[UUID, int]:
    """How many times each delivery partner has handed a referral back for one of these reasons."""
    rows = (
        ReferralStatusChange.objects.filter(to_status=statuses.RETURNED, reason_code__in=list(reason_codes))
        .values("by_organisation_id")
        .annotate(n=Count("id"))
        .order_by()
    )
    return {row["by_organisation_id"]: row["n"] for row in rows}
