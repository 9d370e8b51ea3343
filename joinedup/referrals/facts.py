"""Facts about referrals for another app's figures (the programmes app's IPS fidelity: zero
exclusion). Aggregates only: no personal data."""

from __future__ import annotations

from collections.abc import Iterable
from uuid import UUID

from django.db.models import Case, Count, F, Value, When
from django.db.models.functions import Left, StrIndex, Upper

from . import statuses
from .models import Referral, ReferralStatusChange


def declines_by_partner(*, reason_codes: Iterable[str]) -> dict[UUID, int]:
    """How many times each delivery partner has handed a referral back for one of these reasons."""
    rows = (
        ReferralStatusChange.objects.filter(to_status=statuses.RETURNED, reason_code__in=list(reason_codes))
        .values("by_organisation_id")
        .annotate(n=Count("id"))
        .order_by()
    )
    return {row["by_organisation_id"]: row["n"] for row in rows}


def referrals_by_postcode_district() -> dict[str, int]:
    """How many referrals there are for people in each postcode district (the outward code, such as
    "NG18"), for the population-need page's figures by area (issue 16). Counts only."""
    postcode = F("person__postcode")
    space = StrIndex(postcode, Value(" "))
    district = Case(When(space__gt=0, then=Left(postcode, space - 1)), default=postcode)
    rows = Referral.objects.annotate(space=space).annotate(district=Upper(district)).values("district")
    return {row["district"]: row["n"] for row in rows.annotate(n=Count("id")).order_by()}
