"""Population need (issue 16): the need page for every local authority in England, and the business
case's PDF.

    python -m bench.need [--people 20000] [--seed 2026] [--pdf-repeats 5]

Uses the benchmark database (`bench.database`: ``joinedup_bench`` unless ``BENCH_DATABASE_URL`` says
otherwise) with the synthetic partnership of `bench.run` at that size, and loads the open data
shipped in ``joinedup/need/data/`` (all 317 current authorities: 296 districts and unitaries, 21
counties) with the synthetic Fingertips example. Signed in as the synthetic programme manager, it
asks ``django.test.Client`` for ``/need/<code>/`` of every authority in turn (each once after a
warm-up round), alternating with the baseline: the bare SQL that reads the same area's caseloads,
deprivation profile and indicator values. Then it times the business case as HTML and as PDF
(WeasyPrint) for Mansfield and for the whole partnership. The partnership's own counts are cached
for ``NEED_COUNTS_SECONDS`` (decision 029), so the partnership's authorities are timed again with
them counted on every page. Target: the need page's p95 at most
300 ms. Writes ``var/bench/need.json`` in the shape of `bench.run`.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

from bench.common import synthetic_partnership, timed

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "var" / "bench"
os.environ["DJANGO_SETTINGS_MODULE"] = "bench.settings"
TARGET_MS = 300.0

BASELINE_SQL = """
SELECT c.year, c.benefit, SUM(c.count)
FROM need_benefitcaseload c JOIN need_area a ON a.code = c.area_id
WHERE a.code = %(code)s OR a.parent_id = %(code)s
GROUP BY c.year, c.benefit;
"""
PROFILE_SQL = "SELECT lsoas, lsoas_decile_1, lsoas_decile_1_2, imd_mean_score FROM need_area WHERE code = %(code)s"
INDICATOR_SQL = "SELECT * FROM need_indicatorvalue WHERE area_id IN (%(code)s, %(region)s, 'E92000001')"


def _setup(people: int, seed: int) -> None:
    synthetic_partnership(people, seed)
    from joinedup.demo.need import load_need_demo

    for line in load_need_demo():
        print(line)


def _client() -> Any:
    from joinedup.demo.synth import SYNTH_ODS
    from joinedup.organisations.models import Membership, Role
    from joinedup.testkit import SignInClient

    manager = (
        Membership.objects.filter(organisation__ods_code=SYNTH_ODS, role=Role.PROGRAMME_MANAGER)
        .select_related("user")
        .order_by("user__username")
        .first()
    )
    if manager is None:
        raise SystemExit("No synthetic programme manager: reload the synthetic data (bench.run --reload)")
    client = SignInClient()
    client.force_login(manager.user)
    return client


def _get(client: Any, path: str) -> Callable[[], object]:
    def fetch() -> object:
        response = client.get(path)
        if response.status_code != 200:
            raise SystemExit(f"{path} answered {response.status_code}")
        return response.content

    return fetch


def _baseline(code: str, region: str) -> Callable[[], object]:
    from django.db import connection

    def query() -> object:
        with connection.cursor() as cur:
            for sql in (BASELINE_SQL, PROFILE_SQL, INDICATOR_SQL):
                cur.execute(sql, {"code": code, "region": region})
                cur.fetchall()
        return None

    return query


def _pages(client: Any) -> dict[str, list[float]]:
    from joinedup.need.figures import LOWER, UPPER
    from joinedup.need.models import Area

    areas = list(Area.objects.filter(current=True, kind__in=[*LOWER, *UPPER]).values_list("code", "region_id"))
    print(f"Need pages: {len(areas)} local authorities")
    for code, region in areas[:20]:  # warm up
        _get(client, f"/need/{code}/")()
        _baseline(code, region or "")()
    out: dict[str, list[float]] = {"page": [], "baseline": [], "uncached": []}
    for code, region in areas:
        out["page"].append(timed(_get(client, f"/need/{code}/")))
        out["baseline"].append(timed(_baseline(code, region or "")))
    # The pages that show the partnership's counts, with them counted on every page (decision 029).
    from django.test import override_settings

    from joinedup.need.figures import figures
    from joinedup.need.outcomes import serves

    found = figures()
    served = [code for code, _region in areas if serves(found, code)]
    print(f"Need pages of the partnership's {len(served)} authorities, counted on every page")
    with override_settings(NEED_COUNTS_SECONDS=0):
        out["uncached"] = [timed(_get(client, f"/need/{code}/")) for code in served]
    return out


def _cases(client: Any, repeats: int) -> dict[str, list[float]]:
    out: dict[str, list[float]] = {}
    for code, name in (("E07000174", "Mansfield"), ("partnership", "partnership")):
        html, pdf = _get(client, f"/need/{code}/business-case/"), _get(client, f"/need/{code}/business-case.pdf")
        html()
        pdf()
        out[f"business case HTML ({name})"] = [timed(html) for _ in range(repeats)]
        out[f"business case PDF ({name})"] = [timed(pdf) for _ in range(repeats)]
    return out


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--people", type=int, default=20_000)
    parser.add_argument("--seed", type=int, default=2026)
    parser.add_argument("--pdf-repeats", type=int, default=5)
    args = parser.parse_args(argv)
    sys.path.insert(0, str(ROOT))
    from bench.common import figure_recorder, percentile

    _setup(args.people, args.seed)
    client = _client()
    pages = _pages(client)
    cases = _cases(client, args.pdf_repeats)
    figures: list[dict] = []
    figure = figure_recorder(
        figures, size=f"{args.people:,} people, {len(pages['page'])} authorities", database="PostgreSQL"
    )
    for who in ("page", "baseline"):
        figure(f"need page {who} p50", percentile(pages[who], 50), "ms")
        figure(f"need page {who} p95", percentile(pages[who], 95), "ms")
    figure("need page, partnership's authorities, counts not cached p50", percentile(pages["uncached"], 50), "ms")
    figure("need page, partnership's authorities, counts not cached p95", percentile(pages["uncached"], 95), "ms")
    figure(
        "need page p95 ratio to bare queries",
        percentile(pages["page"], 95) / percentile(pages["baseline"], 95),
        "ratio",
    )
    for name, times in cases.items():
        figure(f"{name} p50", percentile(times, 50), "ms")
        figure(f"{name} max", max(times), "ms")
    for f in figures:
        print(f"{f['figure']:<52} {f['value']:>9} {f['unit']}")
    OUT.mkdir(parents=True, exist_ok=True)
    (OUT / "need.json").write_text(json.dumps(figures, indent=2), encoding="utf-8")
    p95 = percentile(pages["page"], 95)
    verdict = "met" if p95 <= TARGET_MS else "NOT MET"
    print(f"Need page p95 {p95:.1f} ms against the target of {TARGET_MS:.0f} ms: {verdict}")
    return 0 if p95 <= TARGET_MS else 1


if __name__ == "__main__":
    raise SystemExit(main())
