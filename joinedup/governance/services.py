"""Writes for information governance: the person's requests and their answers, rectification,
erasure on request, legal holds, data-sharing agreements. Each checks permission, validates, runs
in one transaction and writes one audit event."""

from __future__ import annotations

import calendar
from datetime import date
from typing import Any

from django.db import transaction
from django.utils import timezone

from joinedup.audit.services import audit_record
from joinedup.audit.verbs import AuditVerb
from joinedup.core.errors import DomainError, NotPermitted
from joinedup.organisations.permissions import Membership, Perm, has_perm
from joinedup.people.records import REGISTRY
from joinedup.people.services import PERSON_CHANNEL, person_update

from . import limits
from .erasure import active_hold, is_erased, person_erase
from .models import ErasureTrigger, LegalHold, RequestKind, RequestOutcome, RightsRequest
from .rectification import RECTIFIABLE, checked_changes
from .subject_access import SubjectAccess, subject_access_build


def require(actor: Membership, perm: Perm) -> None:
    if not has_perm(actor, perm):
        raise NotPermitted("You do not have permission to do this.")


def due_on(received_on: date) -> date:
    """One calendar month: the same date next month, or that month's last day if it has none (ICO)."""
    year, month = (received_on.year + 1, 1) if received_on.month == 12 else (received_on.year, received_on.month + 1)
    return date(year, month, min(received_on.day, calendar.monthrange(year, month)[1]))


def person_for_reference(reference: str) -> Any:
    """The person a referral (by its reference) is about, or a DomainError on the reference field."""
    referral = (
        REGISTRY["referrals"]
        .model._default_manager.select_related("person")
        .filter(reference=reference.strip().upper())
        .first()
    )
    if referral is None:
        raise DomainError("No referral has that reference", field="reference")
    found: Any = referral
    return found.person


def _audit(
    actor: Membership, verb: AuditVerb, target: Any, person_id: Any, channel: str = "web", **payload: Any
) -> None:
    audit_record(
        actor=actor.user,
        verb=verb,
        target=target,
        organisation=actor.organisation,
        person_id=person_id,
        channel=channel,
        payload=payload,
    )


def rights_request_record(
    *, actor: Membership, reference: str, kind: str, received_on: date, description: str = ""
) -> RightsRequest:
    require(actor, Perm.RIGHTS_MANAGE)
    if kind not in RequestKind.values:
        raise DomainError("Choose what the person asked for", field="kind")
    if received_on > timezone.localdate():
        raise DomainError("The date the request was received must be today or in the past", field="received_on")
    limits.REQUEST_DESCRIPTION.check(description, field="description")
    with transaction.atomic():
        person = person_for_reference(reference)
        request = RightsRequest.objects.create(
            person=person,
            kind=kind,
            received_on=received_on,
            due_on=due_on(received_on),
            organisation=actor.organisation,
            description=description,
            created_by=actor.user,
        )
        _audit(actor, AuditVerb.REQUEST_RECORDED, request, person.pk, request=kind)
    return request


def rights_request_answer(*, actor: Membership, request: RightsRequest, outcome: str, note: str = "") -> RightsRequest:
    require(actor, Perm.RIGHTS_MANAGE)
    if outcome not in RequestOutcome.values:
        raise DomainError("Choose whether the request was done or refused", field="outcome")
    if outcome == RequestOutcome.REFUSED and not note.strip():
        raise DomainError("Say which exemption applies and why the request was refused", field="note")
    limits.OUTCOME_NOTE.check(note, field="note")
    with transaction.atomic():
        request = RightsRequest.objects.select_for_update().get(pk=request.pk)
        if request.completed_at is not None:
            raise DomainError("This request has already been answered.")
        request.completed_at, request.completed_by = timezone.now(), actor.user
        request.outcome, request.outcome_note = outcome, note
        request.save(update_fields=["completed_at", "completed_by", "outcome", "outcome_note", "updated_at"])
        _audit(actor, AuditVerb.REQUEST_ANSWERED, request, request.person_id, request=request.kind, to=outcome)
    return request


def _require_kind(request: RightsRequest, kind: RequestKind) -> None:
    if request.kind != kind:
        raise DomainError(f"This is not a request for {kind.label.split(' (')[0].lower()}.")
    if request.completed_at is not None:
        raise DomainError("This request has already been answered.")


def subject_access_export(*, actor: Membership, request: RightsRequest, file_format: str) -> SubjectAccess:
    """Everything held about the request's person, as a document or JSON. The export is audited."""
    require(actor, Perm.RIGHTS_MANAGE)
    if request.kind != RequestKind.ACCESS:
        raise DomainError("This is not a subject access request.")
    with transaction.atomic():
        export = subject_access_build(person=request.person)
        _audit(actor, AuditVerb.EXPORTED, request, request.person_id, request="access", format=file_format)
    return export


OWN_DOWNLOAD_UNAVAILABLE = (
    "Your data cannot be downloaded here at the moment. Ask your adviser, or ask the service for a copy of your data."
)


def subject_access_for_person(*, person: Any, file_format: str) -> SubjectAccess:
    """The person's own download of their data, from their own pages (decision 022): the same
    export as a subject access request answers, without the records staff review first (legal holds,
    requests' outcome notes, duplicate checks), refused while a legal hold is in place; audited as
    the person's own (so the download they make is itself in the trail of their next one)."""
    if active_hold(person.pk) is not None:  # said without naming the hold (no tipping off)
        raise DomainError(OWN_DOWNLOAD_UNAVAILABLE)
    with transaction.atomic():
        export = subject_access_build(person=person, own_pages=True)
        audit_record(
            actor=None,
            verb=AuditVerb.EXPORTED,
            target=person,
            person_id=person.pk,
            channel=PERSON_CHANNEL,
            payload={"request": "access", "format": file_format},
        )
    return export


def person_rectify(*, actor: Membership, request: RightsRequest, changes: dict[str, Any]) -> list[str]:
    """Correct the person's details as they asked; returns the fields changed (their names are audited,
    not the values)."""
    require(actor, Perm.RIGHTS_MANAGE)
    _require_kind(request, RequestKind.RECTIFICATION)
    if is_erased(request.person_id):
        raise DomainError("This person's record has been erased: there is nothing left to correct.")
    with transaction.atomic():
        person = request.person
        changed = {k: v for k, v in checked_changes(changes).items() if getattr(person, k) != v}
        if not changed:
            raise DomainError("Nothing was changed: enter the corrected details.")
        person_update(person=person, changes=changed)
        _audit(actor, AuditVerb.RECTIFIED, request, person.pk, request="rectification", fields=sorted(changed))
    return sorted(changed)


def erasure_on_request(*, actor: Membership, request: RightsRequest) -> Any:
    """Erase the person through the registry (what must be kept is kept, as the registry says why),
    and answer the request as done."""
    require(actor, Perm.RIGHTS_MANAGE)
    _require_kind(request, RequestKind.ERASURE)
    with transaction.atomic():
        erasure = person_erase(person=request.person, trigger=ErasureTrigger.REQUEST, request=request)
        request.completed_at, request.completed_by, request.outcome = timezone.now(), actor.user, RequestOutcome.DONE
        request.outcome_note = "Erased through the registry of person-linked records"
        request.description = ""
        request.save(
            update_fields=["completed_at", "completed_by", "outcome", "outcome_note", "description", "updated_at"]
        )
        _audit(actor, AuditVerb.ERASED, erasure, request.person_id, request="erasure")
    return erasure


def legal_hold_place(*, actor: Membership, reference: str, reason: str) -> LegalHold:
    require(actor, Perm.RIGHTS_MANAGE)
    if not reason.strip():
        raise DomainError("Say why the record must be kept (the claim, investigation or order)", field="reason")
    limits.HOLD_REASON.check(reason, field="reason")
    with transaction.atomic():
        person = person_for_reference(reference)
        if active_hold(person.pk) is not None:
            raise DomainError("This person's record is already under a legal hold", field="reference")
        hold = LegalHold.objects.create(person=person, reason=reason, placed_by=actor.user, created_by=actor.user)
        _audit(actor, AuditVerb.HOLD_PLACED, hold, person.pk)
    return hold


def legal_hold_lift(*, actor: Membership, hold: LegalHold) -> LegalHold:
    require(actor, Perm.RIGHTS_MANAGE)
    with transaction.atomic():
        hold = LegalHold.objects.select_for_update().get(pk=hold.pk)
        if hold.lifted_at is not None:
            raise DomainError("This hold has already been lifted.")
        hold.lifted_at, hold.lifted_by = timezone.now(), actor.user
        hold.save(update_fields=["lifted_at", "lifted_by", "updated_at"])
        _audit(actor, AuditVerb.HOLD_LIFTED, hold, hold.person_id)
    return hold


__all__ = [
    "RECTIFIABLE",
    "active_hold",
    "due_on",
    "erasure_on_request",
    "legal_hold_lift",
    "legal_hold_place",
    "person_for_reference",
    "person_rectify",
    "rights_request_answer",
    "rights_request_record",
    "subject_access_export",
]
