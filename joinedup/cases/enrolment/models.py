"""The case: a person enrolled from a referral, with their adviser, stage and next step."""

from __future__ import annotations

from django.conf import settings
from django.db import models

from joinedup.core.models import BaseModel

from .. import limits
from . import stages


class Case(BaseModel):
    referral = models.OneToOneField("referrals.Referral", on_delete=models.PROTECT, related_name="case")
    person = models.ForeignKey("people.Person", on_delete=models.PROTECT, related_name="cases")
    delivery_partner = models.ForeignKey("organisations.Organisation", on_delete=models.PROTECT, related_name="cases")
    adviser = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    stage = models.CharField(max_length=20, choices=stages.CHOICES, default=stages.ENROLLED)
    enrolled_on = models.DateField()
    eligibility_evidence = models.TextField(max_length=limits.ELIGIBILITY_EVIDENCE.max_length)
    closed_on = models.DateField(null=True, blank=True)
    # The adviser's next step with the person and when the plan is next reviewed (shown on the caseload).
    next_action = models.CharField(max_length=limits.NEXT_ACTION.max_length, blank=True)
    next_review_on = models.DateField(null=True, blank=True)

    class Meta:
        ordering = ["-enrolled_on"]
        indexes = [
            models.Index(fields=["delivery_partner", "stage"]),
            models.Index(fields=["adviser", "stage"]),
            models.Index(fields=["enrolled_on"]),
            # A partner's caseload newest first, and the dashboard's starts by partner and month
            # (index-only). Measured in docs/benchmarks.md.
            models.Index(fields=["delivery_partner", "enrolled_on"]),
            # An adviser's own caseload in its order, newest first: the page of 50 and its count
            # straight from the index. Apart, the adviser and partner indexes were combined and
            # every one of the adviser's cases read and sorted (docs/benchmarks.md, fourth session).
            models.Index(fields=["delivery_partner", "adviser", "-enrolled_on", "id"], name="case_adviser_caseload"),
        ]

    def __str__(self) -> str:
        return f"Case for {self.person}"
