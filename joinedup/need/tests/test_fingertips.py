"""The Fingertips import: each quirk of the export format, and malformed files refused with a
line-by-line report and nothing half-loaded."""

from __future__ import annotations

from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from joinedup.need import loading, services
from joinedup.need.fingertips import period_years
from joinedup.need.models import Indicator, IndicatorValue

from .conftest import ENGLAND, MANSFIELD, fingertips_text, source

pytestmark = pytest.mark.django_db


def _import(text: str) -> list[str]:
    return services.fingertips_import(sources=[source("export.csv", text)])


def _refused(text: str) -> loading.FileRefused:
    with pytest.raises(loading.FileRefused) as caught:
        _import(text)
    return caught.value


def test_the_sample_export_loads_with_its_quirks(indicators):
    b08a = Indicator.objects.get(fingertips_id=90282)
    assert b08a.phof == "B08a"
    values = IndicatorValue.objects.filter(indicator=b08a, area_id=MANSFIELD)
    assert sorted(values.values_list("period", flat=True)) == ["2020/21", "2021/22", "2022/23"]  # once each
    assert not IndicatorValue.objects.filter(value=Decimal("99.9")).exists()  # no category row


def test_an_area_repeated_with_and_without_its_parent_is_kept_once_never_summed(open_data):
    row = {"Area Code": MANSFIELD, "Time period": "2021/22", "Value": "12.5"}
    summary = _import(fingertips_text({**row, "Parent Code": "E10000024"}, row))
    assert IndicatorValue.objects.get(area_id=MANSFIELD).value == Decimal("12.5")
    assert "1 repeated area rows kept once" in summary[0]


def test_a_repeated_area_with_different_figures_is_refused(open_data):
    row = {"Area Code": MANSFIELD, "Time period": "2021/22", "Value": "12.5"}
    refused = _refused(fingertips_text(row, {**row, "Value": "13.0"}))
    assert str(refused.problems[0]) == "Line 3: E07000174 2021/22 repeats line 2 with different figures"


def test_deprivation_decile_rows_are_left_out_of_the_headline_series(open_data):
    headline = {"Area Code": ENGLAND, "Time period": "2021/22", "Value": "10.0"}
    category = {"Category Type": "District & UA deprivation deciles in England", "Category": "Most deprived decile"}
    decile = {**headline, **category, "Value": "20.0"}
    summary = _import(fingertips_text(headline, decile))
    assert list(IndicatorValue.objects.values_list("value", flat=True)) == [Decimal("10.0")]
    assert "1 category rows" in summary[0]


def test_a_suppressed_value_is_blank_with_its_note_never_zero(open_data):
    note = "Value cannot be calculated as the number of cases is too small"
    _import(fingertips_text({"Area Code": MANSFIELD, "Time period": "2021/22", "Value": "", "Value note": note}))
    value = IndicatorValue.objects.get()
    assert value.value is None and value.note == note


def test_financial_years_and_pooled_periods(open_data):
    rows = [
        {"Area Code": MANSFIELD, "Time period": p, "Value": "1"} for p in ("2020/21", "2016/17 - 20/21", "2017 - 19")
    ]
    _import(fingertips_text(*rows))
    found = {v.period: (v.start_year, v.end_year, v.pooled) for v in IndicatorValue.objects.all()}
    assert found == {
        "2020/21": (2020, 2021, False),
        "2016/17 - 20/21": (2016, 2021, True),
        "2017 - 19": (2017, 2019, True),
    }


def test_the_page_shows_the_latest_single_year_not_an_overlapping_pooled_period(indicators):
    from joinedup.need.selectors import _latest

    values = list(IndicatorValue.objects.filter(indicator_id=90282))
    assert _latest(values, MANSFIELD) == "2022/23"
    pooled = list(IndicatorValue.objects.filter(indicator_id=22303))
    assert _latest(pooled, MANSFIELD) == "2019 - 21"  # only pooled periods: the latest of them


def test_a_byte_order_mark_and_the_newer_time_period_range_column_are_read(indicators):
    assert source("fingertips_phof_sample.csv").text.startswith("Indicator ID")  # the BOM is gone
    assert IndicatorValue.objects.filter(area_id=ENGLAND).count() == 6


def test_a_wrong_header_is_refused(open_data):
    text = fingertips_text({"Area Code": MANSFIELD, "Time period": "2021/22", "Value": "1"}).replace(
        "Value note", "Notes"
    )
    assert str(_refused(text).problems[0]) == "Line 1: the header has no column Value note"


def test_every_problem_is_reported_by_line_and_nothing_is_loaded(indicators):
    before = IndicatorValue.objects.count()
    text = fingertips_text(
        {"Area Code": MANSFIELD, "Time period": "2021/22", "Value": "12.5"},
        {"Area Code": MANSFIELD, "Time period": "2022/23", "Value": "twelve"},
        {"Area Code": "E07999999", "Area Name": "Nowhere", "Time period": "2022/23", "Value": "1"},
        {"Area Code": MANSFIELD, "Time period": "Q1 2022", "Value": "1"},
        {"Area Code": MANSFIELD, "Time period": "2019/20", "Value": "1", "Upper CI 95.0 limit": "n/a"},
    )
    report = _refused(text).report()
    assert report.splitlines() == [
        "export.csv was not loaded (nothing was changed):",
        "Line 3: Value 'twelve' is not a number",
        "Line 4: area code E07999999 (Nowhere) is not an area we know",
        "Line 5: time period 'Q1 2022' is not a year, a financial year (2020/21) or a range",
        "Line 6: Upper CI 95.0 limit 'n/a' is not a number",
    ]
    assert IndicatorValue.objects.count() == before


def test_a_newer_export_replaces_the_indicators_values(indicators):
    _import(fingertips_text({"Area Code": MANSFIELD, "Time period": "2023/24", "Value": "9.9"}))
    assert list(IndicatorValue.objects.filter(indicator_id=90282).values_list("period", flat=True)) == ["2023/24"]
    assert IndicatorValue.objects.filter(indicator_id=22303).exists()  # another indicator is untouched


def test_an_indicator_a_user_brings(open_data):
    row = {"Indicator ID": "93088", "Indicator Name": "Another", "Area Code": MANSFIELD, "Time period": "2022"}
    _import(fingertips_text({**row, "Value": "3"}))
    assert Indicator.objects.get(fingertips_id=93088).phof == ""


@given(st.integers(min_value=1990, max_value=2090))
def test_period_labels(start):
    assert period_years(str(start)) == (start, start, False)
    assert period_years(f"{start}/{(start + 1) % 100:02d}") == (start, start + 1, False)
    assert period_years(f"{start} - {(start + 2) % 100:02d}") == (start, start + 2, True)
    assert period_years(f"{start}/{(start + 2) % 100:02d}") is None  # not a financial year
