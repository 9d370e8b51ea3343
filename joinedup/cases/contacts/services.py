"""Writes for contacts with the person. One transaction, one audit."""

from __future__ import annotations

from datetime import date

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from joinedup.audit.verbs import AuditVerb
from joinedup.core.errors import DomainError
from joinedup.core.events import announce
from joinedup.organisations.models import Membership

from .. import limits
from ..checks import audit, audit_by_person, open_case, require_change, since_enrolment
from ..enrolment.models import Case
from ..events import CaseEvent, ContactRecorded
from .models import Contact, ContactChannel, ContactKind


def contact_record(
    *,
    case: Case,
    actor: Membership,
    happened_on: date,
    channel: str,
    kind: str,
    duration_minutes: int,
    notes: str = "",
) -> Contact:
    require_change(actor, case.delivery_partner_id)
    since_enrolment(
        case,
        happened_on,
        label="The contact date",
        field="happened_on",
        before="A contact cannot be before the person was enrolled.",
    )
    if not 1 <= duration_minutes <= 600:
        raise DomainError("Duration must be between 1 and 600 minutes.", field="duration_minutes")
    with transaction.atomic():
        contact = Contact.objects.create(
            case=case,
            happened_on=happened_on,
            channel=channel,
            kind=kind,
            duration_minutes=duration_minutes,
            notes=notes.strip(),
            created_by=actor.user,
        )
        ids = {"case_id": case.pk, "contact_id": contact.pk, "delivery_partner_id": case.delivery_partner_id}
        recorded = ContactRecorded(**ids, happened_on=happened_on, channel=channel, kind=kind)
        announce(CaseEvent.CONTACT_RECORDED, recorded)
        audit(actor, AuditVerb.CONTACT_RECORDED, contact, case, case=str(case.pk), kind=kind)
    return contact


def contact_from_person(*, case: Case, text: str, about: str = "") -> Contact:
    """A message the person sends their adviser from their own pages (decision 022): on the case's
    contact log as a "message from the person", today. It is not a contact the adviser made, so it
    announces no contact event (the tallies and claims count the adviser's contacts). Audited as the
    person's own. `about`: what it is about (a plan action), put before the text on the log."""
    open_case(case)
    text = text.strip()
    if not text:
        raise DomainError(_("Enter your message."), field="text")
    if len(text) > limits.PERSON_MESSAGE.max_length:  # the person sees it: through translation
        raise DomainError(
            _("Your message must be %(n)s characters or fewer.") % {"n": f"{limits.PERSON_MESSAGE.max_length:,}"},
            field="text",
        )
    with transaction.atomic():
        contact = Contact.objects.create(
            case=case,
            happened_on=timezone.localdate(),
            channel=ContactChannel.FROM_PERSON,
            kind=ContactKind.SUPPORT,
            duration_minutes=0,
            notes=f"{about}: {text}" if about else text,
        )
        audit_by_person(AuditVerb.MESSAGE_SENT, contact, case, case=str(case.pk))
    return contact


def contact_reply_to_person(*, case: Case, actor: Membership, text: str, duration_minutes: int) -> Contact:
    """The adviser's reply to a message from the person (decision 022): a contact by message, today,
    with the reply as its notes. The person reads it on their own pages."""
    text = text.strip()
    if not text:
        raise DomainError("Enter your reply.", field="text")
    limits.PERSON_MESSAGE.check(text, field="text")
    return contact_record(
        case=case,
        actor=actor,
        happened_on=timezone.localdate(),
        channel=ContactChannel.MESSAGE,
        kind=ContactKind.SUPPORT,
        duration_minutes=duration_minutes,
        notes=text,
    )
