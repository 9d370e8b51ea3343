"""Retention: a dry run says what would go and changes nothing; a run erases through the registry;
a legal hold keeps a person's record whole."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core.management import call_command
from django.test import override_settings
from django.utils import timezone

from joinedup.audit.models import AuditEvent, AuditVerb
from joinedup.cases.models import Case
from joinedup.governance import retention, services
from joinedup.governance.models import Erasure, RetentionRun
from joinedup.governance.retention_run import retention_run
from joinedup.people.models import Consent, Person
from joinedup.referrals.models import Referral
from joinedup.referrals.services import referral_decline

from .conftest import close

YEAR = timedelta(days=365)


@pytest.fixture
def people(partnership):
    p = partnership
    declined = p.refer(given_name="Dina", family_name="Declined")
    referral_decline(referral=declined, actor=p.programme, reason="Outside the area")
    open_case = p.enrol(p.assign(p.refer(given_name="Olu", family_name="Open")))
    closed_case = p.enrol(p.assign(p.refer(given_name="Cleo", family_name="Closed")))
    close(closed_case, p, on=timezone.localdate())
    held = p.refer(given_name="Hana", family_name="Held")
    referral_decline(referral=held, actor=p.programme, reason="Outside the area")
    services.legal_hold_place(actor=p.admin, reference=held.reference, reason="Litigation hold: claim 7")
    return {
        "declined": Person.objects.get(pk=declined.person_id),
        "open": open_case.person,
        "closed": closed_case.person,
        "held": Person.objects.get(pk=held.person_id),
    }


def state():
    return (
        sorted(Person.objects.values_list("given_name", "family_name", "postcode")),
        sorted(Referral.objects.values_list("help_wanted", flat=True)),
        Consent.objects.count(),
        AuditEvent.objects.exclude(verb=AuditVerb.RETENTION_APPLIED).count(),
    )


def test_the_dry_run_reports_and_changes_nothing(people):
    before = state()
    report = retention_run(dry_run=True, now=timezone.now() + 3 * YEAR)
    assert report.due == {people["declined"].pk: "referral_not_enrolled"}
    assert report.held == {people["held"].pk}
    assert state() == before
    assert not Erasure.objects.exists() and not RetentionRun.objects.exists()
    assert "Would erase 1 people (1 for a referral never enrolled, 0 for a closed case)" in report.lines()
    assert "Kept under a legal hold: 1 people" in report.lines()


def test_nothing_is_due_before_its_period(people):
    report = retention_run(dry_run=True, now=timezone.now() + YEAR)
    assert report.due == {} and report.held == set()


def test_the_run_erases_through_the_registry_and_respects_the_hold(people):
    held_before = Person.objects.filter(pk=people["held"].pk).values().get()
    report = retention_run(dry_run=False, now=timezone.now() + 3 * YEAR)
    assert report.erased == [people["declined"].pk] and not report.failed

    erased = Person.objects.get(pk=people["declined"].pk)
    assert (erased.given_name, erased.family_name, erased.email, erased.nhs_number) == ("Erased", "", "", "")
    assert erased.postcode == "NG18" and erased.date_of_birth.month == erased.date_of_birth.day == 1
    referral = Referral.objects.get(person=erased)
    assert (referral.help_wanted, referral.details) == ("", {})
    assert referral.employment_status == "unemployed"  # the coded situation stays for the counts
    assert Consent.objects.filter(person=erased).exists()  # kept, as the registry says, for now
    assert Erasure.objects.get(person=erased).done["referrals"] == {"action": "anonymise", "rows": 1}

    assert Person.objects.filter(pk=people["held"].pk).values().get() == held_before
    assert Person.objects.get(pk=people["open"].pk).given_name == "Olu"
    assert Person.objects.get(pk=people["closed"].pk).given_name == "Cleo"
    run = RetentionRun.objects.get()
    assert (run.erased, run.held) == (1, 1)
    assert AuditEvent.objects.filter(verb=AuditVerb.ERASED, person_id=erased.pk, channel="command").count() == 1
    assert AuditEvent.objects.filter(verb=AuditVerb.RETENTION_APPLIED).count() == 1

    again = retention_run(dry_run=True, now=timezone.now() + 3 * YEAR)
    assert again.due == {}  # an erased person is not due again


def test_a_closed_case_goes_after_its_own_period_and_an_open_one_never(people):
    retention_run(dry_run=False, now=timezone.now() + 7 * YEAR)
    closed = Person.objects.get(pk=people["closed"].pk)
    assert closed.given_name == "Erased"
    case = Case.objects.get(person=closed)
    assert (case.eligibility_evidence, case.next_action) == ("", "")
    assert Person.objects.get(pk=people["open"].pk).given_name == "Olu"
    # Audit events past six years go, except those about the person under a hold.
    assert not AuditEvent.objects.filter(person_id=people["open"].pk).exists()
    assert AuditEvent.objects.filter(person_id=people["held"].pk).exists()


def test_consent_evidence_goes_after_its_period_from_the_erasure(people):
    retention_run(dry_run=False, now=timezone.now() + 3 * YEAR)
    erased = people["declined"].pk
    assert Consent.objects.filter(person_id=erased).exists()
    Erasure.objects.filter(person_id=erased).update(created_at=timezone.now() - 7 * YEAR)
    dry = retention_run(dry_run=True)
    assert dry.consents == Consent.objects.filter(person_id=erased).count() > 0
    retention_run(dry_run=False)
    assert not Consent.objects.filter(person_id=erased).exists()
    assert Consent.objects.filter(person_id=people["held"].pk).exists()


def test_lifting_the_hold_lets_retention_proceed(people, partnership):
    hold = services.active_hold(people["held"].pk)
    assert hold is not None
    services.legal_hold_lift(actor=partnership.admin, hold=hold)
    report = retention_run(dry_run=False, now=timezone.now() + 3 * YEAR)
    assert set(report.erased) == {people["declined"].pk, people["held"].pk}


def test_periods_come_from_the_settings(people):
    with override_settings(RETENTION={"referral_not_enrolled": 30}):
        assert retention.REFERRAL_NOT_ENROLLED.days == 30
        assert retention_run(dry_run=True, now=timezone.now() + timedelta(days=31)).due
    with override_settings(RETENTION={"referal_typo": 30}), pytest.raises(RuntimeError, match="unknown"):
        retention.check_registry()


def test_the_command_dry_run_then_run(people, capsys):
    call_command("retention", "--dry-run")
    out = capsys.readouterr().out
    assert "Retention dry run" in out and "Would erase 0 people" in out
    assert not RetentionRun.objects.exists()
    call_command("retention")
    assert "Did erase 0 people" in capsys.readouterr().out
    assert RetentionRun.objects.count() == 1


def test_retention_is_a_daily_job_queued_by_the_worker_once_a_day(people):
    from datetime import datetime

    from joinedup.jobs.daily import DailyJobs
    from joinedup.jobs.models import Job, JobStatus
    from joinedup.jobs.services import job_run

    Referral.objects.filter(person=people["declined"]).update(status_changed_at=timezone.now() - 3 * YEAR)
    today = timezone.localdate()
    morning = timezone.make_aware(datetime(today.year, today.month, today.day, 3, 0))
    from config.settings import base  # the test settings turn daily jobs off (config/settings/test.py)

    with override_settings(JOBS_DAILY=base.JOBS_DAILY):
        [job] = DailyJobs().enqueue_due(morning)
        assert DailyJobs().enqueue_due(morning) == [job]  # a second worker: the same day's job, not another
    job_run(job_id=str(job.pk))
    job.refresh_from_db()
    assert job.status == JobStatus.DONE, job.error
    assert job.result == {"day": str(today), "erased": 1, "held": 0, "consents": 0, "audit_events": 0}
    assert Erasure.objects.get().person == people["declined"]
    run = RetentionRun.objects.get()
    event = AuditEvent.objects.get(verb=AuditVerb.RETENTION_APPLIED)
    assert (event.target_id, event.channel) == (str(run.pk), "job")
    assert Job.objects.filter(kind="joinedup.governance.jobs.retention_daily").count() == 1


def test_the_employers_and_programmes_rules(partnership):
    from joinedup.directory.selectors import published_services
    from joinedup.employers.models import AdviceRequest, EmployerContact, Engagement
    from joinedup.programmes.models import Participation, Programme
    from joinedup.programmes.tests.conftest import make_programme
    from joinedup.testkit.employers import employer

    from .held import held_rows

    p = partnership
    today = timezone.localdate()
    quiet, busy = employer(p.manager_a), employer(p.manager_a, name="Busy Bakers Ltd", postcode="NG1 1AA")
    for firm in (quiet, busy):
        EmployerContact.objects.create(employer=firm, name="Jo Bloggs", email="jo@firm.example")
    Engagement.objects.create(
        employer=quiet,
        happened_on=today - 7 * YEAR,
        channel="phone",
        kind="first_contact",
        notes="Spoke about Sam's back",
        organisation=p.partner_a,
    )
    Engagement.objects.create(
        employer=busy,
        happened_on=today,
        channel="phone",
        kind="first_contact",
        notes="Recent",
        organisation=p.partner_a,
    )
    provider = published_services().first()
    assert provider is not None
    AdviceRequest.objects.create(employer=quiet, provider=provider, question="Phased return?", urgency="soon")
    make_programme(p)
    case = p.enrol(p.assign(p.refer()))
    held_rows(
        case.person, only="programmes."
    )  # a participation, with its courses, job entries, claims, evidence and expenses
    ended = timezone.localdate() - 11 * YEAR
    Programme.objects.update(starts_on=ended - 3 * YEAR, ends_on=ended)
    AdviceRequest.objects.update(created_at=timezone.now() - 3 * YEAR)

    dry = retention_run(dry_run=True)
    expected = {
        "employer_contacts": 1,
        "engagement_notes": 1,
        "advice_requests": 1,
        "programme_records": 1,
        "portal_sign_ins": 0,  # its own test: joinedup/portal/tests/test_retention.py
    }
    assert dry.records == expected
    assert EmployerContact.objects.count() == 2 and Participation.objects.count() == 1
    report = retention_run(dry_run=False)
    assert report.records == expected
    assert list(EmployerContact.objects.values_list("employer", flat=True)) == [busy.pk]
    assert sorted(Engagement.objects.values_list("notes", flat=True)) == ["", "Recent"]
    assert AdviceRequest.objects.get().question == ""
    assert not Participation.objects.exists() and Programme.objects.exists()
    assert RetentionRun.objects.get().records == expected
    assert retention_run(dry_run=True).records == dict.fromkeys(expected, 0)


def test_every_rule_says_what_when_how_long_what_then_and_why():
    for rule in retention.RULES.values():
        assert rule.what and rule.starts and rule.default_days >= 1 and rule.action and rule.legal_basis
    assert {"employer_contacts", "engagement_notes", "advice_requests", "programme_records"} <= set(retention.RULES)


def test_the_daily_job_only_reports_where_retention_is_not_enforced(people):
    """Review finding: `make run`'s worker ran the daily job for real against backdated demo data."""
    from joinedup.governance.jobs import retention_daily
    from joinedup.jobs.models import Job, JobStatus
    from joinedup.jobs.services import job_run

    Referral.objects.filter(person=people["declined"]).update(status_changed_at=timezone.now() - 3 * YEAR)
    with override_settings(RETENTION_ENFORCED=False):
        job = retention_daily.enqueue(key="retention-dry", day=str(timezone.localdate()))
        job_run(job_id=str(job.pk))
    job = Job.objects.get(pk=job.pk)
    assert job.status == JobStatus.DONE, job.error
    assert job.result == {"day": str(timezone.localdate()), "dry_run": True, "would_erase": 1, "held": 0}
    assert not Erasure.objects.exists() and not RetentionRun.objects.exists()


def test_the_development_setup_does_not_enforce_retention_and_production_does():
    from config.settings import base, local

    assert base.RETENTION_ENFORCED is True and local.RETENTION_ENFORCED is False
