"""The retention of a programme's participant records (rule `programme_records`, declared in
`governance.retention`, applied by `governance.retention_run`): the participations of programmes
that ended before the period, with their courses, job entries, claims, evidence and expenses, taken
out of the programme's tallies (decision 021) in the same transaction, so the tallies still agree
with a recount (`manage.py programme_tallies --check`)."""

from __future__ import annotations

from collections.abc import Collection
from datetime import date
from typing import Any

from django.db import transaction
from django.db.models import QuerySet

from .models import Participation, Programme
from .tally import tallies_remove


def _due(ended_before: date, held_person_ids: Collection[Any]) -> QuerySet[Participation]:
    found = Participation.objects.filter(programme__ends_on__lt=ended_before)
    return found.exclude(case__person_id__in=list(held_person_ids)) if held_person_ids else found


def programme_records_retention_apply(*, ended_before: date, held_person_ids: Collection[Any], dry_run: bool) -> int:
    """Delete the participant records of programmes that ended before `ended_before`, except those
    of people under a legal hold (a step in the retention run's transaction); with `dry_run`, only
    count them. Returns the participations deleted (or due)."""
    due = _due(ended_before, held_person_ids)
    if dry_run:
        return due.count()
    deleted = 0
    with transaction.atomic():
        for programme in Programme.objects.filter(pk__in=due.values("programme_id")).order_by("pk"):
            mine = due.filter(programme=programme)
            tallies_remove(programme, mine)
            deleted += mine.delete()[1].get(Participation._meta.label, 0)
    return deleted
