"""Reads for the case itself, scoped to the acting membership's organisation: the caseload, the
referrals waiting to be enrolled, and the person's record."""

from __future__ import annotations

import functools
from dataclasses import dataclass, replace
from datetime import date, timedelta
from typing import Any
from uuid import UUID

from django.core.exceptions import ValidationError
from django.db import connection
from django.db.models import Count, F, OuterRef, Q, QuerySet, Subquery
from django.db.models.functions import Coalesce
from django.http import Http404
from django.utils import timezone

from joinedup.audit.services import audit_record
from joinedup.audit.verbs import AuditVerb
from joinedup.core.compiled import CompiledQuery
from joinedup.core.pagination import PAGE_SIZE, Page, paginate, with_total
from joinedup.organisations.models import Membership, Role
from joinedup.referrals import selectors as referral_selectors
from joinedup.referrals import statuses as referral_statuses
from joinedup.referrals.models import Referral

from ..better_off.models import BetterOffCalculation
from ..better_off.selectors import better_off_calculations
from ..checks import require_view
from ..contacts.models import Contact
from ..contacts.selectors import recent_contacts
from ..support.models import CaseExit, EarlyHelp
from ..wellbeing.models import Assessment, WellbeingMeasure
from ..wellbeing.selectors import AssessmentHistory, WellbeingSeries, case_assessments, case_wellbeing
from ..work.models import JobApplication, JobStart, WorkActivity
from ..work.selectors import MilestoneDue, case_milestones, work_activities
from . import stages
from .models import Case

_SECTIONS = {  # the person record's sections, by the case's related rows
    "contacts": Contact,
    "job_starts": JobStart,
    "wellbeing": WellbeingMeasure,
    "assessments": Assessment,
    "exits": CaseExit,
    "early_help": EarlyHelp,
    "applications": JobApplication,
    "work_activities": WorkActivity,
    "better_off": BetterOffCalculation,
}

# Table names from the models; the case is a parameter.
_PROBES = [f"EXISTS(SELECT 1 FROM {m._meta.db_table} WHERE case_id = %s)" for m in _SECTIONS.values()]  # noqa: S608
_SECTIONS_SQL = "SELECT " + ", ".join(_PROBES)

# IPS fidelity: an employment specialist carries no more than 20 active cases.
IPS_MAX_ACTIVE_CASES = 20
REVIEW_DUE_WITHIN_DAYS = 7  # a review this close is "due soon"
CONTACT_STALE_AFTER_DAYS = 14  # no contact for longer than this is flagged


CASELOAD_FIELDS = (
    "stage",
    "enrolled_on",
    "next_action",
    "next_review_on",
    "adviser_id",
    "person__given_name",
    "person__family_name",
    "adviser__first_name",
    "adviser__last_name",
    "adviser__username",
)


def _cases_at(partner: object, adviser: object | None = None) -> QuerySet[Case]:
    """The cases at a delivery partner (with `adviser`, that adviser's), as a caseload row shows them."""
    # Correlated subqueries, not Count/Max over a join: the database then counts contacts only for
    # the cases a page shows (each an index-only lookup), instead of grouping every contact of the
    # organisation's cases before sorting and slicing. See docs/benchmarks.md.
    # A message from the person is not contact by the service (`by_the_service`): the work queue
    # lists it under "Messages from people" instead.
    contacts = Contact.objects.by_the_service().filter(case=OuterRef("pk")).order_by()
    qs = (
        Case.objects.filter(delivery_partner=partner)
        .select_related("person", "adviser")
        # What a caseload row shows, not every column of case, person and adviser.
        .only(*CASELOAD_FIELDS)
        .annotate(last_contact_on=Subquery(contacts.order_by("-happened_on").values("happened_on")[:1]))
    )
    return qs if adviser is None else qs.filter(adviser=adviser)


def case_list(*, actor: Membership, mine_only: bool = False) -> QuerySet[Case]:
    require_view(actor)
    return _cases_at(actor.organisation_id, actor.user_id if mine_only else None)


def _awaiting(partner: object) -> QuerySet[Referral]:
    return (
        Referral.objects.filter(delivery_partner=partner, status=referral_statuses.ASSIGNED)
        .select_related("person", "adviser", "referring_organisation")
        .order_by("status_changed_at")
    )


def referrals_awaiting_enrolment(*, actor: Membership) -> QuerySet[Referral]:
    """Referrals routed to the actor's organisation and not yet enrolled."""
    require_view(actor)
    return _awaiting(actor.organisation_id)


# What the caseload's "waiting to be enrolled" list shows of each referral: a referral row is wide
# (the referrer's answers), and the list showed five columns of it.
_AWAITING_COLUMNS = (
    *("reference", "status_changed_at", "person_id", "referring_organisation_id"),
    *("person__given_name", "person__family_name", "referring_organisation__name"),
)


def _awaiting_listed(mine_only: bool, partner: object, adviser: object = None) -> QuerySet[Referral]:
    awaiting = _awaiting(partner)
    if mine_only:
        awaiting = awaiting.filter(adviser=adviser)
    shown = awaiting.select_related(None).select_related("person", "referring_organisation")
    return shown.only(*_AWAITING_COLUMNS)


@functools.lru_cache(maxsize=256)
def _awaiting_shown(mine_only: bool, limit: int, offset: int = 0) -> CompiledQuery[Referral]:
    """The caseload's waiting list (a page of it) and how many wait in all, as one query built once
    (decision 011)."""

    def build(partner: object, adviser: object = None) -> QuerySet[Referral]:
        return with_total(_awaiting_listed(mine_only, partner, adviser))[offset : offset + limit]

    keys = {"partner": Referral._meta.get_field("delivery_partner")}
    return CompiledQuery(build, **keys, **({"adviser": Referral._meta.get_field("adviser")} if mine_only else {}))


def awaiting_enrolment_shown(*, actor: Membership, mine_only: bool, limit: int) -> tuple[list[Referral], int]:
    """The caseload's list of referrals waiting to be enrolled (the adviser's own, or the
    organisation's), the longest waiting first, at most `limit`, and how many wait in all. One query."""
    require_view(actor)
    mine = {"adviser": actor.user_id} if mine_only else {}
    rows = _awaiting_shown(mine_only, limit)(partner=actor.organisation_id, **mine)
    return rows, rows[0].page_total if rows else 0


def awaiting_enrolment_page(*, actor: Membership, adviser: object | None, page: object, size: int = PAGE_SIZE) -> Page:
    """A page of the referrals waiting to be enrolled at the actor's organisation (with `adviser`,
    assigned to that adviser), as `awaiting_enrolment_shown`. One query."""
    require_view(actor)
    by_adviser = adviser is not None
    mine = {"adviser": adviser} if by_adviser else {}
    partner = actor.organisation_id
    return paginate(
        lambda: _awaiting_listed(by_adviser, partner, adviser),
        page,
        size=size,
        read=lambda offset: _awaiting_shown(by_adviser, size, offset)(partner=partner, **mine),
    )


def referral_for_enrolment(*, actor: Membership, pk: UUID | str) -> Referral:
    awaiting = referrals_awaiting_enrolment(actor=actor)
    try:
        return awaiting.get(pk=pk)
    except (Referral.DoesNotExist, ValueError, ValidationError) as exc:
        raise Http404("No such referral") from exc


def case_get(*, actor: Membership, pk: UUID | str, audit: bool = True, only: tuple[str, ...] = ()) -> Case:
    """One case in the actor's organisation. Reading a person's record is audited. `only`: the
    columns a page shows, where reading the rest (the referral's answers, say) is measurable."""
    require_view(actor)
    try:
        found = _case_query(only)(pk=pk, partner=actor.organisation_id)
    except (ValueError, ValidationError) as exc:
        raise Http404("No such case") from exc
    if not found:
        raise Http404("No such case")
    case = found[0]
    if audit:
        case_read_audit(actor=actor, case=case)
    return case


@functools.cache
def _case_query(only: tuple[str, ...]) -> CompiledQuery[Case]:
    """`case_get`'s read, with its related people and organisation, built once for each column list
    (every case page makes it; `CompiledQuery`, decision 011)."""

    def build(pk: object, partner: object) -> QuerySet[Case]:
        cases = Case.objects.select_related("person", "adviser", "referral", "delivery_partner")
        if any(column.startswith("referral__referring_organisation__") for column in only):
            cases = cases.select_related("referral__referring_organisation")  # the record page's "what was sent"
        return (cases.only(*only) if only else cases).filter(pk=pk, delivery_partner=partner)[:1]

    return CompiledQuery(build, pk=Case._meta.pk, partner=Case._meta.get_field("delivery_partner"))


@dataclass(frozen=True)
class CaseRecord:
    """Everything the person's record page shows."""

    case: Case
    contacts: list[Contact]
    milestones: list[MilestoneDue]
    wellbeing: list[WellbeingSeries]
    assessments: AssessmentHistory
    exits: list[CaseExit]
    early_help: list[EarlyHelp]
    applications: list[JobApplication]
    work_activities: list[WorkActivity]
    better_off: list[BetterOffCalculation]


# What the record page shows of the case and its people (the page's query-count test fails if the
# template reads a column left out here).
_RECORD_COLUMNS = (
    *("stage", "enrolled_on", "eligibility_evidence", "closed_on", "next_action", "next_review_on"),
    *("person_id", "adviser_id", "referral_id", "delivery_partner_id"),
    *("person__given_name", "person__family_name", "person__date_of_birth"),
    *("person__email", "person__phone", "person__postcode"),
    *("adviser__first_name", "adviser__last_name", "adviser__username"),
    *("referral__reference", "delivery_partner__name"),
    # What the referrer sent (the record page shows it, `referrals/_sent_rows.html`).
    *("referral__route", "referral__details", "referral__employment_status", "referral__benefits"),
    *("referral__health_condition", "referral__help_wanted", "referral__created_at"),
    *("referral__referring_organisation_id", "referral__referring_organisation__name"),
)


def _sections_with_rows(case: Case) -> set[str]:
    """Which of the record's sections have any rows: one query of index probes. Written by hand
    because the ORM takes longer to compile nine EXISTS subqueries than the database to run them."""
    key = Case._meta.pk.get_db_prep_value(case.pk, connection)
    with connection.cursor() as cursor:
        cursor.execute(_SECTIONS_SQL, [key] * len(_SECTIONS))
        found = cursor.fetchone()
    return {name for name, has in zip(_SECTIONS, found, strict=True) if has}


def case_record(*, actor: Membership, pk: UUID | str) -> CaseRecord:
    """The person's record (an audited read). One query says which sections have rows, so a section
    with none costs no query: a new case is three queries, not twelve."""
    case = case_get(actor=actor, pk=pk, only=_RECORD_COLUMNS)
    present = _sections_with_rows(case)

    def rows(section: str, read):
        return read() if section in present else []

    return CaseRecord(
        case=case,
        contacts=rows("contacts", lambda: recent_contacts(case=case)),
        milestones=rows("job_starts", lambda: case_milestones(case=case)),
        wellbeing=rows("wellbeing", lambda: case_wellbeing(case=case)),
        assessments=case_assessments(case=case) if "assessments" in present else AssessmentHistory([], []),
        exits=rows("exits", lambda: list(case.exits.all())),
        early_help=rows("early_help", lambda: list(case.early_help.all())),
        applications=rows("applications", lambda: list(case.job_applications.all()[:50])),
        work_activities=rows("work_activities", lambda: work_activities(case=case)),
        better_off=rows("better_off", lambda: better_off_calculations(case=case, limit=5)),
    )


def case_read_audit(*, actor: Membership, case: Case) -> None:
    """Record that the actor read the person's record (for a page that looked up more than the case
    before it could show anything)."""
    audit_record(
        actor=actor.user,
        verb=AuditVerb.VIEWED,
        target=case,
        organisation=actor.organisation,
        person_id=case.person_id,
    )


@dataclass(frozen=True)
class CaseloadFilters:
    mine_only: bool = True
    stage: str = ""  # a stage code, or "active" for every stage that is not closed
    review: str = ""  # "overdue", "due" (overdue or within REVIEW_DUE_WITHIN_DAYS) or ""
    no_recent_contact: bool = False
    adviser_id: int | None = None
    text: str = ""  # a name (each word part of the first or last name), a reference or an NHS number
    sort: str = ""  # one of SORTS; "" is the list's own order (the next review first when filtered by it)


# How the caseload may be sorted: the code, its label, and the order (each ends with the key, so a
# page is stable). "contact": the longest without contact first (since enrolment if none yet).
SORTS: dict[str, tuple[str, tuple]] = {
    "enrolled": ("Newest enrolment first", ("-enrolled_on", "pk")),
    "name": ("Last name", ("person__family_name", "person__given_name", "pk")),
    "review": ("Next review first", (F("next_review_on").asc(nulls_last=True), "-enrolled_on", "pk")),
    "contact": ("Longest without contact first", (Coalesce("last_contact_on", "enrolled_on").asc(), "pk")),
}
SORT_CHOICES = [("", "Newest enrolment first")] + [
    (code, label) for code, (label, _o) in SORTS.items() if code != "enrolled"
]
_CASE_TEXT = referral_selectors.SearchFields(
    "person__given_name", "person__family_name", "referral__reference", "person__nhs_number"
)


@dataclass(frozen=True)
class CaseloadRow:
    case: Case
    days_since_contact: int  # since the last contact, or since enrolment if there has been none
    review_overdue: bool
    review_due_soon: bool

    @property
    def contact_stale(self) -> bool:
        return self.days_since_contact > CONTACT_STALE_AFTER_DAYS


def _caseload_cases(filters: CaseloadFilters, **values: object) -> QuerySet[Case]:
    """The caseload's list, filtered and in order. `values`: the organisation (`partner`), the
    adviser (`adviser`: the actor's own cases, or the one a manager picked), and the dates the
    filters compare with (`today`, `due_by`, `cutoff`); see `_caseload_values`."""
    qs = _cases_at(values["partner"], values.get("adviser"))
    if filters.stage == "active":
        qs = qs.exclude(stage=stages.CLOSED)
    elif filters.stage in stages.REGISTRY:
        qs = qs.filter(stage=filters.stage)
    if filters.review == "overdue":
        qs = qs.filter(next_review_on__lt=values["today"])
    elif filters.review == "due":
        qs = qs.filter(next_review_on__lte=values["due_by"])
    if filters.no_recent_contact:
        cutoff = values["cutoff"]
        qs = qs.filter(Q(last_contact_on__lt=cutoff) | Q(last_contact_on__isnull=True, enrolled_on__lt=cutoff))
    if filters.text.strip():
        qs = qs.filter(referral_selectors.text_search(filters.text, _CASE_TEXT))
    if filters.sort in SORTS:
        return qs.order_by(*SORTS[filters.sort][1])
    return qs.order_by("next_review_on", "-enrolled_on", "pk") if filters.review else qs.order_by("-enrolled_on", "pk")


def _caseload_kind(filters: CaseloadFilters) -> CaseloadFilters:
    """The filters that shape the caseload's SQL; whose cases, and the dates, are its values. (A
    search's text is neither: a search is read through the ORM, not built once.)"""
    return CaseloadFilters(
        stage=filters.stage, review=filters.review, no_recent_contact=filters.no_recent_contact, sort=filters.sort
    )


def _caseload_values(filters: CaseloadFilters, actor: Membership, today: date) -> dict[str, object]:
    values: dict[str, object] = {"partner": actor.organisation_id}
    if filters.mine_only:
        values["adviser"] = actor.user_id
    elif filters.adviser_id is not None:
        values["adviser"] = filters.adviser_id
    if filters.review == "overdue":
        values["today"] = today
    elif filters.review == "due":
        values["due_by"] = today + timedelta(days=REVIEW_DUE_WITHIN_DAYS)
    if filters.no_recent_contact:
        values["cutoff"] = today - timedelta(days=CONTACT_STALE_AFTER_DAYS)
    return values


_CASELOAD_KEYS = {
    "partner": Case._meta.get_field("delivery_partner"),
    "adviser": Case._meta.get_field("adviser"),
    "today": Case._meta.get_field("next_review_on"),
    "due_by": Case._meta.get_field("next_review_on"),
    "cutoff": Case._meta.get_field("enrolled_on"),
}


@functools.lru_cache(maxsize=512)
def _caseload_page(filters: CaseloadFilters, names: tuple[str, ...], offset: int, size: int) -> CompiledQuery[Case]:
    """One page of a caseload with its total, built once for each kind of filter and page (decision
    011): the caseload is the page advisers open most after the person record."""
    return CompiledQuery(
        lambda **values: with_total(_caseload_cases(filters, **values))[offset : offset + size],
        **{name: _CASELOAD_KEYS[name] for name in names},
    )


def caseload(*, actor: Membership, filters: CaseloadFilters, page: object = 1, size: int = PAGE_SIZE) -> Page:
    """The adviser's (or the organisation's) cases with what needs doing, a page of `size` at a time
    (`joinedup.core.pagination`). One query (the page with its count) whatever the size."""
    require_view(actor)
    today = timezone.localdate()
    values = _caseload_values(filters, actor, today)
    kind = _caseload_kind(filters)
    if filters.text.strip():  # a search: the ORM's one query (text is not a value CompiledQuery takes)
        found = paginate(_caseload_cases(replace(kind, text=filters.text), **values), page, size=size)
    else:
        found = paginate(
            lambda: _caseload_cases(kind, **values),
            page,
            size=size,
            read=lambda offset: _caseload_page(kind, tuple(sorted(values)), offset, size)(**values),
        )
    rows = []
    for case in found.rows:
        review = case.next_review_on
        rows.append(
            CaseloadRow(
                case=case,
                days_since_contact=(today - (case.last_contact_on or case.enrolled_on)).days,
                review_overdue=review is not None and review < today and case.stage != stages.CLOSED,
                review_due_soon=review is not None
                and today <= review <= today + timedelta(days=REVIEW_DUE_WITHIN_DAYS)
                and case.stage != stages.CLOSED,
            )
        )
    return replace(found, rows=rows)


@dataclass(frozen=True)
class AdviserCaseload:
    adviser_id: int
    name: str
    active: int
    in_work: int
    reviews_overdue: int

    @property
    def over_ips_limit(self) -> bool:
        return self.active > IPS_MAX_ACTIVE_CASES


def caseload_sizes(*, actor: Membership) -> list[AdviserCaseload]:
    """Active cases per adviser in the actor's organisation, with the IPS fidelity limit. Two queries."""
    require_view(actor)
    today = timezone.localdate()
    grouped = (
        Case.objects.filter(delivery_partner=actor.organisation)
        .exclude(stage=stages.CLOSED)
        .values("adviser_id")
        .annotate(
            active=Count("pk"),
            in_work=Count("pk", filter=~Q(stage=stages.ENROLLED)),
            overdue=Count("pk", filter=Q(next_review_on__lt=today)),
        )
        .order_by()
    )
    counts = {row["adviser_id"]: row for row in grouped}
    staff = (
        Membership.objects.filter(
            Q(organisation=actor.organisation)
            & (Q(role__in=[Role.PERSONAL_ADVISER, Role.PARTNER_MANAGER]) | Q(user_id__in=list(counts)))
        )
        .select_related("user")
        .order_by("user__last_name", "user__first_name", "user__username")
    )
    seen: set[int] = set()
    result = []
    for m in staff:
        row = counts.get(m.user_id, {})
        if m.user_id in seen or (m.role == Role.PARTNER_MANAGER and not row):
            continue  # once each; a manager who carries no cases is not an adviser
        seen.add(m.user_id)
        result.append(
            AdviserCaseload(
                adviser_id=m.user_id,
                name=m.user.get_full_name() or m.user.username,
                active=row.get("active", 0),
                in_work=row.get("in_work", 0),
                reviews_overdue=row.get("overdue", 0),
            )
        )
    return result


def case_of_person(*, person: Any) -> Case | None:
    """The person's own case, the latest if they have had more than one, with their adviser and
    partner: for the person's own pages (decision 022), which have checked who is signed in and
    audit the read themselves. Unscoped by organisation: the person is reading their own."""
    return (
        Case.objects.filter(person=person)
        .select_related("adviser", "delivery_partner", "referral")
        .order_by("-enrolled_on", "-created_at")
        .first()
    )
