"""The demo partnership's programmes (issue 15): two programmes with funders, targets, contracts and
tariffs, set up before the demo people are enrolled (so their cases join them); then ESF
participant data, a course or two, expenses and a month of claims, all through the services."""

from __future__ import annotations

import random
from datetime import date, timedelta
from decimal import Decimal

from django.utils import timezone

from joinedup.organisations.models import Membership, Organisation
from joinedup.programmes import services
from joinedup.programmes.choices import FunderKind, Outcome, TariffModel
from joinedup.programmes.models import Participation, Programme
from joinedup.programmes.services.participants import EsfInput

ESF_CODE, WW_CODE = "nihes-demo", "working-well-demo"


def _rules(*, attachment: int, job: int, sustained: int) -> list[services.RuleInput]:
    return [
        services.RuleInput(
            Outcome.ATTACHMENT, Decimal(attachment), "Enrolled with eligibility evidenced and consent to support"
        ),
        services.RuleInput(
            Outcome.JOB_ENTRY,
            Decimal(job),
            "A paid job or self-employment of 16 hours a week or more, started while on the programme",
            min_hours_per_week=Decimal(16),
        ),
        services.RuleInput(
            Outcome.SUSTAINED,
            Decimal(sustained),
            "26 weeks in work (the same or a changed job), evidenced by payslips or the employer",
            sustained_weeks=26,
        ),
    ]


def programmes_set_up(*, manager: Membership, partners: list[Organisation]) -> list[Programme]:
    """Two programmes running now: an ESF-funded one (ESF 50%, council and NHS match) with two
    partners on a 50/20/30 tariff, and a delivery fee plus outcomes one with the third partner."""
    found = list(Programme.objects.filter(code__in=[ESF_CODE, WW_CODE]))
    if found:
        return found
    today = timezone.localdate()
    starts, ends = date(today.year - 3, 1, 1), date(today.year + 2, 12, 31)
    esf = services.programme_create(
        actor=manager,
        name="Integrated Health and Employment Service",
        code=ESF_CODE,
        investment_priority="1.4",
        starts_on=starts,
        ends_on=ends,
        contract_value=Decimal("4200000"),
        funders=[
            services.FunderInput("European Social Fund", FunderKind.ESF, Decimal(50)),
            services.FunderInput("Nottinghamshire County Council", FunderKind.MATCH, Decimal(35)),
            services.FunderInput("NHS Nottingham and Nottinghamshire ICB", FunderKind.MATCH, Decimal(15)),
        ],
    )
    ww = services.programme_create(
        actor=manager,
        name="Working Well (demo)",
        code=WW_CODE,
        investment_priority="1.1",
        starts_on=starts,
        ends_on=ends,
        contract_value=Decimal("1500000"),
        funders=[services.FunderInput("Combined authority", FunderKind.MATCH, Decimal(100))],
    )
    for programme, contracted, (a, j, s), model, fee in (
        (esf, partners[:2], (50, 20, 30), TariffModel.OUTCOMES, Decimal(0)),
        (ww, partners[2:], (0, 40, 60), TariffModel.FEE_AND_OUTCOMES, Decimal(30)),
    ):
        share = programme.contract_value / len(contracted)
        for partner in contracted:
            services.contract_set(
                actor=manager, programme=programme, partner_id=partner.pk, allocated_starts=600, value=share
            )
            services.budget_set(actor=manager, programme=programme, partner_id=partner.pk, amount=Decimal(15000))
        services.tariff_set(
            actor=manager,
            programme=programme,
            model=model,
            price_per_participant=Decimal(3000),
            delivery_fee_percent=fee,
            rules=[
                r
                for r in _rules(attachment=a, job=j, sustained=s)
                if r.share_percent or r.outcome != Outcome.ATTACHMENT
            ],
        )
        for year in range(starts.year, ends.year + 1):
            services.target_set(
                actor=manager, programme=programme, year=year, starts=400, job_entries=140, sustained_jobs=90
            )
    return [esf, ww]


def _esf(rng: random.Random) -> EsfInput:
    def pick(*options: str, weights: tuple[int, ...] | None = None) -> str:
        return rng.choices(options, weights=weights)[0]

    dependants = pick("yes", "no", weights=(3, 7))
    return EsfInput(
        gender=pick("female", "male", "other", weights=(48, 50, 2)),
        labour_market_status=pick(
            "unemployed",
            "long_term_unemployed",
            "inactive",
            "inactive_education",
            "employed",
            weights=(25, 35, 30, 3, 7),
        ),
        isced=pick("isced0", "isced1", "isced2", "isced3", "isced4", "isced5_8", weights=(2, 8, 35, 30, 10, 15)),
        jobless_household=pick("yes", "no", weights=(45, 55)),
        dependent_children=dependants,
        single_adult_dependent_children=pick("yes", "no") if dependants == "yes" else "no",
        basic_skills_need=pick("yes", "no", weights=(2, 8)),
        homeless=pick("yes", "no", weights=(1, 12)),
        rural=pick("yes", "no", weights=(1, 4)),
        disability=pick("yes", "no", "prefer_not", weights=(55, 35, 10)),
        ethnic_minority_migrant=pick("yes", "no", "prefer_not", weights=(15, 78, 7)),
        other_disadvantage=pick("yes", "no", "prefer_not", weights=(10, 85, 5)),
    )


COURSES = ["Food hygiene", "First aid at work", "Functional skills English", "CSCS card"]


def _extras(adviser: Membership, p: Participation, rng: random.Random, today: date) -> None:
    if rng.random() < 0.15:
        started = p.started_on + timedelta(days=rng.randrange(7, 60))
        if started < today - timedelta(days=14):
            services.course_record(
                actor=adviser,
                participation=p,
                name=rng.choice(COURSES),
                provider="Vision West Nottinghamshire College",
                level=rng.choice(["entry", "1", "2"]),
                started_on=started,
                completed_on=started + timedelta(days=10),
                qualification_gained=rng.random() < 0.8,
            )
    if rng.random() < 0.05 and p.left_on is None:
        services.expense_request(
            actor=adviser,
            participation=p,
            kind=rng.choice(["travel", "clothing", "childcare"]),
            amount=Decimal(rng.choice([25, 40, 60])),
            needed_on=today,
            note="To get to interviews and the first weeks of work",
        )


def _claim_month(manager: Membership, month: date) -> None:
    for programme in Programme.objects.filter(code__in=[ESF_CODE, WW_CODE]).order_by("code"):
        if programme.batches.filter(month=month).exists():
            continue
        batches = services.claim_run(actor=manager, programme=programme, month=month)
        if programme.code != ESF_CODE:
            continue
        submitted = [services.batch_submit(actor=manager, batch=b) for b in batches if b.claims.exists()]
        if submitted:
            services.batch_decide(actor=manager, batch=submitted[0], approve=True)


def programmes_activity(*, manager: Membership, advisers: dict[str, Membership], seed: int) -> None:
    """ESF data for nine in ten participants, a course for some, an expense for a few, and last
    month's claim run (the first programme's batches submitted and one approved)."""
    rng = random.Random(seed)
    today = timezone.localdate()
    waiting = Participation.objects.filter(esf_recorded_on__isnull=True).select_related("partner")
    for p in waiting.order_by("started_on", "id"):
        adviser = advisers.get(p.partner.name)
        if adviser is None or rng.random() < 0.1:
            continue
        services.esf_record(actor=adviser, participation=p, data=_esf(rng))
        _extras(adviser, p, rng, today)
    _claim_month(manager, (today.replace(day=1) - timedelta(days=1)).replace(day=1))
