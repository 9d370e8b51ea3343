"""Sharing the plan on the person's terms: a read-only link that shows only the plan, until it
expires or the person stops it, every use audited against the person."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from django.test import Client
from django.utils import timezone

from joinedup.audit.models import AuditEvent
from joinedup.portal.models import PlanShare

pytestmark = pytest.mark.django_db


def _share(client: Client, days: str = "7") -> str:
    response = client.post("/you/share/", {"shared_with": "Dr Patel, GP", "days": days})
    assert response.status_code == 200
    found = re.search(r"/you/shared/([A-Za-z0-9_-]+)/", response.content.decode())
    assert found is not None
    return found.group(0)


def test_a_shared_link_shows_only_the_plan_until_it_is_stopped(as_alice, alice):
    link = _share(as_alice)
    professional = Client()
    page = professional.get(link)
    assert page.status_code == 200
    text = page.content.decode()
    assert "Update my CV" in text and "Alice wants part-time work" in text
    for private in (alice.referral.reference, "Tester", alice.email, "Partner A", "consent"):
        assert private not in text, private
    # Read-only: nothing to post to, and the person's pages are not opened by it.
    assert professional.post(link).status_code == 405
    assert professional.get("/you/").status_code == 302
    assert professional.post(f"/you/plan/{alice.action.pk}/done/").status_code == 302
    alice.action.refresh_from_db()
    assert alice.action.done_on is None
    share = PlanShare.objects.get()
    assert share.uses == 1  # the GET; the refused POST is not a use
    uses = AuditEvent.objects.filter(person_id=alice.person.pk, channel="shared", verb="viewed")
    assert uses.count() == share.uses
    assert uses[0].payload["shared_with"] == "Dr Patel, GP"
    # Stopped: the link no longer works.
    assert as_alice.post(f"/you/share/{share.pk}/stop/").status_code == 302
    assert professional.get(link).status_code == 404
    assert AuditEvent.objects.filter(person_id=alice.person.pk, verb="share_ended").count() == 1


def test_a_shared_link_ends_when_it_expires(as_alice):
    link = _share(as_alice, days="30")
    assert Client().get(link).status_code == 200
    PlanShare.objects.update(expires_at=timezone.now() - timedelta(seconds=1))
    assert Client().get(link).status_code == 404
    assert Client().get("/you/shared/guessed-token/").status_code == 404


def test_sharing_is_validated(as_alice):
    assert as_alice.post("/you/share/", {"shared_with": "", "days": "7"}).status_code == 400
    assert as_alice.post("/you/share/", {"shared_with": "Dr Patel", "days": "365"}).status_code == 400
    assert as_alice.post("/you/share/", {"shared_with": "x" * 101, "days": "7"}).status_code == 400
    assert not PlanShare.objects.exists()
