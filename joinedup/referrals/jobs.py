"""Background jobs about referrals (decision 016)."""

from __future__ import annotations

from joinedup.jobs.registry import Progress, job
from joinedup.jobs.selectors import job_waiting


def duplicate_check_key(referral_id: object) -> str:
    return f"duplicate-check:{referral_id}"


def duplicate_check_waiting(*, referral_id: object) -> bool:
    """Whether the referral's duplicate check is still with the worker (queued or running)."""
    return job_waiting(key=duplicate_check_key(referral_id))


@job(label="Check whether a new referral's person is already known", max_attempts=3, backoff_seconds=30)
def referral_duplicate_check(*, referral: str, progress: Progress) -> dict[str, object]:
    """Run the duplicate check as the referral arrives (queued by `referral_create`), so the triage
    page reads what it found instead of running it. Idempotent: a referral is checked once."""
    from joinedup.linkage.services import duplicate_check

    from .models import Referral

    found = Referral.objects.select_related("person").get(pk=referral)
    check = duplicate_check(referral=found, channel="worker")
    return {"duplicate_check": str(check.pk), "compared": check.compared}
