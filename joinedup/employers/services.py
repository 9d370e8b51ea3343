"""Writes about employers: the record, sites, contacts, engagement and follow-ups, and vacancies.
Each service checks permission, validates (DomainError with the field), runs in one transaction and
writes one audit event. Putting people forward is `placement.py`; workplace health `workplace.py`."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from django.db import transaction
from django.utils import timezone

from joinedup.audit.verbs import AuditVerb
from joinedup.core.errors import DomainError
from joinedup.core.events import announce
from joinedup.directory.areas import PostcodeProblem, parse_postcode, postcode_district
from joinedup.organisations.permissions import Perm

from . import limits, wages
from .access import audit, require_edit, require_staff
from .choices import PAID_KINDS, AdjustmentKind, EngagementChannel, EngagementKind, VacancyStatus
from .duplicates import CLOSE, company_number, name_key, similarity
from .events import EmployerEngaged, EmployerEvent, VacancyOpened
from .models import Employer, EmployerContact, Engagement, FollowUp, Site, Vacancy

if TYPE_CHECKING:
    from joinedup.organisations.permissions import Membership


@dataclass
class EmployerInput:
    name: str
    sic_section: str
    size_band: str
    companies_house_number: str = ""
    disability_confident: str = ""
    disability_confident_on: date | None = None
    disability_confident_expires_on: date | None = None
    health_award: str = ""
    health_award_on: date | None = None
    publishes_vacancies: bool = False


@dataclass(frozen=True)
class LikelyDuplicate:
    employer: Employer
    reason: str


@dataclass
class SiteInput:
    name: str
    postcode: str
    address: str = ""


def _postcode(text: str) -> str:
    try:
        value = parse_postcode(text)
    except PostcodeProblem as exc:
        raise DomainError(str(exc), field="postcode") from exc
    if " " not in value:
        raise DomainError("Enter the full postcode of the site, like NG18 1AB", field="postcode")
    return value


def _no_control_characters(value: str, *, field: str) -> None:
    """NUL and other control characters (but tab and newline) are refused with a plain message."""
    if any(ord(c) < 32 and c not in "\t\n\r" for c in value):
        raise DomainError("Remove the control characters (such as NUL) from the text.", field=field)


def _clean_employer(data: EmployerInput) -> EmployerInput:
    data.name = data.name.strip()
    _no_control_characters(data.name, field="name")
    if not data.name:
        raise DomainError("Enter the employer's name.", field="name")
    limits.NAME.check(data.name, field="name")
    try:
        data.companies_house_number = company_number(data.companies_house_number)
    except ValueError as exc:
        raise DomainError(str(exc), field="companies_house_number") from exc
    if data.disability_confident and data.disability_confident_on is None:
        raise DomainError(
            "Enter the date the employer reached that Disability Confident level.", field="disability_confident_on"
        )
    on, expires = data.disability_confident_on, data.disability_confident_expires_on
    if on and expires and expires <= on:
        raise DomainError(
            "The Disability Confident expiry must be after the date it was reached.",
            field="disability_confident_expires_on",
        )
    if data.health_award and data.health_award_on is None:
        raise DomainError("Enter the date of the charter or award.", field="health_award_on")
    return data


def likely_duplicates(*, name: str, companies_house_number: str = "", postcode: str = "") -> list[LikelyDuplicate]:
    """Employers that may be this one: the same Companies House number, or a close name with a site
    at the same postcode (or the same name anywhere)."""
    found: dict[object, LikelyDuplicate] = {}
    number = companies_house_number.strip().upper()
    if number:
        for e in Employer.objects.filter(companies_house_number=number, archived_at__isnull=True):
            found[e.pk] = LikelyDuplicate(e, f"It has the same Companies House number, {number}.")
    key = name_key(name)
    if key:
        for e in Employer.objects.filter(name_key=key, archived_at__isnull=True).exclude(pk__in=list(found)):
            found[e.pk] = LikelyDuplicate(e, "It has the same name.")
    if postcode:
        at_postcode = Employer.objects.filter(sites__postcode=postcode, archived_at__isnull=True).exclude(
            pk__in=list(found)
        )
        for e in at_postcode.distinct():
            if similarity(name, e.name) >= CLOSE:
                found[e.pk] = LikelyDuplicate(e, f"It has a close name and a site at {postcode}.")
    return list(found.values())


def employer_create(
    *, actor: Membership, data: EmployerInput, site: SiteInput | None = None, not_a_duplicate: bool = False
) -> Employer:
    """A new employer held by the actor's organisation, with its first site. A likely duplicate is
    refused with what it looks like, unless the user confirms it is a different employer; the same
    Companies House number is always refused."""
    require_staff(actor, Perm.EMPLOYER_CHANGE_ORG)
    data = _clean_employer(data)
    postcode = _postcode(site.postcode) if site else ""
    if site:
        site.name = site.name.strip() or data.name
        limits.SITE_NAME.check(site.name, field="site_name")
        limits.ADDRESS.check(site.address, field="address")
    with transaction.atomic():
        dupes = likely_duplicates(name=data.name, companies_house_number=data.companies_house_number, postcode=postcode)
        same_number = [d for d in dupes if "Companies House" in d.reason]
        if same_number:
            raise DomainError(
                f"{same_number[0].employer.name} already has Companies House number {data.companies_house_number}. "
                "Use that record instead.",
                field="companies_house_number",
            )
        if dupes and not not_a_duplicate:
            d = dupes[0]
            raise DomainError(
                f"This may be {d.employer.name}, already recorded: {d.reason} Use that record, or confirm "
                "this is a different employer.",
                field="not_a_duplicate",
            )
        employer = Employer.objects.create(
            **data.__dict__, name_key=name_key(data.name), owner=actor.organisation, created_by=actor.user
        )
        if site:
            _site_create(employer, site, postcode, actor)
        audit(actor, AuditVerb.CREATED, employer, name=employer.name)
    return employer


def employer_update(*, actor: Membership, employer: Employer, data: EmployerInput) -> Employer:
    require_edit(actor, employer)
    data = _clean_employer(data)
    with transaction.atomic():
        employer = Employer.objects.select_for_update().get(pk=employer.pk)
        number = data.companies_house_number
        if number and Employer.objects.filter(companies_house_number=number).exclude(pk=employer.pk).exists():
            raise DomainError(
                f"Another employer already has Companies House number {number}.", field="companies_house_number"
            )
        changed = [k for k, v in data.__dict__.items() if getattr(employer, k) != v]
        for key, value in data.__dict__.items():
            setattr(employer, key, value)
        employer.name_key = name_key(employer.name)
        employer.save()
        audit(actor, AuditVerb.UPDATED, employer, changed=changed)
    return employer


def _site_create(employer: Employer, site: SiteInput, postcode: str, actor: Membership) -> Site:
    return Site.objects.create(
        employer=employer,
        name=site.name,
        address=site.address.strip(),
        postcode=postcode,
        district=postcode_district(postcode) or "",
        created_by=actor.user,
    )


def site_add(*, actor: Membership, employer: Employer, site: SiteInput) -> Site:
    require_edit(actor, employer)
    postcode = _postcode(site.postcode)
    site.name = site.name.strip()
    if not site.name:
        raise DomainError("Enter a name for the site, like 'Head office' or 'Mansfield store'.", field="name")
    limits.SITE_NAME.check(site.name, field="name")
    limits.ADDRESS.check(site.address, field="address")
    with transaction.atomic():
        if employer.sites.filter(name__iexact=site.name, postcode=postcode).exists():
            raise DomainError(f"{site.name} at {postcode} is already one of this employer's sites.", field="name")
        created = _site_create(employer, site, postcode, actor)
        audit(actor, AuditVerb.CREATED, created, employer=employer.pk)
    return created


def contact_add(
    *,
    actor: Membership,
    employer: Employer,
    name: str,
    role: str = "",
    email: str = "",
    phone: str = "",
    agreed_to_contact: bool = False,
) -> EmployerContact:
    require_edit(actor, employer)
    name = name.strip()
    if not name:
        raise DomainError("Enter the contact's name.", field="name")
    for limit, value, key in (
        (limits.CONTACT_NAME, name, "name"),
        (limits.CONTACT_ROLE, role, "role"),
        (limits.PHONE, phone, "phone"),
    ):
        limit.check(value, field=key)
    if not agreed_to_contact and (email or phone):
        raise DomainError(
            "Only keep a contact's email or phone once they have agreed to be contacted.", field="agreed_to_contact"
        )
    with transaction.atomic():
        contact = EmployerContact.objects.create(
            employer=employer,
            name=name,
            role=role.strip(),
            email=email.strip(),
            phone=phone.strip(),
            agreed_to_contact=agreed_to_contact,
            created_by=actor.user,
        )
        audit(actor, AuditVerb.CREATED, contact, employer=employer.pk)
    return contact


def engagement_record(
    *,
    actor: Membership,
    employer: Employer,
    happened_on: date,
    channel: str,
    kind: str,
    notes: str = "",
    follow_up: str = "",
    follow_up_on: date | None = None,
) -> Engagement:
    """What happened with an employer, and (optionally) the task it leaves, with its due date.
    Anyone in the partnership who works with employers may log it; the owner sees it."""
    require_staff(actor, Perm.EMPLOYER_CHANGE_ORG)
    if channel not in EngagementChannel.values or kind not in EngagementKind.values:
        raise DomainError("Select how the engagement happened and what it was about.", field="kind")
    if happened_on > timezone.localdate():
        raise DomainError("The date cannot be in the future.", field="happened_on")
    limits.NOTES.check(notes, field="notes")
    limits.TASK.check(follow_up, field="follow_up")
    if bool(follow_up.strip()) != bool(follow_up_on):
        raise DomainError("Enter both the follow-up task and the date it is due, or neither.", field="follow_up")
    if follow_up_on and follow_up_on < timezone.localdate():
        raise DomainError("The follow-up cannot be due in the past.", field="follow_up_on")
    with transaction.atomic():
        month = happened_on.replace(day=1)
        first_this_month = not Engagement.objects.filter(
            employer=employer,
            organisation=actor.organisation,
            happened_on__gte=month,
            happened_on__lt=(month + timedelta(days=32)).replace(day=1),
        ).exists()
        engagement = Engagement.objects.create(
            employer=employer,
            happened_on=happened_on,
            channel=channel,
            kind=kind,
            notes=notes.strip(),
            organisation=actor.organisation,
            created_by=actor.user,
        )
        if follow_up_on:
            FollowUp.objects.create(
                employer=employer, task=follow_up.strip(), due_on=follow_up_on, created_by=actor.user
            )
        if first_this_month:
            announce(EmployerEvent.ENGAGED, EmployerEngaged(employer.pk, actor.organisation_id, happened_on))
        audit(actor, AuditVerb.CREATED, engagement, employer=employer.pk, kind=kind)
    return engagement


def follow_up_done(*, actor: Membership, follow_up: FollowUp) -> FollowUp:
    require_edit(actor, follow_up.employer)
    with transaction.atomic():
        task = FollowUp.objects.select_for_update().get(pk=follow_up.pk)
        if task.done_on is None:
            task.done_on = timezone.localdate()
            task.save(update_fields=["done_on", "updated_at"])
            audit(actor, AuditVerb.UPDATED, task, done_on=task.done_on)
    return task


@dataclass
class VacancyInput:
    title: str
    site_id: Any
    description: str
    hours_min: Decimal
    hours_max: Decimal
    pattern: str
    contract_type: str
    wage: Decimal
    wage_period: str
    age_band: str
    kind: str
    openings: int
    closing_on: date
    how_to_apply: str
    adjustments_offered: list[str] = field(default_factory=list)
    guaranteed_interview: bool = False
    status: str = VacancyStatus.DRAFT


def _check_vacancy_text(data: VacancyInput) -> None:
    data.title, data.description = data.title.strip(), data.description.strip()
    data.how_to_apply = data.how_to_apply.strip()
    for key, limit in (
        ("title", limits.TITLE),
        ("description", limits.DESCRIPTION),
        ("how_to_apply", limits.HOW_TO_APPLY),
    ):
        if not getattr(data, key):
            raise DomainError(f"Enter the {limit.label.lower()}.", field=key)
        limit.check(getattr(data, key), field=key)
        _no_control_characters(getattr(data, key), field=key)


def _check_vacancy_terms(employer: Employer, data: VacancyInput, on: date) -> None:
    if data.hours_min <= 0 or data.hours_max > 80:
        raise DomainError("Hours must be between 0.5 and 80 a week.", field="hours_min")
    if data.hours_max < data.hours_min:
        raise DomainError("The most hours a week cannot be fewer than the fewest.", field="hours_max")
    if data.closing_on < timezone.localdate():
        raise DomainError("The closing date cannot be in the past.", field="closing_on")
    if data.openings < 1:
        raise DomainError("Enter at least 1 opening.", field="openings")
    if set(data.adjustments_offered) - set(AdjustmentKind.values):
        raise DomainError("Select adjustments from the list.", field="adjustments_offered")
    if data.kind in PAID_KINDS:
        wages.check_wage(
            amount=data.wage, period=data.wage_period, hours_per_week=data.hours_min, age_band=data.age_band, on=on
        )
    if data.guaranteed_interview and not employer.disability_confident:
        raise DomainError(
            "Only a Disability Confident employer offers a guaranteed interview.", field="guaranteed_interview"
        )


def _check_vacancy(employer: Employer, data: VacancyInput, *, on: date) -> Site:
    _check_vacancy_text(data)
    site = employer.sites.filter(pk=data.site_id).first()
    if site is None:
        raise DomainError("Select one of the employer's sites.", field="site_id")
    _check_vacancy_terms(employer, data, on)
    return site


def vacancy_create(*, actor: Membership, employer: Employer, data: VacancyInput) -> Vacancy:
    """A vacancy at one of the employer's sites. The wage is checked against the minimum for the
    age band on the day it would be paid from (today, or the day it opens)."""
    require_edit(actor, employer)
    site = _check_vacancy(employer, data, on=timezone.localdate())
    values = {k: v for k, v in data.__dict__.items() if k != "site_id"}
    with transaction.atomic():
        vacancy = Vacancy.objects.create(
            employer=employer,
            site=site,
            **values,
            created_by=actor.user,
            published_on=timezone.localdate() if data.status == VacancyStatus.OPEN else None,
        )
        if vacancy.published_on:
            _announce_opened(vacancy)
        audit(actor, AuditVerb.CREATED, vacancy, employer=employer.pk, status=vacancy.status)
    return vacancy


def vacancy_update(*, actor: Membership, vacancy: Vacancy, data: VacancyInput) -> Vacancy:
    require_edit(actor, vacancy.employer)
    site = _check_vacancy(vacancy.employer, data, on=timezone.localdate())
    with transaction.atomic():
        vacancy = Vacancy.objects.select_for_update().get(pk=vacancy.pk)
        for key, value in data.__dict__.items():
            if key != "site_id":
                setattr(vacancy, key, value)
        vacancy.site = site
        if vacancy.status == VacancyStatus.OPEN and vacancy.published_on is None:
            vacancy.published_on = timezone.localdate()
            _announce_opened(vacancy)
        vacancy.save()
        audit(actor, AuditVerb.UPDATED, vacancy, status=vacancy.status)
    return vacancy


def _announce_opened(vacancy: Vacancy) -> None:
    assert vacancy.published_on is not None
    announce(EmployerEvent.VACANCY_OPENED, VacancyOpened(vacancy.pk, vacancy.employer.owner_id, vacancy.published_on))
