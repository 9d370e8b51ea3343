"""The before/after measurement for the case list change (docs/benchmarks.md, "Changes made").

    python -m bench.ab_case_list [requests per variant, default 60] [dashboard requests, default 20]

Run after `bench.run` has loaded the data. Interleaves, request by request, the caseload pages with
the case list as it was (Count/Max over a join) and as it is (correlated subqueries), each with and
without the index on Case (delivery_partner, enrolled_on) — dropped inside a transaction that is
rolled back, so the database is left as it was — and the dashboard with and without that index.
"""

from __future__ import annotations

import os
import statistics
import sys
import time

os.environ["DJANGO_SETTINGS_MODULE"] = "bench.settings"

INDEX = "cases_case_deliver_01c0af_idx"  # from cases/0002_case_partner_enrolled_index


def main() -> None:
    import django

    django.setup()
    from django.db import connection, transaction
    from django.db.models import Count, Max

    from bench.common import percentile
    from bench.run import Bench
    from joinedup.cases import selectors
    from joinedup.cases.models import Case
    from joinedup.core.errors import NotPermitted
    from joinedup.organisations.permissions import Perm, has_perm

    current = selectors.case_list

    def join_and_group(*, actor, mine_only: bool = False):
        if not has_perm(actor, Perm.CASE_VIEW_ORG):
            raise NotPermitted("You do not have permission to see cases.")
        qs = (
            Case.objects.filter(delivery_partner=actor.organisation)
            .select_related("person", "adviser", "referral")
            .annotate(contact_count=Count("contacts"), last_contact_on=Max("contacts__happened_on"))
        )
        return qs.filter(adviser=actor.user) if mine_only else qs

    requests = int(sys.argv[1]) if len(sys.argv) > 1 else 60
    dashboard_requests = int(sys.argv[2]) if len(sys.argv) > 2 else 20
    bench = Bench(2026)
    pages = {p.name: p for p in bench.pages}

    def run(page, k: int, case_list, index: bool) -> float:
        selectors.case_list = case_list
        with transaction.atomic():
            if not index:
                with connection.cursor() as cur:
                    cur.execute(f"DROP INDEX {INDEX}")
            started = time.perf_counter()
            response = page.page(k)
            elapsed = time.perf_counter() - started
            transaction.set_rollback(True)
        if response.status_code != 200:
            raise SystemExit(f"{page.name}: HTTP {response.status_code}")
        return elapsed * 1000

    plans = [
        ("caseload", requests, {"before, no index": (join_and_group, False), "after, no index": (current, False),
                                "after, with index": (current, True)}),
        ("caseload_all", requests, {"before, no index": (join_and_group, False), "after, no index": (current, False),
                                    "after, with index": (current, True)}),
        ("dashboard", dashboard_requests, {"no index": (current, False), "with index": (current, True)}),
    ]  # fmt: skip
    try:
        for name, n, variants in plans:
            page, keys = pages[name], list(variants)
            times: dict[str, list[float]] = {v: [] for v in keys}
            for k in range(3):  # warm up
                for v in keys:
                    run(page, k, *variants[v])
            for k in range(n):
                for v in keys[k % len(keys) :] + keys[: k % len(keys)]:
                    times[v].append(run(page, k, *variants[v]))
            for v, ts in times.items():
                print(
                    f"{name:<14} {v:<20} n={len(ts):>3} p50={statistics.median(ts):8.1f} ms "
                    f"p95={percentile(ts, 95):8.1f} ms",
                    flush=True,
                )
    finally:
        selectors.case_list = current
        bench.clean_up()


if __name__ == "__main__":
    main()
