"""Writes for the personal plan: goals, actions and onward referrals. One transaction, one audit."""

from __future__ import annotations

import uuid
from collections.abc import Callable
from datetime import date

from django.core.exceptions import ObjectDoesNotExist, ValidationError
from django.db import transaction
from django.utils import timezone

from joinedup.audit.verbs import AuditVerb
from joinedup.core.errors import DomainError
from joinedup.core.events import announce
from joinedup.directory import selectors as directory_selectors
from joinedup.organisations.models import Membership

from .. import limits
from ..checks import audit, audit_by_person, not_future, open_case, require_change, since_enrolment
from ..enrolment.models import Case
from ..events import CaseEvent, PlanGoalChanged
from .models import ActionOwner, GoalStatus, OnwardReferral, OnwardReferralStatus, PlanAction, PlanGoal


def _plan_audit(actor: Membership, case: Case, target: PlanGoal | PlanAction, change: str) -> None:
    audit(actor, AuditVerb.PLAN_UPDATED, target, case, case=str(case.pk), change=change)


def _goal_changed(case: Case, goal: PlanGoal) -> None:
    ids = {"case_id": case.pk, "goal_id": goal.pk, "delivery_partner_id": case.delivery_partner_id}
    announce(CaseEvent.PLAN_GOAL_CHANGED, PlanGoalChanged(**ids, status=goal.status))


def _check_goal_of(case: Case, goal: PlanGoal | None) -> None:
    if goal is not None and goal.case_id != case.pk:
        raise DomainError("Choose one of this person's goals.", field="goal")


def plan_goal_add(*, case: Case, actor: Membership, text: str) -> PlanGoal:
    """A goal, in the person's own words."""
    require_change(actor, case.delivery_partner_id)
    open_case(case)
    text = text.strip()
    if not text:
        raise DomainError("Enter the goal, in the person's words.", field="text")
    limits.GOAL.check(text, field="text")
    with transaction.atomic():
        goal = PlanGoal.objects.create(case=case, text=text, created_by=actor.user)
        _goal_changed(case, goal)
        _plan_audit(actor, case, goal, "goal_added")
    return goal


def plan_goal_set_status(*, goal: PlanGoal, actor: Membership, status: str) -> PlanGoal:
    case = goal.case
    require_change(actor, case.delivery_partner_id)
    if status not in GoalStatus.values:
        raise DomainError("Select the goal's status.", field="status")
    if status == goal.status:
        raise DomainError(f"This goal is already marked '{GoalStatus(status).label.lower()}'.", field="status")
    with transaction.atomic():
        goal.status = status
        goal.status_changed_on = timezone.localdate()
        goal.save(update_fields=["status", "status_changed_on", "updated_at"])
        _goal_changed(case, goal)
        _plan_audit(actor, case, goal, f"goal_{status}")
    return goal


def _check_action(case: Case, *, description: str, owner: str, owner_name: str, due_on: date) -> None:
    if not description:
        raise DomainError("Enter the action.", field="description")
    limits.ACTION.check(description, field="description")
    if owner not in ActionOwner.values:
        raise DomainError("Select who will do this.", field="owner")
    if owner == ActionOwner.OTHER and not owner_name:
        raise DomainError("Enter the name of the person who will do this.", field="owner_name")
    limits.ACTION_OWNER_NAME.check(owner_name, field="owner_name")
    if due_on < case.enrolled_on:
        raise DomainError("The due date cannot be before the person was enrolled.", field="due_on")


def plan_action_add(
    *,
    case: Case,
    actor: Membership,
    description: str,
    owner: str,
    due_on: date,
    owner_name: str = "",
    goal: PlanGoal | None = None,
) -> PlanAction:
    """An action towards the plan, with who does it and by when."""
    require_change(actor, case.delivery_partner_id)
    open_case(case)
    description = description.strip()
    owner_name = owner_name.strip()
    _check_action(case, description=description, owner=owner, owner_name=owner_name, due_on=due_on)
    _check_goal_of(case, goal)
    with transaction.atomic():
        action = PlanAction.objects.create(
            case=case,
            goal=goal,
            description=description,
            owner=owner,
            owner_name=owner_name if owner == ActionOwner.OTHER else "",
            due_on=due_on,
            created_by=actor.user,
        )
        _plan_audit(actor, case, action, "action_added")
    return action


def plan_action_complete(*, action: PlanAction, actor: Membership, done_on: date) -> PlanAction:
    case = action.case
    require_change(actor, case.delivery_partner_id)
    return _complete(action, done_on, lambda: _plan_audit(actor, case, action, "action_done"))


def plan_action_done_by_person(*, action: PlanAction) -> PlanAction:
    """The person marks an action of their plan done, today, on their own pages (decision 022):
    the same rules as the adviser's, audited as the person's own."""
    case = action.case
    open_case(case)
    return _complete(
        action,
        timezone.localdate(),
        lambda: audit_by_person(AuditVerb.PLAN_UPDATED, action, case, case=str(case.pk), change="action_done"),
    )


def _complete(action: PlanAction, done_on: date, audit_it: Callable[[], None]) -> PlanAction:
    since_enrolment(
        action.case,
        done_on,
        label="The date done",
        field="done_on",
        before="The date done cannot be before the person was enrolled.",
    )
    with transaction.atomic():
        locked = PlanAction.objects.select_for_update().get(pk=action.pk)
        if locked.done_on is not None:
            raise DomainError("This action is already marked done.")
        action.done_on = done_on
        action.save(update_fields=["done_on", "updated_at"])
        audit_it()
    return action


def _check_referral(case: Case, *, reason: str, made_on: date, goal: PlanGoal | None) -> None:
    if not reason:
        raise DomainError("Enter why you are referring the person to this service.", field="reason")
    limits.REFERRAL_REASON.check(reason, field="reason")
    since_enrolment(
        case,
        made_on,
        label="The referral date",
        field="made_on",
        before="An onward referral cannot be before the person was enrolled.",
    )
    _check_goal_of(case, goal)


def onward_referral_make(
    *,
    case: Case,
    actor: Membership,
    service_id: uuid.UUID,
    reason: str,
    made_on: date,
    goal: PlanGoal | None = None,
) -> OnwardReferral:
    """Refer the person on, from their plan, to a service published in the directory."""
    require_change(actor, case.delivery_partner_id)
    open_case(case)
    reason = reason.strip()
    _check_referral(case, reason=reason, made_on=made_on, goal=goal)
    try:
        service = directory_selectors.published_service(service_id=service_id)
    except (ObjectDoesNotExist, ValueError, ValidationError) as exc:
        raise DomainError("Choose a service that is published in the directory.", field="service") from exc
    with transaction.atomic():
        Case.objects.select_for_update().get(pk=case.pk)
        if case.onward_referrals.filter(service=service, made_on=made_on, status=OnwardReferralStatus.MADE).exists():
            raise DomainError(
                f"A referral to {service.name} on {made_on:%-d %B %Y} is already recorded.", field="service"
            )
        referral = OnwardReferral.objects.create(
            case=case,
            service=service,
            service_name=service.name,
            organisation_name=service.organisation.name,
            goal=goal,
            reason=reason,
            made_on=made_on,
            status=OnwardReferralStatus.MADE,
            status_changed_on=made_on,
            created_by=actor.user,
        )
        audit(
            actor,
            AuditVerb.REFERRED_ON,
            referral,
            case,
            case=str(case.pk),
            service=str(service.pk),
            service_name=service.name,
            status=OnwardReferralStatus.MADE.value,
        )
    return referral


def onward_referral_update(
    *, referral: OnwardReferral, actor: Membership, status: str, changed_on: date
) -> OnwardReferral:
    """Track an onward referral to its outcome: accepted, declined, attended or no response."""
    case = referral.case
    require_change(actor, case.delivery_partner_id)
    if status not in OnwardReferralStatus.values:
        raise DomainError("Select what happened with the referral.", field="status")
    not_future(changed_on, "The date")
    if changed_on < referral.made_on:
        raise DomainError("The outcome cannot be before the referral was made.", field="changed_on")
    with transaction.atomic():
        locked = OnwardReferral.objects.select_for_update().get(pk=referral.pk)
        if locked.status == status:
            raise DomainError(
                f"This referral is already marked '{OnwardReferralStatus(status).label.lower()}'.", field="status"
            )
        referral.status = status
        referral.status_changed_on = changed_on
        referral.save(update_fields=["status", "status_changed_on", "updated_at"])
        audit(
            actor,
            AuditVerb.REFERRED_ON,
            referral,
            case,
            case=str(case.pk),
            service_name=referral.service_name,
            status=status,
            change="outcome",
        )
    return referral
