"""Matching on arrival: every published service, eligible (ranked), unknown (with questions), ruled out."""

from __future__ import annotations

from datetime import date

import pytest

from joinedup.directory.eligibility import Outcome
from joinedup.referrals.matching import circumstances_for, referral_matching


def names(matches) -> list[str]:
    return [m.service.name for m in matches]


def test_every_published_service_is_placed_in_exactly_one_group(partnership):
    from joinedup.directory.selectors import published_services

    matching = referral_matching(referral=partnership.refer())
    placed = names(matching.eligible) + names(matching.unknown) + names(matching.ruled_out)
    assert sorted(placed) == sorted(s.name for s in published_services())
    assert len(placed) == len(set(placed))


def test_a_mansfield_gp_referral_for_mental_health(partnership):
    referral = partnership.refer(postcode="NG18 1AB", health_condition="mental_health", benefits=["uc_lcw"])
    matching = referral_matching(referral=referral)
    eligible = names(matching.eligible)
    assert "NHS Talking Therapies employment advisers" in eligible
    assert all(m.outcome == Outcome.ELIGIBLE for m in matching.eligible)
    assert [m.met for m in matching.eligible] == sorted((m.met for m in matching.eligible), reverse=True)
    # Derby's IPS service is for Derby: ruled out, with the reason in plain English.
    derby = next(m for m in matching.ruled_out if m.service.name == "Individual Placement and Support (IPS) – Derby")
    assert derby.ruled_out_by == ["The service does not cover Mansfield."]
    # A ruled-out service says why, and only why: not the alternatives that did not matter.
    fit = next(m for m in matching.ruled_out if m.service.name == "Fit for Work")
    assert fit.ruled_out_by and not fit.questions
    for match in matching.eligible:
        assert not match.questions and not match.ruled_out_by
    # Services that say nothing of eligibility, or need facts we lack, come with the question to ask.
    assert matching.unknown
    for match in matching.unknown:
        assert match.questions, match.service.name
        assert all(q.question.endswith("?") or q.question.endswith(".") for q in match.questions)


def test_unknowns_ask_the_question_that_settles_them(partnership):
    matching = referral_matching(referral=partnership.refer())
    questions = {q.question for m in matching.unknown for q in m.questions}
    assert "Ask whether the person has a disability or long-term health condition." in questions
    assert "Ask the provider whether this person is eligible." in questions


def test_a_situation_the_referrer_vouches_for_settles_the_rule(partnership):
    from joinedup.organisations.models import OrganisationKind, Role
    from joinedup.testkit import OrganisationFactory

    social = OrganisationFactory(name="Test social care", kind=OrganisationKind.SOCIAL_CARE)
    from joinedup.testkit import MembershipFactory

    worker = MembershipFactory(organisation=social, role=Role.REFERRER)
    before = referral_matching(referral=partnership.refer(by=worker, route="social_worker", details={}))
    after = referral_matching(
        referral=partnership.refer(by=worker, route="social_worker", details={"disability": True})
    )
    assert "Work and Health Programme" in names(before.unknown)
    assert len(after.eligible) > len(before.eligible)
    programme = next(m for m in after.eligible if m.service.name == "Work and Health Programme")
    assert any("the referrer says this applies" in line.reason for _d, line in programme.reasons)


def test_an_unticked_situation_is_not_known_rather_than_no(partnership):
    referral = partnership.refer()
    found, known = circumstances_for(referral)
    assert found.situations is None and known == frozenset()


def test_work_coach_answers_feed_matching(partnership):
    referral = partnership.refer(
        by=partnership.other_referrer,
        route="work_coach",
        national_insurance_number="AB 12 34 56 C",
        details={"months_on_benefits": 30, "months_out_of_work": 30},
        benefits=["uc"],
        health_condition="other",
    )
    found, _known = circumstances_for(referral, today=date(2026, 6, 1))
    assert (found.months_on_benefits, found.months_out_of_work, found.referral_source) == (30, 30, "jobcentre")
    assert referral.person.national_insurance_number == "AB123456C"


@pytest.mark.django_db
def test_matching_runs_in_a_constant_number_of_queries(partnership, django_assert_max_num_queries):
    referral = partnership.refer()
    with django_assert_max_num_queries(4):
        referral_matching(referral=referral)
