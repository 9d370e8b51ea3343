"""The synthetic partnership's programme (issue 15): set up through the programmes services (a few
rows: the programme with its funders and default unit costs, a contract and an expenses budget for
every synthetic delivery partner, a 50/20/30 tariff and yearly targets), before the bulk tables are
written; after them, each participation's cohort snapshot is copied from its case's person and
referral (as `participation_join` and `esf_record` take it), and the programme's tallies rebuilt.

The bulk rows themselves (participations with ESF characteristics, job entries, courses, expenses,
claims with their evidence, monthly batches) are declared in `joinedup.demo.synthetic.programmes`."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import TYPE_CHECKING
from uuid import UUID

from django.db import connection

from .base import SYNTH_ODS

if TYPE_CHECKING:
    from .plan import Plan

CODE = "synth-programme"
PRICE = Decimal(3000)  # per participant: 50% on attachment, 20% on job entry, 30% sustained 26 weeks
SHARES = {"attachment": Decimal(50), "job_entry": Decimal(20), "sustained": Decimal(30)}
BUDGET = Decimal(250) * 1000  # each partner's expenses budget


def amount(outcome: str) -> str:
    return f"{PRICE * SHARES[outcome] / 100:.2f}"


def programme_setup(plan: Plan) -> None:
    """Make the programme through the services as its first programme manager; note its ids on the plan."""
    from joinedup.organisations.models import Membership
    from joinedup.programmes import services
    from joinedup.programmes.choices import FunderKind, Outcome, TariffModel
    from joinedup.programmes.models import Budget

    manager = Membership.objects.select_related("user", "organisation").get(
        user_id=plan.pm_users[0], organisation_id=plan.lead.id
    )
    first, last = date.fromordinal(plan.first_day), plan.as_of
    programme = services.programme_create(
        actor=manager,
        name=f"{plan.lead.name} Integrated Health and Employment Service",
        code=CODE,
        investment_priority="1.4",
        starts_on=date(first.year, 1, 1),
        ends_on=date(last.year + 2, 12, 31),
        contract_value=Decimal(3000) * max(plan.cases, 1),
        funders=[
            services.FunderInput("European Social Fund", FunderKind.ESF, Decimal(50)),
            services.FunderInput(f"{plan.lead.name} (match)", FunderKind.MATCH, Decimal(50)),
        ],
    )
    per_partner = max(1, plan.cases // max(1, len(plan.partners)))
    for p in plan.partners:
        services.contract_set(
            actor=manager,
            programme=programme,
            partner_id=UUID(p.id),
            allocated_starts=per_partner,
            value=PRICE * per_partner,
        )
        services.budget_set(actor=manager, programme=programme, partner_id=UUID(p.id), amount=BUDGET)
    services.tariff_set(
        actor=manager,
        programme=programme,
        model=TariffModel.OUTCOMES,
        price_per_participant=PRICE,
        delivery_fee_percent=Decimal(0),
        rules=[
            services.RuleInput(Outcome.ATTACHMENT, SHARES["attachment"], "Enrolled with an action plan"),
            services.RuleInput(
                Outcome.JOB_ENTRY, SHARES["job_entry"], "A job of 16 hours a week", min_hours_per_week=Decimal(16)
            ),
            services.RuleInput(Outcome.SUSTAINED, SHARES["sustained"], "In work for 26 weeks", sustained_weeks=26),
        ],
    )
    yearly = max(1, plan.cases // 3)
    for year in range(programme.starts_on.year, programme.ends_on.year + 1):
        services.target_set(
            actor=manager,
            programme=programme,
            year=year,
            starts=yearly,
            job_entries=yearly * 2 // 5,
            sustained_jobs=yearly // 5,
        )
    plan.programme_id = programme.pk.hex
    plan.programme_manager_uid = manager.user_id
    budgets = Budget.objects.filter(programme=programme).values_list("partner_id", "pk")
    plan.budget_ids = {partner.hex: pk.hex for partner, pk in budgets}


def _age(vendor: str) -> str:
    if vendor == "postgresql":
        return "date_part('year', age(c.enrolled_on, p.date_of_birth))::int"
    return (
        "(CAST(strftime('%Y', c.enrolled_on) AS INTEGER) - CAST(strftime('%Y', p.date_of_birth) AS INTEGER)"
        " - (strftime('%m-%d', c.enrolled_on) < strftime('%m-%d', p.date_of_birth)))"
    )


def participations_complete(plan: Plan) -> None:
    """Copy each participation's cohort snapshot from its case (age at start, health condition,
    first benefit, route, the local authority of the person's postcode district), in SQL."""
    from joinedup.directory.areas import area_for_postcode
    from joinedup.people.models import Person
    from joinedup.programmes.models import Participation

    vendor = connection.vendor
    benefit = "r.benefits->>0" if vendor == "postgresql" else "json_extract(r.benefits, '$[0]')"
    table = Participation._meta.db_table
    programme = plan.programme_id
    sql = f"""
        UPDATE {table} SET age_at_start = x.age, health_condition = x.health, benefit = x.benefit, route = x.route
        FROM (
            SELECT c.id AS case_id, {_age(vendor)} AS age, r.health_condition AS health,
                   COALESCE({benefit}, 'none') AS benefit, r.route AS route
            FROM cases_case c JOIN people_person p ON p.id = c.person_id
            JOIN referrals_referral r ON r.id = c.referral_id
        ) x
        WHERE x.case_id = {table}.case_id AND {table}.programme_id = %s
    """  # noqa: S608
    districts = {
        (postcode or "").split(" ")[0]
        for postcode in Person.objects.filter(cases__delivery_partner__ods_code=SYNTH_ODS)
        .values_list("postcode", flat=True)
        .distinct()
    }
    with connection.cursor() as cur:
        cur.execute(sql, [programme])
        for district in sorted(d for d in districts if d):
            area = area_for_postcode(f"{district} 1AA")
            if not area:
                continue
            cur.execute(
                f"UPDATE {table} SET local_authority = %s WHERE programme_id = %s AND case_id IN ("  # noqa: S608
                "SELECT c.id FROM cases_case c JOIN people_person p ON p.id = c.person_id WHERE p.postcode LIKE %s)",
                [area, programme, f"{district} %"],
            )


def programme_tallies(plan: Plan) -> int:
    """The synthetic programme's tallies, counted from what was loaded (as any bulk writer must)."""
    from joinedup.programmes.models import Programme
    from joinedup.programmes.tally import tallies_rebuild

    return tallies_rebuild(Programme.objects.get(code=CODE))
