"""Two-factor sign-in for the demo's users (issue 17, decision 018).

Every demo user whose role needs a second factor gets a confirmed authenticator device (django-otp
TOTP) holding one demo key, made per checkout and kept in var/demo_totp_key (never in the
repository), as the demo password is. `make run` prints the key, to add to an authenticator app
once for all the demo users, and `make demo-code` prints the code it shows now. Only the demo
does this; the commands refuse to run under production settings.
"""

from __future__ import annotations

import secrets
import time
from base64 import b32encode
from binascii import unhexlify

from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice

from config.env import BASE_DIR
from joinedup.accounts.policy import two_factor_required
from joinedup.organisations.models import Membership

DEMO_DEVICE = "Demo authenticator (demo key)"


def demo_totp_key() -> str:
    """The demo's authenticator key (hex), made on first use and kept in var/."""
    path = BASE_DIR / "var" / "demo_totp_key"
    path.parent.mkdir(exist_ok=True)
    if not path.exists():
        path.write_text(secrets.token_hex(20), encoding="utf-8")
    return path.read_text(encoding="utf-8").strip()


def demo_key_base32() -> str:
    """The key as an authenticator app asks for it, in groups of four."""
    key = b32encode(unhexlify(demo_totp_key())).decode().rstrip("=")
    return " ".join(key[i : i + 4] for i in range(0, len(key), 4))


def demo_code() -> str:
    """The code an app holding the demo key shows now."""
    totp = TOTP(unhexlify(demo_totp_key()))
    totp.time = time.time()
    return f"{totp.token():06d}"


def demo_devices(members: list[Membership]) -> int:
    """Give each demo user who needs a second factor the demo device. Returns how many have it."""
    key = demo_totp_key()
    given = 0
    for membership in members:
        user = membership.user
        if not two_factor_required(user, [membership]):
            continue
        TOTPDevice.objects.update_or_create(user=user, name=DEMO_DEVICE, defaults={"key": key, "confirmed": True})
        given += 1
    return given
