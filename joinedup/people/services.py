"""Writes for people: creating a person; consent decisions with purpose and expiry, and their withdrawal.

`person_create` is a step inside another service's transaction (`referral_create`), which checks
the acting membership's permission and writes that service's one audit event: the person is
written only here, whoever asks.
"""

from __future__ import annotations

from datetime import date, datetime, time, timedelta

from django.db import transaction
from django.utils import timezone

from joinedup.audit.models import AuditVerb
from joinedup.audit.services import audit_record
from joinedup.core.errors import DomainError, NotPermitted
from joinedup.organisations.models import Membership, Organisation, OrganisationKind
from joinedup.organisations.permissions import Perm, has_perm

from .models import Consent, ConsentPurpose, Person
from .selectors import current_consent

# What an adviser may record or withdraw on the consent page. Consent to the referral is the
# referrer's to record and consent to support is recorded at enrolment.
ADVISER_PURPOSES = (ConsentPurpose.SHARE_PROGRESS, ConsentPurpose.SHARE_GP, ConsentPurpose.NOTIFY_PERSON)
LONGEST_CONSENT_YEARS = 10


def person_create(
    *,
    given_name: str,
    family_name: str,
    date_of_birth: date,
    postcode: str,
    email: str = "",
    phone: str = "",
    nhs_number: str = "",
    national_insurance_number: str = "",
    created_by=None,
) -> Person:
    """A new person, from details the calling service has already checked and normalised.

    A step inside that service's transaction (`referral_create`, whose `referral_problems` and
    `_clean` are the rules): no audit event of its own, the caller's CREATED names the person.
    """
    return Person.objects.create(
        given_name=given_name,
        family_name=family_name,
        date_of_birth=date_of_birth,
        email=email,
        phone=phone,
        postcode=postcode,
        nhs_number=nhs_number,
        national_insurance_number=national_insurance_number,
        created_by=created_by,
    )


def consent_record(
    *,
    person: Person,
    purpose: ConsentPurpose | str,
    given: bool,
    actor: Membership | None = None,
    about_organisation: Organisation | None = None,
    expires_on: date | None = None,
    recorded_by=None,
    recorded_by_organisation: Organisation | None = None,
) -> Consent:
    """Record a consent decision: what for, about which organisation, until when.

    Two forms. With `actor` (the consent page, the API): a service in its own right — permission
    checked (an adviser, for a person with a case at their organisation), validated, one transaction,
    one CONSENT_RECORDED audit event; recording the decision already in force again changes nothing.
    Without `actor` (`recorded_by` and `recorded_by_organisation`): a step inside another service's
    transaction (`referral_create`, `case_enrol`), which writes that service's one audit event.
    """
    if actor is None:
        if recorded_by_organisation is None:
            raise DomainError("Say which organisation recorded the consent.")
        return Consent.objects.create(
            person=person,
            purpose=purpose,
            given=given,
            created_by=recorded_by,
            recorded_by_organisation=recorded_by_organisation,
            about_organisation=about_organisation,
            expires_at=_end_of(expires_on),
        )
    _require_adviser_for(actor, person)
    _check(person=person, purpose=purpose, about=about_organisation, expires_on=expires_on)
    expires_at = _end_of(expires_on)
    with transaction.atomic():
        Person.objects.select_for_update().get(pk=person.pk)  # one decision per person at a time
        latest = current_consent(person=person, purpose=purpose, about=about_organisation)
        if (
            latest is not None
            and latest.given == given
            and latest.expires_at == expires_at
            and latest.withdrawn_at is None
            and (latest.is_active() or not given)
        ):
            return latest  # a retried submission: the same decision is already in force
        consent = Consent.objects.create(
            person=person,
            purpose=purpose,
            given=given,
            created_by=actor.user,
            recorded_by_organisation=actor.organisation,
            about_organisation=about_organisation,
            expires_at=expires_at,
        )
        audit_record(
            actor=actor.user,
            verb=AuditVerb.CONSENT_RECORDED,
            target=consent,
            organisation=actor.organisation,
            person_id=person.pk,
            payload={
                "purpose": str(purpose),
                "given": given,
                "about": str(about_organisation.pk) if about_organisation else None,
                "expires_on": expires_on.isoformat() if expires_on else None,
            },
        )
    return consent


def consent_withdraw(*, consent: Consent, actor: Membership) -> Consent:
    """The person withdraws a consent they gave: it stops sharing from now. Audited."""
    _require_adviser_for(actor, consent.person)
    if consent.purpose not in ADVISER_PURPOSES:
        raise DomainError("That consent cannot be withdrawn here.")
    with transaction.atomic():
        consent = Consent.objects.select_for_update().get(pk=consent.pk)
        if consent.withdrawn_at is not None:
            return consent  # already withdrawn: a retried submission changes nothing
        if not consent.given:
            raise DomainError("The person did not give this consent, so there is nothing to withdraw.")
        latest = current_consent(person=consent.person, purpose=consent.purpose, about=consent.about_organisation)
        if latest is not None and latest.pk != consent.pk:
            raise DomainError("A newer decision has replaced this consent. Withdraw that one instead.")
        consent.withdrawn_at = timezone.now()
        consent.save(update_fields=["withdrawn_at", "updated_at"])
        audit_record(
            actor=actor.user,
            verb=AuditVerb.CONSENT_WITHDRAWN,
            target=consent,
            organisation=actor.organisation,
            person_id=consent.person_id,
            payload={"purpose": consent.purpose, "about": str(consent.about_organisation_id or "") or None},
        )
    return consent


def _require_adviser_for(actor: Membership, person: Person) -> None:
    from joinedup.cases.models import Case  # cases depends on people, not the other way round

    if (
        not has_perm(actor, Perm.CASE_CHANGE_ORG)
        or not Case.objects.filter(person=person, delivery_partner_id=actor.organisation_id).exists()
    ):
        raise NotPermitted("You can only record consent for people your organisation supports.")


def _check(*, person: Person, purpose: str, about: Organisation | None, expires_on: date | None) -> None:
    if purpose not in ADVISER_PURPOSES:
        raise DomainError("Select what the person agrees to.", field="purpose")
    if purpose == ConsentPurpose.SHARE_PROGRESS:
        if about is None or not person.referrals.filter(referring_organisation=about).exists():
            raise DomainError(
                "Progress can only be shared with an organisation that referred the person.", field="purpose"
            )
    elif purpose == ConsentPurpose.SHARE_GP:
        if about is None or about.kind != OrganisationKind.GP_PRACTICE:
            raise DomainError("Select the person's GP practice.", field="gp_practice")
    elif about is not None:
        raise DomainError("Being told by email is not about another organisation.", field="purpose")
    if purpose == ConsentPurpose.NOTIFY_PERSON and not person.email:
        raise DomainError(
            "We do not have an email address for the person, so they cannot be told by email.", field="purpose"
        )
    if expires_on is not None:
        today = timezone.localdate()
        if expires_on <= today:
            raise DomainError("The date the consent ends must be in the future.", field="expires_on")
        if expires_on >= date(today.year + LONGEST_CONSENT_YEARS, today.month, min(today.day, 28)):
            raise DomainError(
                f"Consent can last at most {LONGEST_CONSENT_YEARS} years. Enter an earlier date.", field="expires_on"
            )


def _end_of(day: date | None) -> datetime | None:
    """A consent that ends on a day holds to the end of that day (local time)."""
    if day is None:
        return None
    return timezone.make_aware(datetime.combine(day + timedelta(days=1), time.min))
