"""Reads of the contacts with the person."""

from __future__ import annotations

from django.db.models import OuterRef, Subquery

from joinedup.core.compiled import CompiledQuery
from joinedup.core.pagination import PAGE_SIZE, Page, paginate
from joinedup.organisations.permissions import Membership

from ..checks import require_view
from ..enrolment.models import Case
from .models import Contact, ContactChannel

CONTACTS_SHOWN = 50  # the most recent, on the record page

# What the record page shows of each contact.
_CONTACT_COLUMNS = ("case_id", "happened_on", "channel", "kind", "duration_minutes", "notes")
# The record's most recent contacts, newest first (`CompiledQuery`, decision 011).
_contacts_shown = CompiledQuery(
    lambda case: Contact.objects.filter(case=case).only(*_CONTACT_COLUMNS)[:CONTACTS_SHOWN],
    case=Contact._meta.get_field("case"),
)


def recent_contacts(*, case: Case) -> list[Contact]:
    """The case's most recent contacts (`CONTACTS_SHOWN`), newest first. One query."""
    return _contacts_shown(case=case.pk)


def messages_waiting_page(*, actor: Membership, adviser: int | None, page: object, size: int = PAGE_SIZE) -> Page:
    """Messages from people that wait for an answer, at the actor's organisation (with `adviser`, on
    that adviser's cases): the case's latest contact is a message from the person (any contact
    recorded since answers it). Oldest first, with the person (decision 022; a work queue group)."""
    require_view(actor)
    latest = Contact.objects.filter(case=OuterRef("case")).order_by("-created_at", "-pk").values("pk")[:1]
    waiting = Contact.objects.filter(
        case__delivery_partner_id=actor.organisation_id, channel=ContactChannel.FROM_PERSON, pk=Subquery(latest)
    )
    if adviser is not None:
        waiting = waiting.filter(case__adviser_id=adviser)
    shown = (
        waiting.select_related("case__person")
        .only("case_id", "created_at", "case__person__given_name", "case__person__family_name")
        .order_by("created_at", "pk")
    )
    return paginate(shown, page, size=size)
