"""Text messages (SMS) to a person's mobile: the sign-in code and the "your adviser has replied"
nudge (decision 022, decision 028). Never the content of a record: a code, or a link to sign in.

The backend is chosen by the `SMS_BACKEND` setting, as Django chooses its email backend:
- `ConsoleTextBackend` (development): prints the text, so `make run` shows the code;
- `MemoryTextBackend` (tests): keeps each text in `outbox`, as Django's locmem keeps `mail.outbox`;
- `NotifyTextBackend` (production): GOV.UK Notify through its official client, one SMS template
  whose whole body is ``((body))`` (`NOTIFY_SMS_TEMPLATE_ID`), the reference our own.
`text_send` is the one way to send one.
"""

from __future__ import annotations

import re
import sys
from dataclasses import dataclass
from typing import Protocol

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.utils.module_loading import import_string

TEXT_MAX = 612  # four parts of a long text: longer is a mistake in our wording, refused
_MOBILE = re.compile(r"^07[0-9]{9}$")


def normalised_mobile(value: str) -> str:
    """A UK mobile number as 07 and 9 more digits, or "" if `value` is not one. Spaces, brackets,
    dashes and a +44 or 0044 prefix are allowed: "+44 7700 900 982" -> "07700900982"."""
    digits = re.sub(r"[\s()\-.]", "", (value or "").replace("(0)", ""))
    if digits.startswith("+44"):
        digits = "0" + digits[3:]
    elif digits.startswith("0044"):
        digits = "0" + digits[4:]
    elif digits.startswith("44") and len(digits) == 12:
        digits = "0" + digits[2:]
    return digits if _MOBILE.match(digits) else ""


@dataclass(frozen=True)
class Text:
    number: str
    body: str
    reference: str


class ConsoleTextBackend:
    """Development: the text is printed where the server runs."""

    def send(self, text: Text) -> None:
        sys.stdout.write(f"Text message to {text.number} ({text.reference}):\n{text.body}\n{'-' * 40}\n")
        sys.stdout.flush()


outbox: list[Text] = []  # MemoryTextBackend's sent texts (tests read and clear it)


class MemoryTextBackend:
    """Tests: nothing leaves the process; each text is kept in `outbox`."""

    def send(self, text: Text) -> None:
        outbox.append(text)


class NotifyTextBackend:
    """Production: GOV.UK Notify's `send_sms_notification`, with the key and template from the
    environment (`NOTIFY_API_KEY`, `NOTIFY_SMS_TEMPLATE_ID`; `NOTIFY_BASE_URL` for its API)."""

    def __init__(self, *, api_key: str | None = None, template_id: str | None = None, base_url: str | None = None):
        from notifications_python_client.notifications import NotificationsAPIClient

        self.api_key = api_key or settings.NOTIFY_API_KEY
        self.template_id = template_id or settings.NOTIFY_SMS_TEMPLATE_ID
        if not self.api_key or not self.template_id:
            raise ImproperlyConfigured(
                "Set NOTIFY_API_KEY and NOTIFY_SMS_TEMPLATE_ID to send texts through GOV.UK Notify."
            )
        self.client = NotificationsAPIClient(self.api_key, base_url=base_url or settings.NOTIFY_BASE_URL, timeout=10)

    def send(self, text: Text) -> None:
        self.client.send_sms_notification(
            phone_number=text.number,
            template_id=self.template_id,
            personalisation={"body": text.body},
            reference=text.reference,
        )


class TextBackend(Protocol):
    def send(self, text: Text) -> None: ...


def text_backend() -> TextBackend:
    return import_string(str(settings.SMS_BACKEND))()


def text_send(*, number: str, body: str, reference: str) -> None:
    """Send one text to one UK mobile now. For a background job: an exception is the job's failed
    attempt, and the queue retries it."""
    mobile = normalised_mobile(number)
    if not mobile:
        raise ValueError("Not a UK mobile number")
    if len(body) > TEXT_MAX:
        raise ValueError(f"A text may be at most {TEXT_MAX} characters")
    text_backend().send(Text(mobile, body, reference))
