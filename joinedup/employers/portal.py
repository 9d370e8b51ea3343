"""What an employer's own people read: the people put forward to their organisation, showing only
what each person consented to share and only while that consent is in force. Every read of a
person is audited (one VIEWED event per person shown, with the employer's organisation)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING, Any

from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.http import Http404
from django.utils import timezone

from joinedup.audit.verbs import AuditVerb

from .access import audit
from .choices import AdjustmentKind, NominationStatus
from .models import Nomination, ShareConsent
from .selectors import employer_for_member

if TYPE_CHECKING:
    from joinedup.organisations.permissions import Membership


@dataclass(frozen=True)
class Candidate:
    nomination_id: Any
    vacancy_id: Any
    vacancy_title: str
    name: str
    status: str
    put_forward_on: Any
    consent_ends: datetime
    email: str = ""
    phone: str = ""
    adjustments: tuple[str, ...] = ()
    shares_contact: bool = False
    shares_adjustments: bool = False

    @property
    def status_label(self) -> str:
        return NominationStatus(self.status).label


def _in_force(actor: Membership) -> QuerySet[Nomination]:
    employer = employer_for_member(actor=actor)
    return (
        Nomination.objects.filter(
            ShareConsent.in_force_q("consent__"), vacancy__employer=employer, consent__employer=employer
        )
        .select_related("vacancy", "consent", "case__person", "case__work_preferences")
        .order_by("-created_at")
    )


def _candidate(n: Nomination) -> Candidate:
    person, consent = n.case.person, n.consent
    adjustments: tuple[str, ...] = ()
    if consent.shares_adjustments:
        prefs = getattr(n.case, "work_preferences", None)
        codes = (prefs.adjustments_needed or []) if prefs is not None else []
        adjustments = tuple(AdjustmentKind(c).label for c in codes)
    return Candidate(
        nomination_id=n.pk,
        vacancy_id=n.vacancy_id,
        vacancy_title=n.vacancy.title,
        name=person.full_name,
        status=n.status,
        put_forward_on=timezone.localtime(n.created_at).date(),
        consent_ends=consent.expires_at,
        email=person.email if consent.shares_contact else "",
        phone=person.phone if consent.shares_contact else "",
        adjustments=adjustments,
        shares_contact=consent.shares_contact,
        shares_adjustments=consent.shares_adjustments,
    )


def _audit(actor: Membership, n: Nomination) -> None:
    audit(
        actor,
        AuditVerb.VIEWED,
        n,
        person_id=n.case.person_id,
        vacancy=n.vacancy_id,
        consent=n.consent_id,
        **{"as": "employer"},
    )


def candidates_for_employer(*, actor: Membership) -> list[Candidate]:
    """The people put forward to the actor's employer whose consent is in force (audited, each)."""
    found = list(_in_force(actor)[:200])
    for n in found:
        _audit(actor, n)
    return [_candidate(n) for n in found]


def nomination_for_employer(*, actor: Membership, pk: Any) -> Nomination:
    """A nomination put forward to the actor's employer whose consent is in force (404 otherwise:
    another employer's, or after the consent ends). Not audited: the caller reads or audits it."""
    try:
        return _in_force(actor).get(pk=pk)
    except (Nomination.DoesNotExist, ValueError, ValidationError) as exc:
        raise Http404("No such candidate") from exc


def candidate_for_employer(*, actor: Membership, pk: Any) -> Candidate:
    return candidate_shown(actor=actor, nomination=nomination_for_employer(actor=actor, pk=pk))


def candidate_shown(*, actor: Membership, nomination: Nomination) -> Candidate:
    """What the employer sees of a candidate already read with `nomination_for_employer` (audited)."""
    _audit(actor, nomination)
    return _candidate(nomination)


def candidate_read_audit(*, actor: Membership, nomination: Nomination) -> None:
    """Record an employer's read of a candidate shown on a page other than `candidate_for_employer`."""
    _audit(actor, nomination)
