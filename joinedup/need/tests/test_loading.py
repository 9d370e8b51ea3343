"""Loading and refreshing the open data: the hierarchy, the deprivation profile recounted from the
LSOAs, refreshing from a newer file, and malformed files refused line by line with nothing loaded."""

from __future__ import annotations

from decimal import Decimal

import pytest

from joinedup.need import loading, services
from joinedup.need.models import Area, BenefitCaseload, ImportRun, Lsoa

from .conftest import EAST_MIDLANDS, ENGLAND, MANSFIELD, NOTTS, small_files, source

pytestmark = pytest.mark.django_db


def test_the_hierarchy_district_county_region_england(open_data):
    mansfield = Area.objects.get(code=MANSFIELD)
    assert (mansfield.kind, mansfield.parent_id, mansfield.region_id) == ("district", NOTTS, EAST_MIDLANDS)
    assert Area.objects.get(code=NOTTS).parent_id == EAST_MIDLANDS
    assert Area.objects.get(code=EAST_MIDLANDS).parent_id == ENGLAND
    assert Area.objects.get(code="E06000018").kind == "unitary"  # Nottingham
    aylesbury = Area.objects.get(code="E07000004")
    assert (aylesbury.successor_id, aylesbury.current) == ("E06000060", False)  # Buckinghamshire since 2020
    assert Area.objects.get(code="E10000002").current is False  # the county whose districts all went


def test_the_deprivation_profile_is_a_recount_of_the_lsoas(open_data):
    for area in Area.objects.exclude(lsoas=0):
        rows = list(Lsoa.objects.filter(area__in=_districts(area)).values_list("imd_score", "imd_decile"))
        assert area.lsoas == len(rows)
        assert area.lsoas_decile_1 == sum(1 for _s, d in rows if d == 1)
        assert area.lsoas_decile_1_2 == sum(1 for _s, d in rows if d <= 2)
        assert area.imd_mean_score == (Decimal(sum(s for s, _d in rows)) / len(rows)).quantize(Decimal("0.001"))
    assert Area.objects.get(code="E06000060").lsoas == 3  # Aylesbury Vale's LSOAs count in its successor


def _districts(area: Area) -> list[str]:
    leaves = Area.objects.filter(kind__in=["district", "unitary"])
    if area.kind == "country":
        return list(leaves.values_list("code", flat=True))
    if area.kind == "region":
        return list(leaves.filter(region_id=area.code).values_list("code", flat=True))
    if area.kind == "county":
        return list(leaves.filter(parent_id=area.code).values_list("code", flat=True))
    return [area.code, *Area.objects.filter(successor_id=area.code).values_list("code", flat=True)]


def test_caseloads_keep_blanks_as_no_row_never_zero(open_data):
    assert BenefitCaseload.objects.filter(area_id=MANSFIELD, year=2025, benefit="esa").get().count == 3411
    assert not BenefitCaseload.objects.filter(area_id=MANSFIELD, year=2013, benefit="esa").exists()
    assert Area.objects.get(code=MANSFIELD).working_age_population == 69446


def test_loading_again_skips_a_file_already_loaded_and_a_newer_file_refreshes(open_data):
    assert services.open_data_load(files=small_files()) == []
    text = source("benefits.csv").text.replace("E07000174,Mansfield,2025,3411,", "E07000174,Mansfield,2025,3500,")
    done = services.open_data_load(files=services.OpenDataFiles(benefits=source("benefits.csv", text)))
    assert len(done) == 1 and "caseload" in done[0]
    assert BenefitCaseload.objects.get(area_id=MANSFIELD, year=2025, benefit="esa").count == 3500
    assert ImportRun.objects.filter(dataset="benefits").count() == 2


def _refused(files: services.OpenDataFiles) -> loading.FileRefused:
    with pytest.raises(loading.FileRefused) as caught:
        services.open_data_load(files=files, force=True)
    return caught.value


def test_a_malformed_caseload_file_is_refused_line_by_line_and_nothing_is_loaded(open_data):
    before = list(BenefitCaseload.objects.order_by("pk").values_list("area_id", "year", "benefit", "count"))
    lines = source("benefits.csv").text.splitlines()
    lines[2] = lines[2].replace("E06000001", "E06999999", 1)  # an unknown authority
    lines[5] = lines[5].replace(",2013,", ",twenty,", 1)  # not a year
    lines[7] = lines[7].replace(",2024,7218,", ",2024,lots,", 1)  # not a number
    refused = _refused(services.OpenDataFiles(benefits=source("benefits.csv", "\n".join(lines) + "\n")))
    assert [p.line for p in refused.problems] == [3, 6, 8]
    report = refused.report()
    assert "Line 3: E06999999 is not a local authority we know" in report
    assert "Line 6: the year 'twenty' is not a year" in report
    assert "Line 8: esa_claimants 'lots' is not a number" in report
    assert list(BenefitCaseload.objects.order_by("pk").values_list("area_id", "year", "benefit", "count")) == before


def test_a_wrong_header_is_refused(open_data):
    text = source("imd.csv").text.replace("imd_decile", "decile", 1)
    refused = _refused(services.OpenDataFiles(imd=source("imd.csv", text)))
    assert str(refused.problems[0]) == "Line 1: the header has no column imd_decile"
    assert Lsoa.objects.count() == 3 * 18


def test_one_bad_file_undoes_the_good_ones_loaded_with_it(open_data):
    good = source("benefits.csv").text.replace("E07000174,Mansfield,2025,3411,", "E07000174,Mansfield,2025,1,")
    bad = source("imd.csv").text.replace(",9\n", ",11\n", 1)
    files = services.OpenDataFiles(imd=source("imd.csv", bad), benefits=source("benefits.csv", good))
    refused = _refused(files)
    assert "decile 1 to 10" in refused.report()
    assert BenefitCaseload.objects.get(area_id=MANSFIELD, year=2025, benefit="esa").count == 3411


def test_the_command_reports_a_refused_file(open_data, tmp_path):
    from django.core.management import CommandError, call_command

    bad = tmp_path / "imd.csv"
    bad.write_text("lsoa11cd,lad19cd,imd_score,imd_rank,imd_decile\nE01000001,E07000174,x,1,1\n", encoding="utf-8")
    with pytest.raises(CommandError) as caught:
        call_command("need_load", "--imd", str(bad), "--force")
    assert "imd.csv was not loaded (nothing was changed):" in str(caught.value)
    assert "Line 2: E01000001" in str(caught.value)
