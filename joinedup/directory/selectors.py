"""Reads for the directory. The public and the ORUK feed see published services only; directory
managers see every lifecycle state."""

from __future__ import annotations

import dataclasses
import operator
import uuid
from collections import OrderedDict
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import date, time
from functools import reduce
from typing import Any

from django.db import connection
from django.db.models import BooleanField, Case, Exists, Expression, F, OuterRef, Prefetch, Q, QuerySet, Value, When

from joinedup.core.replica import replica_read
from joinedup.organisations.models import Membership
from joinedup.organisations.permissions import Perm, has_perm

from . import areas, search
from .eligibility import Circumstances, Evaluation, Outcome, evaluate, outcome
from .models import (
    Contact,
    EligibilityRuleSet,
    Lifecycle,
    Schedule,
    Service,
    ServiceArea,
    ServiceAtLocation,
    Taxonomy,
    TaxonomyTerm,
    review_due_before,
)


def _full(qs: QuerySet[Service]) -> QuerySet[Service]:
    return qs.select_related("organisation", "current_rule_set").prefetch_related(
        "schedules",
        "service_areas",
        "languages",
        "fundings",
        "cost_options",
        Prefetch("contacts", queryset=Contact.objects.prefetch_related("phones")),
        Prefetch("service_at_locations", queryset=ServiceAtLocation.objects.select_related("location")),
        Prefetch("terms", queryset=TaxonomyTerm.objects.select_related("taxonomy")),
    )


def _published() -> QuerySet[Service]:
    return Service.objects.filter(lifecycle=Lifecycle.PUBLISHED, archived_at__isnull=True)


@dataclass(frozen=True)
class OpeningFilter:
    """Opening times asked for: a day (RFC 5545 code, "MO" … "SU") and/or a time open at, or the ORUK
    API's start_time / end_time (opens at or after, closes at or before)."""

    day: str | None = None
    open_at: time | None = None
    opens_from: time | None = None
    closes_by: time | None = None

    def __bool__(self) -> bool:
        return any(v is not None for v in (self.day, self.open_at, self.opens_from, self.closes_by))

    def schedules(self) -> QuerySet[Schedule]:
        qs = Schedule.objects.filter(archived_at__isnull=True)
        if self.day:
            qs = qs.filter(byday__icontains=self.day)
        if self.open_at:
            qs = qs.filter(opens_at__lte=self.open_at, closes_at__gt=self.open_at)
        if self.opens_from:
            qs = qs.filter(opens_at__gte=self.opens_from)
        if self.closes_by:
            qs = qs.filter(closes_at__lte=self.closes_by)
        return qs

    def matches(self, schedule: Schedule) -> bool:
        """The same test in Python, for saying which opening time fits."""
        if self.day and self.day not in (schedule.byday or "").upper():
            return False
        if self.open_at and not (
            schedule.opens_at and schedule.closes_at and schedule.opens_at <= self.open_at < schedule.closes_at
        ):
            return False
        if self.opens_from and not (schedule.opens_at and schedule.opens_at >= self.opens_from):
            return False
        return not (self.closes_by and not (schedule.closes_at and schedule.closes_at <= self.closes_by))


def published_services(
    *,
    text: str = "",
    taxonomy_term_id: uuid.UUID | None = None,
    taxonomy_id: uuid.UUID | None = None,
    area: str | None = None,
    minimum_age_at_least: int | None = None,
    maximum_age_at_most: int | None = None,
    opening: OpeningFilter | None = None,
    full: bool = False,
) -> QuerySet[Service]:
    """Published services, optionally filtered by keyword, taxonomy term/taxonomy, area served, the ORUK
    API's age filters (a service's minimum age at least, maximum age at most) and opening times.

    Every filter is an EXISTS subquery or a column test, so no DISTINCT is needed."""
    qs = _keyword(_published(), text or "")
    through = Service.terms.through
    if taxonomy_term_id:
        qs = qs.filter(Exists(through.objects.filter(service_id=OuterRef("pk"), taxonomyterm_id=taxonomy_term_id)))
    if taxonomy_id:
        qs = qs.filter(Exists(through.objects.filter(service_id=OuterRef("pk"), taxonomyterm__taxonomy_id=taxonomy_id)))
    if area:
        qs = qs.filter(Exists(ServiceArea.objects.filter(service=OuterRef("pk"), area__in=areas.ancestors(area))))
    if minimum_age_at_least is not None:
        qs = qs.filter(minimum_age__gte=minimum_age_at_least)
    if maximum_age_at_most is not None:
        qs = qs.filter(maximum_age__lte=maximum_age_at_most)
    if opening:
        qs = qs.filter(Exists(opening.schedules().filter(service=OuterRef("pk"))))
    # Best keyword match first when there is a keyword, else (and then) by name.
    ranked = "search_rank" in qs.query.annotations
    qs = qs.order_by(F("search_rank").desc(), "name", "id") if ranked else qs.order_by("name", "id")
    return _full(qs) if full else qs.select_related("organisation")


def _keyword(qs: QuerySet[Service], text: str) -> QuerySet[Service]:
    """Keyword search (decision 024): every word typed (or one of its synonyms) must be among the
    service's stems (its and its organisation's names, taxonomy terms, description), annotated with
    `search_rank` for ordering.

    On PostgreSQL through the GIN-indexed tsvector of the stems (`search_vector`, migration 0009),
    tested in the query's own WHERE (`_Matches`), so the planner combines the GIN index with the other
    filters' indexes in one scan; on SQLite by the same stems in the columns. The rank is the same on
    both (`_rank`), worked out only for the rows the match left.
    """
    query = search.parse(text)
    if not query:
        return qs
    if connection.vendor == "postgresql":
        qs = qs.filter(_Matches(query.tsquery()))
    else:
        for group in query.groups:  # one alternative's stems anywhere in the entry, as in the tsvector
            qs = qs.filter(reduce(operator.or_, (_anywhere(alt) for alt in group)))
    return qs.annotate(search_rank=_rank(query))


class _Matches(Expression):
    """`search_vector @@ to_tsquery('simple', …)` on the query's own Service row (PostgreSQL only).

    `search_vector` is a generated column the model does not declare (migration 0009), so no lookup
    can name it; this names it on the query's base table, whatever alias that has (a queryset used as a
    subquery is relabelled). It replaced an `id IN (SELECT id … WHERE search_vector @@ …)`, which the
    planner ran as a second scan of the table and a hash join: 43 -> 25 ms for "training" at 10,000
    services (docs/benchmarks.md, "directory keyword search, issue 18")."""

    conditional = True
    output_field = BooleanField()

    def __init__(self, tsquery: str) -> None:
        super().__init__()
        self.tsquery = tsquery

    def as_sql(self, compiler: Any, connection: Any) -> tuple[str, tuple[Any, ...]]:
        alias = compiler.query.base_table
        if compiler.query.alias_map[alias].table_name != Service._meta.db_table:
            raise ValueError("A keyword match is tested on a query of services")
        column = f"{compiler.quote_name_unless_alias(alias)}.search_vector"
        return f"{column} @@ to_tsquery('simple'::regconfig, %s)", (self.tsquery,)


# Where a match counts most: the names, then the taxonomy terms, then the description.
_WEIGHTS = {"search_name": 4, "search_terms": 2, "search_text": 1}


def _has(column: str, group: search.Group) -> Q:
    """The column holds one of the group's alternatives (each of its stems as a whole stem)."""
    return reduce(
        operator.or_, (reduce(operator.and_, (Q(**{f"{column}__contains": f" {s} "}) for s in alt)) for alt in group)
    )


def _anywhere(alternative: search.Alternative) -> Q:
    return reduce(
        operator.and_,
        (reduce(operator.or_, (Q(**{f"{column}__contains": f" {s} "}) for column in _WEIGHTS)) for s in alternative),
    )


def _rank(query: search.Query) -> Expression:
    """For each word, the weight of the best place it matched (the description's when it is spread
    over several), added up: the same number on both databases, worked out only for the entries the
    match left."""
    lowest = min(_WEIGHTS.values())
    parts = [
        Case(*(When(_has(column, group), then=Value(w)) for column, w in _WEIGHTS.items()), default=Value(lowest))
        for group in query.groups
    ]
    return reduce(operator.add, parts)


def did_you_mean(text: str, *, finds: Callable[[str], bool] | None = None) -> str:
    """For a keyword search that found nothing: the search with each word the directory does not use
    replaced by one of the closest words it does, the closest that finds something; else "".

    `finds` says whether a search for a suggested text finds anything under the caller's own filters
    (the public search's area, age, need and opening times; the person's eligibility), so a word is
    never offered that would find nothing there. By default: any published service."""
    query = search.parse(text)
    if not query:
        return ""
    finds = finds or (lambda suggested: published_services(text=suggested).exists())
    return next((s for s in search.suggestions(query, search.vocabulary()) if finds(s)), "")


def published_service(*, service_id: uuid.UUID) -> Service:
    """One published service, fully loaded; raises Service.DoesNotExist."""
    return _full(_published()).get(id=service_id)


def taxonomies() -> QuerySet[Taxonomy]:
    return Taxonomy.objects.filter(archived_at__isnull=True).prefetch_related("terms").order_by("name", "id")


def taxonomy_terms(*, taxonomy_id: uuid.UUID | None = None) -> QuerySet[TaxonomyTerm]:
    qs = TaxonomyTerm.objects.filter(archived_at__isnull=True).select_related("taxonomy")
    if taxonomy_id:
        qs = qs.filter(taxonomy_id=taxonomy_id)
    return qs.order_by("taxonomy__name", "name", "id")


def service_at_locations(
    *, services: QuerySet[Service] | None = None, covering: str | None = None
) -> QuerySet[ServiceAtLocation]:
    """Published services at their locations; optionally only those services, and only services whose
    areas reach someone living in `covering` (the ORUK `postcode` filter: "the postcode exists within the
    service_area")."""
    qs = ServiceAtLocation.objects.filter(
        service__lifecycle=Lifecycle.PUBLISHED, service__archived_at__isnull=True, archived_at__isnull=True
    )
    if services is not None:
        qs = qs.filter(service__in=services.values("id"))
    if covering:
        qs = qs.filter(service__in=_published().filter(_reaches(covering)).values("id"))
    return qs.select_related("service__organisation", "location").order_by("service__name", "id")


def need_terms() -> QuerySet[TaxonomyTerm]:
    """Terms a resident can search by ("what help do you want")."""
    return TaxonomyTerm.objects.filter(taxonomy__name="Joined Up needs").order_by("name")


# ---------------------------------------------------------------------------------------------
# Public search with eligibility


@dataclass
class Match:
    service: Service
    evaluation: Evaluation
    fits: list[str] = field(default_factory=list)  # why it came up: area, need, keyword, opening times


@dataclass(frozen=True)
class SearchCriteria:
    text: str = ""
    need: uuid.UUID | None = None
    opening: OpeningFilter = field(default_factory=OpeningFilter)


@dataclass
class SearchResult:
    matches: list[Match]  # this page's, fully loaded
    total: int  # matches on every page
    page: int
    per_page: int
    home: str | None  # the area searched for, if any
    did_you_mean: str = ""  # for a keyword search that found nothing, a search that finds something

    @property
    def pages(self) -> int:
        return max(1, -(-self.total // self.per_page))


_ORDER = {Outcome.ELIGIBLE: 0, Outcome.UNKNOWN: 1, Outcome.NOT_ELIGIBLE: 2}
PER_PAGE = 20


def _reaches(home: str) -> Q:
    """Services whose listed areas reach someone living in `home` (inside, around or within it); a service
    with no areas listed is not excluded."""
    listed = ServiceArea.objects.filter(archived_at__isnull=True).exclude(area="")
    around = (*areas.ancestors(home), *areas.descendants(home))
    # IN (subquery) rather than NOT EXISTS OR EXISTS: PostgreSQL drives this from the area index (see
    # docs/benchmarks.md, "Directory"); the EXISTS form was costed high enough to be JIT-compiled.
    return Q(pk__in=listed.filter(area__in=around).values("service_id")) | ~Q(pk__in=listed.values("service_id"))


def _candidates(person: Circumstances, criteria: SearchCriteria, include_not_eligible: bool) -> QuerySet[Service]:
    """Narrow in SQL before any rule is evaluated: published, keyword, need, area served, opening times
    and, when the person's age is known, the age range their rules imply (a person outside it cannot be
    eligible, so only when not-eligible services are not wanted)."""
    qs = published_services(text=criteria.text, taxonomy_term_id=criteria.need, opening=criteria.opening or None)
    qs = qs.filter(current_rule_set__isnull=False)
    home = person.home_area()
    if home:
        qs = qs.filter(_reaches(home))
    if person.age is not None and not include_not_eligible:
        qs = qs.filter(
            Q(minimum_age__isnull=True) | Q(minimum_age__lte=person.age),
            Q(maximum_age__isnull=True) | Q(maximum_age__gte=person.age),
        )
    return qs


def search_directory(
    *,
    person: Circumstances,
    criteria: SearchCriteria | None = None,
    include_not_eligible: bool = False,
    page: int = 1,
    per_page: int | None = PER_PAGE,
) -> SearchResult:
    """Published services matching the search, each with why the person is (or may be) eligible and why
    it came up. Eligible first, then "not known yet", each by the best keyword match (decision 024), then
    by name; services the person is not eligible for are left out unless asked for. One page of
    `per_page` (None: all).

    Three steps, so the cost grows with the candidates, not the directory: (1) narrow in SQL
    (`_candidates`), fetching only each candidate's id and current rule-set id; (2) rank them with the
    quick `outcome()` (parsed rules kept by rule-set id, `_rules`); (3) load the page's services in full
    and explain only them with `evaluate()` (a fixed number of queries for a page).
    """
    criteria = criteria or SearchCriteria()
    ranked = _ranked(person, criteria, include_not_eligible)
    total = len(ranked)
    page = max(1, page)
    if per_page:
        page = min(page, max(1, -(-total // per_page)))
        chosen = ranked[(page - 1) * per_page : page * per_page]
    else:
        chosen = ranked
    ids = [r[2] for r in chosen]
    size = 900 if connection.vendor == "sqlite" else 20_000  # only an unpaged search comes near this
    loaded: dict[uuid.UUID, Service] = {}
    for start in range(0, len(ids), size):
        loaded.update(
            (s.id, s)
            for s in Service.objects.filter(id__in=ids[start : start + size])
            .select_related("organisation", "current_rule_set")
            .prefetch_related(*_SEARCH_PREFETCH)
        )
    home = person.home_area()
    matches = []
    for service_id in ids:
        service = loaded.get(service_id)
        rules = service.current_rules() if service else None
        if rules is None:  # changed between the two queries: left out rather than guessed
            continue
        evaluation = evaluate(rules.rules, person, version=rules.version)
        matches.append(Match(service, evaluation, _fits(service, home, criteria)))
    suggestion = ""
    if not total and criteria.text:  # under the same filters: a word that finds nothing here is no help

        def finds(text: str) -> bool:
            return bool(_ranked(person, dataclasses.replace(criteria, text=text), include_not_eligible))

        suggestion = did_you_mean(criteria.text, finds=finds)
    return SearchResult(matches, total, page, per_page or max(1, total), home, suggestion)


def _ranked(
    person: Circumstances, criteria: SearchCriteria, include_not_eligible: bool
) -> list[tuple[int, int, uuid.UUID]]:
    """Steps (1) and (2) of `search_directory`: the candidates' (outcome order, keyword order, id),
    sorted; those the person is not eligible for left out unless wanted."""
    rows = list(_candidates(person, criteria, include_not_eligible).values_list("id", "current_rule_set_id"))
    rules_by_id = _rules(rule_set_id for _s, rule_set_id in rows)
    ranked: list[tuple[int, int, uuid.UUID]] = []
    for n, (service_id, rule_set_id) in enumerate(rows):  # already best keyword match first, then by name
        if rule_set_id not in rules_by_id:
            continue
        answer = outcome(rules_by_id[rule_set_id], person)  # no reasons yet: only the page shown is explained
        if answer == Outcome.NOT_ELIGIBLE and not include_not_eligible:
            continue
        ranked.append((_ORDER[answer], n, service_id))
    ranked.sort()
    return ranked


# What `_fits` reads of each service on the page, as lists (`to_attr`): a prefetch into the related
# managers builds a filtered queryset for every service and relation that is never run (40 a page;
# loading the page's services 14.1 -> 11.2 ms, docs/benchmarks.md).
_SEARCH_PREFETCH = (
    Prefetch("service_areas", to_attr="fit_areas"),
    Prefetch("schedules", to_attr="fit_schedules"),
    Prefetch("terms", to_attr="fit_terms"),
)


# Rule sets are never edited (a change adds a version and moves the service's pointer), so a rule set's
# parsed rules can be kept by id: search then fetches candidates' ids only, and the rules of those it
# has not seen. Bounded; least recently added dropped first.
_RULES_CACHE: OrderedDict[uuid.UUID, dict] = OrderedDict()
RULES_CACHE_SIZE = 50_000


def _rules(ids: Iterable[uuid.UUID]) -> dict[uuid.UUID, dict]:
    wanted = list(dict.fromkeys(ids))
    missing = [i for i in wanted if i not in _RULES_CACHE]
    size = 900 if connection.vendor == "sqlite" else 20_000  # SQLite limits a query's parameters
    for start in range(0, len(missing), size):
        chunk = missing[start : start + size]
        _RULES_CACHE.update(EligibilityRuleSet.objects.filter(id__in=chunk).values_list("id", "rules"))
    found = {i: _RULES_CACHE[i] for i in wanted if i in _RULES_CACHE}  # one deleted meanwhile is left out
    while len(_RULES_CACHE) > RULES_CACHE_SIZE:
        _RULES_CACHE.popitem(last=False)
    return found


def search_with_eligibility(
    *, person: Circumstances, text: str = "", need: uuid.UUID | None = None, include_not_eligible: bool = False
) -> list[Match]:
    """Every match, unpaged (see search_directory)."""
    criteria = SearchCriteria(text=text, need=need)
    return search_directory(
        person=person, criteria=criteria, include_not_eligible=include_not_eligible, per_page=None
    ).matches


DAYS = {
    "MO": "Monday",
    "TU": "Tuesday",
    "WE": "Wednesday",
    "TH": "Thursday",
    "FR": "Friday",
    "SA": "Saturday",
    "SU": "Sunday",
}


def day_names(byday: str) -> str:
    codes = [c.strip()[-2:].upper() for c in (byday or "").split(",") if c.strip()]
    return ", ".join(DAYS.get(c, c) for c in codes)


def _fits(service: Service, home: str | None, criteria: SearchCriteria) -> list[str]:
    """Why a service came up, in plain English, besides its eligibility rules (a service loaded
    with `_SEARCH_PREFETCH`)."""
    out: list[str] = []
    if home:
        served = [a for a in service.fit_areas if a.area]
        around = set(areas.ancestors(home))
        covering = [a for a in served if a.area in around]
        within = [a for a in served if home in areas.ancestors(a.area)]
        if covering:
            out.append(f"Covers {covering[0].name}, which includes {areas.area_name(home)}.")
        elif within:
            names = ", ".join(a.name for a in within)
            out.append(f"Works in part of {areas.area_name(home)} ({names}): ask whether it covers where you live.")
        else:
            out.append("Does not say which areas it covers: ask whether it covers where you live.")
    if criteria.need:
        term = next((t for t in service.fit_terms if t.id == criteria.need), None)
        if term:
            out.append(f"Offers {term.name.lower()}.")
    if criteria.text:
        out.append(f"Matches “{criteria.text[:60]}”.")
    if criteria.opening:
        for schedule in service.fit_schedules:
            if criteria.opening.matches(schedule):
                hours = (
                    f" {schedule.opens_at:%H:%M} to {schedule.closes_at:%H:%M}"
                    if schedule.opens_at and schedule.closes_at
                    else ""
                )
                out.append(f"Open {day_names(schedule.byday) or 'as published'}{hours}.")
                break
    return out


# ---------------------------------------------------------------------------------------------
# Directory managers and commissioners


def services_for_manager(*, actor: Membership) -> QuerySet[Service]:
    """Every service in any lifecycle state (the directory is the partnership's, not one organisation's)."""
    if not has_perm(actor, Perm.DIRECTORY_MANAGE):
        return Service.objects.none()
    return (
        Service.objects.filter(archived_at__isnull=True)
        .select_related("organisation", "current_rule_set")
        .order_by("name", "id")
    )


def service_for_manager(*, actor: Membership, service_id: uuid.UUID) -> Service:
    return services_for_manager(actor=actor).prefetch_related("service_areas", "terms").get(id=service_id)


def services_review_due(*, actor: Membership, today: date | None = None) -> QuerySet[Service]:
    """Published services not reviewed for 6 months (Service.review_due, in SQL), to flag to editors."""
    return services_for_manager(actor=actor).filter(
        Q(last_reviewed_on__isnull=True) | Q(last_reviewed_on__lt=review_due_before(today)),
        lifecycle=Lifecycle.PUBLISHED,
    )


# Upper-tier and unitary authorities the gaps table reports on.
GAP_AREAS = ["nottingham", "nottinghamshire", "derby", "derbyshire", "norfolk"]


@dataclass
class GapCell:
    whole: int  # services covering the whole authority
    part: int  # services covering one of its districts only

    @property
    def cold(self) -> bool:
        return self.whole + self.part == 0


@dataclass
class GapRow:
    cohort: TaxonomyTerm
    cells: list[GapCell]


@replica_read
def gaps(*, actor: Membership) -> tuple[list[str], list[GapRow]]:
    """Published services by authority and cohort, for commissioners: (area names, rows). No personal data."""
    if not has_perm(actor, Perm.DIRECTORY_GAPS_VIEW):
        return [], []
    cohorts = list(TaxonomyTerm.objects.filter(taxonomy__name="Joined Up cohorts").order_by("name"))
    links = (
        Service.objects.filter(lifecycle=Lifecycle.PUBLISHED, archived_at__isnull=True, terms__in=cohorts)
        .values_list("id", "terms__id", "service_areas__area")
        .distinct()
    )
    covered: dict[tuple[uuid.UUID, str], set[uuid.UUID]] = {}
    partial: dict[tuple[uuid.UUID, str], set[uuid.UUID]] = {}
    for service_id, term_id, area in links:
        if not area:
            continue
        for la in GAP_AREAS:
            if area in areas.ancestors(la):
                covered.setdefault((term_id, la), set()).add(service_id)
            elif la in areas.ancestors(area):
                partial.setdefault((term_id, la), set()).add(service_id)
    rows = []
    for cohort in cohorts:
        cells = []
        for la in GAP_AREAS:
            whole = covered.get((cohort.id, la), set())
            cells.append(GapCell(len(whole), len(partial.get((cohort.id, la), set()) - whole)))
        rows.append(GapRow(cohort, cells))
    return [areas.area_name(a) for a in GAP_AREAS], rows


def published_services_by_area(*, area_codes: Iterable[str]) -> dict[str, int]:
    """How many published services reach each of these areas (as `published_services(area=...)`
    counts them: a service listed for the area or an area containing it), in one query (issue 16)."""
    codes = list(area_codes)
    wanted = {code: set(areas.ancestors(code)) for code in codes}
    listed = set().union(*wanted.values()) if wanted else set()
    found: dict[str, set[uuid.UUID]] = {code: set() for code in codes}
    links = ServiceArea.objects.filter(area__in=sorted(listed), service__in=_published())
    for service_id, area in links.values_list("service_id", "area"):
        for code, around in wanted.items():
            if area in around:
                found[code].add(service_id)
    return {code: len(ids) for code, ids in found.items()}
