"""Matching both ways, with reasons: who fits, who does not and why, what is not known; the edges of
hours, travel area, adjustments and the better-off figure; names only for the adviser's own partner."""

from datetime import date, timedelta
from decimal import Decimal
from typing import Any

import pytest
from django.utils import timezone

from joinedup.cases.models import BetterOffCalculation
from joinedup.cases.services import plan_goal_add
from joinedup.core.errors import NotPermitted
from joinedup.directory.eligibility import Outcome
from joinedup.employers.match_selectors import people_for_vacancy, vacancies_for_case
from joinedup.employers.matching import (
    BetterOff,
    Fit,
    Post,
    Seeker,
    check_adjustments,
    check_better_off,
    check_hours,
    check_travel,
    match,
    may_fit,
)
from joinedup.employers.placement import PreferencesInput, work_preferences_set
from joinedup.testkit.employers import employer, vacancy

D = Decimal


def _post(**kw):
    values: dict[str, Any] = {
        "vacancy_id": 1,
        "title": "Care assistant",
        "employer_name": "Sherwood Care",
        "district": "NG18",
        "hours_min": D(16),
        "hours_max": D(24),
        "kind": "job",
        "hourly_wage": D("12.80"),
        "adjustments_offered": frozenset({"hours"}),
    }
    values.update(kw)
    return Post(**values)


def _seeker(**kw):
    values: dict[str, Any] = {"case_id": 1, "partner_id": 1, "name": "Sam", "home_district": "NG18"}
    values.update(kw)
    return Seeker(**values)


def _full(**kw):
    values: dict[str, Any] = {
        "hours_min": D(10),
        "hours_max": D(16),
        "travel_districts": frozenset({"NG18"}),
        "kinds": frozenset({"job"}),
        "adjustments_needed": frozenset({"hours"}),
        "goals": ("Work in care",),
        "better_off": BetterOff(D("12.71"), date(2026, 11, 1), ((D(16), D(80)),)),
    }
    values.update(kw)
    return _seeker(**values)


def test_person_who_fits_says_why():
    m = match(_full(), _post())
    assert m.fit == Fit.FITS
    assert "Wants 10 to 16 hours a week; the job offers 16 to 24 hours" in m.why
    assert "Matches their goal: \u201cWork in care\u201d" in m.why
    assert any("£80 a week better off at 16 hours" in r for r in m.why)
    assert m.ruled_out_by == [] and m.not_known == []


def test_person_who_does_not_fit_says_why():
    m = match(
        _full(hours_min=D(5), hours_max=D(10), travel_districts=frozenset({"NG19"}), home_district="NG20"), _post()
    )
    assert m.fit == Fit.RULED_OUT
    assert "Wants 5 to 10 hours a week, but the job offers 16 to 24 hours" in m.ruled_out_by
    assert "The job is in NG18; they can travel to NG19" in m.ruled_out_by


def test_person_with_unknowns_may_fit_and_says_what_would_settle_it():
    m = match(_seeker(home_district="NG21"), _post())
    assert m.fit == Fit.MAY_FIT
    settle = [c.settle for c in m.not_known]
    assert "Ask how many hours a week they want to work" in settle
    assert "Ask which areas they can travel to" in settle
    assert "Run a better-off calculation" in settle


@pytest.mark.parametrize(
    "lo, hi, outcome",
    [
        (16, 16, Outcome.ELIGIBLE),
        (24, 30, Outcome.ELIGIBLE),
        (10, "15.9", Outcome.NOT_ELIGIBLE),
        ("24.5", 30, Outcome.NOT_ELIGIBLE),
    ],
)
def test_hours_edges(lo, hi, outcome):
    assert check_hours(_seeker(hours_min=D(str(lo)), hours_max=D(str(hi))), _post()).outcome == outcome


def test_travel_edges():
    assert check_travel(_seeker(home_district="NG18"), _post()).outcome == Outcome.ELIGIBLE  # lives there, not asked
    assert (
        check_travel(_seeker(home_district="NG18", travel_districts=frozenset()), _post()).outcome == Outcome.ELIGIBLE
    )
    assert (
        check_travel(_seeker(home_district="NG19", travel_districts=frozenset()), _post()).outcome
        == Outcome.NOT_ELIGIBLE
    )
    assert check_travel(_seeker(home_district=None), _post()).outcome == Outcome.UNKNOWN


def test_adjustments_edges_missing_one_is_soft():
    assert check_adjustments(_seeker(adjustments_needed=frozenset()), _post()).outcome == Outcome.ELIGIBLE
    assert check_adjustments(_seeker(adjustments_needed=frozenset({"hours"})), _post()).outcome == Outcome.ELIGIBLE
    missing = check_adjustments(_seeker(adjustments_needed=frozenset({"hours", "equipment"})), _post())
    assert missing.outcome == Outcome.NOT_ELIGIBLE and missing.soft
    assert "Does not offer: equipment" in missing.reason
    assert match(_full(adjustments_needed=frozenset({"equipment"})), _post()).fit == Fit.MAY_FIT


def test_better_off_edges():
    def at(gain, wage="12.71", hours=16):
        return _seeker(better_off=BetterOff(D(wage), date(2026, 11, 1), ((D(str(hours)), D(gain)),)))

    def outcome(seeker, post=None):
        found = check_better_off(seeker, post or _post())
        assert found is not None
        return found

    assert outcome(at(1)).outcome == Outcome.ELIGIBLE
    zero = outcome(at(0))
    assert zero.outcome == Outcome.NOT_ELIGIBLE and not zero.soft  # not better off rules it out
    assert outcome(at(50, wage="13.00")).outcome == Outcome.UNKNOWN  # calculated at a higher wage
    assert outcome(at(50, hours=20)).outcome == Outcome.ELIGIBLE  # within 4 hours
    assert outcome(at(50, hours="20.5")).outcome == Outcome.UNKNOWN
    assert check_better_off(at(50), _post(kind="volunteering", hourly_wage=None)) is None


@pytest.fixture
def world(partnership):
    p = partnership
    own = p.enrol(p.assign(p.refer(given_name="Asha", family_name="Fits")))
    unknown = p.enrol(p.assign(p.refer(given_name="Bea", family_name="Unknown")))
    hours = p.enrol(p.assign(p.refer(given_name="Cal", family_name="Hours")))
    other = p.enrol(
        p.assign(p.refer(given_name="Dee", family_name="Elsewhere"), partner=p.partner_b, adviser=p.adviser_b),
        adviser=p.adviser_b,
    )
    far = p.enrol(p.assign(p.refer(given_name="Eve", family_name="Far", postcode="DE1 1AA")))
    prefs = PreferencesInput(
        hours_min=D(16), hours_max=D(20), travel_districts=["NG18", "NG19"], kinds=["job"], adjustments_needed=[]
    )
    work_preferences_set(actor=p.adviser_a, case=own, data=prefs)
    work_preferences_set(actor=p.adviser_a, case=hours, data=PreferencesInput(hours_min=D(30), hours_max=D(37)))
    work_preferences_set(actor=p.adviser_b, case=other, data=prefs)
    plan_goal_add(case=own, actor=p.adviser_a, text="A job as a care assistant")
    BetterOffCalculation.objects.create(
        case=own,
        household={},
        hourly_wage=D("12.71"),
        tax_year=2026,
        model_version="t",
        results={"points": [{"hours": 16, "better_off": 95.5}]},
    )
    e = employer(p.adviser_a)
    v = vacancy(p.adviser_a, e)
    return {"own": own, "unknown": unknown, "hours": hours, "other": other, "far": far, "vacancy": v}


@pytest.mark.django_db
def test_vacancy_to_people_names_own_partner_counts_others(partnership, world):
    result = people_for_vacancy(actor=partnership.adviser_a, vacancy=world["vacancy"])
    names = [m.seeker.name for m in result.fits]
    assert names == ["Asha Fits", "Bea Unknown"]  # ranked: fits first
    assert result.fits[0].fit == Fit.FITS and result.fits[1].fit == Fit.MAY_FIT
    assert [m.seeker.name for m in result.ruled_out] == []  # hours ruled out in SQL
    assert result.elsewhere == {"Partner B": 1}
    assert "Dee Elsewhere" not in str([m.seeker for m in result.fits + result.ruled_out])
    # Partner B's adviser sees Dee by name and a count for Partner A.
    other = people_for_vacancy(actor=partnership.adviser_b, vacancy=world["vacancy"])
    assert [m.seeker.name for m in other.fits] == ["Dee Elsewhere"]
    assert other.elsewhere == {"Partner A": 2}


@pytest.mark.django_db
@pytest.mark.parametrize("role", ["referrer", "programme", "analyst", "admin"])
def test_only_advisers_match_people(partnership, world, role):
    with pytest.raises(NotPermitted):
        people_for_vacancy(actor=getattr(partnership, role), vacancy=world["vacancy"])


@pytest.mark.django_db
def test_person_to_vacancies(partnership, world):
    e2 = employer(partnership.adviser_a, name="Far Away Ltd", postcode="DE1 1AA")
    vacancy(partnership.adviser_a, e2, title="Care assistant (Derby)")
    trial = vacancy(
        partnership.adviser_a, world["vacancy"].employer, title="Work trial in care", kind="work_trial", wage=D("0")
    )
    result = vacancies_for_case(actor=partnership.adviser_a, case=world["own"])
    assert [m.post.title for m in result.fits] == ["Care assistant"]
    assert [m.post.title for m in result.ruled_out] == [trial.title]
    assert "This is a work trial; they want: job" in result.ruled_out[0].ruled_out_by
    with pytest.raises(NotPermitted):
        vacancies_for_case(actor=partnership.adviser_b, case=world["own"])


@pytest.mark.django_db
def test_closed_or_past_vacancies_not_matched(partnership, world):
    v = world["vacancy"]
    type(v).objects.filter(pk=v.pk).update(closing_on=timezone.localdate() - timedelta(days=1))
    assert vacancies_for_case(actor=partnership.adviser_a, case=world["own"]).fits == []


def test_may_fit_agrees_with_match_for_counting_other_partners():
    # Other partners' people are counted with `may_fit` (the checks that can rule out, not the soft
    # ones): it must agree with the full match on every edge.
    better = BetterOff(D("12.00"), date(2026, 1, 1), ((D(16), D(40)), (D(24), D(-5))))
    seekers = [
        _seeker(),
        _full(),
        _full(hours_min=D(30), hours_max=D(37)),
        _full(travel_districts=frozenset({"S80"}), home_district="S80"),
        _full(kinds=frozenset({"volunteering"})),
        _full(adjustments_needed=frozenset({"equipment"}), goals=()),
        _full(better_off=better),
    ]
    posts = [_post(), _post(hours_min=D(24), hours_max=D(24)), _post(kind="work_trial", hourly_wage=None)]
    for s in seekers:
        for p in posts:
            assert may_fit(s, p) == (match(s, p).fit != Fit.RULED_OUT), (s, p)


@pytest.mark.django_db
def test_home_district_is_derived_by_the_database_and_matched_on(partnership, world):
    from joinedup.people.models import Person

    bea = world["unknown"].person  # no preferences: matched only because she lives in the job's district
    assert Person.objects.get(pk=bea.pk).postcode_district == "NG18"
    names = [m.seeker.name for m in people_for_vacancy(actor=partnership.adviser_a, vacancy=world["vacancy"]).fits]
    assert "Bea Unknown" in names
    for written, district in (("ng19 7aa", "NG19"), ("NG197AA", "NG19"), ("S80 1AB", "S80")):
        Person.objects.filter(pk=bea.pk).update(postcode=written)  # even a bulk update keeps it
        assert Person.objects.get(pk=bea.pk).postcode_district == district
    names = [m.seeker.name for m in people_for_vacancy(actor=partnership.adviser_a, vacancy=world["vacancy"]).fits]
    assert "Bea Unknown" not in names
