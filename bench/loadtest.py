"""`make loadtest`: a bounded, loopback-only load test of adviser and referrer traffic (issue 6).

    python -m bench.loadtest [--people 20000] [--users 100] [--pace 1] [--seconds 300] [--workers 3] [--warmup 60]
    python -m bench.loadtest --steps "50 100 150 200 250" --step-seconds 30    # capacity (issue 19)

1. Uses the benchmark database (`bench.database`, ``joinedup_bench``), loading ``manage.py synth``
   data at ``--people`` unless it is already there (as ``make bench`` does).
2. Signs in synthetic users directly in the session store — Personal Advisers with their own active
   cases, referrers at GP practices with their referrals and an API token, programme managers — and
   writes that plan to ``var/bench/loadtest-plan.json`` (sessions expire with the database's session
   rules; tokens are revoked at the end).
3. Serves the real application with gunicorn (``bench.settings``: DEBUG off, persistent connections)
   on 127.0.0.1 only, and drives it with locust (`bench/locustfile.py`) headless for ``--warmup``
   seconds, not counted, then for ``--seconds``:
   ``--users`` simulated people each making ``--pace`` requests a second on average, at random
   moments (Poisson arrivals, `bench.locustfile.poisson_pacing`).
4. Reports throughput, p50/p95/p99 and errors overall and per request type, writes
   ``var/bench/loadtest.json`` (same figure shape as ``make bench``), and removes the contacts and
   referrals the run made so the data set keeps its size; VACUUM ANALYZE before and after.
5. With ``--steps``, instead of one run: the capacity. Each offered load (requests a second, the
   same people each pacing load/people a second) runs for ``--step-seconds`` after the warm-up; a
   step is held when its p95 is at most 300 ms, no request failed and at least 90% of the offered
   requests were answered. Stops at the first step not held and prints the highest load held, with
   the gunicorn workers count; writes ``var/bench/loadtest-capacity.json``. Locust runs on the same
   cores as the server, so the figure is for the two together.
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import secrets
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "var" / "bench"
BIN = Path(sys.executable).parent
MARK = "Load test"  # in the notes of contacts and help wanted of referrals the run makes


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _plan(advisers: int, referrers: int) -> tuple[dict, list]:
    """Sessions for synthetic users, the records each will open, and API tokens for the referrers."""
    from django.conf import settings
    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
    from django.db.models import Count
    from django_otp import DEVICE_ID_SESSION_KEY

    from joinedup.api.services import api_token_issue
    from joinedup.cases.models import Case
    from joinedup.core.sessions import SessionStore
    from joinedup.demo.synth import SYNTH_ODS
    from joinedup.organisations.middleware import SESSION_KEY as MEMBERSHIP_KEY
    from joinedup.organisations.models import Membership, OrganisationKind, Role
    from joinedup.referrals.models import Referral
    from joinedup.testkit import verified_device

    def session(membership: Membership) -> str:
        store = SessionStore()
        store[SESSION_KEY] = str(membership.user.pk)
        store[BACKEND_SESSION_KEY] = settings.AUTHENTICATION_BACKENDS[-1]  # the first is django-axes's
        store[DEVICE_ID_SESSION_KEY] = verified_device(membership.user).persistent_id  # issue 17: two-factor
        store[HASH_SESSION_KEY] = membership.user.get_session_auth_hash()
        store[MEMBERSHIP_KEY] = str(membership.pk)
        store.create()
        return store.session_key

    synthetic = Membership.objects.filter(organisation__ods_code=SYNTH_ODS).select_related("user", "organisation")
    plan: dict[str, list[dict]] = {"advisers": [], "referrers": [], "managers": []}
    busiest = (
        Case.objects.filter(delivery_partner__ods_code=SYNTH_ODS)
        .exclude(stage="closed")
        .values("adviser")
        .annotate(n=Count("id"))
        .order_by("-n", "adviser")[:advisers]
    )
    for row in busiest:
        membership = synthetic.get(user_id=row["adviser"], role=Role.PERSONAL_ADVISER)
        cases = Case.objects.filter(adviser_id=row["adviser"]).exclude(stage="closed").order_by("id")
        plan["advisers"].append(
            {"session": session(membership), "cases": [str(pk) for pk in cases.values_list("id", flat=True)[:60]]}
        )
    tokens = []
    gps = synthetic.filter(role=Role.REFERRER, organisation__kind=OrganisationKind.GP_PRACTICE).order_by(
        "user__username"
    )
    for membership in gps[:referrers]:
        ids = Referral.objects.filter(referring_organisation=membership.organisation).order_by("-created_at")
        token, key = api_token_issue(membership=membership)
        tokens.append(token)
        plan["referrers"].append(
            {"session": session(membership), "referrals": [str(pk) for pk in ids.values_list("id", flat=True)[:60]]}
            | {"token": key}
        )
    areas = _need_areas()
    programme = _programme(synthetic.filter(role=Role.PROGRAMME_MANAGER).order_by("user__username").first())
    for membership in synthetic.filter(role=Role.PROGRAMME_MANAGER).order_by("user__username")[:2]:
        plan["managers"].append({"session": session(membership), "programme": programme, "areas": areas})
    vacancies = [str(pk) for pk in _open_vacancies()]
    for adviser in plan["advisers"]:
        adviser["vacancies"] = vacancies
    plan["people"] = _people_sessions(plan["advisers"], people=20)
    return plan, tokens


def _open_vacancies() -> list:
    """Open job vacancies (the synthetic partnership's, one in ten people), for the matching page."""
    from django.utils import timezone

    from joinedup.employers.models import Vacancy

    found = Vacancy.objects.filter(status="open", closing_on__gte=timezone.localdate(), kind="job").order_by("id")
    return list(found.values_list("pk", flat=True)[:40])


def _need_areas() -> list[str]:
    """The need data (open data shipped in joinedup/need/data, loaded once) and the partnership's
    authorities' codes, whose need pages the programme managers open."""
    from joinedup.demo.need import load_need_demo
    from joinedup.need.figures import LOWER
    from joinedup.need.models import Area

    if not Area.objects.exists():
        load_need_demo()
    return list(Area.objects.filter(current=True, kind__in=LOWER).order_by("code").values_list("code", flat=True)[:40])


def _programme(manager: Any) -> str:
    """The synthetic partnership's programme (`manage.py synth` sets it up with a participation per
    synthetic case and its tallies, decision 021): the performance page and the ESF return read it."""
    from joinedup.demo.synth.programmes import CODE
    from joinedup.programmes.models import Programme

    return str(Programme.objects.get(code=CODE).pk)


def _people_sessions(advisers: list[dict], *, people: int) -> list[dict]:
    """Signed-in sessions of the person's own pages (`/you/`, decision 022) for people with an
    active case, made as the emailed link's sign-in makes them (`portal.signin`)."""
    import secrets as tokens
    from datetime import timedelta

    from django.utils import timezone

    from joinedup.cases.models import Case
    from joinedup.portal.models import PersonSession
    from joinedup.portal.signin import digest

    cases = [c for a in advisers for c in a["cases"][:1]][:people]
    out = []
    now = timezone.now()
    for person_id in Case.objects.filter(pk__in=cases).values_list("person_id", flat=True):
        token = tokens.token_urlsafe(32)
        PersonSession.objects.create(
            person_id=person_id,
            token_digest=digest("session", token),
            idle_until=now + timedelta(hours=2),  # a load test outlasts the 20 minutes idle: it is in use
            expires_at=now + timedelta(hours=2),
            signed_in_with="link",
        )
        out.append({"token": token})
    return out


def _clean_up(started_at, tokens: list) -> dict[str, int]:
    from django.db import transaction
    from django.utils import timezone

    from joinedup.api.models import ApiToken
    from joinedup.cases.models import Contact
    from joinedup.outcomes.services import tallies_rebuild
    from joinedup.people.models import Consent, Person
    from joinedup.portal.models import PersonSession
    from joinedup.referrals.models import Referral, ReferralStatusChange

    with transaction.atomic():
        contacts = Contact.objects.filter(created_at__gte=started_at, notes__startswith=MARK)
        n_contacts = contacts.count()
        contacts._raw_delete("default")
        made = Referral.objects.filter(created_at__gte=started_at, help_wanted__startswith=MARK)
        ids = list(made.values_list("id", flat=True))
        people = list(made.values_list("person_id", flat=True))
        ReferralStatusChange.objects.filter(referral_id__in=ids)._raw_delete("default")
        Referral.objects.filter(pk__in=ids)._raw_delete("default")
        Consent.objects.filter(person_id__in=people)._raw_delete("default")
        Person.objects.filter(pk__in=people)._raw_delete("default")
        ApiToken.objects.filter(pk__in=[t.pk for t in tokens]).update(revoked_at=timezone.now())
        PersonSession.objects.filter(created_at__gte=started_at, ended_at__isnull=True).update(ended_at=timezone.now())
        tallies_rebuild()  # the dashboard's tallies, without what was removed
    return {"contacts": n_contacts, "referrals": len(ids)}


def _vacuum() -> None:
    """VACUUM ANALYZE, as autovacuum would (it may be off, as on these machines): each run's
    clean-up deletes rows and rebuilds the dashboard's tallies, and the next run would otherwise
    read past every dead row it left (226,681 in a tally table of 17,436 after 13 runs)."""
    from django.db import connection

    with connection.cursor() as cur:
        cur.execute("VACUUM ANALYZE")
    connection.close()


def _wait_until_up(url: str, timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(url, timeout=2):  # noqa: S310 - loopback
                return
        except OSError:
            time.sleep(0.5)
    raise SystemExit(f"The application did not start at {url}")


# A step is held when its p95 is within this, no request failed, and the server answered at least
# HELD_SHARE of the requests offered (otherwise the queue, not the latency, is what grew).
HELD_P95_MS = 300
HELD_SHARE = 0.9


def capacity_steps(args: argparse.Namespace, drive: Callable[..., None], env: dict) -> list[dict]:
    """Offer each load of `--steps` in turn (the same people, each pacing rate/people a second) for
    `--step-seconds`; stop after the first step not held (the server has saturated)."""
    steps = []
    for offered in (float(v) for v in args.steps.replace(",", " ").split()):
        pace = offered / args.users
        print(f"Step: {offered:g} requests/s offered ({args.users} people × {pace:.2f}/s), {args.step_seconds} s …")
        prefix = OUT / f"locust-step-{offered:g}"
        drive(args.step_seconds, prefix, pace=pace)
        with open(f"{prefix}_stats.csv", encoding="utf-8") as handle:
            total = next(r for r in csv.DictReader(handle) if r["Name"] == "Aggregated")
        step = {
            "offered": offered,
            "achieved": float(total["Requests/s"]),
            "p50": float(total["50%"]),
            "p95": float(total["95%"]),
            "errors": int(total["Failure Count"]),
            "requests": int(total["Request Count"]),
        }
        step["held"] = step["p95"] <= HELD_P95_MS and step["errors"] == 0 and step["achieved"] >= HELD_SHARE * offered
        print(
            f"  {step['achieved']:.1f}/s answered, p95 {step['p95']:.0f} ms, {step['errors']} errors: "
            + ("held" if step["held"] else "NOT held"),
            flush=True,
        )
        steps.append(step)
        if not step["held"]:
            break
    return steps


def report_capacity(
    args: argparse.Namespace, steps: list[dict], *, database: str, load: tuple[float, float], cleaned: dict
) -> int:
    """Print the steps and the capacity (the highest load held), and write var/bench/loadtest-capacity.json."""
    from bench.common import figure_recorder, machine

    figures: list[dict] = []
    figure = figure_recorder(figures, size=args.people, database=database)
    print(f"\n{args.people:,} people, {database}, {machine()}, {date.today().isoformat()}")
    print(f"{args.workers} gunicorn workers, {args.users} simulated people, {args.step_seconds} s a step")
    header = f"{'offered/s':>10}{'answered/s':>12}{'p50 ms':>8}{'p95 ms':>8}{'errors':>8}  held?"
    print(header)
    print("-" * len(header))
    for step in steps:
        print(
            f"{step['offered']:>10g}{step['achieved']:>12.1f}{step['p50']:>8.0f}{step['p95']:>8.0f}"
            f"{step['errors']:>8}  {'yes' if step['held'] else 'no'}"
        )
        for key, unit in (("achieved", "requests/s"), ("p95", "ms"), ("errors", "requests")):
            figure(f"loadtest step {step['offered']:g}/s {key}", step[key], unit)
    held = [s["offered"] for s in steps if s["held"]]
    capacity = max(held, default=0.0)
    figure("loadtest capacity", capacity, "requests/s held at p95 <= 300 ms, no errors")
    figure("loadtest capacity workers", args.workers, "gunicorn workers")
    figure("loadtest load average at start", load[0], "1-minute load average")
    figure("loadtest load average at end", load[1], "1-minute load average")
    (OUT / "loadtest-capacity.json").write_text(json.dumps(figures, indent=2))
    print(
        f"Capacity: {capacity:g} requests/s held (p95 <= {HELD_P95_MS} ms, no errors) with {args.workers} "
        f"gunicorn workers on {os.cpu_count()} cores; load average {load[0]:.1f} at start, {load[1]:.1f} at end"
    )
    if not held:
        print("Not even the first step was held.")
    print(f"removed what the run made: {cleaned['contacts']} contacts, {cleaned['referrals']} referrals")
    return 0 if held else 1


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--people", type=int, default=20_000)
    parser.add_argument("--seed", type=int, default=2026)
    parser.add_argument("--users", type=int, default=100, help="Simulated people")
    parser.add_argument("--pace", type=float, default=1.0, help="Requests per second per simulated person")
    parser.add_argument("--seconds", type=int, default=300)
    parser.add_argument("--workers", type=int, default=3, help="gunicorn worker processes")
    parser.add_argument("--warmup", type=int, default=60, help="Seconds of the same traffic first, not counted")
    parser.add_argument(
        "--steps", help='Capacity: offered loads in requests/s, each for --step-seconds, e.g. "50 100 150 200 250"'
    )
    parser.add_argument("--step-seconds", type=int, default=30, help="Seconds each capacity step is offered")
    args = parser.parse_args(argv)

    os.environ["DJANGO_SETTINGS_MODULE"] = "bench.settings"
    # One key for this process (which writes the sessions) and the server's workers (which read them).
    os.environ.setdefault("BENCH_SECRET_KEY", secrets.token_urlsafe(50))
    sys.path.insert(0, str(ROOT))
    from bench.common import figure_recorder, machine
    from bench.database import bench_database_url, ensure_database
    from bench.run import load, manage

    url = bench_database_url()
    ensure_database(url)
    manage("migrate", "--noinput", "-v0")
    import django

    django.setup()
    from django.db import connection
    from django.utils import timezone

    load(args.people, args.seed, reload=False)
    connection.close()
    started_at = timezone.now()  # what the run makes (the plan's sessions too) is removed after it
    plan, tokens = _plan(advisers=40, referrers=20)
    _vacuum()
    OUT.mkdir(parents=True, exist_ok=True)
    plan_file = OUT / "loadtest-plan.json"
    plan_file.write_text(json.dumps(plan))
    with connection.cursor() as cur:
        cur.execute("SELECT current_setting('server_version')")
        database = f"PostgreSQL {cur.fetchone()[0].split()[0]}"
    connection.close()

    port = _free_port()
    host = f"http://127.0.0.1:{port}"
    env = {**os.environ, "LOADTEST_PLAN": str(plan_file), "LOADTEST_PACE": str(args.pace)}
    server = subprocess.Popen(  # noqa: S603 - this project's gunicorn on loopback
        [str(BIN / "gunicorn"), "config.wsgi:application", "--bind", f"127.0.0.1:{port}"]
        + ["--workers", str(args.workers), "--log-level", "warning"],
        cwd=ROOT,
        env=env,
    )
    steps: list[dict] = []
    try:
        _wait_until_up(f"{host}/accessibility/")
        prefix = OUT / "locust"

        def drive(seconds: int, csv_prefix: Path, pace: float | None = None) -> None:
            run_env = env if pace is None else {**env, "LOADTEST_PACE": str(pace)}
            subprocess.run(  # noqa: S603 - this project's locust on loopback
                [str(BIN / "locust"), "-f", str(ROOT / "bench" / "locustfile.py"), "--headless", "--only-summary"]
                + ["--users", str(args.users), "--spawn-rate", str(max(1, args.users // 10))]
                + ["--run-time", f"{seconds}s", "--host", host, "--csv", str(csv_prefix), "--stop-timeout", "5"]
                + ["--loglevel", "WARNING"],
                cwd=ROOT,
                env=run_env,
                check=False,
            )

        if args.warmup:
            # The same traffic, not counted: the workers' first requests and a cold cache (PostgreSQL's
            # and the machine's, which reclaims idle pages) are not the service's steady state.
            print(f"Warming up: the same traffic for {args.warmup} s, not counted …", flush=True)
            drive(args.warmup, OUT / "locust-warmup")
            with open(OUT / "locust-warmup_stats.csv", encoding="utf-8") as handle:
                warm = next(r for r in csv.DictReader(handle) if r["Name"] == "Aggregated")
            print(f"  warm-up: {warm['Request Count']} requests, {warm['Failure Count']} errors", flush=True)
        load_start = os.getloadavg()[0]
        if args.steps:
            steps = capacity_steps(args, drive, env)
        else:
            print(f"Load test: {args.users} people × {args.pace}/s for {args.seconds} s against {host} …", flush=True)
            drive(args.seconds, prefix)
        load_end = os.getloadavg()[0]
    finally:
        server.terminate()
        server.wait(timeout=30)
        cleaned = _clean_up(started_at, tokens)
        _vacuum()
        plan_file.unlink(missing_ok=True)

    if args.steps:
        return report_capacity(args, steps, database=database, load=(load_start, load_end), cleaned=cleaned)
    with open(f"{prefix}_stats.csv", encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    today, where = date.today().isoformat(), machine()
    figures = []

    figure = figure_recorder(figures, size=args.people, database=database)

    print(f"\n{args.people:,} people, {database}, {where}, {today}; {args.workers} gunicorn workers")
    header = f"{'request':<18}{'count':>8}{'errors':>8}{'req/s':>8}{'p50 ms':>8}{'p95 ms':>8}{'p99 ms':>8}"
    print(header)
    print("-" * len(header))
    for row in rows:
        name = "all" if row["Name"] == "Aggregated" else row["Name"]
        print(
            f"{name:<18}{row['Request Count']:>8}{row['Failure Count']:>8}{float(row['Requests/s']):>8.1f}"
            f"{row['50%']:>8}{row['95%']:>8}{row['99%']:>8}"
        )
        figure(f"loadtest {name} requests per second", row["Requests/s"], "requests/s")
        figure(f"loadtest {name} p50", row["50%"], "ms")
        figure(f"loadtest {name} p95", row["95%"], "ms")
        figure(f"loadtest {name} errors", row["Failure Count"], "requests")
        figure(f"loadtest {name} requests", row["Request Count"], "requests")
    figure("loadtest duration", args.seconds, "s")
    figure("loadtest warm-up, not counted", args.warmup, "s")
    figure("loadtest simulated people", args.users, "people")
    figure("loadtest load average at start", load_start, "1-minute load average")
    figure("loadtest load average at end", load_end, "1-minute load average")
    (OUT / "loadtest.json").write_text(json.dumps(figures, indent=2))
    print(f"load average {load_start:.1f} at start, {load_end:.1f} at end")
    print(f"removed what the run made: {cleaned['contacts']} contacts, {cleaned['referrals']} referrals")
    print(f"Written to {OUT / 'loadtest.json'}")
    total = next(r for r in rows if r["Name"] == "Aggregated")
    return 0 if int(total["Failure Count"]) == 0 else 1


if __name__ == "__main__":
    raise SystemExit(main())
