"""The demo's population-need data (issue 16): the open data shipped with the need app, and the
synthetic Fingertips example (made-up values in Fingertips' format: no real export is offline)."""

from __future__ import annotations

from joinedup.need import loading, services

EXAMPLE = loading.DATA / "fingertips_synthetic_example.csv"


def load_need_demo() -> list[str]:
    """Load what is not loaded yet (a file loaded before is skipped)."""
    done = services.open_data_load(files=services.OpenDataFiles.shipped())
    example = loading.Source.read(EXAMPLE)
    if not services.fingertips_loaded(sha256=example.sha256):
        done += services.fingertips_import(sources=[example])
    return done
