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

from joinedup.audit.models import AuditVerb
from joinedup.audit.services import audit_record
from joinedup.core.errors import DomainError, NotPermitted
from joinedup.notifications import services as notify
from joinedup.organisations.models import Membership, Organisation, OrganisationKind, Role
from joinedup.organisations.permissions import Perm, has_perm
from joinedup.outcomes.models import Measure
from joinedup.outcomes.services import tally_add, tally_move
from joinedup.people.models import ConsentPurpose, Person
from joinedup.people.services import consent_record
from joinedup.people.validators import (
    normalise_nhs_number,
    normalise_phone,
    normalise_postcode,
    validate_date_of_birth,
)

from . import statuses
from .choices import Benefit, EmploymentStatus, HealthCondition
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
    if "benefits" in values:
        benefits = values["benefits"]
        if not benefits or any(b not in Benefit.values for b in benefits):
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
    person = Person.objects.create(
        given_name=data.given_name,
        family_name=data.family_name,
        date_of_birth=data.date_of_birth,
        email=data.email,
        phone=data.phone,
        postcode=data.postcode,
        nhs_number=data.nhs_number,
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
        status=statuses.RECEIVED,
        status_changed_at=now,
        submission_key=submission_key,
        created_by=user,
    )
    ReferralStatusChange.objects.create(
        referral=referral, from_status="", to_status=statuses.RECEIVED, at=now, by=user, by_organisation=org
    )
    tally_add(measure=Measure.REFERRALS, partner_id=None, on=referral.created_at)
    audit_record(
        actor=user,
        verb=AuditVerb.CREATED,
        target=referral,
        organisation=org,
        person_id=person.pk,
        channel=channel,
        payload={"reference": referral.reference},
    )
    notify.referral_event(referral=referral, event="received")
    return referral


def _change_status(
    *,
    referral: Referral,
    actor: Membership,
    to: str,
    reason: str,
    at=None,  # noqa: ANN001
) -> None:
    current = statuses.REGISTRY[referral.status]
    target = statuses.REGISTRY[to]
    if to not in current.next:
        raise DomainError(f"A referral that is {current.label.lower()} cannot become {target.label.lower()}.")
    if not any(has_perm(actor, p) for p in target.set_by):
        raise NotPermitted("You do not have permission to make that change.")
    at = at or timezone.now()
    ReferralStatusChange.objects.create(
        referral=referral,
        from_status=referral.status,
        to_status=to,
        at=at,
        by=actor.user,
        by_organisation=actor.organisation,
        reason=reason,
    )
    referral.status = to
    referral.status_changed_at = at
    referral.save(update_fields=["status", "status_changed_at", "delivery_partner", "adviser", "updated_at"])


def referral_assign(
    *,
    referral: Referral,
    actor: Membership,
    delivery_partner: Organisation,
    adviser,  # noqa: ANN001 - User
    reason: str = "",
) -> Referral:
    """Route a referral to a delivery partner and one of its Personal Advisers."""
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
    if len(reason) > 1000:
        raise DomainError("The reason must be 1,000 characters or fewer.", field="reason")
    with transaction.atomic():
        referral = Referral.objects.select_for_update().get(pk=referral.pk)
        tally_move(
            measure=Measure.REFERRALS,
            old_partner_id=referral.delivery_partner_id,
            new_partner_id=delivery_partner.pk,
            on=referral.created_at,
        )
        referral.delivery_partner = delivery_partner
        referral.adviser = adviser
        _change_status(referral=referral, actor=actor, to=statuses.ASSIGNED, reason=reason)
        audit_record(
            actor=actor.user,
            verb=AuditVerb.ASSIGNED,
            target=referral,
            organisation=actor.organisation,
            person_id=referral.person_id,
            payload={"delivery_partner": str(delivery_partner.pk), "adviser": adviser.pk, "reason": reason},
        )
        notify.referral_event(referral=referral, event="accepted")
    return referral


def referral_decline(*, referral: Referral, actor: Membership, reason: str) -> Referral:
    if not reason.strip():
        raise DomainError("Enter why the referral is declined.", field="reason")
    if len(reason) > 1000:
        raise DomainError("The reason must be 1,000 characters or fewer.", field="reason")
    if not has_perm(actor, Perm.REFERRAL_TRIAGE_ALL) and not (
        has_perm(actor, Perm.REFERRAL_TRIAGE_ORG) and referral.delivery_partner_id in (None, actor.organisation_id)
    ):
        raise NotPermitted("You do not have permission to decline this referral.")
    with transaction.atomic():
        referral = Referral.objects.select_for_update().get(pk=referral.pk)
        _change_status(referral=referral, actor=actor, to=statuses.DECLINED, reason=reason.strip())
        audit_record(
            actor=actor.user,
            verb=AuditVerb.STATUS_CHANGED,
            target=referral,
            organisation=actor.organisation,
            person_id=referral.person_id,
            payload={"to": statuses.DECLINED, "reason": reason.strip()},
        )
        notify.referral_event(referral=referral, event="declined", reason=reason.strip())
    return referral


def referral_mark_enrolled(*, referral: Referral, actor: Membership, at=None) -> None:  # noqa: ANN001
    """Called by the cases service inside its transaction when the person is enrolled."""
    _change_status(referral=referral, actor=actor, to=statuses.ENROLLED, reason="Enrolled on the programme", at=at)
