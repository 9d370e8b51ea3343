"""Writes for contacts with the person. One transaction, one audit."""

from __future__ import annotations

from datetime import date

from django.db import transaction

from joinedup.audit.verbs import AuditVerb
from joinedup.core.errors import DomainError
from joinedup.core.events import announce
from joinedup.organisations.models import Membership

from ..checks import audit, require_change, since_enrolment
from ..enrolment.models import Case
from ..events import CaseEvent, ContactRecorded
from .models import Contact


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
