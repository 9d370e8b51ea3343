"""The closed loop's outbox: each message to a referrer, a person or their GP about a referral."""

from __future__ import annotations

from django.db import models

from joinedup.core.models import BaseModel
from joinedup.referrals.statuses import LOOP_LABELS


class Event(models.TextChoices):
    """The closed loop's steps that are emailed, labelled as the loop says them (`LOOP_LABELS`, the one
    source the referrer's list, the referral's page, the API and the FHIR Task read too)."""

    RECEIVED = "received", LOOP_LABELS["received"]
    ACCEPTED = "accepted", LOOP_LABELS["accepted"]
    DECLINED = "declined", LOOP_LABELS["declined"]
    ENROLLED = "enrolled", LOOP_LABELS["enrolled"]
    STARTED_WORK = "started_work", LOOP_LABELS["started_work"]


# The person's progress: told to a referrer or GP only with the person's consent to share it.
PROGRESS_EVENTS = frozenset({Event.ENROLLED, Event.STARTED_WORK})


class Recipient(models.TextChoices):
    REFERRER = "referrer", "The referrer"
    PERSON = "person", "The person referred"
    GP = "gp", "The person's GP practice"


class Channel(models.TextChoices):
    EMAIL = "email", "Email"


class Status(models.TextChoices):
    PENDING = "pending", "Waiting to be sent"
    SENDING = "sending", "Being sent"
    SENT = "sent", "Sent"
    FAILED = "failed", "Failed (will be retried)"


class NotificationAddress(BaseModel):
    """Where an organisation's closed-loop email goes when no named person made the referral
    (an API system account) or when it is told as the person's GP practice: a team inbox."""

    organisation = models.OneToOneField(
        "organisations.Organisation", on_delete=models.CASCADE, related_name="notification_address"
    )
    email = models.EmailField(max_length=254)

    def __str__(self) -> str:
        return f"{self.organisation}: {self.email}"


class Notification(BaseModel):
    """One message about one event of one referral to one recipient. Unique per referral, event and
    recipient, so a retried write or a retried send never tells anyone twice."""

    referral = models.ForeignKey("referrals.Referral", on_delete=models.CASCADE, related_name="notifications")
    event = models.CharField(max_length=20, choices=Event.choices)
    recipient = models.CharField(max_length=20, choices=Recipient.choices)
    channel = models.CharField(max_length=10, choices=Channel.choices, default=Channel.EMAIL)
    address = models.EmailField(max_length=254)
    subject = models.CharField(max_length=200)
    body = models.TextField(max_length=5000)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PENDING)
    attempts = models.PositiveSmallIntegerField(default=0)
    sent_at = models.DateTimeField(null=True, blank=True)
    last_error = models.TextField(max_length=1000, blank=True)

    class Meta:
        ordering = ["created_at"]
        constraints = [
            models.UniqueConstraint(fields=["referral", "event", "recipient"], name="one_notification_per_recipient")
        ]
        indexes = [models.Index(fields=["status", "created_at"])]

    def __str__(self) -> str:
        return f"{self.get_event_display()} to {self.get_recipient_display().lower()} ({self.get_status_display()})"
