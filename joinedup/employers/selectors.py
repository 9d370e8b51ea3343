"""Reads about employers and vacancies, scoped to the acting membership: staff with `employer.view`
see every employer; an employer's own people see only their own (anything else is "not found")."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from typing import TYPE_CHECKING, Any

from django.core.exceptions import ValidationError
from django.db.models import Count, Q, QuerySet
from django.http import Http404
from django.utils import timezone

from joinedup.core.errors import NotPermitted
from joinedup.organisations.permissions import Perm, has_perm

from .access import can_edit, is_own_employer
from .choices import VacancyStatus
from .models import Employer, FollowUp, Nomination, Vacancy

if TYPE_CHECKING:
    from joinedup.organisations.permissions import Membership


def _visible_employers(actor: Membership) -> QuerySet[Employer]:
    qs = Employer.objects.filter(archived_at__isnull=True)
    if has_perm(actor, Perm.EMPLOYER_VIEW):
        return qs
    if has_perm(actor, Perm.EMPLOYER_SELF):
        return qs.filter(organisation_id=actor.organisation_id)
    raise NotPermitted("You do not have permission to see employers.")


@dataclass(frozen=True)
class EmployerFilters:
    text: str = ""
    owner_id: str = ""
    sic_section: str = ""
    mine: bool = False


def employer_list(*, actor: Membership, filters: EmployerFilters | None = None) -> QuerySet[Employer]:
    f = filters or EmployerFilters()
    qs = _visible_employers(actor).select_related("owner")
    if f.text:
        qs = qs.filter(name__icontains=f.text)
    if f.sic_section:
        qs = qs.filter(sic_section=f.sic_section)
    if f.mine:
        qs = qs.filter(owner_id=actor.organisation_id)
    today = timezone.localdate()
    open_q = Q(vacancies__status=VacancyStatus.OPEN, vacancies__closing_on__gte=today)
    return qs.annotate(open_vacancies=Count("vacancies", filter=open_q)).order_by("name")


def employer_get(*, actor: Membership, pk: Any) -> Employer:
    try:
        return _visible_employers(actor).select_related("owner", "organisation").get(pk=pk)
    except (Employer.DoesNotExist, ValueError, ValidationError) as exc:
        raise Http404("No such employer") from exc


def employer_for_member(*, actor: Membership) -> Employer:
    """The employer an employer's own person signs in for."""
    if not has_perm(actor, Perm.EMPLOYER_SELF):
        raise NotPermitted("This page is for employers.")
    found = Employer.objects.filter(organisation_id=actor.organisation_id, archived_at__isnull=True).first()
    if found is None:
        raise Http404("No employer record for your organisation")
    return found


def follow_ups_due(*, actor: Membership, within_days: int = 14) -> QuerySet[FollowUp]:
    """Open follow-up tasks on employers the actor's organisation holds, due soon or overdue."""
    if not has_perm(actor, Perm.EMPLOYER_CHANGE_ORG):
        raise NotPermitted("You do not have permission to see employer tasks.")
    until = timezone.localdate() + timedelta(days=within_days)
    return FollowUp.objects.filter(
        employer__owner_id=actor.organisation_id, done_on__isnull=True, due_on__lte=until
    ).select_related("employer")


@dataclass(frozen=True)
class VacancyFilters:
    text: str = ""
    status: str = ""
    kind: str = ""
    district: str = ""
    employer_id: str = ""
    closing_before: date | None = None


def vacancy_list(*, actor: Membership, filters: VacancyFilters | None = None) -> QuerySet[Vacancy]:
    f = filters or VacancyFilters()
    qs = Vacancy.objects.filter(employer__in=_visible_employers(actor)).select_related("employer", "site")
    if f.text:
        qs = qs.filter(Q(title__icontains=f.text) | Q(employer__name__icontains=f.text))
    for key, value in (("status", f.status), ("kind", f.kind), ("site__district", f.district.upper())):
        if value:
            qs = qs.filter(**{key: value})
    if f.employer_id:
        try:
            qs = qs.filter(employer_id=f.employer_id)
        except (ValueError, ValidationError):
            return qs.none()
    if f.closing_before:
        qs = qs.filter(closing_on__lte=f.closing_before)
    return qs.order_by("closing_on", "title")


def vacancy_get(*, actor: Membership, pk: Any) -> Vacancy:
    try:
        return vacancy_list(actor=actor).get(pk=pk)
    except (Vacancy.DoesNotExist, ValueError, ValidationError) as exc:
        raise Http404("No such vacancy") from exc


def public_vacancies() -> QuerySet[Vacancy]:
    """Open vacancies of employers who agreed to publish them: the public page and the feed."""
    return (
        Vacancy.objects.filter(
            status=VacancyStatus.OPEN,
            closing_on__gte=timezone.localdate(),
            employer__publishes_vacancies=True,
            employer__archived_at__isnull=True,
        )
        .select_related("employer", "site")
        .order_by("closing_on", "title")
    )


def public_vacancy(*, pk: Any) -> Vacancy:
    try:
        return public_vacancies().get(pk=pk)
    except (Vacancy.DoesNotExist, ValueError, ValidationError) as exc:
        raise Http404("No such vacancy") from exc


__all__ = ["can_edit", "employer_get", "employer_list", "is_own_employer", "public_vacancies", "vacancy_list"]


def nomination_for_partner(*, actor: Membership, pk: Any) -> Nomination:
    """A nomination of a person whose case is at the actor's organisation (else not found)."""
    if not has_perm(actor, Perm.CASE_VIEW_ORG):
        raise NotPermitted("You do not have permission to see this.")
    try:
        return (
            Nomination.objects.select_related("case__person", "vacancy__employer", "consent")
            .filter(case__delivery_partner_id=actor.organisation_id)
            .get(pk=pk)
        )
    except (Nomination.DoesNotExist, ValueError, ValidationError) as exc:
        raise Http404("No such nomination") from exc


def nominations_for_case(*, case: Any) -> list[Nomination]:
    """The vacancies a person has been put forward for (the caller has read the case, audited)."""
    return list(Nomination.objects.filter(case_id=case.pk).select_related("vacancy__employer", "consent"))


def nominations_for_vacancy(*, actor: Membership, vacancy: Vacancy) -> list[Nomination]:
    """The people the actor's organisation put forward for `vacancy`."""
    if not has_perm(actor, Perm.CASE_VIEW_ORG):
        return []
    qs = vacancy.nominations.filter(case__delivery_partner_id=actor.organisation_id)
    return list(qs.select_related("case__person", "consent"))
