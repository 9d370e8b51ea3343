"""Programmes at scale (issue 15): the ESF return, the performance page and a month's claim run,
each against hand-written SQL doing the same work, in the same run.

    python -m bench.programmes [--people 20000] [--seed 2026] [--repeats 20]

Uses the benchmark database (`bench.database`) with the synthetic partnership of `bench.run` at the
same size and seed, loading it if it is not there. `manage.py synth` makes the programme (through the
services: every synthetic delivery partner contracted, a 50/20/30 tariff) and, in bulk, a
participation for every synthetic case with its ESF characteristics, the job entries, courses,
expenses and the claims the case events made, each with its evidence: those before the month claimed
paid in monthly batches, the month's waiting to be claimed; then it rebuilds the programme's tallies
(decision 021). The benchmark uses that programme as it is, and times one more tally rebuild.

Times:
* ``esf_return`` (the whole programme, 28 indicators by gender, from the tallies) against one
  hand-written query counting the same from the participations;
* the performance page (GET, as the programme manager: the selector, the chart, the breakdown and
  the partner × cohort × area × month cross-table, the template) against the SQL of its figures
  from the participations;
* the month's claim run (``claim_run``: every partner's batch) against bare UPDATEs and a SUM doing
  the same, each run rolled back so the next starts from the same rows.

Writes ``var/bench/programmes.json``; leaves the synthetic programme as it found it.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from bench.common import timed

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "var" / "bench"
os.environ["DJANGO_SETTINGS_MODULE"] = "bench.settings"


ESF_BASELINE = """
SELECT gender,
       COUNT(*) FILTER (WHERE started_on BETWEEN %(s)s AND %(e)s) AS total,
       COUNT(*) FILTER (WHERE started_on BETWEEN %(s)s AND %(e)s
                        AND labour_market_status IN ('unemployed', 'long_term_unemployed')),
       COUNT(*) FILTER (WHERE started_on BETWEEN %(s)s AND %(e)s AND labour_market_status = 'long_term_unemployed'),
       COUNT(*) FILTER (WHERE started_on BETWEEN %(s)s AND %(e)s
                        AND labour_market_status IN ('inactive', 'inactive_education')),
       COUNT(*) FILTER (WHERE started_on BETWEEN %(s)s AND %(e)s AND labour_market_status = 'inactive'),
       COUNT(*) FILTER (WHERE started_on BETWEEN %(s)s AND %(e)s AND labour_market_status = 'employed'),
       COUNT(*) FILTER (WHERE started_on BETWEEN %(s)s AND %(e)s AND age_at_start < 25),
       COUNT(*) FILTER (WHERE started_on BETWEEN %(s)s AND %(e)s AND age_at_start >= 55),
       COUNT(*) FILTER (WHERE started_on BETWEEN %(s)s AND %(e)s AND age_at_start >= 55
                        AND labour_market_status IN ('unemployed', 'long_term_unemployed', 'inactive')),
       COUNT(*) FILTER (WHERE started_on BETWEEN %(s)s AND %(e)s AND isced IN ('isced1', 'isced2')),
       COUNT(*) FILTER (WHERE started_on BETWEEN %(s)s AND %(e)s AND isced IN ('isced3', 'isced4')),
       COUNT(*) FILTER (WHERE started_on BETWEEN %(s)s AND %(e)s AND isced = 'isced5_8'),
       COUNT(*) FILTER (WHERE started_on BETWEEN %(s)s AND %(e)s AND jobless_household = 'yes'),
       COUNT(*) FILTER (WHERE started_on BETWEEN %(s)s AND %(e)s
                        AND jobless_household = 'yes' AND dependent_children = 'yes'),
       COUNT(*) FILTER (WHERE started_on BETWEEN %(s)s AND %(e)s AND single_adult_dependent_children = 'yes'),
       COUNT(*) FILTER (WHERE started_on BETWEEN %(s)s AND %(e)s AND ethnic_minority_migrant = 'yes'),
       COUNT(*) FILTER (WHERE started_on BETWEEN %(s)s AND %(e)s AND disability = 'yes'),
       COUNT(*) FILTER (WHERE started_on BETWEEN %(s)s AND %(e)s
                        AND (basic_skills_need = 'yes' OR homeless = 'yes' OR other_disadvantage = 'yes')),
       COUNT(*) FILTER (WHERE started_on BETWEEN %(s)s AND %(e)s AND homeless = 'yes'),
       COUNT(*) FILTER (WHERE started_on BETWEEN %(s)s AND %(e)s AND rural = 'yes'),
       COUNT(*) FILTER (WHERE left_on BETWEEN %(s)s AND %(e)s AND leaving_job_search
                        AND labour_market_status IN ('inactive', 'inactive_education')),
       COUNT(*) FILTER (WHERE left_on BETWEEN %(s)s AND %(e)s AND leaving_education),
       COUNT(*) FILTER (WHERE left_on BETWEEN %(s)s AND %(e)s AND leaving_qualification),
       COUNT(*) FILTER (WHERE left_on BETWEEN %(s)s AND %(e)s AND leaving_employed),
       COUNT(*) FILTER (WHERE left_on BETWEEN %(s)s AND %(e)s
                        AND (ethnic_minority_migrant = 'yes' OR disability = 'yes' OR basic_skills_need = 'yes'
                             OR homeless = 'yes' OR other_disadvantage = 'yes')
                        AND (leaving_job_search OR leaving_education OR leaving_qualification OR leaving_employed)),
       COUNT(*) FILTER (WHERE follow_up_on BETWEEN %(s)s AND %(e)s AND follow_up_employed),
       COUNT(*) FILTER (WHERE follow_up_on BETWEEN %(s)s AND %(e)s AND follow_up_improved),
       COUNT(*) FILTER (WHERE follow_up_on BETWEEN %(s)s AND %(e)s AND follow_up_employed AND age_at_start >= 55),
       COUNT(*) FILTER (WHERE follow_up_on BETWEEN %(s)s AND %(e)s AND follow_up_employed
                        AND (ethnic_minority_migrant = 'yes' OR disability = 'yes' OR basic_skills_need = 'yes'
                             OR homeless = 'yes' OR other_disadvantage = 'yes'))
FROM programmes_participation
WHERE programme_id = %(programme)s AND esf_recorded_on IS NOT NULL
GROUP BY gender
"""

PERFORMANCE_BASELINE = [
    """SELECT EXTRACT(MONTH FROM started_on), COUNT(*) FROM programmes_participation
       WHERE programme_id = %(programme)s AND started_on BETWEEN %(ys)s AND %(ye)s GROUP BY 1""",
    """SELECT EXTRACT(MONTH FROM first_job_on), COUNT(*) FROM programmes_participation
       WHERE programme_id = %(programme)s AND first_job_on BETWEEN %(ys)s AND %(ye)s GROUP BY 1""",
    """SELECT EXTRACT(MONTH FROM sustained_on), COUNT(*) FROM programmes_participation
       WHERE programme_id = %(programme)s AND sustained_on BETWEEN %(ys)s AND %(ye)s GROUP BY 1""",
    """SELECT o.name, COUNT(*), COUNT(*) FILTER (WHERE first_job_on IS NOT NULL),
              COUNT(*) FILTER (WHERE sustained_on IS NOT NULL)
       FROM programmes_participation p JOIN organisations_organisation o ON o.id = p.partner_id
       WHERE programme_id = %(programme)s AND started_on BETWEEN %(ys)s AND %(ye)s GROUP BY 1 ORDER BY 1""",
    # The cross-table: partner x local authority x month started, with the outcomes.
    """SELECT partner_id, local_authority, EXTRACT(MONTH FROM started_on), COUNT(*),
              COUNT(*) FILTER (WHERE first_job_on IS NOT NULL), COUNT(*) FILTER (WHERE sustained_on IS NOT NULL)
       FROM programmes_participation
       WHERE programme_id = %(programme)s AND started_on BETWEEN %(ys)s AND %(ye)s GROUP BY 1, 2, 3""",
]

CLAIM_RUN_BASELINE = [
    """UPDATE programmes_claim SET status = 'claimed', updated_at = now()
       FROM programmes_participation p
       WHERE p.id = programmes_claim.participation_id AND programmes_claim.programme_id = %(programme)s
         AND programmes_claim.status = 'pending' AND programmes_claim.reversed_at IS NULL
         AND programmes_claim.achieved_on <= %(month_end)s AND p.esf_recorded_on IS NOT NULL""",
    """SELECT partner_id, SUM(amount) FROM programmes_claim
       WHERE programme_id = %(programme)s AND status = 'claimed' GROUP BY partner_id""",
]


def alternate(selector: Callable[[], object], baseline: Callable[[], object], repeats: int) -> dict[str, list[float]]:
    for _ in range(2):
        selector()
        baseline()
    times: dict[str, list[float]] = {"selector": [], "baseline": []}
    for k in range(repeats):
        pair = [("selector", selector), ("baseline", baseline)]
        for label, fn in pair if k % 2 == 0 else reversed(pair):
            times[label].append(timed(fn))
    return times


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--people", type=int, default=20_000)
    parser.add_argument("--seed", type=int, default=2026)
    parser.add_argument("--repeats", type=int, default=20)
    parser.add_argument("--claim-runs", type=int, default=3)
    args = parser.parse_args(argv)

    sys.path.insert(0, str(ROOT))
    from bench.common import figure_recorder
    from bench.database import bench_database_url, ensure_database
    from bench.run import load, manage

    url = bench_database_url()
    if ensure_database(url):
        print(f"Created database {url.rsplit('/', 1)[-1]}")
    manage("migrate", "--noinput", "-v0")

    import django

    django.setup()
    from datetime import date, timedelta

    from django.db import connection
    from django.utils import timezone

    from joinedup.demo.synth.programmes import CODE
    from joinedup.organisations.models import Membership, Role
    from joinedup.programmes.models import Claim, Programme
    from joinedup.programmes.services.claims import month_end
    from joinedup.programmes.tally import tallies_rebuild

    load(args.people, args.seed, reload=False)
    connection.close()
    programme = Programme.objects.get(code=CODE)
    assert programme.created_by_id is not None, "synth sets its programme up as a programme manager"
    manager = (
        Membership.objects.filter(user_id=programme.created_by_id, role=Role.PROGRAMME_MANAGER)
        .select_related("user", "organisation")
        .get()
    )
    today = timezone.localdate()
    month = (today.replace(day=1) - timedelta(days=1)).replace(day=1)
    params: dict[str, Any] = {"programme": programme.pk, "month": month, "month_end": month_end(month)}
    participations = programme.participations.count()
    claims = Claim.objects.filter(programme=programme).count()
    print(f"{participations:,} participations and {claims:,} claims (made by synth)")
    started = time.perf_counter()
    tally_rows = tallies_rebuild(programme)  # as synth does after its load: the recount, timed
    rebuild_seconds = time.perf_counter() - started
    with connection.cursor() as cur:
        cur.execute("ANALYZE programmes_programmetally")
    print(f"{tally_rows:,} tallies rebuilt in {rebuild_seconds:.1f} s")

    figures: Figures = []
    time_esf(figures, programme, manager, params, args.repeats)
    mid_months = (date(today.year - 2, 1, 15), date(today.year - 1, 6, 20))  # part-months at each end
    time_esf(figures, programme, manager, params, args.repeats, mid_months, "esf_return (mid-month period)")
    time_page(figures, programme, manager, params, args.repeats, today.year - 1)
    time_claim_run(figures, programme, manager, params, args.claim_runs)
    with connection.cursor() as cur:
        cur.execute("SELECT current_setting('server_version')")
        database = f"PostgreSQL {cur.fetchone()[0].split()[0]}"
    out: list[dict] = []
    figure = figure_recorder(out, size=args.people, database=database)
    figure("programmes participations", participations, "participations")
    figure("programmes claims", claims, "claims")
    figure("programmes tallies", tally_rows, "rows")
    figure("programmes tallies rebuild", rebuild_seconds, "s")
    for name, value, unit in figures:
        figure(name, value, unit)
    OUT.mkdir(parents=True, exist_ok=True)
    (OUT / "programmes.json").write_text(json.dumps(out, indent=2))
    print(f"Wrote {OUT / 'programmes.json'}")
    return 0


Figures = list[tuple[str, float, str]]


def report(figures: Figures, name: str, times: dict[str, list[float]]) -> None:
    from bench.common import percentile

    p50, p95 = statistics.median(times["selector"]), percentile(times["selector"], 95)
    b50, b95 = statistics.median(times["baseline"]), percentile(times["baseline"], 95)
    figures.extend(
        [
            (f"{name} p50", p50, "ms"),
            (f"{name} p95", p95, "ms"),
            (f"{name} baseline p50", b50, "ms"),
            (f"{name} baseline p95", b95, "ms"),
            (f"{name} ratio p50", p50 / b50, "x baseline"),
        ]
    )
    print(f"  {name}: p50 {p50:.1f} ms, p95 {p95:.1f} ms (SQL baseline p50 {b50:.1f} ms; {p50 / b50:.2f}x)")


def time_esf(
    figures: Figures,
    programme: Any,
    manager: Any,
    params: dict[str, Any],
    repeats: int,
    period_of: tuple[Any, Any] | None = None,
    name: str = "esf_return",
) -> None:
    """The ESF return, checked figure by figure against the hand-written query, then timed. The
    whole programme by default (whole months: the tallies alone); `period_of` another period."""
    from django.db import connection

    from joinedup.programmes import selectors

    starts, ends = period_of or (programme.starts_on, programme.ends_on)
    period = {"s": starts, "e": ends, **params}

    def esf() -> Any:
        return selectors.esf_return(actor=manager, programme=programme, starts=starts, ends=ends)

    def esf_sql() -> list[Any]:
        with connection.cursor() as cur:
            cur.execute(ESF_BASELINE, period)
            return cur.fetchall()

    ret = esf()
    in_order = [ret.total, *ret.outputs, *ret.results]
    for row in esf_sql():
        assert [f.by_gender[row[0]] for f in in_order] == list(row[1:]), row[0]
    report(figures, name, alternate(esf, esf_sql, repeats))


def time_page(figures: Figures, programme: Any, manager: Any, params: dict[str, Any], repeats: int, year: int) -> None:
    """The performance page for `year` as the programme manager sees it, against the SQL of its figures."""
    from django.db import connection

    from joinedup.testkit import SignInClient

    client = SignInClient()  # signed in with a verified second factor, as the pages require (issue 17)
    client.force_login(manager.user)
    page_url = f"/programmes/{programme.pk}/performance/?year={year}"
    yearly = {"ys": f"{year}-01-01", "ye": f"{year}-12-31", **params}

    def page() -> Any:
        response = client.get(page_url)
        assert response.status_code == 200
        return response

    def page_sql() -> list[Any]:
        with connection.cursor() as cur:
            out = []
            for sql in PERFORMANCE_BASELINE:
                cur.execute(sql, yearly)
                out.append(cur.fetchall())
            return out

    starts = sum(n for _m, n in page_sql()[0])
    assert f">{starts}<" in page().content.decode() or starts == 0
    report(figures, "performance page", alternate(page, page_sql, repeats))


def time_claim_run(figures: Figures, programme: Any, manager: Any, params: dict[str, Any], runs: int) -> None:
    """The month's claim run against bare UPDATE and SUM, each rolled back."""
    from django.db import connection, transaction

    from joinedup.programmes import services

    times: dict[str, list[float]] = {"selector": [], "baseline": []}
    totals: dict[str, Any] = {}

    def service() -> Any:
        return sum(b.total for b in services.claim_run(actor=manager, programme=programme, month=params["month"]))

    def sql() -> Any:
        with connection.cursor() as cur:
            for statement in CLAIM_RUN_BASELINE:
                cur.execute(statement, params)
            return sum(row[1] for row in cur.fetchall())

    for k in range(runs):
        pair = [("selector", service), ("baseline", sql)]
        for label, fn in pair if k % 2 == 0 else reversed(pair):
            with transaction.atomic():
                started = time.perf_counter()
                totals[label] = fn()
                times[label].append((time.perf_counter() - started) * 1000)
                transaction.set_rollback(True)
    assert totals["selector"] == totals["baseline"], totals
    report(figures, "claim run (month)", times)
    figures.append(("claim run total claimed", float(totals["selector"]), "GBP"))


if __name__ == "__main__":
    raise SystemExit(main())
