"""Starts, job entries and sustained jobs by the participant's local authority, every programme
together, for the population-need page (issue 16). Counts only: no personal data."""

from __future__ import annotations

from django.db.models import Count, Q

from joinedup.organisations.permissions import Membership, Perm

from ..checks import require
from ..models import Participation


def outcomes_by_area(*, actor: Membership) -> dict[str, dict[str, int]]:
    """{directory area code ("" when not known): {"starts": n, "job_entries": n, "sustained": n}}."""
    require(actor, Perm.PROGRAMME_VIEW)
    rows = (
        Participation.objects.values("local_authority")
        .annotate(
            n_starts=Count("id"),
            n_job_entries=Count("id", filter=Q(first_job_on__isnull=False)),
            n_sustained=Count("id", filter=Q(sustained_on__isnull=False)),
        )
        .order_by()
    )
    return {
        r["local_authority"]: {
            "starts": r["n_starts"],
            "job_entries": r["n_job_entries"],
            "sustained": r["n_sustained"],
        }
        for r in rows
    }
