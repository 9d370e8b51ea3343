"""Issue 20 (decision 022): two demo people who can sign in to their own pages at /you/ with the
email address printed by `make run` (the console email backend prints the link and code in the
server's output). Through the real services; idempotent (fixed submission keys)."""

from __future__ import annotations

import uuid
from datetime import date, timedelta
from decimal import Decimal
from typing import Any

from django.db import transaction
from django.utils import timezone

from joinedup.cases import services as case_services
from joinedup.cases.models import ActionOwner
from joinedup.organisations.models import Membership
from joinedup.referrals import services as referral_services
from joinedup.referrals.models import Referral

_NAMESPACE = uuid.UUID("0c3e6a52-54a7-4d8e-9f38-5f8a2e1b7d20")
# email, given name, family name, in work?
PEOPLE = [
    ("jordan.ellis@example.com", "Jordan", "Ellis", False),
    ("maya.patel@example.com", "Maya", "Patel", True),
]


def load_portal_demo(*, referrer: Membership, programme: Membership, adviser: Membership) -> list[tuple[str, str]]:
    """The two people (made once) and their email addresses and names, to print."""
    today = timezone.localdate()
    for n, (email, given, family, in_work) in enumerate(PEOPLE):
        key = uuid.uuid5(_NAMESPACE, f"portal-demo-{n}")
        if Referral.objects.filter(submission_key=key).exists():
            continue
        with transaction.atomic():
            referral, _ = referral_services.referral_create(
                actor=referrer,
                data=referral_services.ReferralInput(
                    given_name=given,
                    family_name=family,
                    date_of_birth=date(1990 - 7 * n, 3, 14),
                    postcode="NG18 1AB",
                    employment_status="unemployed",
                    health_condition="mental_health",
                    help_wanted="Getting back to work a few hours a week",
                    consent_referral=True,
                    consent_share_progress=True,
                    email=email,
                    benefits=["uc_lcw"],
                ),
                submission_key=key,
                channel="command",
            )
            referral = referral_services.referral_assign(
                referral=referral,
                actor=programme,
                delivery_partner=adviser.organisation,
                adviser=adviser.user,
                reason="",
            )
            case = case_services.case_enrol(
                referral=referral,
                actor=adviser,
                enrolled_on=today,
                eligibility_confirmed=True,
                eligibility_evidence="Benefit award letter seen",
                consent_to_support=True,
            )
            _plan(case, adviser, today, in_work)
    return [(email, f"{given} {family}") for email, given, family, _ in PEOPLE]


def _plan(case: Any, adviser: Membership, today: date, in_work: bool) -> None:
    goal = case_services.plan_goal_add(case=case, actor=adviser, text="Find a job in a shop, mornings only")
    for description, days in (("Write a CV with my adviser", 7), ("Visit the library jobs club", 14)):
        case_services.plan_action_add(
            case=case,
            actor=adviser,
            description=description,
            owner=ActionOwner.PERSON,
            due_on=today + timedelta(days=days),
            goal=goal,
        )
    case_services.case_next_step_set(
        case=case,
        actor=adviser,
        next_action="Meet at the library on Tuesday at 10am",
        next_review_on=today + timedelta(days=21),
    )
    if in_work:
        case_services.job_start_record(
            case=case,
            actor=adviser,
            employer_name="Boots",
            job_title="Retail assistant",
            hours_per_week=Decimal("16"),
            hourly_pay=Decimal("12.71"),
            start_date=today,
        )
