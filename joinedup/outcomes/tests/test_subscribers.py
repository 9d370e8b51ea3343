"""The tallies kept from the case events (`outcomes.subscribers`), announced as a case service does."""

from __future__ import annotations

import uuid
from datetime import UTC, date, datetime

import pytest
from django.db import transaction

from joinedup.cases.events import CaseEvent, Enrolled, JobStarted, MilestoneRecorded
from joinedup.core import events
from joinedup.core.events import EventError, announce
from joinedup.employers.events import EmployerEvent
from joinedup.outcomes import subscribers
from joinedup.outcomes.models import Measure, MonthlyTally, measure_label
from joinedup.outcomes.selectors import stored_counts
from joinedup.outcomes.services import tally_add
from joinedup.referrals.events import PartnerChanged, Received, ReferralEvent

PARTNER = uuid.uuid4()
KEY = str(PARTNER)


def _enrolled(**overrides) -> Enrolled:
    values = {
        "case_id": uuid.uuid4(),
        "person_id": uuid.uuid4(),
        "referral_id": uuid.uuid4(),
        "delivery_partner_id": PARTNER,
        "enrolled_on": date(2026, 3, 10),
        "referral_created_at": datetime(2026, 2, 27, 12, tzinfo=UTC),
    }
    return Enrolled(**{**values, **overrides})


def _milestone(weeks: int | None, in_work: bool, months: int | None = None) -> MilestoneRecorded:
    return MilestoneRecorded(
        case_id=uuid.uuid4(),
        job_start_id=uuid.uuid4(),
        sustainment_id=uuid.uuid4(),
        delivery_partner_id=PARTNER,
        weeks=weeks,
        months=months,
        outcome="still_in_work" if in_work else "left_work",
        in_work=in_work,
        achieved_on=date(2026, 9, 1),
    )


def test_the_outcomes_subscribers_are_registered_in_order():
    """Outcomes' own subscribers, in order (other apps' subscribers, later in INSTALLED_APPS, follow)."""
    expected = {
        ReferralEvent.RECEIVED: (subscribers.count_referral,),
        ReferralEvent.PARTNER_CHANGED: (subscribers.move_referral,),
        CaseEvent.ENROLLED: (subscribers.count_start, subscribers.count_conversion),
        CaseEvent.JOB_STARTED: (subscribers.count_job_start,),
        CaseEvent.MILESTONE_RECORDED: (subscribers.count_sustained_26,),
        EmployerEvent.ENGAGED: (subscribers.count_employer_engaged,),
        EmployerEvent.VACANCY_OPENED: (subscribers.count_vacancy,),
        EmployerEvent.PUT_FORWARD: (subscribers.count_put_forward,),
        EmployerEvent.STARTED_FROM_VACANCY: (subscribers.count_vacancy_start,),
    }
    for event, mine in expected.items():
        registered = events.subscribers_of(event)
        assert tuple(f for f in registered if f.__module__ == subscribers.__name__) == mine
        assert registered[: len(mine)] == mine


@pytest.mark.django_db
def test_an_enrolment_counts_a_start_and_a_conversion():
    with transaction.atomic():
        announce(CaseEvent.ENROLLED, _enrolled())
    counts = stored_counts()
    assert counts[(Measure.STARTS, KEY, date(2026, 3, 1))] == 1
    # Conversion is counted in the month the referral was received, not the month enrolled.
    assert counts[(Measure.CONVERTED, KEY, date(2026, 2, 1))] == 1
    assert sum(counts.values()) == 2


@pytest.mark.django_db
def test_a_job_start_is_counted_in_its_start_month():
    with transaction.atomic():
        announce(
            CaseEvent.JOB_STARTED,
            JobStarted(
                case_id=uuid.uuid4(),
                job_start_id=uuid.uuid4(),
                delivery_partner_id=PARTNER,
                start_date=date(2026, 4, 30),
                contract_type="permanent",
            ),
        )
    assert stored_counts() == {(Measure.JOB_STARTS, KEY, date(2026, 4, 1)): 1}


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("weeks", "months", "in_work", "counted"),
    [(26, None, True, 1), (26, None, False, 0), (13, None, True, 0), (4, None, True, 0), (None, 6, True, 0)],
)
def test_only_26_weeks_in_work_counts_as_sustained(weeks, months, in_work, counted):
    with transaction.atomic():
        announce(CaseEvent.MILESTONE_RECORDED, _milestone(weeks, in_work, months))
    assert stored_counts()[(Measure.SUSTAINED_26, KEY, date(2026, 9, 1))] == counted
    assert MonthlyTally.objects.exclude(measure=Measure.SUSTAINED_26).count() == 0


def test_an_event_outside_a_transaction_is_refused_before_any_subscriber_runs():
    # No database for this test, so no test transaction: a subscriber's write would fail loudly.
    assert not transaction.get_connection().in_atomic_block
    with pytest.raises(EventError, match="outside a transaction"):
        announce(CaseEvent.ENROLLED, _enrolled())


@pytest.mark.django_db
def test_the_events_counts_equal_the_direct_calls_they_replace(partnership):
    """What the subscribers write for an enrolment is what `case_enrol` writes today."""
    p = partnership
    case = p.enrol(p.assign(p.refer()))
    direct = stored_counts()
    MonthlyTally.objects.filter(measure__in=[Measure.STARTS, Measure.CONVERTED]).delete()
    with transaction.atomic():
        announce(
            CaseEvent.ENROLLED,
            Enrolled(
                case_id=case.pk,
                person_id=case.person_id,
                referral_id=case.referral_id,
                delivery_partner_id=case.delivery_partner_id,
                enrolled_on=case.enrolled_on,
                referral_created_at=case.referral.created_at,
            ),
        )
    assert stored_counts() == direct


@pytest.mark.django_db
def test_an_unknown_measure_is_refused():
    with pytest.raises(ValueError, match="Unknown measure 'startz'"):
        tally_add(measure="startz", partner_id=None, on=date(2026, 1, 1))
    assert not MonthlyTally.objects.exists()


def test_a_tally_shows_its_measures_label_without_field_choices():
    tally = MonthlyTally(measure=Measure.JOB_STARTS, partner_key="", month=date(2026, 1, 1), n=1)
    assert tally.get_measure_display() == "Job starts (start date)"
    assert measure_label("retired_code") == "retired_code"
    assert MonthlyTally._meta.get_field("measure").choices is None


def test_the_measure_registry_is_checked_at_start_up(monkeypatch):
    from joinedup.outcomes import models

    models.check_registry()
    monkeypatch.setattr(models.MonthlyTally._meta.get_field("measure"), "max_length", 5)
    with pytest.raises(RuntimeError, match="longer than the 5 characters"):
        models.check_registry()


@pytest.mark.django_db
def test_a_referral_is_counted_in_triage_then_by_the_partner_it_moves_to():
    received = datetime(2026, 5, 31, 23, 30, tzinfo=UTC)  # 1 June in London
    referral_id, other = uuid.uuid4(), uuid.uuid4()
    with transaction.atomic():
        announce(
            ReferralEvent.RECEIVED, Received(referral_id=referral_id, person_id=uuid.uuid4(), received_at=received)
        )
    june = date(2026, 6, 1)
    assert stored_counts() == {(Measure.REFERRALS, "", june): 1}
    for old, new in ((None, PARTNER), (PARTNER, other), (other, None)):
        with transaction.atomic():
            announce(
                ReferralEvent.PARTNER_CHANGED,
                PartnerChanged(
                    referral_id=referral_id,
                    old_partner_id=old,
                    new_partner_id=new,
                    received_at=received,
                    status="routed",
                ),
            )
        assert stored_counts() == {(Measure.REFERRALS, str(new) if new else "", june): 1}
