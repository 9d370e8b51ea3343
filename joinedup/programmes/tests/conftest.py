"""Fixtures for the programmes tests: a programme on the test partnership, set up through the services."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal
from typing import cast

import pytest
from django.utils import timezone

from joinedup.organisations.models import Membership, Organisation
from joinedup.programmes import services
from joinedup.programmes.choices import FunderKind, InvestmentPriority, Outcome, TariffModel
from joinedup.testkit import Partnership

WORKING_WELL = [
    services.RuleInput(Outcome.ATTACHMENT, Decimal(50), "Enrolled on the programme with eligibility evidenced"),
    services.RuleInput(
        Outcome.JOB_ENTRY, Decimal(20), "A job start of 16 hours a week or more", min_hours_per_week=Decimal(16)
    ),
    services.RuleInput(Outcome.SUSTAINED, Decimal(30), "26 weeks in work, evidenced", sustained_weeks=26),
]


def make_programme(partnership: Partnership, *, code: str = "nihes", name: str = "Norfolk IHES", years: int = 3):
    today = timezone.localdate()
    manager = cast(Membership, partnership.programme)
    programme = services.programme_create(
        actor=manager,
        name=name,
        code=code,
        investment_priority=InvestmentPriority.IP_1_4,
        starts_on=today.replace(month=1, day=1) - timedelta(days=366 * 2),
        ends_on=today.replace(month=12, day=31) + timedelta(days=365 * (years - 2)),
        contract_value=Decimal("1000000"),
        funders=[
            services.FunderInput("European Social Fund", FunderKind.ESF, Decimal(50)),
            services.FunderInput("Norfolk County Council", FunderKind.MATCH, Decimal(30)),
            services.FunderInput("NHS Norfolk and Waveney", FunderKind.MATCH, Decimal(20)),
        ],
    )
    services.contract_set(
        actor=manager,
        programme=programme,
        partner_id=cast(Organisation, partnership.partner_a).pk,
        allocated_starts=400,
        value=Decimal("600000"),
    )
    services.tariff_set(
        actor=manager,
        programme=programme,
        model=TariffModel.OUTCOMES,
        price_per_participant=Decimal("3000"),
        delivery_fee_percent=Decimal(0),
        rules=WORKING_WELL,
    )
    return programme


@pytest.fixture
def programme(partnership):
    return make_programme(partnership)


def esf_input(**overrides):
    from joinedup.programmes.services.participants import EsfInput

    values = {
        "gender": "female",
        "labour_market_status": "long_term_unemployed",
        "isced": "isced2",
        "jobless_household": "yes",
        "dependent_children": "no",
        "single_adult_dependent_children": "no",
        "basic_skills_need": "no",
        "homeless": "no",
        "rural": "no",
        "disability": "yes",
        "ethnic_minority_migrant": "prefer_not",
        "other_disadvantage": "no",
    }
    values.update(overrides)
    return EsfInput(**values)


def enrol_back(partnership: Partnership, days_ago: int, **refer):
    """A case enrolled `days_ago` (its referral made the day before)."""
    from joinedup.referrals.models import Referral

    referral = partnership.refer(**refer)
    Referral.objects.filter(pk=referral.pk).update(created_at=timezone.now() - timedelta(days=days_ago + 1))
    referral.refresh_from_db()
    return partnership.enrol(partnership.assign(referral), days_ago=days_ago)
