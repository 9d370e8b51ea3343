"""`make bench`, duplicates (issue 4): linkage quality, one referral against 100,000, and deduplication.

    python -m bench.linkage [--people 20000] [--known 100000] [--checks 30] [--dedupe 100000] [--seed 4242]
    make bench LINKAGE_DEDUPE=1000000      # the million-record deduplication (see docs/benchmarks.md)

1. **Quality.** A synthetic population with known truth (`joinedup.linkage.synthetic`, a seed the
   shipped model was not trained on) of ``--people`` people, about a fifth known more than once
   with typos, nicknames, swapped names, house moves, transposed birth dates and missing numbers,
   deduplicated with the shipped model. Precision and recall of record pairs at the flagging
   threshold (``LIKELY_THRESHOLD``) and at the "possible" threshold, plus the recall of blocking
   alone (the ceiling for any threshold).
2. **One new referral against ``--known`` known people**, in PostgreSQL (database
   ``joinedup_linkage_bench``, created and loaded on first use, reused after): ``--checks`` new
   referrals through the real ``referral_create``, each checked by the real ``duplicate_check``
   (SQL blocking, then the Splink model). Baselines in the same run: the bare blocking query, and
   Splink alone scoring the one record against all known people in DuckDB with no SQL blocking.
3. **Deduplicating ``--dedupe`` people** (about 1.24 records each) on each of ``--engines``
   (DuckDB, and Splink's Spark backend in local mode, or the cluster at ``SPARK_MASTER``): the
   same generated records, the model's blocked predict at the flagging threshold on each, and
   whether both found the same pairs (issue 19). ``--dedupe 0`` skips it.

Writes ``var/bench/linkage.json`` in the shape `bench.run` uses and prints a table.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import sys
import time
import uuid
from collections.abc import Callable
from pathlib import Path

from bench.database import database_url_for

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "var" / "bench"
DATABASE = "joinedup_linkage_bench"


def database_url() -> str:
    """LINKAGE_BENCH_DATABASE_URL, or DATABASE_URL's server (or 127.0.0.1) with joinedup_linkage_bench."""
    return database_url_for(DATABASE, override="LINKAGE_BENCH_DATABASE_URL")


def _setup_django() -> None:
    # bench.settings reads BENCH_DATABASE_URL; point it at this benchmark's own database only.
    os.environ["BENCH_DATABASE_URL"] = database_url()
    os.environ["DJANGO_SETTINGS_MODULE"] = "bench.settings"
    sys.path.insert(0, str(ROOT))
    from bench.database import ensure_database

    ensure_database(database_url())
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0, interactive=False)


def quality(people: int, seed: int) -> dict[str, float]:
    from joinedup.linkage import engine, selectors, synthetic

    population = synthetic.population(people, seed=seed)
    cluster = {str(r.unique_id): r.cluster for r in population}
    sizes: dict[int, int] = {}
    for r in population:
        sizes[r.cluster] = sizes.get(r.cluster, 0) + 1
    true_pairs = sum(n * (n - 1) // 2 for n in sizes.values())
    started = time.perf_counter()
    pairs = engine.dedupe([engine.record_from_synth(r) for r in population], threshold=0.0)
    seconds = time.perf_counter() - started
    out = {"records": len(population), "true pairs": true_pairs, "seconds": seconds}
    blocked_true = sum(1 for a, b, _ in pairs if cluster[a] == cluster[b])
    out["blocking recall"] = blocked_true / true_pairs
    for label, threshold in (("likely", selectors.LIKELY_THRESHOLD), ("possible", selectors.SHOW_THRESHOLD)):
        chosen = [(a, b) for a, b, p in pairs if p >= threshold]
        right = sum(1 for a, b in chosen if cluster[a] == cluster[b])
        out[f"precision at {threshold}"] = right / len(chosen) if chosen else 1.0
        out[f"recall at {threshold}"] = right / true_pairs
        out[f"{label} threshold"] = threshold
    return out


def load_known(known: int, seed: int) -> float | None:
    """Make sure `known` known people (each with an open referral) are loaded; seconds if loaded now."""
    from django.db import connection, transaction

    from joinedup.linkage import synthetic
    from joinedup.organisations.models import Organisation, OrganisationKind
    from joinedup.people.models import Person
    from joinedup.referrals import statuses
    from joinedup.referrals.models import Referral

    # The referring organisation's name records what was loaded, so a second run reuses it.
    org, _ = Organisation.objects.get_or_create(
        name=f"Linkage bench GP ({known} people, seed {seed})", defaults={"kind": OrganisationKind.GP_PRACTICE}
    )
    if Referral.objects.filter(referring_organisation=org).count() == known:
        return None
    started = time.perf_counter()
    with transaction.atomic():
        with connection.cursor() as cursor:
            cursor.execute(
                "TRUNCATE linkage_duplicatecandidate, linkage_duplicatecheck, linkage_personmerge, "
                "referrals_referralstatuschange, referrals_referral, people_consent, people_person, "
                "audit_auditevent CASCADE"
            )
        population = synthetic.population(int(known / 1.24) + 1, seed=seed)[:known]
        batch = 10_000
        for start in range(0, len(population), batch):
            chunk = population[start : start + batch]
            people = [
                Person(
                    given_name=r.given_name,
                    family_name=r.family_name,
                    date_of_birth=r.date_of_birth,
                    postcode=r.postcode,
                    nhs_number=r.nhs_number,
                    national_insurance_number=r.national_insurance_number,
                )
                for r in chunk
            ]
            Person.objects.bulk_create(people, batch_size=batch)
            Referral.objects.bulk_create(
                [
                    Referral(
                        reference=f"LB-{start + i:08d}",
                        person=p,
                        referring_organisation=org,
                        employment_status="unemployed",
                        health_condition="mental_health",
                        help_wanted="Work",
                        status=statuses.RECEIVED,
                    )
                    for i, p in enumerate(people)
                ],
                batch_size=batch,
            )
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE people_person; ANALYZE referrals_referral")
    return time.perf_counter() - started


def one_against_known(known: int, checks: int, seed: int) -> dict[str, float]:
    import random

    from joinedup.linkage import engine, selectors, services, synthetic
    from joinedup.organisations.models import Organisation, OrganisationKind, Role
    from joinedup.people.models import Person
    from joinedup.referrals.services import ReferralInvalid, referral_create
    from joinedup.testkit import MembershipFactory, referral_input

    loaded = load_known(known, seed)
    jobcentre, _ = Organisation.objects.get_or_create(
        name="Linkage bench Jobcentre", defaults={"kind": OrganisationKind.JOBCENTRE}
    )
    actor = MembershipFactory(
        user__username=f"linkage.bench.{uuid.uuid4().hex[:8]}", organisation=jobcentre, role=Role.REFERRER
    )
    rng = random.Random(seed)
    people = list(Person.objects.order_by("?")[: checks // 2])
    check_ms, block_ms, found = [], [], 0
    for k in range(checks):
        if k % 2 == 0 and people:  # someone known, re-referred with the usual errors
            p = people.pop()
            r = synthetic.corrupt(
                rng,
                synthetic.SynthRecord(
                    0,
                    0,
                    p.given_name,
                    p.family_name,
                    p.date_of_birth,
                    p.postcode,
                    p.nhs_number,
                    p.national_insurance_number,
                ),
            )
        else:  # someone new
            r = synthetic.population(1, seed=seed + 1000 + k)[0]
        values = {
            "given_name": r.given_name,
            "family_name": r.family_name,
            "date_of_birth": r.date_of_birth,
            "postcode": r.postcode,
            "nhs_number": r.nhs_number,
            "email": "",
            "phone": "",
        }
        try:
            referral, _ = referral_create(actor=actor, data=referral_input(**values), submission_key=uuid.uuid4())
        except ReferralInvalid:  # a mistyped birth date made them under 16: the form would refuse it too
            continue
        started = time.perf_counter()
        list(selectors.blocked_candidates(referral.person)[: selectors.MAX_COMPARED])
        block_ms.append((time.perf_counter() - started) * 1000)
        started = time.perf_counter()
        check = services.duplicate_check(referral=referral)
        check_ms.append((time.perf_counter() - started) * 1000)
        found += check.candidates.exists()
    # Splink alone, no SQL blocking: the one record against every known person, in DuckDB.
    everyone = [services._record(p) for p in Person.objects.all()[:known]]
    started = time.perf_counter()
    engine.score(services._record(referral.person), everyone, threshold=selectors.SHOW_THRESHOLD)
    splink_alone = (time.perf_counter() - started) * 1000
    return {
        "known": Person.objects.count(),
        "load seconds": loaded,
        "check p50": statistics.median(check_ms),
        "check p95": sorted(check_ms)[max(0, int(len(check_ms) * 0.95) - 1)],
        "blocking query p50": statistics.median(block_ms),
        "splink alone": splink_alone,
        "with candidates": found,
        "checks": len(check_ms),
    }


def dedupe(people: int, seed: int, engines: list[str]) -> dict[str, float]:
    """Deduplicate one generated population on each engine in turn, and check they agree."""
    from joinedup.linkage import engine, population, selectors, synthetic

    started = time.perf_counter()
    table = engine.to_table(engine.record_from_synth(r) for r in synthetic.population(people, seed=seed))
    out: dict[str, float] = {"records": table.num_rows, "generate": time.perf_counter() - started}
    found: dict[str, list] = {}
    for name in engines:
        spark = None
        if name == "spark":
            started = time.perf_counter()
            spark = population.spark_session()
            out["spark session start"] = time.perf_counter() - started
        started = time.perf_counter()
        found[name] = population.dedupe(table, engine_name=name, threshold=selectors.LIKELY_THRESHOLD, spark=spark)
        out[f"{name} seconds"] = time.perf_counter() - started
        out[f"{name} pairs"] = len(found[name])
        if spark is not None:
            spark.stop()
    if len(found) == 2:
        a, b = ([(x, y) for x, y, _ in pairs] for pairs in found.values())
        out["engines agree"] = float(a == b)
    return out


def dedupe_figures(figure: Callable[..., None], d: dict[str, float], engines: list[str], size: int) -> None:
    figure("linkage dedupe records", d["records"], "records", size, "duckdb")
    figure("linkage dedupe generate", d["generate"], "s", size, "python")
    for name in engines:
        where = "duckdb" if name == "duckdb" else f"spark {population_master()}"
        figure(f"linkage dedupe {name}", d[f"{name} seconds"], "s", size, where)
        figure(f"linkage dedupe {name} pairs at threshold", d[f"{name} pairs"], "pairs", size, where)
    if "spark session start" in d:
        figure("linkage spark session start", d["spark session start"], "s", size, "spark")
    if "engines agree" in d:
        figure("linkage dedupe engines agree", d["engines agree"], "1 = same pairs", size, "both")
        if len(engines) == 2:
            figure(
                "linkage dedupe spark ratio",
                d["spark seconds"] / d["duckdb seconds"],
                "x duckdb",
                size,
                "both",
            )


def population_master() -> str:
    from joinedup.linkage import population

    return population.spark_master()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--people", type=int, default=20_000, help="population for precision and recall")
    parser.add_argument("--known", type=int, default=100_000, help="known people for the one-referral check")
    parser.add_argument("--checks", type=int, default=30, help="new referrals checked against them")
    parser.add_argument(
        "--dedupe", type=int, default=100_000, help="people to deduplicate (0 to skip; 1000000 takes minutes)"
    )
    parser.add_argument("--seed", type=int, default=4242)
    parser.add_argument("--engines", default="duckdb spark", help="engines to deduplicate on (duckdb, spark)")
    parser.add_argument("--skip-quality", action="store_true", help="only the deduplication")
    args = parser.parse_args()

    _setup_django()
    from bench.common import figure_recorder

    figures: list[dict] = []
    recorder = figure_recorder(figures, size=None, database="")

    def figure(name: str, value: float, unit: str, size: int, database: str) -> None:
        recorder(name, value, unit, size=size, database=database, places=4 if unit == "share" else 2)

    if not args.skip_quality:
        print(f"Linkage quality on {args.people:,} synthetic people …", flush=True)
        q = quality(args.people, args.seed)
        for key in ("precision", "recall"):
            for threshold in (q["likely threshold"], q["possible threshold"]):
                figure(f"linkage {key} at {threshold}", q[f"{key} at {threshold}"], "share", args.people, "duckdb")
        figure("linkage blocking recall", q["blocking recall"], "share", args.people, "duckdb")
        figure(f"linkage dedupe {q['records']:,} records", q["seconds"], "s", args.people, "duckdb")

        print(f"One new referral against {args.known:,} known people (PostgreSQL) …", flush=True)
        o = one_against_known(args.known, args.checks, args.seed)
        for key, unit in (
            ("check p50", "ms"),
            ("check p95", "ms"),
            ("blocking query p50", "ms"),
            ("splink alone", "ms"),
        ):
            figure(f"linkage one referral {key}", o[key], unit, args.known, "postgresql")
        figure(
            "linkage one referral ratio p50",
            o["check p50"] / o["blocking query p50"],
            "x blocking query",
            args.known,
            "postgresql",
        )
        if o["load seconds"] is not None:
            figure("linkage known people load", o["load seconds"], "s", args.known, "postgresql")

    if args.dedupe:
        engines = [e for e in args.engines.replace(",", " ").split() if e]
        print(f"Deduplicating {args.dedupe:,} synthetic people on {' and '.join(engines)} …", flush=True)
        dedupe_figures(figure, dedupe(args.dedupe, args.seed + 1, engines), engines, args.dedupe)

    OUT.mkdir(parents=True, exist_ok=True)
    (OUT / "linkage.json").write_text(json.dumps(figures, indent=2))
    width = max(len(f["figure"]) for f in figures)
    for f in figures:
        print(f"{f['figure']:<{width}}  {f['value']:>12,}  {f['unit']}  (size {f['size']:,}, {f['database']})")
    print(f"Written to {OUT / 'linkage.json'}")


if __name__ == "__main__":
    main()
