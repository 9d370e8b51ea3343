"""The monthly tallies always equal a fresh count of the records they summarise."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.core.management import CommandError, call_command
from django.utils import timezone
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from joinedup.cases.models import MilestoneOutcome
from joinedup.cases.services import sustainment_record
from joinedup.core.errors import DomainError, NotPermitted
from joinedup.outcomes.models import Measure, MonthlyTally
from joinedup.outcomes.selectors import month_of, stored_counts, tallies_differences
from joinedup.outcomes.services import tallies_rebuild, tally_add
from joinedup.referrals.services import referral_decline, referral_route
from joinedup.testkit import Partnership

pytestmark = pytest.mark.django_db

LONDON = ZoneInfo("Europe/London")


def test_month_of_uses_the_services_time_zone():
    # 23:30 UTC on 30 April is 00:30 on 1 May in London (BST): a May referral.
    assert month_of(datetime(2026, 4, 30, 23, 30, tzinfo=ZoneInfo("UTC"))) == date(2026, 5, 1)
    assert month_of(datetime(2026, 1, 31, 23, 30, tzinfo=ZoneInfo("UTC"))) == date(2026, 1, 1)
    assert month_of(date(2024, 2, 29)) == date(2024, 2, 1)


def test_each_service_counts_what_it_records(partnership):
    p = partnership
    referral = p.refer()
    this_month = timezone.localdate().replace(day=1)
    key = str(p.partner_a.pk)
    assert stored_counts()[(Measure.REFERRALS, "", this_month)] == 1
    referral = p.assign(referral)
    assert stored_counts()[(Measure.REFERRALS, "", this_month)] == 0
    assert stored_counts()[(Measure.REFERRALS, key, this_month)] == 1
    case = p.enrol(referral)
    job = p.job_start(case)
    counts = stored_counts()
    assert counts[(Measure.STARTS, key, this_month)] == 1
    assert counts[(Measure.CONVERTED, key, this_month)] == 1
    assert counts[(Measure.JOB_STARTS, key, this_month)] == 1
    assert tallies_differences() == []
    assert job.pk


def test_a_failed_write_changes_no_tally(partnership):
    p = partnership
    referral = p.assign(p.refer())
    before = stored_counts()
    with pytest.raises(DomainError):
        p.enrol(referral, days_ago=-3)  # in the future: refused
    assert stored_counts() == before
    assert tallies_differences() == []


def test_rebuild_repairs_and_check_reports(partnership):
    partnership.refer()
    tally_add(measure=Measure.STARTS, partner_id=partnership.partner_b.pk, on=date(2025, 3, 9), delta=5)
    assert len(tallies_differences()) == 1
    with pytest.raises(CommandError, match="1 tallies disagree"):
        call_command("tallies", "--check")
    call_command("tallies", "--rebuild")
    assert tallies_differences() == []
    call_command("tallies", "--check")
    assert MonthlyTally.objects.filter(n__gt=0).count() == 1


STEPS = st.lists(
    st.tuples(
        st.sampled_from(
            [
                "refer",
                "assign_a",
                "assign_b",
                "route_a",
                "route_b",
                "partner_declines",
                "decline",
                "enrol",
                "job",
                "sustain",
            ]
        ),
        st.integers(min_value=0, max_value=30),
    ),
    min_size=1,
    max_size=25,
)


@settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(steps=STEPS)
def test_any_sequence_of_work_keeps_tallies_equal_to_a_recount(django_db_blocker, steps):
    """Whatever order referrals, routing, re-routing, declines, enrolments, job starts and sustained
    jobs happen in — including refused ones — the tallies equal a fresh count."""
    from django.db import transaction

    with django_db_blocker.unblock(), transaction.atomic():
        p = Partnership()
        referrals, cases, jobs = [], [], []
        for action, n in steps:
            try:
                if action == "refer":
                    referrals.append(p.refer(given_name=f"Person{len(referrals)}"))
                elif action in ("assign_a", "assign_b") and referrals:
                    r = referrals[n % len(referrals)]
                    partner = p.partner_a if action == "assign_a" else p.partner_b
                    adviser = p.adviser_a if action == "assign_a" else p.adviser_b
                    referrals[n % len(referrals)] = p.assign(r, partner=partner, adviser=adviser)
                elif action in ("route_a", "route_b") and referrals:
                    partner = p.partner_a if action == "route_a" else p.partner_b
                    i = n % len(referrals)
                    referrals[i] = referral_route(referral=referrals[i], actor=p.programme, delivery_partner=partner)
                elif action == "partner_declines" and referrals:
                    i = n % len(referrals)
                    referrals[i] = referral_decline(referral=referrals[i], actor=p.manager_a, reason_code="no_capacity")
                elif action == "decline" and referrals:
                    referral_decline(referral=referrals[n % len(referrals)], actor=p.programme, reason="Not local")
                elif action == "enrol" and referrals:
                    r = referrals[n % len(referrals)]
                    adviser = p.adviser_a if r.delivery_partner_id == p.partner_a.pk else p.adviser_b
                    cases.append(p.enrol(r, adviser=adviser))
                elif action == "job" and cases:
                    c = cases[n % len(cases)]
                    adviser = p.adviser_a if c.delivery_partner_id == p.partner_a.pk else p.adviser_b
                    jobs.append((p.job_start(c, adviser=adviser), adviser))
                elif action == "sustain" and jobs:
                    job, adviser = jobs[n % len(jobs)]
                    for weeks in (13, 26):
                        sustainment_record(
                            job_start=job,
                            actor=adviser,
                            achieved_on=job.start_date + timedelta(weeks=weeks),
                            evidence="Payslip",
                            weeks=weeks,
                            outcome=MilestoneOutcome.STILL_IN_WORK,
                        )
            except (DomainError, NotPermitted):
                pass  # a refused step (enrolling twice, a declined referral...) must change no tally
        assert tallies_differences() == []
        transaction.set_rollback(True)


def test_rebuild_counts_back_dated_records_in_their_own_month(partnership):
    from joinedup.referrals.models import Referral

    referral = partnership.refer()
    then = datetime(2025, 6, 30, 23, 30, tzinfo=ZoneInfo("UTC"))  # 1 July in London
    Referral.objects.filter(pk=referral.pk).update(created_at=then)
    assert len(tallies_differences()) == 2  # stored this month, counted July 2025
    tallies_rebuild()
    assert stored_counts() == {(Measure.REFERRALS, "", date(2025, 7, 1)): 1}
