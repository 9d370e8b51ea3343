"""Questionnaire scoring: SWEMWBS against the published conversion table, PHQ-9 and GAD-7 at every band
boundary, ONS4 thresholds, and answers out of range or of the wrong count refused in plain English."""

from __future__ import annotations

from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from joinedup.cases.wellbeing import instruments
from joinedup.cases.wellbeing.instruments import score
from joinedup.core.errors import DomainError

# The published SWEMWBS raw-to-metric conversion table (Warwick Medical School guidance;
# Stewart-Brown et al. 2009), typed out separately from the module's copy so a slip in either shows.
PUBLISHED_SWEMWBS = {
    7: "7.00", 8: "9.51", 9: "11.25", 10: "12.40", 11: "13.33", 12: "14.08", 13: "14.75", 14: "15.32",
    15: "15.84", 16: "16.36", 17: "16.88", 18: "17.43", 19: "17.98", 20: "18.59", 21: "19.25", 22: "19.98",
    23: "20.73", 24: "21.54", 25: "22.35", 26: "23.21", 27: "24.11", 28: "25.03", 29: "26.02", 30: "27.03",
    31: "28.13", 32: "29.31", 33: "30.70", 34: "32.55", 35: "35.00",
}  # fmt: skip


def answers_totalling(total: int, items: int, low: int, high: int) -> list[int]:
    """Item answers in range that add up to `total` (filled from the first item)."""
    answers = [low] * items
    rest = total - low * items
    for i in range(items):
        step = min(rest, high - low)
        answers[i] += step
        rest -= step
    assert rest == 0 and sum(answers) == total
    return answers


@pytest.mark.parametrize(("raw", "metric"), sorted(PUBLISHED_SWEMWBS.items()))
def test_swemwbs_every_raw_score_converts_to_the_published_metric_score(raw, metric):
    result = score("swemwbs", answers_totalling(raw, 7, 1, 5))
    assert result.total == raw
    assert result.converted == Decimal(metric)
    assert str(result.converted) == metric  # two decimal places, as published


def test_swemwbs_conversion_depends_only_on_the_total():
    assert score("swemwbs", [5, 1, 1, 1, 1, 1, 1]).converted == score("swemwbs", [1, 1, 1, 1, 1, 1, 5]).converted


@given(st.lists(st.integers(1, 5), min_size=7, max_size=7))
def test_swemwbs_metric_rises_with_the_raw_score(answers):
    result = score("swemwbs", answers)
    assert Decimal(7) <= result.converted <= Decimal(35)
    if result.total < 35:
        bigger = [*answers]
        bigger[bigger.index(min(bigger))] += 1
        assert score("swemwbs", bigger).converted > result.converted


PHQ9_BANDS = [
    (0, "None to minimal"), (4, "None to minimal"), (5, "Mild"), (9, "Mild"), (10, "Moderate"), (14, "Moderate"),
    (15, "Moderately severe"), (19, "Moderately severe"), (20, "Severe"), (27, "Severe"),
]  # fmt: skip
GAD7_BANDS = [
    (0, "Minimal"), (4, "Minimal"), (5, "Mild"), (9, "Mild"), (10, "Moderate"), (14, "Moderate"),
    (15, "Severe"), (21, "Severe"),
]  # fmt: skip


@pytest.mark.parametrize(("total", "band"), PHQ9_BANDS)
def test_phq9_bands_at_every_boundary(total, band):
    result = score("phq9", answers_totalling(total, 9, 0, 3))
    assert (result.total, result.band, result.converted) == (total, band, None)


@pytest.mark.parametrize(("total", "band"), GAD7_BANDS)
def test_gad7_bands_at_every_boundary(total, band):
    result = score("gad7", answers_totalling(total, 7, 0, 3))
    assert (result.total, result.band, result.converted) == (total, band, None)


@pytest.mark.parametrize(
    ("answers", "bands"),
    [
        ([0, 4, 5, 0], ("Low", "Low", "Medium", "Very low")),
        ([6, 7, 8, 1], ("Medium", "High", "High", "Very low")),
        ([9, 10, 4, 2], ("Very high", "Very high", "Low", "Low")),
        ([10, 0, 0, 3], ("Very high", "Low", "Low", "Low")),
        ([5, 5, 5, 4], ("Medium", "Medium", "Medium", "Medium")),
        ([5, 5, 5, 5], ("Medium", "Medium", "Medium", "Medium")),
        ([5, 5, 5, 6], ("Medium", "Medium", "Medium", "High")),
        ([5, 5, 5, 10], ("Medium", "Medium", "Medium", "High")),
    ],
)
def test_ons4_each_question_reported_with_the_ons_thresholds(answers, bands):
    result = score("ons4", answers)
    assert result.total is None and result.converted is None
    assert result.item_bands == bands
    assert result.band.startswith(f"Life satisfaction: {bands[0].lower()};")


@pytest.mark.parametrize(
    ("code", "answers", "message", "field"),
    [
        ("swemwbs", [1, 2, 3, 4, 5, 6, 1], "question 6 must be a whole number from 1 to 5", "item_6"),
        ("swemwbs", [0, 2, 3, 4, 5, 5, 1], "question 1 must be a whole number from 1 to 5", "item_1"),
        ("swemwbs", [1, 2, 3], "has 7 questions; answer all 7 (3 were given)", "answers"),
        ("swemwbs", [1] * 8, "has 7 questions", "answers"),
        ("swemwbs", [], "has 7 questions", "answers"),
        ("ons4", [0, 11, 3, 3], "question 2 must be a whole number from 0 to 10", "item_2"),
        ("ons4", [0, -1, 3, 3], "question 2 must be a whole number from 0 to 10", "item_2"),
        ("ons4", [5], "(1 was given)", "answers"),
        ("phq9", [0, 0, 0, 0, 0, 0, 0, 0, 4], "question 9 must be a whole number from 0 to 3", "item_9"),
        ("phq9", [0] * 7, "has 9 questions", "answers"),
        ("gad7", [3, 3, 3, 3, 3, 3, 3.5], "question 7 must be a whole number", "item_7"),
        ("gad7", [3, 3, "3", 3, 3, 3, 3], "question 3 must be a whole number", "item_3"),
        ("gad7", [True, 0, 0, 0, 0, 0, 0], "question 1 must be a whole number", "item_1"),
        ("gad7", [None, 0, 0, 0, 0, 0, 0], "question 1 must be a whole number", "item_1"),
        ("wemwbs", [1] * 14, "Choose a questionnaire from the list.", "instrument"),
    ],
)
def test_bad_answers_are_refused_plainly(code, answers, message, field):
    with pytest.raises(DomainError) as exc:
        score(code, answers)
    assert message in exc.value.message
    assert exc.value.field == field


@given(st.sampled_from(sorted(instruments.REGISTRY)), st.data())
def test_any_in_range_answers_score_and_out_of_range_ones_do_not(code, data):
    inst = instruments.REGISTRY[code]
    answers = data.draw(
        st.lists(st.integers(inst.minimum, inst.maximum), min_size=len(inst.items), max_size=len(inst.items))
    )
    result = score(code, answers)
    if inst.has_total:
        assert result.total == sum(answers)
    bad = data.draw(st.one_of(st.integers(max_value=inst.minimum - 1), st.integers(min_value=inst.maximum + 1)))
    position = data.draw(st.integers(0, len(answers) - 1))
    answers[position] = bad
    with pytest.raises(DomainError, match=f"question {position + 1} must be"):
        score(code, answers)
