"""Reading the audit trail: search by person, user and dates, in plain words; and the report of
unusual access (a user opening many more people's records in an hour than they usually do)."""

from __future__ import annotations

import statistics
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import Any

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db.models import Q
from django.utils import timezone

from joinedup.audit.selectors import audit_events_search, records_opened_per_hour
from joinedup.audit.services import audit_list, audit_record
from joinedup.audit.verbs import AuditVerb
from joinedup.core.errors import DomainError
from joinedup.organisations.permissions import Membership, Perm
from joinedup.people.selectors import people_named

from .services import person_for_reference, require
from .trail import TrailLine, trail_group

MOST_EVENTS = 2000  # a search shows the newest this many events


@dataclass
class TrailSearch:
    lines: list[TrailLine]
    events: list[Any]
    people: list[Any]
    truncated: bool


def _bounds(since: date | None, until: date | None) -> tuple[datetime | None, datetime | None]:
    tz = timezone.get_current_timezone()
    start = datetime.combine(since, time.min, tzinfo=tz) if since else None
    end = datetime.combine(until + timedelta(days=1), time.min, tzinfo=tz) if until else None
    return start, end


def _users(text: str) -> list[int]:
    words = text.split()
    query = get_user_model().objects.all()
    for word in words[:3]:
        query = query.filter(Q(username__icontains=word) | Q(first_name__icontains=word) | Q(last_name__icontains=word))
    return list(query.values_list("pk", flat=True)[:100])


def _people(reference: str, name: str) -> list[Any] | None:
    if reference:
        return [person_for_reference(reference)]
    if name:
        found = people_named(name)
        if not found:
            raise DomainError("Nobody of that name is known", field="name")
        return found
    return None


def trail_search(*, actor: Membership, filters: dict[str, Any], export: bool = False) -> TrailSearch:
    """The trail for the filters (reference or name, user, from and to dates), grouped in plain words.
    Reading it is audited once: as reading that person's trail, or as a list when it names several."""
    require(actor, Perm.AUDIT_VIEW)
    people = _people(filters.get("reference") or "", filters.get("name") or "")
    user_ids = _users(filters["user"]) if filters.get("user") else None
    since, until = _bounds(filters.get("since"), filters.get("until"))
    events = list(
        audit_events_search(
            actor=actor,
            person_ids=[p.pk for p in people] if people is not None else None,
            user_ids=user_ids,
            since=since,
            until=until,
        )[: MOST_EVENTS + 1]
    )
    truncated = len(events) > MOST_EVENTS
    events = events[:MOST_EVENTS]
    _audit_reading(actor, people, filters, len({e.person_id for e in events if e.person_id}), export)
    return TrailSearch(trail_group(events), events, people or [], truncated)


def _audit_reading(
    actor: Membership, people: list[Any] | None, filters: dict[str, Any], shown: int, export: bool
) -> None:
    verb = AuditVerb.EXPORTED if export else AuditVerb.VIEWED
    if people is not None and len(people) == 1:
        person = people[0]
        audit_record(
            actor=actor.user,
            verb=verb,
            target=person,
            organisation=actor.organisation,
            person_id=person.pk,
            payload={"view": "audit_trail", **({"format": "csv"} if export else {})},
        )
        return
    described = {k: str(v) for k, v in filters.items() if v}
    audit_list(
        actor=actor.user,
        organisation=actor.organisation,
        list_name="audit_trail",
        shown=shown,
        filters=described,
        verb=AuditVerb.EXPORTED if export else AuditVerb.LISTED,
    )


@dataclass(frozen=True)
class UnusualHour:
    user: str
    hour: datetime
    people: int
    usual: float


def unusual_access(
    *, actor: Membership, days: int = 7, history_days: int = 30, now: datetime | None = None
) -> list[UnusualHour]:
    """Hours in the last `days` in which a user opened at least UNUSUAL_ACCESS_MIN_PEOPLE people's
    records and at least UNUSUAL_ACCESS_FACTOR times their usual (the median of their busy hours in
    the `history_days` before)."""
    require(actor, Perm.AUDIT_REPORT)
    now = now or timezone.now()
    recent_from = now - timedelta(days=days)
    rows = records_opened_per_hour(since=recent_from - timedelta(days=history_days))
    history: dict[int, list[dict]] = {}
    recent: list[dict] = []
    for row in rows:
        (recent if row["hour"] >= recent_from else history.setdefault(row["actor_id"], [])).append(row)
    least, factor = settings.UNUSUAL_ACCESS_MIN_PEOPLE, settings.UNUSUAL_ACCESS_FACTOR
    flagged = []
    for row in recent:
        past = [r["people"] for r in history.get(row["actor_id"], [])]
        usual = statistics.median(past) if past else 0.0
        if row["people"] >= least and row["people"] >= factor * usual:
            flagged.append((row, usual))
    users = get_user_model().objects.in_bulk([row["actor_id"] for row, _ in flagged])
    return sorted(
        (
            UnusualHour(
                users[row["actor_id"]].get_full_name() or users[row["actor_id"]].username,
                row["hour"],
                row["people"],
                float(usual),
            )
            for row, usual in flagged
        ),
        key=lambda u: (-u.people, u.hour),
    )
