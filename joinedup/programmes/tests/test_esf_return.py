"""ESF counting from the published definitions: for each indicator, participants who count, who
do not, and the edges (long-term unemployed in CO01 and CO02; age at start; "prefer not to say")."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from django.utils import timezone

from joinedup.programmes import indicators, selectors
from joinedup.programmes.models import Participation
from joinedup.programmes.tally import tallies_rebuild

from .conftest import enrol_back

pytestmark = pytest.mark.django_db

RECORDED = {
    "esf_recorded_on": date(2026, 1, 1),
    "gender": "female",
    "age_at_start": 40,
    "labour_market_status": "unemployed",
    "isced": "isced3",
    "jobless_household": "no",
    "dependent_children": "no",
    "single_adult_dependent_children": "no",
    "basic_skills_need": "no",
    "homeless": "no",
    "rural": "no",
    "disability": "no",
    "ethnic_minority_migrant": "no",
    "other_disadvantage": "no",
}
LEFT = {"left_on": "LEFT"}
FOLLOWED = {"left_on": "LEFT", "follow_up_on": "FOLLOWED"}

# (indicator, the participant's values, whether they count)
CASES = [
    ("CO01", {"labour_market_status": "unemployed"}, True),
    ("CO01", {"labour_market_status": "long_term_unemployed"}, True),  # LTU counts in CO01 too
    ("CO01", {"labour_market_status": "inactive"}, False),
    ("CO02", {"labour_market_status": "long_term_unemployed"}, True),
    ("CO02", {"labour_market_status": "unemployed"}, False),
    ("CO03", {"labour_market_status": "inactive_education"}, True),
    ("CO03", {"labour_market_status": "inactive"}, True),
    ("CO03", {"labour_market_status": "employed"}, False),
    ("CO04", {"labour_market_status": "inactive"}, True),
    ("CO04", {"labour_market_status": "inactive_education"}, False),
    ("CO05", {"labour_market_status": "employed"}, True),
    ("CO05", {"labour_market_status": "unemployed"}, False),
    ("CO06", {"age_at_start": 24}, True),
    ("CO06", {"age_at_start": 25}, False),  # the 25th birthday on or before the start date
    ("CO07", {"age_at_start": 55}, True),
    ("CO07", {"age_at_start": 54}, False),  # "above 54": 54 and 364 days does not count
    ("CO08", {"age_at_start": 60, "labour_market_status": "long_term_unemployed"}, True),
    ("CO08", {"age_at_start": 60, "labour_market_status": "inactive"}, True),
    ("CO08", {"age_at_start": 60, "labour_market_status": "inactive_education"}, False),
    ("CO08", {"age_at_start": 60, "labour_market_status": "employed"}, False),
    ("CO08", {"age_at_start": 50, "labour_market_status": "unemployed"}, False),
    ("CO09", {"isced": "isced1"}, True),
    ("CO09", {"isced": "isced2"}, True),
    ("CO09", {"isced": "isced0"}, False),  # below primary is in none of CO09-CO11
    ("CO09", {"isced": "isced3"}, False),
    ("CO10", {"isced": "isced3"}, True),
    ("CO10", {"isced": "isced4"}, True),
    ("CO10", {"isced": "isced5_8"}, False),
    ("CO11", {"isced": "isced5_8"}, True),
    ("CO11", {"isced": "isced4"}, False),
    ("CO12", {"jobless_household": "yes"}, True),
    ("CO12", {"jobless_household": "no"}, False),
    ("CO13", {"jobless_household": "yes", "dependent_children": "yes"}, True),
    ("CO13", {"jobless_household": "yes", "dependent_children": "no"}, False),
    ("CO13", {"jobless_household": "no", "dependent_children": "yes"}, False),
    ("CO14", {"single_adult_dependent_children": "yes", "dependent_children": "yes"}, True),
    ("CO14", {"single_adult_dependent_children": "no", "dependent_children": "yes"}, False),
    ("CO15", {"ethnic_minority_migrant": "yes"}, True),
    ("CO15", {"ethnic_minority_migrant": "prefer_not"}, False),  # never counted as yes
    ("CO15", {"ethnic_minority_migrant": "no"}, False),
    ("CO16", {"disability": "yes"}, True),
    ("CO16", {"disability": "prefer_not"}, False),
    ("CO17", {"basic_skills_need": "yes"}, True),
    ("CO17", {"homeless": "yes"}, True),
    ("CO17", {"other_disadvantage": "yes"}, True),
    ("CO17", {"other_disadvantage": "prefer_not"}, False),
    ("CO18", {"homeless": "yes"}, True),
    ("CO18", {"homeless": "no"}, False),
    ("CO19", {"rural": "yes"}, True),
    ("CO19", {"rural": "no"}, False),
    ("CR01", {"labour_market_status": "inactive", "leaving_job_search": True, **LEFT}, True),
    ("CR01", {"labour_market_status": "unemployed", "leaving_job_search": True, **LEFT}, False),  # not inactive
    ("CR01", {"labour_market_status": "inactive", "leaving_job_search": False, **LEFT}, False),
    ("CR02", {"leaving_education": True, **LEFT}, True),
    ("CR02", {"leaving_education": False, **LEFT}, False),
    ("CR02", {"leaving_education": True}, False),  # not left: not a result yet
    ("CR03", {"leaving_qualification": True, **LEFT}, True),
    ("CR03", {"leaving_qualification": False, **LEFT}, False),
    ("CR04", {"leaving_employed": True, **LEFT}, True),
    ("CR04", {"leaving_employed": False, **LEFT}, False),
    ("CR05", {"disability": "yes", "leaving_education": True, **LEFT}, True),
    ("CR05", {"disability": "prefer_not", "leaving_education": True, **LEFT}, False),  # not disadvantaged
    ("CR05", {"homeless": "yes", "leaving_employed": True, **LEFT}, True),
    ("CR05", {"homeless": "yes", **LEFT}, False),  # no immediate result
    ("CR06", {"follow_up_employed": True, **FOLLOWED}, True),
    ("CR06", {"follow_up_employed": False, **FOLLOWED}, False),
    ("CR06", {"follow_up_employed": True, **LEFT}, False),  # follow-up not recorded
    ("CR07", {"follow_up_improved": True, **FOLLOWED}, True),
    ("CR07", {"follow_up_improved": False, **FOLLOWED}, False),
    ("CR08", {"age_at_start": 57, "follow_up_employed": True, **FOLLOWED}, True),
    ("CR08", {"age_at_start": 54, "follow_up_employed": True, **FOLLOWED}, False),
    ("CR09", {"ethnic_minority_migrant": "yes", "follow_up_employed": True, **FOLLOWED}, True),
    ("CR09", {"ethnic_minority_migrant": "prefer_not", "follow_up_employed": True, **FOLLOWED}, False),
]


def _make(partnership, programme, values):
    case = enrol_back(partnership, 100)
    today = timezone.localdate()
    concrete = {**RECORDED, **values}
    if concrete.get("left_on") == "LEFT":
        concrete["left_on"] = today - timedelta(days=50)
    if concrete.get("follow_up_on") == "FOLLOWED":
        concrete["follow_up_on"] = today - timedelta(days=10)
    Participation.objects.filter(case=case).update(**concrete)
    tallies_rebuild(programme)  # the rows were written directly, not through the services
    return Participation.objects.get(case=case)


def _figures(partnership, programme):
    today = timezone.localdate()
    ret = selectors.esf_return(
        actor=partnership.programme, programme=programme, starts=today - timedelta(days=365), ends=today
    )
    return {f.indicator.code: f for f in [ret.total, *ret.outputs, *ret.results]}


@pytest.mark.parametrize(("code", "values", "counts"), CASES, ids=[f"{c}-{i}" for i, (c, _v, _n) in enumerate(CASES)])
def test_indicator_counts(partnership, programme, code, values, counts):
    _make(partnership, programme, values)
    figures = _figures(partnership, programme)
    assert figures[code].total == (1 if counts else 0)
    assert figures["TOTAL"].total == 1


def test_every_indicator_has_a_counting_test():
    assert {code for code, _v, _c in CASES} == {i.code for i in indicators.ALL}
    for code in {i.code for i in indicators.ALL}:
        assert {counts for c, _v, counts in CASES if c == code} == {True, False}, code


def test_long_term_unemployed_counts_in_co01_and_co02_by_gender(partnership, programme):
    _make(partnership, programme, {"labour_market_status": "long_term_unemployed", "gender": "male"})
    figures = _figures(partnership, programme)
    assert figures["CO01"].by_gender == {"female": 0, "male": 1, "other": 0}
    assert figures["CO02"].by_gender == {"female": 0, "male": 1, "other": 0}


def test_participants_without_esf_data_and_outside_the_period_are_not_counted(partnership, programme):
    _make(partnership, programme, {})
    unrecorded = enrol_back(partnership, 90)
    Participation.objects.filter(case=unrecorded).update(labour_market_status="unemployed")
    figures = _figures(partnership, programme)
    assert figures["TOTAL"].total == figures["CO01"].total == 1
    today = timezone.localdate()
    ret = selectors.esf_return(
        actor=partnership.programme, programme=programme, starts=today - timedelta(days=30), ends=today
    )
    assert ret.total.total == 0


def test_a_figure_opens_to_its_participants(partnership, programme):
    counted = _make(partnership, programme, {"disability": "yes"})
    _make(partnership, programme, {"disability": "prefer_not"})
    today = timezone.localdate()
    found = selectors.esf_participants(
        actor=partnership.programme,
        programme=programme,
        code="CO16",
        gender="female",
        starts=today - timedelta(days=365),
        ends=today,
    )
    assert list(found) == [counted]


def test_drilling_down_needs_the_participants_permission(partnership, programme):
    from joinedup.core.errors import NotPermitted

    today = timezone.localdate()
    with pytest.raises(NotPermitted):
        list(
            selectors.esf_participants(
                actor=partnership.analyst, programme=programme, code="CO01", gender="", starts=today, ends=today
            )
        )
    # The analyst sees the figures, not the people.
    assert (
        selectors.esf_return(actor=partnership.analyst, programme=programme, starts=today, ends=today).total.total == 0
    )


def test_participant_export_uses_strict_strings_and_no_blanks(partnership, programme):
    from joinedup.programmes.pds import COLUMNS

    _make(partnership, programme, {"labour_market_status": "long_term_unemployed", "disability": "prefer_not", **LEFT})
    today = timezone.localdate()
    rows = list(
        selectors.pds_rows(
            actor=partnership.programme, programme=programme, starts=today - timedelta(days=365), ends=today
        )
    )
    assert len(rows) == 1
    row = rows[0]
    assert tuple(row) == COLUMNS
    assert all(value.strip() for value in row.values())
    assert row["labour market status that best describes situation"] == "long-term unemployed (CO02)"
    assert row["disability"] == "participant chose not to say (signed exemption)"
    assert row["in employment six months after leaving"] == "not applicable"
