"""`make bench`: load a synthetic partnership, then time the main pages against bare baselines.

    python -m bench.run --people 20000 [--seed 2026] [--requests 200] [--warmup 20]

1. Uses the PostgreSQL database ``joinedup_bench`` (see `bench.database`), creating and migrating
   it if need be, and loads ``manage.py synth`` data at the requested size and seed unless that is
   what is already there.
2. Drives each page through the whole Django stack (middleware, sessions, permissions, selectors,
   templates) with ``django.test.Client`` and ``bench.settings`` (DEBUG off, persistent
   connections), signed in with ``force_login`` as the role that uses the page. Each page request
   is paired with a request to its baseline (`bench.baseline_views`), alternating which goes first.
3. Reports p50 and p95 latency, SQL queries per request, the peak Python memory one request
   allocates (tracemalloc, measured separately because tracing slows requests down) and the ratio
   of the page's p95 to its baseline's p95. Writes ``var/bench/latest.json`` (and a dated copy) and
   prints a table.

To add a page (for example directory search, issue 3): write its baseline view in
`bench.baseline_views`, mount it in `bench.urls`, and add a `Page` to `Bench.pages`.
"""

from __future__ import annotations

import argparse
import cProfile
import json
import os
import pstats
import random
import re
import resource
import statistics
import subprocess
import sys
import time
import tracemalloc
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path

from bench.common import figure_recorder, machine, percentile

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "var" / "bench"
CALLS_REQUESTS = 10  # requests counted under cProfile for each page, the same ones in every run
os.environ["DJANGO_SETTINGS_MODULE"] = "bench.settings"


@dataclass
class Page:
    name: str  # used in figure names: "<name> p95"
    title: str
    page: Callable[[int], object]  # the k-th request to the real page; returns the response
    baseline: Callable[[int], object]
    expect: int = 200


def manage(*args: str, capture: bool = False) -> str:
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "bench.settings"}
    result = subprocess.run(  # noqa: S603 - this Python running this project's manage.py
        [sys.executable, str(ROOT / "manage.py"), *args],
        env=env,
        cwd=ROOT,
        check=True,
        text=True,
        stdout=subprocess.PIPE if capture else None,
    )
    if capture:
        sys.stdout.write(result.stdout)
    return result.stdout or ""


def load(people: int, seed: int, reload: bool) -> dict | None:
    """Make sure the synthetic data is there; if it had to be loaded, return how long it took."""
    from joinedup.demo.synth import FORMAT_VERSION, synth_info

    info = synth_info()
    if info and (info.seed, info.people, info.version) == (seed, people, FORMAT_VERSION) and not reload:
        print(f"Reusing synthetic data: seed {seed}, {people:,} people, as of {info.as_of}.")
        return None
    print(f"Loading synthetic data: seed {seed}, {people:,} people …", flush=True)
    started = time.perf_counter()
    output = manage("synth", "--people", str(people), "--seed", str(seed), "--reset", "--force", capture=True)
    wall = time.perf_counter() - started
    match = re.search(r"in ([0-9.]+) s", output)
    vacuum = re.search(r"VACUUM ANALYZE: ([0-9.]+) s", output)
    record = {
        "people": people,
        "seed": seed,
        "load_seconds": float(match.group(1)) if match else wall,
        "vacuum_seconds": float(vacuum.group(1)) if vacuum else 0.0,
        "wall_seconds": round(wall, 1),
        "date": date.today().isoformat(),
    }
    OUT.mkdir(parents=True, exist_ok=True)
    (OUT / f"synth-{people}-{seed}.json").write_text(json.dumps(record, indent=2))
    return record


class Bench:
    """The signed-in clients, the records to ask for, and the pages."""

    def __init__(self, seed: int) -> None:
        from django.contrib.auth import get_user_model
        from django.db.models import Count
        from django.test import Client

        from joinedup.api.services import api_token_issue
        from joinedup.cases.models import Case
        from joinedup.demo.synth import SYNTH_ODS
        from joinedup.organisations.models import Membership, OrganisationKind, Role
        from joinedup.testkit import SignInClient

        rng = random.Random(seed)
        self.rng = rng
        # The Personal Adviser with the most cases: the heaviest caseload page in the partnership.
        busiest = (
            Case.objects.filter(delivery_partner__ods_code=SYNTH_ODS)
            .values("adviser")
            .annotate(n=Count("id"))
            .order_by("-n", "adviser")
            .first()
        )
        adviser = get_user_model().objects.get(pk=busiest["adviser"])
        self.adviser = Membership.objects.select_related("organisation").get(user=adviser, role=Role.PERSONAL_ADVISER)
        self.adviser_cases = busiest["n"]
        self.adviser_active = Case.objects.filter(adviser=adviser).exclude(stage="closed").count()
        self.partner_id = self.adviser.organisation_id
        case_ids = list(
            Case.objects.filter(delivery_partner_id=self.partner_id).order_by("id").values_list("id", flat=True)
        )
        self.partner_cases = len(case_ids)
        self.case_ids = rng.sample(case_ids, min(500, len(case_ids)))
        synthetic = Membership.objects.filter(organisation__ods_code=SYNTH_ODS).select_related("user", "organisation")
        self.programme_manager = synthetic.filter(role=Role.PROGRAMME_MANAGER).order_by("user__username").first()
        self.referrer = (
            synthetic.filter(role=Role.REFERRER, organisation__kind=OrganisationKind.GP_PRACTICE)
            .order_by("user__username")
            .first()
        )
        self.token, key = api_token_issue(membership=self.referrer)
        self.auth = {"Authorization": f"Bearer {key}"}
        # Signed in with a verified second factor, as the pages now require (issue 17).
        self.as_adviser = SignInClient()
        self.as_adviser.force_login(self.adviser.user)
        self.as_manager = SignInClient()
        self.as_manager.force_login(self.programme_manager.user)
        self.anonymous = Client()
        self.created: list[str] = []  # referrals made by the API measurements, removed afterwards
        partner, uid = self.partner_id, self.adviser.user_id

        def case(k: int) -> uuid.UUID:
            return self.case_ids[k % len(self.case_ids)]

        self.pages = [
            Page(
                "caseload",
                "Adviser caseload, /cases/ (Personal Adviser, own cases)",
                lambda k: self.as_adviser.get("/cases/"),
                lambda k: self.anonymous.get(f"/_bench/baseline/caseload/?partner={partner}&adviser={uid}"),
            ),
            Page(
                "caseload_all",
                "Partner caseload, /cases/?show=all (everyone's cases at the partner)",
                lambda k: self.as_adviser.get("/cases/?show=all"),
                lambda k: self.anonymous.get(f"/_bench/baseline/caseload/?partner={partner}&adviser={uid}&all=1"),
            ),
            Page(
                "person",
                "Person record, /cases/<id>/ (random cases at the adviser's partner)",
                lambda k: self.as_adviser.get(f"/cases/{case(k)}/"),
                lambda k: self.anonymous.get(f"/_bench/baseline/case/{case(k)}/?partner={partner}&actor={uid}"),
            ),
            Page(
                "triage",
                "Triage queue, /referrals/triage/ (programme manager)",
                lambda k: self.as_manager.get("/referrals/triage/"),
                lambda k: self.anonymous.get("/_bench/baseline/triage/"),
            ),
            Page(
                "dashboard",
                "Dashboard, /dashboard/ (programme manager)",
                lambda k: self.as_manager.get("/dashboard/"),
                lambda k: self.anonymous.get("/_bench/baseline/dashboard/"),
            ),
            Page(
                "referral_create",
                "Referral create, POST /api/v1/referrals/ (GP system, bearer token)",
                lambda k: self._post("/api/v1/referrals/"),
                lambda k: self._post("/_bench/baseline/referral/"),
                expect=201,
            ),
        ]

    def _post(self, path: str):
        rng = self.rng
        body = {
            "given_name": rng.choice(["Sam", "Alex", "Priya", "Tom", "Aisha", "Gareth", "Mia", "Kwame"]),
            "family_name": rng.choice(["Smith", "Patel", "Jones", "Okafor", "Taylor", "Nowak", "Evans"]),
            "date_of_birth": f"{rng.randint(1962, 2006)}-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}",
            "postcode": f"NG{rng.randint(1, 25)} {rng.randint(1, 9)}AB",
            "email": "",
            "phone": "07700 900123",
            "nhs_number": "",
            "employment_status": "unemployed",
            "benefits": ["uc_lcw"],
            "health_condition": "mental_health",
            "help_wanted": "Confidence and finding part-time work",
            "consent_referral": True,
            "consent_share_progress": rng.random() < 0.85,
        }
        response = self.anonymous.post(
            path,
            data=json.dumps(body),
            content_type="application/json",
            headers={**self.auth, "Idempotency-Key": str(uuid.UUID(int=rng.getrandbits(128)))},
        )
        if response.status_code in (200, 201):
            self.created.append(response.json()["id"])
        return response

    def clean_up(self) -> None:
        """Remove what the API measurements made, so the data stays at its size; revoke the token."""
        from django.db import transaction
        from django.utils import timezone

        from joinedup.api.models import ApiToken
        from joinedup.outcomes.services import tallies_rebuild
        from joinedup.people.models import Consent, Person
        from joinedup.referrals.models import Referral, ReferralStatusChange

        with transaction.atomic():
            for start in range(0, len(self.created), 500):
                ids = self.created[start : start + 500]
                people = list(Referral.objects.filter(pk__in=ids).values_list("person_id", flat=True))
                ReferralStatusChange.objects.filter(referral_id__in=ids)._raw_delete("default")
                Referral.objects.filter(pk__in=ids)._raw_delete("default")
                Consent.objects.filter(person_id__in=people)._raw_delete("default")
                Person.objects.filter(pk__in=people)._raw_delete("default")
            ApiToken.objects.filter(pk=self.token.pk).update(revoked_at=timezone.now())
        tallies_rebuild()  # the dashboard's tallies, without what was removed
        self.created.clear()


def measure(page: Page, *, requests: int, warmup: int, budget: float, memory_requests: int) -> dict:
    from django.db import connection

    def check(response, what: str) -> None:
        if response.status_code != page.expect:
            raise SystemExit(f"{page.name} {what}: HTTP {response.status_code}, expected {page.expect}")

    k = 0
    for _ in range(warmup):
        check(page.page(k), "page")
        check(page.baseline(k), "baseline")
        k += 1
    times: list[float] = []
    base_times: list[float] = []
    started = time.perf_counter()
    for n in range(requests):
        order = (page.page, page.baseline) if n % 2 == 0 else (page.baseline, page.page)
        for fn in order:
            t0 = time.perf_counter()
            response = fn(k)
            elapsed = time.perf_counter() - t0
            check(response, "page" if fn is page.page else "baseline")
            (times if fn is page.page else base_times).append(elapsed * 1000)
        k += 1
        if time.perf_counter() - started > budget and n + 1 >= 30:
            break
    counts = []
    for fn, what in ((page.page, "page"), (page.baseline, "baseline")):
        executed: list[str] = []

        def count(execute, sql, params, many, context, executed=executed):
            executed.append(sql)
            return execute(sql, params, many, context)

        with connection.execute_wrapper(count):
            check(fn(k), what)
        counts.append(len(executed))
    k += 1
    # Python's work per request, counted rather than timed: cProfile's function calls over the same
    # requests in every run. It does not move with the machine's noise (CPU time moved by up to 30%
    # between runs of the same code), so it shows what a change to the code did (decision 013).
    profile = cProfile.Profile()
    for i in range(CALLS_REQUESTS):
        profile.enable()
        check(page.page(i), "page")
        profile.disable()
    calls = sum(nc for _cc, nc, _tt, _ct, _callers in pstats.Stats(profile).stats.values()) / CALLS_REQUESTS
    peaks = []
    tracemalloc.start()
    for _ in range(memory_requests):
        before = tracemalloc.get_traced_memory()[0]
        tracemalloc.reset_peak()
        page.page(k)
        peaks.append(tracemalloc.get_traced_memory()[1] - before)
        k += 1
    tracemalloc.stop()
    p95, base_p95 = percentile(times, 95), percentile(base_times, 95)
    return {
        "requests": len(times),
        "p50": statistics.median(times),
        "p95": p95,
        "queries": counts[0],
        "calls": calls,
        "peak_mib": max(peaks) / 1024 / 1024 if peaks else 0.0,
        "baseline_p50": statistics.median(base_times),
        "baseline_p95": base_p95,
        "baseline_queries": counts[1],
        "ratio": p95 / base_p95 if base_p95 else float("nan"),
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--people", type=int, default=20_000)
    parser.add_argument("--seed", type=int, default=2026)
    parser.add_argument("--requests", type=int, default=200, help="Timed requests per page (and per baseline)")
    parser.add_argument("--warmup", type=int, default=20)
    parser.add_argument(
        "--budget", type=float, default=90, help="Seconds per page before stopping early (≥30 requests)"
    )
    parser.add_argument("--memory-requests", type=int, default=10)
    parser.add_argument("--pages", help="Comma-separated page names to run (default all)")
    parser.add_argument("--reload", action="store_true", help="Load the synthetic data again even if it is there")
    args = parser.parse_args(argv)

    sys.path.insert(0, str(ROOT))
    from bench.database import bench_database_url, ensure_database

    url = bench_database_url()
    if ensure_database(url):
        print(f"Created database {url.rsplit('/', 1)[-1]}")
    manage("migrate", "--noinput", "-v0")

    import django

    django.setup()
    from django.db import connection

    synth = load(args.people, args.seed, args.reload)
    connection.close()
    with connection.cursor() as cur:
        cur.execute("SELECT current_setting('server_version'), pg_database_size(current_database())")
        version, size_bytes = cur.fetchone()
    database = f"PostgreSQL {version.split()[0]}"
    bench = Bench(args.seed)
    print(
        f"Adviser: {bench.adviser.user.username} at {bench.adviser.organisation.name}: {bench.adviser_cases} cases "
        f"({bench.adviser_active} active); the partner has {bench.partner_cases:,} cases."
    )
    pages = bench.pages
    if args.pages:
        wanted = set(args.pages.split(","))
        pages = [p for p in pages if p.name in wanted]
    results: dict[str, dict] = {}
    load_start = os.getloadavg()[0]
    try:
        for page in pages:
            print(f"  {page.title} …", flush=True)
            results[page.name] = measure(
                page,
                requests=args.requests,
                warmup=args.warmup,
                budget=args.budget,
                memory_requests=args.memory_requests,
            )
    finally:
        bench.clean_up()

    today = date.today().isoformat()
    where = machine()
    figures: list[dict] = []
    figure = figure_recorder(figures, size=args.people, database=database)

    for name, r in results.items():
        figure(f"{name} p50", r["p50"], "ms")
        figure(f"{name} p95", r["p95"], "ms")
        figure(f"{name} queries", r["queries"], "queries/request")
        figure(f"{name} python calls", r["calls"], "function calls/request")
        figure(f"{name} peak memory", r["peak_mib"], "MiB")
        figure(f"{name} baseline p50", r["baseline_p50"], "ms")
        figure(f"{name} baseline p95", r["baseline_p95"], "ms")
        figure(f"{name} baseline queries", r["baseline_queries"], "queries/request")
        figure(f"{name} ratio p95", r["ratio"], "x baseline")
        figure(f"{name} requests", r["requests"], "requests")
    # Other work on the machine shows here; the ratios to the interleaved baselines discount it.
    figure("load average at start", load_start, "1-minute load average")
    figure("load average at end", os.getloadavg()[0], "1-minute load average")
    figure("database size", size_bytes / 1024 / 1024, "MiB")
    figure("bench process max RSS", resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, "MiB")
    synth_file = OUT / f"synth-{args.people}-{args.seed}.json"
    if synth is None and synth_file.exists():
        synth = json.loads(synth_file.read_text())
    if synth:
        figure("synth load", synth["load_seconds"], "s")
        figure("synth people per second", args.people / synth["load_seconds"], "people/s")
        figure("synth vacuum analyze", synth["vacuum_seconds"], "s")
        figures[-3]["date"] = figures[-2]["date"] = figures[-1]["date"] = synth["date"]

    OUT.mkdir(parents=True, exist_ok=True)
    text = json.dumps(figures, indent=2)
    (OUT / "latest.json").write_text(text)
    stamp = datetime.now().strftime("%Y%m%d-%H%M%S")
    (OUT / f"run-{args.people}-{stamp}.json").write_text(text)

    print()
    print(f"{args.people:,} people, {database}, {where}, {today}")
    header = f"{'page':<16}{'n':>5}{'p50 ms':>9}{'p95 ms':>9}{'queries':>9}{'calls':>8}{'peak MiB':>10}"
    header += f"{'base p50':>10}{'base p95':>10}{'base q':>8}{'p95 ratio':>11}"
    print(header)
    print("-" * len(header))
    for name, r in results.items():
        print(
            f"{name:<16}{r['requests']:>5}{r['p50']:>9.1f}{r['p95']:>9.1f}{r['queries']:>9}{r['calls']:>8.0f}"
            f"{r['peak_mib']:>10.2f}"
            f"{r['baseline_p50']:>10.1f}{r['baseline_p95']:>10.1f}{r['baseline_queries']:>8}{r['ratio']:>11.1f}"
        )
    print(f"load average {load_start:.1f} at start, {os.getloadavg()[0]:.1f} at end")
    print(f"database {size_bytes / 1024 / 1024:,.0f} MiB", end="")
    if synth:
        print(
            f"; synthetic load {synth['load_seconds']:.1f} s ({args.people / synth['load_seconds']:,.0f} people/s)"
            f" + VACUUM ANALYZE {synth['vacuum_seconds']:.1f} s, measured {synth['date']}",
            end="",
        )
    print(f"\nWritten to {OUT / 'latest.json'}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
