"""The one function that writes the audit trail."""

from __future__ import annotations

import uuid
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
    if verb not in AuditVerb.values:
        raise ValueError(f"Unknown audit verb {verb!r}: declare it in audit.models.AuditVerb")
    return AuditEvent.objects.create(
        actor=actor if getattr(actor, "pk", None) else None,
        organisation=organisation,
        verb=verb,
        target_type=target._meta.label_lower,
        target_id=str(target.pk),
        person_id=person_id,
        channel=channel,
        payload=payload or {},
    )
