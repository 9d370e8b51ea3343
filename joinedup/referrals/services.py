"""Writes for referrals. Each service validates, runs in one transaction and audits once.

Making a referral is here; what it is made from and its rules are in `intake`, routing it to a
delivery partner in `routing`, its status history in `transitions`. Other apps import all of them
from here.
"""

from __future__ import annotations

import secrets
import uuid
from dataclasses import asdict
from datetime import datetime

from django.db import IntegrityError, transaction
from django.utils import timezone

from joinedup.audit.services import audit_record
from joinedup.audit.verbs import AuditVerb
from joinedup.core.errors import DomainError, NotPermitted
from joinedup.core.events import announce
from joinedup.notifications import services as notify
from joinedup.organisations.models import Membership, Organisation, OrganisationKind, Role
from joinedup.organisations.permissions import Perm, has_perm
from joinedup.people.choices import ConsentPurpose
from joinedup.people.services import consent_record, person_create
from joinedup.people.validators import normalise_nhs_number, normalise_phone, normalise_postcode

from . import routes, statuses
from .events import Received, ReferralEvent
from .intake import ReferralInput, ReferralInvalid, referral_problems
from .jobs import duplicate_check_key, referral_duplicate_check
from .models import Referral
from .routing import referral_assign, referral_decline, referral_route
from .transitions import _change_status, _record_status_change

__all__ = [
    "PUBLIC_ORGANISATION",
    "PUBLIC_USERNAME",
    "ReferralInput",
    "ReferralInvalid",
    "public_membership",
    "referral_assign",
    "referral_create",
    "referral_decline",
    "referral_mark_enrolled",
    "referral_problems",
    "referral_route",
]

_REFERENCE_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"  # no 0/O or 1/I


def _clean(data: ReferralInput) -> ReferralInput:
    """The service's own guard: whatever the channel, the same rules in plain English."""
    errors = referral_problems(asdict(data))
    if errors:
        raise ReferralInvalid(errors)
    return ReferralInput(
        given_name=data.given_name.strip(),
        family_name=data.family_name.strip(),
        date_of_birth=data.date_of_birth,
        postcode=normalise_postcode(data.postcode),
        employment_status=data.employment_status,
        health_condition=data.health_condition,
        help_wanted=data.help_wanted.strip(),
        consent_referral=True,
        consent_share_progress=bool(data.consent_share_progress),
        email=data.email.strip().lower(),
        phone=normalise_phone(data.phone),
        nhs_number=normalise_nhs_number(data.nhs_number) if data.nhs_number.strip() else "",
        benefits=sorted(set(data.benefits)),
        route=data.route,
        details={k: v.strip() if isinstance(v, str) else v for k, v in data.details.items()},
        national_insurance_number=(
            routes.normalise_nino(data.national_insurance_number) if data.national_insurance_number.strip() else ""
        ),
        notify_person=bool(data.notify_person),
        requester=dict(data.requester),
    )


def _new_reference() -> str:
    return "JU-" + "".join(secrets.choice(_REFERENCE_ALPHABET) for _ in range(7))


def _unused_reference() -> str:
    for _ in range(5):
        reference = _new_reference()
        if not Referral.objects.filter(reference=reference).exists():
            break
    return reference


def referral_create(
    *, actor: Membership, data: ReferralInput, submission_key: uuid.UUID | None = None, channel: str = "web"
) -> tuple[Referral, bool]:
    """Create a referral (person, consents, status history, audit). Returns (referral, created).

    A submission key already used returns the first referral unchanged, so a double-clicked form
    or a retried API call never makes two referrals.
    """
    if not has_perm(actor, Perm.REFERRAL_CREATE):
        raise NotPermitted("You do not have permission to make referrals.")
    _check_route(actor, routes.ROUTES.get(data.route))
    existing = _by_submission_key(actor, submission_key)
    if existing is not None:
        return existing, False
    clean = _clean(data)
    try:
        with transaction.atomic():
            referral = _create(actor=actor, data=clean, submission_key=submission_key, channel=channel)
    except IntegrityError:
        # Two requests with one key raced; the other one won. Return its referral (if it is ours).
        existing = _by_submission_key(actor, submission_key)
        if existing is not None:
            return existing, False
        raise
    return referral, True


def _check_route(actor: Membership, route: routes.Route | None) -> None:
    """Whether the actor's organisation may refer this way (the public site alone refers as `self`)."""
    if route is not None and route.code == routes.SELF:
        if not _is_public(actor):
            raise DomainError("Only the public site makes self-referrals.", field="route")
    elif route is not None and actor.organisation.kind not in route.kinds:
        raise DomainError(f"Your organisation cannot refer as {route.referrer}.", field="route")


def _by_submission_key(actor: Membership, submission_key: uuid.UUID | None) -> Referral | None:
    """The referral already made with this key by the actor's organisation, if any.

    A key another organisation used is refused without saying whose referral it made (the key is
    unique across organisations, so it cannot be treated as a new submission)."""
    if submission_key is None:
        return None
    existing = Referral.objects.filter(submission_key=submission_key).first()
    if existing is not None and existing.referring_organisation_id != actor.organisation_id:
        raise DomainError("That submission key has already been used.")
    return existing


def _create(*, actor: Membership, data: ReferralInput, submission_key: uuid.UUID | None, channel: str) -> Referral:
    user, org = actor.user, actor.organisation
    person = person_create(
        given_name=data.given_name,
        family_name=data.family_name,
        date_of_birth=data.date_of_birth,
        email=data.email,
        phone=data.phone,
        postcode=data.postcode,
        nhs_number=data.nhs_number,
        national_insurance_number=data.national_insurance_number,
        created_by=user,
    )
    consent_record(
        person=person, purpose=ConsentPurpose.REFERRAL, given=True, recorded_by=user, recorded_by_organisation=org
    )
    consent_record(
        person=person,
        purpose=ConsentPurpose.SHARE_PROGRESS,
        given=data.consent_share_progress,
        recorded_by=user,
        recorded_by_organisation=org,
        about_organisation=org,
    )
    if data.notify_person:  # checked above: there is an email address to tell them at
        consent_record(
            person=person,
            purpose=ConsentPurpose.NOTIFY_PERSON,
            given=True,
            recorded_by=user,
            recorded_by_organisation=org,
        )
    now = timezone.now()
    referral = Referral.objects.create(
        reference=_unused_reference(),
        person=person,
        referring_organisation=org,
        employment_status=data.employment_status,
        benefits=data.benefits,
        health_condition=data.health_condition,
        help_wanted=data.help_wanted,
        route=data.route,
        details={k: v for k, v in data.details.items() if k != "national_insurance_number"},
        status=statuses.RECEIVED,
        status_changed_at=now,
        submission_key=submission_key,
        requester=data.requester,
        created_by=user,
    )
    _received(referral=referral, actor=actor, at=now, channel=channel)
    return referral


def _received(*, referral: Referral, actor: Membership, at: datetime, channel: str) -> None:
    """The new referral's first status, its event, its one audit event and the referrer's notice."""
    _record_status_change(referral=referral, from_status="", to=statuses.RECEIVED, at=at, actor=actor, reason="")
    announce(
        ReferralEvent.RECEIVED,
        Received(referral_id=referral.pk, person_id=referral.person_id, received_at=referral.created_at),
    )
    audit_record(
        actor=actor.user,
        verb=AuditVerb.CREATED,
        target=referral,
        organisation=actor.organisation,
        person_id=referral.person_id,
        channel=channel,
        payload={"reference": referral.reference, "route": referral.route},
    )
    notify.referral_event(referral=referral, event="received")
    # The duplicate check runs in the background as the referral arrives (issue 19).
    referral_duplicate_check.enqueue(key=duplicate_check_key(referral.pk), referral=referral.pk)


# The public site's self-referrals are made by one system account in one organisation, so every
# referral still has a referring organisation and an actor, and goes through `referral_create`.
PUBLIC_ORGANISATION = "Self-referral (public website)"
PUBLIC_USERNAME = "public-self-referral"


def _is_public(actor: Membership) -> bool:
    return actor.organisation.name == PUBLIC_ORGANISATION and actor.user.username == PUBLIC_USERNAME


def public_membership() -> Membership:
    """The membership the public self-referral form acts as (made on first use; it cannot sign in)."""
    from django.contrib.auth import get_user_model

    org, _ = Organisation.objects.get_or_create(
        name=PUBLIC_ORGANISATION, defaults={"kind": OrganisationKind.OTHER_REFERRER}
    )
    user, created = get_user_model().objects.get_or_create(
        username=PUBLIC_USERNAME, defaults={"first_name": "Public", "last_name": "website"}
    )
    if created:
        user.set_unusable_password()
        user.save(update_fields=["password"])
    membership, _ = Membership.objects.get_or_create(user=user, organisation=org, role=Role.REFERRER)
    return membership


def referral_mark_enrolled(*, referral: Referral, actor: Membership, at=None) -> None:
    """Called by the cases service inside its transaction when the person is enrolled."""
    _change_status(referral=referral, actor=actor, to=statuses.ENROLLED, reason="Enrolled on the programme", at=at)
