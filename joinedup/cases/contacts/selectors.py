"""Reads of the contacts with the person."""

from __future__ import annotations

from joinedup.core.compiled import CompiledQuery

from ..enrolment.models import Case
from .models import Contact

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
