"""A programme manager finds a duplicate on the triage page, merges it and reverses the merge (no JavaScript)."""

from __future__ import annotations

from datetime import date

import pytest

from joinedup.people.models import Person
from joinedup.referrals.models import Referral

from .helpers import visitor

pytestmark = pytest.mark.browser


def test_merge_and_reverse_a_duplicate(browser, live_server, partnership_live, screenshots):
    known = {"given_name": "Margaret", "family_name": "Oyelaran", "date_of_birth": date(1966, 11, 2)}
    first = partnership_live.refer(**known, postcode="NG5 1AA")
    second = partnership_live.refer(
        by=partnership_live.other_referrer, **{**known, "given_name": "Peggy"}, postcode="NG7 2RD", nhs_number=""
    )
    with visitor(browser, live_server, screenshots, javascript=False) as manager:
        page = manager.page
        manager.sign_in("programme")
        manager.goto(f"/referrals/triage/{second.pk}/")
        section = page.locator("#duplicates")
        assert section.get_by_role("heading", name="Is this person already known?").is_visible()
        assert "Margaret Oyelaran" in section.inner_text() and "Likely" in section.inner_text()
        manager.shot("duplicates-triage")
        section.get_by_role("link", name="Compare with Margaret Oyelaran and merge").click()
        page.wait_for_load_state()
        assert page.get_by_role("heading", name="Is this the same person?").is_visible()

        manager.submit("Merge the records")  # not confirmed
        assert page.title().startswith("Error: ")
        summary = page.locator(".govuk-error-summary")
        assert "Confirm that you have checked these records are the same person" in summary.inner_text()
        page.get_by_label("I have checked that these records are the same person").check()
        page.get_by_label("How do you know? (optional)").fill("The GP confirmed the date of birth")
        manager.submit("Merge the records")
        manager.assert_no_error_summary()
        assert page.get_by_text("Records merged", exact=True).is_visible()
        assert Referral.objects.get(pk=second.pk).person_id == first.person_id
        manager.shot("duplicates-merged")

        page.get_by_label("Why are you reversing the merge?").fill("They are sisters")
        manager.submit("Reverse the merge")
        assert page.get_by_text("Merge reversed", exact=True).is_visible()
        assert Referral.objects.get(pk=second.pk).person_id == second.person_id
        assert Person.objects.get(pk=second.person_id).archived_at is None
        assert manager.problems == []
