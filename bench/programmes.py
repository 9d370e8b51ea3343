"""Programmes at scale (issue 15): the ESF return, the performance page and a month's claim run,
each against hand-written SQL doing the same work, in the same run.

    python -m bench.programmes [--people 20000] [--seed 2026] [--repeats 20]

Uses the benchmark database (`bench.database`) with the synthetic partnership of `bench.run` at the
same size and seed, loading it if it is not there. On it, through the services, one programme with
every synthetic delivery partner contracted and a 50/20/30 tariff; then, in bulk (INSERT ... SELECT,
as the synthetic loader writes COPY), a participation for every synthetic case with ESF
characteristics drawn from a hash of its id and its outcome dates from the case's records, and the
claims the case events would have made (attachments, job entries, sustained jobs), each with its
evidence: those before the month claimed already paid, the month's waiting to be claimed. Each
participation's local authority comes from its person's postcode district, as `esf_record` derives
it. The programme's monthly tallies (decision 021) are then rebuilt from those rows, as any bulk
writer must, and that rebuild is timed too.

Times:
* ``esf_return`` (the whole programme, 28 indicators by gender, from the tallies) against one
  hand-written query counting the same from the participations;
* the performance page (GET, as the programme manager: the selector, the chart, the breakdown and
  the partner × cohort × area × month cross-table, the template) against the SQL of its figures
  from the participations;
* the month's claim run (``claim_run``: every partner's batch) against bare UPDATEs and a SUM doing
  the same, each run rolled back so the next starts from the same rows.

Writes ``var/bench/programmes.json``; removes the programme and its rows at the end.
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

CODE = "bench-programme"


def _h(n: int) -> str:
    """A number 0-99 from the case's id, different for each `n`."""
    return f"mod(('x' || substr(md5(c.id::text || '{n}'), 1, 8))::bit(32)::bigint, 100)"


def _pick(n: int, options: list[tuple[str, int]]) -> str:
    """A CASE picking one of `options` (value, per cent) by hash `n`."""
    parts, upto = [], 0
    for value, pct in options[:-1]:
        upto += pct
        parts.append(f"WHEN {_h(n)} < {upto} THEN '{value}'")
    return f"(CASE {' '.join(parts)} ELSE '{options[-1][0]}' END)"


YN = [("yes", 30), ("no", 70)]
PRIVATE = [("yes", 45), ("no", 45), ("prefer_not", 10)]
PARTICIPATION = {
    "gender": _pick(1, [("female", 48), ("male", 50), ("other", 2)]),
    "labour_market_status": _pick(
        2,
        [
            ("unemployed", 25),
            ("long_term_unemployed", 35),
            ("inactive", 30),
            ("inactive_education", 3),
            ("employed", 7),
        ],
    ),
    "isced": _pick(3, [("isced0", 2), ("isced1", 8), ("isced2", 35), ("isced3", 30), ("isced4", 10), ("isced5_8", 15)]),
    "jobless_household": _pick(4, YN),
    "dependent_children": _pick(5, YN),
    "single_adult_dependent_children": "'no'",
    "basic_skills_need": _pick(6, YN),
    "homeless": _pick(7, [("yes", 8), ("no", 92)]),
    "rural": _pick(8, [("yes", 20), ("no", 80)]),
    "disability": _pick(9, PRIVATE),
    "ethnic_minority_migrant": _pick(10, [("yes", 15), ("no", 78), ("prefer_not", 7)]),
    "other_disadvantage": _pick(11, [("yes", 10), ("no", 85), ("prefer_not", 5)]),
    "distance": _pick(12, [("near", 30), ("middle", 45), ("far", 25)]),
}

INSERT_PARTICIPATIONS = """
INSERT INTO programmes_participation (
    id, created_at, updated_at, programme_id, case_id, partner_id, started_on, esf_recorded_on,
    age_at_start, health_condition, benefit, route, local_authority, months_out_of_work,
    first_job_on, sustained_on, first_employer_contact_on, last_contact_on, left_on,
    leaving_job_search, leaving_education, leaving_qualification, leaving_employed,
    follow_up_due_on, follow_up_on, follow_up_employed, follow_up_improved, {esf_columns}
)
SELECT md5('participation' || c.id::text)::uuid, now(), now(), %(programme)s, c.id, c.delivery_partner_id,
       c.enrolled_on, c.enrolled_on,
       date_part('year', age(c.enrolled_on, p.date_of_birth))::int, r.health_condition,
       COALESCE(r.benefits->>0, 'none'), r.route, COALESCE(la.area, ''), NULL,
       j.first_job, s.sustained, j.first_job, c.enrolled_on + 14, c.closed_on,
       c.closed_on IS NOT NULL AND {h13} < 20, c.closed_on IS NOT NULL AND {h13} >= 90,
       c.closed_on IS NOT NULL AND {h14} < 15, c.closed_on IS NOT NULL AND j.first_job IS NOT NULL,
       (c.closed_on + interval '6 months')::date,
       CASE WHEN c.closed_on + interval '6 months' <= now() AND {h15} < 50
            THEN (c.closed_on + interval '6 months')::date END,
       COALESCE(c.closed_on + interval '6 months' <= now() AND {h15} < 50 AND j.first_job IS NOT NULL, false),
       COALESCE(c.closed_on + interval '6 months' <= now() AND {h15} < 30, false),
       {esf_values}
FROM cases_case c
JOIN people_person p ON p.id = c.person_id
JOIN referrals_referral r ON r.id = c.referral_id
LEFT JOIN unnest(%(districts)s::text[], %(areas)s::text[]) AS la(district, area)
       ON la.district = split_part(p.postcode, ' ', 1)
LEFT JOIN LATERAL (SELECT MIN(start_date) AS first_job FROM cases_jobstart WHERE case_id = c.id) j ON true
LEFT JOIN LATERAL (
    SELECT MIN(s.achieved_on) AS sustained FROM cases_sustainment s JOIN cases_jobstart js ON js.id = s.job_start_id
    WHERE js.case_id = c.id AND s.weeks = 26
) s ON true
WHERE c.delivery_partner_id = ANY(%(partners)s)
"""

# The claims the case events would have made: an attachment for everyone, a job entry for the first
# job start, a sustained job at 26 weeks; paid before the month claimed, waiting in it.
INSERT_CLAIMS = """
INSERT INTO programmes_claim (
    id, created_at, updated_at, programme_id, participation_id, partner_id, outcome, amount, achieved_on,
    status, rejected_reason, correction, reversed_reason
)
SELECT md5(o.outcome || p.id::text)::uuid, now(), now(), p.programme_id, p.id, p.partner_id, o.outcome, o.amount,
       o.achieved_on, CASE WHEN o.achieved_on < %(month)s THEN 'paid' ELSE 'pending' END, '', '', ''
FROM programmes_participation p
CROSS JOIN LATERAL (VALUES ('attachment', 1500.00, p.started_on), ('job_entry', 600.00, p.first_job_on),
                           ('sustained', 900.00, p.sustained_on)) AS o(outcome, amount, achieved_on)
WHERE p.programme_id = %(programme)s AND o.achieved_on IS NOT NULL AND o.achieved_on <= %(month_end)s
"""
INSERT_EVIDENCE = """
INSERT INTO programmes_claimevidence (
    id, created_at, updated_at, claim_id, kind, record_id, happened_on, described, document_note
)
SELECT md5('evidence' || c.id::text)::uuid, now(), now(), c.id,
       CASE c.outcome WHEN 'attachment' THEN 'enrolment' WHEN 'job_entry' THEN 'job_start' ELSE 'sustainment' END,
       c.participation_id, c.achieved_on, 'Synthetic evidence', 'Seen'
FROM programmes_claim c WHERE c.programme_id = %(programme)s
"""

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
    from decimal import Decimal

    from django.db import connection, transaction
    from django.utils import timezone

    from joinedup.demo.synth import SYNTH_ODS
    from joinedup.directory.areas import area_for_postcode
    from joinedup.organisations.models import Membership, Role
    from joinedup.organisations.selectors import delivery_partners
    from joinedup.programmes import services
    from joinedup.programmes.choices import FunderKind, Outcome, TariffModel
    from joinedup.programmes.models import Programme
    from joinedup.programmes.services.claims import month_end
    from joinedup.programmes.tally import tallies_rebuild

    load(args.people, args.seed, reload=False)
    connection.close()
    manager = (
        Membership.objects.filter(organisation__ods_code=SYNTH_ODS, role=Role.PROGRAMME_MANAGER)
        .select_related("user", "organisation")
        .order_by("user__username")
        .first()
    )
    assert manager is not None, "no synthetic programme manager"
    partners = list(delivery_partners().filter(ods_code=SYNTH_ODS).values_list("pk", flat=True))
    for left in Programme.objects.filter(code=CODE).values_list("pk", flat=True):  # a run cut short
        remove(left)
    today = timezone.localdate()
    starts, ends = date(today.year - 4, 1, 1), date(today.year + 1, 12, 31)
    programme = services.programme_create(
        actor=manager,
        name="Benchmark programme",
        code=CODE,
        investment_priority="1.4",
        starts_on=starts,
        ends_on=ends,
        contract_value=Decimal(10) ** 9,
        funders=[
            services.FunderInput("ESF", FunderKind.ESF, Decimal(50)),
            services.FunderInput("Match", FunderKind.MATCH, Decimal(50)),
        ],
    )
    for pk in partners:
        services.contract_set(
            actor=manager, programme=programme, partner_id=pk, allocated_starts=1000, value=Decimal(10**6)
        )
    services.tariff_set(
        actor=manager,
        programme=programme,
        model=TariffModel.OUTCOMES,
        price_per_participant=Decimal(3000),
        delivery_fee_percent=Decimal(0),
        rules=[
            services.RuleInput(Outcome.ATTACHMENT, Decimal(50), "Enrolled"),
            services.RuleInput(Outcome.JOB_ENTRY, Decimal(20), "16 hours", min_hours_per_week=Decimal(16)),
            services.RuleInput(Outcome.SUSTAINED, Decimal(30), "26 weeks", sustained_weeks=26),
        ],
    )
    for year in range(starts.year, ends.year + 1):
        services.target_set(
            actor=manager, programme=programme, year=year, starts=20000, job_entries=7000, sustained_jobs=4000
        )
    month = (today.replace(day=1) - timedelta(days=1)).replace(day=1)
    params: dict[str, Any] = {
        "programme": programme.pk,
        "partners": partners,
        "month": month,
        "month_end": month_end(month),
    }
    with connection.cursor() as cur:  # each postcode district's local authority, as esf_record derives it
        cur.execute("SELECT DISTINCT split_part(postcode, ' ', 1) FROM people_person")
        districts = [d for (d,) in cur.fetchall() if d]
    params["districts"] = districts
    params["areas"] = [area_for_postcode(d) or "" for d in districts]
    hashes = {f"h{n}": _h(n) for n in (13, 14, 15)}
    insert = INSERT_PARTICIPATIONS.format(
        esf_columns=", ".join(PARTICIPATION), esf_values=", ".join(PARTICIPATION.values()), **hashes
    )
    started = time.perf_counter()
    with transaction.atomic(), connection.cursor() as cur:
        cur.execute(insert, params)
        participations = cur.rowcount
        cur.execute(INSERT_CLAIMS, params)
        claims = cur.rowcount
        cur.execute(INSERT_EVIDENCE, params)
        cur.execute("ANALYZE programmes_participation; ANALYZE programmes_claim")
    print(f"{participations:,} participations and {claims:,} claims in {time.perf_counter() - started:.1f} s")
    started = time.perf_counter()
    tally_rows = tallies_rebuild(programme)  # what the services keep in step, counted once for the bulk rows
    rebuild_seconds = time.perf_counter() - started
    with connection.cursor() as cur:
        cur.execute("ANALYZE programmes_programmetally")
    print(f"{tally_rows:,} tallies rebuilt in {rebuild_seconds:.1f} s")

    figures: Figures = []
    try:
        time_esf(figures, programme, manager, params, args.repeats)
        mid_months = (date(starts.year + 2, 1, 15), date(starts.year + 3, 6, 20))  # part-months at each end
        time_esf(figures, programme, manager, params, args.repeats, mid_months, "esf_return (mid-month period)")
        time_page(figures, programme, manager, params, args.repeats)
        time_claim_run(figures, programme, manager, params, args.claim_runs)
    finally:
        remove(programme.pk)
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

REMOVE = [
    "DELETE FROM programmes_programmetally WHERE programme_id = %s",
    "DELETE FROM programmes_claimevidence WHERE claim_id IN (SELECT id FROM programmes_claim WHERE programme_id = %s)",
    "DELETE FROM programmes_claim WHERE programme_id = %s",
    "DELETE FROM programmes_claimbatch WHERE programme_id = %s",
    "DELETE FROM programmes_participation WHERE programme_id = %s",
]


def remove(pk: Any) -> None:
    """The benchmark's programme and its bulk rows, in bulk (the ORM's cascade would read them all)."""
    from django.db import connection, transaction

    from joinedup.programmes.models import Programme

    with transaction.atomic(), connection.cursor() as cur:
        for sql in REMOVE:
            cur.execute(sql, [pk])
        Programme.objects.filter(pk=pk).delete()


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


def time_page(figures: Figures, programme: Any, manager: Any, params: dict[str, Any], repeats: int) -> None:
    """The performance page as the programme manager sees it, against the SQL of its figures."""
    from django.db import connection

    from joinedup.testkit import SignInClient

    year = programme.starts_on.year + 3
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
