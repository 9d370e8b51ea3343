"""Setting up programmes: bad input refused clearly, several programmes at once."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.utils import timezone

from joinedup.core.errors import DomainError, NotPermitted
from joinedup.programmes import services
from joinedup.programmes.choices import FunderKind, Outcome, TariffModel
from joinedup.programmes.models import Claim, Participation, Programme, UnitCost

from .conftest import WORKING_WELL, enrol_back, esf_input, make_programme

pytestmark = pytest.mark.django_db


def _create(partnership, **overrides):
    values = {
        "actor": partnership.programme,
        "name": "D2N2 Access to Employment",
        "code": "d2n2",
        "investment_priority": "1.1",
        "starts_on": date(2025, 4, 1),
        "ends_on": date(2028, 3, 31),
        "contract_value": Decimal("500000"),
        "funders": [
            services.FunderInput("ESF", FunderKind.ESF, Decimal(50)),
            services.FunderInput("D2N2", FunderKind.MATCH, Decimal(50)),
        ],
    }
    values.update(overrides)
    return services.programme_create(**values)


def test_funders_shares_must_add_up_to_100(partnership):
    with pytest.raises(DomainError, match="add up to 90%: they must add up to 100%"):
        _create(
            partnership,
            funders=[
                services.FunderInput("ESF", FunderKind.ESF, Decimal(50)),
                services.FunderInput("Council", FunderKind.MATCH, Decimal(40)),
            ],
        )
    assert not Programme.objects.exists()


def test_tariff_shares_must_add_up_to_100(partnership):
    programme = _create(partnership)
    rules = [*WORKING_WELL[:2], services.RuleInput(Outcome.SUSTAINED, Decimal(20), "26 weeks", sustained_weeks=26)]
    with pytest.raises(DomainError, match="add up to 90%") as error:
        services.tariff_set(
            actor=partnership.programme,
            programme=programme,
            model=TariffModel.OUTCOMES,
            price_per_participant=Decimal(3000),
            delivery_fee_percent=Decimal(0),
            rules=rules,
        )
    assert error.value.field == "rules"
    assert (
        not hasattr(Programme.objects.get(pk=programme.pk), "tariff")
        or not Programme.objects.get(pk=programme.pk).tariff
    )


def test_a_fee_and_outcomes_tariff_needs_a_fee(partnership):
    programme = _create(partnership)
    with pytest.raises(DomainError, match="delivery fee"):
        services.tariff_set(
            actor=partnership.programme,
            programme=programme,
            model=TariffModel.FEE_AND_OUTCOMES,
            price_per_participant=Decimal(3000),
            delivery_fee_percent=Decimal(0),
            rules=WORKING_WELL,
        )
    tariff = services.tariff_set(
        actor=partnership.programme,
        programme=programme,
        model=TariffModel.FEE_AND_OUTCOMES,
        price_per_participant=Decimal(3000),
        delivery_fee_percent=Decimal(30),
        rules=WORKING_WELL,
    )
    assert tariff.delivery_fee_percent == 30


def test_a_target_year_outside_the_programme_is_refused(partnership):
    programme = _create(partnership)
    with pytest.raises(
        DomainError, match="2029 is outside the programme, which runs from 1 April 2025 to 31 March 2028"
    ):
        services.target_set(
            actor=partnership.programme, programme=programme, year=2029, starts=100, job_entries=30, sustained_jobs=20
        )
    target = services.target_set(
        actor=partnership.programme, programme=programme, year=2026, starts=100, job_entries=30, sustained_jobs=20
    )
    again = services.target_set(
        actor=partnership.programme, programme=programme, year=2026, starts=120, job_entries=30, sustained_jobs=20
    )
    assert again.pk == target.pk and again.starts == 120


def test_only_a_programme_manager_sets_up(partnership):
    for role in (partnership.analyst, partnership.manager_a, partnership.adviser_a, partnership.admin):
        with pytest.raises(NotPermitted):
            _create(partnership, actor=role)


def test_new_programmes_get_the_labelled_default_savings(partnership):
    programme = _create(partnership)
    savings = {u.amount: u for u in UnitCost.objects.filter(programme=programme)}
    assert set(savings) == {Decimal("9091.00"), Decimal("13100.00"), Decimal("6900.00")}
    assert savings[Decimal("9091.00")].year == 2017 and "Norfolk" in savings[Decimal("9091.00")].source
    assert not savings[Decimal("6900.00")].active
    assert {s.beneficiary: s.share_percent for s in savings[Decimal("9091.00")].shares.all()} == {
        "local_authority": 7,
        "dwp_hmrc": 80,
        "nhs": 13,
    }


def test_saving_shares_must_add_up_to_100(partnership):
    unit = UnitCost.objects.filter(programme=_create(partnership)).earliest("created_at")
    with pytest.raises(DomainError, match="add up to 50%"):
        services.unit_cost_set(
            actor=partnership.programme,
            unit_cost=unit,
            amount=Decimal(100),
            active=True,
            shares=[services.ShareInput("nhs", Decimal(50))],
        )


def test_contracts_cannot_exceed_the_programme(partnership):
    programme = _create(partnership)
    with pytest.raises(DomainError, match="worth more than the programme"):
        services.contract_set(
            actor=partnership.programme,
            programme=programme,
            partner_id=partnership.partner_a.pk,
            allocated_starts=10,
            value=Decimal("600000"),
        )
    with pytest.raises(DomainError, match="delivery partner"):
        services.contract_set(
            actor=partnership.programme,
            programme=programme,
            partner_id=partnership.gp.pk,
            allocated_starts=10,
            value=Decimal(1),
        )


def test_two_programmes_at_once_the_adviser_chooses(partnership):
    first = make_programme(partnership)
    second = make_programme(partnership, code="ww", name="Working Well")
    case = enrol_back(partnership, 30)
    assert not Participation.objects.filter(case=case).exists()  # two running: the adviser chooses
    participation = services.participation_start(actor=partnership.adviser_a, case_id=case.pk, programme=second)
    assert participation.programme == second
    with pytest.raises(DomainError, match="another programme"):
        services.participation_start(actor=partnership.adviser_a, case_id=case.pk, programme=first)


def test_a_claim_for_a_participant_outside_the_programme_is_refused(partnership):
    first = make_programme(partnership)
    second = make_programme(partnership, code="ww", name="Working Well")
    case = enrol_back(partnership, 30)
    participation = services.participation_start(actor=partnership.adviser_a, case_id=case.pk, programme=second)
    with pytest.raises(DomainError, match="not a participant of Norfolk IHES"):
        services.claims_catch_up(actor=partnership.manager_a, programme=first, participation=participation)
    claims = services.claims_catch_up(actor=partnership.manager_a, programme=second, participation=participation)
    assert [c.outcome for c in claims] == [Outcome.ATTACHMENT]
    assert services.claims_catch_up(actor=partnership.manager_a, programme=second, participation=participation) == []
    assert Claim.objects.count() == 1


def test_an_expense_over_budget_is_refused(partnership, programme):
    case = enrol_back(partnership, 30)
    participation = Participation.objects.get(case=case)
    with pytest.raises(DomainError, match="no expenses budget"):
        services.expense_request(
            actor=partnership.adviser_a,
            participation=participation,
            kind="travel",
            amount=Decimal(10),
            needed_on=timezone.localdate(),
            note="Bus pass",
        )
    services.budget_set(
        actor=partnership.programme, programme=programme, partner_id=partnership.partner_a.pk, amount=Decimal(100)
    )
    first = services.expense_request(
        actor=partnership.adviser_a,
        participation=participation,
        kind="travel",
        amount=Decimal(60),
        needed_on=timezone.localdate(),
        note="Bus pass for a month",
    )
    with pytest.raises(DomainError, match="£50.00 is more than the £40.00 left in the budget"):
        services.expense_request(
            actor=partnership.adviser_a,
            participation=participation,
            kind="clothing",
            amount=Decimal(50),
            needed_on=timezone.localdate(),
            note="Interview clothes",
        )
    services.expense_decide(actor=partnership.manager_a, expense=first, approve=False)
    services.expense_request(
        actor=partnership.adviser_a,
        participation=participation,
        kind="clothing",
        amount=Decimal(50),
        needed_on=timezone.localdate(),
        note="Interview clothes",
    )
    with pytest.raises(NotPermitted):
        services.expense_decide(actor=partnership.adviser_a, expense=first, approve=True)


def test_esf_data_sensitive_items_may_be_declined_others_required(partnership, programme):
    participation = Participation.objects.get(case=enrol_back(partnership, 30))
    with pytest.raises(DomainError, match="not optional") as error:
        services.esf_record(
            actor=partnership.adviser_a, participation=participation, data=esf_input(homeless="prefer_not")
        )
    assert error.value.field == "homeless"
    with pytest.raises(DomainError, match="Choose their highest level of education"):
        services.esf_record(actor=partnership.adviser_a, participation=participation, data=esf_input(isced=""))
    with pytest.raises(DomainError, match="answer yes to both"):
        services.esf_record(
            actor=partnership.adviser_a,
            participation=participation,
            data=esf_input(single_adult_dependent_children="yes"),
        )
    recorded = services.esf_record(
        actor=partnership.adviser_a, participation=participation, data=esf_input(disability="prefer_not")
    )
    assert recorded.disability == "prefer_not"
    assert recorded.age_at_start == 37 or recorded.age_at_start == 38  # born 12 April 1988
    assert recorded.local_authority == "mansfield"  # from the postcode district (NG18)
    assert recorded.benefit == "uc_lcw" and recorded.distance in ("near", "middle", "far")


def test_age_at_start_is_on_the_start_date(partnership, programme):
    start = timezone.localdate() - timedelta(days=30)
    born = start.replace(year=start.year - 25)  # 25 on the day they start: not under 25
    case = enrol_back(partnership, 30, date_of_birth=born)
    participation = services.esf_record(
        actor=partnership.adviser_a, participation=Participation.objects.get(case=case), data=esf_input()
    )
    assert participation.age_at_start == 25


def test_leaving_makes_the_follow_up_due_and_listed(partnership, programme):
    from joinedup.cases import services as case_services
    from joinedup.programmes import selectors

    case = enrol_back(partnership, 250)
    closed = timezone.localdate() - timedelta(days=200)
    case_services.case_exit(
        case=case, actor=partnership.adviser_a, closed_on=closed, destination="paid_work", reason="Got a job"
    )
    participation = Participation.objects.get(case=case)
    assert participation.left_on == closed and participation.leaving_employed
    assert participation.follow_up_due_on is not None
    assert list(selectors.follow_ups_due(actor=partnership.adviser_a)) == [participation]
    assert list(selectors.follow_ups_due(actor=partnership.adviser_b)) == []
    with pytest.raises(DomainError, match="not due until"):
        services.follow_up_record(
            actor=partnership.adviser_a,
            participation=participation,
            on=closed + timedelta(days=30),
            employed=True,
            improved=True,
        )
    services.follow_up_record(
        actor=partnership.adviser_a,
        participation=participation,
        on=participation.follow_up_due_on,
        employed=True,
        improved=True,
    )
    assert list(selectors.follow_ups_due(actor=partnership.adviser_a)) == []


def test_courses_and_qualifications(partnership, programme):
    participation = Participation.objects.get(case=enrol_back(partnership, 60))
    today = timezone.localdate()
    with pytest.raises(DomainError, match="completed"):
        services.course_record(
            actor=partnership.adviser_a,
            participation=participation,
            name="Food hygiene",
            provider="City College",
            level="2",
            started_on=today,
            completed_on=None,
            qualification_gained=True,
        )
    course = services.course_record(
        actor=partnership.adviser_a,
        participation=participation,
        name="Food hygiene",
        provider="City College",
        level="2",
        started_on=today - timedelta(days=20),
        completed_on=today,
        qualification_gained=True,
    )
    participation.refresh_from_db()
    assert course.qualification_gained and participation.leaving_qualification
