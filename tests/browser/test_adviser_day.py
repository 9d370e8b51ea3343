"""An adviser's day, in headless Chromium with JavaScript off: open the caseload, record a quick
contact from the case page and a full one, update the personal plan, record a wellbeing
questionnaire, work out whether the person is better off in work, record a back-dated fixed-term job
start and see the 13-week milestone fall due (on the case and in the caseload's reminders); the plan
prints without the menus."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from joinedup.cases.tests.test_services import backdate

from .helpers import visitor

pytestmark = pytest.mark.browser


def test_an_advisers_day(browser, live_server, screenshots, partnership_live):
    p = partnership_live
    case = p.enrol(p.assign(backdate(p.refer(given_name="Ama", family_name="Mensah"), 130)), days_ago=120)
    today = timezone.localdate()
    with visitor(browser, live_server, screenshots, javascript=False) as adviser:
        page = adviser.page
        adviser.sign_in("adviser_a")
        adviser.menu("Caseload")
        row = page.get_by_test_id("cases").get_by_role("row").filter(has_text="Ama Mensah")
        assert "120 days since enrolment" in row.inner_text() and "Over 14 days" in row.inner_text()
        adviser.shot("adviser-day-01-caseload")
        row.get_by_role("link", name="Ama Mensah").click()

        # Quick contact: today, phone, support and 15 minutes are filled in; change only the minutes.
        quick = page.get_by_test_id("quick-contact")
        assert quick.get_by_label("Phone").is_checked() and quick.get_by_label("Support", exact=True).is_checked()
        quick.get_by_label("Duration in minutes").fill("20")
        quick.get_by_role("button", name="Save contact").click()
        adviser.assert_no_error_summary()
        first = page.get_by_test_id("contacts").get_by_role("row").nth(1).inner_text()
        assert "Support" in first and "Phone" in first and "20" in first

        page.get_by_role("link", name="Record a contact").click()
        adviser.fill_date("happened_on", today)
        page.get_by_label("Phone").check()
        page.get_by_label("Job search").check()
        page.get_by_label("Duration in minutes").fill("30")
        adviser.submit("Save contact")
        adviser.assert_no_error_summary()
        case_url = page.url

        page.get_by_role("link", name="Personal plan").click()
        page.get_by_role("link", name="Add a goal").click()
        page.get_by_label("The goal, in the person's own words").fill("Work in a café, mornings only")
        adviser.submit("Save goal")
        adviser.assert_no_error_summary()
        page.get_by_role("link", name="Add an action").click()
        page.get_by_label("Action").fill("Ask Bean There about a work trial")
        page.get_by_label("Personal Adviser").check()
        adviser.fill_date("due_on", today + timedelta(days=7))
        page.get_by_label("Towards which goal (optional)").select_option(label="Work in a café, mornings only")
        adviser.submit("Save action")
        adviser.assert_no_error_summary()
        goal = page.get_by_test_id("goal").first.inner_text()
        assert "Work in a café, mornings only" in goal and "Ask Bean There about a work trial" in goal
        page.get_by_role("link", name="Change next action and review date").click()
        page.get_by_label("Next action").fill("Work trial at Bean There")
        adviser.fill_date("next_review_on", today + timedelta(days=14))
        adviser.submit("Save next step")
        adviser.assert_no_error_summary()
        assert page.url == case_url
        assert page.get_by_test_id("next-action").inner_text() == "Work trial at Bean There"

        page.get_by_role("link", name="Short Warwick-Edinburgh Mental Wellbeing Scale (SWEMWBS)").click()
        optimistic = page.get_by_role("group", name="1. Feeling optimistic about the future")
        optimistic.get_by_label("3 – Some of the time").check()
        for n in range(2, 8):
            page.locator(f'input[name="item_{n}"][value="{3 if n % 2 else 4}"]').check()
        adviser.fill_date("recorded_on", today)
        page.get_by_label("Start").check()
        adviser.submit("Save answers")
        adviser.assert_no_error_summary()
        table = page.get_by_test_id("wellbeing-1").inner_text()
        assert "21.54" in table  # raw 3+4+3+4+3+4+3 = 24 -> metric 21.54

        page.get_by_role("link", name="Work out if Ama is better off in work").click()
        page.get_by_label("Rent a month").fill("450")
        page.get_by_label("Council tax band").select_option(label="Band B")
        page.set_default_timeout(120_000)  # the calculation takes seconds, more on a busy machine
        adviser.submit("Calculate")
        page.set_default_timeout(10_000)
        adviser.assert_no_error_summary()
        table = page.get_by_test_id("better-off-table")
        assert table.get_by_role("row").count() == 42  # a heading row and 0 to 40 hours
        twelve = table.get_by_role("row").filter(has=page.get_by_role("rowheader", name="12", exact=True)).inner_text()
        assert "152.52" in twelve  # 12 hours at £12.71
        assert "2026 to 2027" in page.get_by_test_id("better-off-inputs").inner_text()
        adviser.shot("adviser-day-03-better-off")
        page.get_by_role("link", name="Back to Ama Mensah").click()

        page.get_by_role("link", name="Record a job start").click()
        page.get_by_label("Employer").fill("Bean There Ltd")
        page.get_by_label("Job title").fill("Barista")
        page.get_by_label("Hours a week").fill("12")
        page.get_by_label("Pay an hour, in pounds").fill("12.60")
        page.get_by_label("Fixed-term").check()
        adviser.fill_date("start_date", today - timedelta(weeks=13))
        adviser.submit("Save job start")
        adviser.assert_no_error_summary()
        milestones = page.get_by_test_id("milestones")
        thirteen = milestones.get_by_role("row").filter(has_text="13 weeks in work").inner_text()
        assert "Due" in thirteen and f"{today:%-d %b %Y}" in thirteen
        assert "Not due yet" in milestones.get_by_role("row").filter(has_text="26 weeks in work").inner_text()
        assert "fixed-term" in thirteen
        adviser.shot("adviser-day-02-case")
        # The caseload's reminders show the milestone due, without anyone setting a reminder.
        adviser.menu("Caseload")
        page.get_by_test_id("queue-milestones").locator("summary").click()  # the work queue's groups are folded
        assert "13 weeks in work" in page.get_by_test_id("milestones-due").inner_text()
        page.go_back()
        page.get_by_role("link", name="Record 13 weeks").click()
        assert page.get_by_label("13 weeks in work").is_checked()
        adviser.fill_date("achieved_on", today)
        page.get_by_label("Evidence the person is still in work").fill("Payslip seen")
        adviser.submit("Save")
        adviser.assert_no_error_summary()
        assert (
            "Confirmed" in page.get_by_test_id("milestones").get_by_role("row").filter(has_text="13 weeks").inner_text()
        )

        page.get_by_role("link", name="Personal plan").click()
        page.emulate_media(media="print")
        assert not page.get_by_role("navigation", name="Menu").is_visible()
        assert not page.get_by_role("link", name="Add a goal").is_visible()
        assert page.get_by_text("Work in a café, mornings only").first.is_visible()
        assert not adviser.problems, adviser.problems
    case.refresh_from_db()
    assert case.stage == "sustained_13"
