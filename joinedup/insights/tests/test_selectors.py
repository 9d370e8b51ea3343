"""The partnership dashboard's figures, and pages whose query count must not grow with their rows."""

from __future__ import annotations

import re
from datetime import date, timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from joinedup.cases.services import sustainment_record
from joinedup.core.errors import NotPermitted
from joinedup.insights.selectors import UNASSIGNED, UNASSIGNED_KEY, dashboard, period_for, periods
from joinedup.organisations.models import Role
from joinedup.outcomes.services import tallies_rebuild
from joinedup.referrals.models import Referral
from joinedup.referrals.services import referral_decline


def month_of(value) -> date:
    if hasattr(value, "tzinfo"):
        value = timezone.localtime(value).date()
    return value.replace(day=1)


def backdate(referral: Referral, days: int) -> Referral:
    """Back-date a referral behind the services' backs, then recount the tallies as a bulk load would."""
    Referral.objects.filter(pk=referral.pk).update(created_at=timezone.now() - timedelta(days=days))
    referral.refresh_from_db()
    tallies_rebuild()
    return referral


@pytest.fixture
def journeys(partnership):
    """Partner A: one sustained 26 weeks, one waiting. Partner B: one in work. One not assigned."""
    p = partnership
    sustained = p.assign(backdate(p.refer(given_name="Sally", family_name="Sustainedson"), 400))
    case = p.enrol(sustained, days_ago=300)
    job = p.job_start(case, days_ago=200)
    for weeks in (13, 26):
        sustainment_record(
            job_start=job, actor=p.adviser_a, weeks=weeks, achieved_on=job.due_on(weeks), evidence="Payslip"
        )
    waiting = p.assign(p.refer(given_name="Wendy", family_name="Waitingford"))
    in_work_b = p.assign(
        p.refer(given_name="Bryn", family_name="Bexleyheath"), partner=p.partner_b, adviser=p.adviser_b
    )
    case_b = p.enrol(in_work_b, adviser=p.adviser_b)
    job_b = p.job_start(case_b, adviser=p.adviser_b)
    unassigned = p.refer(given_name="Una", family_name="Unassignedby")
    return {
        "sustained": sustained,
        "case": case,
        "job": job,
        "waiting": waiting,
        "in_work_b": in_work_b,
        "case_b": case_b,
        "job_b": job_b,
        "unassigned": unassigned,
    }


def test_totals_and_conversion(partnership, journeys):
    board = dashboard(actor=partnership.programme)
    assert (board.total.referrals, board.total.starts, board.total.job_starts, board.total.sustained_26) == (4, 2, 2, 1)
    assert board.total.conversion == 0.5


def test_figures_by_partner_with_unassigned_last(partnership, journeys):
    board = dashboard(actor=partnership.analyst)
    assert [p.partner for p in board.partners] == ["Partner A", "Partner B", UNASSIGNED]
    a, b, unassigned = board.partners
    assert (a.total.referrals, a.total.starts, a.total.job_starts, a.total.sustained_26) == (2, 1, 1, 1)
    assert a.total.conversion == 0.5
    assert (b.total.referrals, b.total.starts, b.total.job_starts, b.total.sustained_26) == (1, 1, 1, 0)
    assert b.total.conversion == 1
    assert (unassigned.total.referrals, unassigned.total.starts, unassigned.total.conversion) == (1, 0, 0)
    assert UNASSIGNED == "Not assigned to a partner (in triage or declined)"


def test_each_measure_is_counted_in_the_month_it_happened(partnership, journeys):
    a = dashboard(actor=partnership.programme).partners[0]
    sustainment_26 = journeys["job"].sustainments.get(weeks=26)
    expected: dict[date, dict[str, int]] = {}

    def add(when, measure: str) -> None:
        cell = expected.setdefault(month_of(when), {"referrals": 0, "starts": 0, "job_starts": 0, "sustained_26": 0})
        cell[measure] += 1

    add(journeys["sustained"].created_at, "referrals")
    add(journeys["waiting"].created_at, "referrals")
    add(journeys["case"].enrolled_on, "starts")
    add(journeys["job"].start_date, "job_starts")
    add(sustainment_26.achieved_on, "sustained_26")
    got = {
        month: {
            "referrals": f.referrals,
            "starts": f.starts,
            "job_starts": f.job_starts,
            "sustained_26": f.sustained_26,
        }
        for month, f in a.months.items()
    }
    assert got == expected
    assert list(a.months) == sorted(a.months, reverse=True)  # newest month first
    board = dashboard(actor=partnership.programme)
    assert board.months == sorted(board.months, reverse=True)
    assert set(board.months) >= set(expected)


def test_a_new_referral_appears_under_not_yet_assigned_until_it_is_assigned(partnership):
    referral = partnership.refer()
    board = dashboard(actor=partnership.programme)
    assert [(p.partner, p.total.referrals) for p in board.partners] == [(UNASSIGNED, 1)]
    this_month = month_of(referral.created_at)
    assert board.partners[0].months[this_month].referrals == 1
    partnership.assign(referral, partner=partnership.partner_b, adviser=partnership.adviser_b)
    board = dashboard(actor=partnership.programme)
    assert [(p.partner, p.total.referrals) for p in board.partners] == [("Partner B", 1)]


def test_declined_referrals_still_count_as_referrals(partnership):
    referral_decline(referral=partnership.refer(), actor=partnership.programme, reason="Out of area")
    board = dashboard(actor=partnership.programme)
    assert board.total.referrals == 1
    assert board.total.starts == 0
    assert board.total.conversion == 0


def test_empty_dashboard(partnership):
    board = dashboard(actor=partnership.programme)
    assert board.partners == [] and board.months == []
    assert board.total.referrals == 0
    assert board.total.conversion is None


@pytest.mark.parametrize("role", [Role.REFERRER, Role.PERSONAL_ADVISER, Role.PARTNER_MANAGER, Role.ADMINISTRATOR])
def test_only_programme_managers_and_analysts_see_figures(partnership, role):
    with pytest.raises(NotPermitted):
        dashboard(actor=partnership.by_role()[role])


def test_dashboard_page_shows_figures_and_no_personal_data(client, partnership, journeys):
    client.force_login(partnership.analyst.user)
    response = client.get("/dashboard/?period=all")  # one referral is over a year old
    assert response.status_code == 200
    page = response.content.decode()
    assert 'data-figure="referrals">4<' in page
    assert 'data-figure="starts">2<' in page
    assert 'data-figure="job_starts">2<' in page
    assert 'data-figure="sustained_26">1<' in page
    assert 'data-figure="conversion">50%<' in page
    assert f'data-partner="{UNASSIGNED}"' in page
    for name in ("Sustainedson", "Waitingford", "Bexleyheath", "Unassignedby", journeys["sustained"].reference):
        assert name not in page


def test_the_periods_offered() -> None:
    offered = {p.code: p for p in periods(today=date(2026, 12, 1))}
    assert offered["12m"].start == date(2026, 1, 1) and offered["12m"].end is None
    assert offered["fy"].start == date(2026, 4, 1) and offered["fy"].label.endswith("(April 2026 to March 2027)")
    assert (offered["lastfy"].start, offered["lastfy"].end) == (date(2025, 4, 1), date(2026, 3, 1))
    assert offered["all"].start is None and offered["all"].end is None
    in_march = {p.code: p for p in periods(today=date(2027, 3, 31))}
    assert in_march["fy"].start == date(2026, 4, 1) and in_march["12m"].start == date(2026, 4, 1)
    for nonsense in (None, "", "forever", "12m' OR 1=1", "<b>"):
        assert period_for(nonsense).code == "12m"


def test_a_period_counts_only_its_months(partnership) -> None:
    old = backdate(partnership.refer(), days=800)
    partnership.refer()
    everything = dashboard(actor=partnership.programme)
    recent = dashboard(actor=partnership.programme, period=period_for("12m"))
    assert (everything.total.referrals, recent.total.referrals) == (2, 1)
    assert month_of(old.created_at) in everything.months and month_of(old.created_at) not in recent.months


def test_dashboard_page_by_period_and_partner(client, partnership, journeys) -> None:
    client.force_login(partnership.programme.user)
    page = client.get("/dashboard/").content.decode()
    assert '<option value="12m" selected>' in page and 'data-testid="by-partner"' in page
    assert 'data-partner="Partner A"' in page and "the whole partnership" in page
    key = dashboard(actor=partnership.programme).partners[0].key
    one = client.get(f"/dashboard/?period=all&partner={key}").content.decode()
    assert "Month by month: Partner A" in one and 'data-testid="by-partner"' not in one
    assert 'data-figure="referrals">2<' in one  # Partner A's, not the partnership's 4
    assert 'name="partner" value="' + key + '"' in one  # changing the period keeps the partner
    unassigned = client.get(f"/dashboard/?partner={UNASSIGNED_KEY}").content.decode()
    assert f"Month by month: {UNASSIGNED}" in unassigned
    for hostile in ("nonsense", "<script>alert(1)</script>", "' OR 1=1 --"):
        response = client.get("/dashboard/", {"period": hostile, "partner": hostile})
        assert response.status_code == 200 and "<script>alert" not in response.content.decode()
        assert '<option value="12m" selected>' in response.content.decode()


# Query counts do not grow with the number of rows. -----------------------------------------------


def journey(p, n: int, *, enrol: bool = True, job: bool = True) -> None:
    """Refer, assign to partner A, enrol and start work (as far as asked), through the services."""
    referral = p.assign(p.refer(given_name=f"Person{n}"))
    if enrol:
        case = p.enrol(referral)
        if job:
            p.job_start(case)


def queries_for(client, url: str) -> int:
    client.get(url)  # warm up anything cached once per process
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
    assert response.status_code == 200
    return len(ctx.captured_queries)


def test_dashboard_queries_do_not_grow_with_journeys(client, partnership):
    client.force_login(partnership.programme.user)
    journey(partnership, 0)
    partnership.refer(given_name="Unassigned0")
    one = queries_for(client, "/dashboard/")
    for n in range(1, 10):
        journey(partnership, n)
        partnership.refer(given_name=f"Unassigned{n}")
    ten = queries_for(client, "/dashboard/")
    assert ten == one
    assert dashboard(actor=partnership.programme).total.referrals == 20


def test_dashboard_selector_uses_a_fixed_number_of_queries(partnership, django_assert_max_num_queries):
    for n in range(10):
        journey(partnership, n)
    with django_assert_max_num_queries(5):  # one grouped query per measure
        dashboard(actor=partnership.programme)


@pytest.mark.parametrize("url", ["/cases/", "/cases/?show=all"])
def test_caseload_queries_do_not_grow_with_cases(client, partnership, url):
    client.force_login(partnership.adviser_a.user)
    journey(partnership, 0)
    journey(partnership, 100, enrol=False)  # waiting to be enrolled
    one = queries_for(client, url)
    for n in range(1, 10):
        journey(partnership, n)
        journey(partnership, 100 + n, enrol=False)
    ten = queries_for(client, url)
    assert ten == one
    page = client.get(url).content.decode()
    assert page.count('href="/cases/enrol/') == 10
    assert "Person9" in page and "Person109" in page


def test_triage_queue_queries_do_not_grow_with_referrals(client, partnership):
    client.force_login(partnership.programme.user)
    partnership.refer(given_name="Person0")
    one = queries_for(client, "/referrals/triage/")
    for n in range(1, 10):
        partnership.refer(by=partnership.other_referrer if n % 2 else partnership.referrer, given_name=f"Person{n}")
    ten = queries_for(client, "/referrals/triage/")
    assert ten == one
    page = client.get("/referrals/triage/").content.decode()
    assert len(re.findall(r'href="/referrals/triage/[0-9a-f-]{36}/"', page)) == 10


def test_referrers_list_queries_do_not_grow_with_referrals(client, partnership):
    client.force_login(partnership.referrer.user)
    journey(partnership, 0)
    one = queries_for(client, "/referrals/")
    for n in range(1, 10):
        journey(partnership, n, enrol=n % 2 == 0)
    ten = queries_for(client, "/referrals/")
    assert ten == one


def test_case_page_queries_do_not_grow_with_contacts_and_jobs(client, partnership):
    from joinedup.cases.services import contact_record

    referral = partnership.assign(partnership.refer())
    case = partnership.enrol(referral)
    client.force_login(partnership.adviser_a.user)

    def add(n: int) -> None:
        contact_record(
            case=case,
            actor=partnership.adviser_a,
            happened_on=timezone.localdate(),
            channel="phone",
            kind="support",
            duration_minutes=10 + n,
        )
        partnership.job_start(case)

    add(0)
    one = queries_for(client, f"/cases/{case.pk}/")
    for n in range(1, 10):
        add(n)
    ten = queries_for(client, f"/cases/{case.pk}/")
    assert ten == one


def test_the_dashboard_draws_referrals_starts_and_job_starts_by_month(client, partnership, journeys):
    """Issue 18: a trend chart over the month-by-month table, oldest month first, a month with
    nothing recorded drawn as 0."""
    from joinedup.core.chart_reading import attr, chart_in, parts, points, text_of

    client.force_login(partnership.analyst.user)
    page = client.get("/dashboard/?period=all").content.decode()
    svg = chart_in(page, "dashboard-trend")
    lines = {attr(p, "data-series"): points(p) for p in parts(svg, "polyline")}
    assert set(lines) == {"Referrals", "Starts", "Job starts"}
    first = month_of(journeys["sustained"].created_at)
    this = timezone.localdate().replace(day=1)
    months = (this.year - first.year) * 12 + this.month - first.month + 1
    assert all(len(line) == months for line in lines.values())  # every month from the first, empty ones too
    assert f"from {first:%b %Y} to {this:%b %Y}" in text_of(svg, "desc")
    assert 'data-testid="by-month"' in page  # the same figures, as a table


def test_the_trend_chart_fills_empty_months_with_nought():
    from joinedup.insights.charts import trend_chart
    from joinedup.insights.selectors import Figures

    chart = str(
        trend_chart([(date(2026, 3, 1), Figures(referrals=4)), (date(2026, 1, 1), Figures(referrals=2))], title="t")
    )
    assert "Jan 2026" in chart and "Feb 2026" in chart and "Mar 2026" in chart
    assert trend_chart([], title="t") is None
