"""The core journey works with JavaScript switched off, and errors come back the GOV.UK way."""

from __future__ import annotations

import pytest

from joinedup.referrals.models import Referral

from .helpers import visitor
from .test_journey import FULL_NAME, REFERENCE, fill_referral

pytestmark = pytest.mark.browser


def test_referral_without_javascript(browser, live_server, partnership_live, screenshots):
    with visitor(browser, live_server, screenshots, javascript=False) as referrer:
        page = referrer.page
        referrer.sign_in("referrer")
        referrer.menu("Make a referral")
        assert "js-enabled" not in (page.locator("body").get_attribute("class") or "")

        # Nothing filled in: the server answers with the error summary, and each error links to its field.
        # GOV.UK forms turn off the browser's own validation, or it would stop the form being sent.
        assert page.locator("form[novalidate]").count() == 1
        referrer.submit("Send referral")
        assert page.title().startswith("Error: ")
        summary = page.locator(".govuk-error-summary")
        assert summary.get_by_role("heading", name="There is a problem").is_visible()
        links = summary.get_by_role("link").all()
        messages = [link.inner_text() for link in links]
        for expected in (
            "Enter the date of birth",
            "Select the person's employment status",
            "Select the main health condition",
        ):
            assert expected in messages, messages
        for link in links:
            target = link.get_attribute("href")
            assert target and target.startswith("#"), target
            field = page.locator(f"{target}:is(input, textarea, select)")
            assert field.count() == 1, f"{link.inner_text()!r} links to {target}, which is not a field on the page"
        date_link = summary.get_by_role("link", name="Enter the date of birth")
        assert date_link.get_attribute("href") == "#id_date_of_birth_0"  # the day box
        referrer.shot("09-referral-errors-no-js")
        radios = summary.get_by_role("link", name="Select the person's employment status")
        radios.click()
        assert page.url.endswith("#id_employment_status_1")  # the first radio
        assert Referral.objects.count() == 0

        # The referrer puts it right on the same page and sends it again.
        fill_referral(referrer)
        referrer.submit("Send referral")
        referrer.assert_no_error_summary()
        assert "Referral sent" in page.locator(".govuk-panel--confirmation").inner_text()
        reference = page.get_by_test_id("reference").inner_text().strip()
        assert REFERENCE.fullmatch(reference), reference
        referral = Referral.objects.get(reference=reference)
        assert referral.person.full_name == FULL_NAME
        assert referral.person.nhs_number == "9434765919"
        assert sorted(referral.benefits) == ["pip", "uc_lcw"]
        assert not referrer.problems, referrer.problems
