"""Reads about sign-ins: whether a user has two-factor set up, which sign-ins are locked out now."""

from __future__ import annotations

from base64 import b32encode
from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING, Any

import segno
from axes.models import AccessAttempt
from django.conf import settings
from django.contrib.auth import get_user_model
from django.db.models import Max, QuerySet, Sum
from django.utils import timezone
from django_otp import devices_for_user
from django_otp.plugins.otp_static.models import StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from .policy import check_manager

if TYPE_CHECKING:
    from joinedup.organisations.permissions import Membership  # the type only (contract 2: not models)


def has_two_factor(*, user: Any) -> bool:
    """Whether the user has a confirmed authenticator app."""
    return TOTPDevice.objects.filter(user=user, confirmed=True).exists()


def recovery_codes_left(*, user: Any) -> int:
    return StaticToken.objects.filter(device__user=user, device__confirmed=True).count()


def qr_code_svg(*, device: TOTPDevice) -> str:
    """The device's otpauth:// address as a QR code, an inline SVG made here (no outside service)."""
    return segno.make(device.config_url, error="m").svg_inline(
        scale=5, title="QR code for your authenticator app", dark="#0b0c0c", light="#ffffff"
    )


def key_in_groups(*, device: TOTPDevice) -> str:
    """The key as an app asks for it when typed in (base32), in groups of four."""
    key = b32encode(device.bin_key).decode().rstrip("=")
    return " ".join(key[i : i + 4] for i in range(0, len(key), 4))


@dataclass(frozen=True)
class Lockout:
    username: str
    ip_address: str
    failures: int
    last_attempt: datetime


@dataclass(frozen=True)
class AccountStatus:
    user: object
    two_factor: bool
    recovery_codes: int
    devices: list[str]
    locked: bool


def _recent_attempts() -> QuerySet[Any]:
    attempts = AccessAttempt.objects.all()
    cooloff = settings.AXES_COOLOFF_TIME
    if cooloff is not None:
        attempts = attempts.filter(attempt_time__gte=timezone.now() - cooloff)
    return attempts


def _locked(by: str) -> list[dict]:
    """Usernames (or client addresses) whose wrong passwords, added up, reach the limit."""
    return list(
        _recent_attempts()
        .exclude(**{by: None})
        .values(by)
        .annotate(failures=Sum("failures_since_start"), last=Max("attempt_time"))
        .filter(failures__gte=settings.AXES_FAILURE_LIMIT)
        .order_by("-last")[:200]
    )


def lockouts(*, actor: Membership) -> list[Lockout]:
    """The sign-ins locked out now: by username (wherever tried from) and by client address (whatever
    usernames were tried), as django-axes counts them (AXES_LOCKOUT_PARAMETERS)."""
    check_manager(actor)
    by_user = [Lockout(r["username"], "", r["failures"], r["last"]) for r in _locked("username")]
    by_address = [Lockout("", r["ip_address"], r["failures"], r["last"]) for r in _locked("ip_address")]
    return by_user + by_address


def account_status(*, actor: Membership, username: str) -> AccountStatus | None:
    """What an administrator needs to help one user sign in, or None when there is no such user."""
    check_manager(actor)
    user = get_user_model().objects.filter(username=username).first()
    if user is None:
        return None
    return AccountStatus(
        user=user,
        two_factor=has_two_factor(user=user),
        recovery_codes=recovery_codes_left(user=user),
        devices=[d.name for d in devices_for_user(user, confirmed=True)],
        locked=any(r["username"] == username for r in _locked("username")),
    )
