"""The GOV.UK Notify backend, with the real client talking to a Notify-shaped server on the loopback."""

from __future__ import annotations

import json
import threading
import uuid
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.core.mail import EmailMessage
from django.test import override_settings
from notifications_python_client.authentication import decode_jwt_token
from notifications_python_client.errors import HTTPError

from joinedup.audit.models import AuditEvent, AuditVerb
from joinedup.notifications.backends import NotifyEmailBackend
from joinedup.notifications.models import Notification, Status
from joinedup.notifications.services import notifications_send

SERVICE_ID = str(uuid.uuid4())
SECRET = str(uuid.uuid4())
API_KEY = f"joinedup_test-{SERVICE_ID}-{SECRET}"
TEMPLATE_ID = str(uuid.uuid4())


class FakeNotify(BaseHTTPRequestHandler):
    """Answers POST /v2/notifications/email as Notify does; records each request."""

    requests: list[dict] = []
    status = 201

    def do_POST(self) -> None:
        body = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
        type(self).requests.append({"path": self.path, "headers": dict(self.headers), "json": body})
        if type(self).status == 201:
            answer = {"id": str(uuid.uuid4()), "reference": body.get("reference"), "content": {}, "template": {}}
        else:
            answer = {"status_code": type(self).status, "errors": [{"error": "BadRequestError", "message": "Bad"}]}
        data = json.dumps(answer).encode()
        self.send_response(type(self).status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def log_message(self, *args) -> None:
        pass


@pytest.fixture
def notify() -> Iterator[str]:
    FakeNotify.requests = []
    FakeNotify.status = 201
    server = ThreadingHTTPServer(("127.0.0.1", 0), FakeNotify)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()


def test_a_message_maps_to_notifys_send_email_call(notify: str) -> None:
    backend = NotifyEmailBackend(api_key=API_KEY, template_id=TEMPLATE_ID, base_url=notify)
    message = EmailMessage(
        "Referral JU-ABC1234 accepted",
        "Partner A has accepted referral JU-ABC1234.\n\nSee what has happened: https://example.org/",
        "no-reply@example.org",
        ["dr.gp@example.nhs.uk"],
        headers={"X-Joinedup-Reference": "n-1"},
    )
    assert backend.send_messages([message]) == 1
    [request] = FakeNotify.requests
    assert request["path"] == "/v2/notifications/email"
    assert request["json"] == {
        "email_address": "dr.gp@example.nhs.uk",
        "template_id": TEMPLATE_ID,
        "personalisation": {"subject": message.subject, "body": message.body},
        "reference": "n-1",
    }
    # Signed as Notify expects: a JWT issued by the service id, signed with the key's secret.
    token = request["headers"]["Authorization"].removeprefix("Bearer ")
    assert decode_jwt_token(token, SECRET) is True


def test_an_error_from_notify_raises_unless_silent(notify: str) -> None:
    FakeNotify.status = 400
    message = EmailMessage("s", "b", "f@example.org", ["x@example.org"])
    with pytest.raises(HTTPError):
        NotifyEmailBackend(api_key=API_KEY, template_id=TEMPLATE_ID, base_url=notify).send_messages([message])
    silent = NotifyEmailBackend(fail_silently=True, api_key=API_KEY, template_id=TEMPLATE_ID, base_url=notify)
    assert silent.send_messages([message]) == 0


@override_settings(NOTIFY_API_KEY="", NOTIFY_EMAIL_TEMPLATE_ID="")
def test_the_backend_needs_its_settings() -> None:
    with pytest.raises(ImproperlyConfigured):
        NotifyEmailBackend()


@pytest.mark.django_db
def test_the_closed_loop_through_notify(partnership, notify: str, django_capture_on_commit_callbacks) -> None:
    partnership.referrer.user.email = "dr.gp@example.nhs.uk"
    partnership.referrer.user.save()
    with override_settings(
        EMAIL_BACKEND="joinedup.notifications.backends.NotifyEmailBackend",
        NOTIFY_API_KEY=API_KEY,
        NOTIFY_EMAIL_TEMPLATE_ID=TEMPLATE_ID,
        NOTIFY_BASE_URL=notify,
    ):
        with django_capture_on_commit_callbacks(execute=True):
            referral = partnership.refer()
        note = Notification.objects.get(referral=referral)
        assert note.status == Status.SENT
        [request] = FakeNotify.requests
        assert request["json"]["email_address"] == "dr.gp@example.nhs.uk"
        assert request["json"]["reference"] == str(note.pk)
        assert referral.reference in request["json"]["personalisation"]["subject"]
        assert AuditEvent.objects.filter(verb=AuditVerb.NOTIFIED, target_id=str(note.pk)).count() == 1

        # Notify refuses the next one: recorded as failed with Notify's message, retried later, sent once.
        FakeNotify.status = 400
        with django_capture_on_commit_callbacks(execute=True):
            referral = partnership.assign(referral)
        failed = Notification.objects.get(referral=referral, event="accepted")
        assert failed.status == Status.FAILED and "400" in failed.last_error
        FakeNotify.status = 201
        assert notifications_send() == {"sent": 1, "failed": 0}
        assert notifications_send() == {"sent": 0, "failed": 0}
        assert len(FakeNotify.requests) == 3  # sent, refused, sent on retry: never twice
