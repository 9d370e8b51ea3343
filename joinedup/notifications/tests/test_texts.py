"""Text messages (decision 028): the setting chooses the backend; the memory one keeps what it sent;
the GOV.UK Notify one makes Notify's send-SMS call through the official client (here to a
Notify-shaped server on the loopback: nothing leaves the machine)."""

from __future__ import annotations

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.test import override_settings
from notifications_python_client.authentication import decode_jwt_token

from joinedup.notifications import texts

from .test_notify_backend import API_KEY, SECRET, TEMPLATE_ID, FakeNotify, notify  # noqa: F401 - the fixture


@pytest.fixture(autouse=True)
def _outbox():
    texts.outbox.clear()
    yield
    texts.outbox.clear()


def test_tests_keep_texts_in_the_outbox() -> None:
    texts.text_send(number="+44 7700 900 982", body="Your code is 123456", reference="r-1")
    assert texts.outbox == [texts.Text("07700900982", "Your code is 123456", "r-1")]


def test_a_text_to_a_number_that_is_not_a_mobile_is_refused() -> None:
    with pytest.raises(ValueError, match="mobile"):
        texts.text_send(number="01632 960001", body="x", reference="r")
    with pytest.raises(ValueError, match="at most"):
        texts.text_send(number="07700900982", body="x" * (texts.TEXT_MAX + 1), reference="r")
    assert texts.outbox == []


@override_settings(SMS_BACKEND="joinedup.notifications.texts.ConsoleTextBackend")
def test_development_prints_the_text(capsys) -> None:
    texts.text_send(number="07700900982", body="Your code is 123456", reference="r-2")
    assert "Your code is 123456" in capsys.readouterr().out
    assert texts.outbox == []


def test_the_notify_backend_makes_notifys_send_sms_call(notify: str) -> None:  # noqa: F811
    with override_settings(
        SMS_BACKEND="joinedup.notifications.texts.NotifyTextBackend",
        NOTIFY_API_KEY=API_KEY,
        NOTIFY_SMS_TEMPLATE_ID=TEMPLATE_ID,
        NOTIFY_BASE_URL=notify,
    ):
        texts.text_send(number="07700 900 982", body="Your code is 123456", reference="sign-in:1")
    [request] = FakeNotify.requests
    assert request["path"] == "/v2/notifications/sms"
    assert request["json"] == {
        "phone_number": "07700900982",
        "template_id": TEMPLATE_ID,
        "personalisation": {"body": "Your code is 123456"},
        "reference": "sign-in:1",
    }
    assert decode_jwt_token(request["headers"]["Authorization"].removeprefix("Bearer "), SECRET) is True
    assert texts.outbox == []


@override_settings(NOTIFY_API_KEY="", NOTIFY_SMS_TEMPLATE_ID="")
def test_the_notify_backend_needs_its_settings() -> None:
    with pytest.raises(ImproperlyConfigured):
        texts.NotifyTextBackend()
