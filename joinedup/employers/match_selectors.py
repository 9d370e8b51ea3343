"""Matching, both ways, read from the database: the people who may fit a vacancy, the vacancies that
may fit a person. SQL narrows first (stage, hours, where they can travel); `matching` explains.

An adviser sees by name only people whose case is at their own organisation; of the other
partners' people they see how many may fit, never who."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from django.db.models import CharField, Count, F, Q, QuerySet, TextField, Value, When
from django.db.models.functions import Cast, Concat
from django.utils import timezone

from joinedup.audit.verbs import AuditVerb
from joinedup.cases import selectors as case_selectors
from joinedup.core.errors import NotPermitted
from joinedup.directory.areas import postcode_district
from joinedup.directory.eligibility import Outcome
from joinedup.organisations.permissions import Perm, has_perm
from joinedup.organisations.selectors import organisation_names

from .access import audit
from .choices import PAID_KINDS, VacancyStatus
from .match_rank import (
    RULED_OUT_SHOWN,
    all_of,
    any_of,
    binary,
    int_case,
    is_ruled_out,
    not_ruled_out,
    scored,
    walk,
    when_,
)
from .match_table import ADJUSTMENT_BITS, KIND_BITS, SEEKER_FIELDS, UNKNOWN_ADJUSTMENT, adjustment_bits
from .matching import BetterOff, Fit, Match, Post, Seeker, check_hours, check_travel, match, word_stems
from .models import MatchRow, Vacancy, WorkPreferences
from .wages import hourly_equivalent

if TYPE_CHECKING:
    from joinedup.organisations.permissions import Membership

MOST_EVALUATED = 2000  # cases read at once by `seekers`
SHOWN = 50
ALL_ADJUSTMENTS = sum(ADJUSTMENT_BITS.values())


def post_for(vacancy: Vacancy) -> Post:
    return _post(
        pk=vacancy.pk,
        title=vacancy.title,
        employer__name=vacancy.employer.name,
        site__district=vacancy.site.district,
        hours_min=vacancy.hours_min,
        hours_max=vacancy.hours_max,
        kind=vacancy.kind,
        wage=vacancy.wage,
        wage_period=vacancy.wage_period,
        adjustments_offered=vacancy.adjustments_offered,
        closing_on=vacancy.closing_on,
    )


_POST_FIELDS = ("pk", "title", "employer__name", "site__district", "hours_min", "hours_max", "kind", "wage",
                "wage_period", "adjustments_offered", "closing_on")  # fmt: skip


def _post(**r: Any) -> Post:
    """A `Post` from a vacancy's values (`_POST_FIELDS`): matching many reads rows, not models."""
    hourly = None
    if r["kind"] in PAID_KINDS:
        hourly = hourly_equivalent(r["wage"], r["wage_period"], r["hours_min"])
    return Post(
        vacancy_id=r["pk"],
        title=r["title"],
        employer_name=r["employer__name"],
        district=r["site__district"],
        hours_min=r["hours_min"],
        hours_max=r["hours_max"],
        kind=r["kind"],
        hourly_wage=hourly,
        adjustments_offered=frozenset(r["adjustments_offered"] or ()),
        closing_on=r["closing_on"],
    )


def _frozen(value: Any) -> frozenset[str] | None:
    return None if value is None else frozenset(value)


def seekers(cases: QuerySet[Any], *, goals_of: Any = None) -> list[Seeker]:
    """What matching needs of each case, in three queries (cases with preferences, goals, better off).
    With `goals_of` (an organisation id), plan goals are read only for that partner's cases: goals
    are a soft check, so the others' (only counted, by `may_fit`) do not need them."""
    rows = list(cases.values(*SEEKER_FIELDS)[:MOST_EVALUATED])
    ids = [r["pk"] for r in rows]
    goal_ids = ids if goals_of is None else [r["pk"] for r in rows if r["delivery_partner_id"] == goals_of]
    goals = case_selectors.open_goal_texts(case_ids=goal_ids)
    calcs = case_selectors.latest_better_off(case_ids=ids)
    out = []
    for r in rows:
        calc = calcs.get(r["pk"])
        better = None
        if calc is not None:
            better = BetterOff.from_results(calc.hourly_wage, timezone.localtime(calc.created_at).date(), calc.results)
        out.append(
            Seeker(
                case_id=r["pk"],
                partner_id=r["delivery_partner_id"],
                name=f"{r['person__given_name']} {r['person__family_name']}",
                home_district=r["person__postcode_district"] or None,
                hours_min=r["work_preferences__hours_min"],
                hours_max=r["work_preferences__hours_max"],
                travel_districts=_frozen(r["work_preferences__travel_districts"]),
                kinds=_frozen(r["work_preferences__kinds"]),
                adjustments_needed=_frozen(r["work_preferences__adjustments_needed"]),
                goals=tuple(goals.get(r["pk"], ())),
                better_off=better,
            )
        )
    return out


def _vacancy_rows(post: Post) -> QuerySet[Any]:
    """The matching table's rows of people who can reach the job (where they live or an area they can
    travel to) and whose known hours overlap its hours, with the part of the rank SQL can score."""
    rows = MatchRow.objects.filter(district=post.district).filter(
        Q(hours_min__isnull=True)
        | Q(hours_max__isnull=True)
        | Q(hours_min__lte=post.hours_max, hours_max__gte=post.hours_min)
    )
    paid = post.hourly_wage is not None and post.kind in PAID_KINDS
    stems = word_stems(post.title)
    offered = adjustment_bits(post.adjustments_offered) or 0
    rows = rows.annotate(
        kind_hit=F("kinds").bitand(KIND_BITS.get(post.kind, 0)),
        missing=F("adjustments").bitand((ALL_ADJUSTMENTS | UNKNOWN_ADJUSTMENT) & ~offered),
    )
    goal_yes = [When(any_of(Q(goal_stems__contains=f" {t} ") for t in sorted(stems)), then=2)] if stems else []
    unsure = int_case(When(better_off_wage__lte=post.hourly_wage, then=1), default=0) if paid else Value(0)
    return scored(
        rows.annotate(
            hours_s=int_case(When(Q(hours_min__isnull=True) | Q(hours_max__isnull=True), then=0), default=2),
            kind_s=int_case(When(kinds__isnull=True, then=0), When(kind_hit__gt=0, then=2), default=-1),
            goals_s=int_case(When(goal_stems__isnull=True, then=0), *goal_yes, default=-1),
            adj_s=int_case(When(adjustments__isnull=True, then=0), When(missing=0, then=2), default=-1),
            unsure=unsure,
            paid=Value(1 if paid else 0),
        )
    )


def _explain_cases(post: Post, rows: list[dict[str, Any]], *, goals_of: Any = None) -> dict[Any, Match]:
    """Each row's match, explained from the case itself (not the table's copy): a case the table
    still lists but that no longer reaches the job, or no longer seeks work, is left out."""
    found = seekers(case_selectors.cases_seeking_work().filter(pk__in=[r["case_id"] for r in rows]), goals_of=goals_of)
    out = {}
    for seeker in found:
        if check_travel(seeker, post).outcome != Outcome.ELIGIBLE:
            continue
        if check_hours(seeker, post).outcome == Outcome.NOT_ELIGIBLE:
            continue
        out[seeker.case_id] = match(seeker, post)
    return out


@dataclass
class PeopleMatches:
    vacancy: Vacancy
    fits: list[Match] = field(default_factory=list)
    ruled_out: list[Match] = field(default_factory=list)
    elsewhere: dict[str, int] = field(default_factory=dict)  # partner name -> how many may fit

    @property
    def elsewhere_total(self) -> int:
        return sum(self.elsewhere.values())


def _elsewhere(post: Post, rows: QuerySet[Any], mine: Any) -> dict[str, int]:
    """How many of the other partners' people may fit (not ruled out), by partner name, most first."""
    theirs = rows.exclude(partner_id=mine).filter(bound_order__lt=2)
    others: Counter[Any] = Counter(dict(theirs.order_by().values_list("partner_id").annotate(n=Count("pk"))))
    unsure = list(theirs.filter(unsure=1).values("case_id", "partner_id"))
    if unsure:  # a better-off figure may rule them out: asked of the case itself
        kept = _explain_cases(post, unsure, goals_of=mine)
        for r in unsure:
            if r["case_id"] not in kept or kept[r["case_id"]].fit == Fit.RULED_OUT:
                others[r["partner_id"]] -= 1
    names = organisation_names(ids=list(others))
    counted = sorted(
        ((names.get(k, "another partner"), n) for k, n in others.items() if n > 0), key=lambda x: (-x[1], x[0])
    )
    return dict(counted)


def people_for_vacancy(*, actor: Membership, vacancy: Vacancy) -> PeopleMatches:
    """The people on caseloads who may fit `vacancy`, ranked with reasons: named for the actor's own
    organisation, counted for the others. Audited (a list of people read for a purpose).

    Narrowed and ranked in SQL on the matching table (decision 030); only the rows the page shows
    (and any whose better-off figure SQL cannot settle) are explained by `matching`."""
    if not has_perm(actor, Perm.CASE_VIEW_ORG):
        raise NotPermitted("Only advisers see who may fit a vacancy.")
    post = post_for(vacancy)
    rows = _vacancy_rows(post)
    mine = rows.filter(partner_id=actor.organisation_id)
    tie = binary(Concat(F("name"), Value(post.title), output_field=CharField()))
    fields = ("case_id", "name", "bound_order", "bound_score", "ruled_bound")

    def bound(r: dict[str, Any]) -> tuple[Any, ...]:
        return (r["bound_order"], -r["bound_score"], r["name"] + post.title, r["case_id"])

    def ruled_bound(r: dict[str, Any]) -> tuple[Any, ...]:
        return (2, -r["ruled_bound"], r["name"] + post.title, r["case_id"])

    def explain(batch: list[dict[str, Any]]) -> list[tuple[tuple[Any, ...], Match]]:
        matches = _explain_cases(post, batch)
        return [((*m.rank_key, m.seeker.case_id), m) for m in matches.values()]

    results = PeopleMatches(vacancy)
    shown = mine.filter(bound_order__lt=2).order_by("bound_order", "-bound_score", tie, "case_id").values(*fields)
    results.fits = walk(shown, want=SHOWN, bound=bound, explain=explain, keep=not_ruled_out)
    ruled = mine.filter(Q(bound_order=2) | Q(unsure=1)).order_by("-ruled_bound", tie, "case_id").values(*fields)
    results.ruled_out = walk(ruled, want=RULED_OUT_SHOWN, bound=ruled_bound, explain=explain, keep=is_ruled_out)
    results.elsewhere = _elsewhere(post, rows, actor.organisation_id)
    audit(actor, AuditVerb.MATCHED, vacancy, shown=len(results.fits), elsewhere=results.elsewhere_total)
    return results


def seeker_for_case(case: Any) -> Seeker:
    found = seekers(case_selectors.cases_seeking_work().filter(pk=case.pk))
    if found:
        return found[0]
    # A case no longer at the enrolled stage can still be matched: read it directly.
    prefs = WorkPreferences.objects.filter(case_id=case.pk).first()
    goals = case_selectors.open_goal_texts(case_ids=[case.pk]).get(case.pk, [])
    return Seeker(
        case_id=case.pk,
        partner_id=case.delivery_partner_id,
        name=case.person.full_name,
        home_district=postcode_district(case.person.postcode),
        hours_min=prefs.hours_min if prefs else None,
        hours_max=prefs.hours_max if prefs else None,
        travel_districts=_frozen(prefs.travel_districts) if prefs else None,
        kinds=_frozen(prefs.kinds) if prefs else None,
        adjustments_needed=_frozen(prefs.adjustments_needed) if prefs else None,
        goals=tuple(goals),
    )


@dataclass
class VacancyMatches:
    seeker: Seeker
    fits: list[Match] = field(default_factory=list)
    ruled_out: list[Match] = field(default_factory=list)
    home_only: bool = False  # where they can travel is not known: only their home district searched


def _person_rows(seeker: Seeker) -> QuerySet[Any]:
    """The open vacancies in the districts the person can reach whose hours overlap theirs (when
    known), with the part of the rank SQL can score. The goals' score is an upper bound (a title
    containing a goal's stem); `matching` settles it for the rows explained."""
    qs = Vacancy.objects.filter(status=VacancyStatus.OPEN, closing_on__gte=timezone.localdate())
    districts = set(seeker.travel_districts or ())
    if seeker.home_district:
        districts.add(seeker.home_district)
    qs = qs.filter(site__district__in=sorted(districts))
    hours_known = seeker.hours_min is not None and seeker.hours_max is not None
    if hours_known:
        qs = qs.filter(hours_min__lte=seeker.hours_max, hours_max__gte=seeker.hours_min)
    paid = int_case(When(kind__in=sorted(PAID_KINDS), then=1), default=0)
    stems: set[str] = set()
    for goal in seeker.goals:
        stems |= word_stems(goal)
    kinds, needed = seeker.kinds, seeker.adjustments_needed
    return scored(
        qs.annotate(offered=Cast("adjustments_offered", TextField())).annotate(
            hours_s=Value(2 if hours_known else 0),
            kind_s=Value(0)
            if kinds is None
            else int_case(*when_(any_of(Q(kind=k) for k in sorted(kinds)), 2), default=-1),
            goals_s=Value(0)
            if not seeker.goals
            else int_case(*when_(any_of(Q(title__icontains=t) for t in sorted(stems)), 2), default=-1),
            adj_s=_adjustments_score(needed),
            paid=paid,
            unsure=paid if seeker.better_off is not None else Value(0),
        )
    )


def _adjustments_score(needed: frozenset[str] | None) -> Any:
    """2 when the vacancy offers every adjustment needed (or none is needed), -1 when not, 0 not known."""
    if needed is None:
        return Value(0)
    if not needed:
        return Value(2)
    offers_all = all_of(Q(offered__contains=f'"{a}"') for a in sorted(needed))
    return int_case(*when_(offers_all, 2), default=-1)


def vacancies_for_case(*, actor: Membership, case: Any) -> VacancyMatches:
    """The open vacancies that may fit the person on `case` (already read, and audited, by the
    caller through `cases.selectors.case_get`), ranked with reasons: narrowed and ranked in SQL, only
    the rows shown (and those whose goals or better-off figure SQL cannot settle) explained."""
    if not has_perm(actor, Perm.CASE_VIEW_ORG) or case.delivery_partner_id != actor.organisation_id:
        raise NotPermitted("You can only match people your organisation supports.")
    seeker = seeker_for_case(case)
    out = VacancyMatches(seeker, home_only=seeker.travel_districts is None)
    rows = _person_rows(seeker)
    fields = (*_POST_FIELDS, "bound_order", "bound_score", "ruled_bound")
    tie = (binary(F("title")), "closing_on", "pk")

    def bound(r: dict[str, Any]) -> tuple[Any, ...]:
        return (r["bound_order"], -r["bound_score"], seeker.name + r["title"], r["closing_on"], r["pk"])

    def ruled_bound(r: dict[str, Any]) -> tuple[Any, ...]:
        return (2, -r["ruled_bound"], seeker.name + r["title"], r["closing_on"], r["pk"])

    def explain(batch: list[dict[str, Any]]) -> list[tuple[tuple[Any, ...], Match]]:
        matches = [match(seeker, _post(**{k: r[k] for k in _POST_FIELDS})) for r in batch]
        return [((*m.rank_key, m.post.closing_on, m.post.vacancy_id), m) for m in matches]

    shown = rows.filter(bound_order__lt=2).order_by("bound_order", "-bound_score", *tie).values(*fields)
    out.fits = walk(shown, want=SHOWN, bound=bound, explain=explain, keep=not_ruled_out)
    ruled = rows.filter(Q(bound_order=2) | Q(unsure=1)).order_by("-ruled_bound", *tie).values(*fields)
    out.ruled_out = walk(ruled, want=RULED_OUT_SHOWN, bound=ruled_bound, explain=explain, keep=is_ruled_out)
    return out
