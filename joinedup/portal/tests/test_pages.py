"""The person's pages: what they show, what the person can do, and that only their own record is
ever reached (another person's ids give 404 on every page and action)."""

from __future__ import annotations

import pytest
from django.test import Client

from joinedup.cases.models import Contact, PlanAction
from joinedup.people.choices import ConsentPurpose
from joinedup.people.models import Consent
from joinedup.portal.models import Message, PlanShare

from .conftest import emailed, run_jobs, sign_in

pytestmark = pytest.mark.django_db

PAGES = (
    "/you/",
    "/you/plan/",
    "/you/better-off/",
    "/you/consents/",
    "/you/messages/",
    "/you/share/",
    "/you/your-data/",
)


def test_every_page_asks_for_sign_in_first(alice):
    client = Client()
    for path in PAGES:
        response = client.get(path)
        assert response.status_code == 302 and response["Location"] == "/you/sign-in/", path
    for path in (f"/you/plan/{alice.action.pk}/done/", f"/you/plan/{alice.action.pk}/note/", "/you/messages/"):
        assert client.post(path, {"text": "hello"}).status_code == 302
    assert not PlanAction.objects.filter(done_on__isnull=False).exists()


def test_every_page_shows_at_390_without_errors(as_alice, alice):
    for path in PAGES:
        response = as_alice.get(path)
        assert response.status_code == 200, path
        assert 'name="viewport"' in response.content.decode()
    overview = as_alice.get("/you/").content.decode()
    assert alice.referral.reference in overview
    assert "Enrolled on the programme" in overview  # the referrer's view's own words for the status
    assert "Partner A" in overview and "Send your adviser a message" in overview


def test_the_status_is_the_referrers_words(partnership):
    referral = partnership.refer(given_name="Cara", email="cara@example.com")
    client = sign_in(Client(), "cara@example.com")
    page = client.get("/you/").content.decode()
    assert referral.status_info.referrer_label in page  # "Referral received"
    assert client.get("/you/plan/").status_code == 200  # no case yet: says so
    assert client.get("/you/messages/").status_code == 200
    assert client.get("/you/share/").status_code == 404


def test_mark_done_and_add_a_note(as_alice, alice):
    response = as_alice.post(f"/you/plan/{alice.action.pk}/done/")
    assert response.status_code == 302
    alice.action.refresh_from_db()
    assert alice.action.done_on is not None
    again = as_alice.post(f"/you/plan/{alice.action.pk}/done/")
    assert again.status_code == 400 and "already marked done" in again.content.decode()
    assert as_alice.post(f"/you/plan/{alice.action.pk}/note/", {"text": ""}).status_code == 400
    assert as_alice.post(f"/you/plan/{alice.action.pk}/note/", {"text": "x" * 1001}).status_code == 400
    assert as_alice.post(f"/you/plan/{alice.action.pk}/note/", {"text": "Done it at the library"}).status_code == 302
    note = Message.objects.get()
    assert note.action_id == alice.action.pk and note.from_person and note.contact is not None
    assert "Update my CV" in note.contact.notes and note.contact.channel == "from_person"
    assert "Done it at the library" in as_alice.get("/you/plan/").content.decode()


def test_withdraw_a_sharing_consent(as_alice, alice):
    consent = Consent.objects.get(person=alice.person, purpose=ConsentPurpose.SHARE_PROGRESS)
    assert as_alice.post(f"/you/consents/{consent.pk}/withdraw/").status_code == 302
    consent.refresh_from_db()
    assert consent.withdrawn_at is not None
    # The consent to support cannot be withdrawn here (it is not a sharing consent).
    support = Consent.objects.get(person=alice.person, purpose=ConsentPurpose.SUPPORT)
    response = as_alice.post(f"/you/consents/{support.pk}/withdraw/")
    assert response.status_code == 400 and "cannot be withdrawn here" in response.content.decode()


def test_a_message_lands_on_the_contact_log_and_in_the_caseload(as_alice, alice, partnership, client):
    assert as_alice.post("/you/messages/", {"text": "   "}).status_code == 400
    assert as_alice.post("/you/messages/", {"text": "Can we meet on Tuesday?"}).status_code == 302
    contact = Contact.objects.get(case=alice.case)
    assert contact.channel == "from_person" and contact.notes == "Can we meet on Tuesday?"
    assert contact.get_channel_display() == "Message from the person"
    client.force_login(partnership.adviser_a.user)
    caseload = client.get("/cases/").content.decode()
    assert 'data-testid="messages-waiting"' in caseload and "Alice Tester" in caseload
    # The adviser replies: a contact by message, the person emailed a link, not the words.
    thread = f"/messages-from-people/{alice.case.pk}/"
    assert "Can we meet on Tuesday?" in client.get(thread).content.decode()
    response = client.post(thread, {"text": "Yes, 10am at the library", "duration_minutes": "5"})
    assert response.status_code == 302
    run_jobs()
    reply = [m for m in emailed(alice.email) if "replied" in m.subject][0]
    assert "10am" not in reply.body and "/you/sign-in/" in reply.body
    assert "Yes, 10am at the library" in as_alice.get("/you/messages/").content.decode()
    assert 'data-testid="messages-waiting"' not in client.get("/cases/").content.decode()  # answered


def test_the_adviser_thread_is_for_the_cases_own_partner(alice, partnership, client):
    thread = f"/messages-from-people/{alice.case.pk}/"
    client.force_login(partnership.adviser_b.user)  # another partner: not their case
    assert client.get(thread).status_code == 404
    assert client.post(thread, {"text": "Hello", "duration_minutes": "5"}).status_code == 404
    client.force_login(partnership.referrer.user)  # no case permission
    assert client.get(thread).status_code == 403
    client.force_login(partnership.adviser_a.user)
    assert client.get(thread).status_code == 200
    assert client.post(thread, {"text": "", "duration_minutes": "5"}).status_code == 400
    assert not Message.objects.exists()


def test_another_persons_ids_give_404_on_every_action(as_alice, alice, bob):
    bobs_consent = Consent.objects.get(person=bob.person, purpose=ConsentPurpose.SHARE_PROGRESS)
    bob_client = sign_in(Client(), bob.email)
    assert bob_client.post("/you/share/", {"shared_with": "Dr Patel", "days": "7"}).status_code == 200
    bobs_share = PlanShare.objects.get()
    for method, path, data in (
        ("post", f"/you/plan/{bob.action.pk}/done/", {}),
        ("get", f"/you/plan/{bob.action.pk}/note/", {}),
        ("post", f"/you/plan/{bob.action.pk}/note/", {"text": "mine now"}),
        ("post", f"/you/consents/{bobs_consent.pk}/withdraw/", {}),
        ("post", f"/you/share/{bobs_share.pk}/stop/", {}),
        ("post", "/you/plan/not-an-id/done/", {}),
    ):
        response = getattr(as_alice, method)(path, data)
        assert response.status_code == 404, (method, path, response.status_code)
    bob.action.refresh_from_db()
    bobs_consent.refresh_from_db()
    bobs_share.refresh_from_db()
    assert bob.action.done_on is None and bobs_consent.withdrawn_at is None and bobs_share.ended_at is None
    assert not Message.objects.exists()
    # Alice's pages never show Bob's record.
    for path in PAGES:
        page = as_alice.get(path).content.decode()
        assert "Bob Tester" not in page and "Bob wants" not in page and bob.referral.reference not in page, path
