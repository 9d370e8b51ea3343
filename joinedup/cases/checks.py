"""What every write and read about a case checks, and the one audit event of a write: shared by the
sub-packages' services and selectors."""

from __future__ import annotations

from datetime import date
from typing import Any
from uuid import UUID

from django.db import models
from django.utils import timezone

from joinedup.audit.services import audit_record
from joinedup.audit.verbs import AuditVerb
from joinedup.core.errors import DomainError, NotPermitted
from joinedup.organisations.models import Membership
from joinedup.organisations.permissions import Perm, has_perm
from joinedup.people.services import PERSON_CHANNEL

from .enrolment import stages
from .enrolment.models import Case


def require_view(actor: Membership) -> None:
    if not has_perm(actor, Perm.CASE_VIEW_ORG):
        raise NotPermitted("You do not have permission to see cases.")


def require_change(actor: Membership, organisation_id: UUID) -> None:
    if not has_perm(actor, Perm.CASE_CHANGE_ORG) or actor.organisation_id != organisation_id:
        raise NotPermitted("You do not have permission to change this case.")


def not_future(value: date, label: str) -> None:
    if value > timezone.localdate():
        raise DomainError(f"{label} must be today or in the past.")


def since_enrolment(case: Case, value: date, *, label: str, field: str, before: str) -> None:
    """A date of something that happened during support: not in the future (`label` names it), and
    not before the person was enrolled (`before` says so, on `field`)."""
    not_future(value, label)
    if value < case.enrolled_on:
        raise DomainError(before, field=field)


def open_case(case: Case) -> None:
    if case.stage == stages.CLOSED:
        raise DomainError("This case is closed.")


# The audit channel of what the person does themselves, on their own pages (decision 022):
# people.services.PERSON_CHANNEL, defined once.


def audit_by_person(verb: AuditVerb, target: models.Model, case: Case, /, **payload: Any) -> None:
    """The one audit event of a write the person makes themselves: no user, their own channel."""
    audit_record(
        actor=None, verb=verb, target=target, person_id=case.person_id, channel=PERSON_CHANNEL, payload=payload
    )


def audit(actor: Membership, verb: AuditVerb, target: models.Model, case: Case, /, **payload: Any) -> None:
    """The one audit event of a write about a case: who, in which organisation, about whom."""
    audit_record(
        actor=actor.user,
        verb=verb,
        target=target,
        organisation=actor.organisation,
        person_id=case.person_id,
        payload=payload,
    )
