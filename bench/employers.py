"""Matching at scale (issue 14): one vacancy against the cases, one person against the open vacancies.

    python -m bench.employers [--people 20000] [--seed 2026] [--repeats 30]

Uses the benchmark database (`bench.database`: ``joinedup_bench`` unless ``BENCH_DATABASE_URL``
says otherwise) with the synthetic partnership of `bench.run` at that size (employers one in 25
people, vacancies one in 10, work preferences for most people looking for work). Times, alternating
with its baseline each round, over a fixed sample of vacancies and of people:

* ``people_for_vacancy`` (the vacancy page's matching: narrowed in SQL, explained in Python, named
  for the adviser's partner and counted for the others, audited) against the bare indexed query
  that narrows the same cases (``VACANCY_SQL``);
* ``vacancies_for_case`` (the person's page) against the bare indexed query for the open vacancies
  in the districts they can reach (``PERSON_SQL``).

Writes ``var/bench/employers.json`` in the shape of `bench.run`.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from collections.abc import Callable
from functools import partial
from pathlib import Path
from typing import Any

from bench.common import synthetic_partnership, timed

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "var" / "bench"
os.environ["DJANGO_SETTINGS_MODULE"] = "bench.settings"

# The bare queries give the same answer as the selectors' SQL, in one statement each, scanned once:
# the matching table's rows in the job's district (hours overlapping), scored with the same CASEs,
# the adviser's partner's page of 50 and ruled-out 20 in rank order, and the others' counts by partner.
VACANCY_SQL = """
WITH c AS (
  SELECT r.case_id, r.partner_id, r.name,
    CASE WHEN r.hours_min IS NULL OR r.hours_max IS NULL THEN 0 ELSE 2 END AS h,
    CASE WHEN r.kinds IS NULL THEN 0 WHEN r.kinds & %(kind)s > 0 THEN 2 ELSE -1 END AS k,
    CASE WHEN r.goal_stems IS NULL THEN 0 WHEN r.goal_stems LIKE ANY(%(stems)s) THEN 2 ELSE -1 END AS g,
    CASE WHEN r.adjustments IS NULL THEN 0 WHEN r.adjustments & %(missing)s = 0 THEN 2 ELSE -1 END AS a,
    CASE WHEN %(paid)s AND r.better_off_wage <= %(wage)s THEN 1 ELSE 0 END AS u
  FROM employers_matchrow r
  WHERE r.district = %(district)s
    AND (r.hours_min IS NULL OR r.hours_max IS NULL OR (r.hours_min <= %(hi)s AND r.hours_max >= %(lo)s))
), s AS (
  SELECT *, h + 2 + k + g + a AS score,
    CASE WHEN k = -1 THEN 2 WHEN h = 2 AND k = 2 AND g = 2 AND a = 2 AND (NOT %(paid)s OR u = 1) THEN 0
         ELSE 1 END AS ord
  FROM c
)
(SELECT 'page', case_id::text, name FROM s WHERE partner_id = %(mine)s AND ord < 2
 ORDER BY ord, score + 2 * u DESC, (name || %(title)s) COLLATE "C", case_id LIMIT 50)
UNION ALL
(SELECT 'ruled', case_id::text, name FROM s WHERE partner_id = %(mine)s AND (ord = 2 OR u = 1)
 ORDER BY CASE WHEN k = -1 THEN score + 2 * u ELSE score - 1 END DESC, (name || %(title)s) COLLATE "C", case_id
 LIMIT 20)
UNION ALL
(SELECT 'count', partner_id::text, count(*)::text FROM s WHERE partner_id <> %(mine)s AND ord < 2 GROUP BY partner_id)
"""

PERSON_SQL = """
WITH c AS (
  SELECT v.id, v.title, e.name, s.district, v.hours_min, v.hours_max, v.kind, v.wage, v.wage_period,
    v.adjustments_offered, v.closing_on,
    CASE WHEN %(kinds)s::text[] IS NULL THEN 0 WHEN v.kind = ANY(%(kinds)s) THEN 2 ELSE -1 END AS k,
    CASE WHEN NOT %(has_goals)s THEN 0 WHEN v.title ILIKE ANY(%(stems)s) THEN 2 ELSE -1 END AS g,
    CASE WHEN %(needed)s::jsonb IS NULL THEN 0 WHEN v.adjustments_offered @> %(needed)s::jsonb THEN 2 ELSE -1 END AS a,
    CASE WHEN v.kind = ANY(%(paid_kinds)s) THEN 1 ELSE 0 END AS p
  FROM employers_vacancy v
  JOIN employers_site s ON s.id = v.site_id
  JOIN employers_employer e ON e.id = v.employer_id
  WHERE v.status = 'open' AND v.closing_on >= %(today)s AND s.district = ANY(%(districts)s)
    AND v.hours_min <= %(hi)s AND v.hours_max >= %(lo)s
), s AS (
  SELECT *, 4 + k + g + a AS score, CASE WHEN %(calc)s THEN p ELSE 0 END AS u FROM c
), r AS (
  SELECT *, CASE WHEN k = -1 THEN 2 WHEN k = 2 AND g = 2 AND a = 2 AND (p = 0 OR u = 1) THEN 0 ELSE 1 END AS ord FROM s
)
(SELECT 'page', id::text, title FROM r WHERE ord < 2 ORDER BY ord, score + 2 * u DESC, title COLLATE "C", closing_on, id
 LIMIT 50)
UNION ALL
(SELECT 'ruled', id::text, title FROM r WHERE ord = 2 OR u = 1
 ORDER BY CASE WHEN k = -1 THEN score + 2 * u ELSE score - 1 END DESC, title COLLATE "C", closing_on, id LIMIT 20)
"""


def _samples() -> tuple[list, list, dict, list]:
    """Ten open job vacancies, ten people with work preferences, an adviser at each partner."""
    from django.utils import timezone

    from joinedup.cases.models import Case
    from joinedup.demo.synth import SYNTH_ODS
    from joinedup.employers.models import Vacancy, WorkPreferences
    from joinedup.organisations.models import Membership, Role

    vacancies = list(
        Vacancy.objects.filter(status="open", closing_on__gte=timezone.localdate(), kind="job")
        .select_related("employer", "site")
        .order_by("id")[:10]
    )
    prefs = list(WorkPreferences.objects.order_by("id")[:10])
    if not vacancies or not prefs:
        raise SystemExit("No synthetic vacancies or work preferences: reload with --reset")
    members = Membership.objects.filter(organisation__ods_code=SYNTH_ODS, role=Role.PERSONAL_ADVISER)
    advisers = {m.organisation_id: m for m in members.select_related("user", "organisation").order_by("user__username")}
    cases = [Case.objects.select_related("person").get(pk=w.case_id) for w in prefs]
    return vacancies, prefs, advisers, cases


def _baselines(advisers: dict) -> tuple[Callable[..., list], Callable[..., Callable[[], list]]]:
    import json as _json

    from django.db import connection
    from django.utils import timezone

    from joinedup.employers.choices import PAID_KINDS
    from joinedup.employers.match_selectors import ALL_ADJUSTMENTS, post_for, seeker_for_case
    from joinedup.employers.match_table import KIND_BITS, UNKNOWN_ADJUSTMENT, adjustment_bits
    from joinedup.employers.matching import word_stems

    today = timezone.localdate()
    mine = next(iter(advisers.values())).organisation_id

    def vacancy_baseline(v: object) -> list:
        post = post_for(v)  # type: ignore[arg-type]
        paid = post.hourly_wage is not None and post.kind in PAID_KINDS
        offered = adjustment_bits(post.adjustments_offered) or 0
        values: dict[str, Any] = {
            "district": post.district, "lo": post.hours_min, "hi": post.hours_max, "mine": mine,
            "kind": KIND_BITS.get(post.kind, 0), "stems": [f"% {t} %" for t in sorted(word_stems(post.title))],
            "missing": (ALL_ADJUSTMENTS | UNKNOWN_ADJUSTMENT) & ~offered, "paid": paid,
            "wage": post.hourly_wage, "title": post.title,
        }  # fmt: skip
        with connection.cursor() as cur:
            cur.execute(VACANCY_SQL, values)
            return cur.fetchall()

    def person_baseline(case: object) -> Callable[[], list]:
        seeker = seeker_for_case(case)  # outside the timing: see _run
        stems = sorted({t for g in seeker.goals for t in word_stems(g)})
        needed = None if seeker.adjustments_needed is None else _json.dumps(sorted(seeker.adjustments_needed))
        values: dict[str, Any] = {
            "today": today, "districts": sorted({*(seeker.travel_districts or ()), seeker.home_district or ""}),
            "lo": seeker.hours_min, "hi": seeker.hours_max,
            "kinds": None if seeker.kinds is None else sorted(seeker.kinds), "has_goals": bool(seeker.goals),
            "stems": [f"%{t}%" for t in stems], "needed": needed, "paid_kinds": sorted(PAID_KINDS),
            "calc": seeker.better_off is not None,
        }  # fmt: skip

        def run() -> list:
            with connection.cursor() as cur:
                cur.execute(PERSON_SQL, values)
                return cur.fetchall()

        return run

    return vacancy_baseline, person_baseline


def _run(repeats: int) -> dict[str, dict[str, list[float]]]:
    from joinedup.employers.match_selectors import people_for_vacancy, vacancies_for_case

    vacancies, prefs, advisers, cases = _samples()
    vacancy_baseline, person_baseline = _baselines(advisers)
    actor = next(iter(advisers.values()))
    shown = [len(people_for_vacancy(actor=actor, vacancy=v).fits) for v in vacancies]
    narrowed = [len(vacancy_baseline(v)) for v in vacancies]
    print(f"Vacancy to people: {narrowed} cases narrowed in SQL, {shown} shown by name to one partner")
    pairs: list[tuple[str, Callable[[], object], Callable[[], object]]] = []
    for v in vacancies:
        pairs.append(
            ("people_for_vacancy", partial(people_for_vacancy, actor=actor, vacancy=v), partial(vacancy_baseline, v))
        )
    for case in cases:
        mine = partial(vacancies_for_case, actor=advisers[case.delivery_partner_id], case=case)
        pairs.append(("vacancies_for_case", mine, person_baseline(case)))
    for _name, selector, baseline in pairs * 2:  # warm up
        selector()
        baseline()
    results: dict[str, dict[str, list[float]]] = {}
    for _ in range(max(1, repeats // len(vacancies))):
        for name, selector, baseline in pairs:
            times = results.setdefault(name, {"selector": [], "baseline": []})
            times["selector"].append(timed(selector))
            times["baseline"].append(timed(baseline))
    return results


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--people", type=int, default=20_000)
    parser.add_argument("--seed", type=int, default=2026)
    parser.add_argument("--repeats", type=int, default=30)
    args = parser.parse_args(argv)
    sys.path.insert(0, str(ROOT))
    from bench.common import figure_recorder, percentile

    synthetic_partnership(args.people, args.seed)
    from joinedup.employers.models import Vacancy

    results = _run(args.repeats)
    figures: list[dict] = []
    size = f"{args.people:,} people, {Vacancy.objects.count():,} vacancies"
    figure = figure_recorder(figures, size=size, database="PostgreSQL")
    for name, times in results.items():
        for who in ("selector", "baseline"):
            figure(f"{name} {who} p50", percentile(times[who], 50), "ms")
            figure(f"{name} {who} p95", percentile(times[who], 95), "ms")
        ratio = percentile(times["selector"], 95) / percentile(times["baseline"], 95)
        figure(f"{name} p95 ratio to bare query", ratio, "ratio")
    for f in figures:
        print(f"{f['figure']:<48} {f['value']:>9} {f['unit']}")
    OUT.mkdir(parents=True, exist_ok=True)
    (OUT / "employers.json").write_text(json.dumps(figures, indent=2), encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
