"""Two-factor sign-in in a real browser (issue 17): a personal adviser with no authenticator app
signs in, is asked to set one up, types the key the page shows into "their app" (here, the test
computes the code from that key as an app would), sees their recovery codes once, reaches their
caseload; then signs out and signs in again with a fresh code, and is locked out of nothing else."""

from __future__ import annotations

import time
from base64 import b32decode

import pytest
from django_otp.oath import TOTP

from joinedup.testkit import PASSWORD

from .helpers import visitor

pytestmark = pytest.mark.browser


def app_code(key: str, *, step_ahead: int = 0) -> str:
    """What an authenticator app holding `key` (base32, as the page shows it) displays."""
    secret = key.replace(" ", "")
    totp = TOTP(b32decode(secret + "=" * (-len(secret) % 8)))
    totp.time = time.time() + 30 * step_ahead
    return f"{totp.token():06d}"


def test_an_adviser_sets_up_two_factor_and_signs_in_with_it(browser, live_server, screenshots, partnership_live):
    with visitor(browser, live_server, screenshots, javascript=False) as adviser:
        page = adviser.page
        adviser.goto("/sign-in/")
        page.get_by_label("Username").fill("adviser_a")
        page.get_by_label("Password").fill(PASSWORD)
        page.get_by_role("button", name="Sign in").click()
        page.wait_for_load_state()
        assert "/account/two-factor/set-up/" in page.url
        assert page.get_by_role("heading", name="Set up two-factor sign-in").is_visible()
        assert page.locator("[data-testid=qr-code] svg").count() == 1  # drawn by the server
        adviser.shot("two-factor-set-up")

        page.get_by_text("I cannot scan the QR code").click()
        key = page.get_by_test_id("totp-key").inner_text()
        page.get_by_label("Code").fill("000000")
        adviser.submit("Set up two-factor sign-in")
        assert page.locator(".govuk-error-summary").is_visible()  # a wrong code says so
        time.sleep(2.1)  # wrong codes slow the next try down (django-otp's throttle)
        page.get_by_label("Code").fill(app_code(key))
        adviser.submit("Set up two-factor sign-in")
        codes = page.get_by_test_id("recovery-codes").locator("li")
        assert codes.count() == 10
        adviser.shot("two-factor-recovery-codes")
        page.get_by_role("link", name="Continue").click()
        page.wait_for_load_state()
        assert page.get_by_text("Signed in as").is_visible()

        page.get_by_role("button", name="Sign out").click()
        page.wait_for_load_state()
        adviser.goto("/cases/")  # signed out: to the sign-in page, then the second step
        page.get_by_label("Username").fill("adviser_a")
        page.get_by_label("Password").fill(PASSWORD)
        page.get_by_role("button", name="Sign in").click()
        page.wait_for_load_state()
        assert "/account/two-factor/" in page.url and "set-up" not in page.url
        adviser.shot("two-factor-code")
        page.get_by_label("Code").fill(app_code(key, step_ahead=1))  # the one used above cannot be used again
        adviser.submit("Continue")
        assert "/cases/" in page.url
        assert page.get_by_text("Signed in as").is_visible()
    assert not adviser.problems, adviser.problems
