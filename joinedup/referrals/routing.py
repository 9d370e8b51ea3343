"""Routing referrals: the triage officer sends one to a delivery partner, the partner accepts (is
assigned) or declines it. Each service checks permission, runs in one transaction and audits once."""

from __future__ import annotations

import uuid

from django.db import transaction

from joinedup.audit.services import audit_record
from joinedup.audit.verbs import AuditVerb
from joinedup.core.errors import DomainError, NotPermitted
from joinedup.core.events import announce
from joinedup.notifications import services as notify
from joinedup.organisations.models import Membership, Organisation, OrganisationKind, Role
from joinedup.organisations.permissions import Perm, has_perm

from . import statuses
from .events import PartnerChanged, ReferralEvent
from .models import Referral
from .transitions import _change_status


def _partner_changed(referral: Referral, new_partner_id: uuid.UUID | None, *, to: str) -> None:
    """Announce that the referral is moving to another partner (or to none), before it is saved."""
    if referral.delivery_partner_id == new_partner_id:
        return
    announce(
        ReferralEvent.PARTNER_CHANGED,
        PartnerChanged(
            referral_id=referral.pk,
            old_partner_id=referral.delivery_partner_id,
            new_partner_id=new_partner_id,
            received_at=referral.created_at,
            status=to,
        ),
    )


def _check_reason(reason: str) -> str:
    if len(reason) > 1000:
        raise DomainError("The reason must be 1,000 characters or fewer.", field="reason")
    return reason.strip()


def _check_service(service):
    from joinedup.directory.models import Lifecycle

    if service is not None and (service.lifecycle != Lifecycle.PUBLISHED or service.archived_at is not None):
        raise DomainError("Choose a service that is published in the directory.", field="service")
    return service


def referral_route(
    *,
    referral: Referral,
    actor: Membership,
    delivery_partner: Organisation,
    service=None,
    reason: str = "",
) -> Referral:
    """The triage officer sends a referral to a delivery partner, who then accepts or declines it.

    Works for a new referral and for one a partner declined (re-routing: nothing is keyed again).
    """
    if not has_perm(actor, Perm.REFERRAL_TRIAGE_ALL):
        raise NotPermitted("You do not have permission to route referrals.")
    if delivery_partner.kind != OrganisationKind.DELIVERY_PARTNER or delivery_partner.archived_at is not None:
        raise DomainError("Choose a delivery partner.", field="delivery_partner")
    _check_service(service)
    reason = _check_reason(reason)
    with transaction.atomic():
        referral = Referral.objects.select_for_update().get(pk=referral.pk)
        rerouted = referral.status == statuses.RETURNED
        _partner_changed(referral, delivery_partner.pk, to=statuses.ROUTED)
        referral.delivery_partner = delivery_partner
        referral.adviser = None
        referral.service = service
        _change_status(referral=referral, actor=actor, to=statuses.ROUTED, reason=reason)
        audit_record(
            actor=actor.user,
            verb=AuditVerb.REFERRED_ON,
            target=referral,
            organisation=actor.organisation,
            person_id=referral.person_id,
            payload={
                "delivery_partner": str(delivery_partner.pk),
                "service": str(service.pk) if service else "",
                "rerouted": rerouted,
                "reason": reason,
            },
        )
    return referral


def referral_assign(
    *,
    referral: Referral,
    actor: Membership,
    delivery_partner: Organisation,
    adviser,
    reason: str = "",
) -> Referral:
    """Give a referral to a delivery partner and one of its Personal Advisers.

    A programme manager may do this for any partner directly. A partner manager does it for their
    own organisation: for a referral routed to them this is *accepting* it.
    """
    if has_perm(actor, Perm.REFERRAL_TRIAGE_ALL):
        pass
    elif has_perm(actor, Perm.REFERRAL_TRIAGE_ORG):
        if delivery_partner.pk != actor.organisation_id:
            raise NotPermitted("You can only assign referrals to your own organisation.")
    else:
        raise NotPermitted("You do not have permission to assign referrals.")
    if delivery_partner.kind != OrganisationKind.DELIVERY_PARTNER:
        raise DomainError("Choose a delivery partner.", field="delivery_partner")
    if not Membership.objects.filter(
        user=adviser, organisation=delivery_partner, role=Role.PERSONAL_ADVISER, archived_at__isnull=True
    ).exists():
        raise DomainError("Choose a Personal Adviser who works for that delivery partner.", field="adviser")
    reason = _check_reason(reason)
    with transaction.atomic():
        referral = Referral.objects.select_for_update().get(pk=referral.pk)  # decide on the current row
        if (
            referral.status == statuses.ROUTED
            and referral.delivery_partner_id != actor.organisation_id
            and not has_perm(actor, Perm.REFERRAL_TRIAGE_ALL)
        ):
            raise NotPermitted("This referral was sent to another delivery partner.")
        accepting = referral.status == statuses.ROUTED and referral.delivery_partner_id == delivery_partner.pk
        if referral.status == statuses.ROUTED and not accepting:
            referral.service = None  # given to another partner than the one routed to
        _partner_changed(referral, delivery_partner.pk, to=statuses.ASSIGNED)
        referral.delivery_partner = delivery_partner
        referral.adviser = adviser
        _change_status(
            referral=referral,
            actor=actor,
            to=statuses.ASSIGNED,
            reason=reason or ("Accepted by the delivery partner" if accepting else ""),
        )
        audit_record(
            actor=actor.user,
            verb=AuditVerb.ASSIGNED,
            target=referral,
            organisation=actor.organisation,
            person_id=referral.person_id,
            payload={
                "delivery_partner": str(delivery_partner.pk),
                "adviser": adviser.pk,
                "reason": reason,
                "accepted": accepting,
            },
        )
        notify.referral_event(referral=referral, event="accepted")
    return referral


def referral_decline(*, referral: Referral, actor: Membership, reason: str = "", reason_code: str = "") -> Referral:
    """Decline a referral with a reason from `statuses.DECLINE_REASONS` (and a note if wanted).

    The delivery partner it was sent to declines it back to triage (`returned`), to be re-routed;
    a programme manager, or a partner manager for a referral not sent to anyone, closes it.
    """
    reason = _check_reason(reason)
    if reason_code and reason_code not in statuses.DECLINE_REASONS:
        raise DomainError("Select why the referral is declined.", field="reason_code")
    if not reason_code:
        if not reason:
            raise DomainError("Select why the referral is declined.", field="reason_code")
        reason_code = "other"
    if statuses.DECLINE_REASONS[reason_code].needs_note and not reason:
        raise DomainError("Enter why the referral is declined.", field="reason")
    with transaction.atomic():
        referral = Referral.objects.select_for_update().get(pk=referral.pk)  # decide on the current row
        to = _decline_to(referral, actor)
        declined_service = referral.service_id  # kept on the history row: the service's responsiveness
        if to == statuses.RETURNED:
            # No longer this partner's: back in triage. The history row keeps who declined and why.
            _partner_changed(referral, None, to=to)
            referral.adviser = None
            referral.delivery_partner = None
            referral.service = None
        change = _change_status(
            referral=referral, actor=actor, to=to, reason=reason, reason_code=reason_code, service_id=declined_service
        )
        audit_record(
            actor=actor.user,
            verb=AuditVerb.STATUS_CHANGED,
            target=referral,
            organisation=actor.organisation,
            person_id=referral.person_id,
            payload={"to": to, "reason_code": reason_code, "reason": reason},
        )
        if to == statuses.DECLINED:  # a partner's decline goes back to triage to be re-routed: not an end
            # As the history shows it: the declared reason's label, then any note.
            notify.referral_event(referral=referral, event="declined", reason=change.reason_text.strip())
    return referral


def _decline_to(referral: Referral, actor: Membership) -> str:
    if has_perm(actor, Perm.REFERRAL_TRIAGE_ALL):
        return statuses.DECLINED
    if has_perm(actor, Perm.REFERRAL_TRIAGE_ORG):
        if referral.delivery_partner_id == actor.organisation_id and referral.status in {
            statuses.ROUTED,
            statuses.ASSIGNED,
        }:
            return statuses.RETURNED
        if referral.delivery_partner_id is None:
            return statuses.DECLINED
    raise NotPermitted("You do not have permission to decline this referral.")
