"""Every read and change by the person is in their audit trail as their own, and their data
download shows it to them."""

from __future__ import annotations

import json

import pytest

from joinedup.audit.models import AuditEvent
from joinedup.people.choices import ConsentPurpose
from joinedup.people.models import Consent

pytestmark = pytest.mark.django_db


def _own(person) -> list[tuple[str, str]]:
    return [
        (e.verb, e.payload.get("view", e.payload.get("change", "")))
        for e in AuditEvent.objects.filter(person_id=person.pk, channel="person").order_by("at", "id")
    ]


def test_every_read_and_change_is_audited_as_the_persons_own(as_alice, alice):
    assert _own(alice.person) == [("signed_in", "")]
    for path in ("/you/", "/you/plan/", "/you/better-off/", "/you/consents/", "/you/messages/"):
        as_alice.get(path)
    as_alice.post(f"/you/plan/{alice.action.pk}/done/")
    as_alice.get(f"/you/plan/{alice.other_action.pk}/note/")
    as_alice.post(f"/you/plan/{alice.other_action.pk}/note/", {"text": "Rang them"})
    as_alice.post("/you/messages/", {"text": "Hello"})
    consent = Consent.objects.get(person=alice.person, purpose=ConsentPurpose.SHARE_PROGRESS)
    as_alice.post(f"/you/consents/{consent.pk}/withdraw/")
    as_alice.post("/you/share/", {"shared_with": "My work coach", "days": "7"})
    seen = _own(alice.person)
    for expected in [
        ("viewed", "your_overview"),
        ("viewed", "your_plan"),
        ("viewed", "your_better_off"),
        ("viewed", "your_consents"),
        ("viewed", "your_messages"),
        ("plan_updated", "action_done"),
        ("message_sent", ""),
        ("consent_withdrawn", ""),
        ("plan_shared", ""),
    ]:
        assert expected in seen, expected
    assert seen.count(("message_sent", "")) == 2  # the note and the message
    assert not AuditEvent.objects.filter(person_id=alice.person.pk, channel="person", actor__isnull=False).exists()


def test_the_data_download_shows_the_persons_own_trail(as_alice, alice):
    as_alice.get("/you/plan/")
    as_alice.post(f"/you/plan/{alice.action.pk}/done/")
    assert as_alice.get("/you/your-data/").status_code == 200
    response = as_alice.post("/you/your-data/")
    assert response.status_code == 200 and response["Content-Type"].startswith("application/json")
    assert "attachment" in response["Content-Disposition"]
    data = json.loads(response.content)
    assert data["person"]["Email"] == alice.email
    trail = data["who_saw_or_changed_the_record"]
    mine = [line for line in trail if line["who"] == "The person, on their own pages"]
    whats = " ".join(line["what"] for line in mine)
    assert "Signed in to their own pages" in whats and "Updated the personal plan" in whats and "Viewed" in whats
    assert AuditEvent.objects.filter(person_id=alice.person.pk, channel="person", verb="exported").count() == 1
    sections = {s["key"] for s in data["records"]}
    assert "portal_sessions" in sections


def test_the_own_download_leaves_out_what_staff_review_first(as_alice, alice):
    """Legal holds, requests' outcome notes and duplicate checks are answered by a subject access
    request (staff review them, with any exemption); the person's own download leaves them out."""
    from joinedup.people.records import REGISTRY

    data = json.loads(as_alice.post("/you/your-data/").content)
    sections = {s["key"] for s in data["records"]}
    staff_first = {key for key, record in REGISTRY.items() if not record.on_their_own_pages}
    assert {"legal_holds", "rights_requests", "duplicate_checks"} <= staff_first
    assert not sections & staff_first
    assert {"referrals", "cases", "consents"} <= sections


def test_no_own_download_while_a_legal_hold_is_in_place_and_the_hold_is_not_named(as_alice, alice, partnership):
    from joinedup.governance.models import LegalHold

    user = partnership.programme.user
    LegalHold.objects.create(person=alice.person, reason="Police investigation", placed_by=user, created_by=user)
    response = as_alice.post("/you/your-data/")
    assert response.status_code == 409 and not response["Content-Type"].startswith("application/json")
    page = response.content.decode()
    assert "cannot be downloaded here" in page and "legal" not in page.lower() and "Police" not in page
    assert not AuditEvent.objects.filter(person_id=alice.person.pk, channel="person", verb="exported").exists()


def test_the_share_list_stopping_a_share_and_signing_out_are_audited(as_alice, alice):
    from django.test import Client

    from joinedup.portal.models import PlanShare

    from .conftest import sign_in

    as_alice.post("/you/share/", {"shared_with": "My work coach", "days": "7"})
    as_alice.get("/you/share/")
    as_alice.post(f"/you/share/{PlanShare.objects.get().pk}/stop/")
    as_alice.post("/you/sign-out/")
    other = sign_in(Client(), alice.email)
    other.post("/you/sign-out-everywhere/")
    events = AuditEvent.objects.filter(person_id=alice.person.pk, channel="person")
    assert events.filter(verb="viewed", payload__view="your_shares").exists()
    assert events.filter(verb="share_ended").count() == 1
    assert events.filter(verb="updated", payload__event="signed_out", payload__sessions=1).count() == 1
    assert events.filter(verb="signed_out_everywhere", payload__sessions=1).count() == 1


def test_refused_sign_in_tries_are_in_the_persons_trail_and_their_download(alice):
    from django.test import Client

    from .conftest import code_in, emailed, run_jobs, sign_in

    client = Client()
    client.post("/you/sign-in/", {"address": alice.email})
    run_jobs()
    code = code_in(emailed(alice.email)[-1])
    client.post("/you/sign-in/check-your-email/", {"code": f"{(int(code) + 1) % 1_000_000:06d}"})
    refused = AuditEvent.objects.get(person_id=alice.person.pk, payload__event="sign_in_refused")
    assert refused.payload["reason"] == "wrong_code" and refused.actor_id is None
    signed_in = sign_in(Client(), alice.email)
    data = json.loads(signed_in.post("/you/your-data/").content)
    mine = [line for line in data["who_saw_or_changed_the_record"] if line["who"] == "The person, on their own pages"]
    assert any(line["what"].startswith("Updated") for line in mine)  # the refused try
