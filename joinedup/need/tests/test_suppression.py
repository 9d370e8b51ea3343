"""Small-number suppression: a count below the threshold never appears, and cannot be derived from
a total and the other cells."""

from __future__ import annotations

from collections.abc import Hashable

import pytest
from hypothesis import given
from hypothesis import strategies as st

from joinedup.need.suppression import HIDDEN, suppress


def test_a_small_count_is_hidden_and_so_is_a_second_one():
    cells = suppress({"a": 3, "b": 40, "c": 25, "d": 0}, {"total": ["a", "b", "c", "d"]})
    assert str(cells["a"]) == HIDDEN
    assert str(cells["c"]) == HIDDEN  # the next smallest: else total - b - d gives a away
    assert str(cells["b"]) == "40" and str(cells["d"]) == "0" and str(cells["total"]) == "68"


def test_two_small_counts_that_add_up_to_less_than_the_threshold_bring_a_third():
    cells = suppress({"a": 2, "b": 3, "c": 50, "d": 12}, {"total": ["a", "b", "c", "d"]})
    assert [k for k in "abcd" if cells[k].hidden] == ["a", "b", "d"]


def test_a_total_below_the_threshold_is_hidden_with_its_parts():
    cells = suppress({"a": 2, "b": 3}, {"total": ["a", "b"]})
    assert all(c.hidden for c in cells.values())


def test_a_lone_small_count_with_nothing_else_to_hide_hides_the_total():
    cells = suppress({"a": 4, "b": 0}, {"total": ["a", "b"]})
    assert cells["a"].hidden and cells["total"].hidden


@pytest.mark.parametrize("threshold", [5, 10])
def test_the_threshold_is_configurable(settings, threshold):
    settings.NEED_SUPPRESS_BELOW = threshold
    assert suppress({"a": 7}, {})["a"].hidden is (threshold == 10)


@given(st.lists(st.integers(min_value=0, max_value=60), min_size=1, max_size=12))
def test_no_small_count_is_shown_or_derivable(counts):
    keyed: dict[Hashable, int] = {f"r{i}": n for i, n in enumerate(counts)}
    cells = suppress(keyed, {"total": list(keyed)})
    for key, n in keyed.items():
        assert not (0 < n < 10) or cells[key].hidden  # primary
    if not cells["total"].hidden:
        hidden_sum = sum(n for k, n in keyed.items() if cells[k].hidden)
        assert hidden_sum == 0 or hidden_sum >= 10  # total minus the shown cells gives nothing small
    else:
        assert all(cells[k].hidden or n == 0 or n >= 10 for k, n in keyed.items())
