"""The matching table kept in step from the case and person events, in the announcing service's
transaction (`match_table`, decision 030). Registered from `EmployersConfig.ready()`."""

from __future__ import annotations

from joinedup.cases.events import (
    BetterOffKept,
    CaseEvent,
    Enrolled,
    JobStarted,
    LeftSupport,
    PlanGoalChanged,
    Reengaged,
)
from joinedup.core.events import Event, Subscriber
from joinedup.people.events import PeopleMerged, PersonEvent, PersonUpdated

from .match_table import match_rows_refresh, match_rows_refresh_people

# The person's fields the matching table copies or depends on.
PERSON_FIELDS = frozenset({"given_name", "family_name", "postcode", "archived_at"})


def enrolled(event: Enrolled) -> None:
    match_rows_refresh(case_ids=[event.case_id])


def job_started(event: JobStarted) -> None:
    match_rows_refresh(case_ids=[event.case_id])


def left_support(event: LeftSupport) -> None:
    match_rows_refresh(case_ids=[event.case_id])


def reengaged(event: Reengaged) -> None:
    match_rows_refresh(case_ids=[event.case_id])


def goal_changed(event: PlanGoalChanged) -> None:
    match_rows_refresh(case_ids=[event.case_id])


def better_off_kept(event: BetterOffKept) -> None:
    match_rows_refresh(case_ids=[event.case_id])


def person_updated(event: PersonUpdated) -> None:
    if PERSON_FIELDS & set(event.fields):
        match_rows_refresh_people(person_ids=[event.person_id])


def people_merged(event: PeopleMerged) -> None:
    match_rows_refresh_people(person_ids=[event.survivor_id, event.duplicate_id])


SUBSCRIBERS: dict[Event | str, list[Subscriber]] = {
    CaseEvent.ENROLLED: [enrolled],
    CaseEvent.JOB_STARTED: [job_started],
    CaseEvent.LEFT_SUPPORT: [left_support],
    CaseEvent.REENGAGED: [reengaged],
    CaseEvent.PLAN_GOAL_CHANGED: [goal_changed],
    CaseEvent.BETTER_OFF_KEPT: [better_off_kept],
    PersonEvent.UPDATED: [person_updated],
    PersonEvent.MERGED: [people_merged],
}
