"""An adviser starts a better-off calculation, sees it in progress, then the result: the calculation
runs in a real background worker (its own process, the database queue), with JavaScript and without."""

from __future__ import annotations

import pytest
from django.test import override_settings

from joinedup.testkit.worker import DATABASE_QUEUE, worker_process

from .helpers import visitor

pytestmark = pytest.mark.browser


@pytest.mark.parametrize("javascript", [True, False], ids=["with-javascript", "without-javascript"])
def test_better_off_shows_progress_then_the_result(browser, live_server, partnership_live, screenshots, javascript):
    p = partnership_live
    case = p.enrol(p.assign(p.refer(given_name="Ama", family_name="Mensah")))
    with (
        override_settings(TASKS=DATABASE_QUEUE),
        visitor(browser, live_server, screenshots, javascript=javascript) as adviser,
    ):
        page = adviser.page
        adviser.sign_in("adviser_a")
        adviser.goto(f"/cases/{case.pk}/")
        page.get_by_role("link", name="Work out if Ama is better off in work").click()
        page.get_by_label("Rent a month").fill("450")
        page.get_by_label("Council tax band").select_option(label="Band B")
        adviser.submit("Calculate")
        adviser.assert_no_error_summary()

        # No worker yet: the page says the calculation is waiting, in a live region, and keeps itself up to date.
        progress = page.get_by_test_id("job-progress")
        assert progress.get_attribute("aria-live") == "polite" and progress.get_attribute("role") == "status"
        assert "The calculation is waiting to start" in progress.inner_text()
        head = page.locator("head").inner_html()
        assert 'http-equiv="refresh"' in head and "job-progress.js" in head
        adviser.shot(f"better-off-progress-waiting-{'js' if javascript else 'no-js'}")

        with worker_process(worker_id=f"browser-{javascript}"):
            # The worker picks it up; the page refreshes itself (a meta refresh without JavaScript, the
            # small script with it) until the result is there. A cold worker loads policyengine-uk first.
            table = page.get_by_test_id("better-off-table")
            table.wait_for(timeout=180_000)
        assert table.get_by_role("row").count() == 42  # a heading row and 0 to 40 hours
        twelve = table.get_by_role("row").filter(has=page.get_by_role("rowheader", name="12", exact=True)).inner_text()
        assert "152.52" in twelve  # 12 hours at £12.71
        assert page.get_by_test_id("job-progress").count() == 0
        adviser.shot(f"better-off-progress-done-{'js' if javascript else 'no-js'}")
        assert adviser.problems == []
