"""Writes for support beyond the plan: early help, the end of support and re-engagement. One
transaction, one audit."""

from __future__ import annotations

from dataclasses import asdict, dataclass, replace
from datetime import date

from django.db import transaction

from joinedup.audit.verbs import AuditVerb
from joinedup.core.errors import DomainError
from joinedup.core.events import announce
from joinedup.organisations.models import Membership

from .. import limits
from ..checks import audit, not_future, open_case, require_change, since_enrolment
from ..enrolment import stages
from ..enrolment.models import Case
from ..events import CaseEvent, LeftSupport, Reengaged
from .models import (
    AccessToWork,
    CaseExit,
    EarlyHelp,
    EarlyHelpOutcome,
    EarlyHelpSituation,
    ExitDestination,
    FitNoteAdvice,
)


def case_exit(*, case: Case, actor: Membership, closed_on: date, destination: str, reason: str) -> CaseExit:
    """End support, with where the person went and why. The case can be re-engaged later."""
    require_change(actor, case.delivery_partner_id)
    if case.stage == stages.CLOSED:
        raise DomainError("This case is already closed.")
    if destination not in ExitDestination.values:
        raise DomainError("Select where the person went when support ended.", field="destination")
    reason = reason.strip()
    if not reason:
        raise DomainError("Enter why support ended.", field="reason")
    limits.EXIT_REASON.check(reason, field="reason")
    since_enrolment(
        case,
        closed_on,
        label="The date support ended",
        field="closed_on",
        before="Support cannot end before the person was enrolled.",
    )
    with transaction.atomic():
        case = Case.objects.select_for_update().get(pk=case.pk)
        if case.stage == stages.CLOSED:
            raise DomainError("This case is already closed.")
        exit_ = CaseExit.objects.create(
            case=case,
            closed_on=closed_on,
            destination=destination,
            reason=reason,
            stage_before=case.stage,
            created_by=actor.user,
        )
        case.stage = stages.CLOSED
        case.closed_on = closed_on
        case.save(update_fields=["stage", "closed_on", "updated_at"])
        announce(CaseEvent.LEFT_SUPPORT, _left_support(exit_, case))
        audit(
            actor,
            AuditVerb.STATUS_CHANGED,
            case,
            case,
            change="exited",
            destination=destination,
            closed_on=closed_on.isoformat(),
        )
    return exit_


def _left_support(exit_: CaseExit, case: Case) -> LeftSupport:
    ids = {"case_id": case.pk, "exit_id": exit_.pk, "delivery_partner_id": case.delivery_partner_id}
    return LeftSupport(**ids, closed_on=exit_.closed_on, destination=exit_.destination, stage_before=exit_.stage_before)


def case_reengage(*, case: Case, actor: Membership, reengaged_on: date, reason: str) -> Case:
    """A person who returns: reopen the case at the stage it had when support ended."""
    require_change(actor, case.delivery_partner_id)
    reason = reason.strip()
    if not reason:
        raise DomainError("Enter why the person is coming back.", field="reason")
    limits.REENGAGE_REASON.check(reason, field="reason")
    not_future(reengaged_on, "The date of re-engagement")
    with transaction.atomic():
        case = Case.objects.select_for_update().get(pk=case.pk)
        last = case.exits.filter(reengaged_on__isnull=True).order_by("-closed_on", "-created_at").first()
        if case.stage != stages.CLOSED or last is None:
            raise DomainError("Only a closed case can be re-engaged.")
        if reengaged_on < last.closed_on:
            raise DomainError("Re-engagement cannot be before support ended.", field="reengaged_on")
        last.reengaged_on = reengaged_on
        last.reengage_reason = reason
        last.save(update_fields=["reengaged_on", "reengage_reason", "updated_at"])
        case.stage = last.stage_before
        case.closed_on = None
        case.save(update_fields=["stage", "closed_on", "updated_at"])
        ids = {"case_id": case.pk, "exit_id": last.pk, "delivery_partner_id": case.delivery_partner_id}
        announce(CaseEvent.REENGAGED, Reengaged(**ids, reengaged_on=reengaged_on, stage=case.stage))
        audit(
            actor,
            AuditVerb.STATUS_CHANGED,
            case,
            case,
            change="reengaged",
            stage=case.stage,
            reengaged_on=reengaged_on.isoformat(),
        )
    return case


@dataclass(frozen=True)
class EarlyHelpDetails:
    """What the adviser keeps up to date during early help: the fit note, the employer contact, the
    return-to-work plan, Access to Work and the outcome."""

    employer_contact: str = ""
    fit_note_advice: str = FitNoteAdvice.NONE
    fit_note_from: date | None = None
    fit_note_to: date | None = None
    phased_return: bool = False
    adjusted_duties: bool = False
    adjusted_hours: bool = False
    equipment: bool = False
    plan_notes: str = ""
    access_to_work: str = AccessToWork.NOT_NEEDED
    outcome: str = EarlyHelpOutcome.OPEN
    outcome_on: date | None = None


def _check_outcome(details: EarlyHelpDetails, started_on: date) -> None:
    if details.outcome not in EarlyHelpOutcome.values:
        raise DomainError("Select the outcome.", field="outcome")
    if details.outcome == EarlyHelpOutcome.OPEN and details.outcome_on is not None:
        raise DomainError("Leave the outcome date empty while the person is still being supported.", field="outcome_on")
    if details.outcome != EarlyHelpOutcome.OPEN:
        if details.outcome_on is None:
            raise DomainError("Enter the date of the outcome.", field="outcome_on")
        not_future(details.outcome_on, "The date of the outcome")
        if details.outcome_on < started_on:
            raise DomainError("The outcome cannot be before early help started.", field="outcome_on")


def _check_early_help(details: EarlyHelpDetails, started_on: date) -> EarlyHelpDetails:
    if details.fit_note_advice not in FitNoteAdvice.values:
        raise DomainError("Select what the fit note says.", field="fit_note_advice")
    if details.fit_note_advice != FitNoteAdvice.NONE and details.fit_note_from is None:
        raise DomainError("Enter the date the fit note starts.", field="fit_note_from")
    if details.fit_note_from and details.fit_note_to and details.fit_note_to < details.fit_note_from:
        raise DomainError("The fit note's end date cannot be before its start date.", field="fit_note_to")
    if details.access_to_work not in AccessToWork.values:
        raise DomainError("Select the Access to Work status.", field="access_to_work")
    _check_outcome(details, started_on)
    limits.EMPLOYER_CONTACT.check(details.employer_contact, field="employer_contact")
    limits.RETURN_PLAN_NOTES.check(details.plan_notes, field="plan_notes")
    return replace(details, employer_contact=details.employer_contact.strip(), plan_notes=details.plan_notes.strip())


def early_help_start(
    *, case: Case, actor: Membership, situation: str, started_on: date, details: EarlyHelpDetails
) -> EarlyHelp:
    """Start early help for a person in work who is off sick or at risk of falling out of work."""
    require_change(actor, case.delivery_partner_id)
    open_case(case)
    if situation not in EarlyHelpSituation.values:
        raise DomainError("Select the person's situation.", field="situation")
    since_enrolment(
        case,
        started_on,
        label="The start date",
        field="started_on",
        before="Early help cannot start before the person was enrolled.",
    )
    details = _check_early_help(details, started_on)
    with transaction.atomic():
        Case.objects.select_for_update().get(pk=case.pk)
        if case.early_help.filter(outcome=EarlyHelpOutcome.OPEN).exists():
            raise DomainError("Early help is already open for this person: update it instead.")
        help_ = EarlyHelp.objects.create(
            case=case, situation=situation, started_on=started_on, created_by=actor.user, **asdict(details)
        )
        audit(actor, AuditVerb.CREATED, help_, case, case=str(case.pk), situation=situation)
    return help_


def early_help_update(*, early_help: EarlyHelp, actor: Membership, details: EarlyHelpDetails) -> EarlyHelp:
    """Keep the fit note, return-to-work plan, Access to Work and outcome up to date."""
    case = early_help.case
    require_change(actor, case.delivery_partner_id)
    details = _check_early_help(details, early_help.started_on)
    with transaction.atomic():
        for name, value in asdict(details).items():
            setattr(early_help, name, value)
        early_help.save()
        audit(
            actor,
            AuditVerb.UPDATED,
            early_help,
            case,
            case=str(case.pk),
            outcome=details.outcome,
            access_to_work=details.access_to_work,
        )
    return early_help
