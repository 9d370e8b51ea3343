"""A signed-in person at a browser: one Playwright context (own cookies) per user."""

from __future__ import annotations

import re
from contextlib import contextmanager
from datetime import date
from pathlib import Path

from joinedup.testkit import PASSWORD, totp_code, verified_device


class Visitor:
    def __init__(self, context, base_url: str, screenshots: Path) -> None:
        self.context = context
        self.base_url = base_url
        self.screenshots = screenshots
        self.page = context.new_page()
        self.page.set_default_timeout(10_000)
        self.problems: list[str] = []
        self.page.on("pageerror", lambda exc: self.problems.append(f"JavaScript error: {exc}"))
        self.page.on("console", self._console)
        self.page.on(
            "response",
            lambda r: (
                self.problems.append(f"{r.status} for {r.url}")
                if r.status >= 400 and r.request.resource_type != "document"
                else None
            ),
        )

    def _console(self, msg) -> None:
        # Failed loads are reported with their address by the response listener; the browser's own
        # /favicon.ico request (the site has no favicon) is not the page's doing.
        if msg.type == "error" and not msg.text.startswith("Failed to load resource"):
            self.problems.append(f"console error: {msg.text}")

    def goto(self, path: str):
        response = self.page.goto(self.base_url + path)
        assert response is not None and response.ok, f"{path} answered {response and response.status}"
        return response

    def sign_in(self, username: str) -> None:
        """Password, then (for a role that needs it) a code from the user's authenticator app."""
        from django.contrib.auth import get_user_model

        device = verified_device(get_user_model().objects.get(username=username))
        self.goto("/sign-in/")
        self.page.get_by_label("Username").fill(username)
        self.page.get_by_label("Password").fill(PASSWORD)
        self.page.get_by_role("button", name="Sign in").click()
        self.page.wait_for_load_state()
        if "/account/two-factor/" in self.page.url:  # the second step
            self.page.get_by_label("Code").fill(totp_code(device))
            self.page.get_by_role("button", name="Continue", exact=True).click()
            self.page.wait_for_load_state()
        assert self.page.get_by_text("Signed in as").is_visible(), f"{username} could not sign in"

    def menu(self, name: str) -> None:
        self.page.get_by_role("navigation", name="Menu").get_by_role("link", name=name, exact=True).click()
        self.page.wait_for_load_state()

    def assert_unique_ids(self) -> None:
        """Labels, hints and error links find their element by id: each id must be used once."""
        ids = re.findall(r"""<[^>]*\sid=["']([^"']+)["']""", self.page.content())
        repeated = sorted({i for i in ids if ids.count(i) > 1})
        assert not repeated, f"ids used more than once on {self.page.url}: {repeated}"

    def shot(self, name: str) -> None:
        self.assert_unique_ids()
        self.page.screenshot(path=str(self.screenshots / f"{name}.png"), full_page=True)

    def fill_date(self, field: str, value: date) -> None:
        self.page.locator(f"#id_{field}_0").fill(str(value.day))
        self.page.locator(f"#id_{field}_1").fill(str(value.month))
        self.page.locator(f"#id_{field}_2").fill(str(value.year))

    def submit(self, label: str) -> None:
        self.page.get_by_role("button", name=label, exact=True).click()
        self.page.wait_for_load_state()

    def assert_no_error_summary(self) -> None:
        summary = self.page.locator(".govuk-error-summary")
        assert summary.count() == 0, f"Unexpected errors on {self.page.url}: {summary.inner_text()}"


@contextmanager
def visitor(browser, live_server, screenshots: Path, *, javascript: bool = True):
    context = browser.new_context(java_script_enabled=javascript, viewport={"width": 1280, "height": 900})
    try:
        yield Visitor(context, live_server.url, screenshots)
    finally:
        context.close()
