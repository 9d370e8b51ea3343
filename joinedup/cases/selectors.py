"""Reads for cases, scoped to the acting membership's organisation."""

from __future__ import annotations

import functools
from dataclasses import dataclass, replace
from datetime import date, timedelta
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import connection
from django.db.models import Count, Exists, OuterRef, Q, QuerySet, Subquery
from django.http import Http404
from django.utils import timezone

from joinedup.audit.models import AuditVerb
from joinedup.audit.services import audit_record
from joinedup.core.compiled import CompiledQuery
from joinedup.core.errors import NotPermitted
from joinedup.core.pagination import PAGE_SIZE, Page, paginate, with_total
from joinedup.core.selectors import get_in_scope
from joinedup.directory import selectors as directory_selectors
from joinedup.organisations.models import Membership, Role
from joinedup.organisations.permissions import Perm, has_perm
from joinedup.referrals import statuses as referral_statuses
from joinedup.referrals.models import Referral

from . import instruments, stages
from .models import (
    MILESTONES,
    AreaRating,
    Assessment,
    AssessmentArea,
    AssessmentRating,
    BetterOffCalculation,
    Case,
    CaseExit,
    Contact,
    EarlyHelp,
    GoalStatus,
    JobApplication,
    JobStart,
    Milestone,
    OnwardReferral,
    PlanAction,
    PlanGoal,
    Sustainment,
    WellbeingMeasure,
    WorkActivity,
)

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
MILESTONE_OVERDUE_AFTER_DAYS = 14  # a milestone check within two weeks of its date is on time


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


def _require_view(actor: Membership) -> None:
    if not has_perm(actor, Perm.CASE_VIEW_ORG):
        raise NotPermitted("You do not have permission to see cases.")


def _cases_at(partner: object, adviser: object | None = None) -> QuerySet[Case]:
    """The cases at a delivery partner (with `adviser`, that adviser's), as a caseload row shows them."""
    # Correlated subqueries, not Count/Max over a join: the database then counts contacts only for
    # the cases a page shows (each an index-only lookup), instead of grouping every contact of the
    # organisation's cases before sorting and slicing. See docs/benchmarks.md.
    contacts = Contact.objects.filter(case=OuterRef("pk")).order_by()
    qs = (
        Case.objects.filter(delivery_partner=partner)
        .select_related("person", "adviser")
        # What a caseload row shows, not every column of case, person and adviser.
        .only(*CASELOAD_FIELDS)
        .annotate(last_contact_on=Subquery(contacts.order_by("-happened_on").values("happened_on")[:1]))
    )
    return qs if adviser is None else qs.filter(adviser=adviser)


def case_list(*, actor: Membership, mine_only: bool = False) -> QuerySet[Case]:
    _require_view(actor)
    return _cases_at(actor.organisation_id, actor.user_id if mine_only else None)


def _awaiting(partner: object) -> QuerySet[Referral]:
    return (
        Referral.objects.filter(delivery_partner=partner, status=referral_statuses.ASSIGNED)
        .select_related("person", "adviser", "referring_organisation")
        .order_by("status_changed_at")
    )


def referrals_awaiting_enrolment(*, actor: Membership) -> QuerySet[Referral]:
    """Referrals routed to the actor's organisation and not yet enrolled."""
    _require_view(actor)
    return _awaiting(actor.organisation_id)


# What the caseload's "waiting to be enrolled" list shows of each referral: a referral row is wide
# (the referrer's answers), and the list showed five columns of it.
_AWAITING_COLUMNS = (
    *("reference", "status_changed_at", "person_id", "referring_organisation_id"),
    *("person__given_name", "person__family_name", "referring_organisation__name"),
)


@functools.cache
def _awaiting_shown(mine_only: bool, limit: int) -> CompiledQuery[Referral]:
    """The caseload's waiting list and how many wait in all, as one query built once (decision 011)."""

    def build(partner: object, adviser: object = None) -> QuerySet[Referral]:
        awaiting = _awaiting(partner)
        if mine_only:
            awaiting = awaiting.filter(adviser=adviser)
        shown = awaiting.select_related(None).select_related("person", "referring_organisation")
        return with_total(shown.only(*_AWAITING_COLUMNS))[:limit]

    keys = {"partner": Referral._meta.get_field("delivery_partner")}
    return CompiledQuery(build, **keys, **({"adviser": Referral._meta.get_field("adviser")} if mine_only else {}))


def awaiting_enrolment_shown(*, actor: Membership, mine_only: bool, limit: int) -> tuple[list[Referral], int]:
    """The caseload's list of referrals waiting to be enrolled (the adviser's own, or the
    organisation's), the longest waiting first, at most `limit`, and how many wait in all. One query."""
    _require_view(actor)
    mine = {"adviser": actor.user_id} if mine_only else {}
    rows = _awaiting_shown(mine_only, limit)(partner=actor.organisation_id, **mine)
    return rows, rows[0].page_total if rows else 0


def referral_for_enrolment(*, actor: Membership, pk: str) -> Referral:
    awaiting = referrals_awaiting_enrolment(actor=actor)
    try:
        return awaiting.get(pk=pk)
    except (Referral.DoesNotExist, ValueError, ValidationError) as exc:
        raise Http404("No such referral") from exc


def case_get(*, actor: Membership, pk: str, audit: bool = True, only: tuple[str, ...] = ()) -> Case:
    """One case in the actor's organisation. Reading a person's record is audited. `only`: the
    columns a page shows, where reading the rest (the referral's answers, say) is measurable."""
    _require_view(actor)
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


CONTACTS_SHOWN = 50  # the most recent, on the record page

# What the record page shows of the case and its people (the page's query-count test fails if the
# template reads a column left out here), and of each contact.
_RECORD_COLUMNS = (
    *("stage", "enrolled_on", "eligibility_evidence", "closed_on", "next_action", "next_review_on"),
    *("person_id", "adviser_id", "referral_id", "delivery_partner_id"),
    *("person__given_name", "person__family_name", "person__date_of_birth"),
    *("person__email", "person__phone", "person__postcode"),
    *("adviser__first_name", "adviser__last_name", "adviser__username"),
    *("referral__reference", "delivery_partner__name"),
)
_CONTACT_COLUMNS = ("case_id", "happened_on", "channel", "kind", "duration_minutes", "notes")
# The record's most recent contacts, newest first (`CompiledQuery`, decision 011).
_contacts_shown = CompiledQuery(
    lambda case: Contact.objects.filter(case=case).only(*_CONTACT_COLUMNS)[:CONTACTS_SHOWN],
    case=Contact._meta.get_field("case"),
)


def _sections_with_rows(case: Case) -> set[str]:
    """Which of the record's sections have any rows: one query of index probes. Written by hand
    because the ORM takes longer to compile nine EXISTS subqueries than the database to run them."""
    key = Case._meta.pk.get_db_prep_value(case.pk, connection)
    with connection.cursor() as cursor:
        cursor.execute(_SECTIONS_SQL, [key] * len(_SECTIONS))
        found = cursor.fetchone()
    return {name for name, has in zip(_SECTIONS, found, strict=True) if has}


def case_record(*, actor: Membership, pk: str) -> CaseRecord:
    """The person's record (an audited read). One query says which sections have rows, so a section
    with none costs no query: a new case is three queries, not twelve."""
    case = case_get(actor=actor, pk=pk, only=_RECORD_COLUMNS)
    present = _sections_with_rows(case)

    def rows(section: str, read):
        return read() if section in present else []

    return CaseRecord(
        case=case,
        contacts=rows("contacts", lambda: _contacts_shown(case=case.pk)),
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


def job_start_get(*, actor: Membership, case: Case, pk: str) -> JobStart:
    try:
        return case.job_starts.get(pk=pk)
    except (JobStart.DoesNotExist, ValueError, ValidationError) as exc:
        raise Http404("No such job start") from exc


@dataclass(frozen=True)
class MilestoneDue:
    job_start: JobStart
    milestone: Milestone
    due_on: date
    recorded: Sustainment | None

    @property
    def weeks(self) -> int | None:
        return self.milestone.weeks

    @property
    def achieved_on(self) -> date | None:
        return self.recorded.achieved_on if self.recorded else None

    @property
    def overdue(self) -> bool:
        """Not recorded more than MILESTONE_OVERDUE_AFTER_DAYS after it fell due."""
        return self.recorded is None and (timezone.localdate() - self.due_on).days > MILESTONE_OVERDUE_AFTER_DAYS

    @property
    def status(self) -> str:
        """ "recorded", "due" (due today or before, not recorded) or "upcoming"."""
        if self.recorded:
            return "recorded"
        return "due" if self.due_on <= timezone.localdate() else "upcoming"


# A case's job starts, and the milestones recorded for them (`CompiledQuery`, decision 011).
_job_starts_of = CompiledQuery(lambda case: JobStart.objects.filter(case=case), case=JobStart._meta.get_field("case"))
_sustainments_of = CompiledQuery(
    lambda case: Sustainment.objects.filter(job_start__case=case), case=JobStart._meta.get_field("case")
)


def case_milestones(*, case: Case) -> list[MilestoneDue]:
    """The 4, 13 and 26 week milestones and the 6-month follow-up of each job start, due automatically
    from its start date. Two queries."""
    recorded: dict[object, dict[str, Sustainment]] = {}
    for s in _sustainments_of(case=case.pk):
        recorded.setdefault(s.job_start_id, {})[s.milestone.code] = s
    result: list[MilestoneDue] = []
    for job in _job_starts_of(case=case.pk):
        mine = recorded.get(job.pk, {})
        for milestone in MILESTONES:
            result.append(MilestoneDue(job, milestone, job.milestone_due_on(milestone), mine.get(milestone.code)))
    return result


@dataclass(frozen=True)
class WellbeingPoint:
    measure: WellbeingMeasure
    value: Decimal | int
    band: str
    percent: int  # bar length, the value's place between the scale's lowest and highest


@dataclass(frozen=True)
class WellbeingSeries:
    """One score over time: a questionnaire's total (or metric score), or one ONS4 question."""

    name: str
    scale: str  # for example "7 to 35"
    higher_is_better: bool
    points: list[WellbeingPoint]

    @property
    def change(self) -> Decimal | int | None:
        return self.points[-1].value - self.points[0].value if len(self.points) > 1 else None

    @property
    def improved(self) -> bool | None:
        change = self.change
        if not change:
            return None
        return (change > 0) == self.higher_is_better


_wellbeing_of = CompiledQuery(  # `CompiledQuery`, decision 011
    lambda case: WellbeingMeasure.objects.filter(case=case).order_by("recorded_on", "created_at"),
    case=WellbeingMeasure._meta.get_field("case"),
)


def case_wellbeing(*, case: Case) -> list[WellbeingSeries]:
    """Each instrument's scores for the case in date order, ready for a table and a bar chart. One query."""
    by_code: dict[str, list[WellbeingMeasure]] = {}
    for m in _wellbeing_of(case=case.pk):
        by_code.setdefault(m.instrument, []).append(m)
    series: list[WellbeingSeries] = []
    for code, inst in instruments.REGISTRY.items():
        measures = by_code.get(code)
        if not measures:
            continue
        if inst.has_total:
            low, high = inst.total_range
            name = f"{inst.name}{', metric score' if code == instruments.SWEMWBS else ', total'}"
            points = [
                WellbeingPoint(m, v, m.band, _percent(v, low, high))
                for m in measures
                for v in [m.converted if m.converted is not None else m.total]
            ]
            series.append(WellbeingSeries(name, f"{low} to {high}", inst.higher_is_better, points))
        else:
            for i, item in enumerate(inst.item_names):
                bands = inst.item_bands[i]
                points = [
                    WellbeingPoint(
                        m,
                        m.answers[i],
                        instruments.band_of(bands, m.answers[i]),
                        _percent(m.answers[i], inst.minimum, inst.maximum),
                    )
                    for m in measures
                ]
                higher = item != "Anxiety"
                series.append(WellbeingSeries(f"ONS4: {item}", f"{inst.minimum} to {inst.maximum}", higher, points))
    return series


def _percent(value: Decimal | int, low: int, high: int) -> int:
    # At least a sliver, so the lowest score still shows as a bar.
    return max(2, round((value - low) * 100 / (high - low)))


@dataclass(frozen=True)
class CaseloadFilters:
    mine_only: bool = True
    stage: str = ""  # a stage code, or "active" for every stage that is not closed
    review: str = ""  # "overdue", "due" (overdue or within REVIEW_DUE_WITHIN_DAYS) or ""
    no_recent_contact: bool = False
    adviser_id: int | None = None


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
    return qs.order_by("next_review_on", "-enrolled_on", "pk") if filters.review else qs.order_by("-enrolled_on", "pk")


def _caseload_kind(filters: CaseloadFilters) -> CaseloadFilters:
    """The filters that shape the caseload's SQL; whose cases, and the dates, are its values."""
    return CaseloadFilters(stage=filters.stage, review=filters.review, no_recent_contact=filters.no_recent_contact)


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
    _require_view(actor)
    today = timezone.localdate()
    values = _caseload_values(filters, actor, today)
    kind = _caseload_kind(filters)
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
    _require_view(actor)
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


@dataclass(frozen=True)
class AreaHistory:
    area: str
    label: str
    ratings: list[int | None]  # one per assessment, oldest first
    labels: list[str]

    @property
    def cells(self) -> list[tuple[int | None, str]]:
        return list(zip(self.ratings, self.labels, strict=True))

    @property
    def change(self) -> int | None:
        known = [r for r in self.ratings if r is not None]
        return known[-1] - known[0] if len(known) > 1 else None


@dataclass(frozen=True)
class AssessmentHistory:
    assessments: list[Assessment]
    areas: list[AreaHistory]


# A case's assessments, and their ratings as values (`CompiledQuery`, decision 011).
_assessments_of = CompiledQuery(
    lambda case: Assessment.objects.filter(case=case).only("assessed_on", "summary", "created_at"),
    case=Assessment._meta.get_field("case"),
)
_ratings_of = CompiledQuery(
    lambda case: AreaRating.objects.filter(assessment__case=case).values_list("assessment_id", "area", "rating"),
    case=Assessment._meta.get_field("case"),
)


def case_assessments(*, case: Case) -> AssessmentHistory:
    """Every assessment of the case, oldest first, as one row per area. Two queries: the ratings
    (a dozen an assessment) are read as values, not model instances, as the table shows only them."""
    assessments = _assessments_of(case=case.pk)
    given: dict[object, dict[str, int]] = {a.pk: {} for a in assessments}
    if given:
        for assessment_id, area, rating in _ratings_of(case=case.pk):
            given[assessment_id][area] = rating
    by_assessment = list(given.values())
    label = dict(AssessmentRating.choices)
    areas = []
    for area in AssessmentArea:
        ratings = [g.get(area.value) for g in by_assessment]
        labels = [label[r] if r else "Not rated" for r in ratings]
        areas.append(AreaHistory(area.value, area.label, ratings, labels))
    return AssessmentHistory(assessments, areas)


@dataclass(frozen=True)
class GoalWithActions:
    goal: PlanGoal | None  # None holds the actions not tied to a goal
    actions: list[PlanAction]


@dataclass(frozen=True)
class Plan:
    goals: list[GoalWithActions]
    overdue_actions: int
    open_goals: int


def case_plan(*, case: Case) -> Plan:
    """The personal plan: each goal with its actions, then actions with no goal. Two queries."""
    today = timezone.localdate()
    goals = list(PlanGoal.objects.filter(case=case))
    actions = list(PlanAction.objects.filter(case=case))
    by_goal: dict[object, list[PlanAction]] = {}
    for a in actions:
        by_goal.setdefault(a.goal_id, []).append(a)
    grouped = [GoalWithActions(g, by_goal.get(g.pk, [])) for g in goals]
    if by_goal.get(None):
        grouped.append(GoalWithActions(None, by_goal[None]))
    return Plan(
        goals=grouped,
        overdue_actions=sum(1 for a in actions if a.done_on is None and a.due_on < today),
        open_goals=sum(1 for g in goals if g.status == GoalStatus.OPEN),
    )


def plan_goal_get(*, case: Case, pk: str) -> PlanGoal:
    try:
        return case.goals.get(pk=pk)
    except (PlanGoal.DoesNotExist, ValueError, ValidationError) as exc:
        raise Http404("No such goal") from exc


def plan_action_get(*, case: Case, pk: str) -> PlanAction:
    try:
        return case.plan_actions.get(pk=pk)
    except (PlanAction.DoesNotExist, ValueError, ValidationError) as exc:
        raise Http404("No such action") from exc


MILESTONE_REMINDER_WINDOW_DAYS = 400  # job starts older than this are past their last milestone (6 months)


def _recorded(milestone: Milestone) -> Exists:
    """Whether the job start (the outer row) has this milestone recorded."""
    when = {"weeks": milestone.weeks} if milestone.weeks is not None else {"months": milestone.months}
    return Exists(Sustainment.objects.filter(job_start=OuterRef("pk"), **when))


@functools.cache
def _milestone_jobs(mine_only: bool) -> CompiledQuery[JobStart]:
    """The job starts at open cases that started between `since` and `until`, at a partner (or an
    adviser's), each with which milestones it has recorded: one query, built once (decision 011)."""

    def build(partner: object, since: date, until: date, adviser: object = None) -> QuerySet[JobStart]:
        jobs = (
            JobStart.objects.filter(case__delivery_partner=partner, start_date__gte=since, start_date__lte=until)
            .exclude(case__stage=stages.CLOSED)
            .select_related("case__person")
            # Only what a reminder shows: a partner's year of job starts is thousands of rows.
            .only(
                "start_date",
                "job_title",
                "employer_name",
                "case__id",
                "case__person__given_name",
                "case__person__family_name",
            )
            .annotate(**{f"recorded_{m.code}": _recorded(m) for m in MILESTONES})
        )
        return jobs.filter(case__adviser=adviser) if mine_only else jobs

    start_date = JobStart._meta.get_field("start_date")
    keys = {"partner": Case._meta.get_field("delivery_partner"), "since": start_date, "until": start_date}
    return CompiledQuery(build, **keys, **({"adviser": Case._meta.get_field("adviser")} if mine_only else {}))


def milestones_due(*, actor: Membership, mine_only: bool = True, limit: int = 50) -> list[MilestoneDue]:
    """Reminders: in-work milestones now due and not yet recorded, for open cases, oldest due first.
    One query whatever the size."""
    _require_view(actor)
    today = timezone.localdate()
    jobs = _milestone_jobs(mine_only)(
        partner=actor.organisation_id,
        since=today - timedelta(days=MILESTONE_REMINDER_WINDOW_DAYS),
        until=today - timedelta(weeks=MILESTONES[0].weeks or 0),
        **({"adviser": actor.user_id} if mine_only else {}),
    )
    due: list[MilestoneDue] = []
    for job in jobs:
        for milestone in MILESTONES:
            when = job.milestone_due_on(milestone)
            if when <= today and not getattr(job, f"recorded_{milestone.code}"):
                due.append(MilestoneDue(job, milestone, when, None))
    due.sort(key=lambda m: m.due_on)
    return due[:limit]


def early_help_get(*, case: Case, pk: str) -> EarlyHelp:
    try:
        return case.early_help.get(pk=pk)
    except (EarlyHelp.DoesNotExist, ValueError, ValidationError) as exc:
        raise Http404("No such early help") from exc


def job_application_get(*, case: Case, pk: str) -> JobApplication:
    try:
        return case.job_applications.get(pk=pk)
    except (JobApplication.DoesNotExist, ValueError, ValidationError) as exc:
        raise Http404("No such application") from exc


def better_off_calculations(*, case: Case, limit: int = 10) -> list[BetterOffCalculation]:
    """The case's better-off-in-work calculations, newest first."""
    # The list shows when, the wage and who: the 41-point results stay in the database.
    return list(BetterOffCalculation.objects.filter(case=case).select_related("created_by").defer("results")[:limit])


def better_off_calculation_get(*, case: Case, pk: str) -> BetterOffCalculation:
    return get_in_scope(BetterOffCalculation.objects.select_related("created_by").filter(case=case), pk=pk)


def onward_referrals(*, case: Case) -> list[OnwardReferral]:
    return list(OnwardReferral.objects.filter(case=case).select_related("goal"))


def onward_referral_get(*, case: Case, pk: str) -> OnwardReferral:
    return get_in_scope(case.onward_referrals.all(), pk=pk)


def services_to_refer_to(*, text: str = "", limit: int = 300) -> list:
    """Published directory services an adviser can refer on to, through the directory's own selector."""
    return list(directory_selectors.published_services(text=text)[:limit])


def work_activities(*, case: Case) -> list[WorkActivity]:
    return list(WorkActivity.objects.filter(case=case))
