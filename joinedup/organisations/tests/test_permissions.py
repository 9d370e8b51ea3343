"""Who may see what: every role against every page, and records outside the actor's scope.

Each test user has one membership, so the acting membership is that one. Records outside the
actor's scope are absent (404), pages the role has no permission for are refused (403). What each
role may change is in test_write_permissions.py.
"""

from __future__ import annotations

import pytest
from django.http import HttpRequest
from django.utils import timezone

from joinedup.audit.models import AuditEvent, AuditVerb
from joinedup.organisations.permissions import ROLE_PERMISSIONS, Perm, has_perm
from joinedup.testkit import totp_code, verified_device

from .world import ADM, AN, PA, PM, PROG, ROLES, R, member

# Pages: name -> (url builder, roles that may open it). Everyone else gets 403. ------------------

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
    # The sign-in page, then the second step with a code from the adviser's app (issue 17).
    device = verified_device(world.p.adviser_a.user)
    signed_in = client.post("/sign-in/", {"username": "adviser_a", "password": "correct-horse-battery"})
    assert signed_in.status_code == 302
    assert client.get(f"/cases/{world.case_a.pk}/").status_code == 302  # not before the second step
    client.post("/account/two-factor/", {"code": totp_code(device)})
    assert client.get(f"/cases/{world.case_a.pk}/").status_code == 200
    assert not client.login(request=HttpRequest(), username="adviser_a", password="wrong-password-here")


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


def test_triage_page_for_a_referral_no_longer_waiting_is_read_only(client, world):
    """Issue 18: a referral that has left the queue is still found (read-only), never a 404; a route
    posted to it changes nothing (409; referrals/tests/test_search.py has the rest)."""
    client.force_login(world.p.programme.user)
    response = client.get(f"/referrals/triage/{world.assigned.pk}/")
    assert response.status_code == 200
    assert b'name="delivery_partner"' not in response.content


def test_enrol_page_for_an_enrolled_referral_is_404(client, world):
    client.force_login(world.p.adviser_a.user)
    assert client.get(f"/cases/enrol/{world.case_a.referral.pk}/").status_code == 404


def test_not_a_uuid_is_404(client, world):
    client.force_login(world.p.adviser_a.user)
    assert client.get("/cases/not-a-uuid/").status_code == 404
