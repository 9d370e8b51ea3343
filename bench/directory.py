"""`make bench` for the directory (issue 3): public search and eligibility evaluation at 10,000 services.

    python -m bench.directory [--services 10000] [--seed 2026] [--requests 100] [--warmup 10] [--budget 40]

1. Uses its own PostgreSQL database, ``joinedup_bench_dir`` (on the server in DATABASE_URL, else
   127.0.0.1:5432; never the lead's ``joinedup_bench``), created and migrated if need be.
2. Generates ``--services`` published services (deterministic for a seed) with bulk_create: one to
   three areas each (districts, counties, D2N2 or England; a few with none), one to three needs,
   opening times, and an eligibility rule set drawn from the shapes the seed programmes use (age
   ranges, benefits, employment status, health conditions, "at least 2 of" situations, areas, not
   stated). Kept when the database already holds that size and seed.
3. Times, through the whole Django stack (django.test.Client, DEBUG off), each page interleaved with a
   bare indexed SQL query for the same question, measured in the same run:
   - ``directory_search``: /directory/ as a resident fills it in (age, where they live, benefits,
     health, work situation), varied over areas and ages; baseline: the same SQL narrowing (published,
     area served, age range) as one hand-written query, first 20 by name.
   - ``directory_keyword``: the same with a keyword; baseline: the same narrowing and the keyword through
     the indexed full-text query of the stems (decision 024), best match first, as one hand-written query.
   - ``eligibility_all``: the search selector for a person who gave only benefits and health (no area or
     age, so every published service is a candidate and every rule set is evaluated); baseline: the
     bare query fetching the same rows (id and rules).
   Also the cost of evaluating one rule set (``eligibility_one``, microseconds, no database).
4. Writes ``var/bench/directory.json`` (figures shaped as bench/run.py's) and prints a table.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import statistics
import sys
import time
import uuid
from datetime import date
from datetime import time as clock
from pathlib import Path
from urllib.parse import urlencode

from bench.database import database_url_for

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "var" / "bench"
DATABASE = os.environ.get("BENCH_DIRECTORY_DATABASE", "joinedup_bench_dir")  # another name: a run of one's own
SOURCE = "bench-directory"


# bench.settings reads BENCH_DATABASE_URL; point it at this benchmark's own database.
os.environ["BENCH_DATABASE_URL"] = database_url_for(DATABASE)
os.environ["DJANGO_SETTINGS_MODULE"] = "bench.settings"


# ---------------------------------------------------------------------------------------------
# Baseline views (mounted only by this module's URLconf)


def _baseline_search(request):
    from django.db import connection
    from django.http import HttpResponse

    from joinedup.directory import areas

    age = int(request.GET["age"])
    home = request.GET["area"]
    around = [*areas.ancestors(home), *areas.descendants(home)]
    sql = """
        SELECT s.id, s.name FROM directory_service s
        WHERE s.lifecycle = 'published' AND s.archived_at IS NULL AND s.current_rule_set_id IS NOT NULL
          AND (s.minimum_age IS NULL OR s.minimum_age <= %s) AND (s.maximum_age IS NULL OR s.maximum_age >= %s)
          AND (EXISTS (SELECT 1 FROM directory_servicearea a WHERE a.service_id = s.id AND a.area = ANY(%s))
               OR NOT EXISTS (SELECT 1 FROM directory_servicearea a WHERE a.service_id = s.id AND a.area <> ''))
        ORDER BY s.name, s.id LIMIT 20"""
    with connection.cursor() as cur:
        cur.execute(sql, [age, age, around])
        rows = cur.fetchall()
    return HttpResponse("<ul>" + "".join(f"<li>{name}</li>" for _id, name in rows) + "</ul>")


def _baseline_keyword(request):
    """The same question as hand-written SQL: the resident's narrowing (published, age range, areas
    served) and the keyword through the GIN-indexed tsvector, best match first (ts_rank), first 20."""
    from django.db import connection
    from django.http import HttpResponse

    from joinedup.directory import areas, search

    age = int(request.GET["age"])
    home = request.GET["area"]
    around = [*areas.ancestors(home), *areas.descendants(home)]
    tsquery = search.parse(request.GET["q"]).tsquery()
    sql = """
        SELECT s.id, s.name FROM directory_service s
        WHERE s.lifecycle = 'published' AND s.archived_at IS NULL AND s.current_rule_set_id IS NOT NULL
          AND s.search_vector @@ to_tsquery('simple'::regconfig, %s)
          AND (s.minimum_age IS NULL OR s.minimum_age <= %s) AND (s.maximum_age IS NULL OR s.maximum_age >= %s)
          AND (EXISTS (SELECT 1 FROM directory_servicearea a WHERE a.service_id = s.id AND a.area = ANY(%s))
               OR NOT EXISTS (SELECT 1 FROM directory_servicearea a WHERE a.service_id = s.id AND a.area <> ''))
        ORDER BY ts_rank(s.search_vector, to_tsquery('simple'::regconfig, %s)) DESC, s.name, s.id LIMIT 20"""
    with connection.cursor() as cur:
        cur.execute(sql, [tsquery, age, age, around, tsquery])
        rows = cur.fetchall()
    return HttpResponse("<ul>" + "".join(f"<li>{name}</li>" for _id, name in rows) + "</ul>")


def _urls() -> list:
    from django.urls import path

    from config.urls import urlpatterns

    return [
        path("_bench/baseline/directory/", _baseline_search),
        path("_bench/baseline/directory-keyword/", _baseline_keyword),
        *urlpatterns,
    ]


def __getattr__(name: str):
    if name == "urlpatterns":
        return _urls()
    raise AttributeError(name)


# ---------------------------------------------------------------------------------------------
# Synthetic services

WORDS = ["Pathways", "Next Steps", "Bridges", "Horizons", "Routes", "Springboard", "Compass", "Lighthouse"]
KINDS = ["job club", "employment support", "wellbeing course", "work trial", "skills hub", "peer support group"]
SENTENCES = [
    "One-to-one support from an employment adviser to find and keep work.",
    "Confidence and wellbeing sessions for people with anxiety or depression.",
    "Training and work experience, with help with CVs, applications and interviews.",
    "Support in work for people with a health condition, and advice for their employer.",
    "Help with money, debt and benefits alongside finding work.",
    "Supported internships and apprenticeships for young people with learning disabilities.",
    "Volunteering and peer support to build routine and confidence.",
    "Digital skills: using a computer, email and job websites.",
    "English for speakers of other languages, with job search.",
    "Return-to-work plans with your GP and employer after time off sick.",
    "Sector training in care, warehousing, hospitality or construction, with a guaranteed interview.",
    "Counselling and talking therapies alongside employment advice.",
    "Self-employment advice and business start-up workshops.",
    "Physical activity and healthy lifestyle sessions.",
    "Housing advice and tenancy support for people looking for work.",
    "Mentoring from local employers.",
    "Help with travel to interviews and the first weeks of work.",
    "Group workshops on interview skills and disclosure of health conditions.",
    "Recovery-focused courses co-produced with people with lived experience.",
    "Job carving and supported employment for people with learning disabilities or autism.",
]
BENEFIT_SETS = [["esa", "uc_lcw", "uc_lcwra"], ["uc", "jsa"], ["pip"], ["esa", "uc_lcw", "uc_lcwra", "uc", "jsa"]]
HEALTH = ["mental_health", "musculoskeletal", "learning_disability", "autism", "substance_use", "long_term_condition"]
SITUATIONS = ["ex_offender", "domestic_abuse", "homelessness", "care_leaver", "financial_difficulty"]
STATUSES = ["unemployed", "inactive", "employed_off_sick", "employed_at_risk"]


def _rules(rng: random.Random, area_codes: list[str]) -> dict:
    shape = rng.random()
    low = rng.choice([16, 18, 18, 25, 50])
    high = rng.choice([None, None, 24, 29, 64])
    if high is not None and high <= low:
        high = None
    age = {"criterion": "age", "min": low, **({"max": high} if high else {})}
    if shape < 0.08:
        return {"stated": False}
    if shape < 0.15:
        return {"criterion": "open"}
    if shape < 0.30:
        return age
    parts: list[dict] = [age]
    if rng.random() < 0.6:
        parts.append({"criterion": "benefits", "any_of": rng.choice(BENEFIT_SETS)})
    if rng.random() < 0.4:
        parts.append({"criterion": "employment_status", "in": rng.sample(STATUSES, rng.randint(1, 3))})
    if rng.random() < 0.4:
        parts.append({"criterion": "health_condition", "any_of": rng.sample(HEALTH, rng.randint(1, 3))})
    if rng.random() < 0.2:
        parts.append({"criterion": "months_out_of_work", "min": rng.choice([6, 12, 24])})
    if rng.random() < 0.25:
        parts.append(
            {
                "at_least": 2,
                "of": [{"criterion": "situation", "is": s} for s in rng.sample(SITUATIONS, 4)]
                + [{"criterion": "health_condition", "any_of": ["mental_health"]}],
            }
        )
    if area_codes and rng.random() < 0.5:
        parts.append({"criterion": "area", "areas": area_codes})
    if rng.random() < 0.15:  # an "any" of two routes, as INSPIRE Local has
        return {"any": [{"all": parts}, {"all": [{"criterion": "age", "min": 50}, *parts[1:2]]}]}
    return {"all": parts}


def generate(count: int, seed: int) -> float:
    """Replace the benchmark's services with `count` new ones; returns seconds taken."""
    from django.db import connection, transaction

    from joinedup.directory import areas, search
    from joinedup.directory.eligibility import age_range, validate_rules
    from joinedup.directory.models import (
        DirectoryOrganisation,
        EligibilityRuleSet,
        Lifecycle,
        Schedule,
        SearchWord,
        Service,
        ServiceArea,
        TaxonomyTerm,
    )

    started = time.perf_counter()
    rng = random.Random(seed)
    leaves = [code for code, _name in areas.local_authority_choices()]
    wider = ["nottinghamshire", "derbyshire", "norfolk", "d2n2", "england"]
    need_names = dict(TaxonomyTerm.objects.filter(taxonomy__name="Joined Up needs").values_list("id", "name"))
    needs = list(need_names)
    vocabulary: dict[str, str] = {}
    through = Service.terms.through
    with transaction.atomic():
        Service.objects.filter(source=SOURCE).delete()
        DirectoryOrganisation.objects.filter(source=SOURCE).delete()
        orgs = [
            DirectoryOrganisation(
                id=uuid.UUID(int=rng.getrandbits(128)), name=f"Provider {n:04d}", description="x", source=SOURCE
            )
            for n in range(max(1, count // 20))
        ]
        DirectoryOrganisation.objects.bulk_create(orgs)
        services, rule_sets, service_areas, schedules, links = [], [], [], [], []
        for n in range(count):
            sid, rid = uuid.UUID(int=rng.getrandbits(128)), uuid.UUID(int=rng.getrandbits(128))
            roll = rng.random()
            if roll < 0.03:
                served: list[str] = []
            elif roll < 0.15:
                served = [rng.choice(wider)]
            else:
                served = rng.sample(leaves, rng.randint(1, 3))
            rules = _rules(rng, served)
            validate_rules(rules)
            low, high = age_range(rules)
            org, name, description = (
                rng.choice(orgs),
                f"{rng.choice(WORDS)} {rng.choice(KINDS)} {n:05d}",
                " ".join(rng.sample(SENTENCES, 2)),
            )
            chosen = rng.sample(needs, min(len(needs), 2))
            # What search.index_services would write, worked out here as the rows are made (bulk_create).
            terms = [need_names[t] for t in chosen]
            indexed = search.document(name=name, organisation=org.name, terms=terms, description=description)
            vocabulary.update(search.vocabulary_of(name, org.name, description, *terms))
            services.append(
                Service(
                    id=sid,
                    organisation=org,
                    name=name,
                    description=description,
                    **indexed.as_fields(),
                    lifecycle=Lifecycle.PUBLISHED,
                    last_reviewed_on=date(2026, 10, 1),
                    source=SOURCE,
                    source_id=str(n),
                    minimum_age=low,
                    maximum_age=high,
                    current_rule_set_id=rid,  # the FK is checked at commit (deferred) on PostgreSQL
                )
            )
            rule_sets.append(EligibilityRuleSet(id=rid, service_id=sid, version=1, rules=rules, source=SOURCE))
            service_areas += [ServiceArea(service_id=sid, area=c, name=areas.area_name(c)) for c in served]
            for _ in range(rng.randint(0, 2)):
                days = sorted(rng.sample(range(7), rng.randint(1, 5)))
                opens = rng.choice([9, 9, 10, 13, 17])
                schedules.append(
                    Schedule(
                        service_id=sid,
                        freq="WEEKLY",
                        byday=",".join(["MO", "TU", "WE", "TH", "FR", "SA", "SU"][d] for d in days),
                        opens_at=clock(opens),
                        closes_at=clock(min(opens + rng.choice([2, 3, 4, 8]), 21)),
                    )
                )
            links += [through(service_id=sid, taxonomyterm_id=t) for t in chosen]
        Service.objects.bulk_create(services, batch_size=2000)
        EligibilityRuleSet.objects.bulk_create(rule_sets, batch_size=2000)
        ServiceArea.objects.bulk_create(service_areas, batch_size=5000)
        Schedule.objects.bulk_create(schedules, batch_size=5000)
        through.objects.bulk_create(links, batch_size=5000)
        SearchWord.objects.bulk_create(
            [SearchWord(word=w, stem=st) for w, st in vocabulary.items()], ignore_conflicts=True, batch_size=5000
        )
        DirectoryOrganisation.objects.filter(source=SOURCE, name="Provider 0000").update(
            description=f"bench seed={seed} count={count} search=024"
        )
    with connection.cursor() as cur:
        cur.execute("ANALYZE")
    return time.perf_counter() - started


def loaded(count: int, seed: int) -> bool:
    from joinedup.directory.models import DirectoryOrganisation, Service

    marker = DirectoryOrganisation.objects.filter(source=SOURCE, name="Provider 0000").first()
    return (
        marker is not None
        and marker.description == f"bench seed={seed} count={count} search=024"
        and Service.objects.filter(source=SOURCE).count() == count
    )


# ---------------------------------------------------------------------------------------------
# Measuring


class _Done:
    status_code = 200


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--services", type=int, default=10_000)
    parser.add_argument("--seed", type=int, default=2026)
    parser.add_argument("--requests", type=int, default=100, help="Timed requests per page (and per baseline)")
    parser.add_argument("--warmup", type=int, default=10)
    parser.add_argument("--budget", type=float, default=40, help="Seconds per page before stopping (≥30 requests)")
    parser.add_argument("--reload", action="store_true", help="Generate the services again even if they are there")
    args = parser.parse_args(argv)

    sys.path.insert(0, str(ROOT))
    from bench.common import figure_recorder, machine, percentile
    from bench.database import ensure_database
    from bench.run import Page, manage, measure

    url = os.environ["BENCH_DATABASE_URL"]
    if ensure_database(url):
        print(f"Created database {DATABASE}")
    manage("migrate", "--noinput", "-v0")

    import django

    django.setup()
    from django.db import connection
    from django.test import Client, override_settings

    from joinedup.directory import selectors
    from joinedup.directory.eligibility import Circumstances, evaluate, outcome
    from joinedup.directory.models import EligibilityRuleSet, Lifecycle, Service

    generated = None
    if args.reload or not loaded(args.services, args.seed):
        print(f"Generating {args.services:,} services (seed {args.seed}) …", flush=True)
        generated = generate(args.services, args.seed)
        print(f"  done in {generated:.1f} s")
    else:
        print(f"Reusing {args.services:,} generated services (seed {args.seed}).")
    published = Service.objects.filter(lifecycle=Lifecycle.PUBLISHED).count()
    with connection.cursor() as cur:
        cur.execute("SELECT current_setting('server_version')")
        database = f"PostgreSQL {cur.fetchone()[0].split()[0]}"

    rng = random.Random(args.seed)
    homes = ["mansfield", "ashfield", "derby", "nottingham", "high_peak", "norwich", "bassetlaw", "erewash"]
    residents = [
        {
            "age": str(rng.randint(17, 64)),
            "area": homes[k % len(homes)],
            "benefits": rng.choice([["uc_lcw"], ["esa"], ["uc"], ["pip", "uc"]]),
            "health_conditions": rng.choice([["mental_health"], ["musculoskeletal"], ["autism", "mental_health"]]),
            "employment_status": rng.choice(["unemployed", "inactive", "employed_off_sick"]),
        }
        for k in range(50)
    ]
    keywords = ["confidence", "training", "internships", "money advice", "employer", "volunteering", "debt", "CV"]
    client = Client()
    everyone = Circumstances(benefits=frozenset({"uc_lcw"}), health_conditions=frozenset({"mental_health"}))
    candidates = published

    def search(k: int):
        return client.get("/directory/?" + urlencode(residents[k % len(residents)], doseq=True))

    def search_baseline(k: int):
        r = residents[k % len(residents)]
        return client.get("/_bench/baseline/directory/?" + urlencode({"age": r["age"], "area": r["area"]}))

    def keyword(k: int):
        return client.get(
            "/directory/?" + urlencode({**residents[k % len(residents)], "q": keywords[k % len(keywords)]}, doseq=True)
        )

    def keyword_baseline(k: int):
        r = residents[k % len(residents)]
        query = {"age": r["age"], "area": r["area"], "q": keywords[k % len(keywords)]}
        return client.get("/_bench/baseline/directory-keyword/?" + urlencode(query))

    def evaluate_all(k: int):
        selectors.search_directory(person=everyone)
        return _Done()

    def evaluate_all_baseline(k: int):
        with connection.cursor() as cur:
            cur.execute(
                "SELECT s.id, r.rules, r.version FROM directory_service s "
                "JOIN directory_eligibilityruleset r ON r.id = s.current_rule_set_id "
                "WHERE s.lifecycle = 'published' AND s.archived_at IS NULL ORDER BY s.name, s.id"
            )
            cur.fetchall()
        return _Done()

    def form_only(k: int):
        return client.get("/directory/")

    pages = [
        Page("directory_form", "The search page before searching (form only: the page's fixed cost)", form_only,
             search_baseline),
        Page("directory_search", "Directory search, /directory/ (resident: age, area, benefits, health)", search,
             search_baseline),
        Page("directory_keyword", "Directory search with a keyword", keyword, keyword_baseline),
        Page("eligibility_all", f"Eligibility: one person against every published service ({candidates:,})",
             evaluate_all, evaluate_all_baseline),
    ]  # fmt: skip
    # The first search in a process decodes every candidate's rules (then kept by rule-set id).
    selectors._RULES_CACHE.clear()
    t0 = time.perf_counter()
    selectors.search_directory(person=everyone)
    cold = (time.perf_counter() - t0) * 1000
    results: dict[str, dict] = {}
    with override_settings(ROOT_URLCONF="bench.directory"):
        for page in pages:
            print(f"  {page.title} …", flush=True)
            results[page.name] = measure(
                page, requests=args.requests, warmup=args.warmup, budget=args.budget, memory_requests=3
            )

    # One rule set at a time, no database: the evaluator's own cost.
    rule_sets = list(
        EligibilityRuleSet.objects.filter(service__lifecycle=Lifecycle.PUBLISHED).values_list("rules", flat=True)
    )
    person = Circumstances(
        age=30, area="mansfield", benefits=frozenset({"uc_lcw"}), health_conditions=frozenset({"mental_health"})
    )
    one: list[float] = []
    for rules in rule_sets:
        t0 = time.perf_counter()
        evaluate(rules, person)
        one.append((time.perf_counter() - t0) * 1_000_000)
    # Every rule set at once, in memory: with reasons (what search did before it ranked with
    # outcome()) and without.
    explained, quick = [], []
    for _ in range(5):
        t0 = time.perf_counter()
        for rules in rule_sets:
            evaluate(rules, everyone)
        explained.append((time.perf_counter() - t0) * 1000)
        t0 = time.perf_counter()
        for rules in rule_sets:
            outcome(rules, everyone)
        quick.append((time.perf_counter() - t0) * 1000)

    today, where = date.today().isoformat(), machine()
    figures: list[dict] = []
    figure = figure_recorder(figures, size=args.services, database=database)

    for name, r in results.items():
        figure(f"{name} p50", r["p50"], "ms")
        figure(f"{name} p95", r["p95"], "ms")
        figure(f"{name} queries", r["queries"], "queries/request")
        figure(f"{name} baseline p50", r["baseline_p50"], "ms")
        figure(f"{name} baseline p95", r["baseline_p95"], "ms")
        figure(f"{name} ratio p95", r["ratio"], "x baseline")
        figure(f"{name} requests", r["requests"], "requests")
    figure("eligibility_all first search (rules not yet cached)", cold, "ms")
    figure("eligibility_one p50", statistics.median(one), "µs")
    figure("eligibility_one p95", percentile(one, 95), "µs")
    figure("evaluate every rule set with reasons p50", statistics.median(explained), "ms")
    figure("outcome of every rule set p50", statistics.median(quick), "ms")
    figure("published services", published, "services")
    if generated is not None:
        figure("generate services", generated, "s")

    OUT.mkdir(parents=True, exist_ok=True)
    (OUT / "directory.json").write_text(json.dumps(figures, indent=2, ensure_ascii=False))
    print()
    print(f"{args.services:,} generated services ({published:,} published), {database}, {where}, {today}")
    header = f"{'measure':<20}{'n':>5}{'p50 ms':>9}{'p95 ms':>9}{'queries':>9}{'base p50':>10}{'base p95':>10}"
    header += f"{'p95 ratio':>11}"
    print(header)
    print("-" * len(header))
    for name, r in results.items():
        print(
            f"{name:<20}{r['requests']:>5}{r['p50']:>9.1f}{r['p95']:>9.1f}{r['queries']:>9}"
            f"{r['baseline_p50']:>10.1f}{r['baseline_p95']:>10.1f}{r['ratio']:>11.1f}"
        )
    print(
        f"eligibility_one: p50 {statistics.median(one):.1f} µs, p95 {percentile(one, 95):.1f} µs per rule set "
        f"({len(one):,} rule sets)"
    )
    print(f"eligibility_all, first search in the process (no rules cached yet): {cold:.0f} ms")
    print(
        f"every rule set in memory: evaluate() with reasons {statistics.median(explained):.0f} ms, "
        f"outcome() {statistics.median(quick):.0f} ms (p50 of 5)"
    )
    print(f"load average now {os.getloadavg()[0]:.1f}")
    print(f"Written to {OUT / 'directory.json'}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
