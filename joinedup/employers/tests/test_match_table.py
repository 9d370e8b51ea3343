"""The matching table (decision 030): kept in step by every writer of what it copies, and ranking on
it gives the same pages, reasons and counts as explaining every candidate and sorting them."""

import random
from decimal import Decimal
from typing import Any

import pytest
from django.utils import timezone

from joinedup.cases import selectors as case_selectors
from joinedup.cases.better_off.calculator import Household
from joinedup.cases.better_off.services import better_off_request
from joinedup.cases.models import BetterOffCalculation
from joinedup.cases.plan.services import plan_goal_add, plan_goal_set_status
from joinedup.cases.support.services import case_exit, case_reengage
from joinedup.directory.eligibility import Outcome
from joinedup.employers import match_rank, match_selectors
from joinedup.employers.match_selectors import (
    _POST_FIELDS,
    _post,
    people_for_vacancy,
    post_for,
    seeker_for_case,
    seekers,
    vacancies_for_case,
)
from joinedup.employers.match_table import match_rows_rebuild
from joinedup.employers.matching import Fit, check_hours, check_travel, match, may_fit, ranked
from joinedup.employers.models import MatchRow, Vacancy
from joinedup.employers.placement import PreferencesInput, work_preferences_set
from joinedup.governance.erasure import ErasureTrigger, person_erase
from joinedup.linkage.services import person_merge
from joinedup.organisations.selectors import organisation_names
from joinedup.people.services import person_update
from joinedup.testkit.employers import employer, vacancy

D = Decimal


def _rows(case) -> set[tuple[Any, ...]]:
    return {
        (r.district, r.name, r.hours_min, r.hours_max, r.kinds, r.adjustments, r.goal_stems, r.better_off_wage)
        for r in MatchRow.objects.filter(case=case)
    }


def _all_rows() -> set[tuple[Any, ...]]:
    fields = ("case_id", "partner_id", "district", "name", "hours_min", "hours_max", "kinds", "adjustments")
    return set(MatchRow.objects.values_list(*fields, "goal_stems", "better_off_wage"))


def _districts(case) -> set[str]:
    return {d for d, *_rest in _rows(case)}


def _in_step() -> None:
    """What the writers kept equals a rebuild from scratch."""
    kept = _all_rows()
    match_rows_rebuild()
    assert _all_rows() == kept


@pytest.mark.django_db
def test_the_case_writers_keep_the_table_in_step(partnership):
    p = partnership
    case = p.enrol(p.assign(p.refer(given_name="Ann", family_name="Lee")))
    assert _districts(case) == {"NG18"}  # enrolled: where she lives
    prefs = PreferencesInput(hours_min=D(16), hours_max=D(20), travel_districts=["NG19", "S80"], kinds=["job"])
    work_preferences_set(actor=p.adviser_a, case=case, data=prefs)
    assert _districts(case) == {"NG18", "NG19", "S80"}
    (row,) = {r for r in _rows(case) if r[0] == "NG19"}
    assert row[1:6] == ("Ann Lee", D(16), D(20), 1, None)  # job is bit 1; adjustments not known
    goal = plan_goal_add(case=case, actor=p.adviser_a, text="A job in care, driving")
    assert {r[6] for r in _rows(case)} == {" care drivi "}
    better_off_request(case=case, actor=p.adviser_a, household=Household(age=30), hourly_wage=D("12.50"))
    assert {r[7] for r in _rows(case)} == {D("12.50")}
    plan_goal_set_status(goal=goal, actor=p.adviser_a, status="achieved")
    assert {r[6] for r in _rows(case)} == {None}
    _in_step()
    today = timezone.localdate()
    case_exit(case=case, actor=p.adviser_a, closed_on=today, destination="other", reason="Moved away")
    assert _rows(case) == set()
    case_reengage(
        case=case_selectors.case_get(actor=p.adviser_a, pk=case.pk),
        actor=p.adviser_a,
        reengaged_on=today,
        reason="Back",
    )
    assert _districts(case) == {"NG18", "NG19", "S80"}
    p.job_start(case)
    assert _rows(case) == set()  # in work: no longer matched
    _in_step()


@pytest.mark.django_db
def test_the_person_writers_keep_the_table_in_step(partnership):
    p = partnership
    case = p.enrol(p.assign(p.refer(given_name="Bea", family_name="Moves")))
    person_update(person=case.person, changes={"postcode": "S80 1AB", "family_name": "Moved"})
    assert _rows(case) == {("S80", "Bea Moved", None, None, None, None, None, None)}
    # A merge moves the duplicate's case to the survivor: its rows carry the survivor's name and district.
    dup = p.enrol(p.assign(p.refer(given_name="Beatrice", family_name="Moved", postcode="NG19 1AA")))
    merge = person_merge(actor=p.programme, survivor=case.person, duplicate=dup.person, reason="Same person")
    assert {r[:2] for r in _rows(dup)} == {("S80", "Bea Moved")}  # where the survivor lives
    _in_step()
    from joinedup.linkage.services import person_merge_reverse

    person_merge_reverse(actor=p.programme, merge=merge, reason="Not the same")
    assert {r[:2] for r in _rows(dup)} == {("NG19", "Beatrice Moved")}
    _in_step()
    person_erase(person=case.person, trigger=ErasureTrigger.REQUEST)
    assert _rows(case) == set()  # erased: gone, and not written back
    assert _rows(dup) != set()
    _in_step()


# A mixed partnership: ranking in SQL must give what explaining every candidate gives.

NAMES = ["Ann Lee", "Ann Leeds", "Ann Lee", "ann lee", "Zed Åberg", "Cal Hours", "Dee Far", "Eve Care", "Fay Trial"]


def _mixed(p) -> dict[str, Any]:
    rng = random.Random(14)
    cases = []
    for n in range(22):
        given, family = NAMES[n % len(NAMES)].split(" ", 1)
        at_b = n % 4 == 3
        referral = p.refer(
            given_name=given, family_name=family, postcode=rng.choice(["NG18 1AA", "NG19 2BB", "S80 1AB"])
        )
        if at_b:
            case = p.enrol(p.assign(referral, partner=p.partner_b, adviser=p.adviser_b), adviser=p.adviser_b)
        else:
            case = p.enrol(p.assign(referral))
        adviser = p.adviser_b if at_b else p.adviser_a
        if rng.random() < 0.8:
            lo = rng.choice([None, D(8), D(16), D(30)])
            prefs = PreferencesInput(
                hours_min=lo,
                hours_max=None if lo is None else lo + rng.choice([D(0), D(8)]),
                travel_districts=rng.choice([None, [], ["NG18"], ["NG19", "NG18"], ["S80"]]),
                kinds=rng.choice([None, [], ["job"], ["work_trial"], ["job", "volunteering"]]),
                adjustments_needed=rng.choice([None, [], ["hours"], ["equipment", "hours"], ["travel"]]),
            )
            work_preferences_set(actor=adviser, case=case, data=prefs)
        for text in rng.choice([[], ["A job as a care assistant"], ["Driving"], ["Retail work", "Caring for people"]]):
            plan_goal_add(case=case, actor=adviser, text=text)
        if rng.random() < 0.4:
            calc = better_off_request(
                case=case, actor=adviser, household=Household(age=30), hourly_wage=rng.choice([D("12.21"), D("13.50")])
            )
            gain = rng.choice([D("50"), D("-3"), D("10")])
            points = [{"hours": h, "better_off": float(gain)} for h in rng.choice([[16], [16, 24], [40]])]
            BetterOffCalculation.objects.filter(pk=calc.pk).update(results={"points": points})
        cases.append(case)
    for name, weekly in (("Asha Fits", 50), ("Bo Worse", -5)):  # one who fits; one ruled out by better off alone
        given, family = name.split()
        case = p.enrol(p.assign(p.refer(given_name=given, family_name=family, postcode="NG18 1AA")))
        prefs = PreferencesInput(
            hours_min=D(16), hours_max=D(20), travel_districts=["NG18"], kinds=["job"], adjustments_needed=["hours"]
        )
        work_preferences_set(actor=p.adviser_a, case=case, data=prefs)
        plan_goal_add(case=case, actor=p.adviser_a, text="A job as a care assistant")
        calc = better_off_request(case=case, actor=p.adviser_a, household=Household(age=30), hourly_wage=D("12.21"))
        BetterOffCalculation.objects.filter(pk=calc.pk).update(
            results={"points": [{"hours": 16, "better_off": weekly}]}
        )
        cases.append(case)
    e = employer(p.adviser_a)
    e19 = employer(p.adviser_a, name="Mansfield Works", postcode="NG19 2BB")
    vacancies = [
        vacancy(p.adviser_a, e),
        vacancy(p.adviser_a, e, title="Care assistant (nights)", hours_min=D(30), hours_max=D(37)),
        vacancy(p.adviser_a, e, title="Work trial in care", kind="work_trial", wage=D("0"), adjustments_offered=[]),
        vacancy(p.adviser_a, e19, title="Driver", wage=D("27000"), wage_period="year", adjustments_offered=["travel"]),
        vacancy(p.adviser_a, e19, title="Retail assistant", kind="volunteering", wage=D("0")),
    ]
    return {"cases": cases, "vacancies": vacancies}


def _said(matches) -> list[tuple[Any, ...]]:
    return [
        (m.seeker.case_id, m.post.vacancy_id, m.fit, m.why, m.against, m.ruled_out_by, [c.reason for c in m.not_known])
        for m in matches
    ]


def _reference_people(actor, v: Vacancy, shown: int, ruled: int):
    post = post_for(v)
    everyone = seekers(case_selectors.cases_seeking_work().filter(person__archived_at__isnull=True).order_by("pk"))
    narrowed = [
        s
        for s in everyone
        if check_travel(s, post).outcome == Outcome.ELIGIBLE and check_hours(s, post).outcome != Outcome.NOT_ELIGIBLE
    ]
    mine = [match(s, post) for s in narrowed if s.partner_id == actor.organisation_id]
    fits = ranked([m for m in mine if m.fit != Fit.RULED_OUT])[:shown]
    out = ranked([m for m in mine if m.fit == Fit.RULED_OUT])[:ruled]
    counts: dict[Any, int] = {}
    for s in narrowed:
        if s.partner_id != actor.organisation_id and may_fit(s, post):
            counts[s.partner_id] = counts.get(s.partner_id, 0) + 1
    names = organisation_names(ids=list(counts))
    return fits, out, {names[k]: n for k, n in counts.items()}


def _reference_vacancies(case, shown: int, ruled: int):
    seeker = seeker_for_case(case)
    districts = set(seeker.travel_districts or ()) | ({seeker.home_district} if seeker.home_district else set())
    qs = Vacancy.objects.filter(status="open", closing_on__gte=timezone.localdate(), site__district__in=districts)
    if seeker.hours_min is not None and seeker.hours_max is not None:
        qs = qs.filter(hours_min__lte=seeker.hours_max, hours_max__gte=seeker.hours_min)
    matches = [match(seeker, _post(**r)) for r in qs.order_by("closing_on", "pk").values(*_POST_FIELDS)]
    return (
        ranked([m for m in matches if m.fit != Fit.RULED_OUT])[:shown],
        ranked([m for m in matches if m.fit == Fit.RULED_OUT])[:ruled],
    )


@pytest.mark.django_db
@pytest.mark.parametrize(("shown", "ruled", "extra"), [(50, 20, 10), (3, 2, 0), (1, 1, 0), (5, 3, 2)])
def test_ranking_in_sql_gives_the_same_pages_reasons_and_counts(partnership, monkeypatch, shown, ruled, extra):
    world = _mixed(partnership)
    monkeypatch.setattr(match_selectors, "SHOWN", shown)
    monkeypatch.setattr(match_selectors, "RULED_OUT_SHOWN", ruled)
    monkeypatch.setattr(match_rank, "FIRST_BATCH_EXTRA", extra)
    for actor in (partnership.adviser_a, partnership.adviser_b):
        for v in world["vacancies"]:
            got = people_for_vacancy(actor=actor, vacancy=v)
            fits, out, counts = _reference_people(actor, v, shown, ruled)
            assert _said(got.fits) == _said(fits), v.title
            assert _said(got.ruled_out) == _said(out), v.title
            assert got.elsewhere == counts
    for case in world["cases"]:
        actor = partnership.adviser_b if case.delivery_partner_id == partnership.partner_b.pk else partnership.adviser_a
        theirs = vacancies_for_case(actor=actor, case=case)
        fits, out = _reference_vacancies(case, shown, ruled)
        assert _said(theirs.fits) == _said(fits)
        assert _said(theirs.ruled_out) == _said(out)


@pytest.mark.django_db
def test_the_mixed_fixture_exercises_every_outcome(partnership):
    world = _mixed(partnership)
    seen: set[Any] = set()
    for v in world["vacancies"]:
        for m in people_for_vacancy(actor=partnership.adviser_a, vacancy=v).fits:
            seen.add(m.fit)
        for m in people_for_vacancy(actor=partnership.adviser_a, vacancy=v).ruled_out:
            seen.add((m.fit, tuple(c.criterion for c in m.checks if c.outcome == Outcome.NOT_ELIGIBLE and not c.soft)))
    assert Fit.FITS in seen and Fit.MAY_FIT in seen
    assert (Fit.RULED_OUT, ("kind",)) in seen
    assert (Fit.RULED_OUT, ("better_off",)) in seen
    _in_step()
