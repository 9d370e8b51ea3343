"""Payment-by-results claims with their evidence, gathered into monthly batches per partner."""

from __future__ import annotations

from django.conf import settings
from django.db import models

from joinedup.core.models import BaseModel

from .. import limits
from ..choices import BatchStatus, ClaimStatus, Outcome
from .participant import JobEntry, Participation
from .programme import Programme, money


class ClaimBatch(BaseModel):
    """A partner's claims for a month: draft -> submitted -> approved or rejected -> paid. `total` is
    the sum of its claims (delivery fee included), kept by the services that change them."""

    programme = models.ForeignKey(Programme, on_delete=models.PROTECT, related_name="batches")
    partner = models.ForeignKey("organisations.Organisation", on_delete=models.PROTECT, related_name="+")
    month = models.DateField()  # the first day of the month claimed for
    status = models.CharField(max_length=20, choices=BatchStatus.choices, default=BatchStatus.DRAFT)
    delivery_fee = money(default=0)
    total = money(default=0)
    reason = models.TextField(max_length=limits.REASON.max_length, blank=True)
    submitted_at = models.DateTimeField(null=True, blank=True)
    decided_at = models.DateTimeField(null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    paid_on = models.DateField(null=True, blank=True)

    class Meta:
        ordering = ["-month", "created_at"]
        constraints = [
            # A rejected batch may be made again for the month, once its claims are corrected.
            models.UniqueConstraint(
                fields=["programme", "partner", "month"],
                condition=~models.Q(status=BatchStatus.REJECTED),
                name="claim_batch_month_unique",
            ),
        ]


class Claim(BaseModel):
    """One outcome of one participant: at most one live claim per outcome per participation (a
    reversed claim does not count, so a later job start can be claimed instead)."""

    programme = models.ForeignKey(Programme, on_delete=models.PROTECT, related_name="claims")
    participation = models.ForeignKey(Participation, on_delete=models.CASCADE, related_name="claims")
    partner = models.ForeignKey("organisations.Organisation", on_delete=models.PROTECT, related_name="+")
    outcome = models.CharField(max_length=20, choices=Outcome.choices)
    amount = money()
    achieved_on = models.DateField()
    job_entry = models.ForeignKey(JobEntry, null=True, blank=True, on_delete=models.CASCADE, related_name="claims")
    status = models.CharField(max_length=20, choices=ClaimStatus.choices, default=ClaimStatus.PENDING)
    batch = models.ForeignKey(ClaimBatch, null=True, blank=True, on_delete=models.SET_NULL, related_name="claims")
    rejected_reason = models.TextField(max_length=limits.REASON.max_length, blank=True)
    correction = models.TextField(max_length=limits.NOTE.max_length, blank=True)
    reversed_at = models.DateTimeField(null=True, blank=True)
    reversed_reason = models.TextField(max_length=limits.REASON.max_length, blank=True)
    # A claim reversed after it was paid is recovered: taken off the partner's next batch.
    recovered_in = models.ForeignKey(
        ClaimBatch, null=True, blank=True, on_delete=models.SET_NULL, related_name="recoveries"
    )

    class Meta:
        ordering = ["achieved_on", "outcome"]
        constraints = [
            models.UniqueConstraint(
                fields=["participation", "outcome"],
                condition=models.Q(reversed_at__isnull=True),
                name="claim_one_live_per_outcome",
            ),
        ]
        indexes = [
            models.Index(fields=["programme", "partner", "status", "achieved_on"], name="claim_run"),
        ]


class ClaimEvidence(BaseModel):
    """A record that proves a claim (the enrolment, the job start, the in-work milestone) and the
    evidence noted on it."""

    claim = models.ForeignKey(Claim, on_delete=models.CASCADE, related_name="evidence")
    kind = models.CharField(max_length=20)  # "enrolment", "job_start", "sustainment"
    record_id = models.UUIDField()
    happened_on = models.DateField()
    described = models.CharField(max_length=300)
    document_note = models.TextField(blank=True)

    class Meta:
        ordering = ["happened_on", "kind"]
