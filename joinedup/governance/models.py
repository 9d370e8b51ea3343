"""Information governance records: the person's requests, legal holds, erasures, data-sharing
agreements and the extracts made under them."""

from __future__ import annotations

import secrets

from django.conf import settings
from django.db import models

from joinedup.core.models import BaseModel

from . import limits


class RequestKind(models.TextChoices):
    ACCESS = "access", "Subject access (a copy of everything held)"
    RECTIFICATION = "rectification", "Rectification (correct their details)"
    ERASURE = "erasure", "Erasure (delete what may be deleted)"


class RequestOutcome(models.TextChoices):
    DONE = "done", "Done"
    REFUSED = "refused", "Refused (an exemption applies)"


class RightsRequest(BaseModel):
    """A person's request under UK GDPR articles 15 to 17, tracked against its one-month deadline."""

    person = models.ForeignKey("people.Person", on_delete=models.PROTECT, related_name="+")
    kind = models.CharField(max_length=20, choices=RequestKind.choices)
    received_on = models.DateField()
    due_on = models.DateField()
    organisation = models.ForeignKey("organisations.Organisation", on_delete=models.PROTECT, related_name="+")
    description = models.TextField(max_length=limits.REQUEST_DESCRIPTION.max_length, blank=True)
    completed_at = models.DateTimeField(null=True, blank=True)
    completed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    outcome = models.CharField(max_length=20, choices=RequestOutcome.choices, blank=True)
    outcome_note = models.TextField(max_length=limits.OUTCOME_NOTE.max_length, blank=True)

    class Meta:
        ordering = ["due_on", "created_at"]
        indexes = [models.Index(fields=["completed_at", "due_on"])]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} received {self.received_on:%d %b %Y}"


class LegalHold(BaseModel):
    """While a hold is in place nothing about the person is erased, by retention or on request."""

    person = models.ForeignKey("people.Person", on_delete=models.PROTECT, related_name="+")
    reason = models.TextField(max_length=limits.HOLD_REASON.max_length)
    placed_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    lifted_at = models.DateTimeField(null=True, blank=True)
    lifted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["person", "lifted_at"])]


class ErasureTrigger(models.TextChoices):
    REQUEST = "request", "The person asked"
    RETENTION = "retention", "The retention period ended"


class Erasure(BaseModel):
    """That a person's record was erased, when, why and what was done to each kind of record."""

    person = models.OneToOneField("people.Person", on_delete=models.PROTECT, related_name="+")
    trigger = models.CharField(max_length=20, choices=ErasureTrigger.choices)
    request = models.ForeignKey(RightsRequest, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    rule = models.CharField(max_length=40, blank=True)  # with RETENTION: the rule that made the person due
    done = models.JSONField(default=dict)  # record key -> {"action": ..., "rows": n}

    class Meta:
        ordering = ["-created_at"]


def new_salt() -> str:
    return secrets.token_hex(32)


class DataSharingAgreement(BaseModel):
    """An agreement to share a pseudonymised extract with a named recipient, recorded before any extract."""

    title = models.CharField(max_length=limits.AGREEMENT_TITLE.max_length)
    recipient = models.CharField(max_length=limits.AGREEMENT_PARTIES.max_length)  # the parties receiving it
    purpose = models.TextField(max_length=limits.AGREEMENT_TEXT.max_length)
    legal_basis = models.TextField(max_length=limits.AGREEMENT_TEXT.max_length)
    fields = models.JSONField(default=list)  # extract field codes (governance.extract.FIELDS)
    starts_on = models.DateField()
    expires_on = models.DateField()
    # With SECRET_KEY, derives the agreement's own pseudonymisation key (never stored, never shown).
    salt = models.CharField(max_length=64, default=new_salt, editable=False)
    organisation = models.ForeignKey("organisations.Organisation", on_delete=models.PROTECT, related_name="+")

    class Meta:
        ordering = ["-starts_on", "title"]

    def __str__(self) -> str:
        return self.title


class ExtractRun(BaseModel):
    """One extract made under an agreement: who, when, the fields, how many rows went and were held back."""

    agreement = models.ForeignKey(DataSharingAgreement, on_delete=models.PROTECT, related_name="runs")
    file_format = models.CharField(max_length=10)
    fields = models.JSONField(default=list)
    rows = models.PositiveIntegerField()
    suppressed = models.PositiveIntegerField()
    k = models.PositiveIntegerField()

    class Meta:
        ordering = ["-created_at"]


class RetentionRun(BaseModel):
    """One enforcement of the retention periods (`manage.py retention`): what it did."""

    dry_run = models.BooleanField(default=False)
    periods = models.JSONField(default=dict)  # rule key -> days, as they were
    erased = models.PositiveIntegerField(default=0)
    held = models.PositiveIntegerField(default=0)  # people due but under a legal hold
    consents_deleted = models.PositiveIntegerField(default=0)
    audit_events_deleted = models.PositiveIntegerField(default=0)
    records = models.JSONField(default=dict)  # the employers' and programmes' rules: rule key -> rows done

    class Meta:
        ordering = ["-created_at"]
