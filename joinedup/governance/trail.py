"""The audit trail in plain words: who did what, to which record, why and when.

Events come from `audit.selectors`; here they become lines a person can read. A run of events by
the same user on the same record within `GROUP_MINUTES` is one line ("Recorded a contact; viewed
it 3 times"), so the page a change redirects to does not add a "Viewed" row per change.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from django.apps import apps
from django.utils import timezone

from joinedup.audit.selectors import audit_events_about
from joinedup.audit.verbs import AuditVerb
from joinedup.people.records import REGISTRY
from joinedup.people.selectors import people_by_ids

GROUP_MINUTES = 30
LIST_NAMES = {
    "caseload": "the caseload",
    "team": "the team's caseloads",
    "triage_queue": "the triage queue",
    "offered": "referrals sent to the partner",
    "referrals_made": "the referrer's list of referrals",
    "timeliness": "overdue referrals",
    "merges": "the list of merges",
}
_WHY = {
    "view": lambda v: {"audit_trail": "to read the audit trail"}.get(v, f"on the {str(v).replace('_', ' ')} page"),
    "as": lambda v: f"as a {v}",
    "reason": lambda v: f"reason given: {v}",
    "to": lambda v: f"to {str(v).replace('_', ' ')}",
    "purpose": lambda v: f"for {str(v).replace('_', ' ')}",
    "request": lambda v: f"for the person's {v} request",
    "format": lambda v: f"as {v}",
    "agreement": lambda v: f"under the agreement “{v}”",
    "shared_with": lambda v: f"through the link the person shared with {v}",
    "replay": lambda v: f"a repeated submission (the same {v}) returned the first referral",
}


# Who did something when no user did: by the event's channel.
_NO_USER = {
    "command": "The system",
    "person": "The person, on their own pages",  # decision 022
    "shared": "Someone the person shared their plan with",
}


@dataclass
class TrailLine:
    first: datetime
    last: datetime
    who: str
    organisation: str
    verbs: list[str]  # verb labels in the order first done
    counts: dict[str, int]
    record: str
    person: str
    why: list[str] = field(default_factory=list)
    channel: str = "web"
    events: int = 0
    actor_id: int | None = None  # with the record and channel: what a run of events shares

    @property
    def what(self) -> str:
        parts = [label if self.counts[label] == 1 else f"{label} ({self.counts[label]} times)" for label in self.verbs]
        return "; ".join(parts)

    @property
    def by_channel(self) -> str:
        """The channel, when it is not the web: " (by api)", " (by command)"."""
        return "" if self.channel == "web" else f" (by {self.channel})"

    @property
    def when(self) -> str:
        first, last = timezone.localtime(self.first), timezone.localtime(self.last)
        if last - first < timedelta(minutes=1):
            return f"{first:%d %b %Y %H:%M}"
        return f"{first:%d %b %Y %H:%M} to {last:%H:%M}"

    def as_json(self) -> dict[str, Any]:
        return {
            "when": self.first.isoformat(),
            "until": self.last.isoformat(),
            "who": self.who,
            "organisation": self.organisation,
            "what": self.what,
            "record": self.record,
            "why": "; ".join(self.why),
            "channel": self.channel,
        }


def _who(event: Any) -> str:
    if event.actor is None:
        return _NO_USER.get(event.channel, "Someone not signed in")
    return event.actor.get_full_name() or event.actor.username


def _why(event: Any) -> list[str]:
    payload = event.payload if isinstance(event.payload, dict) else {}
    if event.verb == AuditVerb.LISTED:
        filters = ", ".join(f"{k.replace('_', ' ')}: {v}" for k, v in (payload.get("filters") or {}).items())
        shown = f"{payload.get('shown', 0)} people shown"
        return [f"{shown}, filtered by {filters}" if filters else shown]
    return [_WHY[key](value) for key, value in payload.items() if key in _WHY and value not in (None, "")]


def _references(events: list[Any]) -> dict[tuple[str, str], str]:
    """The referral reference of each referral and case the events name (one query each)."""
    found: dict[tuple[str, str], str] = {}
    for key, via in (("referrals", "reference"), ("cases", "referral__reference")):
        model = REGISTRY[key].model
        label = model._meta.label_lower
        ids = {e.target_id for e in events if e.target_type == label}
        if ids:
            for pk, ref in model._default_manager.filter(pk__in=ids).values_list("pk", via):
                found[(label, str(pk))] = ref
    return found


def _record(event: Any, references: dict[tuple[str, str], str]) -> str:
    if event.target_type == "list":
        return "List: " + LIST_NAMES.get(event.target_id, event.target_id.replace("_", " "))
    try:
        noun = str(apps.get_model(event.target_type)._meta.verbose_name).capitalize()
    except (LookupError, ValueError):
        noun = event.target_type
    reference = references.get((event.target_type, event.target_id))
    return f"{noun} {reference}" if reference else noun


def trail_group(events: Iterable[Any]) -> list[TrailLine]:
    """Events (newest first) as plain-word lines, a run on one record by one user folded into one."""
    events = list(events)
    references = _references(events)
    names = {p.pk: p.full_name for p in people_by_ids([e.person_id for e in events if e.person_id])}
    lines: list[TrailLine] = []
    window = timedelta(minutes=GROUP_MINUTES)
    for event in events:
        record = _record(event, references)
        label = event.get_verb_display()
        line = lines[-1] if lines else None
        same = line is not None and (line.actor_id, line.record, line.channel) == (
            event.actor_id,
            record,
            event.channel,
        )
        if line is not None and same and line.first - event.at <= window:
            line.first = event.at
            if label not in line.counts:
                line.verbs.insert(0, label)
            line.counts[label] = line.counts.get(label, 0) + 1
            line.why.extend(w for w in _why(event) if w not in line.why)
            line.events += 1
            continue
        lines.append(
            TrailLine(
                first=event.at,
                last=event.at,
                who=_who(event),
                organisation=event.organisation.name if event.organisation else "",
                verbs=[label],
                counts={label: 1},
                record=record,
                person=names.get(event.person_id, ""),
                why=_why(event),
                channel=event.channel,
                events=1,
                actor_id=event.actor_id,
            )
        )
    return lines


def trail_lines(*, person_id: Any) -> list[TrailLine]:
    """A person's whole trail in plain words (for their subject access export)."""
    return trail_group(audit_events_about(person_id=person_id))


def csv_cell(value: str) -> str:
    """A cell a spreadsheet will not run as a formula (OWASP's CSV injection advice)."""
    return "'" + value if value[:1] in ("=", "+", "-", "@", "\t", "\r") else value


def trail_csv_rows(events: Iterable[Any]) -> Iterable[list[str]]:
    """One row per event, in plain words, for the trail's CSV export."""
    events = list(events)
    references = _references(events)
    names = {p.pk: p.full_name for p in people_by_ids([e.person_id for e in events if e.person_id])}
    yield ["When", "Who", "Organisation", "What", "Record", "About", "Why", "Channel"]
    for e in events:
        yield [
            csv_cell(cell)
            for cell in (
                timezone.localtime(e.at).isoformat(timespec="seconds"),
                _who(e),
                e.organisation.name if e.organisation else "",
                e.get_verb_display(),
                _record(e, references),
                names.get(e.person_id, ""),
                "; ".join(_why(e)),
                e.channel,
            )
        ]
