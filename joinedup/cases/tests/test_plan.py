"""The personal plan: goals in the person's words, actions with owner and due date, review dates; printable."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from joinedup.audit.models import AuditEvent, AuditVerb
from joinedup.cases.enrolment import stages
from joinedup.cases.enrolment.models import Case
from joinedup.cases.plan.models import GoalStatus, PlanAction, PlanGoal
from joinedup.cases.plan.selectors import case_plan
from joinedup.cases.plan.services import plan_action_add, plan_action_complete, plan_goal_add, plan_goal_set_status
from joinedup.core.errors import DomainError, NotPermitted

from .test_services import backdate
from .test_views import day, summary


def today():
    return timezone.localdate()


@pytest.fixture
def case(partnership):
    return partnership.enrol(partnership.assign(backdate(partnership.refer(), 100)), days_ago=60)


def counts() -> tuple[int, int, int]:
    return PlanGoal.objects.count(), PlanAction.objects.count(), AuditEvent.objects.count()


def test_goals_and_actions_each_write_one_audit_event(partnership, case):
    a = partnership.adviser_a
    before = counts()
    goal = plan_goal_add(case=case, actor=a, text="  I want to work with animals  ")
    action = plan_action_add(
        case=case,
        actor=a,
        description="Visit the kennels",
        owner="person",
        due_on=today() + timedelta(days=7),
        goal=goal,
    )
    other = plan_action_add(
        case=case, actor=a, description="Ask about Access to Work", owner="other", owner_name="DEA", due_on=today()
    )
    plan_action_complete(action=action, actor=a, done_on=today())
    plan_goal_set_status(goal=goal, actor=a, status=GoalStatus.ACHIEVED)
    assert counts() == (before[0] + 1, before[1] + 2, before[2] + 5)
    assert set(AuditEvent.objects.order_by("-id").values_list("verb", flat=True)[:5]) == {AuditVerb.PLAN_UPDATED}
    assert goal.text == "I want to work with animals"
    plan = case_plan(case=case)
    assert [(g.goal, g.actions) for g in plan.goals] == [(goal, [action]), (None, [other])]
    assert plan.open_goals == 0 and plan.overdue_actions == 0
    assert other.owner_name == "DEA"


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"description": "  "}, "description"),
        ({"description": "x" * 501}, "description"),
        ({"owner": "cat"}, "owner"),
        ({"owner": "other", "owner_name": " "}, "owner_name"),
        ({"due_on": timezone.localdate() - timedelta(days=61)}, "due_on"),
    ],
)
def test_bad_actions_are_refused_and_nothing_saved(partnership, case, overrides, field):
    values = {"description": "Update CV", "owner": "adviser", "due_on": today()} | overrides
    before = counts()
    with pytest.raises(DomainError) as exc:
        plan_action_add(case=case, actor=partnership.adviser_a, **values)
    assert exc.value.field == field
    assert counts() == before


def test_refusals(partnership, case):
    a = partnership.adviser_a
    before = counts()
    with pytest.raises(DomainError, match="in the person's words"):
        plan_goal_add(case=case, actor=a, text=" ")
    with pytest.raises(NotPermitted):
        plan_goal_add(case=case, actor=partnership.adviser_b, text="Work")
    other_case = partnership.enrol(partnership.assign(backdate(partnership.refer(given_name="Other"), 10)))
    foreign_goal = plan_goal_add(case=other_case, actor=a, text="Theirs")
    with pytest.raises(DomainError, match="this person's goals"):
        plan_action_add(case=case, actor=a, description="x", owner="adviser", due_on=today(), goal=foreign_goal)
    action = plan_action_add(case=case, actor=a, description="x", owner="adviser", due_on=today() - timedelta(days=1))
    assert case_plan(case=case).overdue_actions == 1
    with pytest.raises(DomainError, match="today or in the past"):
        plan_action_complete(action=action, actor=a, done_on=today() + timedelta(days=1))
    plan_action_complete(action=action, actor=a, done_on=today())
    with pytest.raises(DomainError, match="already marked done"):
        plan_action_complete(action=PlanAction.objects.get(pk=action.pk), actor=a, done_on=today())
    goal = plan_goal_add(case=case, actor=a, text="Mine")
    with pytest.raises(DomainError, match="already marked"):
        plan_goal_set_status(goal=goal, actor=a, status="open")
    # the other case (referred, assigned, enrolled: 3), its goal, this action, its completion, this goal
    assert counts() == (before[0] + 2, before[1] + 1, before[2] + 7)
    Case.objects.filter(pk=case.pk).update(stage=stages.CLOSED)
    case.refresh_from_db()
    with pytest.raises(DomainError, match="closed"):
        plan_goal_add(case=case, actor=a, text="More")


def test_the_plan_pages(client, partnership, case):
    client.force_login(partnership.adviser_a.user)
    response = client.post(f"/cases/{case.pk}/plan/goals/new/", {"text": ""})
    assert response.status_code == 400 and "Enter the goal, in the person's words" in summary(response)
    assert client.post(f"/cases/{case.pk}/plan/goals/new/", {"text": "Drive a forklift"}).status_code == 302
    goal = PlanGoal.objects.get()
    data = {"description": "Book the licence course", "owner": "person", "goal": str(goal.pk)}
    response = client.post(f"/cases/{case.pk}/plan/actions/new/", data | day("due_on", today()))
    assert response.status_code == 302 and response["Location"] == f"/cases/{case.pk}/plan/"
    action = PlanAction.objects.get()
    assert action.goal == goal
    response = client.post(f"/cases/{case.pk}/plan/actions/{action.pk}/done/", day("done_on", today()))
    assert response.status_code == 302
    before = AuditEvent.objects.count()
    page = client.get(f"/cases/{case.pk}/plan/").content.decode()
    assert AuditEvent.objects.count() == before + 1  # reading the plan is audited
    assert "Drive a forklift" in page and "Book the licence course" in page and "@media print" in page
    assert client.post(f"/cases/{case.pk}/plan/goals/{goal.pk}/status/", {"status": "achieved"}).status_code == 302
    response = client.post(f"/cases/{case.pk}/plan/goals/{goal.pk}/status/", {"status": "achieved"})
    assert response.status_code == 400 and "already marked" in response.content.decode()
    assert client.get(f"/cases/{case.pk}/plan/goals/{goal.pk}/status/").status_code == 405
    client.force_login(partnership.adviser_b.user)
    for url in ["plan/", "plan/goals/new/", f"plan/actions/{action.pk}/done/"]:
        assert client.get(f"/cases/{case.pk}/{url}").status_code == 404
    assert client.post(f"/cases/{case.pk}/plan/goals/{goal.pk}/status/", {"status": "open"}).status_code == 404
