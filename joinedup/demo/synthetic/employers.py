"""Employers (one in 25 people: 20,000 beside 500,000), each with a site, and vacancies (one in 10
people: 50,000), about 40% of them open; the work preferences of most people looking for work,
with the postcode districts they can travel to. Enough to time matching both ways (`bench.employers`)."""

from __future__ import annotations

import json
import random
from collections.abc import Callable, Iterator
from datetime import date
from typing import Any

from joinedup.cases.enrolment import stages
from joinedup.demo.synth.base import NULL, Ids, check_copy_text
from joinedup.employers.duplicates import name_key
from joinedup.employers.models import Employer, Site, TravelArea, Vacancy, WorkPreferences

from . import synthetic
from .cases import STAGES
from .people import POSTCODE_DISTRICTS

PEOPLE_PER_EMPLOYER = 25
PEOPLE_PER_VACANCY = 10
OPEN_SHARE = 0.4
PREFERENCES_SHARE = 0.7  # of the people looking for work, how many have said what they want
SIC = ["Q", "Q", "G", "G", "C", "I", "H", "N", "P", "O", "F", "M", "S"]
SIZES = ["micro", "micro", "small", "small", "medium", "large"]
NAME_WORDS = ["Sherwood", "Trent", "Forest", "Valley", "Abbey", "Castle", "Meadow", "Oak", "Riverside", "Station"]
NAME_KINDS = ["Care", "Engineering", "Foods", "Logistics", "Retail", "Print", "Cleaning", "Hospitality", "Building"]
TITLES = ["Care assistant", "Warehouse operative", "Retail assistant", "Cleaner", "Kitchen porter", "Administrator",
          "Production operative", "Driver", "Receptionist", "Healthcare support worker"]  # fmt: skip
KINDS = ["job"] * 14 + ["micro_job", "work_trial", "apprenticeship", "volunteering", "supported_internship"]
PATTERNS = ["part_time", "flexible", "shifts", "full_time", "term_time", "job_share"]
ADJUSTMENTS = ["hours", "duties", "equipment", "workplace", "support_worker", "travel"]
check_copy_text(NAME_WORDS, NAME_KINDS, TITLES)


def _ids(plan: Any, name: str) -> Ids:
    """An id stream of this module's own (the plan's streams are fixed)."""
    if name not in plan.ids:
        plan.ids[name] = Ids(plan.rng(f"ids:{name}"))
    return plan.ids[name]


def employer_count(plan: Any) -> int:
    return max(1, plan.n // PEOPLE_PER_EMPLOYER)


def _postcode(rng: random.Random) -> tuple[str, str]:
    district = rng.choice(POSTCODE_DISTRICTS)
    return district, f"{district} {rng.randrange(1, 10)}AB"


@synthetic(Employer, demo="employers.services.employer_create (joinedup/demo/employers.py)")
def employers(plan: Any, row: Callable[..., str]) -> Iterator[str]:
    rng = plan.rng("employers")
    ids = _ids(plan, "employer")
    ts = plan.day(plan.first_day) + " 09:00:00"
    for k in range(employer_count(plan)):
        name = f"{rng.choice(NAME_WORDS)} {rng.choice(NAME_KINDS)} {k + 1} Ltd"
        dc = rng.random() < 0.3
        yield row(
            id=ids(k), created_at=ts, updated_at=ts, created_by=NULL, name=name, name_key=name_key(name),
            companies_house_number=f"{10_000_000 + k:08d}"[-8:], sic_section=rng.choice(SIC),
            size_band=rng.choice(SIZES), disability_confident="employer" if dc else "",
            disability_confident_on=plan.day(plan.first_day) if dc else NULL,
            publishes_vacancies=rng.random() < 0.8, owner=plan.partners[k % len(plan.partners)].id,
        )  # fmt: skip


@synthetic(Site, demo="employers.services.employer_create with its first site")
def sites(plan: Any, row: Callable[..., str]) -> Iterator[str]:
    rng = plan.rng("sites")
    ids, employer = _ids(plan, "site"), _ids(plan, "employer")
    ts = plan.day(plan.first_day) + " 09:00:00"
    for k in range(employer_count(plan)):
        district, postcode = _postcode(rng)
        yield row(id=ids(k), created_at=ts, updated_at=ts, created_by=NULL, employer=employer(k), name="Main site",
                  postcode=postcode, district=district)  # fmt: skip


@synthetic(Vacancy, demo="employers.services.vacancy_create")
def vacancies(plan: Any, row: Callable[..., str]) -> Iterator[str]:
    rng = plan.rng("vacancies")
    ids, employer, site = _ids(plan, "vacancy"), _ids(plan, "employer"), _ids(plan, "site")
    n_employers = employer_count(plan)
    for v in range(max(1, plan.n // PEOPLE_PER_VACANCY)):
        e = rng.randrange(n_employers)
        opened = plan.cutoff_day - rng.randrange(1, 700)
        is_open = rng.random() < OPEN_SHARE
        closing = plan.cutoff_day + rng.randrange(1, 60) if is_open else opened + rng.randrange(14, 60)
        lo = rng.choice([8, 12, 16, 16, 20, 24, 30, 37])
        kind = rng.choice(KINDS)
        unpaid = kind in ("volunteering", "work_trial", "supported_internship")
        ts = plan.day(opened) + " 10:00:00"
        yield row(
            id=ids(v), created_at=ts, updated_at=ts, created_by=NULL, employer=employer(e), site=site(e),
            title=rng.choice(TITLES), description="Synthetic vacancy.", hours_min=lo,
            hours_max=lo + rng.choice([0, 4, 8, 12]), pattern=rng.choice(PATTERNS), contract_type="permanent",
            wage="0" if unpaid else f"{12.71 + rng.random() * 3:.2f}",
            wage_period="hour", age_band="21_and_over", kind=kind, openings=rng.randrange(1, 4),
            closing_on=date.fromordinal(closing).isoformat(),
            adjustments_offered=json.dumps(rng.sample(ADJUSTMENTS, rng.randrange(0, 4))), guaranteed_interview=False,
            how_to_apply="Through your adviser.", status="open" if is_open else rng.choice(["filled", "closed"]),
            published_on=plan.day(opened),
        )  # fmt: skip


def _seeking(plan: Any) -> Iterator[int]:
    """The cases still at the enrolled stage (looking for work)."""
    return (i for i in plan.enrolled() if STAGES[plan.stage[i]] == stages.ENROLLED)


def _preferences(plan: Any) -> Iterator[tuple[int, int, list[str], dict]]:
    """(n, case index, travel districts, the other values) for each person with preferences, every
    value drawn here so the two tables that read them (preferences, travel areas) see the same."""
    rng = plan.rng("work_preferences")
    n = 0
    for i in _seeking(plan):
        if rng.random() >= PREFERENCES_SHARE:
            continue
        districts = rng.sample(POSTCODE_DISTRICTS, rng.randrange(1, 4))
        lo = rng.choice([8, 12, 16, 16, 20, 30])
        values = {
            "hours_min": lo,
            "hours_max": lo + rng.choice([4, 8, 12]),
            "kinds": json.dumps(["job"] + (["work_trial"] if rng.random() < 0.3 else [])),
            "adjustments_needed": json.dumps(rng.sample(ADJUSTMENTS, rng.choice([0, 0, 1, 2]))),
        }
        yield n, i, districts, values
        n += 1


@synthetic(WorkPreferences, demo="employers.placement.work_preferences_set")
def work_preferences(plan: Any, row: Callable[..., str]) -> Iterator[str]:
    ids, case = _ids(plan, "work_preferences"), plan.ids["case"]
    ts = plan.day(plan.cutoff_day - 1) + " 11:00:00"
    for n, i, districts, values in _preferences(plan):
        yield row(
            id=ids(n), created_at=ts, updated_at=ts, created_by=plan.adviser_uid(i), case=case(i),
            travel_districts=json.dumps(districts), **values,
        )  # fmt: skip


@synthetic(TravelArea, demo="employers.placement.work_preferences_set (one row for each district)")
def travel_areas(plan: Any, row: Callable[..., str]) -> Iterator[str]:
    ids = _ids(plan, "work_preferences")
    for n, _i, districts, _values in _preferences(plan):
        for district in districts:
            yield row(preferences=ids(n), district=district)
