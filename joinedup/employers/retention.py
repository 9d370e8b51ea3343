"""The retention of the employers' tables (rules declared in `governance.retention`, applied by
`governance.retention_run`): an employer's named contacts, the engagement log's notes and the
occupational health questions and answers. What the employers' tables hold about a person on a
caseload goes with that person (`employers/person_records.py`)."""

from __future__ import annotations

from datetime import date, datetime

from django.db.models import Max, Q, QuerySet
from django.db.models.functions import Coalesce, TruncDate

from .models import AdviceRequest, EmployerContact, Engagement


def _contacts(before: date) -> QuerySet[EmployerContact]:
    last = Coalesce(Max("employer__engagements__happened_on"), TruncDate("created_at"))
    stale = EmployerContact.objects.annotate(last=last).filter(last__lt=before).values("pk")
    return EmployerContact.objects.filter(pk__in=stale)


def _notes(before: date) -> QuerySet[Engagement]:
    return Engagement.objects.filter(happened_on__lt=before).exclude(notes="")


def _advice(before: datetime) -> QuerySet[AdviceRequest]:
    answered = Q(answered_at__lt=before)
    asked = Q(answered_at__isnull=True, created_at__lt=before)
    return AdviceRequest.objects.filter(answered | asked).exclude(question="", answer="")


def employers_retention_apply(
    *, contacts_before: date, notes_before: date, advice_before: datetime, dry_run: bool
) -> dict[str, int]:
    """Delete or empty what is past its period (a step in the retention run's transaction); with
    `dry_run`, only count it. Returns the count per rule."""
    contacts, notes, advice = _contacts(contacts_before), _notes(notes_before), _advice(advice_before)
    if dry_run:
        return {
            "employer_contacts": contacts.count(),
            "engagement_notes": notes.count(),
            "advice_requests": advice.count(),
        }
    return {
        "employer_contacts": contacts.delete()[0],
        "engagement_notes": notes.update(notes=""),
        "advice_requests": advice.update(question="", answer=""),
    }
