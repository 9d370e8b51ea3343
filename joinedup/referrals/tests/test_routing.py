"""Routing: the officer sends a referral to a partner, who accepts or declines; a declined one is re-routed."""

from __future__ import annotations

import pytest

from joinedup.audit.models import AuditEvent, AuditVerb
from joinedup.core.errors import DomainError, NotPermitted
from joinedup.directory.models import Lifecycle, Service
from joinedup.organisations.models import Role
from joinedup.people.models import Person
from joinedup.referrals import statuses
from joinedup.referrals.models import Referral
from joinedup.referrals.selectors import referral_closed_loop, triage_queue
from joinedup.referrals.services import referral_assign, referral_decline, referral_route
from joinedup.testkit import MembershipFactory


def fresh(referral: Referral) -> Referral:
    return Referral.objects.get(pk=referral.pk)


def talking_therapies() -> Service:
    return Service.objects.get(name="NHS Talking Therapies employment advisers")


def test_route_accept_and_the_referrer_sees_each_step(partnership):
    p = partnership
    referral = p.refer()
    referral_route(referral=referral, actor=p.programme, delivery_partner=p.partner_a, service=talking_therapies())
    routed = fresh(referral)
    assert (routed.status, routed.delivery_partner, routed.service) == (
        statuses.ROUTED,
        p.partner_a,
        talking_therapies(),
    )
    assert routed not in triage_queue(actor=p.programme)
    assert AuditEvent.objects.filter(verb=AuditVerb.REFERRED_ON, target_id=str(referral.pk)).count() == 1
    assert [s.code for s in referral_closed_loop(referral=routed).steps if s.done] == ["received", "routed"]
    referral_assign(referral=routed, actor=p.manager_a, delivery_partner=p.partner_a, adviser=p.adviser_a.user)
    accepted = fresh(referral)
    assert (accepted.status, accepted.adviser) == (statuses.ASSIGNED, p.adviser_a.user)
    assert accepted.service == talking_therapies()
    loop = referral_closed_loop(referral=accepted)
    assert loop.current.code == "accepted" and loop.current.detail == "Partner A"
    change = accepted.status_changes.last()
    assert change.reason == "Accepted by the delivery partner" and change.by_organisation == p.partner_a


def test_partner_declines_with_a_declared_reason_and_it_is_re_routed_without_re_keying(partnership):
    p = partnership
    manager_b = MembershipFactory(organisation=p.partner_b, role=Role.PARTNER_MANAGER)
    referral = p.refer()
    people = Person.objects.count()
    referral_route(referral=referral, actor=p.programme, delivery_partner=p.partner_a)
    referral_decline(referral=referral, actor=p.manager_a, reason_code="no_capacity", reason="Full until March")
    returned = fresh(referral)
    assert returned.status == statuses.RETURNED and returned.delivery_partner is None
    assert returned in triage_queue(actor=p.programme)
    loop = referral_closed_loop(referral=returned)
    step = next(s for s in loop.steps if s.code == "returned")
    assert step.label == "Declined by the partner: being sent to another service"
    assert step.detail == "Declined by Partner A. The service has no places at the moment. Full until March"
    referral_route(referral=returned, actor=p.programme, delivery_partner=p.partner_b)
    referral_assign(referral=returned, actor=manager_b, delivery_partner=p.partner_b, adviser=p.adviser_b.user)
    done = fresh(referral)
    assert (done.pk, done.status, done.delivery_partner) == (referral.pk, statuses.ASSIGNED, p.partner_b)
    assert Person.objects.count() == people
    assert [c.to_status for c in done.status_changes.all()] == [
        statuses.RECEIVED,
        statuses.ROUTED,
        statuses.RETURNED,
        statuses.ROUTED,
        statuses.ASSIGNED,
    ]
    assert AuditEvent.objects.get(verb=AuditVerb.STATUS_CHANGED, target_id=str(referral.pk)).payload["reason_code"] == (
        "no_capacity"
    )


def test_another_partner_cannot_accept_or_decline_what_was_sent_elsewhere(partnership):
    p = partnership
    manager_b = MembershipFactory(organisation=p.partner_b, role=Role.PARTNER_MANAGER)
    referral = p.refer()
    referral_route(referral=referral, actor=p.programme, delivery_partner=p.partner_a)
    with pytest.raises(NotPermitted):
        referral_assign(referral=referral, actor=manager_b, delivery_partner=p.partner_b, adviser=p.adviser_b.user)
    with pytest.raises(NotPermitted):
        referral_decline(referral=referral, actor=manager_b, reason_code="no_capacity")
    assert fresh(referral).status == statuses.ROUTED


@pytest.mark.parametrize(
    "role", [Role.REFERRER, Role.PERSONAL_ADVISER, Role.PARTNER_MANAGER, Role.ANALYST, Role.ADMINISTRATOR]
)
def test_only_the_programme_manager_routes(partnership, role):
    referral = partnership.refer()
    with pytest.raises(NotPermitted):
        referral_route(referral=referral, actor=partnership.by_role()[role], delivery_partner=partnership.partner_a)
    assert fresh(referral).status == statuses.RECEIVED


def test_routing_rules(partnership):
    p = partnership
    referral = p.refer()
    with pytest.raises(DomainError, match="Choose a delivery partner"):
        referral_route(referral=referral, actor=p.programme, delivery_partner=p.gp)
    draft = talking_therapies()
    Service.objects.filter(pk=draft.pk).update(lifecycle=Lifecycle.WITHDRAWN)
    with pytest.raises(DomainError, match="published"):
        referral_route(referral=referral, actor=p.programme, delivery_partner=p.partner_a, service=fresh_service(draft))
    p.assign(referral)
    with pytest.raises(DomainError, match="cannot become"):
        referral_route(referral=fresh(referral), actor=p.programme, delivery_partner=p.partner_b)


def fresh_service(service: Service) -> Service:
    return Service.objects.get(pk=service.pk)


@pytest.mark.parametrize(
    ("code", "note", "message"),
    [
        ("", "", "Select why the referral is declined."),
        ("made_up", "", "Select why the referral is declined."),
        ("other", "", "Enter why the referral is declined."),
        ("other", "x" * 1001, "1,000 characters or fewer"),
    ],
)
def test_decline_needs_a_declared_reason(partnership, code, note, message):
    referral = partnership.refer()
    before = AuditEvent.objects.count()
    with pytest.raises(DomainError, match=message):
        referral_decline(referral=referral, actor=partnership.programme, reason_code=code, reason=note)
    assert fresh(referral).status == statuses.RECEIVED and AuditEvent.objects.count() == before


def test_programme_manager_decline_is_final_with_the_reason_label(partnership):
    referral = partnership.refer()
    referral_decline(referral=referral, actor=partnership.programme, reason_code="outside_area")
    loop = referral_closed_loop(referral=fresh(referral))
    assert loop.declined_reason == "Lives outside the area the service covers"


# Pages ------------------------------------------------------------------------------------------


def test_triage_page_shows_matching_and_routes(client, partnership):
    p = partnership
    referral = p.refer()
    client.force_login(p.programme.user)
    page = client.get(f"/referrals/triage/{referral.pk}/")
    html = page.content.decode()
    assert page.status_code == 200
    assert "Services this person could use" in html and 'data-testid="eligible"' in html
    assert "Ask the provider whether this person is eligible." in html
    assert "Ruled out" in html
    service = talking_therapies()
    response = client.post(
        f"/referrals/triage/{referral.pk}/",
        {"action": "route", "delivery_partner": str(p.partner_a.pk), "service": str(service.pk)},
    )
    assert response.status_code == 302
    assert fresh(referral).status == statuses.ROUTED and fresh(referral).service == service


def test_route_form_refuses_a_ruled_out_service(client, partnership):
    p = partnership
    referral = p.refer()  # Mansfield: the Derby IPS service is ruled out
    derby = Service.objects.get(name="Individual Placement and Support (IPS) – Derby")
    client.force_login(p.programme.user)
    response = client.post(
        f"/referrals/triage/{referral.pk}/",
        {"action": "route", "delivery_partner": str(p.partner_a.pk), "service": str(derby.pk)},
    )
    assert response.status_code == 400
    assert fresh(referral).status == statuses.RECEIVED


def test_partner_manager_has_no_route_form(client, partnership):
    referral = partnership.refer()
    client.force_login(partnership.manager_a.user)
    page = client.get(f"/referrals/triage/{referral.pk}/")
    assert page.status_code == 200 and 'id="route"' not in page.content.decode()
    assert "Assign to a delivery partner" in page.content.decode()
    response = client.post(
        f"/referrals/triage/{referral.pk}/", {"action": "route", "delivery_partner": str(partnership.partner_a.pk)}
    )
    assert response.status_code == 400
    assert fresh(referral).status == statuses.RECEIVED


def test_partner_pages_accept_and_decline(client, partnership):
    p = partnership
    first, second = p.refer(), p.refer(given_name="Zoë")
    for r in (first, second):
        referral_route(referral=r, actor=p.programme, delivery_partner=p.partner_a)
    client.force_login(p.manager_a.user)
    listing = client.get("/referrals/offered/").content.decode()
    assert first.reference in listing and second.reference in listing
    missing = client.post(f"/referrals/offered/{first.pk}/", {"action": "decline"})
    assert missing.status_code == 400 and "Select why the referral is declined" in missing.content.decode()
    ok = client.post(f"/referrals/offered/{first.pk}/", {"action": "accept", "adviser": str(p.adviser_a.user.pk)})
    assert ok.status_code == 302 and fresh(first).status == statuses.ASSIGNED
    no = client.post(f"/referrals/offered/{second.pk}/", {"action": "decline", "reason_code": "person_declined"})
    assert no.status_code == 302 and fresh(second).status == statuses.RETURNED
    # Both have left the partner's list; neither page can be reached now.
    assert client.get(f"/referrals/offered/{first.pk}/").status_code == 404


def test_another_partner_cannot_open_the_offered_referral(client, partnership):
    p = partnership
    manager_b = MembershipFactory(organisation=p.partner_b, role=Role.PARTNER_MANAGER)
    referral = p.refer()
    referral_route(referral=referral, actor=p.programme, delivery_partner=p.partner_a)
    client.force_login(manager_b.user)
    assert client.get(f"/referrals/offered/{referral.pk}/").status_code == 404
    client.force_login(p.referrer.user)
    assert client.get(f"/referrals/offered/{referral.pk}/").status_code == 403


def test_the_partner_sees_why_the_person_fits_the_service_it_was_sent_for(client, partnership):
    p = partnership
    referral = p.refer()
    referral_route(referral=referral, actor=p.programme, delivery_partner=p.partner_a, service=talking_therapies())
    client.force_login(p.manager_a.user)
    page = client.get(f"/referrals/offered/{referral.pk}/").content.decode()
    assert "Sent to you for NHS Talking Therapies employment advisers" in page
    assert 'data-testid="match-outcome">Eligible on what the referral tells us' in page
