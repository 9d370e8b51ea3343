"""Signing test users in the real way, second factor included (decision 018).

A user whose role sees personal data needs a verified second factor. The test kit gives such a user
a real, confirmed django-otp TOTP device and verifies the session with it exactly as the sign-in
page does (`django_otp.login` stores the device's persistent id in the session): the check stays on
in the tests. `SignInClient` does this in `force_login`, and is the suite's `client` fixture.
`totp_code` gives the code an authenticator app would show now, for tests that type it in.
"""

from __future__ import annotations

import time
from typing import Any

from django.test import Client
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice

from joinedup.accounts.policy import two_factor_required
from joinedup.organisations.models import Membership

TEST_DEVICE = "Test kit authenticator"


def verified_device(user: Any) -> TOTPDevice:
    """The user's confirmed authenticator app (made, with a random key, the first time)."""
    device = TOTPDevice.objects.filter(user=user, confirmed=True).first()
    return device or TOTPDevice.objects.create(user=user, name=TEST_DEVICE, confirmed=True)


def totp_code(device: TOTPDevice) -> str:
    """The code the device's app shows now; if that one was used already, the next one (which the
    device still accepts: its tolerance is one step either side)."""
    device.refresh_from_db()
    totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
    now = time.time()
    totp.time = now
    if totp.t() <= device.last_t:
        totp.time = now + (device.last_t + 1 - totp.t()) * device.step
    return f"{totp.token():0{device.digits}d}"


def needs_two_factor(user: Any) -> bool:
    memberships = Membership.objects.filter(user=user, archived_at__isnull=True)
    return two_factor_required(user, memberships)


class SignInClient(Client):
    """A test client whose `force_login` also verifies the second factor when the user needs one."""

    def force_login(self, user: Any, backend: str | None = None) -> None:
        super().force_login(user, backend)
        if needs_two_factor(user):
            session = self.session
            session[DEVICE_ID_SESSION_KEY] = verified_device(user).persistent_id
            session.save()
