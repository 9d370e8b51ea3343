"""Triage's referral search (name, reference, NHS number, status, partner, date), which finds routed
and closed referrals; a routed referral's triage page shown read-only; the permission matrix."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from django.utils import timezone

from joinedup.audit.models import AuditEvent
from joinedup.audit.verbs import AuditVerb
from joinedup.organisations.models import Role
from joinedup.referrals import statuses
from joinedup.referrals.models import Referral
from joinedup.referrals.selectors import ReferralSearch, referral_search_page
from joinedup.referrals.services import referral_decline, referral_route
from joinedup.testkit import page_text


def words(response) -> str:
    """The page's text without its tags, spaces run together."""
    return " ".join(re.sub(r"<[^>]+>", " ", page_text(response)).split()).replace(" ,", ",")


ROLES = [Role.REFERRER, Role.PERSONAL_ADVISER, Role.PARTNER_MANAGER, Role.PROGRAMME_MANAGER, Role.ANALYST]
ROLES += [Role.ADMINISTRATOR, Role.EMPLOYER]
TRIAGE = {Role.PARTNER_MANAGER, Role.PROGRAMME_MANAGER}


@pytest.fixture
def referrals(partnership):
    p = partnership
    waiting = p.refer(given_name="Wren", family_name="Waiting", nhs_number="4010232137")
    routed = p.refer(given_name="Rowan", family_name="Routed", nhs_number="9434765919")
    referral_route(referral=routed, actor=p.programme, delivery_partner=p.partner_b)
    closed = p.refer(given_name="Clem", family_name="Closed", nhs_number="")
    referral_decline(referral=closed, actor=p.programme, reason="Lives outside the area")
    enrolled = p.refer(given_name="Eden", family_name="Enrolled-Rowan", nhs_number="")
    p.enrol(p.assign(enrolled))
    Referral.objects.filter(pk=closed.pk).update(created_at=timezone.now() - timedelta(days=40))
    return {"waiting": waiting, "routed": routed, "closed": closed, "enrolled": enrolled}


def found(actor, **search) -> set[str]:
    page = referral_search_page(actor=actor, search=ReferralSearch(**search), page=1)
    return {r.person.given_name for r in page.rows}


def test_the_programme_manager_finds_every_referral_routed_and_closed(partnership, referrals):
    assert found(partnership.programme) == {"Wren", "Rowan", "Clem", "Eden"}


@pytest.mark.parametrize(
    ("search", "expected"),
    [
        ({"text": "rowan"}, {"Rowan", "Eden"}),  # a part of the first or the last name
        ({"text": "Rowan Routed"}, {"Rowan"}),  # every word must match
        ({"text": "943 476 5919"}, {"Rowan"}),  # an NHS number, spaced as it is written
        ({"text": "9434765919"}, {"Rowan"}),
        ({"status": statuses.DECLINED}, {"Clem"}),
        ({"status": statuses.ENROLLED}, {"Eden"}),
        ({"status": "nonsense"}, {"Wren", "Rowan", "Clem", "Eden"}),  # an unknown status is no filter
        ({"received_to": timezone.localdate() - timedelta(days=30)}, {"Clem"}),
        ({"received_from": timezone.localdate() - timedelta(days=1)}, {"Wren", "Rowan", "Eden"}),
        ({"partner": "not-a-uuid"}, set()),
    ],
)
def test_each_part_of_the_search(partnership, referrals, search, expected):
    assert found(partnership.programme, **search) == expected


def test_search_by_reference_with_or_without_its_prefix(partnership, referrals):
    reference = referrals["closed"].reference
    assert found(partnership.programme, text=reference) == {"Clem"}
    assert found(partnership.programme, text=reference.removeprefix("JU-").lower()) == {"Clem"}


def test_search_by_partner(partnership, referrals):
    p = partnership
    assert found(p.programme, partner=str(p.partner_b.pk)) == {"Rowan"}
    assert found(p.programme, partner=str(p.partner_a.pk)) == {"Eden"}


def test_a_partner_manager_finds_what_waits_in_triage_and_what_was_sent_to_them(partnership, referrals):
    # Partner A's manager: the waiting one (as the triage queue shows it) and Partner A's own; not
    # the one sent to Partner B, nor the one the programme manager declined.
    assert found(partnership.manager_a) == {"Wren", "Eden"}


ROUTES = {
    "search": lambda r: "/referrals/search/?q=Rowan",
    "routed referral's triage page": lambda r: f"/referrals/triage/{r['routed'].pk}/",
    "closed referral's triage page": lambda r: f"/referrals/triage/{r['closed'].pk}/",
}


@pytest.mark.parametrize("route", ROUTES)
@pytest.mark.parametrize("role", ROLES)
def test_permission_matrix(client, partnership, referrals, role, route):
    client.force_login(partnership.by_role()[role].user)
    response = client.get(ROUTES[route](referrals))
    if role == Role.PROGRAMME_MANAGER:
        assert response.status_code == 200
    elif role == Role.PARTNER_MANAGER:  # the search yes; referrals sent elsewhere or closed are absent
        assert response.status_code == (200 if route == "search" else 404)
        assert b"Rowan Routed" not in response.content
    else:
        assert response.status_code == 403 and b"Rowan" not in response.content


def test_anonymous_users_are_sent_to_sign_in(client, referrals):
    response = client.get("/referrals/search/")
    assert response.status_code == 302 and response["Location"].startswith("/sign-in/?next=")


def test_the_search_page_lists_and_audits_what_it_shows(client, partnership, referrals):
    client.force_login(partnership.programme.user)
    response = client.get("/referrals/search/", {"q": "rowan"})
    text = page_text(response)
    assert response.status_code == 200 and "2 referrals found" in text
    assert "Rowan Routed" in text and "Sent to a delivery partner" in text and "Partner B" in text
    event = AuditEvent.objects.filter(verb=AuditVerb.LISTED).latest("at")
    assert event.payload["list"] == "referral_search" and event.payload["shown"] == 2


def test_an_empty_search_form_lists_nobody_and_audits_nothing(client, partnership, referrals):
    client.force_login(partnership.programme.user)
    response = client.get("/referrals/search/")
    assert response.status_code == 200 and "Rowan" not in page_text(response)
    assert not AuditEvent.objects.filter(verb=AuditVerb.LISTED).exists()


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ({"q": "x" * 101}, "Name, reference or NHS number must be 100 characters or fewer."),
        ({"received_from_0": "31", "received_from_1": "2", "received_from_2": "2026"}, "must be a real date"),
        (
            {
                **{"received_from_0": "2", "received_from_1": "3", "received_from_2": "2026"},
                **{"received_to_0": "1", "received_to_1": "3", "received_to_2": "2026"},
            },
            "The last day received must be the same as or after the first day",
        ),
    ],
)
def test_a_bad_search_is_refused_plainly(client, partnership, referrals, query, message):
    client.force_login(partnership.programme.user)
    response = client.get("/referrals/search/", query)
    assert response.status_code == 400 and message in page_text(response)


def test_nothing_found_says_so(client, partnership, referrals):
    client.force_login(partnership.programme.user)
    response = client.get("/referrals/search/", {"q": "Nobody"})
    assert "No referrals match this search" in page_text(response)


def test_a_routed_referral_opens_read_only_for_the_programme_manager(client, partnership, referrals):
    client.force_login(partnership.programme.user)
    routed = referrals["routed"]
    response = client.get(f"/referrals/triage/{routed.pk}/")
    text = words(response)
    assert response.status_code == 200
    assert "no longer in the triage queue" in text and "Sent to a delivery partner, with Partner B" in text
    assert "Send to the delivery partner" not in text and "Decline referral" not in text
    assert AuditEvent.objects.filter(verb=AuditVerb.VIEWED, target_id=str(routed.pk)).count() == 1


def test_a_post_to_a_routed_referral_changes_nothing(client, partnership, referrals):
    client.force_login(partnership.programme.user)
    routed = referrals["routed"]
    response = client.post(f"/referrals/triage/{routed.pk}/", {"action": "decline", "reason": "No"})
    assert response.status_code == 409 and "Nothing was changed" in page_text(response)
    assert Referral.objects.get(pk=routed.pk).status == statuses.ROUTED


def test_the_triage_page_leads_with_the_eligible_and_folds_the_rest(client, partnership, referrals):
    client.force_login(partnership.programme.user)
    body = client.get(f"/referrals/triage/{referrals['waiting'].pk}/").content.decode()
    eligible = body.index("Eligible (")
    assert eligible < body.index('data-testid="unknown-details"') < body.index('data-testid="ruled-out"')
    assert '<details class="govuk-details" data-testid="unknown-details">' in body  # folded (not open)
    assert '<details class="govuk-details" data-testid="decline-details">' in body
    assert "Choose a delivery partner" in body and "---------" not in body


@pytest.fixture
def declined_by_b_then_sent_to_a(partnership):
    """Partner B declines with a note, then triage sends the referral to Partner A."""
    from typing import Any

    from joinedup.testkit.factories import MembershipFactory

    p = partnership
    manager_b: Any = MembershipFactory(user__username="manager_b", organisation=p.partner_b, role=Role.PARTNER_MANAGER)
    referral = p.refer(given_name="Dana", family_name="Declined")
    referral_route(referral=referral, actor=p.programme, delivery_partner=p.partner_b)
    referral_decline(referral=referral, actor=manager_b, reason_code="other", reason="Dana missed three sessions")
    returned = Referral.objects.get(pk=referral.pk)
    return p, returned


def test_a_partner_manager_is_not_shown_another_partners_decline_reason(client, declined_by_b_then_sent_to_a):
    """Review finding: the read-only triage page showed a rival partner's name and decline note."""
    p, referral = declined_by_b_then_sent_to_a
    referral_route(referral=referral, actor=p.programme, delivery_partner=p.partner_a)
    client.force_login(p.manager_a.user)
    text = words(client.get(f"/referrals/triage/{referral.pk}/"))
    assert "no longer in the triage queue" in text
    assert "Returned for re-routing by another delivery partner" in text or "by another delivery partner" in text
    assert "missed three sessions" not in text and "Partner B" not in text
    client.force_login(p.programme.user)  # the programme manager reads the whole history
    text = words(client.get(f"/referrals/triage/{referral.pk}/"))
    assert "Dana missed three sessions" in text and "Partner B" in text


def test_nor_while_the_returned_referral_waits_in_triage(client, declined_by_b_then_sent_to_a):
    p, referral = declined_by_b_then_sent_to_a
    assert referral.status in statuses.IN_TRIAGE
    client.force_login(p.manager_a.user)
    response = client.get(f"/referrals/triage/{referral.pk}/")
    text = words(response)
    assert response.status_code == 200 and "History" in text
    assert "missed three sessions" not in text and "by another delivery partner" in text
