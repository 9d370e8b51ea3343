"""Claims from the case events: one per outcome per participant, evidence, reversal, batches."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

import pytest
from django.utils import timezone

from joinedup.cases import services as case_services
from joinedup.cases.events import CaseEvent, JobStarted, MilestoneRecorded
from joinedup.core import events
from joinedup.core.errors import DomainError
from joinedup.programmes import services, subscribers
from joinedup.programmes.choices import BatchStatus, ClaimStatus, Outcome
from joinedup.programmes.models import Claim, ClaimBatch, JobEntry, Participation

from .conftest import enrol_back, esf_input

pytestmark = pytest.mark.django_db


def _participant(partnership, *, days_ago=300, esf=True):
    case = enrol_back(partnership, days_ago)
    participation = Participation.objects.get(case=case)
    if esf:
        services.esf_record(actor=partnership.adviser_a, participation=participation, data=esf_input())
    return case, participation


def _sustain(partnership, job, weeks_list=(13, 26)):
    for weeks in weeks_list:
        case_services.sustainment_record(
            job_start=job,
            actor=partnership.adviser_a,
            achieved_on=job.start_date + timedelta(weeks=weeks),
            evidence=f"Payslip at {weeks} weeks",
            weeks=weeks,
        )


def test_enrolment_joins_the_programme_and_claims_attachment(partnership, programme):
    case, participation = _participant(partnership)
    assert participation.programme == programme
    claim = Claim.objects.get(participation=participation)
    assert (claim.outcome, claim.amount, claim.status) == (Outcome.ATTACHMENT, Decimal("1500.00"), ClaimStatus.PENDING)
    assert [e.kind for e in claim.evidence.all()] == ["enrolment"]
    assert claim.evidence.get().document_note == "UC award letter seen"


def test_a_case_at_a_partner_not_contracted_is_on_no_programme(partnership, programme):
    case = partnership.enrol(
        partnership.assign(partnership.refer(), partner=partnership.partner_b, adviser=partnership.adviser_b),
        adviser=partnership.adviser_b,
    )
    assert not Participation.objects.filter(case=case).exists()
    assert not Claim.objects.exists()


def test_one_claim_per_outcome_even_when_events_repeat(partnership, programme):
    case, participation = _participant(partnership)
    job = partnership.job_start(case, days_ago=200)
    partnership.job_start(case, days_ago=190)  # a second job start: no second job entry claim
    payload = JobStarted(case.pk, job.pk, case.delivery_partner_id, job.start_date, job.contract_type)
    from django.db import transaction

    with transaction.atomic():
        events.announce(CaseEvent.JOB_STARTED, payload)  # the same event again
        events.announce(CaseEvent.JOB_STARTED, payload)
    _sustain(partnership, job, (13,))
    on = job.start_date + timedelta(weeks=26)
    sustainment = case_services.sustainment_record(
        job_start=job, actor=partnership.adviser_a, achieved_on=on, evidence="Payslip at 26 weeks", weeks=26
    )
    milestone = MilestoneRecorded(
        case.pk, job.pk, sustainment.pk, case.delivery_partner_id, 26, None, "still_in_work", True, on
    )
    with transaction.atomic():
        events.announce(CaseEvent.MILESTONE_RECORDED, milestone)  # the 26-week milestone again
    counts = {o: Claim.objects.filter(participation=participation, outcome=o).count() for o in Outcome.values}
    assert counts == {Outcome.ATTACHMENT: 1, Outcome.JOB_ENTRY: 1, Outcome.SUSTAINED: 1}


def test_an_earlier_job_start_arriving_later_takes_the_job_entry_claim(partnership, programme):
    case, participation = _participant(partnership)
    later = partnership.job_start(case, days_ago=100)
    earlier = partnership.job_start(case, days_ago=150)
    claim = Claim.objects.get(participation=participation, outcome=Outcome.JOB_ENTRY)
    assert claim.job_entry is not None and claim.job_entry.job_start_id == earlier.pk
    assert claim.achieved_on == earlier.start_date
    assert [e.record_id for e in claim.evidence.all()] == [earlier.pk]
    assert later.pk != earlier.pk


def test_a_milestone_before_its_job_start_claims_the_job_entry_first(partnership, programme):
    case, participation = _participant(partnership)
    job = partnership.job_start(case, days_ago=200)  # its event is lost: drop what it made
    Claim.objects.filter(outcome=Outcome.JOB_ENTRY).delete()
    JobEntry.objects.all().delete()
    _sustain(partnership, job)
    job_claim = Claim.objects.get(participation=participation, outcome=Outcome.JOB_ENTRY)
    sustained = Claim.objects.get(participation=participation, outcome=Outcome.SUSTAINED)
    assert job_claim.created_at <= sustained.created_at
    assert job_claim.achieved_on < sustained.achieved_on


def test_sustained_is_never_claimed_without_its_job_entry(partnership, programme):
    case, participation = _participant(partnership)
    # A job start under the tariff's 16 hours is not a job entry, so 26 weeks in it is not claimed.
    job = case_services.job_start_record(
        case=case,
        actor=partnership.adviser_a,
        employer_name="Tesco",
        job_title="Shelf stacker",
        hours_per_week=Decimal("8"),
        hourly_pay=Decimal("12.21"),
        start_date=timezone.localdate() - timedelta(days=200),
    )
    _sustain(partnership, job)
    assert not Claim.objects.filter(outcome__in=[Outcome.JOB_ENTRY, Outcome.SUSTAINED]).exists()
    # A milestone replayed with a different number of weeks than the tariff's does not claim either.
    with __import__("django.db").db.transaction.atomic():
        subscribers.see_milestone(
            MilestoneRecorded(
                case.pk, job.pk, job.pk, case.delivery_partner_id, 13, None, "still_in_work", True, job.start_date
            )
        )
    assert not Claim.objects.filter(outcome=Outcome.SUSTAINED).exists()


def test_a_withdrawn_job_start_reverses_its_claims(partnership, programme):
    case, participation = _participant(partnership)
    job = partnership.job_start(case, days_ago=200)
    _sustain(partnership, job)
    entry = JobEntry.objects.get(job_start_id=job.pk)
    reversed_claims = services.job_entry_withdraw(
        actor=partnership.manager_a, job_entry=entry, reason="Employer says no such job"
    )
    assert {c.outcome for c in reversed_claims} == {Outcome.JOB_ENTRY, Outcome.SUSTAINED}
    live = Claim.objects.filter(participation=participation, reversed_at__isnull=True)
    assert [c.outcome for c in live] == [Outcome.ATTACHMENT]
    assert all(c.status == ClaimStatus.REVERSED for c in reversed_claims)
    with pytest.raises(DomainError):
        services.job_entry_withdraw(actor=partnership.manager_a, job_entry=entry, reason="again")


def test_a_withdrawn_job_start_lets_another_job_be_claimed(partnership, programme):
    case, participation = _participant(partnership)
    first = partnership.job_start(case, days_ago=200)
    second = partnership.job_start(case, days_ago=100)
    services.job_entry_withdraw(
        actor=partnership.manager_a, job_entry=JobEntry.objects.get(job_start_id=first.pk), reason="Not evidenced"
    )
    live = Claim.objects.get(participation=participation, outcome=Outcome.JOB_ENTRY, reversed_at__isnull=True)
    assert live.job_entry is not None and live.job_entry.job_start_id == second.pk


def test_every_claim_lists_its_evidence(partnership, programme):
    case, _ = _participant(partnership)
    job = partnership.job_start(case, days_ago=200)
    _sustain(partnership, job)
    for claim in Claim.objects.all():
        kinds = [e.kind for e in claim.evidence.all()]
        assert kinds, claim.outcome
        expected = {"attachment": ["enrolment"], "job_entry": ["job_start"], "sustained": ["job_start", "sustainment"]}
        assert expected[claim.outcome] == kinds
    sustained = Claim.objects.get(outcome=Outcome.SUSTAINED)
    assert "Payslip at 26 weeks" in [e.document_note for e in sustained.evidence.all()]


def _month_with_claims():
    return timezone.localdate().replace(day=1)


def test_batch_lifecycle_and_totals(partnership, programme):
    for days in (300, 250):
        case, _ = _participant(partnership, days_ago=days)
        partnership.job_start(case, days_ago=days - 20)
    _participant(partnership, esf=False)  # held: no ESF data yet
    batch = services.claims_batch_generate(
        actor=partnership.manager_a,
        programme=programme,
        partner_id=partnership.partner_a.pk,
        month=_month_with_claims(),
    )
    claims = list(batch.claims.all())
    assert len(claims) == 4
    assert batch.total == sum(c.amount for c in claims) == Decimal("3000.00") + Decimal("1200.00")
    assert Claim.objects.filter(status=ClaimStatus.PENDING).count() == 1  # the one held for ESF data
    services.batch_submit(actor=partnership.manager_a, batch=batch)
    rejected = claims[0]
    services.claim_reject(actor=partnership.programme, claim=rejected, reason="Eligibility evidence not on file")
    batch.refresh_from_db()
    assert batch.total == sum(c.amount for c in claims[1:])
    services.batch_decide(actor=partnership.programme, batch=batch, approve=True)
    services.batch_pay(actor=partnership.programme, batch=batch, paid_on=timezone.localdate())
    batch.refresh_from_db()
    assert batch.status == BatchStatus.PAID
    assert set(batch.claims.values_list("status", flat=True)) == {ClaimStatus.PAID, ClaimStatus.REJECTED}
    assert batch.total == sum(c.amount for c in batch.claims.filter(status=ClaimStatus.PAID))
    # The rejected claim is corrected and goes in the next batch.
    services.claim_correct(actor=partnership.manager_a, claim=rejected, correction="Award letter now scanned")
    rejected.refresh_from_db()
    assert (rejected.status, rejected.batch) == (ClaimStatus.PENDING, None)


def test_a_paid_claim_withdrawn_is_recovered_from_the_next_batch(partnership, programme):
    case, _ = _participant(partnership, days_ago=300)
    job = partnership.job_start(case, days_ago=280)
    last_month = (_month_with_claims() - timedelta(days=1)).replace(day=1)
    batch = services.claims_batch_generate(
        actor=partnership.manager_a, programme=programme, partner_id=partnership.partner_a.pk, month=last_month
    )
    services.batch_submit(actor=partnership.manager_a, batch=batch)
    services.batch_decide(actor=partnership.programme, batch=batch, approve=True)
    services.batch_pay(actor=partnership.programme, batch=batch, paid_on=timezone.localdate())
    services.job_entry_withdraw(
        actor=partnership.manager_a, job_entry=JobEntry.objects.get(job_start_id=job.pk), reason="Job did not start"
    )
    batch.refresh_from_db()
    assert batch.total == Decimal("2100.00")  # what was paid stays as paid
    following = services.claims_batch_generate(
        actor=partnership.manager_a,
        programme=programme,
        partner_id=partnership.partner_a.pk,
        month=_month_with_claims(),
    )
    assert following.total == Decimal("-600.00")
    assert list(following.recoveries.values_list("outcome", flat=True)) == [Outcome.JOB_ENTRY]


def test_batch_moves_are_checked(partnership, programme):
    _participant(partnership)
    batch = services.claims_batch_generate(
        actor=partnership.manager_a,
        programme=programme,
        partner_id=partnership.partner_a.pk,
        month=_month_with_claims(),
    )
    with pytest.raises(DomainError):
        services.batch_pay(actor=partnership.programme, batch=batch, paid_on=timezone.localdate())
    services.batch_submit(actor=partnership.manager_a, batch=batch)
    with pytest.raises(DomainError, match="reason"):
        services.batch_decide(actor=partnership.programme, batch=batch, approve=False, reason="  ")
    services.batch_decide(actor=partnership.programme, batch=batch, approve=False, reason="Wrong month")
    batch.refresh_from_db()
    assert batch.status == BatchStatus.REJECTED and batch.total == 0
    # A month whose batch was rejected can be claimed again once its claims are corrected.
    for claim in Claim.objects.filter(status=ClaimStatus.REJECTED):
        services.claim_correct(actor=partnership.manager_a, claim=claim, correction="Fixed")
    again = services.claims_batch_generate(
        actor=partnership.manager_a,
        programme=programme,
        partner_id=partnership.partner_a.pk,
        month=_month_with_claims(),
    )
    assert again.pk != batch.pk and again.total == Decimal("1500.00")
    assert ClaimBatch.objects.count() == 2


def test_partner_manager_cannot_batch_another_partner_or_decide(partnership, programme):
    from joinedup.core.errors import NotPermitted

    with pytest.raises(NotPermitted):
        services.claims_batch_generate(
            actor=partnership.manager_a,
            programme=programme,
            partner_id=partnership.partner_b.pk,
            month=_month_with_claims(),
        )
    _participant(partnership)
    batch = services.claims_batch_generate(
        actor=partnership.manager_a,
        programme=programme,
        partner_id=partnership.partner_a.pk,
        month=_month_with_claims(),
    )
    services.batch_submit(actor=partnership.manager_a, batch=batch)
    with pytest.raises(NotPermitted):
        services.batch_decide(actor=partnership.manager_a, batch=batch, approve=True)
