"""Reads for the personal plan: goals with their actions, and onward referrals."""

from __future__ import annotations

from dataclasses import dataclass
from uuid import UUID

from django.core.exceptions import ValidationError
from django.http import Http404
from django.utils import timezone

from joinedup.core.selectors import get_in_scope
from joinedup.directory import selectors as directory_selectors

from ..enrolment.models import Case
from .models import GoalStatus, OnwardReferral, PlanAction, PlanGoal


@dataclass(frozen=True)
class GoalWithActions:
    goal: PlanGoal | None  # None holds the actions not tied to a goal
    actions: list[PlanAction]


@dataclass(frozen=True)
class Plan:
    goals: list[GoalWithActions]
    overdue_actions: int
    open_goals: int


def case_plan(*, case: Case) -> Plan:
    """The personal plan: each goal with its actions, then actions with no goal. Two queries."""
    today = timezone.localdate()
    goals = list(PlanGoal.objects.filter(case=case))
    actions = list(PlanAction.objects.filter(case=case))
    by_goal: dict[object, list[PlanAction]] = {}
    for a in actions:
        by_goal.setdefault(a.goal_id, []).append(a)
    grouped = [GoalWithActions(g, by_goal.get(g.pk, [])) for g in goals]
    if by_goal.get(None):
        grouped.append(GoalWithActions(None, by_goal[None]))
    return Plan(
        goals=grouped,
        overdue_actions=sum(1 for a in actions if a.done_on is None and a.due_on < today),
        open_goals=sum(1 for g in goals if g.status == GoalStatus.OPEN),
    )


def plan_goal_get(*, case: Case, pk: UUID | str) -> PlanGoal:
    try:
        return case.goals.get(pk=pk)
    except (PlanGoal.DoesNotExist, ValueError, ValidationError) as exc:
        raise Http404("No such goal") from exc


def plan_action_get(*, case: Case, pk: UUID | str) -> PlanAction:
    try:
        return case.plan_actions.get(pk=pk)
    except (PlanAction.DoesNotExist, ValueError, ValidationError) as exc:
        raise Http404("No such action") from exc


def onward_referrals(*, case: Case) -> list[OnwardReferral]:
    return list(OnwardReferral.objects.filter(case=case).select_related("goal"))


def onward_referral_get(*, case: Case, pk: UUID | str) -> OnwardReferral:
    return get_in_scope(case.onward_referrals.all(), pk=pk)


def services_to_refer_to(*, text: str = "", limit: int = 300) -> list:
    """Published directory services an adviser can refer on to, through the directory's own selector."""
    return list(directory_selectors.published_services(text=text)[:limit])


def services_to_refer_to_suggestion(*, text: str) -> str:
    """For a search of services to refer to that found none: the directory's "did you mean" (a search
    that finds a published service), or ""."""
    return directory_selectors.did_you_mean(text) if text else ""


def open_goal_texts(*, case_ids: list[UUID]) -> dict[UUID, list[str]]:
    """The goals being worked on, by case, for matching people to vacancies (`employers`)."""
    out: dict[UUID, list[str]] = {}
    rows = PlanGoal.objects.filter(case_id__in=case_ids, status=GoalStatus.OPEN).order_by("created_at")
    for case_id, text in rows.values_list("case_id", "text"):
        out.setdefault(case_id, []).append(text)
    return out
