"""Writes for referrals. Each service validates, runs in one transaction and audits once."""

from __future__ import annotations

import secrets
import uuid
from collections.abc import Callable, Mapping
from dataclasses import asdict, dataclass, field
from datetime import date
from typing import Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from joinedup.audit.services import audit_record
from joinedup.audit.verbs import AuditVerb
from joinedup.core.errors import DomainError, NotPermitted
from joinedup.core.events import announce
from joinedup.notifications import services as notify
from joinedup.organisations.models import Membership, Organisation, OrganisationKind, Role
from joinedup.organisations.permissions import Perm, has_perm
from joinedup.people.choices import Benefit, ConsentPurpose, EmploymentStatus, HealthCondition
from joinedup.people.services import consent_record, person_create
from joinedup.people.validators import (
    normalise_nhs_number,
    normalise_phone,
    normalise_postcode,
    validate_date_of_birth,
)

from . import routes, statuses
from .events import PartnerChanged, Received, ReferralEvent
from .models import Referral, ReferralStatusChange

_REFERENCE_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"  # no 0/O or 1/I


@dataclass(frozen=True)
class ReferralInput:
    given_name: str
    family_name: str
    date_of_birth: date
    postcode: str
    employment_status: str
    health_condition: str
    help_wanted: str
    consent_referral: bool
    consent_share_progress: bool
    email: str = ""
    phone: str = ""
    nhs_number: str = ""
    benefits: list[str] = field(default_factory=list)
    route: str = ""  # a code in routes.ROUTES; blank when the channel does not say
    details: dict[str, Any] = field(default_factory=dict)  # the route's own questions
    national_insurance_number: str = ""
    notify_person: bool = False  # the person asked to be told by email how the referral is going


def referral_problems(values: Mapping[str, Any]) -> dict[str, str]:
    """Every broken rule among `values`, as {field: plain-English message}.

    Fields absent from `values` are not checked, so a form can show these alongside its own
    parsing errors (an unreadable date, say) in one error summary, as GOV.UK asks.
    """
    errors: dict[str, str] = {}

    def check(name: str, fn: Callable[[Any], object]) -> None:
        if name not in values:
            return
        try:
            fn(values[name])
        except ValidationError as exc:
            errors[name] = exc.messages[0]

    for name, label in (("given_name", "First name"), ("family_name", "Last name")):
        value = (values.get(name) or "").strip()
        if name not in values:
            continue
        if not value:
            errors[name] = f"Enter the person's {label.lower()}"
        elif len(value) > 100:
            errors[name] = f"{label} must be 100 characters or fewer"
    check("date_of_birth", validate_date_of_birth)
    check("postcode", normalise_postcode)
    check("nhs_number", lambda v: normalise_nhs_number(v) if v.strip() else "")
    check("phone", normalise_phone)
    if "employment_status" in values and values["employment_status"] not in EmploymentStatus.values:
        errors["employment_status"] = "Select the person's employment status"
    if "health_condition" in values and values["health_condition"] not in HealthCondition.values:
        errors["health_condition"] = "Select the main health condition"
    route = routes.ROUTES.get(values.get("route") or "")
    if "benefits" in values:
        benefits = values["benefits"]
        if not benefits and route is not None and route.benefits_may_be_unknown:
            pass  # not known: matching treats it as a question to ask
        elif not benefits or any(b not in Benefit.values for b in benefits):
            errors["benefits"] = "Select the benefits the person gets, or 'None of these'"
        elif Benefit.NONE in benefits and len(benefits) > 1:
            errors["benefits"] = "Select 'None of these' on its own, or select benefits"
    if "help_wanted" in values:
        if not values["help_wanted"].strip():
            errors["help_wanted"] = "Enter what the person wants help with"
        elif len(values["help_wanted"]) > 2000:
            errors["help_wanted"] = "What they want help with must be 2,000 characters or fewer"
    if "consent_referral" in values and not values["consent_referral"]:
        errors["consent_referral"] = "The person must agree to the referral before you can refer them"
    if len(values.get("email") or "") > 254:
        errors["email"] = "Email address must be 254 characters or fewer"
    elif values.get("notify_person") and not (values.get("email") or "").strip():
        errors["email"] = "Enter an email address so the person can be told how the referral is going"
    if values.get("route") and route is None:
        errors["route"] = "Choose how you are referring the person"
    if route is not None:
        if route.nhs_number_required and "nhs_number" in values and not (values["nhs_number"] or "").strip():
            errors.setdefault("nhs_number", "Enter the person's NHS number")
        details = dict(values.get("details") or {})
        if "national_insurance_number" in values and route.field("national_insurance_number"):
            details["national_insurance_number"] = values["national_insurance_number"]
        for name, message in routes.route_problems(route, details).items():
            errors.setdefault(name, message)
    nino = (values.get("national_insurance_number") or "").strip()
    if nino and "national_insurance_number" not in errors:
        try:
            routes.normalise_nino(nino)
        except ValueError:
            errors["national_insurance_number"] = (
                "Enter a National Insurance number in the correct format, like QQ 12 34 56 C"
            )
    return errors


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
    )


class ReferralInvalid(DomainError):
    def __init__(self, errors: dict[str, str]) -> None:
        super().__init__("The referral has problems: " + "; ".join(errors.values()))
        self.errors = errors


def _new_reference() -> str:
    return "JU-" + "".join(secrets.choice(_REFERENCE_ALPHABET) for _ in range(7))


def referral_create(
    *, actor: Membership, data: ReferralInput, submission_key: uuid.UUID | None = None, channel: str = "web"
) -> tuple[Referral, bool]:
    """Create a referral (person, consents, status history, audit). Returns (referral, created).

    A submission key already used returns the first referral unchanged, so a double-clicked form
    or a retried API call never makes two referrals.
    """
    if not has_perm(actor, Perm.REFERRAL_CREATE):
        raise NotPermitted("You do not have permission to make referrals.")
    route = routes.ROUTES.get(data.route)
    if route is not None and route.code == routes.SELF:
        if not _is_public(actor):
            raise DomainError("Only the public site makes self-referrals.", field="route")
    elif route is not None and actor.organisation.kind not in route.kinds:
        raise DomainError(f"Your organisation cannot refer as {route.label.lower()}.", field="route")
    if submission_key is not None:
        existing = Referral.objects.filter(submission_key=submission_key).first()
        if existing is not None:
            if existing.referring_organisation_id != actor.organisation_id:
                raise DomainError("That submission key has already been used.")
            return existing, False
    clean = _clean(data)
    try:
        with transaction.atomic():
            referral = _create(actor=actor, data=clean, submission_key=submission_key, channel=channel)
    except IntegrityError:
        # Two requests with one key raced; the other one won. Return its referral.
        if submission_key is not None:
            existing = Referral.objects.filter(submission_key=submission_key).first()
            if existing is not None:
                return existing, False
        raise
    return referral, True


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
    for _ in range(5):
        reference = _new_reference()
        if not Referral.objects.filter(reference=reference).exists():
            break
    referral = Referral.objects.create(
        reference=reference,
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
        created_by=user,
    )
    _record_status_change(referral=referral, from_status="", to=statuses.RECEIVED, at=now, actor=actor, reason="")
    announce(
        ReferralEvent.RECEIVED,
        Received(referral_id=referral.pk, person_id=person.pk, received_at=referral.created_at),
    )
    audit_record(
        actor=user,
        verb=AuditVerb.CREATED,
        target=referral,
        organisation=org,
        person_id=person.pk,
        channel=channel,
        payload={"reference": referral.reference, "route": data.route},
    )
    notify.referral_event(referral=referral, event="received")
    return referral


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


def _record_status_change(
    *,
    referral: Referral,
    from_status: str,
    to: str,
    at,
    actor: Membership,
    reason: str,
    reason_code: str = "",
    service_id=None,
) -> ReferralStatusChange:
    """The one writer of `ReferralStatusChange`: every status a referral takes, from the first.

    Whatever must happen when a referral changes status (telling the referrer, say) hooks here,
    inside the caller's transaction.
    """
    return ReferralStatusChange.objects.create(
        referral=referral,
        from_status=from_status,
        to_status=to,
        at=at,
        by=actor.user,
        by_organisation=actor.organisation,
        reason=reason,
        reason_code=reason_code,
        service_id=service_id,
    )


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


def _change_status(
    *,
    referral: Referral,
    actor: Membership,
    to: str,
    reason: str,
    reason_code: str = "",
    at=None,
    service_id=None,
) -> ReferralStatusChange:
    """The one place a referral's status changes: checks the registry, writes the history row (and
    returns it)."""
    current = statuses.REGISTRY[referral.status]
    target = statuses.REGISTRY[to]
    if to not in current.next:
        raise DomainError(f"A referral that is {current.label.lower()} cannot become {target.label.lower()}.")
    if not any(has_perm(actor, p) for p in target.set_by):
        raise NotPermitted("You do not have permission to make that change.")
    at = at or timezone.now()
    change = _record_status_change(
        referral=referral,
        from_status=referral.status,
        to=to,
        at=at,
        actor=actor,
        reason=reason,
        reason_code=reason_code,
        service_id=service_id or referral.service_id,
    )
    referral.status = to
    referral.status_changed_at = at
    referral.save(update_fields=["status", "status_changed_at", "delivery_partner", "adviser", "service", "updated_at"])
    return change


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


def referral_mark_enrolled(*, referral: Referral, actor: Membership, at=None) -> None:
    """Called by the cases service inside its transaction when the person is enrolled."""
    _change_status(referral=referral, actor=actor, to=statuses.ENROLLED, reason="Enrolled on the programme", at=at)
