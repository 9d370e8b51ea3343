"""The synthetic partnership: realistic shape, deterministic for a seed, safe around real data."""

import io
from datetime import date

import pytest
from django.db.models import F

from joinedup.cases.models import AreaRating, Assessment, Case, Contact, PlanAction, PlanGoal, WellbeingMeasure
from joinedup.demo.synth import SynthError, synth_info, synth_load, synth_reset
from joinedup.outcomes.selectors import tallies_differences
from joinedup.referrals.models import Referral

AS_OF = date(2026, 11, 22)


def _fingerprint() -> list[tuple[str, str]]:
    return sorted(Referral.objects.values_list("reference", "status"))


def test_load_makes_every_stage_and_is_deterministic(db):
    result = synth_load(people=400, seed=7, as_of=AS_OF)
    assert result is not None and result.people == 400
    assert Referral.objects.count() == 400
    assert {"received", "assigned", "enrolled"} <= set(Referral.objects.values_list("status", flat=True))
    assert Case.objects.exists() and Contact.objects.count() > Case.objects.count()
    cases = Case.objects.count()
    # The workspace: every case has a start assessment (all twelve areas), a SWEMWBS, goals and actions.
    assert Assessment.objects.filter(assessed_on=F("case__enrolled_on")).count() == cases
    assert AreaRating.objects.count() == 12 * Assessment.objects.count()
    assert WellbeingMeasure.objects.filter(timepoint="start").count() == cases
    assert WellbeingMeasure.objects.filter(timepoint="review").exists()
    assert PlanGoal.objects.count() == 2 * cases and PlanAction.objects.count() == 3 * cases
    assert Case.objects.exclude(stage="closed").exclude(next_review_on=None).exists()
    assert tallies_differences() == []  # the dashboard's tallies were counted after the load
    _programme_checks(cases)
    info = synth_info()
    assert (info.seed, info.people, info.as_of) == (7, 400, AS_OF)
    first = _fingerprint()
    assert synth_load(people=400, seed=7, as_of=AS_OF) is None  # already loaded: nothing to do
    synth_load(people=400, seed=7, as_of=AS_OF, reset=True)
    assert _fingerprint() == first
    synth_reset()
    assert Referral.objects.count() == 0 and synth_info() is None
    assert Assessment.objects.count() == 0 and tallies_differences() == []
    from joinedup.programmes.models import Claim, ClaimBatch, Participation, Programme, ProgrammeTally

    assert not Programme.objects.exists() and not ProgrammeTally.objects.exists()
    assert not (Participation.objects.exists() or Claim.objects.exists() or ClaimBatch.objects.exists())


def _programme_checks(cases: int) -> None:
    """The programme: a participation per case with its ESF characteristics and cohort, job entries,
    courses, expenses, claims with evidence, batches whose totals are their claims', tallies that agree."""
    from django.core.management import call_command
    from django.db.models import Sum

    from joinedup.cases.models import JobStart
    from joinedup.programmes.models import (
        Claim,
        ClaimBatch,
        ClaimEvidence,
        Course,
        Expense,
        JobEntry,
        Participation,
        Programme,
        ProgrammeTally,
    )

    programme = Programme.objects.get()
    assert programme.funders.count() == 2 and programme.targets.exists() and programme.tariff.rules.count() == 3
    assert programme.contracts.count() == programme.budgets.count() > 0
    assert Participation.objects.filter(programme=programme).count() == cases
    assert not Participation.objects.filter(esf_recorded_on=None).exists()
    assert not Participation.objects.filter(age_at_start=None).exists()
    assert Participation.objects.exclude(local_authority="").exists()
    assert not Participation.objects.filter(health_condition="").exists()
    assert JobEntry.objects.count() == JobStart.objects.count()
    assert Course.objects.exists() and Expense.objects.exists()
    assert Claim.objects.filter(outcome="attachment").count() == cases
    assert Claim.objects.filter(outcome="job_entry").count() == JobEntry.objects.count()
    assert ClaimEvidence.objects.count() == Claim.objects.count()
    assert Claim.objects.filter(status="pending", batch=None).exists()
    for batch in ClaimBatch.objects.all():
        assert batch.total == batch.claims.aggregate(s=Sum("amount"))["s"]
    assert not Claim.objects.filter(status="paid", batch=None).exists()
    assert ProgrammeTally.objects.filter(programme=programme).exists()
    out = io.StringIO()
    call_command("programme_tallies", "--check", stdout=out)  # raises when any disagree
    assert "agree" in out.getvalue()


def test_refuses_a_database_with_real_referrals(partnership):
    partnership.refer()
    with pytest.raises(SynthError, match="not synthetic"):
        synth_load(people=10, seed=1, as_of=AS_OF)
    assert Referral.objects.count() == 1


def test_a_synthetic_person_record_opens_for_its_adviser(client, db):
    from joinedup.organisations.models import Membership, Role

    synth_load(people=200, seed=3, as_of=AS_OF)
    case = Case.objects.filter(wellbeing_measures__timepoint="review").first()
    membership = Membership.objects.get(user_id=case.adviser_id, role=Role.PERSONAL_ADVISER)
    client.force_login(membership.user)
    page = client.get(f"/cases/{case.pk}/")
    assert page.status_code == 200
    assert case.person.family_name in page.content.decode()
    plan = client.get(f"/cases/{case.pk}/plan/")
    assert case.goals.first().text in plan.content.decode()
