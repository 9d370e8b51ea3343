"""A Django email backend that sends through GOV.UK Notify (production option).

Every message goes to one Notify email template whose subject is ``((subject))`` and body
``((body))``, so the wording stays in this code base and one template serves every event. The
message's ``X-Joinedup-Reference`` header becomes Notify's ``reference`` (our notification id), so a
message can be traced from Notify back to its record. Settings: ``NOTIFY_API_KEY``,
``NOTIFY_EMAIL_TEMPLATE_ID``, ``NOTIFY_BASE_URL`` (Notify's API; a test points it at a local server).
"""

from __future__ import annotations

from collections.abc import Sequence

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.core.mail import EmailMessage
from django.core.mail.backends.base import BaseEmailBackend
from notifications_python_client.notifications import NotificationsAPIClient


class NotifyEmailBackend(BaseEmailBackend):
    def __init__(
        self,
        fail_silently: bool = False,
        *,
        api_key: str | None = None,
        template_id: str | None = None,
        base_url: str | None = None,
        **kwargs,
    ) -> None:
        super().__init__(fail_silently=fail_silently, **kwargs)
        self.api_key = api_key or settings.NOTIFY_API_KEY
        self.template_id = template_id or settings.NOTIFY_EMAIL_TEMPLATE_ID
        self.base_url = base_url or settings.NOTIFY_BASE_URL
        if not self.api_key or not self.template_id:
            raise ImproperlyConfigured("Set NOTIFY_API_KEY and NOTIFY_EMAIL_TEMPLATE_ID to send through GOV.UK Notify.")
        self.client: NotificationsAPIClient | None = None

    def open(self) -> bool:
        if self.client is None:
            self.client = NotificationsAPIClient(self.api_key, base_url=self.base_url, timeout=10)
            return True
        return False

    def close(self) -> None:
        self.client = None

    def send_messages(self, email_messages: Sequence[EmailMessage]) -> int:
        if not email_messages:
            return 0
        self.open()
        sent = 0
        for message in email_messages:
            try:
                for address in message.recipients():
                    self.client.send_email_notification(
                        email_address=address,
                        template_id=self.template_id,
                        personalisation={"subject": message.subject, "body": message.body},
                        reference=message.extra_headers.get("X-Joinedup-Reference"),
                    )
            except Exception:
                if not self.fail_silently:
                    raise
                continue
            sent += 1
        return sent
