"""Reads for the directory. The public and the ORUK feed see published services only; directory
managers see every lifecycle state."""

from __future__ import annotations

import uuid
from dataclasses import dataclass

from django.db import connection
from django.db.models import Prefetch, Q, QuerySet

from joinedup.organisations.models import Membership
from joinedup.organisations.permissions import Perm, has_perm

from . import areas
from .eligibility import Circumstances, Evaluation, Outcome, evaluate
from .models import (
    Contact,
    EligibilityRuleSet,
    Lifecycle,
    Service,
    ServiceAtLocation,
    Taxonomy,
    TaxonomyTerm,
)


def _full(qs: QuerySet[Service]) -> QuerySet[Service]:
    return qs.select_related("organisation").prefetch_related(
        "schedules",
        "service_areas",
        "languages",
        "fundings",
        "cost_options",
        Prefetch("contacts", queryset=Contact.objects.prefetch_related("phones")),
        Prefetch("service_at_locations", queryset=ServiceAtLocation.objects.select_related("location")),
        Prefetch("terms", queryset=TaxonomyTerm.objects.select_related("taxonomy")),
        Prefetch("rule_sets", queryset=EligibilityRuleSet.objects.order_by("-version")),
    )


def _for_matching(qs: QuerySet[Service]) -> QuerySet[Service]:
    """Just what search needs: the organisation's name, the areas served and the rule sets, newest first."""
    return qs.select_related("organisation").prefetch_related(
        "service_areas", Prefetch("rule_sets", queryset=EligibilityRuleSet.objects.order_by("-version"))
    )


def published_services(
    *,
    text: str = "",
    taxonomy_term_id: uuid.UUID | None = None,
    taxonomy_id: uuid.UUID | None = None,
    area: str | None = None,
    full: bool = False,
) -> QuerySet[Service]:
    """Published services, optionally filtered by keyword, taxonomy term/taxonomy and area served."""
    qs = Service.objects.filter(lifecycle=Lifecycle.PUBLISHED, archived_at__isnull=True)
    qs = _keyword(qs, (text or "").strip()[:200])
    if taxonomy_term_id:
        qs = qs.filter(terms__id=taxonomy_term_id)
    if taxonomy_id:
        qs = qs.filter(terms__taxonomy_id=taxonomy_id)
    if area:
        qs = qs.filter(service_areas__area__in=areas.ancestors(area))
    qs = qs.distinct().order_by("name", "id")
    return _full(qs) if full else qs.select_related("organisation")


def _keyword(qs: QuerySet[Service], text: str) -> QuerySet[Service]:
    """Keyword search: every word must appear (name, description or organisation).

    On PostgreSQL, English full-text search as well, so "internship" finds "Internships" and "counsellor"
    finds "counselling"; on SQLite, case-insensitive substring matching only.
    """
    if not text:
        return qs
    words = text.split()[:8]
    substring = Q()
    for word in words:
        substring &= Q(name__icontains=word) | Q(description__icontains=word) | Q(organisation__name__icontains=word)
    if connection.vendor != "postgresql":
        return qs.filter(substring)
    from django.contrib.postgres.search import SearchQuery, SearchVector

    vector = SearchVector("name", "description", "organisation__name", config="english")
    matched = Service.objects.annotate(search=vector).filter(
        search=SearchQuery(text, config="english", search_type="websearch")
    )
    return qs.filter(substring | Q(id__in=matched.values("id")))


def published_service(*, service_id: uuid.UUID) -> Service:
    """One published service, fully loaded; raises Service.DoesNotExist."""
    return _full(Service.objects.filter(lifecycle=Lifecycle.PUBLISHED, archived_at__isnull=True)).get(id=service_id)


def taxonomies() -> QuerySet[Taxonomy]:
    return Taxonomy.objects.filter(archived_at__isnull=True).prefetch_related("terms").order_by("name", "id")


def taxonomy_terms(*, taxonomy_id: uuid.UUID | None = None) -> QuerySet[TaxonomyTerm]:
    qs = TaxonomyTerm.objects.filter(archived_at__isnull=True).select_related("taxonomy")
    if taxonomy_id:
        qs = qs.filter(taxonomy_id=taxonomy_id)
    return qs.order_by("taxonomy__name", "name", "id")


def service_at_locations() -> QuerySet[ServiceAtLocation]:
    return (
        ServiceAtLocation.objects.filter(service__lifecycle=Lifecycle.PUBLISHED, archived_at__isnull=True)
        .select_related("service__organisation", "location")
        .order_by("service__name", "id")
    )


def need_terms() -> QuerySet[TaxonomyTerm]:
    """Terms a resident can search by ("what help do you want")."""
    return TaxonomyTerm.objects.filter(taxonomy__name="Joined Up needs").order_by("name")


@dataclass
class Match:
    service: Service
    evaluation: Evaluation


def _serves(service: Service, home: str) -> bool:
    """Whether a service's areas reach someone living in `home` (a service with no areas is not excluded)."""
    served = [a.area for a in service.service_areas.all() if a.area]
    if not served:
        return True
    around = set(areas.ancestors(home))
    return any(code in around or home in areas.ancestors(code) for code in served)


_ORDER = {Outcome.ELIGIBLE: 0, Outcome.UNKNOWN: 1, Outcome.NOT_ELIGIBLE: 2}


def search_with_eligibility(
    *, person: Circumstances, text: str = "", need: uuid.UUID | None = None, include_not_eligible: bool = False
) -> list[Match]:
    """Published services matching the search, each with why the person is (or may be) eligible.

    Eligible first, then "not known yet"; services the person is not eligible for are left out unless
    asked for. A service whose listed areas do not reach the person's home area is left out (`_serves`);
    a service with no areas listed still shows, and its own area rule, if any, is evaluated with the rest.
    """
    matches = []
    home = person.home_area()
    for service in _for_matching(published_services(text=text, taxonomy_term_id=need)):
        if home and not _serves(service, home):
            continue
        rules = service.rule_sets.all()[0] if service.rule_sets.all() else None
        if rules is None:
            continue
        evaluation = evaluate(rules.rules, person, version=rules.version)
        if evaluation.outcome == Outcome.NOT_ELIGIBLE and not include_not_eligible:
            continue
        matches.append(Match(service, evaluation))
    matches.sort(key=lambda m: (_ORDER[m.evaluation.outcome], m.service.name))
    return matches


# ---------------------------------------------------------------------------------------------
# Directory managers and commissioners


def services_for_manager(*, actor: Membership) -> QuerySet[Service]:
    """Every service in any lifecycle state (the directory is the partnership's, not one organisation's)."""
    if not has_perm(actor, Perm.DIRECTORY_MANAGE):
        return Service.objects.none()
    return Service.objects.filter(archived_at__isnull=True).select_related("organisation").order_by("name", "id")


def service_for_manager(*, actor: Membership, service_id: uuid.UUID) -> Service:
    return services_for_manager(actor=actor).get(id=service_id)


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
