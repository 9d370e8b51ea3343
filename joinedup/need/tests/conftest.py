"""Fixtures for the need tests: the small open-data files in fixtures/ (a subset of the shipped
data, same columns) and the synthetic Fingertips export, loaded through the services."""

from __future__ import annotations

from pathlib import Path

import pytest

from joinedup.need import loading, services

FIXTURES = Path(__file__).parent / "fixtures"
MANSFIELD, NOTTS, EAST_MIDLANDS, ENGLAND = "E07000174", "E10000024", "E12000004", "E92000001"


def source(name: str, text: str | None = None) -> loading.Source:
    """A fixture file, or `text` under that name."""
    return loading.Source(name, text) if text is not None else loading.Source.read(FIXTURES / name)


def small_files() -> services.OpenDataFiles:
    return services.OpenDataFiles(
        source("geography.csv"), source("register.csv"), source("imd.csv"), source("benefits.csv")
    )


@pytest.fixture
def open_data(db) -> None:
    services.open_data_load(files=small_files())


@pytest.fixture
def indicators(open_data) -> None:
    services.fingertips_import(sources=[source("fingertips_phof_sample.csv")])


def fingertips_text(*rows: dict[str, str]) -> str:
    """A Fingertips export of these rows (every other column blank), with the full header."""
    import csv
    import io

    from joinedup.need.fingertips import COLUMNS

    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=COLUMNS, lineterminator="\n")
    writer.writeheader()
    base = {"Indicator ID": "90282", "Indicator Name": "Gap", "Sex": "Persons", "Age": "16-64 yrs", "Area Name": "x"}
    for row in rows:
        writer.writerow({**base, **row})
    return out.getvalue()


@pytest.fixture(autouse=True)
def _fresh_counts():
    """The partnership's counts are cached for a few minutes (decision 029): each test counts anew."""
    from django.core.cache import cache

    from joinedup.need.outcomes import CACHE_KEY

    cache.delete(CACHE_KEY)
    yield
    cache.delete(CACHE_KEY)
