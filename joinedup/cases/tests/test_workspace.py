"""Job start details and duplicates, permitted work and volunteering, onward referrals to directory
services, the better-off service and pages, quick contact entry, and audited reads of form pages."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

import pytest
from django.utils import timezone

from joinedup.audit.models import AuditEvent, AuditVerb
from joinedup.cases.better_off import calculator as better_off
from joinedup.cases.better_off.models import BetterOffCalculation
from joinedup.cases.better_off.services import better_off_calculate
from joinedup.cases.enrolment import stages
from joinedup.cases.enrolment.models import Case
from joinedup.cases.plan.models import OnwardReferral, OnwardReferralStatus
from joinedup.cases.plan.services import onward_referral_make, onward_referral_update, plan_goal_add
from joinedup.cases.tests.test_services import backdate
from joinedup.cases.tests.test_views import day, summary
from joinedup.cases.work.models import ContractType, JobStart, WorkActivity
from joinedup.cases.work.services import job_start_record, work_activity_record
from joinedup.core.errors import DomainError, NotPermitted
from joinedup.directory.models import DirectoryOrganisation, Lifecycle, Service


def today():
    return timezone.localdate()


def rows() -> dict[str, int]:
    return {
        "job_starts": JobStart.objects.count(),
        "work": WorkActivity.objects.count(),
        "referrals": OnwardReferral.objects.count(),
        "calculations": BetterOffCalculation.objects.count(),
        "audit": AuditEvent.objects.count(),
    }


@pytest.fixture
def case(partnership) -> Case:
    return partnership.enrol(partnership.assign(backdate(partnership.refer(), 100)), days_ago=90)


def job(case, actor, **overrides):
    values = {
        "employer_name": "Boots",
        "job_title": "Retail assistant",
        "hours_per_week": Decimal("16"),
        "hourly_pay": Decimal("12.71"),
        "start_date": today() - timedelta(days=10),
        "contract_type": ContractType.ZERO_HOURS,
    }
    values.update(overrides)
    return job_start_record(case=case, actor=actor, **values)


# Job starts -------------------------------------------------------------------------------------


def test_job_start_keeps_the_contract_type_and_audits_it(partnership, case):
    started = job(case, partnership.adviser_a)
    assert started.contract_type == "zero_hours" and not started.self_employed
    event = AuditEvent.objects.order_by("-id").first()
    assert event.verb == AuditVerb.JOB_START_RECORDED and event.payload["contract_type"] == "zero_hours"


def test_self_employment_is_a_job_start_with_the_business_name(partnership, case):
    started = job(case, partnership.adviser_a, employer_name="Zoë's Cakes", contract_type=ContractType.SELF_EMPLOYED)
    assert started.self_employed
    case.refresh_from_db()
    assert case.stage == stages.IN_WORK
    with pytest.raises(DomainError, match="Enter the business's name"):
        job(case, partnership.adviser_a, employer_name="  ", contract_type=ContractType.SELF_EMPLOYED)


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"contract_type": "gig"}, "Select the type of contract"),
        ({"hours_per_week": Decimal("-5")}, "between 0.5 and 80"),
        ({"hours_per_week": Decimal("168")}, "between 0.5 and 80"),
        ({"hourly_pay": Decimal("-12.71")}, "more than £0"),
        ({"hourly_pay": Decimal("99999")}, "no more than £1,000"),
        ({"job_title": ""}, "Enter the job title"),
        ({"employer_name": "x" * 201}, r"^Employer must be 200 characters or fewer\.$"),
    ],
)
def test_bad_job_starts_are_refused_and_nothing_is_saved(partnership, case, overrides, message):
    before = rows()
    with pytest.raises(DomainError, match=message):
        job(case, partnership.adviser_a, **overrides)
    assert rows() == before
    case.refresh_from_db()
    assert case.stage == stages.ENROLLED


def test_a_job_start_before_enrolment_is_refused(partnership, case):
    with pytest.raises(DomainError, match="before the person was enrolled"):
        job(case, partnership.adviser_a, start_date=case.enrolled_on - timedelta(days=1))
    assert JobStart.objects.count() == 0


def test_the_same_job_start_twice_is_refused(partnership, case):
    job(case, partnership.adviser_a)
    before = rows()
    with pytest.raises(DomainError, match="already recorded"):
        job(case, partnership.adviser_a, employer_name="  BOOTS ", job_title="Another title")
    assert rows() == before
    # A different start date (a second spell with the same employer) is a different job start.
    job(case, partnership.adviser_a, start_date=today() - timedelta(days=3))
    assert JobStart.objects.filter(case=case).count() == 2


def test_a_repeated_job_start_form_post_saves_one(client, partnership, case):
    client.force_login(partnership.adviser_a.user)
    data = {
        "employer_name": "Bean There",
        "job_title": "Barista",
        "hours_per_week": "12",
        "hourly_pay": "12.71",
        "contract_type": "fixed_term",
        **day("start_date", today()),
    }
    assert client.post(f"/cases/{case.pk}/job-starts/new/", data).status_code == 302
    again = client.post(f"/cases/{case.pk}/job-starts/new/", data)
    assert again.status_code == 400
    assert "already recorded for this person" in summary(again)
    assert JobStart.objects.filter(case=case).count() == 1


# Permitted work and volunteering ----------------------------------------------------------------


def activity(case, actor, **overrides):
    values = {
        "kind": "permitted_work",
        "organisation_name": "Mansfield Community Café",
        "role": "Kitchen help",
        "hours_per_week": Decimal("8"),
        "weekly_earnings": Decimal("90"),
        "started_on": today() - timedelta(days=5),
    }
    values.update(overrides)
    return work_activity_record(case=case, actor=actor, **values)


def test_permitted_work_and_volunteering_are_not_job_starts(partnership, case):
    activity(case, partnership.adviser_a)
    activity(case, partnership.adviser_a, kind="volunteering", weekly_earnings=Decimal("0"), role="Shop volunteer")
    assert WorkActivity.objects.filter(case=case).count() == 2
    assert JobStart.objects.count() == 0
    case.refresh_from_db()
    assert case.stage == stages.ENROLLED
    assert AuditEvent.objects.filter(verb=AuditVerb.CREATED, payload__kind="volunteering").count() == 1


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"kind": "job"}, "Select permitted work or volunteering"),
        ({"kind": "volunteering"}, "Volunteering is unpaid"),
        ({"hours_per_week": Decimal("-1")}, "between 0.5 and 80"),
        ({"weekly_earnings": Decimal("-10")}, "between £0 and £10,000"),
        ({"organisation_name": ""}, "Enter the organisation's name"),
        ({"started_on": "before"}, "before the person was enrolled"),
    ],
)
def test_bad_work_activity_is_refused(partnership, case, overrides, message):
    if overrides.get("started_on") == "before":
        overrides = {"started_on": case.enrolled_on - timedelta(days=1)}
    before = rows()
    with pytest.raises(DomainError, match=message):
        activity(case, partnership.adviser_a, **overrides)
    assert rows() == before


def test_work_activity_by_another_partner_is_refused(partnership, case):
    with pytest.raises(NotPermitted):
        activity(case, partnership.adviser_b)


# Onward referrals -------------------------------------------------------------------------------


@pytest.fixture
def service(db) -> Service:
    org = DirectoryOrganisation.objects.create(name="Citizens Advice Mansfield", description="Advice")
    service = Service.objects.create(organisation=org, name="Debt advice clinic", lifecycle=Lifecycle.PUBLISHED)
    from joinedup.directory.search import index_services  # made with the ORM: its search columns too

    index_services([service.pk])
    return service


def refer_on(case, actor, service, **overrides):
    values = {"service_id": service.pk, "reason": "Rent arrears worry her", "made_on": today()}
    values.update(overrides)
    return onward_referral_make(case=case, actor=actor, **values)


def test_onward_referral_to_a_published_service_is_tracked_to_its_outcome(partnership, case, service):
    goal = plan_goal_add(case=case, actor=partnership.adviser_a, text="Get on top of my debts")
    referral = refer_on(case, partnership.adviser_a, service, goal=goal)
    assert (referral.service_name, referral.organisation_name) == ("Debt advice clinic", "Citizens Advice Mansfield")
    assert referral.status == OnwardReferralStatus.MADE
    made = AuditEvent.objects.order_by("-id").first()
    assert made.verb == AuditVerb.REFERRED_ON and made.person_id == case.person_id
    for status in ("accepted", "attended"):
        onward_referral_update(referral=referral, actor=partnership.adviser_a, status=status, changed_on=today())
    referral.refresh_from_db()
    assert referral.status == "attended"
    assert AuditEvent.objects.filter(verb=AuditVerb.REFERRED_ON, target_id=str(referral.pk)).count() == 3
    with pytest.raises(DomainError, match="already marked"):
        onward_referral_update(referral=referral, actor=partnership.adviser_a, status="attended", changed_on=today())


def test_only_published_services_can_be_referred_to(partnership, case, service):
    Service.objects.filter(pk=service.pk).update(lifecycle=Lifecycle.DRAFT)
    before = rows()
    with pytest.raises(DomainError, match="published in the directory"):
        refer_on(case, partnership.adviser_a, service)
    assert rows() == before


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"reason": "   "}, "Enter why"),
        ({"reason": "x" * 1001}, "1,000 characters"),
        ({"made_on": "tomorrow"}, "today or in the past"),
    ],
)
def test_bad_onward_referrals_are_refused(partnership, case, service, overrides, message):
    if overrides.get("made_on") == "tomorrow":
        overrides = {"made_on": today() + timedelta(days=1)}
    before = rows()
    with pytest.raises(DomainError, match=message):
        refer_on(case, partnership.adviser_a, service, **overrides)
    assert rows() == before


def test_the_same_onward_referral_twice_is_refused(partnership, case, service):
    refer_on(case, partnership.adviser_a, service)
    with pytest.raises(DomainError, match="already recorded"):
        refer_on(case, partnership.adviser_a, service)
    assert OnwardReferral.objects.count() == 1


def test_onward_referral_outcome_cannot_be_before_it_was_made(partnership, case, service):
    referral = refer_on(case, partnership.adviser_a, service, made_on=today() - timedelta(days=2))
    with pytest.raises(DomainError, match="before the referral was made"):
        onward_referral_update(
            referral=referral, actor=partnership.adviser_a, status="declined", changed_on=today() - timedelta(days=3)
        )


def test_onward_referral_pages(client, partnership, case, service):
    client.force_login(partnership.adviser_a.user)
    page = client.get(f"/cases/{case.pk}/plan/referrals/new/?q=debt")
    assert page.status_code == 200 and "Debt advice clinic (Citizens Advice Mansfield)" in page.content.decode()
    data = {"service": str(service.pk), "reason": "<script>alert(1)</script> arrears", **day("made_on", today())}
    assert client.post(f"/cases/{case.pk}/plan/referrals/new/", data).status_code == 302
    plan = client.get(f"/cases/{case.pk}/plan/").content.decode()
    assert "Debt advice clinic" in plan and "&lt;script&gt;" in plan and "<script>alert" not in plan
    referral = OnwardReferral.objects.get()
    update = {"status": "no_response", **day("changed_on", today())}
    assert client.post(f"/cases/{case.pk}/plan/referrals/{referral.pk}/", update).status_code == 302
    referral.refresh_from_db()
    assert referral.status == "no_response"
    bad = client.post(f"/cases/{case.pk}/plan/referrals/new/", {"service": "not-a-service", "reason": "x"})
    assert bad.status_code == 400 and "Choose a service from the list" in summary(bad)


def test_onward_referral_search_offers_did_you_mean(client, partnership, case, service):
    """Issue 18: "did you mean" was on /directory/ only; a misspelling here found nothing and said no more."""
    client.force_login(partnership.adviser_a.user)
    page = client.get(f"/cases/{case.pk}/plan/referrals/new/?q=clinc").content.decode()
    assert "0 services matching" in page
    assert 'data-testid="did-you-mean"' in page and "?q=clinic" in page
    found = client.get(f"/cases/{case.pk}/plan/referrals/new/?q=clinic").content.decode()
    assert "Debt advice clinic (Citizens Advice Mansfield)" in found and 'data-testid="did-you-mean"' not in found
    nothing = client.get(f"/cases/{case.pk}/plan/referrals/new/?q=xyzzyplugh").content.decode()
    assert 'data-testid="did-you-mean"' not in nothing


def test_another_partner_cannot_see_or_refer_from_the_plan(client, partnership, case, service):
    client.force_login(partnership.adviser_b.user)
    assert client.get(f"/cases/{case.pk}/plan/referrals/new/").status_code == 404


# Better off in work (service and pages) ---------------------------------------------------------

HOUSEHOLD = better_off.Household(age=40, monthly_rent=Decimal("450"), tenure="social", council_tax_band="B")


def test_better_off_refuses_bad_input_and_the_wrong_people_without_running(partnership, case):
    before = rows()
    with pytest.raises(DomainError, match="hourly wage"):
        better_off_calculate(case=case, actor=partnership.adviser_a, household=HOUSEHOLD, hourly_wage=Decimal("-1"))
    for who in ("adviser_b", "referrer", "analyst"):
        with pytest.raises(NotPermitted):
            better_off_calculate(
                case=case, actor=getattr(partnership, who), household=HOUSEHOLD, hourly_wage=Decimal("12.71")
            )
    assert rows() == before


def test_better_off_form_runs_keeps_and_audits_the_calculation(
    client, partnership, case, django_capture_on_commit_callbacks
):
    client.force_login(partnership.adviser_a.user)
    form = client.get(f"/cases/{case.pk}/better-off/")
    assert form.status_code == 200 and 'value="12.71"' in form.content.decode()
    bad = client.post(f"/cases/{case.pk}/better-off/", {"hourly_wage": "-3", "age": "40", "tenure": "social"})
    assert bad.status_code == 400 and "Hourly wage cannot be negative" in summary(bad)
    bad = client.post(
        f"/cases/{case.pk}/better-off/",
        {"hourly_wage": "12.71", "age": "40", "tenure": "social", "children_ages": "4, x"},
    )
    assert bad.status_code == 400 and "whole number from 0 to 19" in summary(bad)
    assert BetterOffCalculation.objects.count() == 0
    data = {
        "hourly_wage": "12.71",
        "age": "40",
        "children_ages": "7",
        "tenure": "social",
        "monthly_rent": "450",
        "council_tax_band": "B",
    }
    with django_capture_on_commit_callbacks(execute=False) as queued:
        response = client.post(f"/cases/{case.pk}/better-off/", data)
    assert response.status_code == 302
    # The page queued the calculation; until the job has run, its page shows where it is.
    assert BetterOffCalculation.objects.get().results == {}
    waiting = client.get(response["Location"]).content.decode()
    assert 'data-testid="job-progress"' in waiting and "waiting to start" in waiting
    assert 'http-equiv="refresh"' in waiting and 'aria-live="polite"' in waiting
    # Another partner's adviser cannot watch the job: the progress page is scoped by the case.
    client.force_login(partnership.adviser_b.user)
    assert client.get(response["Location"]).status_code == 404
    client.force_login(partnership.adviser_a.user)
    assert queued, "the calculation's job was not queued"
    for run in queued:  # the test settings' immediate queue: the job runs as the transaction commits
        run()
    calculation = BetterOffCalculation.objects.get()
    assert calculation.tax_year == better_off.TAX_YEAR
    assert calculation.created_by == partnership.adviser_a.user
    assert calculation.household["children_ages"] == [7]
    assert [p["hours"] for p in calculation.results["points"]] == list(range(41))
    event = AuditEvent.objects.filter(verb=AuditVerb.CALCULATED).get()
    assert event.person_id == case.person_id and event.payload["tax_year"] == better_off.TAX_YEAR

    reads = AuditEvent.objects.filter(verb=AuditVerb.VIEWED).count()
    page = client.get(response["Location"])
    text = page.content.decode()
    assert page.status_code == 200
    assert "2026 to 2027" in text and 'data-testid="better-off-table"' in text and 'data-chart="better-off"' in text
    assert 'data-testid="hours-considered"' in text and "data-mark" not in text
    marked = client.get(response["Location"] + "?hours=16").content.decode()
    assert 'data-mark="16"' in marked and 'data-testid="hours-considered-row"' in marked
    wrong = client.get(response["Location"] + "?hours=99").content.decode()
    assert "data-mark" not in wrong and "whole number from 0 to 40" in wrong
    assert "Council Tax Reduction" in text  # what is not modelled is said
    assert AuditEvent.objects.filter(verb=AuditVerb.VIEWED).count() == reads + 3  # each view of it, marked or not
    # The form starts from the last calculation's household.
    again = client.get(f"/cases/{case.pk}/better-off/").content.decode()
    assert 'value="450.00"' in again or 'value="450"' in again
    # Another partner's adviser cannot open it.
    client.force_login(partnership.adviser_b.user)
    assert client.get(response["Location"]).status_code == 404


# Quick contact and audited reads ----------------------------------------------------------------


def test_case_page_has_a_quick_contact_form_with_sensible_defaults(client, partnership, case):
    client.force_login(partnership.adviser_a.user)
    page = client.get(f"/cases/{case.pk}/").content.decode()
    assert f'action="/cases/{case.pk}/contacts/new/"' in page
    assert 'id="quick_duration_minutes"' in page and 'value="15"' in page
    assert f'value="{today().day}"' in page
    data = {
        "channel": "phone",
        "kind": "support",
        "duration_minutes": "15",
        **day("happened_on", today()),
    }
    assert client.post(f"/cases/{case.pk}/contacts/new/", data).status_code == 302
    assert case.contacts.get().duration_minutes == 15


def test_a_record_with_empty_sections_reads_only_the_case(partnership, case, django_assert_num_queries):
    from joinedup.cases.enrolment.selectors import case_record

    with django_assert_num_queries(3):  # the case, the audit event, and which sections have rows
        record = case_record(actor=partnership.adviser_a, pk=case.pk)
    assert record.contacts == [] and record.exits == [] and record.assessments.assessments == []
    case.contacts.create(happened_on=today(), channel="phone", kind="support", duration_minutes=10)
    with django_assert_num_queries(4):  # and now the contacts
        record = case_record(actor=partnership.adviser_a, pk=case.pk)
    assert len(record.contacts) == 1 and record.milestones == []


def test_caseload_links_each_open_case_to_record_a_contact(client, partnership, case):
    client.force_login(partnership.adviser_a.user)
    page = client.get("/cases/").content.decode()
    assert f'href="/cases/{case.pk}/contacts/new/"' in page


@pytest.mark.parametrize(
    "path",
    ["contacts/new/", "job-starts/new/", "next-step/", "plan/goals/new/", "work/new/", "better-off/", "exit/"],
)
def test_showing_a_form_about_a_person_is_an_audited_read(client, partnership, case, path):
    client.force_login(partnership.adviser_a.user)
    before = AuditEvent.objects.filter(verb=AuditVerb.VIEWED, person_id=case.person_id).count()
    assert client.get(f"/cases/{case.pk}/{path}").status_code == 200
    assert AuditEvent.objects.filter(verb=AuditVerb.VIEWED, person_id=case.person_id).count() == before + 1


@pytest.mark.parametrize(
    "path",
    [
        "contacts/new/",
        "job-starts/new/",
        "plan/goals/new/",
        "work/new/",
        "better-off/",
        "exit/",
        "wellbeing/swemwbs/",
        "/people/consent/{pk}/",
    ],
)
def test_a_form_shown_again_with_errors_is_an_audited_read(client, partnership, case, path):
    """A refused POST shows the person's record again without any service recording anything."""
    client.force_login(partnership.adviser_a.user)
    before = AuditEvent.objects.filter(verb=AuditVerb.VIEWED, person_id=case.person_id).count()
    url = path.format(pk=case.pk) if path.startswith("/") else f"/cases/{case.pk}/{path}"
    response = client.post(url, {"submit": "Save"})
    assert response.status_code == 400 and case.person.given_name in response.content.decode()
    assert AuditEvent.objects.filter(verb=AuditVerb.VIEWED, person_id=case.person_id).count() == before + 1


def test_a_saved_form_is_audited_once_by_its_service_not_as_a_read(client, partnership, case):
    client.force_login(partnership.adviser_a.user)
    before = AuditEvent.objects.count()
    data = {"channel": "phone", "kind": "support", "duration_minutes": "10", **day("happened_on", today())}
    assert client.post(f"/cases/{case.pk}/contacts/new/", data).status_code == 302
    assert list(AuditEvent.objects.order_by("id").values_list("verb", flat=True))[before:] == [
        AuditVerb.CONTACT_RECORDED
    ]


def test_caseload_reminders_say_which_milestones_are_overdue(client, partnership):
    """Each milestone is due from the start date without anyone setting a reminder; one not recorded
    more than two weeks after it fell due is overdue."""
    case = partnership.enrol(partnership.assign(backdate(partnership.refer(), 130)), days_ago=120)
    job(case, partnership.adviser_a, start_date=today() - timedelta(weeks=13))
    client.force_login(partnership.adviser_a.user)
    page = client.get("/cases/").content.decode()
    due = page[page.index('data-testid="milestones-due"') :]
    due = due[: due.index("</table>")]
    four = due[due.index("4 weeks in work") :][:200]
    thirteen = due[due.index("13 weeks in work") :][:200]
    assert "Overdue" in four  # due 9 weeks ago
    assert "Due" in thirteen and "Overdue" not in thirteen  # due today


@pytest.mark.parametrize(
    ("who", "status"),
    [("adviser_a", 200), ("adviser_b", 404), ("referrer", 403), ("programme", 403), ("analyst", 403), ("admin", 403)],
)
@pytest.mark.parametrize("path", ["better-off/", "work/new/", "plan/referrals/new/"])
def test_new_pages_permission_matrix(client, partnership, case, who, status, path):
    client.force_login(getattr(partnership, who).user)
    assert client.get(f"/cases/{case.pk}/{path}").status_code == status


def test_a_calculation_of_another_case_is_not_found(client, partnership, case):
    other = partnership.enrol(partnership.assign(partnership.refer(given_name="Other")))
    calculation = BetterOffCalculation.objects.create(
        case=other,
        household=HOUSEHOLD.as_json(),
        hourly_wage=Decimal("12.71"),
        tax_year=2026,
        model_version="x",
        results={"points": []},
    )
    client.force_login(partnership.adviser_a.user)
    assert client.get(f"/cases/{case.pk}/better-off/{calculation.pk}/").status_code == 404
    assert client.get(f"/cases/{case.pk}/better-off/not-a-uuid/").status_code == 404
