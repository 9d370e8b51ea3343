"""What the person does on their own pages, and the adviser's reply to them (decision 022).

Every write goes through the owning app's service (cases for the plan and the contact log, people
for consent, governance for the data download), which checks the rules and writes the one audit
event, as the person's own. A record the person names by its id is looked up among their own
(404 otherwise) before anything is done."""

from __future__ import annotations

import secrets
from datetime import timedelta
from typing import Any

from django.conf import settings
from django.db import transaction
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _

from joinedup.audit.services import audit_record
from joinedup.audit.verbs import AuditVerb
from joinedup.cases.selectors import case_of_person, plan_action_get
from joinedup.cases.services import contact_from_person, contact_reply_to_person, plan_action_done_by_person
from joinedup.core.errors import DomainError
from joinedup.core.urls import reverse
from joinedup.governance.services import subject_access_for_person
from joinedup.jobs.registry import Progress, job
from joinedup.notifications.services import email_send
from joinedup.notifications.texts import normalised_mobile, text_send
from joinedup.organisations.permissions import Membership
from joinedup.people.selectors import consent_for_person
from joinedup.people.services import PERSON_CHANNEL, consent_withdraw_by_person

from .models import Message, PlanShare, SignIn
from .signin import EMAIL, TEXT, digest

SHARE_DAYS = (7, 30, 90)  # how long the person may share their plan for
SHARED_WITH_MAX = 100


def own_case(person: Any) -> Any:
    """The person's case, or 404: the plan, messages and sharing need one."""
    case = case_of_person(person=person)
    if case is None:
        raise Http404("You do not have a case yet")
    return case


def action_mark_done(*, person: Any, action_id: object) -> Any:
    """Mark one of the person's plan actions done, today."""
    action = plan_action_get(case=own_case(person), pk=str(action_id))
    return plan_action_done_by_person(action=action)


def _message(person: Any, case: Any, text: str, *, action: Any = None) -> Message:
    about = _("Note on the action “%(action)s”") % {"action": action.description[:80]} if action else ""
    with transaction.atomic():
        contact = contact_from_person(case=case, text=text, about=about)
        return Message.objects.create(
            person=person, case=case, from_person=True, text=text.strip(), action=action, contact=contact
        )


def message_send(*, person: Any, text: str) -> Message:
    """A message to the adviser: on the case's contact log and in the adviser's caseload."""
    return _message(person, own_case(person), text)


def action_note_add(*, person: Any, action_id: object, text: str) -> Message:
    """A note on one of the person's plan actions: kept with the action, and on the contact log."""
    case = own_case(person)
    return _message(person, case, text, action=plan_action_get(case=case, pk=str(action_id)))


def consent_withdraw(*, person: Any, consent_id: object) -> Any:
    """Withdraw one of the person's sharing consents, at once (the adviser's page's service)."""
    return consent_withdraw_by_person(consent=consent_for_person(person=person, pk=str(consent_id)), person=person)


def data_download(*, person: Any) -> Any:
    """Everything held about the person (the subject access export), audited as their own."""
    return subject_access_for_person(person=person, file_format="json")


def plan_share_create(*, person: Any, shared_with: str, days: int) -> tuple[PlanShare, str]:
    """A read-only link to the person's plan for `days` days. Returns the share and its link's token
    (shown once, to the person; only its digest is kept)."""
    case = own_case(person)
    shared_with = " ".join(shared_with.split())
    if not shared_with:
        raise DomainError(_("Enter who you are sharing your plan with"), field="shared_with")
    if len(shared_with) > SHARED_WITH_MAX:
        raise DomainError(
            _("Who you are sharing with must be %(n)s characters or fewer") % {"n": SHARED_WITH_MAX},
            field="shared_with",
        )
    if days not in SHARE_DAYS:
        raise DomainError(_("Select how long to share your plan for"), field="days")
    token = secrets.token_urlsafe(24)
    with transaction.atomic():
        share = PlanShare.objects.create(
            person=person,
            case=case,
            shared_with=shared_with,
            token_digest=digest("share", token),
            expires_at=timezone.now() + timedelta(days=days),
        )
        _audit(person, AuditVerb.PLAN_SHARED, share, days=days)
    return share, token


def plan_share_end(*, person: Any, share_id: object) -> PlanShare:
    """Stop a shared link now (a second stop changes nothing)."""
    try:
        share = PlanShare.objects.get(pk=str(share_id), person=person)
    except (PlanShare.DoesNotExist, ValueError, TypeError) as exc:
        raise Http404("No such shared link") from exc
    with transaction.atomic():
        if PlanShare.objects.filter(pk=share.pk, ended_at__isnull=True).update(ended_at=timezone.now()):
            _audit(person, AuditVerb.SHARE_ENDED, share)
    share.refresh_from_db()
    return share


def _audit(person: Any, verb: AuditVerb, target: Any, **payload: Any) -> None:
    audit_record(actor=None, verb=verb, target=target, person_id=person.pk, channel=PERSON_CHANNEL, payload=payload)


def adviser_reply(*, actor: Membership, case: Any, text: str, duration_minutes: int) -> Message:
    """The adviser answers the person: a contact on the log (the cases service checks permission
    and audits it), the reply kept for the person's pages, and an email that only says there is a
    reply and where to sign in, never what it says (by text instead when `reply_channel` says)."""
    with transaction.atomic():
        contact = contact_reply_to_person(case=case, actor=actor, text=text, duration_minutes=duration_minutes)
        message = Message.objects.create(
            person_id=case.person_id,
            case=case,
            from_person=False,
            text=text.strip(),
            contact=contact,
            created_by=actor.user,
        )
        reply_notify.enqueue(key=f"portal-reply:{message.pk}", message=message.pk)
    return message


def _sign_in_link() -> str:
    return str(settings.SITE_URL).rstrip("/") + reverse("portal:sign_in")


def reply_email() -> tuple[str, str]:
    return _("Your adviser has replied to your message"), _(
        "Your adviser has replied to your message. To read it, sign in to see your support:\n\n%(link)s"
    ) % {"link": _sign_in_link()}


def reply_text() -> str:
    return _("Joined Up: your adviser has replied to your message. Sign in to read it: %(link)s") % {
        "link": _sign_in_link()
    }


def reply_channel(person: Any) -> str:
    """How the person is told of a reply: by text when they have a UK mobile on record and either no
    email address or they chose text (their last sign-in was by text); else by email; "" if neither."""
    mobile = normalised_mobile(person.phone)
    if mobile:
        last = SignIn.objects.filter(person=person, used_at__isnull=False).order_by("-used_at").first()
        if not person.email or (last is not None and last.channel == TEXT):
            return TEXT
    return EMAIL if person.email else ""


@job(label="Tell a person their adviser has replied", max_attempts=5, backoff_seconds=60, lease_seconds=60)
def reply_notify(*, message: str, progress: Progress) -> dict[str, int]:
    found = Message.objects.select_related("person").filter(pk=message).first()
    channel = reply_channel(found.person) if found is not None else ""
    if found is None or not channel:
        return {"sent": 0}
    reference = f"reply:{found.pk}"
    if channel == TEXT:
        text_send(number=found.person.phone, body=reply_text(), reference=reference)
    else:
        subject, body = reply_email()
        email_send(address=found.person.email, subject=subject, body=body, reference=reference)
    audit_record(
        actor=None,
        verb=AuditVerb.NOTIFIED,
        target=found,
        person_id=found.person_id,
        channel=channel,
        payload={"event": "adviser_replied", "recipient": "person"},
    )
    return {"sent": 1}
