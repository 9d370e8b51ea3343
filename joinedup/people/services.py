"""Writes for people: creating and updating a person, merging two; consent decisions and withdrawal.

`person_create`, `person_update`, `person_merge` and `person_merge_reverse` are steps inside another
service's transaction (`referral_create`; linkage's `person_merge` and `person_merge_reverse`),
which checks the acting membership's permission and writes that service's one audit event: the
person is written only here, whoever asks.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import Any

from django.db import transaction
from django.utils import timezone

from joinedup.audit.services import audit_record
from joinedup.audit.verbs import AuditVerb
from joinedup.core.errors import DomainError, NotPermitted
from joinedup.core.events import announce
from joinedup.organisations.models import Membership, Organisation, OrganisationKind
from joinedup.organisations.permissions import Perm, has_perm

from . import records
from .events import PeopleMerged, PersonEvent, PersonUpdated
from .models import Consent, ConsentPurpose, Person
from .selectors import consents_past_retention, current_consent

# What an adviser may record or withdraw on the consent page. Consent to the referral is the
# referrer's to record and consent to support is recorded at enrolment.
ADVISER_PURPOSES = (ConsentPurpose.SHARE_PROGRESS, ConsentPurpose.SHARE_GP, ConsentPurpose.NOTIFY_PERSON)
LONGEST_CONSENT_YEARS = 10
# What a merge may fill in on the survivor from the duplicate, when the survivor has none.
MERGE_FILLS = ("nhs_number", "national_insurance_number", "email", "phone")
_UPDATABLE = frozenset(
    f.name
    for f in Person._meta.concrete_fields
    if f.name not in {"id", "created_at", "created_by", "updated_at"} and not f.generated
)


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


def person_update(*, person: Person, changes: Mapping[str, Any]) -> Person:
    """Set some of a person's fields, saving only those (nothing when there are none).

    A step inside the calling service's transaction (linkage's merge and its reversal), with the
    values that service has checked; it writes that service's one audit event.
    """
    unknown = set(changes) - _UPDATABLE
    if unknown:
        raise ValueError(f"A person has no field to update called {', '.join(sorted(unknown))}")
    if not changes:
        return person
    for name, value in changes.items():
        setattr(person, name, value)
    with transaction.atomic():
        person.save(update_fields=[*changes, "updated_at"])
        announce(PersonEvent.UPDATED, PersonUpdated(person_id=person.pk, fields=tuple(sorted(changes))))
    return person


@dataclass(frozen=True)
class PersonMerged:
    """What a merge did: the people (locked, as saved), the rows it moved and the fields it filled."""

    survivor: Person
    duplicate: Person
    moved: dict[str, list[str]]  # record key (people.records) -> ids moved from duplicate to survivor
    survivor_before: dict[str, Any]  # field -> the survivor's value before the merge filled it in


def person_merge(*, survivor: Person, duplicate: Person) -> PersonMerged:
    """Merge `duplicate` into `survivor`, walking the registry of person-linked records.

    Every kind of record declared `MOVE` moves to the survivor (its ids returned under its key);
    `KEEP` stays; `REFUSE` refuses the merge if the duplicate has any. The survivor's blank
    identifiers and contact details are filled from the duplicate, and the duplicate is archived.
    A step inside linkage's `person_merge`, which checks permission, keeps what this returns on the
    `PersonMerge` and writes the one MERGED audit event.
    """
    if survivor.pk == duplicate.pk:
        raise DomainError("Choose two different people to merge.", field="survivor")
    people = {p.pk: p for p in Person.objects.select_for_update().filter(pk__in=[survivor.pk, duplicate.pk])}
    survivor, duplicate = people[survivor.pk], people[duplicate.pk]
    if survivor.archived_at or duplicate.archived_at:
        raise DomainError("One of these records has already been merged into another.", field="survivor")
    if survivor.nhs_number and duplicate.nhs_number and survivor.nhs_number != duplicate.nhs_number:
        raise DomainError("These records have different NHS numbers, so they are different people.", field="survivor")
    for record in records.refusing_merge():
        if record.rows(duplicate).exists():
            raise DomainError(f"These records cannot be merged: {record.merge_reason}", field="survivor")
    moved = {
        record.key: [str(pk) for pk in record.rows(duplicate).values_list("pk", flat=True)]
        for record in records.moved_on_merge()
    }
    for record in records.moved_on_merge():
        record.model._default_manager.filter(pk__in=moved[record.key]).update(**{record.field: survivor})
    before = {f: getattr(survivor, f) for f in MERGE_FILLS if not getattr(survivor, f) and getattr(duplicate, f)}
    person_update(person=survivor, changes={f: getattr(duplicate, f) for f in before})
    person_update(person=duplicate, changes={"archived_at": timezone.now()})
    announce(PersonEvent.MERGED, PeopleMerged(survivor_id=survivor.pk, duplicate_id=duplicate.pk, reversed=False))
    return PersonMerged(survivor=survivor, duplicate=duplicate, moved=moved, survivor_before=before)


def person_merge_reverse(
    *, survivor_id, duplicate_id, moved: Mapping[str, list[str]], survivor_before: Mapping[str, Any]
) -> PersonMerged:
    """Undo what `person_merge` did: move back what it moved, restore the survivor's fields, un-archive.

    Refused when the records have changed in a way that would make the undo inexact (a moved row
    has since moved again, or a filled-in field has since been edited). A step inside linkage's
    `person_merge_reverse`, which checks permission and writes the one MERGE_REVERSED audit event.
    """
    survivor = Person.objects.select_for_update().get(pk=survivor_id)
    duplicate = Person.objects.select_for_update().get(pk=duplicate_id)
    movable = records.moved_on_merge()
    if set(moved) - {record.key for record in movable}:
        raise DomainError("This merge moved records that merges no longer move, so it cannot be reversed exactly.")
    for record in movable:
        ids = moved.get(record.key, [])
        if record.model._default_manager.filter(pk__in=ids, **{record.field: survivor}).count() != len(ids):
            raise DomainError(
                "Some records moved by this merge have moved again since, so it cannot be reversed exactly."
            )
    for field in survivor_before:
        if getattr(survivor, field) != getattr(duplicate, field):
            raise DomainError(
                f"The surviving record's {Person._meta.get_field(field).verbose_name} has been changed "
                "since the merge, so it cannot be reversed exactly."
            )
    for record in movable:
        record.model._default_manager.filter(pk__in=moved.get(record.key, [])).update(**{record.field: duplicate})
    person_update(person=survivor, changes=dict(survivor_before))
    person_update(person=duplicate, changes={"archived_at": None})
    announce(PersonEvent.MERGED, PeopleMerged(survivor_id=survivor.pk, duplicate_id=duplicate.pk, reversed=True))
    return PersonMerged(
        survivor=survivor, duplicate=duplicate, moved=dict(moved), survivor_before=dict(survivor_before)
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
    return _withdraw(consent, actor=actor.user, organisation=actor.organisation, channel="web")


def consent_withdraw_by_person(*, consent: Consent, person: Person) -> Consent:
    """The person withdraws, on their own pages, a consent they gave (decision 022): the same rules
    and the same effect at once as on the adviser's page, audited as the person's own."""
    if consent.person_id != person.pk:
        raise NotPermitted("You can only withdraw your own consent.")
    return _withdraw(consent, actor=None, organisation=None, channel=PERSON_CHANNEL)


# The audit channel of what the person does themselves (on their own pages).
PERSON_CHANNEL = "person"


def _withdraw(consent: Consent, *, actor: Any, organisation: Organisation | None, channel: str) -> Consent:
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
            actor=actor,
            verb=AuditVerb.CONSENT_WITHDRAWN,
            target=consent,
            organisation=organisation,
            person_id=consent.person_id,
            channel=channel,
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


def consents_delete_past_retention(*, person_ids: list, ended_before: datetime, erased_before_ids: list) -> int:
    """Retention's deletion of consent evidence (`selectors.consents_past_retention`): a step in the
    retention run's transaction; returns how many were deleted."""
    deleted, _ = consents_past_retention(
        person_ids=person_ids, ended_before=ended_before, erased_before_ids=erased_before_ids
    ).delete()
    return deleted
