"""Timeliness selectors at scale against hand-written SQL on the same data (issue 4).

    python -m bench.timeliness [--people 20000] [--seed 2026] [--repeats 30]

Uses the benchmark database (`bench.database`: ``joinedup_bench`` unless ``BENCH_DATABASE_URL``
says otherwise) with the synthetic partnership of `bench.run` at the same size and seed, loading it
if it is not there. Times, alternating with its baseline each round:

* ``responsiveness_by_partner`` for every delivery partner (two ORM queries, medians in Python)
  against one PostgreSQL query computing the same figures with ``percentile_cont``;
* ``overdue_queues`` as the programme manager (four queries) against the two bare SQL lists and
  counts it stands for.

Checks that selector and baseline agree, and writes ``var/bench/timeliness.json`` in the shape of
`bench.run` (``{"figure","value","unit","size","database","date","machine"}``).
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import sys
from datetime import datetime, timedelta
from pathlib import Path

from bench.common import timed

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "var" / "bench"
os.environ["DJANGO_SETTINGS_MODULE"] = "bench.settings"

RESPONSIVENESS_SQL = """
WITH decisions AS (
    -- A partner's decisions: accepting or a triage decline of a referral it holds, or declining one
    -- back to triage ('returned', attributed to the partner that declined it).
    SELECT r.id, r.created_at, sc.to_status, sc.at,
           CASE WHEN sc.to_status = 'returned' THEN sc.by_organisation_id ELSE r.delivery_partner_id END AS partner
    FROM referrals_referral r
    JOIN referrals_referralstatuschange sc ON sc.referral_id = r.id
    WHERE ((sc.to_status IN ('assigned', 'declined') AND r.delivery_partner_id = ANY(%(ids)s))
       OR (sc.to_status = 'returned' AND sc.by_organisation_id = ANY(%(ids)s)))
      AND (%(since)s::timestamptz IS NULL OR r.created_at >= %(since)s::timestamptz)
), firsts AS (
    SELECT id, partner, MIN(created_at) AS created_at,
           MIN(at) FILTER (WHERE to_status = 'assigned') AS accepted_at,
           MIN(at) FILTER (WHERE to_status IN ('declined', 'returned')) AS declined_at
    FROM decisions
    GROUP BY id, partner
), decided AS (
    SELECT partner, created_at, accepted_at, declined_at,
           declined_at IS NOT NULL AND (accepted_at IS NULL OR declined_at >= accepted_at) AS declined
    FROM firsts
), contact AS (
    SELECT r.delivery_partner_id AS partner,
           percentile_cont(0.5) WITHIN GROUP (
               ORDER BY c.first - (r.created_at AT TIME ZONE 'Europe/London')::date
           ) AS median_first_contact
    FROM cases_case k
    JOIN referrals_referral r ON r.id = k.referral_id
    -- each case's first contact through the (case_id, happened_on) index, only for the cases counted
    CROSS JOIN LATERAL (SELECT MIN(happened_on) AS first FROM cases_contact WHERE case_id = k.id) c
    WHERE r.delivery_partner_id = ANY(%(ids)s) AND c.first IS NOT NULL
      AND (%(since)s::timestamptz IS NULL OR r.created_at >= %(since)s::timestamptz)
    GROUP BY 1
)
SELECT d.partner,
       COUNT(*) FILTER (WHERE NOT d.declined) AS accepted,
       COUNT(*) FILTER (WHERE d.declined) AS declined,
       percentile_cont(0.5) WITHIN GROUP (ORDER BY EXTRACT(EPOCH FROM d.accepted_at - d.created_at) / 86400)
           FILTER (WHERE NOT d.declined) AS median_accept,
       MAX(c.median_first_contact) AS median_first_contact
FROM decided d LEFT JOIN contact c ON c.partner = d.partner
GROUP BY d.partner
"""

OVERDUE_SQL = [
    "SELECT r.id, r.reference, o.name FROM referrals_referral r JOIN organisations_organisation o "
    "ON o.id = r.referring_organisation_id WHERE r.status IN ('received', 'returned') "
    "AND r.created_at < %(triage)s ORDER BY r.created_at LIMIT 200",
    "SELECT COUNT(*) FROM referrals_referral WHERE status IN ('received', 'returned') AND created_at < %(triage)s",
    "SELECT r.id, r.reference, o.name FROM referrals_referral r JOIN organisations_organisation o "
    "ON o.id = r.delivery_partner_id WHERE r.status = 'routed' AND r.status_changed_at < %(decision)s "
    "ORDER BY r.status_changed_at LIMIT 200",
    "SELECT COUNT(*) FROM referrals_referral WHERE status = 'routed' AND status_changed_at < %(decision)s",
]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--people", type=int, default=20_000)
    parser.add_argument("--seed", type=int, default=2026)
    parser.add_argument("--repeats", type=int, default=30)
    args = parser.parse_args(argv)

    sys.path.insert(0, str(ROOT))
    from bench.common import figure_recorder, percentile
    from bench.database import bench_database_url, ensure_database
    from bench.run import load, manage

    url = bench_database_url()
    if ensure_database(url):
        print(f"Created database {url.rsplit('/', 1)[-1]}")
    manage("migrate", "--noinput", "-v0")

    import django

    django.setup()
    from django.conf import settings
    from django.db import connection
    from django.utils import timezone

    from joinedup.demo.synth import SYNTH_ODS
    from joinedup.organisations.models import Membership, Role
    from joinedup.organisations.selectors import delivery_partners
    from joinedup.referrals.timeliness import (
        RESPONSIVENESS_WINDOW_DAYS,
        overdue_cutoff,
        overdue_queues,
        responsiveness_by_partner,
    )

    load(args.people, args.seed, reload=False)
    connection.close()
    ids = list(delivery_partners().values_list("pk", flat=True))
    manager = (
        Membership.objects.filter(organisation__ods_code=SYNTH_ODS, role=Role.PROGRAMME_MANAGER)
        .select_related("user", "organisation")
        .order_by("user__username")
        .first()
    )
    today = timezone.localdate()
    cutoffs = {
        "triage": overdue_cutoff(settings.TIMELINESS_TRIAGE_WORKING_DAYS, today=today),
        "decision": overdue_cutoff(settings.TIMELINESS_DECISION_WORKING_DAYS, today=today),
    }

    # The timeliness page's window: referrals received in the last RESPONSIVENESS_WINDOW_DAYS.
    since = today - timedelta(days=RESPONSIVENESS_WINDOW_DAYS)
    since_at = timezone.make_aware(datetime.combine(since, datetime.min.time()))

    def selector_responsiveness() -> dict:
        return responsiveness_by_partner(organisation_ids=ids)

    def baseline_responsiveness() -> list:
        with connection.cursor() as cur:
            cur.execute(RESPONSIVENESS_SQL, {"ids": ids, "since": None})
            return cur.fetchall()

    def selector_window() -> dict:
        return responsiveness_by_partner(organisation_ids=ids, since=since)

    def baseline_window() -> list:
        with connection.cursor() as cur:
            cur.execute(RESPONSIVENESS_SQL, {"ids": ids, "since": since_at})
            return cur.fetchall()

    def selector_overdue() -> object:
        return overdue_queues(actor=manager, today=today)

    def baseline_overdue() -> list:
        with connection.cursor() as cur:
            out = []
            for sql in OVERDUE_SQL:
                cur.execute(sql, cutoffs)
                out.append(cur.fetchall())
            return out

    # The selector and the baseline must say the same thing, all time and in the page's window.
    all_time = selector_responsiveness()  # about 10 s at 500,000 people: read once, checked and counted
    for mine, rows in ((all_time, baseline_responsiveness()), (selector_window(), baseline_window())):
        for partner, accepted, declined, median_accept, median_contact in rows:
            r = mine[partner]
            assert (r.accepted, r.declined) == (accepted, declined), (partner, r, accepted, declined)
            if median_accept is not None:
                assert abs(r.median_days_to_accept - median_accept) < 0.1, (r.median_days_to_accept, median_accept)
            if median_contact is not None:
                assert abs(r.median_days_to_first_contact - median_contact) < 0.6
    queues = selector_overdue()
    plain = baseline_overdue()
    assert (queues.untriaged_total, queues.undecided_total) == (plain[1][0][0], plain[3][0][0])
    routed = sum(r.routed for r in all_time.values())

    results: dict[str, dict[str, list[float]]] = {}
    for name, selector, baseline in (
        ("responsiveness_by_partner", selector_responsiveness, baseline_responsiveness),
        (f"responsiveness_last_{RESPONSIVENESS_WINDOW_DAYS}_days", selector_window, baseline_window),
        ("overdue_queues", selector_overdue, baseline_overdue),
    ):
        for _ in range(3):  # warm up
            selector()
            baseline()
        times: dict[str, list[float]] = {"selector": [], "baseline": []}
        for k in range(args.repeats):
            pair = [("selector", selector), ("baseline", baseline)]
            for label, fn in pair if k % 2 == 0 else reversed(pair):
                times[label].append(timed(fn))
        results[name] = times

    with connection.cursor() as cur:
        cur.execute("SELECT current_setting('server_version')")
        database = f"PostgreSQL {cur.fetchone()[0].split()[0]}"
    figures: list[dict] = []
    figure = figure_recorder(figures, size=args.people, database=database)

    print(f"{args.people:,} people; {routed:,} referrals routed to {len(ids)} delivery partners.")
    for name, times in results.items():
        p50, base50 = statistics.median(times["selector"]), statistics.median(times["baseline"])
        p95, base95 = percentile(times["selector"], 95), percentile(times["baseline"], 95)
        figure(f"{name} p50", p50, "ms")
        figure(f"{name} p95", p95, "ms")
        figure(f"{name} baseline p50", base50, "ms")
        figure(f"{name} baseline p95", base95, "ms")
        figure(f"{name} ratio p50", p50 / base50, "x baseline")
        print(f"  {name}: p50 {p50:.1f} ms (SQL baseline {base50:.1f} ms, {p50 / base50:.2f}x), p95 {p95:.1f} ms")
    figure("timeliness referrals routed", routed, "referrals")
    OUT.mkdir(parents=True, exist_ok=True)
    (OUT / "timeliness.json").write_text(json.dumps(figures, indent=2))
    print(f"Wrote {OUT / 'timeliness.json'}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
