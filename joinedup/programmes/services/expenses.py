"""Participant expenses and hardship payments against a partner's budget on a programme."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from uuid import UUID

from django.db import IntegrityError, transaction
from django.db.models import Sum
from django.utils import timezone

from joinedup.audit.verbs import AuditVerb
from joinedup.core.errors import DomainError
from joinedup.organisations.permissions import Membership, Perm

from .. import limits
from ..checks import audit, require, require_own_or_manage
from ..choices import ExpenseKind, ExpenseStatus
from ..models import Budget, Contract, Expense, Participation, Programme

COMMITTED = (ExpenseStatus.REQUESTED, ExpenseStatus.APPROVED)


def budget_set(*, actor: Membership, programme: Programme, partner_id: UUID, amount: Decimal) -> Budget:
    require(actor, Perm.PROGRAMME_MANAGE)
    if not Contract.objects.filter(programme=programme, partner_id=partner_id).exists():
        raise DomainError("That partner is not contracted on the programme", field="partner")
    if amount < 0:
        raise DomainError("The budget cannot be negative", field="amount")
    with transaction.atomic():
        budget, _ = Budget.objects.select_for_update().update_or_create(
            programme=programme, partner_id=partner_id, defaults={"amount": amount}
        )
        if committed(budget) > amount:
            raise DomainError("The budget would be less than what is already approved or asked for", field="amount")
        audit(actor, AuditVerb.UPDATED, budget, amount=amount)
    return budget


def committed(budget: Budget, status: tuple[str, ...] = COMMITTED) -> Decimal:
    return budget.expenses.filter(status__in=status).aggregate(s=Sum("amount"))["s"] or Decimal(0)


def _replayed(participation: Participation, submission_key: UUID | None) -> Expense | None:
    """The payment a submission key already asked for (a retried request), if any."""
    if submission_key is None:
        return None
    existing = Expense.objects.filter(submission_key=submission_key).first()
    if existing is not None and existing.participation_id != participation.pk:
        raise DomainError("This form has already been used for someone else. Open the form again")
    return existing


def expense_request(
    *,
    actor: Membership,
    participation: Participation,
    kind: str,
    amount: Decimal,
    needed_on: date,
    note: str,
    submission_key: UUID | None = None,
) -> Expense:
    """An adviser asks for a payment for a participant; refused if it would overspend the budget.
    A submission key already used returns the first payment unchanged, so a retried or
    double-clicked request never asks twice."""
    require(actor, Perm.CASE_CHANGE_ORG)
    if participation.partner_id != actor.organisation_id:
        raise DomainError("This participant is not at your organisation")
    existing = _replayed(participation, submission_key)
    if existing is not None:
        return existing
    try:
        return _expense_create(actor, participation, kind, amount, needed_on, note, submission_key)
    except IntegrityError:
        # Two requests with one key raced; the other one won. Return its payment.
        existing = _replayed(participation, submission_key)
        if existing is not None:
            return existing
        raise


def _expense_create(
    actor: Membership,
    participation: Participation,
    kind: str,
    amount: Decimal,
    needed_on: date,
    note: str,
    submission_key: UUID | None,
) -> Expense:
    if kind not in ExpenseKind.values:
        raise DomainError("Choose what the payment is for", field="kind")
    if amount <= 0:
        raise DomainError("The amount must be more than £0", field="amount")
    note = (note or "").strip()
    if not note:
        raise DomainError("Say what the payment is for and why it is needed", field="note")
    if len(note) > limits.NOTE.max_length:
        raise DomainError(limits.NOTE.message, field="note")
    with transaction.atomic():
        budget = (
            Budget.objects.select_for_update()
            .filter(programme_id=participation.programme_id, partner_id=participation.partner_id)
            .first()
        )
        if budget is None:
            raise DomainError("Your organisation has no expenses budget on this programme", field="amount")
        left = budget.amount - committed(budget)
        if amount > left:
            raise DomainError(f"£{amount:,.2f} is more than the £{left:,.2f} left in the budget", field="amount")
        expense = Expense.objects.create(
            budget=budget, participation=participation, kind=kind, amount=amount, needed_on=needed_on, note=note,
            created_by=actor.user, submission_key=submission_key,
        )  # fmt: skip
        audit(actor, AuditVerb.CREATED, expense, None, kind=kind, amount=amount)
    return expense


def expense_decide(*, actor: Membership, expense: Expense, approve: bool) -> Expense:
    """The partner manager approves or refuses a requested payment."""
    require_own_or_manage(actor, expense.participation.partner_id, Perm.EXPENSE_APPROVE_ORG)
    if expense.status != ExpenseStatus.REQUESTED:
        raise DomainError("This payment has already been decided")
    with transaction.atomic():
        expense.status = ExpenseStatus.APPROVED if approve else ExpenseStatus.REFUSED
        expense.decided_by, expense.decided_at = actor.user, timezone.now()
        expense.save(update_fields=["status", "decided_by", "decided_at", "updated_at"])
        audit(actor, AuditVerb.EXPENSE_DECIDED, expense, None, status=expense.status)
    return expense
