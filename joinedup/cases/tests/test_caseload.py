"""The caseload: stage, next action, reviews due and overdue, days since last contact, filters; the
caseload sizes by adviser with the IPS fidelity warning; query counts that do not grow."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from joinedup.cases.contacts.services import contact_record
from joinedup.cases.enrolment import selectors
from joinedup.cases.enrolment.selectors import CaseloadFilters, caseload, caseload_sizes
from joinedup.cases.enrolment.services import case_next_step_set
from joinedup.core.errors import NotPermitted
from joinedup.testkit import MembershipFactory, page_text

from .test_services import backdate


def today():
    return timezone.localdate()


def new_case(p, *, days_ago: int = 30, adviser=None, name: str = "Person"):
    referral = p.assign(backdate(p.refer(given_name=name), days_ago + 5), adviser=adviser)
    return p.enrol(referral, days_ago=days_ago, adviser=adviser)


@pytest.fixture
def cases(partnership):
    p = partnership
    a = p.adviser_a
    overdue = new_case(p, name="Overdue")
    case_next_step_set(case=overdue, actor=a, next_action="Call", next_review_on=today() - timedelta(days=1))
    due = new_case(p, name="Due")
    case_next_step_set(case=due, actor=a, next_action="CV", next_review_on=today() + timedelta(days=7))
    later = new_case(p, name="Later")
    case_next_step_set(case=later, actor=a, next_action="", next_review_on=today() + timedelta(days=8))
    contact_record(
        case=later,
        actor=a,
        happened_on=today() - timedelta(days=3),
        channel="phone",
        kind="support",
        duration_minutes=5,
    )
    working = new_case(p, name="Working")
    p.job_start(working, days_ago=2)
    contact_record(
        case=working,
        actor=a,
        happened_on=today() - timedelta(days=20),
        channel="phone",
        kind="support",
        duration_minutes=5,
    )
    return {"overdue": overdue, "due": due, "later": later, "working": working}


def all_cases(page: str) -> str:
    """The caseload page's list of every case (after the work queue's groups)."""
    return page[page.index('id="cases"') :]


def names(rows) -> set[str]:
    return {r.case.person.given_name for r in rows}


def test_rows_carry_days_since_contact_and_review_flags(partnership, cases):
    rows = {r.case.person.given_name: r for r in caseload(actor=partnership.adviser_a, filters=CaseloadFilters())}
    assert rows["Later"].days_since_contact == 3 and not rows["Later"].contact_stale
    assert rows["Working"].days_since_contact == 20 and rows["Working"].contact_stale
    assert rows["Overdue"].days_since_contact == 30  # no contact: days since enrolment
    assert (rows["Overdue"].review_overdue, rows["Overdue"].review_due_soon) == (True, False)
    assert (rows["Due"].review_overdue, rows["Due"].review_due_soon) == (False, True)
    assert (rows["Later"].review_overdue, rows["Later"].review_due_soon) == (False, False)


@pytest.mark.parametrize(
    ("filters", "expected"),
    [
        (CaseloadFilters(), {"Overdue", "Due", "Later", "Working"}),
        (CaseloadFilters(review="overdue"), {"Overdue"}),
        (CaseloadFilters(review="due"), {"Overdue", "Due"}),
        (CaseloadFilters(stage="in_work"), {"Working"}),
        (CaseloadFilters(stage="enrolled"), {"Overdue", "Due", "Later"}),
        (CaseloadFilters(stage="active"), {"Overdue", "Due", "Later", "Working"}),
        (CaseloadFilters(stage="closed"), set()),
        (CaseloadFilters(no_recent_contact=True), {"Overdue", "Due", "Working"}),
        (CaseloadFilters(no_recent_contact=True, stage="enrolled", review="due"), {"Overdue", "Due"}),
    ],
)
def test_filters(partnership, cases, filters, expected):
    assert names(caseload(actor=partnership.adviser_a, filters=filters)) == expected


def test_mine_only_and_adviser_filter(partnership, cases):
    colleague = MembershipFactory(user__username="colleague", organisation=partnership.partner_a)
    new_case(partnership, adviser=colleague, name="Colleagues")
    assert "Colleagues" not in names(caseload(actor=partnership.adviser_a, filters=CaseloadFilters()))
    everyone = caseload(actor=partnership.adviser_a, filters=CaseloadFilters(mine_only=False))
    assert "Colleagues" in names(everyone)
    only = caseload(actor=partnership.adviser_a, filters=CaseloadFilters(mine_only=False, adviser_id=colleague.user_id))
    assert names(only) == {"Colleagues"}
    assert names(caseload(actor=partnership.adviser_b, filters=CaseloadFilters(mine_only=False))) == set()


def test_caseload_page_shows_flags_and_filters(client, partnership, cases):
    client.force_login(partnership.adviser_a.user)
    page = client.get("/cases/").content.decode()
    assert "Overdue</strong>" in page and "Due soon</strong>" in page and "Over 14 days</strong>" in page
    assert "20 days ago" in page and "30 days since enrolment" in page
    page = client.get("/cases/?show=mine&review=overdue").content.decode()
    assert "Overdue" in page and ">Later<" not in page and "Later" not in page.split('data-testid="cases"')[1]
    page = client.get("/cases/?stage=closed").content.decode()
    assert "No cases match these filters." in page
    assert client.get("/cases/?stage=nonsense&review=x&adviser=abc").status_code == 200  # bad values ignored


def test_the_filter_form_shows_the_filters_that_apply(client, partnership, cases):
    client.force_login(partnership.adviser_a.user)
    page = client.get("/cases/?show=all&stage=active&review=overdue&no_recent_contact=on").content.decode()
    form = page.split('<form method="get" action="">')[1].split("</form>")[0]
    assert "checked" in form.split('value="all"')[1].split(">")[0]
    assert "checked" not in form.split('value="mine"')[1].split(">")[0]
    assert '<option value="active" selected>' in form and '<option value="overdue" selected>' in form
    assert "checked" in form.split('name="no_recent_contact"')[1][:120]
    bad = client.get("/cases/?stage=nonsense&review=<script>alert(1)</script>&adviser=abc").content.decode()
    form = bad.split('<form method="get" action="">')[1].split("</form>")[0]
    assert '<option value="" selected>Any stage</option>' in form and "alert(1)</script>" not in bad
    assert "checked" in form.split('value="mine"')[1].split(">")[0]
    assert "govuk-error-message" not in form  # a bad value is ignored, not shown as an error


def test_caseload_sizes_and_the_ips_warning(client, partnership, cases, monkeypatch):
    colleague = MembershipFactory(user__username="colleague", organisation=partnership.partner_a)
    sizes = {s.name: s for s in caseload_sizes(actor=partnership.manager_a)}
    mine = sizes[partnership.adviser_a.user.get_full_name()]
    assert (mine.active, mine.in_work, mine.reviews_overdue) == (4, 1, 1)
    assert sizes[colleague.user.get_full_name()].active == 0
    assert partnership.manager_a.user.get_full_name() not in sizes  # carries no cases
    assert not any(s.over_ips_limit for s in sizes.values())
    client.force_login(partnership.manager_a.user)
    page = client.get("/cases/team/").content.decode()
    assert 'data-testid="ips-warning"' not in page
    monkeypatch.setattr(selectors, "IPS_MAX_ACTIVE_CASES", 3)
    page = page_text(client.get("/cases/team/"))
    assert 'data-testid="ips-warning"' in page
    assert f"more than 3 active cases, above the IPS fidelity standard: {mine.name} (4)" in page
    with pytest.raises(NotPermitted):
        caseload_sizes(actor=partnership.referrer)
    client.force_login(partnership.referrer.user)
    assert client.get("/cases/team/").status_code == 403


def test_the_ips_limit_is_more_than_20_active_cases(partnership):
    assert selectors.IPS_MAX_ACTIVE_CASES == 20
    row = selectors.AdviserCaseload(adviser_id=1, name="x", active=20, in_work=0, reviews_overdue=0)
    assert not row.over_ips_limit
    assert selectors.AdviserCaseload(adviser_id=1, name="x", active=21, in_work=0, reviews_overdue=0).over_ips_limit


def queries_for(client, url: str) -> int:
    client.get(url)
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
    assert response.status_code == 200
    return len(ctx.captured_queries)


@pytest.mark.parametrize(
    ("who", "url"),
    [
        ("adviser_a", "/cases/?show=all&review=due&stage=active&no_recent_contact=on"),
        ("adviser_a", "/cases/"),
        ("manager_a", "/cases/team/"),
    ],
)
def test_caseload_pages_queries_do_not_grow(client, partnership, who, url):
    client.force_login(getattr(partnership, who).user)
    a = partnership.adviser_a

    def one_more(n: int) -> None:
        adviser = MembershipFactory(user__username=f"pa{n}", organisation=partnership.partner_a) if n % 2 else a
        case = new_case(partnership, name=f"Person{n}", adviser=adviser)
        case_next_step_set(case=case, actor=a, next_action="x", next_review_on=today() - timedelta(days=n % 3))
        if n % 3 == 0:
            partnership.job_start(case, days_ago=29)  # its 4-week milestone is due: a reminder

    one_more(0)
    one = queries_for(client, url)
    for n in range(1, 8):
        one_more(n)
    assert queries_for(client, url) == one


def test_the_caseload_is_paged_and_keeps_its_filters(client, partnership):
    for n in range(52):
        new_case(partnership, days_ago=n, name=f"Paged{n:02d}")
    client.force_login(partnership.adviser_a.user)
    first = all_cases(client.get("/cases/?show=mine&stage=active").content.decode())
    assert "Paged00" in first and "Paged49" in first and "Paged50" not in first  # newest first
    assert "Showing 1 to 50 of 52" in first
    assert "show=mine&amp;stage=active&amp;page=2" in first  # the next page keeps the filters
    second = all_cases(client.get("/cases/?show=mine&stage=active&page=2").content.decode())
    assert "Paged50" in second and "Paged51" in second and "Paged00" not in second
