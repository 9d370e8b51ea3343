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

from bench.common import synthetic_partnership, timed

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "var" / "bench"
os.environ["DJANGO_SETTINGS_MODULE"] = "bench.settings"

VACANCY_SQL = """
SELECT k.id, k.delivery_partner_id, p.given_name, p.family_name, p.postcode_district,
       w.hours_min, w.hours_max, w.travel_districts, w.kinds, w.adjustments_needed
FROM cases_case k
JOIN people_person p ON p.id = k.person_id
LEFT JOIN employers_workpreferences w ON w.case_id = k.id
WHERE k.stage = 'enrolled' AND k.archived_at IS NULL AND k.closed_on IS NULL
  AND (w.hours_min IS NULL OR w.hours_max IS NULL OR (w.hours_min <= %(hi)s AND w.hours_max >= %(lo)s))
  AND k.id IN (
        SELECT k2.id FROM cases_case k2 JOIN people_person p2 ON p2.id = k2.person_id
        WHERE p2.postcode_district = %(district)s
        UNION SELECT w2.case_id FROM employers_travelarea t
        JOIN employers_workpreferences w2 ON w2.id = t.preferences_id WHERE t.district = %(district)s)
ORDER BY k.id LIMIT 2000
"""

PERSON_SQL = """
SELECT v.id, v.title, e.name, s.district, v.hours_min, v.hours_max, v.kind, v.wage, v.adjustments_offered
FROM employers_vacancy v
JOIN employers_site s ON s.id = v.site_id
JOIN employers_employer e ON e.id = v.employer_id
WHERE v.status = 'open' AND v.closing_on >= %(today)s AND s.district = ANY(%(districts)s)
  AND v.hours_min <= %(hi)s AND v.hours_max >= %(lo)s
ORDER BY v.closing_on, v.id LIMIT 2000
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


def _baselines() -> tuple[Callable[..., list], Callable[..., list]]:
    from django.db import connection
    from django.utils import timezone

    today = timezone.localdate()

    def vacancy_baseline(v: object) -> list:
        district = v.site.district  # type: ignore[attr-defined]
        values = {"lo": v.hours_min, "hi": v.hours_max, "district": district}  # type: ignore[attr-defined]
        with connection.cursor() as cur:
            cur.execute(VACANCY_SQL, values)
            return cur.fetchall()

    def person_baseline(w: object) -> list:
        districts = sorted(set(w.travel_districts or []))  # type: ignore[attr-defined]
        values = {"today": today, "districts": districts, "lo": w.hours_min, "hi": w.hours_max}  # type: ignore[attr-defined]
        with connection.cursor() as cur:
            cur.execute(PERSON_SQL, values)
            return cur.fetchall()

    return vacancy_baseline, person_baseline


def _run(repeats: int) -> dict[str, dict[str, list[float]]]:
    from joinedup.employers.match_selectors import people_for_vacancy, vacancies_for_case

    vacancies, prefs, advisers, cases = _samples()
    vacancy_baseline, person_baseline = _baselines()
    actor = next(iter(advisers.values()))
    shown = [len(people_for_vacancy(actor=actor, vacancy=v).fits) for v in vacancies]
    narrowed = [len(vacancy_baseline(v)) for v in vacancies]
    print(f"Vacancy to people: {narrowed} cases narrowed in SQL, {shown} shown by name to one partner")
    pairs: list[tuple[str, Callable[[], object], Callable[[], object]]] = []
    for v in vacancies:
        pairs.append(
            ("people_for_vacancy", partial(people_for_vacancy, actor=actor, vacancy=v), partial(vacancy_baseline, v))
        )
    for w, case in zip(prefs, cases, strict=True):
        mine = partial(vacancies_for_case, actor=advisers[case.delivery_partner_id], case=case)
        pairs.append(("vacancies_for_case", mine, partial(person_baseline, w)))
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
