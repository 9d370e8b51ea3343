"""Case services: enrolment, contacts, job starts and sustainment. One transaction, one audit each."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

import pytest
from django.utils import timezone

from joinedup.audit.models import AuditEvent, AuditVerb
from joinedup.cases.contacts.models import Contact
from joinedup.cases.contacts.services import contact_record
from joinedup.cases.enrolment import stages
from joinedup.cases.enrolment.models import Case
from joinedup.cases.enrolment.services import case_enrol
from joinedup.cases.work.models import JobStart, Sustainment
from joinedup.cases.work.services import job_start_record, sustainment_record
from joinedup.core.errors import DomainError, NotPermitted
from joinedup.people.models import Consent, ConsentPurpose
from joinedup.referrals import statuses
from joinedup.referrals.models import Referral, ReferralStatusChange


def today():
    return timezone.localdate()


def backdate(referral: Referral, days: int) -> Referral:
    Referral.objects.filter(pk=referral.pk).update(created_at=timezone.now() - timedelta(days=days))
    referral.refresh_from_db()
    return referral


def snapshot() -> dict[str, int]:
    return {
        "cases": Case.objects.count(),
        "contacts": Contact.objects.count(),
        "job_starts": JobStart.objects.count(),
        "sustainments": Sustainment.objects.count(),
        "consents": Consent.objects.count(),
        "status_changes": ReferralStatusChange.objects.count(),
        "audit": AuditEvent.objects.count(),
    }


@pytest.fixture
def assigned(partnership) -> Referral:
    return partnership.assign(backdate(partnership.refer(), 400))


@pytest.fixture
def case(partnership, assigned) -> Case:
    """Enrolled 300 days ago, so a job start can be old enough for both milestones."""
    return partnership.enrol(assigned, days_ago=300)


def enrol(referral, actor, **overrides):
    values = {
        "enrolled_on": today(),
        "eligibility_confirmed": True,
        "eligibility_evidence": "UC award letter showing LCW",
        "consent_to_support": True,
    }
    values.update(overrides)
    return case_enrol(referral=referral, actor=actor, **values)


def job(case, actor, **overrides):
    values = {
        "employer_name": "Boots",
        "job_title": "Retail assistant",
        "hours_per_week": Decimal("16"),
        "hourly_pay": Decimal("12.21"),
        "start_date": today(),
    }
    values.update(overrides)
    return job_start_record(case=case, actor=actor, **values)


# Enrolment --------------------------------------------------------------------------------------


def test_enrolment_creates_the_case_consent_status_and_one_audit_event(partnership, assigned):
    before = snapshot()
    case = enrol(assigned, partnership.adviser_a)
    after = snapshot()
    assert case.stage == stages.ENROLLED
    assert case.delivery_partner == partnership.partner_a
    assert case.adviser == partnership.adviser_a.user
    assert case.eligibility_evidence == "UC award letter showing LCW"
    assigned.refresh_from_db()
    assert assigned.status == statuses.ENROLLED
    assert after["cases"] == before["cases"] + 1
    assert after["status_changes"] == before["status_changes"] + 1
    assert Consent.objects.filter(person=case.person, purpose=ConsentPurpose.SUPPORT, given=True).count() == 1
    assert after["audit"] == before["audit"] + 1
    event = AuditEvent.objects.order_by("-id").first()
    assert (event.verb, event.target_id, event.person_id) == (AuditVerb.ENROLLED, str(case.pk), case.person_id)


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"eligibility_confirmed": False}, "eligibility_confirmed"),
        ({"eligibility_evidence": ""}, "eligibility_evidence"),
        ({"eligibility_evidence": "   \n "}, "eligibility_evidence"),
        ({"eligibility_evidence": "x" * 2001}, "eligibility_evidence"),
        ({"consent_to_support": False}, "consent_to_support"),
    ],
)
def test_enrolment_needs_eligibility_evidence_and_consent(partnership, assigned, overrides, field):
    before = snapshot()
    with pytest.raises(DomainError) as exc:
        enrol(assigned, partnership.adviser_a, **overrides)
    assert exc.value.field == field
    assert exc.value.message
    assert snapshot() == before
    assigned.refresh_from_db()
    assert assigned.status == statuses.ASSIGNED


def test_enrolment_date_cannot_be_in_the_future_or_before_the_referral(partnership):
    referral = partnership.assign(partnership.refer())
    before = snapshot()
    with pytest.raises(DomainError, match="today or in the past"):
        enrol(referral, partnership.adviser_a, enrolled_on=today() + timedelta(days=1))
    with pytest.raises(DomainError, match="before the referral was made"):
        enrol(referral, partnership.adviser_a, enrolled_on=today() - timedelta(days=30))
    assert snapshot() == before


def test_cannot_enrol_twice(partnership, assigned):
    stale = Referral.objects.get(pk=assigned.pk)  # still says "assigned" in memory after enrolment
    enrol(assigned, partnership.adviser_a)
    before = snapshot()
    with pytest.raises(DomainError, match="already enrolled"):
        enrol(stale, partnership.adviser_a)
    assigned.refresh_from_db()
    with pytest.raises(DomainError):
        enrol(assigned, partnership.adviser_a)
    assert snapshot() == before
    assert Case.objects.filter(referral=assigned).count() == 1


def test_only_an_assigned_referral_can_be_enrolled(partnership):
    received = partnership.refer()
    received.delivery_partner = partnership.partner_a  # pretend, in memory only
    with pytest.raises(DomainError, match="Only a referral assigned"):
        enrol(received, partnership.adviser_a)
    assert Case.objects.count() == 0


@pytest.mark.parametrize("who", ["adviser_b", "referrer", "programme", "analyst", "admin"])
def test_only_the_assigned_partner_can_enrol(partnership, assigned, who):
    before = snapshot()
    with pytest.raises(NotPermitted):
        enrol(assigned, getattr(partnership, who))
    assert snapshot() == before


def test_partner_manager_can_enrol(partnership, assigned):
    case = enrol(assigned, partnership.manager_a)
    assert case.adviser == partnership.adviser_a.user  # the adviser the referral was assigned to


# Contacts ---------------------------------------------------------------------------------------


def contact(case, actor, **overrides):
    values = {
        "happened_on": today(),
        "channel": "phone",
        "kind": "support",
        "duration_minutes": 30,
        "notes": "  Talked  ",
    }
    values.update(overrides)
    return contact_record(case=case, actor=actor, **values)


def test_contact_is_recorded_with_one_audit_event(partnership, case):
    before = snapshot()
    made = contact(case, partnership.adviser_a)
    assert made.notes == "Talked"
    after = snapshot()
    assert after["contacts"] == before["contacts"] + 1
    assert after["audit"] == before["audit"] + 1
    assert AuditEvent.objects.order_by("-id").first().verb == AuditVerb.CONTACT_RECORDED


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"happened_on": "tomorrow"}, "today or in the past"),
        ({"happened_on": "before enrolment"}, "before the person was enrolled"),
        ({"duration_minutes": 0}, "between 1 and 600"),
        ({"duration_minutes": 601}, "between 1 and 600"),
    ],
)
def test_contact_validation(partnership, case, overrides, message):
    if overrides.get("happened_on") == "tomorrow":
        overrides = {"happened_on": today() + timedelta(days=1)}
    elif overrides.get("happened_on") == "before enrolment":
        overrides = {"happened_on": case.enrolled_on - timedelta(days=1)}
    before = snapshot()
    with pytest.raises(DomainError, match=message):
        contact(case, partnership.adviser_a, **overrides)
    assert snapshot() == before


@pytest.mark.parametrize("who", ["adviser_b", "referrer", "programme", "analyst", "admin"])
def test_contact_by_the_wrong_actor_is_refused(partnership, case, who):
    before = snapshot()
    with pytest.raises(NotPermitted):
        contact(case, getattr(partnership, who))
    assert snapshot() == before


# Job starts -------------------------------------------------------------------------------------


def test_job_start_moves_the_case_into_work_with_one_audit_event(partnership, case):
    before = snapshot()
    started = job(case, partnership.adviser_a, employer_name="  Greggs ")
    assert started.employer_name == "Greggs"
    case.refresh_from_db()
    assert case.stage == stages.IN_WORK
    after = snapshot()
    assert after["job_starts"] == before["job_starts"] + 1
    assert after["audit"] == before["audit"] + 1
    assert AuditEvent.objects.order_by("-id").first().verb == AuditVerb.JOB_START_RECORDED


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"start_date": "tomorrow"}, "today or in the past"),
        ({"start_date": "before enrolment"}, "before the person was enrolled"),
        ({"hours_per_week": Decimal("0.4")}, "between 0.5 and 80"),
        ({"hours_per_week": Decimal("80.5")}, "between 0.5 and 80"),
        ({"hourly_pay": Decimal("0")}, "more than £0"),
        ({"hourly_pay": Decimal("-1")}, "more than £0"),
        ({"hourly_pay": Decimal("1000.01")}, "no more than £1,000"),
    ],
)
def test_job_start_validation(partnership, case, overrides, message):
    if overrides.get("start_date") == "tomorrow":
        overrides = {"start_date": today() + timedelta(days=1)}
    elif overrides.get("start_date") == "before enrolment":
        overrides = {"start_date": case.enrolled_on - timedelta(days=1)}
    before = snapshot()
    with pytest.raises(DomainError, match=message):
        job(case, partnership.adviser_a, **overrides)
    assert snapshot() == before
    case.refresh_from_db()
    assert case.stage == stages.ENROLLED


def test_job_start_on_a_closed_case_is_refused(partnership, case):
    Case.objects.filter(pk=case.pk).update(stage=stages.CLOSED)
    case.refresh_from_db()
    with pytest.raises(DomainError, match="closed"):
        job(case, partnership.adviser_a)
    assert JobStart.objects.count() == 0


@pytest.mark.parametrize("who", ["adviser_b", "referrer", "programme", "analyst", "admin"])
def test_job_start_by_the_wrong_actor_is_refused(partnership, case, who):
    before = snapshot()
    with pytest.raises(NotPermitted):
        job(case, getattr(partnership, who))
    assert snapshot() == before


# Sustainment ------------------------------------------------------------------------------------


@pytest.fixture
def old_job(partnership, case) -> JobStart:
    """Started 200 days ago: past both the 13-week and the 26-week milestones."""
    return job(case, partnership.adviser_a, start_date=today() - timedelta(days=200))


def sustain(job_start, actor, weeks, **overrides):
    values = {"achieved_on": job_start.due_on(weeks), "evidence": "Payslip seen"}
    values.update(overrides)
    return sustainment_record(job_start=job_start, actor=actor, weeks=weeks, **values)


def test_stage_moves_enrolled_in_work_13_then_26_weeks(partnership, case):
    assert case.stage == stages.ENROLLED
    started = job(case, partnership.adviser_a, start_date=today() - timedelta(days=200))
    case.refresh_from_db()
    assert case.stage == stages.IN_WORK
    for weeks, stage, verb in (
        (13, stages.SUSTAINED_13, AuditVerb.SUSTAINMENT_RECORDED),
        (26, stages.SUSTAINED_26, AuditVerb.SUSTAINMENT_RECORDED),
    ):
        before = snapshot()
        made = sustain(started, partnership.adviser_a, weeks)
        assert made.weeks == weeks
        case.refresh_from_db()
        assert case.stage == stage
        after = snapshot()
        assert after["sustainments"] == before["sustainments"] + 1
        assert after["audit"] == before["audit"] + 1
        assert AuditEvent.objects.order_by("-id").first().verb == verb


def test_a_later_job_start_does_not_move_a_sustained_case_back(partnership, case, old_job):
    sustain(old_job, partnership.adviser_a, 13)
    job(case, partnership.adviser_a, employer_name="Tesco")
    case.refresh_from_db()
    assert case.stage == stages.SUSTAINED_13


def test_26_weeks_before_13_is_refused(partnership, old_job):
    before = snapshot()
    with pytest.raises(DomainError, match="Record 13 weeks in work before 26 weeks"):
        sustain(old_job, partnership.adviser_a, 26)
    assert snapshot() == before


def test_26_week_date_before_it_is_due_is_refused(partnership, old_job):
    sustain(old_job, partnership.adviser_a, 13)
    before = snapshot()
    with pytest.raises(DomainError, match="26 weeks in work is reached on") as exc:
        sustain(old_job, partnership.adviser_a, 26, achieved_on=old_job.due_on(26) - timedelta(days=1))
    assert exc.value.field == "achieved_on"
    assert snapshot() == before


def test_13_week_date_before_it_is_due_is_refused(partnership, case):
    recent = job(case, partnership.adviser_a, start_date=today() - timedelta(days=30))
    with pytest.raises(DomainError, match="13 weeks in work is reached on"):
        sustain(recent, partnership.adviser_a, 13, achieved_on=today())
    assert Sustainment.objects.count() == 0


def test_future_sustainment_date_is_refused(partnership, old_job):
    with pytest.raises(DomainError, match="today or in the past"):
        sustain(old_job, partnership.adviser_a, 13, achieved_on=today() + timedelta(days=1))
    assert Sustainment.objects.count() == 0


@pytest.mark.parametrize("weeks", [13, 26])
def test_duplicate_sustainment_is_refused(partnership, old_job, weeks):
    sustain(old_job, partnership.adviser_a, 13)
    if weeks == 26:
        sustain(old_job, partnership.adviser_a, 26)
    before = snapshot()
    with pytest.raises(DomainError, match="already recorded"):
        sustain(old_job, partnership.adviser_a, weeks)
    assert snapshot() == before


@pytest.mark.parametrize(("weeks", "evidence"), [(52, "Payslip"), (0, "Payslip"), (13, "   ")])
def test_sustainment_needs_a_known_milestone_and_evidence(partnership, old_job, weeks, evidence):
    with pytest.raises(DomainError):
        sustainment_record(
            job_start=old_job, actor=partnership.adviser_a, weeks=weeks, achieved_on=today(), evidence=evidence
        )
    assert Sustainment.objects.count() == 0


@pytest.mark.parametrize("who", ["adviser_b", "referrer", "programme", "analyst", "admin"])
def test_sustainment_by_the_wrong_actor_is_refused(partnership, old_job, who):
    before = snapshot()
    with pytest.raises(NotPermitted):
        sustain(old_job, getattr(partnership, who), 13)
    assert snapshot() == before


# A service that fails part-way leaves nothing behind. --------------------------------------------


class Boom(Exception):
    pass


@pytest.fixture
def audit_fails(monkeypatch):
    def explode(**kwargs):
        raise Boom

    monkeypatch.setattr("joinedup.cases.checks.audit_record", explode)


def test_failed_enrolment_rolls_back_case_consent_and_status(partnership, assigned, audit_fails):
    before = snapshot()
    with pytest.raises(Boom):
        enrol(assigned, partnership.adviser_a)
    assert snapshot() == before
    assigned.refresh_from_db()
    assert assigned.status == statuses.ASSIGNED
    assert not Case.objects.filter(referral=assigned).exists()


def test_failed_job_start_rolls_back_the_job_and_the_stage(partnership, case, audit_fails):
    before = snapshot()
    with pytest.raises(Boom):
        job(case, partnership.adviser_a)
    assert snapshot() == before
    case.refresh_from_db()
    assert case.stage == stages.ENROLLED


def test_failed_contact_and_sustainment_leave_nothing(partnership, case, monkeypatch):
    started = job(case, partnership.adviser_a, start_date=today() - timedelta(days=200))
    case.refresh_from_db()

    def explode(**kwargs):
        raise Boom

    monkeypatch.setattr("joinedup.cases.checks.audit_record", explode)
    before = snapshot()
    with pytest.raises(Boom):
        contact(case, partnership.adviser_a)
    with pytest.raises(Boom):
        sustain(started, partnership.adviser_a, 13)
    assert snapshot() == before
    case.refresh_from_db()
    assert case.stage == stages.IN_WORK
