"""Signing in by mobile number, and the adviser's reply by text (decision 028): a six-digit code by
text, the same answer and throttles as email, nothing of the record in the text."""

from __future__ import annotations

import re

import pytest
from django.core import mail
from django.test import Client

from joinedup.audit.models import AuditEvent
from joinedup.notifications import texts
from joinedup.portal import signin
from joinedup.portal.models import SignIn

from .conftest import Someone, run_jobs

pytestmark = pytest.mark.django_db
CODE = re.compile(r"sign-in code is (\d{6})")


def _code(body: str) -> str:
    found = CODE.search(body)
    assert found, body
    return found.group(1)


@pytest.fixture(autouse=True)
def _outbox():
    texts.outbox.clear()
    yield
    texts.outbox.clear()


@pytest.fixture
def dev(partnership) -> Someone:
    """Dev has a mobile number (written with spaces and +44) and no email address."""
    someone = Someone.__new__(Someone)
    referral = partnership.assign(
        partnership.refer(given_name="Dev", family_name="Tester", email="", phone="+44 7700 900 982")
    )
    someone.referral, someone.case = referral, partnership.enrol(referral)
    someone.person, someone.email = someone.case.person, ""
    return someone


def _ask(client: Client, address: str, **extra):
    return client.post("/you/sign-in/", {"address": address}, **extra)


def test_a_mobile_number_gets_a_code_by_text_that_signs_in_once(dev):
    client = Client()
    response = _ask(client, "07700 900982")
    assert response.status_code == 302 and response["Location"] == "/you/sign-in/check-your-email/"
    assert texts.outbox == []  # queued, not sent in the request
    run_jobs()
    assert len(texts.outbox) == 1 and mail.outbox == []
    sent = texts.outbox[0]
    assert sent.number == "07700900982"
    assert "Dev" not in sent.body and dev.referral.reference not in sent.body  # nothing of the record
    assert len(sent.body) <= signin.TEXT_WITH_LINK_MAX
    code = _code(sent.body)
    assert SignIn.objects.get().channel == "text"
    assert client.post("/you/sign-in/check-your-email/", {"code": code}).status_code == 302
    assert client.get("/you/").status_code == 200
    assert Client().post("/you/sign-in/check-your-email/", {"code": code}).status_code == 400  # no pending here
    assert client.post("/you/sign-in/check-your-email/", {"code": code}).status_code == 400  # used


def test_a_short_link_is_in_the_text_too(dev, settings):
    settings.SITE_URL = "https://j.uk"
    _ask(Client(), "07700900982")
    run_jobs()
    body = texts.outbox[0].body
    link = re.search(r"(https://j\.uk/you/sign-in/[0-9a-f-]{36}/[A-Za-z0-9_-]+/)", body)
    if len(body) <= signin.TEXT_WITH_LINK_MAX and link:
        assert Client().post(link.group(1).removeprefix("https://j.uk")).status_code == 302
    else:  # the link did not fit: the code alone
        assert "Enter it on the page where you asked" in body


def test_an_unknown_mobile_gets_the_same_answer_and_no_text(dev):
    known, unknown = _ask(Client(), "07700900982"), _ask(Client(), "07700900000")
    assert (known.status_code, known["Location"]) == (unknown.status_code, unknown["Location"])
    run_jobs()
    assert [t.number for t in texts.outbox] == ["07700900982"]


def test_a_mobile_is_throttled_as_an_email_is(dev):
    for _ in range(signin.PER_ADDRESS):
        assert _ask(Client(), "+447700900982").status_code == 302
    response = _ask(Client(), "07700 900 982", REMOTE_ADDR="10.9.9.9")  # the same number, written otherwise
    assert response.status_code == 429


def test_not_a_mobile_number_is_a_plain_english_error():
    response = _ask(Client(), "01632 960 001")  # a landline cannot take a text
    assert response.status_code == 400
    assert "or a UK mobile number like 07700 900 982" in response.content.decode()


@pytest.mark.parametrize(
    ("written", "mobile"),
    [
        ("07700 900 982", "07700900982"),
        ("+44 (0)7700 900982", "07700900982"),
        ("0044 7700-900-982", "07700900982"),
        ("01632 960001", ""),
        ("0770090098", ""),
        ("", ""),
    ],
)
def test_mobile_numbers_are_read_however_written(written, mobile):
    assert texts.normalised_mobile(written) == mobile


def _reply(partnership, someone, client):
    client.force_login(partnership.adviser_a.user)
    response = client.post(
        f"/messages-from-people/{someone.case.pk}/", {"text": "Yes, 10am at the library", "duration_minutes": "5"}
    )
    assert response.status_code == 302
    run_jobs()


def test_the_reply_goes_by_text_to_a_person_with_a_mobile_and_no_email(dev, partnership, client):
    _reply(partnership, dev, client)
    assert len(texts.outbox) == 1 and mail.outbox == []
    body = texts.outbox[0].body
    assert "10am" not in body and "/you/sign-in/" in body  # a link, never the words
    assert AuditEvent.objects.filter(person_id=dev.person.pk, channel="text", payload__event="adviser_replied").exists()


def test_the_reply_goes_by_text_when_the_person_chose_text(alice, partnership, client):
    from joinedup.people.models import Person

    Person.objects.filter(pk=alice.person.pk).update(phone="07700 900 111")
    person_client = Client()
    _ask(person_client, "07700900111")
    run_jobs()
    code = _code(texts.outbox[-1].body)
    assert person_client.post("/you/sign-in/check-your-email/", {"code": code}).status_code == 302
    texts.outbox.clear()
    mail.outbox.clear()
    _reply(partnership, alice, client)
    assert len(texts.outbox) == 1 and mail.outbox == []


def test_the_reply_goes_by_email_when_the_person_has_one_and_did_not_choose_text(alice, partnership, client):
    from joinedup.people.models import Person

    Person.objects.filter(pk=alice.person.pk).update(phone="07700 900 111")
    _reply(partnership, alice, client)
    assert texts.outbox == [] and [m.to for m in mail.outbox if "replied" in m.subject] == [[alice.email]]
