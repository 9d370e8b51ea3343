"""Costs and savings recomputed by hand for a small programme; performance, creaming and parking,
and IPS fidelity on a few participants."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal
from typing import cast

import pytest
from django.utils import timezone

from joinedup.programmes import services
from joinedup.programmes.models import Participation
from joinedup.programmes.selectors import costs as cost_selectors
from joinedup.programmes.selectors import fairness
from joinedup.programmes.selectors.performance import Filters, performance

from .conftest import enrol_back, esf_input

pytestmark = pytest.mark.django_db


def _small_programme(partnership, programme):
    """Three participants: two on a health-related benefit (UC with LCW) who start work, one on
    JSA who does not. Attachment £1,500 and job entry £600 each, approved; one £40 expense."""
    people = []
    for benefits, works in ((["uc_lcw"], True), (["esa"], True), (["jsa"], False)):
        case = enrol_back(partnership, 120, benefits=benefits)
        participation = Participation.objects.get(case=case)
        services.esf_record(actor=partnership.adviser_a, participation=participation, data=esf_input())
        if works:
            partnership.job_start(case, days_ago=60)
        people.append(participation)
    services.budget_set(
        actor=partnership.programme, programme=programme, partner_id=partnership.partner_a.pk, amount=Decimal(500)
    )
    expense = services.expense_request(
        actor=partnership.adviser_a,
        participation=people[0],
        kind="travel",
        amount=Decimal(40),
        needed_on=timezone.localdate(),
        note="Bus",
    )
    services.expense_decide(actor=partnership.manager_a, expense=expense, approve=True)
    batch = services.claims_batch_generate(
        actor=partnership.manager_a,
        programme=programme,
        partner_id=partnership.partner_a.pk,
        month=timezone.localdate().replace(day=1),
    )
    services.batch_submit(actor=partnership.manager_a, batch=batch)
    services.batch_decide(actor=partnership.programme, batch=batch, approve=True)
    return people


def test_costs_and_savings_by_hand(partnership, programme):
    _small_programme(partnership, programme)
    found = cost_selectors.costs(actor=partnership.analyst, programme=programme)
    line = found.total
    # Spend: 3 attachments at £1,500 + 2 job entries at £600 + the £40 expense = £5,740.
    assert line.spend == Decimal("5740.00")
    assert (line.participants, line.job_entries, line.sustained) == (3, 2, 0)
    assert line.per_participant == Decimal("1913.33")  # 5740 / 3
    assert line.per_job_entry == Decimal("2870.00")  # 5740 / 2
    assert line.per_sustained is None
    # Savings: both job entries were on a health-related benefit: 2 x £9,091 fiscal, 2 x £13,100
    # economic (the £6,900 alternative is off by default).
    assert line.saved("fiscal") == Decimal("18182.00")
    assert line.saved("economic") == Decimal("26200.00")
    gains = line.by_beneficiary()
    assert gains["local_authority"] == Decimal("1272.74")  # 7% of 18,182
    assert gains["dwp_hmrc"] == Decimal("14545.60")  # 80%
    assert gains["nhs"] == Decimal("2363.66")  # 13%
    assert gains["local_economy"] == Decimal("26200.00")
    assert [p.name for p in found.partners] == ["Partner A"]
    assert found.partners[0].spend == line.spend
    (budget,) = found.budgets
    assert (budget.budget, budget.approved, budget.waiting, budget.left) == (
        Decimal(500),
        Decimal(40),
        Decimal(0),
        Decimal(460),
    )


def test_the_total_divides_the_spend_by_participants_of_the_same_partners(partnership, programme):
    """A partner with participants and an approved claim but no contract (rows written directly, as
    an import would): its spend and its participants both count in the total, or neither would."""
    from joinedup.programmes.choices import ClaimStatus, Outcome
    from joinedup.programmes.models import Claim

    _small_programme(partnership, programme)
    case_b = partnership.enrol(
        partnership.assign(partnership.refer(), partner=partnership.partner_b, adviser=partnership.adviser_b),
        adviser=partnership.adviser_b,
    )
    started = timezone.localdate() - timedelta(days=30)
    other = Participation.objects.create(
        programme=programme, case=case_b, partner=partnership.partner_b, started_on=started
    )
    Claim.objects.create(
        programme=programme,
        participation=other,
        partner=partnership.partner_b,
        outcome=Outcome.ATTACHMENT,
        amount=Decimal("1500.00"),
        achieved_on=started,
        status=ClaimStatus.APPROVED,
    )
    found = cost_selectors.costs(actor=partnership.analyst, programme=programme)
    # Spend: Partner A's £5,740 (above) + Partner B's £1,500 = £7,240, over 3 + 1 = 4 participants.
    assert found.total.spend == Decimal("7240.00")
    assert found.total.participants == 4
    assert found.total.per_participant == Decimal("1810.00")  # 7240 / 4
    assert found.total.per_job_entry == Decimal("3620.00")  # 7240 / 2
    assert [(p.name, p.spend, p.participants, p.contract_value) for p in found.partners] == [
        ("Partner A", Decimal("5740.00"), 3, Decimal("600000")),
        ("Partner B", Decimal("1500.00"), 1, Decimal(0)),
    ]
    assert found.total.spend == sum(p.spend for p in found.partners)
    assert found.total.participants == sum(p.participants for p in found.partners)


def test_changing_a_unit_saving_and_its_shares_changes_the_figures(partnership, programme):
    _small_programme(partnership, programme)
    fiscal = programme.unit_costs.get(amount=Decimal("9091"))
    services.unit_cost_set(
        actor=partnership.programme,
        unit_cost=fiscal,
        amount=Decimal(1000),
        active=True,
        shares=[services.ShareInput("local_authority", Decimal(50)), services.ShareInput("nhs", Decimal(50))],
    )
    gains = cost_selectors.costs(actor=partnership.analyst, programme=programme).total.by_beneficiary()
    assert gains["local_authority"] == gains["nhs"] == Decimal("1000.00")
    assert gains["dwp_hmrc"] == 0


def test_performance_against_targets(partnership, programme):
    _small_programme(partnership, programme)
    year = timezone.localdate().year
    services.target_set(
        actor=partnership.programme, programme=programme, year=year, starts=120, job_entries=40, sustained_jobs=20
    )
    found = performance(actor=partnership.analyst, programme=programme, filters=Filters(year=year, cohort="benefit"))
    assert sum(cast(int, row[1]) for row in found.by_month.rows) == (
        3 if (timezone.localdate() - timedelta(days=120)).year == year else 0
    )
    assert found.by_month.rows[-1][5] == 120  # the year's target by December
    assert "<svg" in found.chart and "<desc" in found.chart
    assert "by_benefit" in found.tables()


@pytest.mark.parametrize("cohort", ["partner", "area", "age", "health", "benefit", "route", "distance"])
def test_breakdown_and_cross_table_are_one_reading_of_the_tallies(partnership, programme, cohort):
    """The breakdown is the cross-table summed (read once from the tallies): the same starts and
    outcomes, each start in its month."""
    _small_programme(partnership, programme)
    started = timezone.localdate() - timedelta(days=120)
    found = performance(
        actor=partnership.analyst, programme=programme, filters=Filters(year=started.year, cohort=cohort)
    )
    heads = found.cross.heads
    starts = sum(cast(int, row[heads]) for row in found.cross.rows)
    jobs = sum(cast(int, row[heads + 1]) for row in found.cross.rows)
    assert starts == sum(cast(int, row[1]) for row in found.breakdown.rows) == 3
    assert jobs == sum(cast(int, row[2]) for row in found.breakdown.rows) == 2
    month_column = heads + 5 + started.month - 1
    assert sum(cast(int, row[month_column]) for row in found.cross.rows) == 3
    if cohort == "benefit":
        by_benefit = {row[0]: row[1:3] for row in found.breakdown.rows}
        assert sorted(by_benefit.values()) == [[1, 0], [1, 1], [1, 1]]


def test_performance_page_shows_the_cross_table_a_page_at_a_time(client, partnership, programme, monkeypatch):
    from joinedup.programmes.views import reports

    _small_programme(partnership, programme)
    monkeypatch.setattr(reports, "CROSS_PAGE_SIZE", 1)
    year = (timezone.localdate() - timedelta(days=120)).year
    client.force_login(partnership.analyst.user)
    url = f"/programmes/{programme.pk}/performance/?year={year}&cohort=benefit"
    first = client.get(url).content.decode()
    assert "Showing 1 to 1 of 3." in first and 'rel="next"' in first
    last = client.get(url + "&page=3").content.decode()
    assert "Showing 3 to 3 of 3." in last and 'rel="next"' not in last
    assert client.get(url + "&page=zz").status_code == 200  # not a number: the first page
    rows = client.get(url + "&export=csv&table=cross").content.decode().splitlines()
    assert len(rows) == 4  # the export has every row


def test_creaming_flag_when_a_partner_starts_skew_to_the_nearest(partnership, programme):
    from joinedup.programmes.choices import DistanceBand

    for _ in range(3):
        participation = Participation.objects.get(case=enrol_back(partnership, 100))
        Participation.objects.filter(pk=participation.pk).update(distance=DistanceBand.FAR, last_contact_on=None)
    participation = Participation.objects.get(case=enrol_back(partnership, 100))
    Participation.objects.filter(pk=participation.pk).update(
        distance=DistanceBand.NEAR, last_contact_on=timezone.localdate()
    )
    partners = fairness.creaming_and_parking(actor=partnership.analyst, programme=programme)
    (a,) = partners
    assert a.share(DistanceBand.FAR) == 75
    assert any("furthest from the labour market stall" in f for f in a.flags)


def _band_case(partnership, days_ago, distance, review_in_days, left=False):
    """A participant enrolled `days_ago`, contacted today (never stalled), in `distance`, whose plan
    is next reviewed in `review_in_days` (negative: passed; None: no review set)."""
    from joinedup.cases.models import Case

    case = enrol_back(partnership, days_ago)
    today = timezone.localdate()
    review = today + timedelta(days=review_in_days) if review_in_days is not None else None
    Case.objects.filter(pk=case.pk).update(next_review_on=review)
    Participation.objects.filter(case=case).update(
        distance=distance, last_contact_on=today, left_on=today if left else None
    )
    return case


def test_no_plan_review_flag_for_the_furthest(partnership, programme):
    from joinedup.programmes.choices import DistanceBand

    _band_case(partnership, 100, DistanceBand.FAR, None)  # no review ever set, 14 weeks in: counted
    _band_case(partnership, 100, DistanceBand.FAR, -1)  # review date passed yesterday: counted
    _band_case(partnership, 100, DistanceBand.FAR, 10)  # review due in 10 days: not counted
    _band_case(partnership, 20, DistanceBand.FAR, None)  # 3 weeks in, none set yet: not counted
    _band_case(partnership, 100, DistanceBand.FAR, -30, left=True)  # has left the programme: not counted
    _band_case(partnership, 100, DistanceBand.NEAR, 5)  # nearest, reviewed on time
    (a,) = fairness.creaming_and_parking(actor=partnership.analyst, programme=programme)
    far = next(b for b in a.bands if b.band == DistanceBand.FAR)
    near = next(b for b in a.bands if b.band == DistanceBand.NEAR)
    assert (far.unreviewed, far.starts, near.unreviewed) == (2, 5, 0)
    assert far.stalled == 0  # all contacted today: the flag is the review's, not the contact's
    assert any("furthest from the labour market have no plan review: 2 of 5 (40%)" in f for f in a.flags)
    assert not any("stall" in f for f in a.flags)


def test_no_plan_review_not_flagged_when_the_nearest_miss_theirs_as_often(partnership, programme):
    from joinedup.programmes.choices import DistanceBand

    _band_case(partnership, 100, DistanceBand.FAR, None)
    _band_case(partnership, 100, DistanceBand.FAR, 10)
    _band_case(partnership, 100, DistanceBand.NEAR, -3)
    _band_case(partnership, 100, DistanceBand.NEAR, 10)
    (a,) = fairness.creaming_and_parking(actor=partnership.analyst, programme=programme)
    far = next(b for b in a.bands if b.band == DistanceBand.FAR)
    assert far.unreviewed == 1
    assert not any("no plan review" in f for f in a.flags)


def test_ips_fidelity_items_show_their_evidence(partnership, programme):
    _small_programme(partnership, programme)
    (a,) = fairness.ips_fidelity(actor=partnership.analyst, programme=programme)
    names = [i.name for i in a.items]
    assert names[0] == "Caseload size" and "Zero exclusion" in names
    caseload = a.items[0]
    assert caseload.score == 5 and "3 people on support with 1 employment specialists" in caseload.evidence
    assert all(1 <= i.score <= 5 and i.evidence for i in a.items)
