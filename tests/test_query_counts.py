"""Every main page runs the same number of SQL queries however many rows it shows (issue 6).

Each test builds a partnership with one of everything a page lists, counts the page's queries,
adds several more of everything, and counts again: the two counts must be equal. A page that
fetches a related row per listed row (an N+1) fails here long before it is slow in production.
"""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from joinedup.api.services import api_token_issue
from joinedup.cases.models import AssessmentArea
from joinedup.cases.services import (
    assessment_record,
    case_next_step_set,
    contact_record,
    job_application_record,
    plan_action_add,
    plan_goal_add,
    wellbeing_record,
)
from joinedup.directory.models import DirectoryOrganisation, Lifecycle, Service
from joinedup.directory.rules import add_rule_version
from joinedup.organisations.models import Role
from joinedup.referrals.services import referral_decline
from joinedup.testkit import MembershipFactory, page_text

pytestmark = pytest.mark.django_db


def today():
    return timezone.localdate()


class World:
    """A partnership that grows: `grow()` adds one more of everything the pages list."""

    def __init__(self, partnership) -> None:
        self.p = partnership
        self.n = 0
        self.case = None  # the person record whose children grow
        self.referral = None  # the referral whose history and audit trail grow
        self.grow()

    def grow(self) -> None:
        p, n = self.p, self.n
        self.n += 1
        # The triage queue and the referrer's list: a new referral waiting, and one declined.
        p.refer(given_name=f"Wait{n}", family_name="Ng")
        # The caseload's list of referrals waiting to be enrolled: one more, the adviser's own.
        p.assign(p.refer(given_name=f"Awaiting{n}", family_name="Nakamura"), adviser=p.adviser_a)
        declined = p.refer(given_name=f"Declined{n}", family_name="Ó Briain")
        referral_decline(referral=declined, actor=p.programme, reason="Outside the area")
        # The caseload: a new case with a next step, a contact and a job start.
        referral = p.refer(given_name=f"Case{n}", family_name="Łukasz")
        referral = p.assign(referral)
        case = p.enrol(referral)
        case_next_step_set(case=case, actor=p.adviser_a, next_action="Call", next_review_on=today() + timedelta(n % 3))
        contact_record(
            case=case, actor=p.adviser_a, happened_on=today(), channel="phone", kind="support", duration_minutes=20
        )
        if self.case is None:
            self.case, self.referral = case, referral
        # The person record: one more of each thing on the case page.
        c, a = self.case, p.adviser_a
        contact_record(case=c, actor=a, happened_on=today(), channel="phone", kind="support", duration_minutes=30)
        wellbeing_record(
            case=c, actor=a, instrument="swemwbs", answers=[3] * 7, recorded_on=today(), timepoint="review"
        )
        assessment_record(case=c, actor=a, assessed_on=today(), ratings=dict.fromkeys(AssessmentArea.values, 1 + n % 5))
        goal = plan_goal_add(case=c, actor=a, text=f"Goal {n} in my own words")
        plan_action_add(case=c, actor=a, description=f"Action {n}", owner="person", due_on=today(), goal=goal)
        job_application_record(
            case=c, actor=a, employer_name=f"Employer {n}", job_title="Care assistant", applied_on=today()
        )
        p.job_start(c)
        # The team page: one more adviser at partner A, with a case (a name the page must escape).
        other = MembershipFactory(
            user__username=f"adviser_a{n}",
            user__last_name="O'Brien",
            organisation=p.partner_a,
            role=Role.PERSONAL_ADVISER,
        )
        p.enrol(p.assign(p.refer(given_name=f"Team{n}"), adviser=other), adviser=other)
        # Directory search: one more published service that `q=work` finds.
        provider = DirectoryOrganisation.objects.create(name=f"Provider {n}", description="Employment support")
        service = Service.objects.create(
            organisation=provider,
            name=f"Work club {n}",
            description="Help to find work near you",
            lifecycle=Lifecycle.PUBLISHED,
        )
        add_rule_version(service, rules={"criterion": "open"}, stated_as="Open to anyone")
        from joinedup.directory.search import index_services  # made with the ORM: its search columns too

        index_services([service.pk])


def count(client, url: str, **kwargs) -> int:
    client.get(url, **kwargs)  # warm caches (content types, sessions) out of the count
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url, **kwargs)
    assert response.status_code == 200, (url, response.status_code)
    return len(ctx.captured_queries)


PAGES = {
    "caseload": ("adviser_a", lambda w: "/cases/"),
    "caseload-all": ("adviser_a", lambda w: "/cases/?show=all"),
    "team": ("manager_a", lambda w: "/cases/team/"),
    "person-record": ("adviser_a", lambda w: f"/cases/{w.case.pk}/"),
    "plan": ("adviser_a", lambda w: f"/cases/{w.case.pk}/plan/"),
    "referrer-list": ("referrer", lambda w: "/referrals/"),
    "referral": ("referrer", lambda w: f"/referrals/{w.referral.pk}/"),
    "triage-queue": ("programme", lambda w: "/referrals/triage/"),
    "dashboard": ("programme", lambda w: "/dashboard/"),
    "audit-trail": ("admin", lambda w: f"/audit/?reference={w.referral.reference}"),
    "directory-search": (None, lambda w: "/directory/?q=work"),
}


@pytest.mark.parametrize("page", PAGES)
def test_page_queries_do_not_grow_with_rows(client, partnership, page):
    who, url = PAGES[page]
    world = World(partnership)
    if who:
        client.force_login(getattr(partnership, who).user)
    first = count(client, url(world))
    for _ in range(3):
        world.grow()
    assert count(client, url(world)) == first


def test_api_status_read_queries_do_not_grow(client, partnership):
    world = World(partnership)
    _, key = api_token_issue(membership=partnership.referrer)
    headers = {"HTTP_AUTHORIZATION": f"Bearer {key}"}
    first = count(client, f"/api/v1/referrals/{world.referral.reference}/", **headers)
    for _ in range(3):
        world.grow()
    assert count(client, f"/api/v1/referrals/{world.referral.reference}/", **headers) == first


def test_the_world_really_grows(client, partnership):
    """Guard the guard: after growing, the pages have more rows to show."""
    world = World(partnership)
    world.grow()
    world.grow()
    case = world.case
    assert case.contacts.count() == 4  # the case's own contact, then one per grow
    assert case.job_starts.count() == 3
    assert Decimal(case.job_starts.first().hours_per_week) > 0
    assert Service.objects.filter(name__startswith="Work club").count() == 3
    assert world.p.partner_a.memberships.filter(role=Role.PERSONAL_ADVISER).count() == 4
    assert all(f"Work club {n}" in client.get("/directory/?q=work").content.decode() for n in range(3))
    client.force_login(partnership.adviser_a.user)
    caseload = page_text(client.get("/cases/"))
    assert all(f"Awaiting{n} Nakamura" in caseload for n in range(2))
    client.force_login(partnership.manager_a.user)
    team = page_text(client.get("/cases/team/"))
    advisers = world.p.partner_a.memberships.filter(role=Role.PERSONAL_ADVISER).select_related("user")
    assert all((m.user.get_full_name() or m.user.username) in team for m in advisers)


def test_the_person_record_reads_the_case_once_and_each_section_once(client, partnership):
    """The record reads only some columns of the case, its person, adviser and referral: a column
    the page shows but the selector left out would be read again, one query each time."""
    world = World(partnership)
    world.grow()
    client.force_login(partnership.adviser_a.user)
    url = f"/cases/{world.case.pk}/"
    client.get(url)
    with CaptureQueriesContext(connection) as ctx:
        page = client.get(url)
    assert page.status_code == 200
    froms = [q["sql"].split(" FROM ", 1)[1].split()[0] for q in ctx.captured_queries if " FROM " in q["sql"]]
    assert froms.count('"cases_case"') == 1
    for table in ('"people_person"', '"referrals_referral"', '"organisations_organisation"'):
        assert table not in froms, f"{table} read again"
    assert froms.count('"cases_contact"') == 1
    html = page.content.decode()
    assert world.case.person.full_name in html and world.case.referral.reference in html
