"""The permission matrix for the routing and route pages: every role, and nobody signed in."""

from __future__ import annotations

import pytest

from joinedup.organisations.models import Role
from joinedup.referrals.services import referral_route

R, PA, PM, PROG, AN, ADM = (
    Role.REFERRER,
    Role.PERSONAL_ADVISER,
    Role.PARTNER_MANAGER,
    Role.PROGRAMME_MANAGER,
    Role.ANALYST,
    Role.ADMINISTRATOR,
)
ROLES = [R, PA, PM, PROG, AN, ADM]


@pytest.fixture
def routed(partnership):
    referral = partnership.refer(given_name="Rowan", family_name="Routed")
    referral_route(referral=referral, actor=partnership.programme, delivery_partner=partnership.partner_a)
    return referral


PAGES = {
    "gp route form": (lambda r: "/referrals/new/gp/", {R}),
    "offered list": (lambda r: "/referrals/offered/", {PM}),
    "offered referral": (lambda r: f"/referrals/offered/{r.pk}/", {PM}),
}


@pytest.mark.parametrize("page", PAGES)
@pytest.mark.parametrize("role", ROLES)
def test_page_matrix(client, partnership, routed, role, page):
    url, allowed = PAGES[page]
    client.force_login(partnership.by_role()[role].user)
    response = client.get(url(routed))
    assert response.status_code == (200 if role in allowed else 403), f"{role} opening {page}"
    if role not in allowed:
        assert b"Rowan Routed" not in response.content


@pytest.mark.parametrize("page", PAGES)
def test_anonymous_users_are_sent_to_sign_in(client, routed, page):
    response = client.get(PAGES[page][0](routed))
    assert response.status_code == 302 and response["Location"].startswith("/sign-in/?next=")


@pytest.mark.parametrize("role", [*ROLES, None])
def test_self_referral_is_open_to_anyone(client, partnership, role):
    if role:
        client.force_login(partnership.by_role()[role].user)
    assert client.get("/refer-yourself/").status_code == 200


@pytest.mark.parametrize("role", ROLES)
def test_navigation_offers_referrals_sent_to_you_only_to_partner_managers(client, partnership, role):
    client.force_login(partnership.by_role()[role].user)
    assert ('href="/referrals/offered/"' in client.get("/").content.decode()) == (role == PM)


def test_routed_referral_reads_are_audited(client, partnership, routed):
    from joinedup.audit.models import AuditEvent, AuditVerb

    client.force_login(partnership.manager_a.user)
    before = AuditEvent.objects.filter(verb=AuditVerb.VIEWED).count()
    client.get(f"/referrals/offered/{routed.pk}/")
    assert AuditEvent.objects.filter(verb=AuditVerb.VIEWED).count() == before + 1


@pytest.mark.parametrize(
    ("who", "path"), [("programme", "/referrals/triage/{pk}/"), ("manager_a", "/referrals/offered/{pk}/")]
)
def test_a_refused_triage_or_partner_decision_is_an_audited_read(client, partnership, routed, who, path):
    """A decline with no reason is refused and the page shown again with the person's referral: no
    service recorded anything, so the page records the read."""
    from joinedup.audit.models import AuditEvent, AuditVerb

    referral = routed if who == "manager_a" else partnership.refer()
    client.force_login(getattr(partnership, who).user)
    viewed = AuditEvent.objects.filter(verb=AuditVerb.VIEWED, person_id=referral.person_id)
    before = viewed.count()
    response = client.post(path.format(pk=referral.pk), {"action": "decline", "reason": ""})
    assert response.status_code == 400 and referral.reference in response.content.decode()
    assert viewed.count() == before + 1
