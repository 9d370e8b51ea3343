"""The figures the need page shows: benchmark comparisons against rates worked out by hand from the
fixture files (Mansfield, Nottinghamshire, the East Midlands and "England", here the 18 fixture
authorities), a recount of the page's figures from the loaded rows, and the peer group."""

from __future__ import annotations

import pytest

from joinedup.need.figures import figures
from joinedup.need.models import Area, BenefitCaseload, IndicatorValue, Lsoa
from joinedup.need.selectors import need_page

from .conftest import EAST_MIDLANDS, ENGLAND, MANSFIELD, NOTTS

pytestmark = pytest.mark.django_db


def _row(table, name):
    return next(r for r in table.rows if r[0] == name)


def test_rates_against_hand_computed_figures(open_data, partnership):
    found = figures()
    assert found.latest_year == 2025
    mansfield = found.areas[MANSFIELD]
    # Mansfield 2025: ESA 3,411, UC households 12,080, PIP 10,080; 69,446 aged 16-64.
    assert (mansfield.per_1000("esa", 2025), mansfield.per_1000("uc", 2025), mansfield.per_1000("pip", 2025)) == (
        49.1, 173.9, 145.1,
    )  # fmt: skip
    assert mansfield.claimant_rate(2025) == 223.1  # (3,411 + 12,080) / 69,446 x 1,000
    # Nottinghamshire: its seven districts, ESA 18,896, UC 67,896, PIP 58,009 over 520,294.
    notts = found.areas[NOTTS]
    assert (notts.per_1000("esa", 2025), notts.claimant_rate(2025), notts.per_1000("pip", 2025)) == (36.3, 166.8, 111.5)
    # The East Midlands (11 fixture authorities): ESA 41,375 + UC 166,720 over 1,083,821.
    assert found.areas[EAST_MIDLANDS].claimant_rate(2025) == 192.0
    # England (all 17 fixture authorities with caseloads): 84,401 + 332,765 over 2,023,988.
    assert (found.areas[ENGLAND].per_1000("esa", 2025), found.areas[ENGLAND].claimant_rate(2025)) == (41.7, 206.1)
    page = need_page(actor=partnership.analyst, code=MANSFIELD)
    assert _row(page.comparators, "Mansfield")[2:6] == [49.1, 173.9, 145.1, 223.1]
    assert _row(page.comparators, "England")[1] == "England"
    assert _row(page.comparators, "England")[5] == 206.1
    assert _row(page.comparators, "East Midlands")[5] == 192.0


def test_the_figures_shown_equal_a_recount_from_the_loaded_rows(indicators, partnership):
    page = need_page(actor=partnership.analyst, code=NOTTS)
    districts = list(Area.objects.filter(parent_id=NOTTS).values_list("code", "working_age_population"))
    population = sum(n or 0 for _c, n in districts)
    for row in page.benefits.rows:
        year = int(str(row[0]))
        for i, benefit in enumerate(("esa", "uc", "pip")):
            rows = BenefitCaseload.objects.filter(area__parent_id=NOTTS, year=year, benefit=benefit)
            total = sum(rows.values_list("count", flat=True))
            assert row[1 + i] == (round(1000 * total / population, 1) if rows else "")
            assert row[4 + i] == (total if rows else "")
    lsoas = list(Lsoa.objects.filter(area__parent_id=NOTTS).values_list("imd_decile", flat=True))
    mine = _row(page.comparators, "Nottinghamshire")
    assert mine[7] == round(100 * sum(1 for d in lsoas if d == 1) / len(lsoas), 1)
    assert mine[8] == round(100 * sum(1 for d in lsoas if d <= 2) / len(lsoas), 1)
    block = next(b for b in page.indicators if b.key == "indicator_90282")
    stored = IndicatorValue.objects.get(indicator_id=90282, area_id=NOTTS, period="2022/23")
    assert _row(block.table, "Nottinghamshire")[2:5] == [
        f"{v.normalize():f}" for v in (stored.value, stored.lower_ci, stored.upper_ci) if v is not None
    ]


def test_the_peers_are_the_nearest_in_deprivation_and_claimant_rate(open_data, partnership, settings):
    settings.NEED_PEER_COUNT = 3
    found = figures()
    peers = found.peers(MANSFIELD)
    assert len(peers) == 3 and MANSFIELD not in peers
    assert all(found.areas[p].kind in ("district", "unitary") for p in peers)
    me = found.areas[MANSFIELD]
    others = [
        a
        for a in found.areas.values()
        if a.kind in ("district", "unitary")
        and a.current
        and a.code != MANSFIELD
        and a.imd_mean is not None
        and a.claimant_rate(2025)
    ]

    def gap(a):
        return abs(a.imd_mean - me.imd_mean) + abs(a.claimant_rate(2025) - me.claimant_rate(2025))

    assert min(gap(found.areas[p]) for p in peers) == min(gap(a) for a in others)  # the very nearest is in


def test_a_chosen_peer_group(open_data, partnership):
    page = need_page(actor=partnership.analyst, code=MANSFIELD, peers=["E07000176", "E06000001", NOTTS, "nonsense"])
    assert [p.code for p in page.peers] == ["E07000176", "E06000001"] and page.peers_chosen  # a county is not a peer


def test_an_indicator_against_england_and_the_region(indicators, partnership):
    page = need_page(actor=partnership.analyst, code=MANSFIELD)
    block = next(b for b in page.indicators if b.key == "indicator_22303")
    assert block.period == "2019 - 21" and "pools several years" in block.note
    names = [r[0] for r in block.table.rows]
    assert names[:3] == ["Mansfield", "East Midlands", "England"]
    assert "<svg" in block.chart and "England" in block.chart


def test_a_suppressed_indicator_value_is_shown_as_suppressed(indicators, partnership):
    page = need_page(actor=partnership.analyst, code="E07000176")  # Rushcliffe's 2019 - 21 value is blank
    block = next(b for b in page.indicators if b.key == "indicator_22303")
    assert _row(block.table, "Rushcliffe")[2] == "suppressed" and _row(block.table, "Rushcliffe")[5] == "suppressed"


def test_a_county_page_lists_its_districts_outcomes_then_its_own(open_data, partnership):
    """Nottinghamshire's page shows Mansfield and its other districts, not only the county's own row."""
    from joinedup.directory import areas as directory_areas

    page = need_page(actor=partnership.analyst, code=NOTTS)
    shown = [row.gss for row in page.outcomes]
    assert MANSFIELD in shown and len(shown) > 1
    districts = {a.gss for a in directory_areas.AREAS.values() if a.parent == "nottinghamshire"}
    assert set(shown[:-1]) <= districts and shown[-1] == NOTTS
