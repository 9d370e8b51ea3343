"""Writing the audit trail: every event is made in one place (`_write`), for a record
(`audit_record`) or for a list of people (`audit_list`); and retention's one deletion."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any

from django.db import models

from .models import AuditEvent, AuditVerb


def audit_record(
    *,
    actor,
    verb: AuditVerb,
    target: models.Model,
    organisation=None,
    person_id: uuid.UUID | None = None,
    channel: str = "web",
    payload: dict[str, Any] | None = None,
) -> AuditEvent:
    return _write(
        actor=actor,
        verb=verb,
        target_type=target._meta.label_lower,
        target_id=str(target.pk),
        organisation=organisation,
        person_id=person_id,
        channel=channel,
        payload=payload or {},
    )


def _write(*, actor: Any, verb: AuditVerb, target_type: str, target_id: str, **fields: Any) -> AuditEvent:
    """The one place an event is made: the verb must be declared, an unsaved actor is no actor."""
    if verb not in AuditVerb.values:
        raise ValueError(f"Unknown audit verb {verb!r}: declare it in audit.models.AuditVerb")
    return AuditEvent.objects.create(
        actor=actor if getattr(actor, "pk", None) else None,
        verb=verb,
        target_type=target_type,
        target_id=target_id,
        **fields,
    )


# Filters whose value is text someone typed (a name, an NHS number, a reference): the trail records
# that a search was given, never its text, which may itself be personal data (a person's name).
SEARCH_TEXT_FILTERS = frozenset({"q", "search", "query", "name", "nhs_number", "postcode", "reference"})
SEARCH_GIVEN = "(search given)"


def _filters(filters: dict[str, Any] | None) -> dict[str, str]:
    """The filters as given (the first 10, each cut to 100 characters), leaving out the empty ones;
    a typed search (`SEARCH_TEXT_FILTERS`) recorded as `SEARCH_GIVEN`, not its text."""
    given = [
        (str(k)[:40], SEARCH_GIVEN if str(k) in SEARCH_TEXT_FILTERS else str(v)[:100])
        for k, v in (filters or {}).items()
        if v not in (None, "") and str(v).strip()
    ]
    return dict(given[:10])


def audit_list(
    *,
    actor: Any,
    organisation: Any,
    list_name: str,
    shown: int,
    filters: dict[str, Any] | None = None,
    channel: str = "web",
    verb: AuditVerb = AuditVerb.LISTED,
) -> AuditEvent:
    """One event for one view (or, with verb EXPORTED, one export) of a list of people: which list,
    with which filters, how many people shown."""
    return _write(
        actor=actor,
        verb=verb,
        target_type="list",
        target_id=list_name,
        organisation=organisation,
        channel=channel,
        payload={"list": list_name, "filters": _filters(filters), "shown": shown},
    )


def audit_events_delete(*, before: datetime, keep_person_ids: set[uuid.UUID]) -> int:
    """The one exception to an append-only trail: retention deletes events older than its period
    (`governance.retention`), except those about a person under a legal hold. Returns how many."""
    deleted, _ = _past(before, keep_person_ids).delete()
    return deleted


def audit_events_before(*, before: datetime, keep_person_ids: set[uuid.UUID]) -> int:
    """How many events `audit_events_delete` would delete (for a dry run)."""
    return _past(before, keep_person_ids).count()


def _past(before: datetime, keep_person_ids: set[uuid.UUID]) -> models.QuerySet[AuditEvent]:
    return AuditEvent.objects.filter(at__lt=before).exclude(person_id__in=keep_person_ids)


def list_read_audit(request: Any, list_name: str, *, shown: int, filters: dict[str, Any] | None = None) -> AuditEvent:
    """A page that lists people by name records its view once: the acting membership, the list, its
    filters and how many people it showed (`audit_list`)."""
    membership = request.membership
    return audit_list(
        actor=membership.user, organisation=membership.organisation, list_name=list_name, shown=shown, filters=filters
    )
