"""The closed loop: tell the referrer, the person (if they asked) and their GP (if they agreed).

Two steps. `referral_event` is called by the referral and case services inside their own transaction:
it decides who may be told (consent as it stands now), stores one pending `Notification` per
recipient (unique per referral, event and recipient, so a retry adds nothing) and puts one background
job per notification on the queue in the same transaction (`notification_deliver`, keyed by the
notification: enqueued twice, it is one job). The worker runs `notifications_send` for it, which sends
through Django's email framework (console in development, locmem in tests, GOV.UK Notify in
production: `backends.py`) and marks it sent (audited NOTIFIED) or failed (the error kept on the
record); a failed send fails the job, which the queue retries with backoff (`manage.py
notifications_send` still sends whatever is waiting). Sending never breaks the write that caused it.
"""

from __future__ import annotations

import logging
import uuid
from collections.abc import Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.conf import settings
from django.core.mail import EmailMessage, get_connection
from django.db import IntegrityError, transaction
from django.db.models import F, Q
from django.utils import timezone

from joinedup.audit.services import audit_record
from joinedup.audit.verbs import AuditVerb
from joinedup.core.urls import reverse
from joinedup.jobs.registry import Progress, job
from joinedup.people.choices import ConsentPurpose
from joinedup.people.selectors import consent_is_active, gp_practice_sharing, progress_shared_with
from joinedup.referrals.statuses import LOOP_LABELS

from .models import PROGRESS_EVENTS, Event, Notification, NotificationAddress, Recipient, Status

if TYPE_CHECKING:
    from joinedup.referrals.models import Referral

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class Planned:
    recipient: Recipient
    address: str
    subject: str
    body: str


def referral_event(*, referral: Referral, event: Event | str, reason: str = "") -> list[Notification]:
    """Hook for the referral and case services: record who is told of `event`; the worker sends it.

    Never raises: a fault here is logged and the caller's write goes ahead (a savepoint keeps the
    caller's transaction usable on PostgreSQL).
    """
    event = Event(event)
    try:
        with transaction.atomic():
            created = [n for n in (_store(referral, event, p) for p in _plan(referral, event, reason)) if n]
            for notification in created:
                notification_deliver.enqueue(key=f"notification:{notification.pk}", notification=notification.pk)
    except Exception:
        logger.exception("Could not record the %s notifications for referral %s", event, referral.pk)
        return []
    return created


def _store(referral: Referral, event: Event, planned: Planned) -> Notification | None:
    if Notification.objects.filter(referral=referral, event=event, recipient=planned.recipient).exists():
        return None
    try:
        with transaction.atomic():
            return Notification.objects.create(
                referral=referral,
                event=event,
                recipient=planned.recipient,
                address=planned.address,
                subject=planned.subject[:200],
                body=planned.body[:5000],
            )
    except IntegrityError:  # another request stored it first
        return None


def _org_address(organisation) -> str:
    found = NotificationAddress.objects.filter(organisation=organisation).values_list("email", flat=True).first()
    return found or ""


def _plan(referral: Referral, event: Event, reason: str) -> list[Planned]:
    person = referral.person
    referrer_org = referral.referring_organisation
    partner = referral.delivery_partner.name if referral.delivery_partner_id else "The delivery partner"
    ref = referral.reference
    link = settings.SITE_URL.rstrip("/") + reverse("referrals:detail", args=[referral.pk])
    planned: list[Planned] = []

    # The referrer: routing always (it is about their referral); progress only with consent.
    if event not in PROGRESS_EVENTS or progress_shared_with(person=person, organisation=referrer_org):
        address = (referral.created_by.email if referral.created_by_id else "") or _org_address(referrer_org)
        if address:
            subject, body = _referrer_text(event, ref=ref, partner=partner, reason=reason)
            # The status as the referrer's list, the referral's page, the API and the FHIR Task say it.
            status = f"Status: {LOOP_LABELS[event.value]}"
            planned.append(
                Planned(Recipient.REFERRER, address, subject, f"{body}\n\n{status}\n\nSee what has happened: {link}")
            )

    # The person: only if they asked to be told, and we have their email.
    if person.email and consent_is_active(person=person, purpose=ConsentPurpose.NOTIFY_PERSON):
        subject, body = _person_text(event, ref=ref, partner=partner, reason=reason)
        planned.append(Planned(Recipient.PERSON, person.email, subject, body))

    # Their GP practice: progress only, only with consent to share with that GP, not twice to a GP referrer.
    if event in PROGRESS_EVENTS:
        gp = gp_practice_sharing(person=person)
        if gp is not None and gp.pk != referrer_org.pk:
            address = _org_address(gp)
            if address:
                what = "has started support" if event == Event.ENROLLED else "has started work"
                planned.append(
                    Planned(
                        Recipient.GP,
                        address,
                        f"Referral {ref}: your patient {what}",
                        f"A patient of {gp.name}, referred to the employment support service as {ref} by "
                        f"{referrer_org.name}, {what} with {partner}. They agreed to share their progress "
                        "with their GP. Contact the delivery partner, quoting the reference, for details.",
                    )
                )
    return planned


def _referrer_text(event: Event, *, ref: str, partner: str, reason: str) -> tuple[str, str]:
    if event == Event.RECEIVED:
        return f"Referral {ref} received", f"We have received referral {ref}. We will tell you when it is accepted."
    if event == Event.ACCEPTED:
        return (
            f"Referral {ref} accepted",
            f"{partner} has accepted referral {ref}. A Personal Adviser will contact the person.",
        )
    if event == Event.DECLINED:
        return (
            f"Referral {ref} declined",
            f"Referral {ref} has been declined.\n\nThe reason given: {reason or 'none given'}",
        )
    if event == Event.ENROLLED:
        return (
            f"Referral {ref}: support has started",
            f"The person you referred ({ref}) has started support with {partner}.",
        )
    return f"Referral {ref}: started work", f"The person you referred ({ref}) has started work, supported by {partner}."


def _person_text(event: Event, *, ref: str, partner: str, reason: str) -> tuple[str, str]:
    if event == Event.RECEIVED:
        return "We have received your referral", (
            f"Your referral for employment support has been received. Your reference is {ref}. "
            "We will email you when it has been accepted."
        )
    if event == Event.ACCEPTED:
        return "Your referral has been accepted", (
            f"{partner} has accepted your referral ({ref}). A Personal Adviser will contact you soon."
        )
    if event == Event.DECLINED:
        return "Your referral has not been accepted", (
            f"Your referral ({ref}) has not been accepted.\n\nThe reason given: {reason or 'none given'}\n\n"
            "The person who referred you can talk to you about other support."
        )
    if event == Event.ENROLLED:
        return "Your support has started", f"Your support with {partner} has started (reference {ref})."
    return "Congratulations on starting work", f"{partner} has recorded that you have started work (reference {ref})."


def notifications_send(*, ids: Iterable[uuid.UUID] | None = None) -> dict[str, int]:
    """Send pending (and earlier failed) notifications; `ids` limits it to those. Never sends one twice:
    each is claimed by a conditional update before sending, and a sent one is never claimed again."""
    due = Notification.objects.filter(
        Q(status=Status.PENDING) | Q(status=Status.FAILED, attempts__lt=settings.NOTIFICATION_MAX_ATTEMPTS)
    )
    if ids is not None:
        due = due.filter(pk__in=list(ids))
    counts = {"sent": 0, "failed": 0}
    connection = None
    for notification in due.select_related("referral").order_by("created_at")[:1000]:
        claimed = Notification.objects.filter(pk=notification.pk, status__in=[Status.PENDING, Status.FAILED]).update(
            status=Status.SENDING, attempts=F("attempts") + 1
        )
        if not claimed:
            continue  # someone else is sending it, or has sent it
        try:
            connection = connection or get_connection(fail_silently=False)
            message = EmailMessage(
                subject=notification.subject,
                body=notification.body,
                from_email=settings.DEFAULT_FROM_EMAIL,
                to=[notification.address],
                headers={"X-Joinedup-Reference": str(notification.pk)},
                connection=connection,
            )
            message.send(fail_silently=False)
        except Exception as exc:
            logger.warning("Notification %s failed: %s", notification.pk, exc)
            Notification.objects.filter(pk=notification.pk).update(
                status=Status.FAILED, last_error=f"{type(exc).__name__}: {exc}"[:1000], updated_at=timezone.now()
            )
            counts["failed"] += 1
            continue
        with transaction.atomic():
            now = timezone.now()
            Notification.objects.filter(pk=notification.pk).update(
                status=Status.SENT, sent_at=now, last_error="", updated_at=now
            )
            audit_record(
                actor=None,
                verb=AuditVerb.NOTIFIED,
                target=notification,
                person_id=notification.referral.person_id,
                channel="email",
                payload={
                    "referral": notification.referral.reference,
                    "event": notification.event,
                    "recipient": notification.recipient,
                },
            )
        counts["sent"] += 1
    return counts


class NotSent(Exception):
    """The email could not be sent this time (the job is retried)."""


@job(label="Send a closed-loop email", max_attempts=settings.NOTIFICATION_MAX_ATTEMPTS, backoff_seconds=60)
def notification_deliver(*, notification: str, progress: Progress) -> dict[str, int]:
    """The background job for one notification: send it (once: `notifications_send` claims it first)."""
    counts = notifications_send(ids=[uuid.UUID(notification)])
    if counts["failed"]:
        error = Notification.objects.filter(pk=notification).values_list("last_error", flat=True).first()
        raise NotSent(error or "The email could not be sent.")
    return counts


def email_send(*, address: str, subject: str, body: str, reference: str) -> None:
    """Send one email to one address now, through the same email framework as the closed loop
    (console in development, locmem in tests, GOV.UK Notify in production). For a background job
    that keeps no outbox row of its own (the person's sign-in link, decision 022): an exception is
    the job's failed attempt, and the queue retries it."""
    EmailMessage(
        subject=subject[:200],
        body=body[:5000],
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=[address],
        headers={"X-Joinedup-Reference": reference},
    ).send(fail_silently=False)
