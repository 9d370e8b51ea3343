"""On a merge (linkage.services.person_merge) the person's messages and shared links move to the
surviving record with their case, so the person still sees and can stop them; a reversal moves them
back. Sign-ins and sessions stay with the merged-away record (which can no longer sign in)."""

from __future__ import annotations

import pytest
from django.test import Client

from joinedup.linkage import services as linkage
from joinedup.people.models import Person
from joinedup.portal.models import Message, PersonSession, PlanShare

pytestmark = pytest.mark.django_db


def test_messages_and_shares_move_to_the_survivor_and_back(as_alice, alice, partnership):
    as_alice.post("/you/messages/", {"text": "Can we meet?"})
    as_alice.post(f"/you/plan/{alice.action.pk}/note/", {"text": "Done half"})
    as_alice.post("/you/share/", {"shared_with": "My work coach", "days": "7"})
    survivor = Person.objects.get(pk=partnership.refer(given_name="Alice", family_name="Tester", email="").person_id)
    duplicate = alice.person
    merge = linkage.person_merge(actor=partnership.programme, survivor=survivor, duplicate=duplicate, reason="Same")
    assert Message.objects.count() == 2 and set(Message.objects.values_list("person_id", flat=True)) == {survivor.pk}
    assert PlanShare.objects.get().person_id == survivor.pk
    assert PersonSession.objects.get().person_id == duplicate.pk  # kept: that record no longer signs in
    assert as_alice.get("/you/").status_code == 302
    # The survivor (with the email filled in from the duplicate) signs in and sees them.
    from .conftest import sign_in

    again = sign_in(Client(), alice.email)
    assert "Can we meet?" in again.get("/you/messages/").content.decode()
    assert "My work coach" in again.get("/you/share/").content.decode()
    linkage.person_merge_reverse(actor=partnership.programme, merge=merge, reason="Not the same")
    assert set(Message.objects.values_list("person_id", flat=True)) == {duplicate.pk}
    assert PlanShare.objects.get().person_id == duplicate.pk
