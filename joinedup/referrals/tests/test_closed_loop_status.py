"""One closed-loop status, said the same by the referrer's list, the referral's page, the API, the
FHIR Task and the referrer's email, at each step of a referral's journey (with and without the
person's consent to share their progress)."""

from __future__ import annotations

import re

import pytest

from joinedup.api.services import api_token_issue
from joinedup.notifications.models import Notification
from joinedup.organisations.models import Role
from joinedup.referrals import statuses
from joinedup.referrals.selectors import closed_loop_status, loop_status
from joinedup.referrals.services import referral_decline, referral_route
from joinedup.testkit import MembershipFactory, page_text

# The email is sent for these steps (notifications.models.Event); the others are not emailed.
EMAILED = {"received", "accepted", "declined", "enrolled", "started_work"}


def _cell(html: str, reference: str) -> tuple[str, str]:
    """The status cell of the referrer's list on the row of `reference`: (code, words)."""
    row = html[html.index(reference) :]
    found = re.search(r'data-label="Status" data-status="([a-z_]+)">([^<]*)</td>', row)
    assert found, "no status cell"
    return found.group(1), found.group(2).strip()


def _page_status(html: str) -> tuple[str, str]:
    found = re.search(r'data-testid="status" data-status="([a-z_]+)">Status: <strong>([^<]*)</strong>', html)
    assert found, "no status on the referral's page"
    return found.group(1), found.group(2).strip()


def said_everywhere(client, p, referral, key: str) -> set[tuple[str, str]]:
    """Every place the referrer is told the status, as (code, words) where a place gives a code."""
    client.force_login(p.referrer.user)
    said = {
        _cell(page_text(client.get("/referrals/")), referral.reference),
        _page_status(page_text(client.get(f"/referrals/{referral.pk}/"))),
    }
    api = client.get(f"/api/v1/referrals/{referral.reference}/", HTTP_AUTHORIZATION=f"Bearer {key}").json()
    said.add((api["status"], api["status_label"]))
    client.logout()
    task = client.get(f"/fhir/Task/{referral.pk}", HTTP_AUTHORIZATION=f"Bearer {key}").json()
    expected = closed_loop_status(referral=referral)
    said.add((expected.code, task["businessStatus"]["text"]))
    if expected.code in EMAILED:
        note = Notification.objects.get(referral=referral, event=expected.code, recipient="referrer")
        line = re.search(r"^Status: (.*)$", note.body, re.M)
        assert line, "no status in the email"
        said.add((expected.code, line.group(1)))
    return said


@pytest.fixture
def key(partnership) -> str:
    partnership.referrer.user.email = "dr.gp@example.nhs.uk"
    partnership.referrer.user.save()
    return api_token_issue(membership=partnership.referrer)[1]


@pytest.mark.parametrize("share", [True, False])
def test_every_place_says_the_same_status_at_each_step(client, partnership, key, share):
    p = partnership
    manager_b = MembershipFactory(organisation=p.partner_b, role=Role.PARTNER_MANAGER)
    referral = p.refer(consent_share_progress=share)
    seen = []

    def step(expected_code: str) -> None:
        referral.refresh_from_db()
        said = said_everywhere(client, p, referral, key)
        assert said == {(expected_code, statuses.LOOP_LABELS[expected_code])}, said
        seen.append(expected_code)

    step("received")
    referral_route(referral=referral, actor=p.programme, delivery_partner=p.partner_a)
    step("routed")
    referral_decline(referral=referral, actor=p.manager_a, reason_code="no_capacity", reason="Full")
    step("returned")
    referral_route(referral=referral, actor=p.programme, delivery_partner=p.partner_b)
    referral = p.assign(referral, partner=p.partner_b, adviser=p.adviser_b)
    step("accepted")
    case = p.enrol(referral, adviser=p.adviser_b)
    step("enrolled" if share else "accepted")  # progress only with the person's consent
    p.job_start(case, adviser=p.adviser_b)
    step("started_work" if share else "accepted")
    assert manager_b  # the partner that accepted has a manager (as in a real partnership)
    assert len(seen) == 6


def test_a_declined_referral_says_declined_everywhere(client, partnership, key):
    referral = partnership.refer()
    referral_decline(referral=referral, actor=partnership.programme, reason="Lives outside the area")
    assert said_everywhere(client, partnership, referral, key) == {("declined", "Referral declined")}


@pytest.mark.parametrize("status", list(statuses.REGISTRY))
@pytest.mark.parametrize("shared", [True, False])
def test_every_registry_status_has_one_closed_loop_status(status, shared):
    found = loop_status(status=status, shared=shared, enrolled=status == statuses.ENROLLED, started_work=False)
    assert found.label == statuses.LOOP_LABELS[found.code] and found.status == status
    if status != statuses.ENROLLED:  # the registry's own words for the referrer agree
        assert statuses.REGISTRY[status].referrer_label == found.label


def test_every_emailed_event_is_a_closed_loop_step():
    from joinedup.notifications.models import Event

    assert {e.value for e in Event} == EMAILED <= set(statuses.LOOP_LABELS)
