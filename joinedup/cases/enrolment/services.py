"""Writes for the case itself: enrolment from a referral, and the adviser's next step. One
transaction, one audit."""

from __future__ import annotations

from datetime import date, timedelta

from django.db import transaction

from joinedup.audit.verbs import AuditVerb
from joinedup.core.errors import DomainError
from joinedup.core.events import announce
from joinedup.notifications import services as notify
from joinedup.organisations.models import Membership
from joinedup.people.choices import ConsentPurpose
from joinedup.people.services import consent_record
from joinedup.referrals import statuses as referral_statuses
from joinedup.referrals.models import Referral
from joinedup.referrals.services import referral_mark_enrolled

from .. import limits
from ..checks import audit, not_future, open_case, require_change
from ..events import CaseEvent, Enrolled
from .models import Case


def _check_enrolment(
    referral: Referral,
    *,
    enrolled_on: date,
    eligibility_confirmed: bool,
    eligibility_evidence: str,
    consent_to_support: bool,
) -> None:
    if referral.status != referral_statuses.ASSIGNED:
        raise DomainError("Only a referral assigned to your organisation can be enrolled.")
    if not eligibility_confirmed:
        raise DomainError("Confirm the person is eligible before enrolling them.", field="eligibility_confirmed")
    if not eligibility_evidence.strip():
        raise DomainError("Enter the evidence of eligibility you have seen.", field="eligibility_evidence")
    limits.ELIGIBILITY_EVIDENCE.check(eligibility_evidence, field="eligibility_evidence")
    if not consent_to_support:
        raise DomainError("The person must consent to support before they can be enrolled.", field="consent_to_support")
    not_future(enrolled_on, "The enrolment date")
    if enrolled_on < referral.created_at.date() - timedelta(days=1):
        raise DomainError("The enrolment date cannot be before the referral was made.", field="enrolled_on")


def case_enrol(
    *,
    referral: Referral,
    actor: Membership,
    enrolled_on: date,
    eligibility_confirmed: bool,
    eligibility_evidence: str,
    consent_to_support: bool,
) -> Case:
    """Enrol the person: eligibility checked and evidenced, consent to support recorded."""
    require_change(actor, referral.delivery_partner_id)
    _check_enrolment(
        referral,
        enrolled_on=enrolled_on,
        eligibility_confirmed=eligibility_confirmed,
        eligibility_evidence=eligibility_evidence,
        consent_to_support=consent_to_support,
    )
    with transaction.atomic():
        referral = Referral.objects.select_for_update().get(pk=referral.pk)
        if Case.objects.filter(referral=referral).exists():
            raise DomainError("This person is already enrolled from this referral.")
        case = Case.objects.create(
            referral=referral,
            person=referral.person,
            delivery_partner=referral.delivery_partner,
            adviser=referral.adviser or actor.user,
            enrolled_on=enrolled_on,
            eligibility_evidence=eligibility_evidence.strip(),
            created_by=actor.user,
        )
        consent_record(
            person=referral.person,
            purpose=ConsentPurpose.SUPPORT,
            given=True,
            recorded_by=actor.user,
            recorded_by_organisation=actor.organisation,
        )
        referral_mark_enrolled(referral=referral, actor=actor)
        announce(CaseEvent.ENROLLED, _enrolled(case, referral))
        audit(actor, AuditVerb.ENROLLED, case, case, referral=referral.reference, enrolled_on=enrolled_on.isoformat())
        notify.referral_event(referral=referral, event="enrolled")
    return case


def _enrolled(case: Case, referral: Referral) -> Enrolled:
    ids = {"case_id": case.pk, "person_id": case.person_id, "referral_id": referral.pk}
    return Enrolled(
        **ids,
        delivery_partner_id=case.delivery_partner_id,
        enrolled_on=case.enrolled_on,
        referral_created_at=referral.created_at,
    )


def case_next_step_set(*, case: Case, actor: Membership, next_action: str, next_review_on: date | None) -> Case:
    """The adviser's next action with the person and the date the plan is next reviewed."""
    require_change(actor, case.delivery_partner_id)
    next_action = next_action.strip()
    limits.NEXT_ACTION.check(next_action, field="next_action")
    if next_review_on is not None and next_review_on < case.enrolled_on:
        raise DomainError("The review date cannot be before the person was enrolled.", field="next_review_on")
    open_case(case)
    with transaction.atomic():
        case.next_action = next_action
        case.next_review_on = next_review_on
        case.save(update_fields=["next_action", "next_review_on", "updated_at"])
        audit(
            actor,
            AuditVerb.NEXT_STEP_SET,
            case,
            case,
            next_review_on=next_review_on.isoformat() if next_review_on else None,
        )
    return case
