"""Who may see and do what: every role against every page, write and API call.

Each test user has one membership, so the acting membership is that one. Records outside the
actor's scope are absent (404), pages the role has no permission for are refused (403).
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import timedelta

import pytest
from django.utils import timezone

from joinedup.api.services import api_token_issue
from joinedup.audit.models import AuditEvent, AuditVerb
from joinedup.cases.models import Case, Contact, JobStart, Sustainment
from joinedup.core.errors import NotPermitted
from joinedup.organisations.models import Role
from joinedup.organisations.permissions import ROLE_PERMISSIONS, Perm, has_perm
from joinedup.people.models import Person
from joinedup.referrals import statuses
from joinedup.referrals.models import Referral, ReferralStatusChange
from joinedup.referrals.services import referral_assign
from joinedup.testkit import Partnership, select_options

ROLES = [r.value for r in Role]


@dataclass
class World:
    p: Partnership
    received: Referral  # waiting in the triage queue
    assigned: Referral  # assigned to partner A, waiting to be enrolled
    case_a: Case  # partner A's case, in work long enough for the 13-week milestone
    job_a: JobStart
    case_b: Case  # partner B's case
    job_b: JobStart
    assigned_b: Referral  # assigned to partner B, waiting to be enrolled


def backdate(referral: Referral, days: int) -> Referral:
    Referral.objects.filter(pk=referral.pk).update(created_at=timezone.now() - timedelta(days=days))
    referral.refresh_from_db()
    return referral


@pytest.fixture
def world(partnership) -> World:
    p = partnership
    received = p.refer(given_name="Rhiannon", family_name="Received")
    assigned = p.assign(p.refer(given_name="Ade", family_name="Assigned"))
    case_a = p.enrol(p.assign(backdate(p.refer(given_name="Casey", family_name="Aardvark"), 200)), days_ago=150)
    job_a = p.job_start(case_a, days_ago=100)
    ref_b = p.assign(
        backdate(p.refer(given_name="Bethan", family_name="Bexley"), 200), partner=p.partner_b, adviser=p.adviser_b
    )
    case_b = p.enrol(ref_b, adviser=p.adviser_b, days_ago=150)
    job_b = p.job_start(case_b, adviser=p.adviser_b, days_ago=100)
    assigned_b = p.assign(
        p.refer(given_name="Bryn", family_name="Bexleyheath"), partner=p.partner_b, adviser=p.adviser_b
    )
    return World(p, received, assigned, case_a, job_a, case_b, job_b, assigned_b)


def member(world: World, role: str):
    return world.p.by_role()[role]


# Pages: name -> (url builder, roles that may open it). Everyone else gets 403. ------------------

R, PA, PM, PROG, AN, ADM = (
    Role.REFERRER,
    Role.PERSONAL_ADVISER,
    Role.PARTNER_MANAGER,
    Role.PROGRAMME_MANAGER,
    Role.ANALYST,
    Role.ADMINISTRATOR,
)

PAGES = {
    "home": (lambda w: "/", set(ROLES)),
    "referral_new": (lambda w: "/referrals/new/", {R}),
    "referral_list": (lambda w: "/referrals/", {R}),
    "referral_detail": (lambda w: f"/referrals/{w.received.pk}/", {R}),
    "referral_sent": (lambda w: f"/referrals/{w.received.pk}/sent/", {R}),
    "triage_queue": (lambda w: "/referrals/triage/", {PM, PROG}),
    "triage_referral": (lambda w: f"/referrals/triage/{w.received.pk}/", {PM, PROG}),
    "caseload": (lambda w: "/cases/", {PA, PM}),
    "caseload_all": (lambda w: "/cases/?show=all", {PA, PM}),
    "case_detail": (lambda w: f"/cases/{w.case_a.pk}/", {PA, PM}),
    "enrol": (lambda w: f"/cases/enrol/{w.assigned.pk}/", {PA, PM}),
    "contact_new": (lambda w: f"/cases/{w.case_a.pk}/contacts/new/", {PA, PM}),
    "job_start_new": (lambda w: f"/cases/{w.case_a.pk}/job-starts/new/", {PA, PM}),
    "sustainment_new": (lambda w: f"/cases/{w.case_a.pk}/job-starts/{w.job_a.pk}/sustainment/", {PA, PM}),
    "dashboard": (lambda w: "/dashboard/", {PROG, AN}),
    "audit": (lambda w: "/audit/", {ADM}),
}


@pytest.mark.parametrize("page", PAGES)
@pytest.mark.parametrize("role", ROLES)
def test_page_matrix(client, world, role, page):
    url, allowed = PAGES[page]
    client.force_login(member(world, role).user)
    response = client.get(url(world))
    expected = 200 if role in allowed else 403
    assert response.status_code == expected, f"{role} opening {page}"
    if expected == 403:
        assert b"You cannot see this page" in response.content
        # A refused page shows none of the people in the partnership.
        for name in (b"Rhiannon Received", b"Casey Aardvark", b"Bethan Bexley", b"Ade Assigned"):
            assert name not in response.content


@pytest.mark.parametrize("page", [p for p in PAGES if p != "home"])
def test_anonymous_users_are_sent_to_sign_in(client, world, page):
    url = PAGES[page][0](world)
    response = client.get(url)
    assert response.status_code == 302
    assert response["Location"].startswith("/sign-in/?next=")


def test_anonymous_home_page_offers_sign_in(client, db):
    response = client.get("/")
    assert response.status_code == 200
    assert b'href="/sign-in/"' in response.content


def test_signing_in_with_the_test_password_works(client, world):
    assert client.login(username="adviser_a", password="correct-horse-battery")
    assert client.get(f"/cases/{world.case_a.pk}/").status_code == 200
    assert not client.login(username="adviser_a", password="wrong-password-here")


@pytest.mark.parametrize("role", ROLES)
def test_navigation_links_only_to_pages_the_role_may_open(client, world, role):
    client.force_login(member(world, role).user)
    content = client.get("/").content.decode()
    links = {
        "/referrals/new/": "referral_new",
        "/referrals/": "referral_list",
        "/referrals/triage/": "triage_queue",
        "/cases/": "caseload",
        "/dashboard/": "dashboard",
        "/audit/": "audit",
    }
    for href, page in links.items():
        assert (f'href="{href}"' in content) == (role in PAGES[page][1]), f"{role} link to {href}"


def test_every_role_has_declared_permissions():
    assert set(ROLE_PERMISSIONS) == set(ROLES)
    assert has_perm(None, Perm.REFERRAL_CREATE) is False


def test_archived_membership_has_no_permissions(client, world):
    adviser = world.p.adviser_a
    adviser.archived_at = timezone.now()
    adviser.save()
    assert not has_perm(adviser, Perm.CASE_VIEW_ORG)
    client.force_login(adviser.user)
    assert client.get("/cases/").status_code == 403
    assert client.get(f"/cases/{world.case_a.pk}/").status_code == 403


# Records outside the actor's scope are 404, leak nothing, and are not audited as viewed. --------


@pytest.mark.parametrize(
    "url",
    [
        "/cases/{case_b}/",
        "/cases/{case_b}/contacts/new/",
        "/cases/{case_b}/job-starts/new/",
        "/cases/{case_b}/job-starts/{job_b}/sustainment/",
        "/cases/{case_a}/job-starts/{job_b}/sustainment/",  # another case's job start on my case
        "/cases/enrol/{assigned_b}/",
    ],
)
@pytest.mark.parametrize("who", ["adviser_a", "manager_a"])
def test_partner_a_cannot_open_partner_b_records_by_url(client, world, who, url):
    actor = getattr(world.p, who)
    client.force_login(actor.user)
    target = url.format(
        case_a=world.case_a.pk, case_b=world.case_b.pk, job_b=world.job_b.pk, assigned_b=world.assigned_b.pk
    )
    response = client.get(target)
    assert response.status_code == 404
    for leaked in (b"Bethan Bexley", b"Bryn Bexleyheath", world.case_b.referral.reference.encode()):
        assert leaked not in response.content
    assert not AuditEvent.objects.filter(actor=actor.user, verb=AuditVerb.VIEWED).exists()


def test_adviser_b_cannot_open_partner_a_case(client, world):
    client.force_login(world.p.adviser_b.user)
    response = client.get(f"/cases/{world.case_a.pk}/")
    assert response.status_code == 404
    assert b"Casey Aardvark" not in response.content
    assert not AuditEvent.objects.filter(actor=world.p.adviser_b.user, verb=AuditVerb.VIEWED).exists()


def test_own_case_view_is_audited_but_other_partners_is_not(client, world):
    client.force_login(world.p.adviser_a.user)
    assert client.get(f"/cases/{world.case_a.pk}/").status_code == 200
    assert client.get(f"/cases/{world.case_b.pk}/").status_code == 404
    viewed = AuditEvent.objects.filter(actor=world.p.adviser_a.user, verb=AuditVerb.VIEWED)
    assert [e.target_id for e in viewed] == [str(world.case_a.pk)]


def test_caseload_lists_only_own_organisations_cases(client, world):
    client.force_login(world.p.manager_a.user)
    content = client.get("/cases/?show=all").content
    assert b"Casey Aardvark" in content and b"Ade Assigned" in content
    assert b"Bethan Bexley" not in content and b"Bryn Bexleyheath" not in content


@pytest.mark.parametrize("suffix", ["", "sent/"])
def test_jobcentre_referrer_cannot_open_the_gps_referral(client, world, suffix):
    client.force_login(world.p.other_referrer.user)
    response = client.get(f"/referrals/{world.received.pk}/{suffix}")
    assert response.status_code == 404
    assert b"Rhiannon Received" not in response.content
    assert world.received.reference.encode() not in response.content
    assert not AuditEvent.objects.filter(actor=world.p.other_referrer.user, verb=AuditVerb.VIEWED).exists()


def test_jobcentre_referrer_list_shows_only_its_own_referrals(client, world):
    mine = world.p.refer(by=world.p.other_referrer, given_name="Jobcentre", family_name="Person")
    client.force_login(world.p.other_referrer.user)
    content = client.get("/referrals/").content
    assert mine.reference.encode() in content
    assert world.received.reference.encode() not in content
    assert b"Rhiannon Received" not in content


def test_triage_page_for_a_referral_no_longer_waiting_is_404(client, world):
    client.force_login(world.p.programme.user)
    assert client.get(f"/referrals/triage/{world.assigned.pk}/").status_code == 404


def test_enrol_page_for_an_enrolled_referral_is_404(client, world):
    client.force_login(world.p.adviser_a.user)
    assert client.get(f"/cases/enrol/{world.case_a.referral.pk}/").status_code == 404


def test_not_a_uuid_is_404(client, world):
    client.force_login(world.p.adviser_a.user)
    assert client.get("/cases/not-a-uuid/").status_code == 404


# A partner manager routes referrals only to their own organisation. ----------------------------


def test_partner_manager_cannot_assign_to_another_partner_through_the_service(world):
    p = world.p
    before_changes = ReferralStatusChange.objects.count()
    before_events = AuditEvent.objects.count()
    with pytest.raises(NotPermitted):
        referral_assign(
            referral=world.received, actor=p.manager_a, delivery_partner=p.partner_b, adviser=p.adviser_b.user
        )
    world.received.refresh_from_db()
    assert world.received.status == statuses.RECEIVED
    assert world.received.delivery_partner is None and world.received.adviser is None
    assert ReferralStatusChange.objects.count() == before_changes
    assert AuditEvent.objects.count() == before_events


def test_partner_manager_cannot_assign_to_another_partner_through_the_page(client, world):
    p = world.p
    client.force_login(p.manager_a.user)
    page = client.get(f"/referrals/triage/{world.received.pk}/")
    assert [v for v in select_options(page, "delivery_partner") if v] == [str(p.partner_a.pk)]
    offered = set(select_options(page, "adviser"))
    assert str(p.adviser_b.user.pk) not in offered and str(p.adviser_a.user.pk) in offered
    before_events = AuditEvent.objects.exclude(verb=AuditVerb.VIEWED).count()
    before_reads = AuditEvent.objects.filter(verb=AuditVerb.VIEWED).count()
    response = client.post(
        f"/referrals/triage/{world.received.pk}/",
        {"action": "assign", "delivery_partner": str(p.partner_b.pk), "adviser": str(p.adviser_b.user.pk)},
    )
    assert response.status_code == 400
    assert b"There is a problem" in response.content
    assert b"Select a delivery partner" in response.content
    world.received.refresh_from_db()
    assert world.received.status == statuses.RECEIVED
    assert world.received.delivery_partner is None
    # Nothing changed, so no change is audited; the page shown again is one audited read.
    assert AuditEvent.objects.exclude(verb=AuditVerb.VIEWED).count() == before_events
    assert AuditEvent.objects.filter(verb=AuditVerb.VIEWED).count() == before_reads + 1


def test_partner_manager_assigns_to_own_partner(client, world):
    p = world.p
    client.force_login(p.manager_a.user)
    response = client.post(
        f"/referrals/triage/{world.received.pk}/",
        {"action": "assign", "delivery_partner": str(p.partner_a.pk), "adviser": str(p.adviser_a.user.pk)},
    )
    assert response.status_code == 302
    world.received.refresh_from_db()
    assert world.received.status == statuses.ASSIGNED
    assert world.received.delivery_partner == p.partner_a


def test_programme_manager_cannot_assign_an_adviser_of_another_partner(client, world):
    p = world.p
    client.force_login(p.programme.user)
    response = client.post(
        f"/referrals/triage/{world.received.pk}/",
        {"action": "assign", "delivery_partner": str(p.partner_a.pk), "adviser": str(p.adviser_b.user.pk)},
    )
    assert response.status_code == 400
    assert b"Choose a Personal Adviser who works for that delivery partner." in response.content
    world.received.refresh_from_db()
    assert world.received.status == statuses.RECEIVED


# Writes: every role posts valid data to every write; only the right roles change anything. ------


def _day(prefix: str, when) -> dict[str, str]:
    return {f"{prefix}_0": str(when.day), f"{prefix}_1": str(when.month), f"{prefix}_2": str(when.year)}


def _writes(w: World) -> dict:
    today = timezone.localdate()
    return {
        "referral_new": (
            "/referrals/new/",
            {
                "given_name": "Nia",
                "family_name": "New",
                **_day("date_of_birth", today.replace(year=today.year - 40)),
                "postcode": "NG18 1AB",
                "employment_status": "unemployed",
                "benefits": ["uc"],
                "health_condition": "mental_health",
                "help_wanted": "Work",
                "consent_referral": "on",
            },
            {R},
            lambda: Referral.objects.filter(person__given_name="Nia").exists(),
        ),
        "triage_assign": (
            f"/referrals/triage/{w.received.pk}/",
            {"action": "assign", "delivery_partner": str(w.p.partner_a.pk), "adviser": str(w.p.adviser_a.user.pk)},
            {PM, PROG},
            lambda: Referral.objects.get(pk=w.received.pk).status == statuses.ASSIGNED,
        ),
        "triage_decline": (
            f"/referrals/triage/{w.received.pk}/",
            {"action": "decline", "reason": "Already has support"},
            {PM, PROG},
            lambda: Referral.objects.get(pk=w.received.pk).status == statuses.DECLINED,
        ),
        "enrol": (
            f"/cases/enrol/{w.assigned.pk}/",
            {
                **_day("enrolled_on", today),
                "eligibility_confirmed": "on",
                "eligibility_evidence": "Award letter",
                "consent_to_support": "on",
            },
            {PA, PM},
            lambda: Case.objects.filter(referral=w.assigned).exists(),
        ),
        "contact_new": (
            f"/cases/{w.case_a.pk}/contacts/new/",
            {**_day("happened_on", today), "channel": "phone", "kind": "support", "duration_minutes": "30"},
            {PA, PM},
            lambda: Contact.objects.filter(case=w.case_a).exists(),
        ),
        "job_start_new": (
            f"/cases/{w.case_a.pk}/job-starts/new/",
            {
                "employer_name": "Greggs",
                "job_title": "Baker",
                "hours_per_week": "20",
                "hourly_pay": "12.60",
                **_day("start_date", today),
            },
            {PA, PM},
            lambda: JobStart.objects.filter(case=w.case_a, employer_name="Greggs").exists(),
        ),
        "sustainment_new": (
            f"/cases/{w.case_a.pk}/job-starts/{w.job_a.pk}/sustainment/",
            {"weeks": "13", **_day("achieved_on", today), "evidence": "Payslip seen"},
            {PA, PM},
            lambda: Sustainment.objects.filter(job_start=w.job_a).exists(),
        ),
    }


WRITES = ["referral_new", "triage_assign", "triage_decline", "enrol", "contact_new", "job_start_new", "sustainment_new"]


@pytest.mark.parametrize("write", WRITES)
@pytest.mark.parametrize("role", ROLES)
def test_write_matrix(client, world, role, write):
    url, data, allowed, happened = _writes(world)[write]
    client.force_login(member(world, role).user)
    events = AuditEvent.objects.count()
    response = client.post(url, data)
    if role in allowed:
        assert response.status_code == 302, response.content.decode()[:2000]
        assert happened()
        assert AuditEvent.objects.count() == events + 1
    else:
        assert response.status_code == 403, f"{role} posting {write}"
        assert not happened()
        assert AuditEvent.objects.count() == events


@pytest.mark.parametrize("write", ["enrol", "contact_new", "job_start_new", "sustainment_new"])
def test_adviser_of_another_partner_cannot_write_to_the_case(client, world, write):
    url, data, _allowed, happened = _writes(world)[write]
    client.force_login(world.p.adviser_b.user)
    events = AuditEvent.objects.count()
    assert client.post(url, data).status_code == 404
    assert not happened()
    assert AuditEvent.objects.count() == events


def test_referrer_posting_a_contact_is_refused(client, world):
    client.force_login(world.p.referrer.user)
    today = timezone.localdate()
    response = client.post(
        f"/cases/{world.case_a.pk}/contacts/new/",
        {**_day("happened_on", today), "channel": "phone", "kind": "support", "duration_minutes": "30"},
    )
    assert response.status_code == 403
    assert Contact.objects.count() == 0


def test_anonymous_posts_change_nothing(client, world):
    people = Person.objects.count()
    for url, data, _allowed, _happened in _writes(world).values():
        response = client.post(url, data)
        assert response.status_code == 302
        assert response["Location"].startswith("/sign-in/")
    assert Person.objects.count() == people
    assert Contact.objects.count() == 0


# The API: only referrers create; only the referring organisation reads the status. -------------

API_BODY = {
    "given_name": "Ffion",
    "family_name": "Api",
    "date_of_birth": "1979-11-05",
    "postcode": "NG19 7AA",
    "employment_status": "inactive",
    "benefits": ["esa"],
    "health_condition": "long_term_physical",
    "help_wanted": "Part-time work",
    "consent_referral": True,
    "consent_share_progress": False,
}


@pytest.mark.parametrize("role", ROLES)
def test_api_create_matrix(client, world, role):
    _token, key = api_token_issue(membership=member(world, role))
    referrals = Referral.objects.count()
    response = client.post(
        "/api/v1/referrals/",
        data=json.dumps(API_BODY),
        content_type="application/json",
        HTTP_AUTHORIZATION=f"Bearer {key}",
    )
    if role == Role.REFERRER:
        assert response.status_code == 201
        assert Referral.objects.count() == referrals + 1
    else:
        assert response.status_code == 403
        assert response.json()["errors"][0]["message"] == "You do not have permission to make referrals."
        assert Referral.objects.count() == referrals


@pytest.mark.parametrize("role", ROLES)
def test_api_status_matrix(client, world, role):
    _token, key = api_token_issue(membership=member(world, role))
    response = client.get(f"/api/v1/referrals/{world.received.reference}/", HTTP_AUTHORIZATION=f"Bearer {key}")
    if role == Role.REFERRER:
        assert response.status_code == 200
        assert response.json()["reference"] == world.received.reference
    else:
        assert response.status_code == 403
        assert "Rhiannon" not in response.content.decode()


def test_api_status_of_another_referrers_referral_is_404(client, world):
    _token, key = api_token_issue(membership=world.p.other_referrer)
    response = client.get(f"/api/v1/referrals/{world.received.reference}/", HTTP_AUTHORIZATION=f"Bearer {key}")
    assert response.status_code == 404
    assert response.json() == {"errors": [{"message": "Not found."}]}
    assert not AuditEvent.objects.filter(actor=world.p.other_referrer.user, verb=AuditVerb.VIEWED).exists()
