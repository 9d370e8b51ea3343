"""Eligibility rules from the source documents: for each programme a person who qualifies, one who does
not and one whose answer is unknown, checking the reasons and the evidence asked for."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from joinedup.directory.eligibility import Circumstances, Outcome, RuleError, evaluate, validate_rules
from joinedup.directory.models import Service
from joinedup.directory.seed import seed_id

pytestmark = pytest.mark.django_db


def check(key: str, person: Circumstances):
    rules = Service.objects.get(id=seed_id("service", key)).current_rules()
    return evaluate(rules.rules, person, version=rules.version)


def text(evaluation) -> str:
    return "\n".join(evaluation.reasons)


# INSPIRE Local: 25+ on health-related benefits; 50+ inactive/unemployed on benefits 6+ months; 18-24 on
# health-related benefits. D2N2 only.
def test_inspire_local_qualifies_25_plus_on_esa() -> None:
    e = check("inspire-local", Circumstances(age=30, area="mansfield", benefits=frozenset({"esa"})))
    assert e.outcome == Outcome.ELIGIBLE
    assert "this person is 30" in text(e)
    assert "Employment and Support Allowance" in text(e)
    assert e.evidence_needed == []


def test_inspire_local_not_for_someone_outside_d2n2() -> None:
    e = check("inspire-local", Circumstances(age=30, postcode="NR1 1AA", benefits=frozenset({"esa"})))
    assert e.outcome == Outcome.NOT_ELIGIBLE
    assert "this person lives in Norwich" in text(e)


def test_inspire_local_not_for_a_55_year_old_on_jsa_for_3_months() -> None:
    e = check(
        "inspire-local",
        Circumstances(
            age=55, area="derby", employment_status="unemployed", benefits=frozenset({"jsa"}), months_on_benefits=3
        ),
    )
    assert e.outcome == Outcome.NOT_ELIGIBLE
    assert "claiming benefits for 6 months or more; this person has been for 3 months" in text(e)


def test_inspire_local_unknown_when_benefits_not_known() -> None:
    e = check("inspire-local", Circumstances(age=30, postcode="NG18 1AB"))
    assert e.outcome == Outcome.UNKNOWN
    assert "benefits not known" in text(e)
    assert any("award letter" in item for item in e.evidence_needed)


def test_inspire_local_50_plus_route() -> None:
    person = Circumstances(
        age=58, area="ashfield", employment_status="inactive", benefits=frozenset({"uc"}), months_on_benefits=8
    )
    assert check("inspire-local", person).outcome == Outcome.ELIGIBLE


# Talent Match: 18 to 24, out of work or training for over 12 months.
def test_talent_match() -> None:
    yes = check("talent-match", Circumstances(age=19, area="nottingham", months_out_of_work=14))
    no = check("talent-match", Circumstances(age=27, area="nottingham", months_out_of_work=14))
    unknown = check("talent-match", Circumstances(age=20, area="nottingham"))
    assert yes.outcome == Outcome.ELIGIBLE
    assert no.outcome == Outcome.NOT_ELIGIBLE
    assert "For people aged 18 to 24; this person is 27." in text(no)
    assert unknown.outcome == Outcome.UNKNOWN
    assert unknown.evidence_needed == ["When the person last worked or was in training"]


# BBO Opportunity and Change: at least two of mental health, ex-offender, substance misuse, domestic abuse,
# homelessness.
def test_bbo_opportunity_and_change() -> None:
    yes = check(
        "bbo-opportunity-change",
        Circumstances(
            area="derby", health_conditions=frozenset({"mental_health"}), situations=frozenset({"homelessness"})
        ),
    )
    no = check(
        "bbo-opportunity-change",
        Circumstances(area="derby", health_conditions=frozenset({"mental_health"}), situations=frozenset()),
    )
    unknown = check(
        "bbo-opportunity-change", Circumstances(area="derby", health_conditions=frozenset({"mental_health"}))
    )
    assert yes.outcome == Outcome.ELIGIBLE
    assert "At least 2 of these (2 met, 0 not known)" in text(yes)
    assert no.outcome == Outcome.NOT_ELIGIBLE
    assert "At least 2 of these (1 met, 0 not known)" in text(no)
    assert unknown.outcome == Outcome.UNKNOWN
    assert "has a criminal conviction (ex-offender); not known" in text(unknown)
    assert unknown.evidence_needed == ["The person's own account, or a referrer who knows their circumstances"]


# Supported Internships: 16 to 24 with an EHC plan.
def test_supported_internships() -> None:
    yes = check("supported-internships", Circumstances(age=17, situations=frozenset({"ehc_plan"})))
    no = check("supported-internships", Circumstances(age=17, situations=frozenset()))
    unknown = check("supported-internships", Circumstances(situations=frozenset({"ehc_plan"})))
    assert yes.outcome == Outcome.ELIGIBLE
    assert no.outcome == Outcome.NOT_ELIGIBLE
    assert "Education, Health and Care plan (or SEN statement); this does not apply" in text(no)
    assert unknown.outcome == Outcome.UNKNOWN
    assert unknown.evidence_needed[0].startswith("Date of birth")


# Access to Work: a disability or health condition, and in work (or starting work).
def test_access_to_work() -> None:
    yes = check(
        "access-to-work",
        Circumstances(employment_status="employed_off_sick", health_conditions=frozenset({"musculoskeletal"})),
    )
    no = check(
        "access-to-work",
        Circumstances(employment_status="employed_at_risk", health_conditions=frozenset(), situations=frozenset()),
    )
    unknown = check("access-to-work", Circumstances(health_conditions=frozenset({"sensory"})))
    assert yes.outcome == Outcome.ELIGIBLE
    assert no.outcome == Outcome.NOT_ELIGIBLE
    assert "has told us of none of these" in text(no)
    assert unknown.outcome == Outcome.UNKNOWN
    assert "work situation not known" in text(unknown)


# IPS: severe mental health difficulties (Nottingham and Nottinghamshire service). A severe mental illness
# is not anxiety or depression, which is what the health condition "mental_health" says (issue 18).
SMI = frozenset({"severe_mental_illness"})


@pytest.mark.parametrize("key", ["ips-nottingham", "ips-derby"])
def test_ips_is_not_eligible_for_anxiety_or_depression(key) -> None:
    anxious = {"area": "nottingham" if key == "ips-nottingham" else "derby", "employment_status": "unemployed"}
    told_nothing_more = check(key, Circumstances(**anxious, health_conditions=frozenset({"mental_health"})))
    assert told_nothing_more.outcome != Outcome.ELIGIBLE
    assert told_nothing_more.outcome == Outcome.UNKNOWN
    assert "anxiety or depression alone is not a severe mental illness" in text(told_nothing_more)
    told_other_situations = check(
        key,
        Circumstances(
            **anxious, health_conditions=frozenset({"mental_health"}), situations=frozenset({"financial_difficulty"})
        ),
    )
    assert told_other_situations.outcome == Outcome.NOT_ELIGIBLE


def test_ips_nottingham() -> None:
    base = {"area": "nottingham", "employment_status": "unemployed"}
    yes = check("ips-nottingham", Circumstances(**base, health_conditions=frozenset({"mental_health"}), situations=SMI))
    no = check("ips-nottingham", Circumstances(**base, situations=frozenset({"disability"})))
    unknown = check("ips-nottingham", Circumstances(situations=SMI))
    assert yes.outcome == Outcome.ELIGIBLE
    assert "severe mental illness, such as psychosis" in text(yes)
    assert no.outcome == Outcome.NOT_ELIGIBLE
    assert "severe mental illness, such as psychosis, schizophrenia or bipolar disorder" in text(no)
    assert unknown.outcome == Outcome.UNKNOWN
    assert "Home postcode or local authority" in unknown.evidence_needed


def test_fit_for_work_is_for_people_in_work_with_a_health_condition() -> None:
    off_sick = {"employment_status": "employed_off_sick"}
    assert check(
        "fit-for-work", Circumstances(**off_sick, health_conditions=frozenset({"musculoskeletal"}))
    ).outcome == (Outcome.ELIGIBLE)
    assert check("fit-for-work", Circumstances(**off_sick)).outcome == Outcome.UNKNOWN


def test_work_and_health_early_entrants_include_drug_or_alcohol_dependence() -> None:
    e = check("work-and-health-programme", Circumstances(health_conditions=frozenset({"substance_use"})))
    assert e.outcome == Outcome.ELIGIBLE
    assert "dependent on drugs or alcohol" in text(e)


def test_reasons_said_to_the_resident_speak_to_them() -> None:
    e = check("inspire-local", Circumstances(age=46, area="mansfield", benefits=frozenset({"esa"})))
    said = [line.reason_to_you for _d, line in e.result.lines()]
    assert any("you are 46" in r for r in said)
    assert not any("this person" in r for r in said)


def test_eligibility_not_stated_is_unknown_with_advice() -> None:
    e = check("j2e-job-clubs", Circumstances(age=40, area="derby"))
    assert e.outcome == Outcome.UNKNOWN
    assert "has not stated" in text(e)
    assert e.evidence_needed == ["Ask the provider whether this person is eligible"]


def test_postcode_district_outside_the_table_is_unknown_not_guessed() -> None:
    e = evaluate({"criterion": "area", "areas": ["derbyshire"]}, Circumstances(postcode="ZE1 0AA"))
    assert e.outcome == Outcome.UNKNOWN
    assert "postcode district ZE1" in text(e)


@pytest.mark.parametrize(
    "rules",
    [
        [],
        {"criterion": "shoe_size"},
        {"all": []},
        {"at_least": 3, "of": [{"criterion": "open"}]},
        {"criterion": "area", "areas": ["atlantis"]},
        {"criterion": "situation", "is": "astronaut"},
        {"criterion": "age"},
        {"criterion": "months_on_benefits", "min": "six"},
    ],
)
def test_malformed_rules_are_rejected_in_plain_english(rules) -> None:
    with pytest.raises(RuleError):
        validate_rules(rules)


def test_every_seed_rule_set_is_valid() -> None:
    for service in Service.objects.all():
        validate_rules(service.current_rules().rules)


people = st.builds(
    Circumstances,
    age=st.none() | st.integers(0, 100),
    area=st.none() | st.sampled_from(["mansfield", "derby", "norfolk", "high_peak"]),
    postcode=st.none() | st.text(max_size=8),
    employment_status=st.none() | st.sampled_from(["unemployed", "inactive", "employed_off_sick", "employed_at_risk"]),
    benefits=st.none() | st.frozensets(st.sampled_from(["esa", "uc", "uc_lcw", "uc_lcwra", "jsa", "pip"])),
    months_on_benefits=st.none() | st.integers(0, 200),
    months_out_of_work=st.none() | st.integers(0, 200),
    health_conditions=st.none() | st.frozensets(st.sampled_from(["mental_health", "autism", "substance_use"])),
    situations=st.none() | st.frozensets(st.sampled_from(["ex_offender", "homelessness", "ehc_plan", "disability"])),
)


@given(person=people)
def test_knowing_more_never_flips_a_definite_answer(person: Circumstances) -> None:
    """Kleene logic is monotone: filling in an unknown can settle an answer, never reverse one."""
    import json

    from joinedup.directory.seed import SEED_FILE

    for item in json.loads(SEED_FILE.read_text())["services"]:
        before = evaluate(item["rules"], Circumstances()).outcome
        after = evaluate(item["rules"], person).outcome
        if before != Outcome.UNKNOWN:
            assert after == before
        assert after in set(Outcome)
