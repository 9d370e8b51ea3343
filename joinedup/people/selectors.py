from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import datetime
from typing import Any
from uuid import UUID

from django.db.models import Q, QuerySet

from joinedup.core.selectors import get_in_scope
from joinedup.organisations.models import Organisation, OrganisationKind

from .models import Consent, ConsentPurpose, Person


def consent_is_active(*, person: Person, purpose: ConsentPurpose, about: Organisation | None = None) -> bool:
    """The latest consent for this purpose (and organisation) was given, not withdrawn, not expired."""
    latest = current_consent(person=person, purpose=purpose, about=about)
    return latest is not None and latest.is_active()


def current_consent(*, person: Person, purpose: ConsentPurpose, about: Organisation | None = None) -> Consent | None:
    """The latest consent decision for this purpose (and organisation): the one in force."""
    qs = Consent.objects.filter(person=person, purpose=purpose)
    if about is not None:
        qs = qs.filter(about_organisation=about)
    return qs.order_by("-created_at").first()


def progress_shared_with(*, person: Person, organisation: Organisation) -> bool:
    """Whether `organisation` may know the person's progress (enrolled, started work).

    Progress goes to a referrer only while the person's consent to share progress with that
    organisation is active; to a GP practice also while their consent to share with that GP is.
    Expired or withdrawn consent shares nothing.
    """
    return _progress_shared(
        organisation, lambda purpose: current_consent(person=person, purpose=purpose, about=organisation)
    )


def _progress_shared(organisation: Organisation, latest: Callable[[ConsentPurpose], Consent | None]) -> bool:
    """`progress_shared_with`'s rule, given the consent in force for each purpose about `organisation`."""
    progress = latest(ConsentPurpose.SHARE_PROGRESS)
    if progress is not None and progress.is_active():
        return True
    if organisation.kind != OrganisationKind.GP_PRACTICE:
        return False
    gp = latest(ConsentPurpose.SHARE_GP)
    return gp is not None and gp.is_active()


def progress_shared_among(*, pairs: Iterable[tuple[object, Organisation]]) -> set[tuple[object, object]]:
    """Which of the (person id, organisation) pairs `progress_shared_with` says yes to, as (person id,
    organisation id): one query for a page of a list (a referrer's referrals), none for no pairs."""
    wanted = list(pairs)
    if not wanted:
        return set()
    consents = (
        Consent.objects.filter(
            person_id__in={person for person, _org in wanted},
            about_organisation_id__in={org.pk for _person, org in wanted},
            purpose__in=[ConsentPurpose.SHARE_PROGRESS, ConsentPurpose.SHARE_GP],
        )
        .only("person", "about_organisation", "purpose", "given", "withdrawn_at", "expires_at", "created_at")
        .order_by("-created_at")
    )
    latest: dict[tuple[object, object, str], Consent] = {}
    for consent in consents:
        latest.setdefault((consent.person_id, consent.about_organisation_id, consent.purpose), consent)

    def in_force(person: object, org: Organisation) -> Callable[[ConsentPurpose], Consent | None]:
        return lambda purpose: latest.get((person, org.pk, purpose))

    return {(person, org.pk) for person, org in wanted if _progress_shared(org, in_force(person, org))}


def gp_practice_sharing(*, person: Person) -> Organisation | None:
    """The GP practice the person agreed to share progress with (their latest active SHARE_GP consent)."""
    seen: set = set()
    for consent in (
        Consent.objects.filter(person=person, purpose=ConsentPurpose.SHARE_GP, about_organisation__isnull=False)
        .select_related("about_organisation")
        .order_by("-created_at", "-pk")
    ):
        if consent.about_organisation_id in seen:
            continue  # only the latest decision about each practice counts
        seen.add(consent.about_organisation_id)
        if consent.is_active():
            return consent.about_organisation
    return None


@dataclass(frozen=True)
class ConsentRow:
    consent: Consent
    current: bool  # the latest decision for its purpose and organisation (the one in force)

    @property
    def state(self) -> str:
        return self.consent.state if self.current else "replaced"


def consents_for_person(*, person: Person) -> list[ConsentRow]:
    """Every consent decision for the person, newest first, each marked whether it is the one in force."""
    rows: list[ConsentRow] = []
    seen: set[tuple[str, object]] = set()
    for consent in (
        Consent.objects.filter(person=person)
        .select_related("about_organisation", "recorded_by_organisation", "created_by")
        .order_by("-created_at")
    ):
        key = (consent.purpose, consent.about_organisation_id)
        rows.append(ConsentRow(consent, key not in seen))
        seen.add(key)
    return rows


def gp_practices() -> QuerySet[Organisation]:
    return Organisation.objects.filter(kind=OrganisationKind.GP_PRACTICE, archived_at__isnull=True).order_by("name")


def consent_for_person(*, person: Person, pk: str) -> Consent:
    """One of the person's consent decisions (404 if it is not theirs)."""
    return get_in_scope(Consent.objects.filter(person=person), pk=pk)


# For information governance (subject access, erasure, retention, the audit trail's search), which
# checks its own permission: unscoped reads of people by id and by name.
def people_by_ids(ids: list) -> QuerySet[Person]:
    return Person.objects.filter(pk__in=ids)


def people_named(text: str, *, limit: int = 50) -> list[Person]:
    """People whose given and family names contain every word of `text` (case-insensitive)."""
    words = text.split()
    if not words:
        return []
    query = Person.objects.all()
    for word in words[:4]:
        query = query.filter(Q(given_name__icontains=word) | Q(family_name__icontains=word))
    return list(query.order_by("family_name", "given_name")[:limit])


def consents_past_retention(*, person_ids: list, ended_before: datetime, erased_before_ids: list) -> QuerySet[Consent]:
    """Consent evidence past its retention (`governance.retention`): the consents of these (erased)
    people that ended (expired, withdrawn or refused) before `ended_before`, and every consent of
    those in `erased_before_ids`."""
    ended = (
        Q(withdrawn_at__lt=ended_before) | Q(expires_at__lt=ended_before) | Q(given=False, created_at__lt=ended_before)
    )
    return Consent.objects.filter((Q(person_id__in=person_ids) & ended) | Q(person_id__in=erased_before_ids))


# For the person's own pages (`portal`, decision 022): the person is identified by the email
# address on their record; these reads are unscoped because the person is reading their own.
def person_for_address(*, email: str) -> Person | None:
    """The one live (not merged away) person with this email address, or None: also None when two
    records share it, so a link can never sign someone in to another person's record."""
    email = email.strip()
    if not email or "@" not in email:
        return None
    found = list(Person.objects.filter(email__iexact=email, archived_at__isnull=True)[:2])
    return found[0] if len(found) == 1 else None


def person_for_mobile(*, mobile: str) -> Person | None:
    """The one live person whose phone on record is this UK mobile number (however it was written:
    spaces, +44), or None: also None when two records share it. `mobile` is normalised
    (`notifications.texts.normalised_mobile`)."""
    from joinedup.notifications.texts import normalised_mobile

    mobile = normalised_mobile(mobile)
    if not mobile:
        return None
    # Phones are kept as typed, so the match is made in Python over the records ending in the
    # number's last three digits (about one in a thousand): never cut short, or the one record with
    # this number could be left out at scale.
    candidates = Person.objects.filter(archived_at__isnull=True, phone__endswith=mobile[-3:]).values_list("pk", "phone")
    found = [pk for pk, phone in candidates.iterator() if normalised_mobile(phone) == mobile][:2]
    return Person.objects.get(pk=found[0]) if len(found) == 1 else None


def person_live(*, pk: UUID | str) -> Person | None:
    """A live person by id (the signed-in person's session names them), or None."""
    return Person.objects.filter(pk=pk, archived_at__isnull=True).first()


def latest_referral_of(*, person: Person) -> Any:
    """The person's most recent referral (its status is what the referrer's view shows), or None."""
    return person.referrals.select_related("delivery_partner").order_by("-created_at").first()
