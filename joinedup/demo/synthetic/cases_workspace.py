"""The Personal Adviser's workspace for each case: SWEMWBS and an assessment at the start and at
reviews (wellbeing at exit too), two goals and three actions."""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from datetime import date

from joinedup.cases.models import (
    ActionOwner,
    AreaRating,
    Assessment,
    AssessmentArea,
    GoalStatus,
    PlanAction,
    PlanGoal,
    WellbeingMeasure,
)
from joinedup.cases.wellbeing import instruments
from joinedup.demo.synth.base import NULL, check_copy_text

from . import synthetic

GOALS = [
    "Find a part-time job I can manage alongside my health",
    "Feel confident enough to go to interviews",
    "Get back into work in retail or care",
    "Sort out my debts so I can think about work",
    "Learn to use a computer for job applications",
    "Get a qualification in food hygiene",
    "Manage my anxiety on the bus so I can travel to work",
    "Try volunteering to build up my routine",
    "Understand whether I will be better off working",
    "Start my own small business",
    "Keep my job and stay well at work",
    "Find stable housing before starting work",
]
ACTIONS = [
    ("Update my CV with the adviser", ActionOwner.PERSON),
    ("Book a better-off-in-work calculation", ActionOwner.ADVISER),
    ("Apply for three jobs a week", ActionOwner.PERSON),
    ("Contact the employer about adjustments", ActionOwner.ADVISER),
    ("Go to the job club on Tuesday", ActionOwner.PERSON),
    ("Refer to debt advice", ActionOwner.ADVISER),
    ("Ask the GP about a fit note review", ActionOwner.PERSON),
    ("Find out about Access to Work", ActionOwner.ADVISER),
    ("Practise interview questions", ActionOwner.PERSON),
    ("Look into bus passes", ActionOwner.OTHER),
]
ASSESSMENT_SUMMARIES = ["", "", "Main barriers are health and confidence.", "Keen to work; transport is hard."]
check_copy_text(GOALS, [a for a, _o in ACTIONS], ASSESSMENT_SUMMARIES)


@synthetic(WellbeingMeasure, demo="case_services.wellbeing_record at the start and at a review")
def wellbeing(plan, row: Callable[..., str]) -> Iterator[str]:
    """SWEMWBS answers around the person's level, most improving a little at each review."""
    rng = plan.rng("wellbeing")
    ids, case_ids = plan.ids["wellbeing"], plan.ids["case"]
    swemwbs = instruments.instrument(instruments.SWEMWBS)
    scored = {t: instruments.score(instruments.SWEMWBS, [t // 7 + (k < t % 7) for k in range(7)]) for t in range(7, 36)}
    n = 0
    for i in plan.enrolled():
        level = rng.gauss(2.6, 0.6)  # the person's average answer at the start
        gain = rng.gauss(0.25, 0.3)  # change per review: most improve a little, some get worse
        for k, (day, timepoint) in enumerate(plan.reviews(i)):
            mean = level + gain * k
            answers = [min(swemwbs.maximum, max(swemwbs.minimum, round(rng.gauss(mean, 0.7)))) for _ in range(7)]
            s = scored[sum(answers)]
            ts = plan.day(day) + " 10:30:00"
            yield row(
                id=ids(n), created_at=ts, updated_at=ts, created_by=plan.adviser_uid(i), case=case_ids(i),
                instrument=instruments.SWEMWBS, answers=json.dumps(answers), total=s.total, converted=s.converted,
                band=s.band, recorded_on=plan.day(day), timepoint=timepoint,
            )  # fmt: skip
            n += 1


@synthetic(Assessment, demo="case_services.assessment_record at the start and at a review")
def assessments(plan, row: Callable[..., str]) -> Iterator[str]:
    rng = plan.rng("assessments")
    ids, case_ids = plan.ids["assess"], plan.ids["case"]
    for i, n, day, _k in plan.assessments():
        ts = plan.day(day) + " 11:00:00"
        yield row(
            id=ids(n), created_at=ts, updated_at=ts, created_by=plan.adviser_uid(i), case=case_ids(i),
            assessed_on=plan.day(day), summary=rng.choice(ASSESSMENT_SUMMARIES),
        )  # fmt: skip


@synthetic(AreaRating, demo="case_services.assessment_record, one rating per area")
def area_ratings(plan, row: Callable[..., str]) -> Iterator[str]:
    """Every area rated 1-5 at each assessment; later assessments a little better."""
    rng = plan.rng("ratings")
    ids, assessment_ids = plan.ids["rating"], plan.ids["assess"]
    areas = list(AssessmentArea.values)
    randrange = rng.randrange
    n = 0
    for i, k, day, which in plan.assessments():
        ts = plan.day(day) + " 11:00:00"
        uid, assessment = plan.adviser_uid(i), assessment_ids(k)
        better = which > 0
        for area in areas:
            rating = min(5, 1 + randrange(5) + (randrange(2) if better else 0))
            yield row(
                id=ids(n), created_at=ts, updated_at=ts, created_by=uid, assessment=assessment, area=area,
                rating=rating,
            )  # fmt: skip
            n += 1


@synthetic(PlanGoal, demo="case_services.plan_goal_add")
def goals(plan, row: Callable[..., str]) -> Iterator[str]:
    """Two goals a case; the first achieved when the person starts work."""
    rng = plan.rng("goals")
    ids, case_ids = plan.ids["goal"], plan.ids["case"]
    for i in plan.enrolled():
        start = plan.t2[i] // 1440
        for k in range(2):
            ts = plan.day(start) + " 11:30:00"
            done = plan.job[i] if (k == 0 and plan.job[i] >= 0) else -1
            yield row(
                id=ids(2 * i + k), created_at=ts, updated_at=ts, created_by=plan.adviser_uid(i), case=case_ids(i),
                text=rng.choice(GOALS), status=GoalStatus.ACHIEVED if done >= 0 else GoalStatus.OPEN,
                status_changed_on=plan.day(done) if done >= 0 else NULL,
            )  # fmt: skip


@synthetic(PlanAction, demo="case_services.plan_action_add")
def actions(plan, row: Callable[..., str]) -> Iterator[str]:
    """Three actions a case, due over its first weeks; three in four done by when they were due."""
    rng = plan.rng("actions")
    ids, case_ids, goal_ids = plan.ids["action"], plan.ids["case"], plan.ids["goal"]
    last = plan.cutoff_day - 1
    for i in plan.enrolled():
        start = plan.t2[i] // 1440
        for k in range(3):
            text, owner = rng.choice(ACTIONS)
            due = start + 7 + 14 * k + rng.randrange(14)
            done = due - rng.randrange(5) if due <= last and rng.random() < 0.75 else -1
            ts = plan.day(start) + " 11:45:00"
            yield row(
                id=ids(3 * i + k), created_at=ts, updated_at=ts, created_by=plan.adviser_uid(i), case=case_ids(i),
                goal=goal_ids(2 * i + k % 2), description=text, owner=owner,
                owner_name="Bus company" if owner == ActionOwner.OTHER else "",
                due_on=date.fromordinal(due).isoformat(),
                done_on=plan.day(max(start, min(done, last))) if done >= 0 else NULL,
            )  # fmt: skip
