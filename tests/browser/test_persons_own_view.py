"""The person's own view on a 390 px phone, JavaScript off (issue 20, decision 022): they sign in
with the emailed link, read their referral's status, mark an action of their plan done, withdraw
their consent to share progress (the referrer's view then shows less), and send their adviser a
message that appears on the case."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from django.core import mail
from django.utils import timezone

from .helpers import Visitor, visitor

pytestmark = pytest.mark.browser

PHONE = {"width": 390, "height": 844}
LINK = re.compile(r"https?://[^\s]+(/you/sign-in/[0-9a-f-]{36}/[A-Za-z0-9_-]+/)")


def _fits(person: Visitor) -> None:
    width = person.page.evaluate("document.documentElement.scrollWidth")
    assert width <= PHONE["width"], f"{person.page.url} is {width}px wide on a 390px phone"


def test_the_person_signs_in_reads_acts_withdraws_and_messages(browser, live_server, screenshots, partnership_live):
    from joinedup.cases.models import ActionOwner
    from joinedup.cases.services import plan_action_add, plan_goal_add

    p = partnership_live
    referral = p.assign(p.refer(given_name="Nadia", family_name="Rahman", email="nadia@example.com"))
    case = p.enrol(referral)
    goal = plan_goal_add(case=case, actor=p.adviser_a, text="Find work in a shop, mornings only")
    plan_action_add(
        case=case,
        actor=p.adviser_a,
        description="Write a CV",
        owner=ActionOwner.PERSON,
        due_on=timezone.localdate() + timedelta(days=7),
        goal=goal,
    )
    referral.refresh_from_db()  # enrolled
    mail.outbox.clear()

    with visitor(browser, live_server, screenshots, javascript=False) as referrer:
        referrer.sign_in("referrer")
        referrer.goto(f"/referrals/{referral.pk}/")
        assert referrer.page.locator('[data-step="enrolled"][data-done="yes"]').count() == 1

        context = browser.new_context(java_script_enabled=False, viewport=PHONE)
        try:
            person = Visitor(context, live_server.url, screenshots)
            page = person.page
            person.goto("/you/")  # not signed in: asked to
            assert page.get_by_role("heading", name="Sign in to see your support", exact=True).is_visible()
            page.get_by_label("Email address or mobile number").fill("nadia@example.com")
            person.submit("Send me a link")
            assert page.get_by_role("heading", name="Check your email or phone", exact=True).is_visible()
            _fits(person)
            person.shot("you-01-check-email")

            # The link from the email (the console backend prints it in `make run`).
            assert len(mail.outbox) == 1 and mail.outbox[0].to == ["nadia@example.com"]
            found = LINK.search(str(mail.outbox[0].body))
            assert found is not None
            path = found.group(1)
            person.goto(path)
            person.submit("Continue")
            assert page.get_by_role("heading", name="Your support", exact=True).is_visible()
            assert page.get_by_test_id("status").inner_text() == referral.status_info.referrer_label
            assert "Partner A" in page.get_by_test_id("your-adviser").inner_text()
            _fits(person)
            person.shot("you-02-overview")

            person.goto("/you/plan/")
            action = page.locator('[data-testid="action"]', has_text="Write a CV")
            action.get_by_role("button", name=re.compile("^Mark as done")).click()
            page.wait_for_load_state()
            assert "Marked as done: Write a CV" in page.content()
            assert page.locator('[data-testid="action"][data-done="yes"]').count() == 1
            _fits(person)
            person.shot("you-03-plan")

            person.goto("/you/consents/")
            row = page.locator('li[data-purpose="share_progress"][data-state="active"]')
            row.get_by_role("button", name=re.compile("Withdraw")).click()
            page.wait_for_load_state()
            assert "took effect straight away" in page.content()
            assert page.locator('li[data-purpose="share_progress"][data-state="withdrawn"]').count() == 1
            _fits(person)
            person.shot("you-04-consents")

            person.goto("/you/messages/")
            page.get_by_label("Your message").fill("Can we meet on Tuesday morning?")
            person.submit("Send message")
            assert "Message sent to your adviser" in page.content()
            assert "Can we meet on Tuesday morning?" in page.get_by_test_id("messages").inner_text()
            _fits(person)
            person.shot("you-05-messages")
            assert person.problems == []
        finally:
            context.close()

        # The referrer's view now shows less: routing only, no progress.
        referrer.page.reload()
        assert referrer.page.locator('[data-step="enrolled"]').count() == 0
        assert "did not agree to share their progress" in referrer.page.content()

    # The message is on the case, and waiting in the adviser's caseload.
    with visitor(browser, live_server, screenshots, javascript=False) as adviser:
        adviser.sign_in("adviser_a")
        adviser.goto("/cases/")
        adviser.page.get_by_test_id("queue-messages").locator("summary").click()  # the queue's groups are folded
        waiting = adviser.page.get_by_test_id("messages-waiting")
        assert "Nadia Rahman" in waiting.inner_text()
        adviser.goto(f"/cases/{case.pk}/")
        contacts = adviser.page.get_by_test_id("contacts").inner_text()
        assert "Message from the person" in contacts and "Can we meet on Tuesday morning?" in contacts
        assert adviser.problems == []
