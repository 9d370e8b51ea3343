"""Consent in a real browser, JavaScript off: the adviser records the person's wish to be told by
email (with an end date) and withdraws their consent to share progress; the referrer then sees only
whether the referral was accepted."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from .helpers import visitor

pytestmark = pytest.mark.browser


def test_consent_recorded_and_withdrawn_changes_what_the_referrer_sees(
    browser,
    live_server,
    screenshots,
    partnership_live,
):
    p = partnership_live
    referral = p.assign(p.refer(given_name="Zofia", family_name="Wójcik"))
    case = p.enrol(referral)
    p.job_start(case)
    with visitor(browser, live_server, screenshots, javascript=False) as referrer:
        referrer.sign_in("referrer")
        referrer.goto(f"/referrals/{referral.pk}/")
        assert referrer.page.locator('[data-step="started_work"][data-done="yes"]').count() == 1

        with visitor(browser, live_server, screenshots, javascript=False) as adviser:
            page = adviser.page
            adviser.sign_in("adviser_a")
            adviser.goto(f"/cases/{case.pk}/")
            page.get_by_role("link", name="Consent", exact=True).click()
            page.wait_for_load_state()
            assert page.get_by_role("heading", name="Consent", exact=True).is_visible()

            # Submitting with nothing chosen shows the GOV.UK error summary.
            adviser.submit("Save consent")
            assert "Select what the person is deciding about" in page.locator(".govuk-error-summary").inner_text()

            page.get_by_label("Being told by email how their referral is going").check()
            page.get_by_label("Yes, they agree").check()
            adviser.fill_date("expires_on", timezone.localdate() + timedelta(days=180))
            adviser.submit("Save consent")
            adviser.assert_no_error_summary()
            assert page.locator('tr[data-purpose="notify_person"][data-state="active"]').count() == 1
            adviser.shot("consent-01-recorded")

            row = page.locator('tr[data-purpose="share_progress"][data-state="active"]')
            row.get_by_role("button", name="Withdraw").click()
            page.wait_for_load_state()
            assert "Consent withdrawn" in page.content()
            assert page.locator('tr[data-purpose="share_progress"][data-state="withdrawn"]').count() == 1
            adviser.shot("consent-02-withdrawn")
            assert adviser.problems == []

        referrer.page.reload()
        assert referrer.page.locator('[data-step="enrolled"]').count() == 0
        assert referrer.page.locator('[data-step="started_work"]').count() == 0
        assert "did not agree to share their progress" in referrer.page.content()
        assert referrer.problems == []
