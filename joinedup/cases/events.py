"""What happens to a case, declared once (see `joinedup.core.events`). The case services announce
these inside their transaction; other apps subscribe (the monthly tallies: `outcomes.subscribers`).

Payloads carry ids and values, not model instances: what a subscriber needs to keep its own
records, and the delivery partner, as every count the partnership keeps is by partner.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import date, datetime

from joinedup.core.events import Event, declare


@dataclass(frozen=True)
class Enrolled:
    case_id: uuid.UUID
    person_id: uuid.UUID
    referral_id: uuid.UUID
    delivery_partner_id: uuid.UUID
    enrolled_on: date
    referral_created_at: datetime  # when the referral was received: conversion is counted in that month


@dataclass(frozen=True)
class ContactRecorded:
    case_id: uuid.UUID
    contact_id: uuid.UUID
    delivery_partner_id: uuid.UUID
    happened_on: date
    channel: str
    kind: str


@dataclass(frozen=True)
class JobStarted:
    case_id: uuid.UUID
    job_start_id: uuid.UUID
    delivery_partner_id: uuid.UUID
    start_date: date
    contract_type: str


@dataclass(frozen=True)
class MilestoneRecorded:
    """An in-work milestone (`weeks` 4, 13 or 26, or the `months` 6 follow-up) and its outcome."""

    case_id: uuid.UUID
    job_start_id: uuid.UUID
    sustainment_id: uuid.UUID
    delivery_partner_id: uuid.UUID
    weeks: int | None
    months: int | None
    outcome: str
    in_work: bool  # the outcome is still in work or a changed job (`models.IN_WORK_OUTCOMES`)
    achieved_on: date


@dataclass(frozen=True)
class LeftSupport:
    case_id: uuid.UUID
    exit_id: uuid.UUID
    delivery_partner_id: uuid.UUID
    closed_on: date
    destination: str
    stage_before: str


@dataclass(frozen=True)
class Reengaged:
    case_id: uuid.UUID
    exit_id: uuid.UUID
    delivery_partner_id: uuid.UUID
    reengaged_on: date
    stage: str  # the stage the case is back at


@dataclass(frozen=True)
class PlanGoalChanged:
    """A plan goal added, or its status changed (the goals being worked on are matched to vacancies)."""

    case_id: uuid.UUID
    goal_id: uuid.UUID
    delivery_partner_id: uuid.UUID
    status: str


@dataclass(frozen=True)
class BetterOffKept:
    """A better-off calculation kept against a case (its results may follow from the worker)."""

    case_id: uuid.UUID
    calculation_id: uuid.UUID
    delivery_partner_id: uuid.UUID


class CaseEvent:
    """The case events, by name: `announce(CaseEvent.ENROLLED, Enrolled(...))`."""

    ENROLLED = Event("case.enrolled", Enrolled)
    CONTACT_RECORDED = Event("case.contact_recorded", ContactRecorded)
    JOB_STARTED = Event("case.job_started", JobStarted)
    MILESTONE_RECORDED = Event("case.milestone_recorded", MilestoneRecorded)
    LEFT_SUPPORT = Event("case.left_support", LeftSupport)
    REENGAGED = Event("case.reengaged", Reengaged)
    PLAN_GOAL_CHANGED = Event("case.plan_goal_changed", PlanGoalChanged)
    BETTER_OFF_KEPT = Event("case.better_off_kept", BetterOffKept)


ALL = (
    CaseEvent.ENROLLED,
    CaseEvent.CONTACT_RECORDED,
    CaseEvent.JOB_STARTED,
    CaseEvent.MILESTONE_RECORDED,
    CaseEvent.LEFT_SUPPORT,
    CaseEvent.REENGAGED,
    CaseEvent.PLAN_GOAL_CHANGED,
    CaseEvent.BETTER_OFF_KEPT,
)
declare(*ALL)
