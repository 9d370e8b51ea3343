"""Signing the person in without a password (decision 022).

The person gives the email address or the UK mobile number on their record (decision 028: a
mobile number gets the code, and the link when it fits, by text through `notifications.texts`).
Whether or not it is on a record, a `SignIn` is kept (for the person, or for nobody) and one
background job is queued, so the answer, the work done in the request and the page shown are the
same (no account enumeration). The job, for a known address only, works out the link and the
six-digit code from the sign-in's random nonce and the server's key, sends them through the
notifications app, then clears the nonce: after that only keyed digests of the link and code are
held. Each lasts `SIGN_IN_MINUTES`, is used once, and a code allows `WRONG_CODES_ALLOWED` wrong
tries. Requests are throttled per address and per client (`core.client.client_address`); one
address gets at most `DAY_PER_ADDRESS` codes and `DAY_WRONG_TRIES` wrong tries in 24 hours, however
many codes it asks for. Every refused try on a sign-in is audited.

A used link or code starts a `PersonSession`, apart from staff sessions: a random token in its own
cookie (only its digest kept), ended after `SESSION_IDLE` without use or `SESSION_LONGEST` in all;
signing out ends it, signing out everywhere ends every session of the person.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
from base64 import urlsafe_b64encode
from collections.abc import Callable
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Count, F, Sum
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from joinedup.audit.services import audit_record
from joinedup.audit.verbs import AuditVerb
from joinedup.core.errors import DomainError
from joinedup.core.urls import reverse
from joinedup.jobs.registry import Progress, job
from joinedup.notifications.services import email_send
from joinedup.notifications.texts import normalised_mobile, text_send
from joinedup.people.selectors import person_for_address, person_for_mobile, person_live
from joinedup.people.services import PERSON_CHANNEL
from joinedup.people.validators import normalise_email

from .models import PersonSession, SignIn

SIGN_IN_MINUTES = 15
WRONG_CODES_ALLOWED = 5
THROTTLE_MINUTES = 15
PER_ADDRESS = 3  # sign-in requests for one address in THROTTLE_MINUTES
PER_CLIENT = 10  # sign-in requests from one client address in THROTTLE_MINUTES
DAY = timedelta(hours=24)
DAY_PER_ADDRESS = 10  # sign-in codes for one address in 24 hours
DAY_WRONG_TRIES = 10  # wrong tries at the codes of one address in 24 hours, across all its codes
SESSION_IDLE = timedelta(minutes=20)
SESSION_LONGEST = timedelta(hours=2)


class Throttled(DomainError):
    """Too many sign-in requests: the same answer for every address."""


DAY_LIMIT = gettext_lazy(
    "You have tried to sign in too many times today. Try again tomorrow, or ask your adviser for help."
)


def _day_limit_reached(address_digest: str) -> bool:
    """Whether one address has had its codes, or its wrong tries, for the last 24 hours."""
    today = SignIn.objects.filter(address_digest=address_digest, created_at__gte=timezone.now() - DAY)
    counted = today.aggregate(codes=Count("pk"), wrong=Sum("wrong_tries"))
    return counted["codes"] >= DAY_PER_ADDRESS or (counted["wrong"] or 0) >= DAY_WRONG_TRIES


def digest(purpose: str, value: str) -> str:
    """A keyed digest (HMAC-SHA256 with the server's key) of a secret or an identifier."""
    key = str(settings.SECRET_KEY).encode()
    return hmac.new(key, f"joinedup.portal.{purpose}:{value}".encode(), hashlib.sha256).hexdigest()


def _derived(sign_in: SignIn, what: str) -> bytes:
    return hmac.new(
        str(settings.SECRET_KEY).encode(), f"{what}:{sign_in.pk}:{sign_in.nonce}".encode(), hashlib.sha256
    ).digest()


def _link_token(sign_in: SignIn) -> str:
    return urlsafe_b64encode(_derived(sign_in, "link")).decode().rstrip("=")


def _code(sign_in: SignIn) -> str:
    return f"{int.from_bytes(_derived(sign_in, 'code')[:8], 'big') % 1_000_000:06d}"


def _code_digest(sign_in_id: object, code: str) -> str:
    return digest(f"code.{sign_in_id}", code)


EMAIL, TEXT = "email", "text"


def normalised_address(address: str) -> tuple[str, str]:
    """The address as it is matched and throttled, and how to send to it ("email" or "text"); or
    a plain-English refusal."""
    address = address.strip()
    if "@" in address:
        try:
            return normalise_email(address), EMAIL
        except ValidationError:
            pass  # the refusal below names both kinds of address
    elif mobile := normalised_mobile(address):
        return mobile, TEXT
    raise DomainError(
        _("Enter an email address like name@example.com, or a UK mobile number like 07700 900 982"), field="address"
    )


def _person_for(address: str, channel: str) -> Any:
    return person_for_address(email=address) if channel == EMAIL else person_for_mobile(mobile=address)


def sign_in_request(*, address: str, client: str) -> SignIn:
    """Ask for a sign-in link and code to be sent to `address` (an email address or a UK mobile
    number). The same work and the same answer whether or not the address is on a record;
    `Throttled` past the limits (for every address)."""
    address, channel = normalised_address(address)
    address_digest, client_digest = digest("address", address), digest("client", client or "unknown")
    since = timezone.now() - timedelta(minutes=THROTTLE_MINUTES)
    recent = SignIn.objects.filter(created_at__gte=since)
    if (
        recent.filter(address_digest=address_digest).count() >= PER_ADDRESS
        or recent.filter(client_digest=client_digest).count() >= PER_CLIENT
    ):
        raise Throttled(
            _("You have asked for a sign-in link too many times. Wait %(minutes)s minutes, then try again.")
            % {"minutes": THROTTLE_MINUTES}
        )
    if _day_limit_reached(address_digest):
        raise Throttled(str(DAY_LIMIT))
    person = _person_for(address, channel)
    with transaction.atomic():
        sign_in = SignIn(
            person=person,
            channel=channel,
            address_digest=address_digest,
            client_digest=client_digest,
            nonce=secrets.token_hex(32),
            expires_at=timezone.now() + timedelta(minutes=SIGN_IN_MINUTES),
        )
        sign_in.link_digest = digest("link", _link_token(sign_in))
        sign_in.code_digest = _code_digest(sign_in.pk, _code(sign_in))
        sign_in.save()
        sign_in_deliver.enqueue(key=f"portal-sign-in:{sign_in.pk}", sign_in=sign_in.pk)
    return sign_in


def _link(sign_in: SignIn) -> str:
    return str(settings.SITE_URL).rstrip("/") + reverse("portal:sign_in_link", args=[sign_in.pk, _link_token(sign_in)])


def sign_in_email(sign_in: SignIn) -> tuple[str, str]:
    """The subject and body of the sign-in email: the link and the code, nothing of the record."""
    link = _link(sign_in)
    subject = _("Your sign-in link for Joined Up")
    body = _(
        "Use this link to see your support from Joined Up:\n\n%(link)s\n\n"
        "Or enter this code on the page where you asked: %(code)s\n\n"
        "The link and the code work once, for %(minutes)s minutes. "
        "If you did not ask to sign in, you can ignore this email."
    ) % {"link": link, "code": _code(sign_in), "minutes": SIGN_IN_MINUTES}
    return subject, body


TEXT_WITH_LINK_MAX = 306  # two parts of a text: a longer link is left out, the code is enough


def sign_in_text(sign_in: SignIn) -> str:
    """The sign-in text: the code, and the link if the whole fits in two parts; nothing of the record."""
    values = {"code": _code(sign_in), "minutes": SIGN_IN_MINUTES}
    link = _link(sign_in)
    with_link = _(
        "Your Joined Up sign-in code is %(code)s. Or use this link: %(link)s "
        "They work once, for %(minutes)s minutes. If you did not ask, ignore this text."
    ) % {**values, "link": link}
    if len(with_link) <= TEXT_WITH_LINK_MAX:
        return with_link
    return (
        _(
            "Your Joined Up sign-in code is %(code)s. Enter it on the page where you asked. "
            "It works once, for %(minutes)s minutes. If you did not ask, ignore this text."
        )
        % values
    )


def _deliver(sign_in: SignIn) -> int:
    person, reference = sign_in.person, f"sign-in:{sign_in.pk}"
    if person is None or sign_in.used_at is not None or sign_in.expires_at <= timezone.now():
        return 0
    if sign_in.channel == TEXT:
        if not normalised_mobile(person.phone):
            return 0
        text_send(number=person.phone, body=sign_in_text(sign_in), reference=reference)
        return 1
    if not person.email:
        return 0
    subject, body = sign_in_email(sign_in)
    email_send(address=person.email, subject=subject, body=body, reference=reference)
    return 1


@job(label="Send a person their sign-in link", max_attempts=3, backoff_seconds=10, lease_seconds=60)
def sign_in_deliver(*, sign_in: str, progress: Progress) -> dict[str, int]:
    """Send the link and code (to a known address only, by email or text as asked), then forget
    the nonce they came from."""
    found = SignIn.objects.select_related("person").filter(pk=sign_in).first()
    if found is None or not found.nonce:
        return {"sent": 0}  # already sent (or never to be)
    sent = _deliver(found)
    SignIn.objects.filter(pk=found.pk).update(nonce="", updated_at=timezone.now())
    return {"sent": sent}


REFUSED = gettext_lazy(
    "This sign-in link or code has expired, has been used already or is not right. Ask for a new one."
)


def _refused() -> DomainError:
    return DomainError(str(REFUSED), field="code")


def _why_refused(sign_in: SignIn) -> str:
    """Why a sign-in cannot be used now ("" if it can): for the audit trail, never for the page."""
    if sign_in.used_at is not None:
        return "used"
    if sign_in.expires_at <= timezone.now():
        return "expired"
    if sign_in.wrong_tries >= WRONG_CODES_ALLOWED:
        return "too_many_wrong_tries"
    if _day_limit_reached(sign_in.address_digest):
        return "day_limit"
    return ""


def _audit_refused(sign_in: SignIn, how: str, reason: str) -> None:
    """A refused try, on the person's trail when the address is theirs (a sign-in changed: UPDATED)."""
    audit_record(
        actor=None,
        verb=AuditVerb.UPDATED,
        target=sign_in,
        person_id=sign_in.person_id,
        channel=PERSON_CHANNEL,
        payload={"event": "sign_in_refused", "with": how, "reason": reason},
    )


def _use(sign_in_id: object, check: Callable[[SignIn], bool], how: str) -> tuple[PersonSession, str]:
    """Use a sign-in once: locked, checked (`check` says whether the secret is right), marked used.
    A refused try is audited and kept (the refusal is raised after the commit)."""
    with transaction.atomic():
        try:
            sign_in = SignIn.objects.select_for_update().get(pk=str(sign_in_id))
        except (SignIn.DoesNotExist, ValueError, TypeError) as exc:
            raise _refused() from exc
        reason = _why_refused(sign_in)
        # An address on no record has no right secret: its tries count as wrong ones, the same as
        # a known address's, so the limits say nothing of whether it is known.
        if not reason and sign_in.person_id is not None and check(sign_in):
            sign_in.used_at = timezone.now()
            sign_in.save(update_fields=["used_at", "updated_at"])
            return _session_start(sign_in, how)
        if not reason:
            reason = "wrong_" + how
            SignIn.objects.filter(pk=sign_in.pk).update(wrong_tries=F("wrong_tries") + 1)
        _audit_refused(sign_in, how, reason)
    if reason == "day_limit":
        raise DomainError(str(DAY_LIMIT), field="code")
    raise _refused()


def sign_in_with_link(*, sign_in_id: object, token: str) -> tuple[PersonSession, str]:
    """Sign in with the emailed link. Returns the session and its token (for the cookie only)."""
    return _use(sign_in_id, lambda s: hmac.compare_digest(s.link_digest, digest("link", token)), "link")


def sign_in_with_code(*, sign_in_id: object, code: str) -> tuple[PersonSession, str]:
    """Sign in with the emailed six-digit code, on the browser that asked for it."""
    code = "".join(code.split())
    if len(code) != 6 or not code.isdigit():
        raise DomainError(_("Enter the 6-digit code we sent you"), field="code")
    return _use(sign_in_id, lambda s: hmac.compare_digest(s.code_digest, _code_digest(s.pk, code)), "code")


def sign_in_link_usable(*, sign_in_id: object, token: str) -> bool:
    """Whether a link would sign in now (the page before the button; nothing is used or counted)."""
    sign_in = SignIn.objects.filter(pk=str(sign_in_id)).first()
    return bool(
        sign_in
        and sign_in.person_id
        and not _why_refused(sign_in)
        and hmac.compare_digest(sign_in.link_digest, digest("link", token))
    )


def _session_start(sign_in: SignIn, how: str) -> tuple[PersonSession, str]:
    token = secrets.token_urlsafe(32)
    now = timezone.now()
    session = PersonSession.objects.create(
        person_id=str(sign_in.person_id),
        token_digest=digest("session", token),
        idle_until=now + SESSION_IDLE,
        expires_at=now + SESSION_LONGEST,
        signed_in_with=how,
    )
    audit_record(
        actor=None,
        verb=AuditVerb.SIGNED_IN,
        target=session,
        person_id=sign_in.person_id,
        channel=PERSON_CHANNEL,
        payload={"with": how},
    )
    return session, token


@dataclass(frozen=True)
class SignedIn:
    session: PersonSession
    person: Any


def session_for(*, token: str) -> SignedIn | None:
    """The signed-in person for a session cookie, or None (unknown, ended, idle too long, too old,
    or the person merged away). A session in use is kept alive up to its absolute limit."""
    if not token or len(token) > 100:
        return None
    now = timezone.now()
    session = PersonSession.objects.filter(
        token_digest=digest("session", token), ended_at__isnull=True, idle_until__gt=now, expires_at__gt=now
    ).first()
    if session is None:
        return None
    person = person_live(pk=session.person_id)
    if person is None:
        return None
    idle_until = min(now + SESSION_IDLE, session.expires_at)
    if idle_until - session.idle_until > timedelta(minutes=1):  # at most one write a minute
        PersonSession.objects.filter(pk=session.pk).update(idle_until=idle_until)
    return SignedIn(session, person)


def sign_out(*, session: PersonSession) -> None:
    """End this session (this browser). Audited as the person's own (the session changed: UPDATED)."""
    with transaction.atomic():
        ended = PersonSession.objects.filter(pk=session.pk, ended_at__isnull=True).update(ended_at=timezone.now())
        audit_record(
            actor=None,
            verb=AuditVerb.UPDATED,
            target=session,
            person_id=session.person_id,
            channel=PERSON_CHANNEL,
            payload={"event": "signed_out", "sessions": ended},
        )


def sign_out_everywhere(*, person: Any) -> int:
    """End every session of the person, on every device. Audited as the person's own."""
    with transaction.atomic():
        ended = PersonSession.objects.filter(person=person, ended_at__isnull=True).update(ended_at=timezone.now())
        audit_record(
            actor=None,
            verb=AuditVerb.SIGNED_OUT_EVERYWHERE,
            target=person,
            person_id=person.pk,
            channel=PERSON_CHANNEL,
            payload={"sessions": ended},
        )
    return ended
