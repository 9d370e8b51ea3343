"""Public search narrows in SQL, then evaluates: the narrowing never changes the answer (hypothesis,
against evaluating every published service in Python), ages come from the rules, results are paged,
postcodes are checked and mapped, opening times filter, and each result says why it fits."""

from __future__ import annotations

from datetime import time

import pytest
from django.test import Client
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from hypothesis.extra.django import TestCase as HypothesisTestCase

from joinedup.directory import areas
from joinedup.directory.eligibility import Circumstances, Outcome, age_range, evaluate, outcome
from joinedup.directory.models import Lifecycle, Schedule, Service
from joinedup.directory.seed import SEED_FILE, seed_id
from joinedup.directory.selectors import OpeningFilter, SearchCriteria, search_directory, search_with_eligibility

pytestmark = pytest.mark.django_db

# --- strategies: people and rule trees -----------------------------------------------------------

AREA_CODES = sorted(areas.AREAS)
people = st.builds(
    Circumstances,
    age=st.none() | st.integers(0, 100),
    area=st.none() | st.sampled_from(AREA_CODES),
    postcode=st.none() | st.sampled_from(["NG18 1AB", "DE1 1AA", "NR2 1AA", "ZE1 0AA", "S44 6AA", "nonsense"]),
    employment_status=st.none() | st.sampled_from(["unemployed", "inactive", "employed_off_sick", "employed_at_risk"]),
    benefits=st.none() | st.frozensets(st.sampled_from(["esa", "uc", "uc_lcw", "uc_lcwra", "jsa", "pip", "none"])),
    months_on_benefits=st.none() | st.integers(0, 200),
    months_out_of_work=st.none() | st.integers(0, 200),
    health_conditions=st.none() | st.frozensets(st.sampled_from(["mental_health", "autism", "substance_use"])),
    situations=st.none() | st.frozensets(st.sampled_from(["ex_offender", "homelessness", "ehc_plan", "disability"])),
    referral_source=st.none() | st.sampled_from(["gp_practice", "jobcentre", "self"]),
)

leaves = st.one_of(
    st.builds(
        lambda lo, hi: (
            {"criterion": "age", **({"min": lo} if lo is not None else {}), "max": hi}
            if hi is not None
            else {"criterion": "age", "min": lo if lo is not None else 0}
        ),
        st.none() | st.integers(0, 70),
        st.none() | st.integers(10, 90),
    ),
    st.builds(
        lambda a: {"criterion": "area", "areas": a}, st.lists(st.sampled_from(AREA_CODES), min_size=1, max_size=3)
    ),
    st.builds(
        lambda d: {"criterion": "area", "postcode_districts": d}, st.lists(st.sampled_from(["NG18", "DE1"]), min_size=1)
    ),
    st.builds(
        lambda b: {"criterion": "benefits", "any_of": b}, st.lists(st.sampled_from(["esa", "uc", "pip"]), min_size=1)
    ),
    st.builds(
        lambda s: {"criterion": "situation", "is": s}, st.sampled_from(["ex_offender", "homelessness", "ehc_plan"])
    ),
    st.builds(lambda m: {"criterion": "months_out_of_work", "min": m}, st.integers(0, 36)),
    st.builds(
        lambda e: {"criterion": "employment_status", "in": e},
        st.lists(st.sampled_from(["unemployed", "inactive"]), min_size=1),
    ),
    st.builds(
        lambda r: {"criterion": "referral_source", "in": r},
        st.lists(st.sampled_from(["gp_practice", "self"]), min_size=1),
    ),
    st.builds(
        lambda h: {"criterion": "health_condition", "any_of": h},
        st.lists(st.sampled_from(["mental_health", "autism"]), min_size=1),
    ),
    st.just({"criterion": "open"}),
)


def _at_least(children: list[dict], n: int) -> dict:
    return {"at_least": max(1, min(n, len(children))), "of": children}


rule_trees = st.recursive(
    leaves,
    lambda inner: st.one_of(
        st.builds(lambda c: {"all": c}, st.lists(inner, min_size=1, max_size=4)),
        st.builds(lambda c: {"any": c}, st.lists(inner, min_size=1, max_size=4)),
        st.builds(_at_least, st.lists(inner, min_size=1, max_size=4), st.integers(1, 4)),
    ),
    max_leaves=8,
) | st.just({"stated": False})


@settings(max_examples=400, deadline=None)
@given(rules=rule_trees, person=people)
def test_the_quick_outcome_agrees_with_the_explained_one(rules: dict, person: Circumstances) -> None:
    assert outcome(rules, person) == evaluate(rules, person).outcome


@settings(max_examples=400, deadline=None)
@given(rules=rule_trees, person=people)
def test_outside_the_implied_age_range_is_never_eligible(rules: dict, person: Circumstances) -> None:
    """age_range is a necessary condition, so SQL may leave out services by age before evaluating."""
    low, high = age_range(rules)
    if person.age is not None and ((low is not None and person.age < low) or (high is not None and person.age > high)):
        assert evaluate(rules, person).outcome == Outcome.NOT_ELIGIBLE


def test_seed_ages_are_the_rules_ages() -> None:
    for service in Service.objects.select_related("current_rule_set"):
        rules = service.current_rules()
        assert rules is not None, service.name
        assert rules.version == service.rule_sets.order_by("-version").first().version
        assert (service.minimum_age, service.maximum_age) == age_range(rules.rules), service.name
    assert age_range({"all": [{"criterion": "age", "min": 18, "max": 24}]}) == (18, 24)
    inspire = Service.objects.get(id=seed_id("service", "inspire-local"))
    assert (inspire.minimum_age, inspire.maximum_age) == (18, None)  # three routes: 18-24, 25+, 50+


# --- narrowing in SQL gives the same answers as evaluating everything ----------------------------


def _serves(service: Service, home: str) -> bool:
    served = [a.area for a in service.service_areas.all() if a.area]
    if not served:
        return True
    around = set(areas.ancestors(home))
    return any(code in around or home in areas.ancestors(code) for code in served)


def brute_force(person: Circumstances) -> list[str]:
    """What search used to do: evaluate every published service in Python."""
    order = {Outcome.ELIGIBLE: 0, Outcome.UNKNOWN: 1}
    found = []
    home = person.home_area()
    published = Service.objects.filter(lifecycle=Lifecycle.PUBLISHED).prefetch_related("service_areas", "rule_sets")
    for service in sorted(published, key=lambda s: (s.name, s.id)):
        if home and not _serves(service, home):
            continue
        latest = max(service.rule_sets.all(), key=lambda r: r.version)
        answer = evaluate(latest.rules, person).outcome
        if answer != Outcome.NOT_ELIGIBLE:
            found.append((order[answer], service.name, str(service.id)))
    return [name for _o, name, _i in sorted(found, key=lambda f: f[0])]


class TestNarrowingChangesNothing(HypothesisTestCase):
    @settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
    @given(person=people)
    def test_same_services_same_order(self, person: Circumstances) -> None:
        from django.apps import apps

        from joinedup.directory.seed import load_seed

        if not Service.objects.exists():
            load_seed(lambda name: apps.get_model("directory", name))
        assert [m.service.name for m in search_with_eligibility(person=person)] == brute_force(person)


# --- paging, postcode, opening times, why it fits --------------------------------------------------


def test_results_are_paged_and_the_total_counts_every_page() -> None:
    everyone = search_directory(person=Circumstances(), per_page=None)
    assert everyone.total > 20
    first = search_directory(person=Circumstances(), per_page=10)
    second = search_directory(person=Circumstances(), page=2, per_page=10)
    assert (first.total, first.pages, len(first.matches)) == (everyone.total, -(-everyone.total // 10), 10)
    assert [m.service.id for m in first.matches + second.matches] == [m.service.id for m in everyone.matches[:20]]
    beyond = search_directory(person=Circumstances(), page=999, per_page=10)
    assert beyond.page == first.pages and beyond.matches  # past the end shows the last page


def test_search_page_shows_pages(client: Client) -> None:
    html = client.get("/directory/", {"q": ""}).content.decode()
    html = client.get("/directory/", {"employment_status": "unemployed"}).content.decode()
    assert "page 1 of 2" in html and 'rel="next"' in html and "page=2" in html
    page2 = client.get("/directory/", {"employment_status": "unemployed", "page": "2"}).content.decode()
    assert "page 2 of 2" in page2 and 'rel="prev"' in page2
    assert client.get("/directory/", {"employment_status": "unemployed", "page": "x' OR 1=1"}).status_code == 200


def test_search_runs_a_fixed_number_of_queries(client: Client, django_assert_max_num_queries) -> None:
    with django_assert_max_num_queries(9):
        client.get("/directory/", {"employment_status": "unemployed"})
    with django_assert_max_num_queries(9):
        client.get("/directory/", {"area": "mansfield", "age": "30", "q": "work"})


@pytest.mark.parametrize(
    ("postcode", "message"),
    [
        ("hello", "Enter a real postcode, like NG18 1AB, or the first part of it, like NG18"),
        ("not a postcode", "A postcode is at most 8 characters"),
        ("<script>alert(1)</script>", "A postcode is at most 8 characters"),
        ("'; DROP TABLE", "A postcode is at most 8 characters"),
        ("ZE1 0AA", "We do not know which council area ZE1 is in"),
        ("12345", "Enter a real postcode"),
    ],
)
def test_a_bad_or_unknown_postcode_is_explained(client: Client, postcode: str, message: str) -> None:
    response = client.get("/directory/", {"postcode": postcode})
    html = response.content.decode()
    assert message in html
    assert "govuk-error-summary" in html
    assert "<script>alert(1)</script>" not in html
    assert "service found" not in html and "services found" not in html


def test_a_postcode_or_its_district_finds_the_local_authority(client: Client) -> None:
    for postcode in ("NG18 1AB", "ng181ab", "NG18"):
        html = client.get("/directory/", {"postcode": postcode}).content.decode()
        assert "Postcode district NG18 is in Mansfield." in html, postcode
        assert "Covers Nottinghamshire, which includes Mansfield." in html
        assert "J2E job clubs" not in html  # Derby only


def test_a_postcode_that_contradicts_the_area_chosen(client: Client) -> None:
    html = client.get("/directory/", {"postcode": "DE1 1AA", "area": "mansfield"}).content.decode()
    assert "DE1 1AA is in Derby City, not Mansfield" in html


def test_norfolk_districts_and_a_county_only_district() -> None:
    assert areas.area_for_postcode("NR2 1AA") == "norwich"
    assert areas.area_for_postcode("NR5 9AA") == "norfolk"  # split between districts: the county only
    rules = {"criterion": "area", "areas": ["norwich"]}
    assert evaluate(rules, Circumstances(postcode="NR5 9AA")).outcome == Outcome.UNKNOWN
    assert "but we do not know which part" in evaluate(rules, Circumstances(postcode="NR5 9AA")).reasons[0]
    assert evaluate(rules, Circumstances(postcode="NR2 1AA")).outcome == Outcome.ELIGIBLE
    assert evaluate(rules, Circumstances(postcode="DE1 1AA")).outcome == Outcome.NOT_ELIGIBLE


def test_areas_come_from_the_vendored_ons_data() -> None:
    assert areas.AREAS["mansfield"].gss == "E07000174"
    assert areas.ancestors("mansfield") == ("mansfield", "nottinghamshire", "d2n2", "east_midlands", "england")
    assert "norwich" in dict(areas.local_authority_choices())
    assert set(areas.POSTCODE_DISTRICTS.values()) <= set(areas.AREAS)


def test_opening_times_filter_and_say_when(client: Client) -> None:
    talent = Service.objects.get(id=seed_id("service", "talent-match"))
    Schedule.objects.create(service=talent, freq="WEEKLY", byday="SA", opens_at=time(10), closes_at=time(14))
    html = client.get("/directory/", {"open_on": "SA"}).content.decode()
    assert "Talent Match" in html and "Open Saturday 10:00 to 14:00." in html
    assert "Access to Work" not in html  # publishes no opening times
    assert "Only services that publish their opening times are shown" in html
    assert "Talent Match" in client.get("/directory/", {"open_on": "SA", "open_at": "11:30"}).content.decode()
    assert "Talent Match" not in client.get("/directory/", {"open_on": "SA", "open_at": "14:00"}).content.decode()
    assert "Talent Match" not in client.get("/directory/", {"open_on": "SU"}).content.decode()
    bad = client.get("/directory/", {"open_at": "half past"}).content.decode()
    assert "Enter a time in the 24-hour clock, like 09:30 or 17:00" in bad


def test_opening_filter_in_python_matches_sql() -> None:
    s = Schedule(byday="MO,TU", opens_at=time(9), closes_at=time(17))
    assert OpeningFilter(day="MO", open_at=time(9)).matches(s)
    assert not OpeningFilter(day="WE").matches(s)
    assert not OpeningFilter(open_at=time(17)).matches(s)


def test_age_narrows_in_sql_and_the_answer_is_unchanged(client: Client) -> None:
    result = search_directory(person=Circumstances(age=30), per_page=None)
    names = {m.service.name for m in result.matches}
    assert "Talent Match" not in names  # 18 to 24
    assert "Access to Work" in names
    with_not_eligible = search_directory(person=Circumstances(age=30), include_not_eligible=True, per_page=None)
    talent = next(m for m in with_not_eligible.matches if m.service.name == "Talent Match")
    assert talent.evaluation.outcome == Outcome.NOT_ELIGIBLE  # still evaluated when asked for


def test_why_it_fits_names_the_need_and_keyword() -> None:
    from joinedup.directory.models import TaxonomyTerm

    need = TaxonomyTerm.objects.get(code="money_advice")
    result = search_directory(person=Circumstances(area="derby"), criteria=SearchCriteria(text="money", need=need.id))
    money = next(m for m in result.matches if "Money Sorted" in m.service.name)
    assert "Offers money and debt advice." in money.fits or any(f.startswith("Offers ") for f in money.fits)
    assert "Matches “money”." in money.fits
    assert "Covers Derby, Derbyshire, Nottingham and Nottinghamshire (D2N2), which includes Derby City." in money.fits


def test_seed_file_rules_all_have_an_age_range() -> None:
    import json

    for item in json.loads(SEED_FILE.read_text())["services"]:
        low, high = age_range(item["rules"])
        assert low is None or high is None or low <= high


@pytest.mark.parametrize(
    "text", ["'; DROP TABLE directory_service; --", "<b>job</b> club", "Łódź café naïve", "%", "_", "a & | ! :*"]
)
def test_hostile_or_odd_keywords_are_just_words(client: Client, text: str) -> None:
    response = client.get("/directory/", {"q": text})
    assert response.status_code == 200
    html = response.content.decode()
    assert "<b>job</b>" not in html
    assert Service.objects.filter(lifecycle=Lifecycle.PUBLISHED).count() > 20  # nothing dropped


def test_a_huge_keyword_is_refused_plainly(client: Client) -> None:
    html = client.get("/directory/", {"q": "work " * 2000}).content.decode()
    assert "Keywords must be 200 characters or fewer" in html


def test_a_new_rule_version_is_searched_at_once() -> None:
    """Parsed rules are kept by rule-set id; a change is a new version with a new id, so search sees it."""
    from joinedup.directory.rules import add_rule_version

    person = Circumstances(age=20, area="nottingham", months_out_of_work=14)
    names = lambda: {m.service.name for m in search_with_eligibility(person=person)}  # noqa: E731
    assert "Talent Match" in names()
    talent = Service.objects.get(id=seed_id("service", "talent-match"))
    add_rule_version(talent, rules={"criterion": "age", "min": 25}, source="test")
    assert "Talent Match" not in names()


def test_rules_are_fetched_in_chunks_and_missing_ones_left_out() -> None:
    import uuid

    from joinedup.directory import selectors
    from joinedup.directory.models import EligibilityRuleSet

    real = list(EligibilityRuleSet.objects.values_list("id", flat=True)[:3])
    selectors._RULES_CACHE.clear()
    found = selectors._rules([*(uuid.uuid4() for _ in range(2500)), *real])
    assert set(found) == set(real)


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("area", "atlantis", "Choose where you live from the list"),
        ("need", "not-a-term", "Choose the help you are looking for from the list"),
        ("open_on", "XX", "Choose a day from the list"),
    ],
)
def test_choices_from_outside_the_lists_are_refused_plainly(
    client: Client, field: str, value: str, message: str
) -> None:
    html = client.get("/directory/", {field: value}).content.decode()
    assert message in html and "govuk-error-summary" in html
