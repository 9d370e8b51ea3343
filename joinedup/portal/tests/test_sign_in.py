"""Signing in without a password: the link and the code work once, for a short time; wrong,
reused, expired and guessed ones are refused; requests are throttled per address and per client;
a known and an unknown address get the same answer for the same work."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core import mail
from django.db import connection
from django.db.models import F
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from joinedup.portal import signin
from joinedup.portal.models import PersonSession, SignIn

from .conftest import code_in, emailed, link_in, run_jobs, sign_in

pytestmark = pytest.mark.django_db


def _ask(client: Client, email: str, **extra):
    return client.post("/you/sign-in/", {"address": email}, **extra)


def test_the_emailed_link_signs_in_once(alice):
    client = Client()
    assert client.get("/you/").status_code == 302  # not signed in: to the sign-in page
    response = _ask(client, alice.email)
    assert response.status_code == 302 and response["Location"] == "/you/sign-in/check-your-email/"
    assert mail.outbox == []  # the request only queued the email
    run_jobs()
    message = emailed(alice.email)[0]
    assert "Alice" not in message.body and alice.referral.reference not in message.body  # nothing of the record
    pk, token = link_in(message)
    assert client.get(f"/you/sign-in/{pk}/{token}/").status_code == 200  # a button: a mail scanner uses nothing
    assert client.post(f"/you/sign-in/{pk}/{token}/").status_code == 302
    assert "Your support" in client.get("/you/").content.decode()
    # Reused, in another browser: refused.
    other = Client()
    response = other.post(f"/you/sign-in/{pk}/{token}/")
    assert response.status_code == 400 and "has been used already" in response.content.decode()
    assert other.get("/you/").status_code == 302


def test_nothing_secret_is_kept(alice):
    _ask(Client(), alice.email)
    sign_in_row = SignIn.objects.get()
    assert sign_in_row.nonce  # until the email is sent
    run_jobs()
    pk, token = link_in(emailed(alice.email)[0])
    code = code_in(emailed(alice.email)[0])
    sign_in_row.refresh_from_db()
    assert sign_in_row.nonce == ""
    stored = " ".join(str(v) for v in SignIn.objects.values().get().values())
    assert token not in stored and code not in stored


def test_the_code_signs_in_on_the_browser_that_asked(alice):
    client = Client()
    _ask(client, alice.email)
    run_jobs()
    code = code_in(emailed(alice.email)[0])
    # Another browser has no pending sign-in: refused even with the right code.
    assert Client().post("/you/sign-in/check-your-email/", {"code": code}).status_code == 400
    response = client.post("/you/sign-in/check-your-email/", {"code": code})
    assert response.status_code == 302 and response["Location"] == "/you/"
    assert client.get("/you/").status_code == 200
    # Used: refused the second time.
    assert client.post("/you/sign-in/check-your-email/", {"code": code}).status_code == 400


def test_wrong_codes_are_refused_and_then_the_code_stops_working(alice):
    client = Client()
    _ask(client, alice.email)
    run_jobs()
    code = code_in(emailed(alice.email)[0])
    wrong = f"{(int(code) + 1) % 1_000_000:06d}"
    for _ in range(signin.WRONG_CODES_ALLOWED):
        response = client.post("/you/sign-in/check-your-email/", {"code": wrong})
        assert response.status_code == 400 and "is not right" in response.content.decode()
    assert client.post("/you/sign-in/check-your-email/", {"code": code}).status_code == 400  # too many tries
    assert client.post("/you/sign-in/check-your-email/", {"code": "12ab"}).status_code == 400  # not 6 digits


def test_expired_links_and_codes_are_refused(alice):
    client = Client()
    _ask(client, alice.email)
    run_jobs()
    message = emailed(alice.email)[0]
    SignIn.objects.update(expires_at=timezone.now() - timedelta(seconds=1))
    pk, token = link_in(message)
    assert client.get(f"/you/sign-in/{pk}/{token}/").status_code == 400
    assert client.post(f"/you/sign-in/{pk}/{token}/").status_code == 400
    assert client.post("/you/sign-in/check-your-email/", {"code": code_in(message)}).status_code == 400


def test_guessed_links_are_refused(alice):
    client = Client()
    _ask(client, alice.email)
    run_jobs()
    pk, token = link_in(emailed(alice.email)[0])
    for path in (
        f"/you/sign-in/{pk}/{token[:-1]}A/",  # the right sign-in, a wrong token
        f"/you/sign-in/00000000-0000-0000-0000-000000000000/{token}/",  # the right token, no such sign-in
        f"/you/sign-in/{pk}/x/",
    ):
        assert client.post(path).status_code == 400
    assert client.post(f"/you/sign-in/{pk}/{token}/").status_code == 302  # the real one still works


def test_unknown_and_known_addresses_get_the_same_answer_for_the_same_work(alice):
    answers, queries = [], []
    for email in (alice.email, "nobody@example.com"):
        client = Client()
        with CaptureQueriesContext(connection) as captured:
            response = _ask(client, email)
        answers.append((response.status_code, response["Location"]))
        queries.append(len(captured))
        page = client.get(response["Location"]).content.decode()
        assert "If that email address or mobile number is on our records" in page
    assert answers[0] == answers[1]
    assert queries[0] == queries[1]  # the same statements: no early return for an unknown address
    run_jobs()
    assert len(mail.outbox) == 1 and mail.outbox[0].to == [alice.email]  # only a known address is emailed


def test_an_address_shared_by_two_records_signs_no_one_in(alice, partnership):
    partnership.refer(given_name="Twin", email=alice.email.upper())
    _ask(Client(), alice.email)
    run_jobs()
    assert mail.outbox == []


def test_throttled_per_address_and_per_client(alice):
    for _ in range(signin.PER_ADDRESS):
        assert _ask(Client(), alice.email, REMOTE_ADDR="10.0.0.1").status_code == 302
    response = _ask(Client(), alice.email, REMOTE_ADDR="10.0.0.2")
    assert response.status_code == 429 and "too many times" in response.content.decode()
    # The same answer for an address that is not known, once that address has been asked for as often.
    for _ in range(signin.PER_ADDRESS):
        _ask(Client(), "stranger@example.com", REMOTE_ADDR="10.0.0.3")
    assert _ask(Client(), "stranger@example.com", REMOTE_ADDR="10.0.0.4").status_code == 429
    # Per client: many addresses from one client address.
    for n in range(signin.PER_CLIENT - 2):
        _ask(Client(), f"someone{n}@example.com", REMOTE_ADDR="10.0.0.9")
    for n in range(2):
        _ask(Client(), f"other{n}@example.com", REMOTE_ADDR="10.0.0.9")
    assert _ask(Client(), "fresh@example.com", REMOTE_ADDR="10.0.0.9").status_code == 429
    assert _ask(Client(), "fresh@example.com", REMOTE_ADDR="10.0.0.10").status_code == 302


def test_a_bad_address_is_a_plain_english_error():
    response = _ask(Client(), "not an address")
    assert response.status_code == 400
    assert "Enter an email address like name@example.com" in response.content.decode()
    assert _ask(Client(), "").status_code == 400


def test_sessions_are_short_and_sign_out_everywhere_ends_them_all(alice):
    phone = sign_in(Client(), alice.email)
    laptop = sign_in(Client(), alice.email)
    assert phone.get("/you/").status_code == 200 and laptop.get("/you/").status_code == 200
    session = PersonSession.objects.order_by("created_at")[0]
    assert abs(session.expires_at - session.created_at - signin.SESSION_LONGEST) < timedelta(seconds=1)
    # Idle too long: signed out.
    PersonSession.objects.filter(pk=session.pk).update(idle_until=timezone.now() - timedelta(seconds=1))
    assert phone.get("/you/").status_code == 302
    phone = sign_in(Client(), alice.email)
    assert phone.post("/you/sign-out-everywhere/").status_code == 302
    assert phone.get("/you/").status_code == 302 and laptop.get("/you/").status_code == 302
    assert PersonSession.objects.filter(ended_at__isnull=True).count() == 0


def test_signing_out_ends_only_this_session(alice):
    phone = sign_in(Client(), alice.email)
    laptop = sign_in(Client(), alice.email)
    assert phone.post("/you/sign-out/").status_code == 302
    assert phone.get("/you/").status_code == 302
    assert laptop.get("/you/").status_code == 200


def test_a_person_session_is_not_a_staff_session(as_alice):
    assert as_alice.get("/cases/").status_code == 302  # staff pages still ask a member of staff to sign in
    assert "Cache-Control" in as_alice.get("/you/").headers
    assert "no-store" in as_alice.get("/you/").headers["Cache-Control"]


def _wrong(code: str) -> str:
    return f"{(int(code) + 1) % 1_000_000:06d}"


def test_one_address_gets_a_capped_number_of_codes_and_guesses_a_day(alice):
    """Asking for a new code does not buy more guesses: the wrong tries of every code for one
    address count together over 24 hours; then no new code and no further guess, plainly said."""
    from joinedup.audit.models import AuditEvent

    tried = 0
    while tried < signin.DAY_WRONG_TRIES:
        client = Client()
        assert _ask(client, alice.email, REMOTE_ADDR=f"10.1.0.{tried}").status_code == 302
        run_jobs()
        code = code_in(emailed(alice.email)[-1])
        for _ in range(min(signin.WRONG_CODES_ALLOWED, signin.DAY_WRONG_TRIES - tried)):
            assert client.post("/you/sign-in/check-your-email/", {"code": _wrong(code)}).status_code == 400
            tried += 1
        SignIn.objects.update(created_at=F("created_at") - timedelta(minutes=signin.THROTTLE_MINUTES))
    # The daily budget is spent: a fresh code is refused, and so is the right code of an earlier one.
    response = _ask(Client(), alice.email, REMOTE_ADDR="10.2.0.1")
    assert response.status_code == 429 and "too many times today" in response.content.decode()
    refused = AuditEvent.objects.filter(person_id=alice.person.pk, payload__event="sign_in_refused")
    assert refused.count() == signin.DAY_WRONG_TRIES  # every wrong try on the person's trail
    assert set(refused.values_list("payload__reason", flat=True)) == {"wrong_code"}
    # After 24 hours, a new day's budget.
    SignIn.objects.update(created_at=F("created_at") - signin.DAY)
    assert _ask(Client(), alice.email, REMOTE_ADDR="10.2.0.2").status_code == 302


def test_the_daily_cap_on_codes_and_the_last_code_refused(alice):
    clients = []
    for n in range(signin.DAY_PER_ADDRESS):
        client = Client()
        assert _ask(client, alice.email, REMOTE_ADDR=f"10.3.0.{n}").status_code == 302
        clients.append(client)
        SignIn.objects.update(created_at=F("created_at") - timedelta(minutes=signin.THROTTLE_MINUTES))
    assert _ask(Client(), alice.email, REMOTE_ADDR="10.3.1.1").status_code == 429
    run_jobs()
    code = code_in(emailed(alice.email)[-1])
    response = clients[-1].post("/you/sign-in/check-your-email/", {"code": code})
    assert response.status_code == 400 and "too many times today" in response.content.decode()


def test_an_unknown_address_reaches_the_daily_cap_as_a_known_one_does(alice):
    for email in (alice.email, "nobody@example.com"):
        for n in range(2):
            client = Client()
            _ask(client, email, REMOTE_ADDR=f"10.4.{n}.1")
            for _ in range(signin.WRONG_CODES_ALLOWED):
                client.post("/you/sign-in/check-your-email/", {"code": "000000"})
    SignIn.objects.update(created_at=F("created_at") - timedelta(minutes=signin.THROTTLE_MINUTES))
    known, unknown = _ask(Client(), alice.email), _ask(Client(), "nobody@example.com")
    assert known.status_code == unknown.status_code == 429
    assert "too many times today" in known.content.decode() and "too many times today" in unknown.content.decode()


def test_throttled_per_client_behind_a_trusted_proxy(settings):
    """The per-client limit counts the client (core.client), not the proxy every request comes through."""
    settings.AXES_IPWARE_PROXY_COUNT = 1
    proxy = {"REMOTE_ADDR": "10.0.0.1"}
    for n in range(signin.PER_CLIENT):
        forwarded = f"198.51.100.{n}, 203.0.113.7"  # the client's own made-up entry is not believed
        assert _ask(Client(), f"p{n}@example.com", HTTP_X_FORWARDED_FOR=forwarded, **proxy).status_code == 302
    assert _ask(Client(), "late@example.com", HTTP_X_FORWARDED_FOR="203.0.113.7", **proxy).status_code == 429
    assert _ask(Client(), "late@example.com", HTTP_X_FORWARDED_FOR="203.0.113.8", **proxy).status_code == 302


def test_sign_out_everywhere_ends_every_session_however_it_was_started(alice, bob):
    """Sessions from the link, from the code and from a text, on three browsers: all ended; another
    person's session is untouched."""
    from joinedup.notifications import texts
    from joinedup.people.models import Person

    Person.objects.filter(pk=alice.person.pk).update(phone="07700 900 123")
    by_link = sign_in(Client(), alice.email)
    by_code = Client()
    _ask(by_code, alice.email)
    run_jobs()
    assert (
        by_code.post("/you/sign-in/check-your-email/", {"code": code_in(emailed(alice.email)[-1])}).status_code == 302
    )
    by_text = Client()
    texts.outbox.clear()
    _ask(by_text, "07700900123")
    run_jobs()
    text_code = texts.outbox[-1].body.split("sign-in code is ")[1][:6]
    assert by_text.post("/you/sign-in/check-your-email/", {"code": text_code}).status_code == 302
    bob_client = sign_in(Client(), bob.email)
    assert PersonSession.objects.filter(person=alice.person, ended_at__isnull=True).count() == 3
    assert by_text.post("/you/sign-out-everywhere/").status_code == 302
    for browser in (by_link, by_code, by_text):
        assert browser.get("/you/").status_code == 302
    assert PersonSession.objects.filter(person=alice.person, ended_at__isnull=True).count() == 0
    assert bob_client.get("/you/").status_code == 200
    texts.outbox.clear()
