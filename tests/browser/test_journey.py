"""The whole journey through the real pages, as each role, in headless Chromium.

A GP referrer refers someone; a partner manager assigns them; their Personal Adviser enrols them,
records a contact, a job start and 13 and 26 weeks in work; the referrer sees the loop closed;
the programme manager's dashboard figures each go up by one.
"""

from __future__ import annotations

import re
from datetime import date, timedelta

import pytest
from django.utils import timezone

from joinedup.outcomes.services import tallies_rebuild
from joinedup.referrals import statuses
from joinedup.referrals.models import Referral, ReferralStatusChange

from .helpers import Visitor, visitor

pytestmark = pytest.mark.browser

NAME = ("Zoë", "Ní Bhriain")
FULL_NAME = "Zoë Ní Bhriain"
FIGURES = ("referrals", "starts", "job_starts", "sustained_26")
REFERENCE = re.compile(r"JU-[A-Z2-9]{7}")


def dashboard_figures(v: Visitor) -> dict[str, int]:
    v.goto("/dashboard/")
    return {name: int(v.page.locator(f'[data-figure="{name}"]').inner_text()) for name in FIGURES}


def fill_referral(v: Visitor, *, given: str = NAME[0], family: str = NAME[1]) -> None:
    page = v.page
    page.get_by_label("First name").fill(given)
    page.get_by_label("Last name").fill(family)
    v.fill_date("date_of_birth", date(1988, 4, 12))
    page.get_by_label("Email address (optional)").fill("zoe.nibhriain@example.com")
    page.get_by_label("Telephone number (optional)").fill("07700 900982")
    page.get_by_label("Postcode").fill("ng18 1ab")
    page.get_by_label("NHS number (optional)").fill("943 476 5919")
    page.get_by_label("Unemployed and looking for work").check()
    page.get_by_label("Universal Credit with limited capability for work (LCW)").check()
    page.get_by_label("Personal Independence Payment (PIP)").check()
    page.get_by_label("Mental health (for example anxiety or depression)").check()
    page.get_by_label("What do they want help with?").fill("Getting back to work – part-time at first, near Mansfield")
    page.get_by_label("The person agrees to be referred to the service").check()
    page.get_by_label("The person agrees that the service can tell you how they are getting on").check()


def back_date_referral(reference: str, days: int) -> None:
    """Back-dating for testing: pretend the referral was made and accepted `days` ago."""
    then = timezone.now() - timedelta(days=days)
    referral = Referral.objects.get(reference=reference)
    assert Referral.objects.filter(pk=referral.pk).update(created_at=then, status_changed_at=then) == 1
    ReferralStatusChange.objects.filter(referral=referral, to_status=statuses.RECEIVED).update(at=then)
    ReferralStatusChange.objects.filter(referral=referral, to_status=statuses.ASSIGNED).update(
        at=then + timedelta(hours=2)
    )
    tallies_rebuild()  # the dashboard's tallies follow the back-dated referral


def test_referral_to_sustained_job_through_the_pages(browser, live_server, partnership_live, screenshots):
    p = partnership_live
    # Earlier activity, so the dashboard starts from figures that are not all zero.
    earlier = p.assign(p.refer(given_name="Earlier", family_name="Person"))
    p.enrol(earlier)
    today = timezone.localdate()

    # 5a. The programme manager notes the dashboard figures.
    with visitor(browser, live_server, screenshots) as programme:
        programme.sign_in("programme")
        before = dashboard_figures(programme)
        assert before == {"referrals": 1, "starts": 1, "job_starts": 0, "sustained_26": 0}
        assert not programme.problems, programme.problems

    # 1. A GP practice refers someone.
    with visitor(browser, live_server, screenshots) as referrer:
        referrer.sign_in("referrer")
        referrer.menu("Make a referral")
        assert referrer.page.get_by_role("heading", level=1).inner_text() == (
            "Refer someone to the health and employment service"
        )
        fill_referral(referrer)
        referrer.shot("01-referral-form")
        referrer.submit("Send referral")
        referrer.assert_no_error_summary()
        panel = referrer.page.locator(".govuk-panel--confirmation")
        assert "Referral sent" in panel.inner_text()
        reference = referrer.page.get_by_test_id("reference").inner_text().strip()
        assert REFERENCE.fullmatch(reference), reference
        referrer.shot("02-referral-sent")
        # JavaScript ran: GOV.UK Frontend initialised, the CSS loaded, nothing failed to load.
        assert referrer.page.evaluate("document.body.classList.contains('govuk-frontend-supported')")
        assert referrer.page.locator(".govuk-header").evaluate("e => getComputedStyle(e).backgroundColor") != (
            "rgba(0, 0, 0, 0)"
        )
        assert not referrer.problems, referrer.problems

    # 2. The partner manager routes it to their own organisation and a Personal Adviser.
    with visitor(browser, live_server, screenshots) as manager:
        manager.sign_in("manager_a")
        manager.menu("Triage queue")
        row = manager.page.get_by_role("row").filter(has_text=reference)
        assert FULL_NAME in row.inner_text() and "Test GP Practice" in row.inner_text()
        manager.shot("03-triage-queue")
        row.get_by_role("link", name=reference).click()
        assert manager.page.get_by_role("heading", level=1).inner_text() == FULL_NAME
        # Two forms share this page: each label must reach the box in its own form.
        assert manager.page.locator("#decline").get_by_label("Why is the referral declined?").count() == 1
        manager.page.get_by_label("Delivery partner").select_option(label="Partner A")
        manager.page.get_by_label("Personal Adviser").select_option(value=str(p.adviser_a.user_id))
        manager.page.get_by_label("Why this partner? (optional)").fill("Closest to Zoë's home")
        manager.shot("04-triage-referral")
        manager.submit("Assign referral")
        manager.assert_no_error_summary()
        assert f"Referral {reference} assigned" in manager.page.locator(".govuk-notification-banner").inner_text()
        assert manager.page.get_by_role("row").filter(has_text=reference).count() == 0
        assert not manager.problems, manager.problems

    # Enrolment cannot be before the referral, nor a job start before enrolment: to reach 26 weeks
    # in work today, the referral is back-dated as if it had been made 210 days ago.
    back_date_referral(reference, days=210)
    enrolled_on = today - timedelta(days=205)
    contact_on = today - timedelta(days=204)
    start_date = today - timedelta(days=200)

    # 3. The Personal Adviser enrols the person and records their progress.
    with visitor(browser, live_server, screenshots) as adviser:
        page = adviser.page
        adviser.sign_in("adviser_a")
        adviser.menu("Caseload")
        page.get_by_test_id("queue-waiting").locator("summary").click()  # the work queue's groups are folded
        waiting = page.get_by_test_id("awaiting")
        assert waiting.is_visible()  # the "New people waiting to be enrolled" group, opened
        assert reference in waiting.get_by_role("row").filter(has_text=FULL_NAME).inner_text()
        adviser.shot("05-caseload-waiting")
        waiting.get_by_role("link", name=FULL_NAME).click()
        assert page.get_by_role("heading", level=1).inner_text() == f"Enrol {FULL_NAME}"
        adviser.fill_date("enrolled_on", enrolled_on)
        page.get_by_label("I have checked the person is eligible for the programme").check()
        page.get_by_label("Evidence of eligibility").fill("UC award letter showing LCW, seen in person")
        page.get_by_label("The person consents to support and to their information being recorded").check()
        adviser.submit("Enrol")
        adviser.assert_no_error_summary()
        assert f"{FULL_NAME} is enrolled" in page.locator(".govuk-notification-banner").inner_text()
        case_url = page.url

        page.get_by_role("link", name="Record a contact").click()
        adviser.fill_date("happened_on", contact_on)
        page.get_by_label("Face to face").check()
        page.get_by_role("group", name="Type of contact").get_by_role("radio").first.check()
        page.get_by_label("Duration in minutes").fill("45")
        page.get_by_label("Notes (optional)").fill("Talked through CV; Zoë wants café work")
        adviser.submit("Save contact")
        adviser.assert_no_error_summary()
        assert "Contact saved" in page.locator(".govuk-notification-banner").inner_text()
        assert "Talked through CV; Zoë wants café work" in page.get_by_test_id("contacts").inner_text()

        page.get_by_role("link", name="Record a job start").click()
        page.get_by_label("Employer").fill("Café Ñandú Ltd")
        page.get_by_label("Job title").fill("Barista")
        page.get_by_label("Hours a week").fill("16")
        page.get_by_label("Pay an hour, in pounds").fill("12.21")
        adviser.fill_date("start_date", start_date)
        page.get_by_label("Evidence (optional)").fill("Contract seen")
        adviser.submit("Save job start")
        adviser.assert_no_error_summary()
        assert "Job start saved" in page.locator(".govuk-notification-banner").inner_text()

        for weeks in (13, 26):
            page.get_by_role("link", name=f"Record {weeks} weeks").click()
            page.get_by_label(f"{weeks} weeks in work").check()
            adviser.fill_date("achieved_on", start_date + timedelta(weeks=weeks, days=1))
            page.get_by_label("Evidence the person is still in work").fill(f"Payslip seen, week {weeks}")
            adviser.submit("Save")
            adviser.assert_no_error_summary()
            assert page.url == case_url
            assert "Milestone saved" in page.locator(".govuk-notification-banner").inner_text()
        milestones = page.get_by_test_id("milestones").inner_text()
        assert milestones.count("Confirmed") == 2 and "Barista, Café Ñandú Ltd" in milestones
        assert page.locator(".govuk-caption-l").inner_text().startswith("In work 26 weeks")
        adviser.shot("06-case-detail")
        assert not adviser.problems, adviser.problems

    # 4. The referrer sees the loop closed.
    with visitor(browser, live_server, screenshots) as referrer:
        referrer.sign_in("referrer")
        referrer.menu("Your referrals")
        referrer.page.get_by_role("link", name=reference).click()
        assert referrer.page.get_by_role("heading", level=1).inner_text() == FULL_NAME
        loop = referrer.page.get_by_test_id("loop")
        steps = {
            li.get_attribute("data-step"): li.get_attribute("data-done") for li in loop.locator("[data-step]").all()
        }
        assert steps == {"received": "yes", "accepted": "yes", "enrolled": "yes", "started_work": "yes"}
        assert "Partner A" in loop.inner_text()
        assert f"{start_date.day} {start_date:%B %Y}" in loop.inner_text()
        referrer.shot("07-referral-closed-loop")
        referrer.page.get_by_role("button", name="Sign out").click()
        referrer.page.wait_for_load_state()
        assert referrer.page.get_by_text("Signed in as").count() == 0
        assert not referrer.problems, referrer.problems

    # 5b. Each dashboard figure has gone up by one.
    with visitor(browser, live_server, screenshots) as programme:
        programme.sign_in("programme")
        after = dashboard_figures(programme)
        programme.shot("08-dashboard")
        assert after == {name: before[name] + 1 for name in FIGURES}
        assert programme.page.locator('[data-partner="Partner A"]').count() == 1
        assert not programme.problems, programme.problems
