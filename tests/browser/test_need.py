"""An analyst opens the need page for Mansfield, compares it with its peers and England, opens the
business case, edits a narrative section and downloads the PDF, whose text is checked (issue 16)."""

from __future__ import annotations

import io
import re

import pytest
from pypdf import PdfReader

from joinedup.need import services
from joinedup.need.tests.conftest import small_files, source

from .helpers import visitor

pytestmark = pytest.mark.browser


@pytest.fixture(autouse=True)
def _fresh_counts():
    from django.core.cache import cache

    from joinedup.need.outcomes import CACHE_KEY

    cache.delete(CACHE_KEY)


def test_analyst_compares_mansfield_and_makes_the_business_case(browser, live_server, screenshots, partnership_live):
    services.open_data_load(files=small_files())
    services.fingertips_import(sources=[source("fingertips_phof_sample.csv")])
    with visitor(browser, live_server, screenshots) as analyst:
        page = analyst.page
        analyst.sign_in("analyst")
        analyst.menu("Population need")
        page.get_by_role("link", name="Mansfield", exact=True).click()
        page.wait_for_load_state()
        assert page.get_by_role("heading", name="Mansfield", level=1).is_visible()
        comparators = page.get_by_test_id("comparators")
        assert "England" in comparators.inner_text() and "East Midlands" in comparators.inner_text()
        assert "223.1" in comparators.inner_text()  # Mansfield's claimant rate per 1,000 (the fixture's 2025)
        peers = page.get_by_test_id("peer-group").inner_text()
        assert "nearest in deprivation" in peers
        analyst.shot("need-01-mansfield")

        page.get_by_text("Choose the peer group").click()
        page.get_by_label("Peers (choose up to 10").select_option(["E07000170", "E07000171"])  # Ashfield, Bassetlaw
        page.get_by_role("button", name="Compare with these peers").click()
        page.wait_for_load_state()
        rows = comparators.inner_text()
        assert "Ashfield" in rows and "Bassetlaw" in rows and "England" in rows
        assert "Peers you chose" in page.get_by_test_id("peer-group").inner_text()
        block = page.get_by_test_id("indicator_90282").inner_text()
        assert "Mansfield" in block and "England" in block and "Ashfield" in block
        analyst.shot("need-02-peers")

        page.get_by_role("link", name="Open the business case for Mansfield").click()
        page.wait_for_load_state()
        # Chromium names the link "Edit this section : The need" (the hidden part is positioned apart).
        page.get_by_role("link", name=re.compile(r"^Edit this section\s*: The need$")).click()
        page.wait_for_load_state()
        page.get_by_label("Text of the section").fill("Mansfield's claimant rate is well above England's.")
        analyst.submit("Save this section")
        analyst.assert_no_error_summary()
        assert (
            "Mansfield's claimant rate is well above England's." in page.get_by_test_id("narrative-need").inner_text()
        )
        page.get_by_label("People to support").fill("250")
        page.get_by_role("button", name="Work out the case").click()
        page.wait_for_load_state()
        assert "Supporting 250 people" in page.get_by_test_id("investment").inner_text()
        analyst.shot("need-03-business-case")

        with page.expect_download() as download:
            page.get_by_role("link", name="Download the business case (PDF)").click()
        with open(download.value.path(), "rb") as handle:
            pdf = PdfReader(io.BytesIO(handle.read()))
        text = " ".join(p.extract_text() for p in pdf.pages)
        assert "Mansfield's claimant rate is well above England's." in text
        assert "Supporting 250 people" in text and "Costs and savings, and who gains" in text
        assert not analyst.problems, analyst.problems


def test_analyst_loads_a_fingertips_file_and_a_refused_one_is_reported_line_by_line(
    browser, live_server, screenshots, partnership_live, tmp_path
):
    from joinedup.need.models import IndicatorValue
    from joinedup.need.tests.conftest import FIXTURES, MANSFIELD, fingertips_text

    services.open_data_load(files=small_files())
    bad = tmp_path / "bad.csv"
    bad.write_text(fingertips_text({"Area Code": MANSFIELD, "Time period": "2020/21", "Value": "n/a"}))
    with visitor(browser, live_server, screenshots) as analyst:
        page = analyst.page
        analyst.sign_in("analyst")
        analyst.menu("Population need")
        page.get_by_role("link", name="Load a Fingertips file").click()
        page.wait_for_load_state()
        page.get_by_label("Fingertips CSV file").set_input_files(str(bad))
        analyst.submit("Load the file")
        summary = page.locator(".govuk-error-summary").inner_text()
        assert "bad.csv was not loaded, and nothing was changed" in summary
        assert "Line 2: Value 'n/a' is not a number" in summary
        assert not IndicatorValue.objects.exists()
        analyst.shot("need-04-fingertips-refused")
        page.get_by_label("Fingertips CSV file").set_input_files(str(FIXTURES / "fingertips_phof_sample.csv"))
        analyst.submit("Load the file")
        analyst.assert_no_error_summary()
        assert "fingertips_phof_sample.csv loaded" in page.content()
        assert IndicatorValue.objects.exists()
        assert not analyst.problems, analyst.problems
