"""Who may do what: every role against every write and API call, and routing across partners.

Each test user has one membership, so the acting membership is that one (the partnership is
`world`, conftest.py). Writes outside the actor's scope are absent (404), writes the role has no
permission for are refused (403) and change nothing. What each role may see is in test_permissions.py.
"""

from __future__ import annotations

import json

import pytest
from django.utils import timezone

from joinedup.api.services import api_token_issue
from joinedup.audit.models import AuditEvent, AuditVerb
from joinedup.cases.models import Case, Contact, JobStart, Sustainment
from joinedup.core.errors import NotPermitted
from joinedup.organisations.models import Role
from joinedup.people.models import Person
from joinedup.referrals import statuses
from joinedup.referrals.models import Referral, ReferralStatusChange
from joinedup.referrals.services import referral_assign
from joinedup.testkit import select_options

from .world import PA, PM, PROG, ROLES, R, World, member

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
    """Each write: (url, valid data, the roles that may make it, whether it has happened)."""
    today = timezone.localdate()
    return {**_referral_writes(w, today), **_case_writes(w, today)}


def _referral_writes(w: World, today) -> dict:
    """Making a referral and triaging one."""
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
    }


def _case_writes(w: World, today) -> dict:
    """Enrolling partner A's assigned referral, and recording work on partner A's case."""
    return {
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
