"""The person's page says where their referral is in the same words as the referrer's list, at each
step (one source of truth: referrals.selectors.closed_loop_status)."""

from __future__ import annotations

import re

import pytest
from django.test import Client

from joinedup.people.choices import ConsentPurpose
from joinedup.people.models import Consent

from .conftest import sign_in

pytestmark = pytest.mark.django_db


def _persons_status(client: Client) -> str:
    page = client.get("/you/").content.decode()
    found = re.search(r'data-testid="status">([^<]*)<', page)
    assert found, page
    return found.group(1).strip()


def _referrers_status(staff, referral) -> str:
    page = staff.get("/referrals/").content.decode()
    row = page[page.index(referral.reference) :]
    found = re.search(r'data-status="[^"]*">([^<]*)<', row)
    assert found, row
    return found.group(1).strip()


def test_the_persons_page_and_the_referrers_list_say_the_same_at_each_step(partnership, client):
    p = partnership
    client.force_login(p.referrer.user)
    referral = p.refer(given_name="Sam", family_name="Steps", email="sam@example.com")
    person = sign_in(Client(), "sam@example.com")
    seen = []

    def same() -> None:
        ours, theirs = _persons_status(person), _referrers_status(client, referral)
        assert ours == theirs
        seen.append(ours)

    same()  # received
    referral = p.assign(referral)
    same()  # with the partner
    case = p.enrol(referral)
    same()  # support started (progress shared by consent)
    p.job_start(case)
    same()  # started work
    consent = Consent.objects.get(person=case.person, purpose=ConsentPurpose.SHARE_PROGRESS, withdrawn_at=None)
    assert person.post(f"/you/consents/{consent.pk}/withdraw/").status_code == 302
    same()  # progress no longer shared: both say less
    assert len(set(seen)) >= 4, seen
