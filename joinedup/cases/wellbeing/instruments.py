"""Wellbeing and health questionnaires: their items, answer ranges, scoring and bands, in one place.

`score(code, answers)` checks every answer and returns the total, the converted score where the
instrument has one, and the band. Answers are whole numbers in the order the items are listed here.

Sources
- SWEMWBS (Short Warwick-Edinburgh Mental Wellbeing Scale): 7 items scored 1-5, raw total 7-35,
  converted to the metric score with the published raw-to-metric conversion table (Rasch model;
  Stewart-Brown et al. 2009, Health and Quality of Life Outcomes 7:15), as given in the Warwick
  Medical School "Collect, score, analyse and interpret WEMWBS" guidance and the SWEMWBS user guide
  (warwick.ac.uk/fac/sci/med/research/platform/wemwbs/using/howto). The table below was cross-checked
  against two independent published analysis scripts that use the same table. SWEMWBS is
  © University of Warwick and NHS Health Scotland; using it needs a (free) licence from Warwick.
- ONS4 (ONS personal well-being): 4 items scored 0-10, each reported on its own (there is no total),
  with the ONS thresholds: life satisfaction, worthwhile and happiness 0-4 low, 5-6 medium,
  7-8 high, 9-10 very high; anxiety (lower is better) 0-1 very low, 2-3 low, 4-5 medium, 6-10 high.
  (ONS, "Personal well-being in the UK QMI" and "Surveys using our four personal well-being questions".)
- PHQ-9 (Kroenke, Spitzer and Williams 2001): 9 items scored 0-3, total 0-27; none to minimal 0-4,
  mild 5-9, moderate 10-14, moderately severe 15-19, severe 20-27.
- GAD-7 (Spitzer et al. 2006): 7 items scored 0-3, total 0-21; minimal 0-4, mild 5-9, moderate 10-14,
  severe 15-21.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal

from joinedup.core.errors import DomainError

SWEMWBS = "swemwbs"
ONS4 = "ons4"
PHQ9 = "phq9"
GAD7 = "gad7"

# Raw total -> metric score, the published SWEMWBS conversion table (see the module docstring).
SWEMWBS_METRIC: dict[int, Decimal] = {
    raw: Decimal(metric)
    for raw, metric in zip(
        range(7, 36),
        (
            "7.00",
            "9.51",
            "11.25",
            "12.40",
            "13.33",
            "14.08",
            "14.75",
            "15.32",
            "15.84",
            "16.36",
            "16.88",
            "17.43",
            "17.98",
            "18.59",
            "19.25",
            "19.98",
            "20.73",
            "21.54",
            "22.35",
            "23.21",
            "24.11",
            "25.03",
            "26.02",
            "27.03",
            "28.13",
            "29.31",
            "30.70",
            "32.55",
            "35.00",
        ),  # fmt: skip
        strict=True,
    )
}

FREQUENCY_1_5 = ("None of the time", "Rarely", "Some of the time", "Often", "All of the time")
FREQUENCY_0_3 = ("Not at all", "Several days", "More than half the days", "Nearly every day")


@dataclass(frozen=True)
class Band:
    low: int
    high: int
    label: str


@dataclass(frozen=True)
class Instrument:
    code: str
    name: str
    question: str  # the stem the items complete
    items: tuple[str, ...]
    minimum: int
    maximum: int
    answer_labels: tuple[str, ...] = ()  # one per value from minimum to maximum, where the scale names them
    bands: tuple[Band, ...] = ()  # bands of the total
    item_bands: tuple[tuple[Band, ...], ...] = ()  # bands of each item, where items are reported alone
    higher_is_better: bool = True
    has_total: bool = True
    item_names: tuple[str, ...] = ()  # short names, where items are reported alone

    @property
    def total_range(self) -> tuple[int, int]:
        return self.minimum * len(self.items), self.maximum * len(self.items)


ONS_POSITIVE = (Band(0, 4, "Low"), Band(5, 6, "Medium"), Band(7, 8, "High"), Band(9, 10, "Very high"))
ONS_ANXIETY = (Band(0, 1, "Very low"), Band(2, 3, "Low"), Band(4, 5, "Medium"), Band(6, 10, "High"))

REGISTRY: dict[str, Instrument] = {
    i.code: i
    for i in [
        Instrument(
            SWEMWBS,
            "Short Warwick-Edinburgh Mental Wellbeing Scale (SWEMWBS)",
            "Over the last 2 weeks, how often have you been…",
            (
                "Feeling optimistic about the future",
                "Feeling useful",
                "Feeling relaxed",
                "Dealing with problems well",
                "Thinking clearly",
                "Feeling close to other people",
                "Able to make up my own mind about things",
            ),
            1,
            5,
            answer_labels=FREQUENCY_1_5,
        ),
        Instrument(
            ONS4,
            "ONS personal well-being (ONS4)",
            "On a scale of 0 to 10, where 0 is 'not at all' and 10 is 'completely'…",
            (
                "Overall, how satisfied are you with your life nowadays?",
                "Overall, to what extent do you feel that the things you do in your life are worthwhile?",
                "Overall, how happy did you feel yesterday?",
                "On a scale where 0 is 'not at all anxious' and 10 is 'completely anxious', "
                "overall, how anxious did you feel yesterday?",
            ),
            0,
            10,
            item_bands=(ONS_POSITIVE, ONS_POSITIVE, ONS_POSITIVE, ONS_ANXIETY),
            has_total=False,
            item_names=("Life satisfaction", "Worthwhile", "Happiness", "Anxiety"),
        ),
        Instrument(
            PHQ9,
            "Patient Health Questionnaire (PHQ-9)",
            "Over the last 2 weeks, how often have you been bothered by…",
            (
                "Little interest or pleasure in doing things",
                "Feeling down, depressed, or hopeless",
                "Trouble falling or staying asleep, or sleeping too much",
                "Feeling tired or having little energy",
                "Poor appetite or overeating",
                "Feeling bad about yourself, or that you are a failure or have let yourself or your family down",
                "Trouble concentrating on things, such as reading the newspaper or watching television",
                "Moving or speaking so slowly that other people could have noticed, or the opposite: "
                "being so fidgety or restless that you have been moving around a lot more than usual",
                "Thoughts that you would be better off dead, or of hurting yourself",
            ),
            0,
            3,
            answer_labels=FREQUENCY_0_3,
            bands=(
                Band(0, 4, "None to minimal"),
                Band(5, 9, "Mild"),
                Band(10, 14, "Moderate"),
                Band(15, 19, "Moderately severe"),
                Band(20, 27, "Severe"),
            ),
            higher_is_better=False,
        ),
        Instrument(
            GAD7,
            "Generalised Anxiety Disorder scale (GAD-7)",
            "Over the last 2 weeks, how often have you been bothered by…",
            (
                "Feeling nervous, anxious or on edge",
                "Not being able to stop or control worrying",
                "Worrying too much about different things",
                "Trouble relaxing",
                "Being so restless that it is hard to sit still",
                "Becoming easily annoyed or irritable",
                "Feeling afraid as if something awful might happen",
            ),
            0,
            3,
            answer_labels=FREQUENCY_0_3,
            bands=(Band(0, 4, "Minimal"), Band(5, 9, "Mild"), Band(10, 14, "Moderate"), Band(15, 21, "Severe")),
            higher_is_better=False,
        ),
    ]
}
CHOICES = [(i.code, i.name) for i in REGISTRY.values()]


@dataclass(frozen=True)
class Score:
    code: str
    answers: tuple[int, ...]
    total: int | None  # None where the items are reported alone (ONS4)
    converted: Decimal | None  # the SWEMWBS metric score; None for the others
    band: str  # the band of the total; for ONS4 each item's band, joined
    item_bands: tuple[str, ...] = ()


def band_of(bands: Sequence[Band], value: int) -> str:
    for band in bands:
        if band.low <= value <= band.high:
            return band.label
    raise ValueError(f"{value} is in no band")  # the registry check below makes this unreachable


def instrument(code: str) -> Instrument:
    try:
        return REGISTRY[code]
    except KeyError:
        raise DomainError("Choose a questionnaire from the list.", field="instrument") from None


def score(code: str, answers: Sequence[int]) -> Score:
    """Check every answer and score the questionnaire. Raises DomainError in plain English."""
    inst = instrument(code)
    answers = list(answers)
    if len(answers) != len(inst.items):
        raise DomainError(
            f"{inst.name} has {len(inst.items)} questions; answer all {len(inst.items)} "
            f"({len(answers)} {'was' if len(answers) == 1 else 'were'} given).",
            field="answers",
        )
    for number, value in enumerate(answers, start=1):
        if isinstance(value, bool) or not isinstance(value, int) or not inst.minimum <= value <= inst.maximum:
            raise DomainError(
                f"The answer to question {number} must be a whole number from {inst.minimum} to {inst.maximum}.",
                field=f"item_{number}",
            )
    if not inst.has_total:
        item_bands = tuple(band_of(bands, v) for bands, v in zip(inst.item_bands, answers, strict=True))
        summary = "; ".join(f"{name}: {band.lower()}" for name, band in zip(inst.item_names, item_bands, strict=True))
        return Score(inst.code, tuple(answers), None, None, summary, item_bands)
    total = sum(answers)
    converted = SWEMWBS_METRIC[total] if inst.code == SWEMWBS else None
    band = band_of(inst.bands, total) if inst.bands else ""
    return Score(inst.code, tuple(answers), total, converted, band)


def _check_registry() -> None:
    """Every band table covers its range with no gap or overlap (run at import, so a bad edit fails fast)."""
    for inst in REGISTRY.values():
        if inst.answer_labels:
            assert len(inst.answer_labels) == inst.maximum - inst.minimum + 1, inst.code
        tables = [(inst.bands, inst.total_range)] if inst.bands else []
        tables += [(b, (inst.minimum, inst.maximum)) for b in inst.item_bands]
        for bands, (low, high) in tables:
            expected = low
            for band in bands:
                assert band.low == expected, (inst.code, band)
                expected = band.high + 1
            assert expected == high + 1, inst.code
    assert set(SWEMWBS_METRIC) == set(range(*REGISTRY[SWEMWBS].total_range)) | {35}


_check_registry()
