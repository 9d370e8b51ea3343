"""Blended referrals: FHIR intake against the JSON API, and matching against a bare evaluation loop.

    python -m bench.referrals [--requests 100] [--services 500]

Runs on its own PostgreSQL database, ``joinedup_bench_referrals`` (created and migrated if need be;
the referrals it makes are removed afterwards). Figures, in the shape of `bench.run`, go to
``var/bench/referrals.json``:

- ``fhir bundle p50/p95``: ``POST /fhir/Bundle`` (a new UK-shaped transaction each time) through the
  whole stack, paired with ``POST /api/v1/referrals/`` of the same person (the baseline: the same
  `referral_create`, without FHIR parsing and validation), alternating which goes first;
  ``fhir bundle ratio p95`` is FHIR over API.
- ``matching N services p50/p95`` at the seed directory (31 published services) and at ``--services``
  published services (copies of the seed rules and areas): `referral_matching` for one referral
  (ORM, area check, evaluation, ranking, questions), paired with a bare baseline of one hand-written
  SQL query for the services' newest rule sets and the evaluator over them; ``ratio p95`` is
  matching over baseline.
"""

from __future__ import annotations

import argparse
import copy
import json
import os
import statistics
import sys
import time
import uuid
from datetime import date
from pathlib import Path

from bench.common import percentile
from bench.database import database_url_for

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "var" / "bench"
DATABASE = "joinedup_bench_referrals"


BARE_SQL = """
SELECT s.id, s.name, r.rules
FROM directory_service s
LEFT JOIN LATERAL (
    SELECT rules FROM directory_eligibilityruleset WHERE service_id = s.id ORDER BY version DESC LIMIT 1
) r ON true
WHERE s.lifecycle = 'published' AND s.archived_at IS NULL
"""


def _pair(real, baseline, n: int, warmup: int = 5) -> dict[str, float]:
    for i in range(warmup):
        real(-1 - i)
        baseline(-1 - i)
    a, b = [], []
    for i in range(n):
        order = [(real, a), (baseline, b)] if i % 2 == 0 else [(baseline, b), (real, a)]
        for fn, out in order:
            started = time.perf_counter()
            fn(i)
            out.append((time.perf_counter() - started) * 1000)
    return {
        "p50": statistics.median(a),
        "p95": percentile(a, 95),
        "baseline_p50": statistics.median(b),
        "baseline_p95": percentile(b, 95),
        "ratio": percentile(a, 95) / percentile(b, 95),
        "n": n,
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--requests", type=int, default=100)
    parser.add_argument("--services", type=int, default=500)
    args = parser.parse_args(argv)

    sys.path.insert(0, str(ROOT))
    os.environ["BENCH_DATABASE_URL"] = database_url_for(DATABASE)
    os.environ["DJANGO_SETTINGS_MODULE"] = "bench.settings"
    from bench.common import figure_recorder, machine
    from bench.database import ensure_database
    from bench.run import manage

    if ensure_database(os.environ["BENCH_DATABASE_URL"]):
        print(f"Created database {DATABASE}")
    manage("migrate", "--noinput", "-v0")
    import django

    django.setup()
    from django.db import connection, transaction
    from django.test import Client

    from joinedup.api.services import api_token_issue
    from joinedup.directory.eligibility import evaluate
    from joinedup.directory.models import EligibilityRuleSet, Lifecycle, Service, ServiceArea
    from joinedup.fhir.tests.bundles import bundle
    from joinedup.organisations.models import OrganisationKind, Role
    from joinedup.people.models import Person
    from joinedup.referrals.matching import circumstances_for, referral_matching
    from joinedup.referrals.models import Referral
    from joinedup.referrals.services import referral_create
    from joinedup.testkit import MembershipFactory, OrganisationFactory, referral_input

    tag = uuid.uuid4().hex[:8]
    gp = OrganisationFactory(name=f"Bench GP {tag}", kind=OrganisationKind.GP_PRACTICE)
    member = MembershipFactory(user__username=f"bench-gp-{tag}", organisation=gp, role=Role.REFERRER)
    _token, key = api_token_issue(membership=member)
    client = Client(HTTP_AUTHORIZATION=f"Bearer {key}")
    made: list[str] = []

    def fhir(i: int) -> None:
        body = bundle()
        body["entry"][1]["resource"]["identifier"][0]["value"] = f"{tag}-{i}"
        response = client.post("/fhir/Bundle", json.dumps(body), content_type="application/fhir+json")
        assert response.status_code == 200, response.content
        made.append(response.json()["entry"][1]["response"]["location"].split("/")[1])

    api_body = {
        "given_name": "Siobhán",
        "family_name": "Ó Briain",
        "date_of_birth": "1985-03-27",
        "postcode": "NG18 1AB",
        "nhs_number": "9434765919",
        "email": "siobhan@example.com",
        "phone": "07700 900982",
        "employment_status": "unemployed",
        "benefits": ["uc_lcw"],
        "health_condition": "mental_health",
        "help_wanted": "Wants to get back to part-time work",
        "consent_referral": True,
        "consent_share_progress": True,
    }

    def api(i: int) -> None:
        response = client.post(
            "/api/v1/referrals/",
            json.dumps(api_body),
            content_type="application/json",
            HTTP_IDEMPOTENCY_KEY=str(uuid.uuid4()),
        )
        assert response.status_code == 201, response.content
        made.append(str(response.json()["id"]))

    figures: list[dict] = []
    today, where = date.today().isoformat(), machine()
    with connection.cursor() as cur:
        cur.execute("SELECT current_setting('server_version')")
        database = f"PostgreSQL {cur.fetchone()[0].split()[0]}"
    figure = figure_recorder(figures, size=None, database=database, digits=3)

    def report(name: str, r: dict[str, float], size: int) -> None:
        for k in ("p50", "p95", "baseline_p50", "baseline_p95"):
            figure(f"{name} {k.replace('_', ' ')}", r[k], "ms", size)
        figure(f"{name} ratio p95", r["ratio"], "x baseline", size)
        print(
            f"{name:<28} n={r['n']:<4} p50 {r['p50']:7.2f} ms  p95 {r['p95']:7.2f} ms   "
            f"baseline p50 {r['baseline_p50']:7.2f} p95 {r['baseline_p95']:7.2f}   ratio {r['ratio']:.2f}"
        )

    referral, _ = referral_create(actor=member, data=referral_input(), submission_key=uuid.uuid4())
    made.append(str(referral.pk))
    copies: list[str] = []
    try:
        print("FHIR intake against the JSON API …", flush=True)
        report("fhir bundle", _pair(fhir, api, args.requests), args.requests)

        def measure_matching() -> None:
            services = Service.objects.filter(lifecycle=Lifecycle.PUBLISHED, archived_at__isnull=True).count()
            found, _known = circumstances_for(referral)

            def real(_i: int) -> None:
                referral_matching(referral=referral)

            def bare(_i: int) -> None:
                # Hand-written SQL for the published services and their newest rule set, then the evaluator.
                with connection.cursor() as cur:
                    cur.execute(BARE_SQL)
                    rows = cur.fetchall()
                for _id, _name, r in rows:
                    r = r if isinstance(r, dict) else json.loads(r or '{"stated": false}')
                    if r.get("stated") is not False:
                        evaluate(r, found)

            print(f"Matching at {services} published services …", flush=True)
            report(f"matching {services} services", _pair(real, bare, args.requests), services)

        measure_matching()
        seeds = list(
            Service.objects.filter(lifecycle=Lifecycle.PUBLISHED).prefetch_related("rule_sets", "service_areas")
        )
        with transaction.atomic():
            for n in range(max(0, args.services - len(seeds))):
                seed = seeds[n % len(seeds)]
                copy_ = Service.objects.create(
                    organisation=seed.organisation, name=f"{seed.name} (bench {tag} {n})", lifecycle=Lifecycle.PUBLISHED
                )
                copies.append(str(copy_.pk))
                for rs in seed.rule_sets.all()[:1]:
                    EligibilityRuleSet.objects.create(service=copy_, version=1, rules=copy.deepcopy(rs.rules))
                for area in seed.service_areas.all():
                    ServiceArea.objects.create(service=copy_, area=area.area, name=area.name)
        measure_matching()
    finally:
        people = list(Referral.objects.filter(pk__in=made).values_list("person_id", flat=True))
        from joinedup.people.models import Consent

        Referral.objects.filter(pk__in=made).delete()
        Consent.objects.filter(person_id__in=people).delete()
        Person.objects.filter(pk__in=people).delete()
        Service.objects.filter(pk__in=copies).delete()

    OUT.mkdir(parents=True, exist_ok=True)
    (OUT / "referrals.json").write_text(json.dumps(figures, indent=2))
    print(f"{database}, {where}, {today}. Written to {OUT / 'referrals.json'}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
