"""Check every received referral not yet checked for duplicates: ``python manage.py linkage_check``.

The triage page checks a referral the first time it is shown; this does the same ahead of time (for
example from a scheduled job after API or FHIR intake), through the same idempotent service. The
checks are recorded as the system (no acting user) in the audit trail.
"""

from __future__ import annotations

from django.core.management.base import BaseCommand

from joinedup.linkage.services import duplicate_check
from joinedup.referrals import statuses
from joinedup.referrals.models import Referral


class Command(BaseCommand):
    help = "Check received referrals for possible duplicate people (idempotent)."

    def add_arguments(self, parser) -> None:
        parser.add_argument("--limit", type=int, default=1000, help="at most this many referrals per run")

    def handle(self, *args, **options) -> None:
        pending = (
            Referral.objects.filter(status=statuses.RECEIVED, duplicate_check__isnull=True)
            .select_related("person")
            .order_by("created_at")[: options["limit"]]
        )
        checked = flagged = 0
        for referral in pending:
            check = duplicate_check(referral=referral, channel="command")
            checked += 1
            flagged += check.candidates.exists()
        self.stdout.write(f"Checked {checked} referral(s); {flagged} with possible duplicates")
