"""Writes about one's own sign-in and, for administrators, another's: the password, the
authenticator app (TOTP), recovery codes, unlocking a sign-in that was locked out.

Two-factor devices are django-otp's (`TOTPDevice`, `StaticDevice` for recovery codes); lockouts are
django-axes's. Each change is audited once, with the user as its target.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import django_otp
from axes.utils import reset as axes_reset
from django.contrib.auth import update_session_auth_hash
from django.db import transaction
from django.http import HttpRequest
from django_otp.models import Device
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from joinedup.audit.services import audit_record
from joinedup.audit.verbs import AuditVerb
from joinedup.core.errors import DomainError

from .policy import check_manager

APP_DEVICE = "Authenticator app"
RECOVERY_DEVICE = "Recovery codes"
RECOVERY_CODES = 10
WRONG_CODE = "The code is not right. Enter the 6-digit code your authenticator app shows now"

if TYPE_CHECKING:
    from joinedup.organisations.permissions import Membership  # the type only (contract 2: not models)


def _audit(
    *, actor_user: Any, membership: Membership | None, verb: AuditVerb, user: Any, payload: dict[str, Any] | None = None
) -> None:
    audit_record(
        actor=actor_user,
        verb=verb,
        target=user,
        organisation=membership.organisation if membership else None,
        payload=payload or {},
    )


def password_change(*, request: HttpRequest, form: Any) -> None:
    """Save a valid PasswordChangeForm; this session stays signed in, every other one ends."""
    with transaction.atomic():
        user = form.save()
        update_session_auth_hash(request, user)
        _audit(
            actor_user=user, membership=getattr(request, "membership", None), verb=AuditVerb.PASSWORD_CHANGED, user=user
        )


def totp_device_pending(*, user: Any) -> TOTPDevice:
    """The authenticator app being set up: its key is shown until a code from it confirms it."""
    device = TOTPDevice.objects.filter(user=user, confirmed=False).order_by("-id").first()
    return device or TOTPDevice.objects.create(user=user, name=APP_DEVICE, confirmed=False)


def totp_device_confirm(*, request: HttpRequest, device: TOTPDevice, code: str) -> list[str]:
    """Confirm the app being set up with a code it shows; sign this session in with it; replace any
    earlier app and recovery codes. Returns the new recovery codes (shown once)."""
    user = request.user
    if device.user_id != user.pk or device.confirmed:
        raise DomainError("Start setting up two-factor sign-in again.", field="code")
    if not device.verify_token(_digits(code)):
        raise DomainError(WRONG_CODE, field="code")
    with transaction.atomic():
        TOTPDevice.objects.filter(user=user).exclude(pk=device.pk).delete()
        device.confirmed = True
        device.save(update_fields=["confirmed"])
        codes = _new_recovery_codes(user)
        membership = getattr(request, "membership", None)
        _audit(actor_user=user, membership=membership, verb=AuditVerb.TWO_FACTOR_SET_UP, user=user)
    django_otp.login(request, device)
    return codes


def two_factor_verify(*, request: HttpRequest, code: str) -> Device:
    """Sign this session in with a code from the user's app or one of their recovery codes (each
    recovery code works once). django-otp slows repeated wrong codes down (throttling)."""
    code = _digits(code)
    device = django_otp.match_token(request.user, code) if code else None
    if device is None:
        raise DomainError(
            "The code is not right. Enter the 6-digit code your authenticator app shows now, or a recovery code",
            field="code",
        )
    django_otp.login(request, device)
    return device


def recovery_codes_issue(*, request: HttpRequest) -> list[str]:
    """New recovery codes for the signed-in user; the old ones stop working."""
    user = request.user
    with transaction.atomic():
        codes = _new_recovery_codes(user)
        membership = getattr(request, "membership", None)
        _audit(actor_user=user, membership=membership, verb=AuditVerb.RECOVERY_CODES_ISSUED, user=user)
    return codes


def _new_recovery_codes(user: Any) -> list[str]:
    StaticDevice.objects.filter(user=user).delete()
    device = StaticDevice.objects.create(user=user, name=RECOVERY_DEVICE, confirmed=True)
    codes = [StaticToken.random_token() for _ in range(RECOVERY_CODES)]
    StaticToken.objects.bulk_create([StaticToken(device=device, token=c) for c in codes])
    return codes


def _digits(code: str) -> str:
    return "".join(ch for ch in code if not ch.isspace())


def two_factor_reset(*, actor: Membership, user: Any) -> None:
    """An administrator removes a user's authenticator app and recovery codes (a lost phone): at
    their next request the user is asked to set up two-factor sign-in again."""
    check_manager(actor)
    if user.pk == actor.user_id:
        raise DomainError("Ask another administrator to reset your own two-factor sign-in.")
    with transaction.atomic():
        removed = [d.name for d in django_otp.devices_for_user(user, confirmed=None)]
        TOTPDevice.objects.filter(user=user).delete()
        StaticDevice.objects.filter(user=user).delete()
        _audit(
            actor_user=actor.user,
            membership=actor,
            verb=AuditVerb.TWO_FACTOR_RESET,
            user=user,
            payload={"removed": removed},
        )


def sign_in_unlock(*, actor: Membership, user: Any = None, ip_address: str = "") -> int:
    """An administrator unlocks a sign-in locked after too many wrong passwords: for a user (their
    username, wherever they tried from), or for a client address. Returns how many lockouts ended."""
    check_manager(actor)
    if user is None and not ip_address:
        raise DomainError("Say which user or which address to unlock.")
    with transaction.atomic():
        ended = axes_reset(username=user.get_username()) if user is not None else axes_reset(ip=ip_address)
        audit_record(
            actor=actor.user,
            verb=AuditVerb.SIGN_IN_UNLOCKED,
            target=user if user is not None else actor.user,
            organisation=actor.organisation,
            payload={"username": user.get_username()} if user is not None else {"ip_address": ip_address},
        )
    return ended
