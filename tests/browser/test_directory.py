"""A resident searches the public directory, with JavaScript off, and reads why services fit."""

from __future__ import annotations

from pathlib import Path

import pytest
from django.apps import apps

from joinedup.directory.seed import load_seed

from .helpers import visitor

pytestmark = pytest.mark.browser
ARTIFACTS = Path(__file__).resolve().parents[2] / "var" / "test-artifacts"


def _open_the_questions(page) -> None:
    """Open the folded questions about the person (a <details>: no JavaScript needed)."""
    folded = page.locator('details[data-testid="about-you"]').first
    if folded.get_attribute("open") is None:
        folded.locator("summary").click()


def test_resident_searches_the_directory(browser, live_server, transactional_db, screenshots):
    load_seed(lambda name: apps.get_model("directory", name))  # a flushed database has lost the migration's seed
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    with visitor(browser, live_server, ARTIFACTS, javascript=False) as resident:
        page = resident.page
        resident.goto("/")
        page.get_by_role("link", name="Find support (public directory)").click()
        page.wait_for_load_state()
        # "I'm 30, I get Universal Credit, I have anxiety, I live in Mansfield"
        _open_the_questions(page)  # folded on every screen: results come first (issue 18)
        page.get_by_label("Age (optional)").fill("30")
        page.get_by_label("Or your postcode (optional)").fill("NG1")  # a typo first: a district elsewhere
        page.get_by_label("Where do you live?").select_option(label="Mansfield")
        resident.submit("Search")
        assert "NG1 is in Nottingham City, not Mansfield" in page.locator(".govuk-error-summary").inner_text()
        page.get_by_label("Or your postcode (optional)").fill("NG18 1AB")
        _open_the_questions(page)
        page.get_by_label("Universal Credit with limited capability for work (LCW)").check()
        page.get_by_label("Mental health (for example anxiety or depression)").check()
        resident.submit("Search")
        results = page.locator("#results")
        assert "found" in results.inner_text()
        assert page.get_by_role("link", name="INSPIRE Local – Links to Work").is_visible()
        assert page.get_by_text("For people aged 25 or over; you are 30.").first.is_visible()
        assert page.get_by_text("Postcode district NG18 is in Mansfield.").is_visible()
        assert page.get_by_text("Covers Nottinghamshire, which includes Mansfield.").first.is_visible()
        assert page.get_by_role("link", name="Talent Match").count() == 0  # 18 to 24 only
        resident.shot("directory-search-results")
        page.get_by_role("link", name="INSPIRE Local – Links to Work").click()
        page.wait_for_load_state()
        assert page.get_by_role("heading", name="How to get referred").is_visible()
        assert not resident.problems, resident.problems
    assert (ARTIFACTS / "directory-search-results.png").stat().st_size > 10_000
