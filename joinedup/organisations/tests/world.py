"""The partnership the permission tests act in (`world` in conftest.py), and the roles by name."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

from django.utils import timezone

from joinedup.cases.models import Case, JobStart
from joinedup.organisations.models import Role
from joinedup.referrals.models import Referral
from joinedup.testkit import Partnership

ROLES = [r.value for r in Role]

R, PA, PM, PROG, AN, ADM = (
    Role.REFERRER,
    Role.PERSONAL_ADVISER,
    Role.PARTNER_MANAGER,
    Role.PROGRAMME_MANAGER,
    Role.ANALYST,
    Role.ADMINISTRATOR,
)


@dataclass
class World:
    p: Partnership
    received: Referral  # waiting in the triage queue
    assigned: Referral  # assigned to partner A, waiting to be enrolled
    case_a: Case  # partner A's case, in work long enough for the 13-week milestone
    job_a: JobStart
    case_b: Case  # partner B's case
    job_b: JobStart
    assigned_b: Referral  # assigned to partner B, waiting to be enrolled


def backdate(referral: Referral, days: int) -> Referral:
    Referral.objects.filter(pk=referral.pk).update(created_at=timezone.now() - timedelta(days=days))
    referral.refresh_from_db()
    return referral


def build_world(p: Partnership) -> World:
    """Referrals at each stage and a case with a job start at each of partners A and B."""
    received = p.refer(given_name="Rhiannon", family_name="Received")
    assigned = p.assign(p.refer(given_name="Ade", family_name="Assigned"))
    case_a = p.enrol(p.assign(backdate(p.refer(given_name="Casey", family_name="Aardvark"), 200)), days_ago=150)
    job_a = p.job_start(case_a, days_ago=100)
    ref_b = p.assign(
        backdate(p.refer(given_name="Bethan", family_name="Bexley"), 200), partner=p.partner_b, adviser=p.adviser_b
    )
    case_b = p.enrol(ref_b, adviser=p.adviser_b, days_ago=150)
    job_b = p.job_start(case_b, adviser=p.adviser_b, days_ago=100)
    assigned_b = p.assign(
        p.refer(given_name="Bryn", family_name="Bexleyheath"), partner=p.partner_b, adviser=p.adviser_b
    )
    return World(p, received, assigned, case_a, job_a, case_b, job_b, assigned_b)


def member(world: World, role: str):
    return world.p.by_role()[role]
