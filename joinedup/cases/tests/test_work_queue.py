"""The caseload as a day's work queue: each group (plan reviews due, in-work milestones due, no
recent contact, new people waiting) with what belongs in it and nothing else, each paged on its
own; the whole caseload searched by name or reference and sorted; the page folded and audited;
and the case page showing what the referrer sent."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from joinedup.audit.models import AuditEvent
from joinedup.audit.verbs import AuditVerb
from joinedup.cases.contacts.services import contact_record
from joinedup.cases.enrolment.queue import work_queue
from joinedup.cases.enrolment.selectors import CaseloadFilters, caseload
from joinedup.cases.enrolment.services import case_next_step_set
from joinedup.cases.support.services import case_exit
from joinedup.core.errors import NotPermitted
from joinedup.organisations.models import Role
from joinedup.testkit import MembershipFactory, page_text

from .test_services import backdate


def today():
    return timezone.localdate()


def enrolled(p, name: str, *, days_ago: int = 30, adviser=None, family: str = "Okafor"):
    referral = p.assign(backdate(p.refer(given_name=name, family_name=family), days_ago + 5), adviser=adviser)
    return p.enrol(referral, days_ago=days_ago, adviser=adviser)


def contact(case, actor, days_ago: int) -> None:
    on = today() - timedelta(days=days_ago)
    contact_record(case=case, actor=actor, happened_on=on, channel="phone", kind="support", duration_minutes=5)


@pytest.fixture
def day(partnership):
    """One case for each group, one for none, one closed, one of a colleague's, and one waiting."""
    p, a = partnership, partnership.adviser_a
    review = enrolled(p, "Review")
    case_next_step_set(case=review, actor=a, next_action="Check the CV", next_review_on=today() + timedelta(days=2))
    contact(review, a, 1)
    milestone = enrolled(p, "Milestone", days_ago=60)
    contact(milestone, a, 1)
    p.job_start(milestone, days_ago=30)  # 4 weeks in work: due, not recorded
    quiet = enrolled(p, "Quiet")
    contact(quiet, a, 20)
    fine = enrolled(p, "Fine")
    case_next_step_set(case=fine, actor=a, next_action="", next_review_on=today() + timedelta(days=30))
    contact(fine, a, 1)
    closed = enrolled(p, "Closed")
    case_next_step_set(case=closed, actor=a, next_action="", next_review_on=today() - timedelta(days=3))
    case_exit(case=closed, actor=a, closed_on=today(), destination="paid_work", reason="Started work")
    colleague = MembershipFactory(organisation=p.partner_a, role=Role.PERSONAL_ADVISER)
    enrolled(p, "Colleague", adviser=colleague)  # no contact in 30 days, but not this adviser's
    p.assign(p.refer(given_name="Waiting", family_name="Mensah"), adviser=a)
    return {"colleague": colleague}


def group_names(queue, code: str) -> set[str]:
    rows = queue[code].page.rows
    if code == "milestones":
        return {m.job_start.case.person.given_name for m in rows}
    if code == "waiting":
        return {r.person.given_name for r in rows}
    if code == "messages":
        return {c.case.person.given_name for c in rows}
    return {r.case.person.given_name for r in rows}


def test_each_group_holds_what_needs_doing_today_and_nothing_else(partnership, day):
    queue = work_queue(actor=partnership.adviser_a)
    assert [g.code for g in queue.groups] == ["messages", "reviews", "milestones", "no_contact", "waiting"]
    assert group_names(queue, "messages") == set()
    assert group_names(queue, "reviews") == {"Review"}  # the closed case's overdue review is not work
    assert group_names(queue, "milestones") == {"Milestone"}
    assert group_names(queue, "no_contact") == {"Quiet"}  # not the closed one, not the colleague's
    assert group_names(queue, "waiting") == {"Waiting"}
    assert queue.shown == 4


def test_everyone_at_the_partner_and_one_adviser_of_it(partnership, day):
    everyone = work_queue(actor=partnership.adviser_a, mine_only=False)
    assert group_names(everyone, "no_contact") == {"Quiet", "Colleague"}
    assert group_names(everyone, "waiting") == {"Waiting"} and group_names(everyone, "milestones") == {"Milestone"}
    theirs = work_queue(actor=partnership.adviser_a, mine_only=False, adviser_id=day["colleague"].user_id)
    assert group_names(theirs, "no_contact") == {"Colleague"} and group_names(theirs, "reviews") == set()
    # Every group follows the chosen adviser: not adviser A's milestone nor the one A has waiting.
    assert group_names(theirs, "milestones") == set() and group_names(theirs, "waiting") == set()
    mine = work_queue(actor=partnership.adviser_a, mine_only=False, adviser_id=partnership.adviser_a.user_id)
    assert group_names(mine, "milestones") == {"Milestone"} and group_names(mine, "waiting") == {"Waiting"}


def test_no_contact_lists_the_longest_without_contact_first(partnership, day):
    p = partnership
    older = enrolled(p, "Older", days_ago=90)  # no contact since enrolment, 90 days ago
    contact(older, p.adviser_a, 40)
    queue = work_queue(actor=p.adviser_a)
    assert [r.case.person.given_name for r in queue["no_contact"].page.rows] == ["Older", "Quiet"]


def test_a_message_from_the_person_is_not_contact_by_the_adviser(partnership, day):
    """An unanswered message must not take the case out of "no contact recently"; it waits in
    "Messages from people" until a contact answers it."""
    from joinedup.cases.contacts.services import contact_from_person

    quiet = work_queue(actor=partnership.adviser_a)["no_contact"].page.rows[0].case
    contact_from_person(case=quiet, text="Can we meet next week?")
    queue = work_queue(actor=partnership.adviser_a)
    assert group_names(queue, "no_contact") == {"Quiet"} and group_names(queue, "messages") == {"Quiet"}
    contact(quiet, partnership.adviser_a, 0)  # the adviser answers
    queue = work_queue(actor=partnership.adviser_a)
    assert group_names(queue, "messages") == set() and group_names(queue, "no_contact") == set()


def test_messages_from_people_are_paged_and_follow_the_chosen_adviser(partnership, day):
    from joinedup.cases.contacts.services import contact_from_person

    p = partnership
    mine = [enrolled(p, f"Asker{n}") for n in range(3)]
    for case in mine:
        contact_from_person(case=case, text="Hello")
    theirs = enrolled(p, "Colleague asker", adviser=day["colleague"])
    contact_from_person(case=theirs, text="Hello")
    first = work_queue(actor=p.adviser_a, size=2)["messages"].page
    assert (first.total, first.pages, len(first.rows)) == (3, 2, 2)
    second = work_queue(actor=p.adviser_a, size=2, pages={"messages": "2"})["messages"].page
    assert len(second.rows) == 1
    everyone = work_queue(actor=p.adviser_a, mine_only=False)
    assert group_names(everyone, "messages") == {"Asker0", "Asker1", "Asker2", "Colleague asker"}
    chosen = work_queue(actor=p.adviser_a, mine_only=False, adviser_id=day["colleague"].user_id)
    assert group_names(chosen, "messages") == {"Colleague asker"}


def test_each_group_is_paged_on_its_own(partnership, day):
    p = partnership
    for n in range(3):
        p.assign(p.refer(given_name=f"Waiting{n}", family_name="Mensah"), adviser=p.adviser_a)
    first = work_queue(actor=p.adviser_a, size=3)
    assert (first["waiting"].page.total, first["waiting"].page.pages, len(first["waiting"].page.rows)) == (4, 2, 3)
    second = work_queue(actor=p.adviser_a, size=3, pages={"waiting": "2"})
    assert len(second["waiting"].page.rows) == 1 and second["waiting"].page.number == 2
    assert group_names(second, "reviews") == {"Review"}  # the other groups stay on their first page
    past = work_queue(actor=p.adviser_a, size=3, pages={"waiting": "99", "milestones": "x"})
    assert past["waiting"].page.number == 2 and past["milestones"].page.number == 1


def test_the_queue_is_five_queries_whatever_its_size(partnership, day):
    p = partnership
    work_queue(actor=p.adviser_a)  # build the compiled reads once
    with CaptureQueriesContext(connection) as few:
        work_queue(actor=p.adviser_a)
    for n in range(4):
        contact(enrolled(p, f"More{n}"), p.adviser_a, 20)
        p.assign(p.refer(given_name=f"More waiting{n}"), adviser=p.adviser_a)
    with CaptureQueriesContext(connection) as more:
        work_queue(actor=p.adviser_a)
    assert len(few.captured_queries) == len(more.captured_queries) == 5


@pytest.mark.parametrize("role", [Role.REFERRER, Role.PROGRAMME_MANAGER, Role.ANALYST, Role.ADMINISTRATOR])
def test_roles_without_a_caseload_are_refused(partnership, role):
    with pytest.raises(NotPermitted):
        work_queue(actor=partnership.by_role()[role])


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("quiet", {"Quiet"}),
        ("QUIET okafor", {"Quiet"}),
        ("okafor", {"Review", "Milestone", "Quiet", "Fine", "Closed"}),
        ("nobody", set()),
    ],
)
def test_the_caseload_is_searched_by_name(partnership, day, text, expected):
    rows = caseload(actor=partnership.adviser_a, filters=CaseloadFilters(text=text))
    assert {r.case.person.given_name for r in rows} == expected


def test_the_caseload_is_searched_by_reference(partnership, day):
    quiet = next(r for r in caseload(actor=partnership.adviser_a, filters=CaseloadFilters(text="Quiet")))
    reference = quiet.case.referral.reference
    for text in (reference, reference.lower(), reference.removeprefix("JU-")):
        rows = caseload(actor=partnership.adviser_a, filters=CaseloadFilters(text=text))
        assert [r.case.person.given_name for r in rows] == ["Quiet"], text


def test_the_caseload_is_sorted(partnership, day):
    a = partnership.adviser_a

    def order(sort: str) -> list[str]:
        return [r.case.person.given_name for r in caseload(actor=a, filters=CaseloadFilters(sort=sort))]

    assert order("name") == sorted(order("name"))  # all "Okafor": then by first name
    assert order("review")[:3] == ["Closed", "Review", "Fine"]  # the soonest review first, none last
    assert order("contact")[0] == "Closed"  # never contacted since enrolment 30 days ago
    assert order("nonsense") == order("")  # an unknown sort is the usual order


def test_the_page_shows_today_folded_with_counts_and_audits_what_it_shows(client, partnership, day):
    client.force_login(partnership.adviser_a.user)
    response = client.get("/cases/")
    page = page_text(response)
    assert response.status_code == 200
    for code in ("reviews", "milestones", "no_contact", "waiting"):
        assert f'<details class="govuk-details" id="{code}" data-testid="queue-{code}">' in page  # folded
        assert f'<strong data-group="{code}">1</strong>' in page
    assert '<strong data-group="messages">0</strong>' in page
    event = AuditEvent.objects.filter(verb=AuditVerb.LISTED).latest("at")
    assert event.payload["list"] == "caseload" and event.payload["shown"] == 5 + 4  # the cases and the queue
    opened = page_text(client.get("/cases/?waiting_page=1"))
    assert '<details class="govuk-details" id="waiting" data-testid="queue-waiting" open>' in opened
    assert 'data-label="Reference"' in opened and "app-table--stack" in opened


def test_the_page_searches_and_keeps_the_filters(client, partnership, day):
    client.force_login(partnership.adviser_a.user)
    page = page_text(client.get("/cases/", {"show": "mine", "stage": "active", "q": "quiet", "sort": "name"}))
    cases = page[page.index('id="cases"') :]
    assert "Quiet Okafor" in cases and "Review Okafor" not in cases
    search = page[page.index('data-testid="search"') :].split("</form>")[0]
    assert '<input type="hidden" name="stage" value="active">' in search and 'value="quiet"' in search
    assert '<option value="name" selected>' in search
    assert "No cases match ‘nobody’" in page_text(client.get("/cases/", {"q": "nobody"}))
    assert client.get("/cases/", {"q": "x" * 500, "sort": "<script>"}).status_code == 200  # ignored, as filters are


def test_the_case_page_shows_what_the_referrer_sent_and_is_audited(client, partnership):
    p = partnership
    referral = p.refer(
        route="gp",
        details={"fit_note": "may_be_fit"},
        health_condition="mental_health",
        benefits=["uc_lcw", "pip"],
        help_wanted="Part-time work near home",
    )
    case = p.enrol(p.assign(referral))
    client.force_login(p.adviser_a.user)
    response = client.get(f"/cases/{case.pk}/")
    page = page_text(response)
    sent = page[page.index('data-testid="referral-sent"') :].split("</details>")[0]
    assert f"What Test GP Practice sent (referral {referral.reference}" in sent
    for shown in ("Fit note", "May be fit for work, with adjustments", "Part-time work near home", "GP"):
        assert shown in sent, shown
    assert "Mental health" in sent and "Personal Independence Payment" in sent
    viewed = AuditEvent.objects.filter(verb=AuditVerb.VIEWED, target_id=str(case.pk))
    assert viewed.count() == 1 and viewed.get().person_id == case.person_id
