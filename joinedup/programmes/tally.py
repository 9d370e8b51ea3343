"""The programme tallies (decision 021, after decision 008): each participation's contribution to
the monthly counts the ESF return and the performance page read, and the writes that keep them.

A participation counts, by partner and month:
- the performance measures (`MONTH_MEASURES`), in the month of their date, by local authority;
- the cohort measures (`COHORT_MEASURES`: started, of whom in a job, of whom sustained), in the
  month they started, by each cohort dimension's value and local authority;
- once its ESF data is recorded, each ESF indicator it meets (`indicators`), in the month of the
  indicator's date, by gender.

Every write to a participation's counted columns goes through `tallied` (it reads the row before
and after and adds the difference, in the caller's transaction); bulk writers and tests that
update rows directly call `tallies_rebuild`. `tallies_check` compares the tallies with a recount.
The indicators' rules are written once, as `Q`s: `matches` applies them to one row in Python, and
the recount runs them in SQL (a test checks that both agree for every indicator).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date
from typing import Any
from uuid import UUID

from django.db import connection, transaction
from django.db.models import Case, CharField, Count, Expression, F, Q, QuerySet, Value, When
from django.db.models.functions import TruncMonth

from . import cohorts, indicators
from .models import Participation, Programme, ProgrammeTally

# Performance measures, each counted in the month of its date.
MONTH_MEASURES = {"starts": "started_on", "job_entries": "first_job_on", "sustained": "sustained_on"}
# Cohort measures, each counted in the month the participant started.
COHORT_STARTS, COHORT_JOBS, COHORT_SUSTAINED = "cohort_starts", "cohort_jobs", "cohort_sustained"
COHORT_MEASURES = (COHORT_STARTS, COHORT_JOBS, COHORT_SUSTAINED)
EVERYONE = ""  # the dimension that groups no further (partner and area breakdowns read it)
GENDER = "gender"  # the ESF indicators' dimension
AGE_BANDS: Expression = Case(
    *(When(age_at_start__lt=limit, then=Value(band)) for limit, band in cohorts.AGE_BAND_LIMITS),
    When(age_at_start__isnull=False, then=Value(cohorts.AGE_BAND_TOP)),
    default=Value(cohorts.AGE_NOT_RECORDED),
)
# Cohort dimensions: the SQL expression of each (for the recount and the participants behind a
# figure) and how a participation's value is read in Python.
DIMENSIONS: dict[str, Expression] = {
    "age": AGE_BANDS,
    "health": F("health_condition"),
    "benefit": F("benefit"),
    "route": F("route"),
    "distance": F("distance"),
}
ESF_INDICATORS = (indicators.TOTAL, *indicators.ALL)

Key = tuple[UUID, date, str, str, str, str]  # partner, month, measure, dimension, value, area
_OPS = frozenset({"exact", "in", "lt", "lte", "gt", "gte", "isnull"})


def month_of(on: date) -> date:
    return on.replace(day=1)


def _lookup(obj: Any, lookup: str, wanted: Any) -> bool:
    name, _, op = lookup.rpartition("__")
    if op not in _OPS:
        name, op = lookup, "exact"
    value = getattr(obj, name)
    if op == "isnull":
        return (value is None) == bool(wanted)
    if value is None:  # SQL: a comparison with NULL is not true
        return False
    if op == "exact":
        return bool(value == wanted)
    if op == "in":
        return value in wanted
    return bool({"lt": value < wanted, "lte": value <= wanted, "gt": value > wanted, "gte": value >= wanted}[op])


def matches(q: Q, obj: Any) -> bool:
    """Whether `obj` is among the rows `filter(q)` would return (for the lookups the indicators use:
    exact, in, lt, lte, gt, gte, isnull; AND and OR; no negation)."""
    if q.negated:
        raise NotImplementedError("matches() does not evaluate a negated Q: write the rule without ~")
    results = (
        matches(child, obj) if isinstance(child, Q) else _lookup(obj, child[0], child[1]) for child in q.children
    )
    return any(results) if q.connector == Q.OR else all(results)


def dimension_value(p: Participation, dimension: str) -> str:
    if dimension == EVERYONE:
        return ""
    if dimension == "age":
        return cohorts.age_band(p.age_at_start)
    return str(getattr(p, {"health": "health_condition"}.get(dimension, dimension)) or "")


def contribution(p: Participation) -> Counter[Key]:
    """What one participation adds to its programme's tallies."""
    out: Counter[Key] = Counter()
    partner, area = p.partner_id, p.local_authority or ""
    for measure, column in MONTH_MEASURES.items():
        on = getattr(p, column)
        if on is not None:
            out[(partner, month_of(on), measure, EVERYONE, "", area)] += 1
    started = month_of(p.started_on)
    reached = {
        COHORT_STARTS: True,
        COHORT_JOBS: p.first_job_on is not None,
        COHORT_SUSTAINED: p.sustained_on is not None,
    }
    for dimension in (EVERYONE, *DIMENSIONS):
        value = dimension_value(p, dimension)
        for measure in COHORT_MEASURES:
            if reached[measure]:
                out[(partner, started, measure, dimension, value, area)] += 1
    if p.esf_recorded_on is not None:
        for indicator in ESF_INDICATORS:
            on = getattr(p, indicator.on)
            if on is not None and matches(indicator.counts, p):
                out[(partner, month_of(on), indicator.code, GENDER, p.gender, "")] += 1
    return out


def counted(pk: Any) -> Counter[Key]:
    """A participation's contribution as the database holds it now (locked until the transaction
    ends, so two writers to one participation cannot both count from the same starting point)."""
    found = Participation.objects.select_for_update().filter(pk=pk).first()
    return contribution(found) if found is not None else Counter()


def _db(field: str, value: Any) -> Any:
    return ProgrammeTally._meta.get_field(field).get_db_prep_value(value, connection, prepared=False)


def tally_change(programme_id: Any, before: Counter[Key], after: Counter[Key]) -> None:
    """Add `after - before` to the programme's tallies: one upsert for every key that changed, the
    rows in the order of the tallies' unique key (measure, month, partner, dimension, value, area), so
    two writers lock the rows they share in the same order and cannot deadlock."""
    diff = Counter(after)
    diff.subtract(before)
    rows = sorted(((key, n) for key, n in diff.items() if n), key=_lock_order)
    if not rows:
        return
    table = ProgrammeTally._meta.db_table
    params: list[Any] = []
    for (partner, month, measure, dimension, value, area), n in rows:
        params += [_db("programme", programme_id), _db("partner", partner), _db("month", month)]
        params += [measure, dimension, value, area, n]
    values = ", ".join(["(%s, %s, %s, %s, %s, %s, %s, %s)"] * len(rows))
    key = "programme_id, measure, month, partner_id, dimension, value, area"
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {table} (programme_id, partner_id, month, measure, dimension, value, area, n) "  # noqa: S608
            f"VALUES {values} ON CONFLICT ({key}) DO UPDATE SET n = {table}.n + excluded.n",
            params,
        )


def _lock_order(row: tuple[Key, int]) -> tuple[str, date, str, str, str, str]:
    partner, month, measure, dimension, value, area = row[0]
    return (measure, month, str(partner), dimension, value, area)


@contextmanager
def tallied(pk: Any, programme_id: Any) -> Iterator[None]:
    """Wrap a write to participation `pk`: its tallies move with it, in the same transaction."""
    if not connection.in_atomic_block:
        raise RuntimeError("tallied() must run inside the writer's transaction")
    before = counted(pk)
    yield
    tally_change(programme_id, before, counted(pk))


def _text(value: str) -> Value:
    return Value(value, output_field=CharField())


def _grouped(found: QuerySet[Participation], month: str, measure: str, dimension: str, value: Any, area: Any) -> Any:
    """One recount: (programme, partner, month, measure, dimension, value, area, n) rows."""
    return (
        found.annotate(t_month=TruncMonth(month), t_measure=_text(measure), t_dim=_text(dimension))
        .annotate(t_value=value, t_area=area)
        .values_list("programme_id", "partner_id", "t_month", "t_measure", "t_dim", "t_value", "t_area")
        .annotate(t_n=Count("id"))
        .order_by()
    )


def _recounts(programme: Programme, among: QuerySet[Participation] | None = None) -> Iterator[Any]:
    """Every tally of the programme as grouped queries of its participations (the indicators' `Q`s
    and the cohort expressions in SQL): what `live_tallies` reads and `tallies_rebuild` inserts.
    With `among`, only those participations' share."""
    base = (Participation.objects if among is None else among).filter(programme=programme)
    area = F("local_authority")
    for measure, column in MONTH_MEASURES.items():
        yield _grouped(base.filter(**{f"{column}__isnull": False}), column, measure, EVERYONE, _text(""), area)
    reached = {
        COHORT_STARTS: Q(),
        COHORT_JOBS: Q(first_job_on__isnull=False),
        COHORT_SUSTAINED: Q(sustained_on__isnull=False),
    }
    for dimension in (EVERYONE, *DIMENSIONS):
        expression = DIMENSIONS.get(dimension, _text(""))
        for measure in COHORT_MEASURES:
            yield _grouped(base.filter(reached[measure]), "started_on", measure, dimension, expression, area)
    recorded = base.filter(esf_recorded_on__isnull=False)
    for indicator in ESF_INDICATORS:
        found = recorded.filter(indicator.counts, **{f"{indicator.on}__isnull": False})
        yield _grouped(found, indicator.on, indicator.code, GENDER, F("gender"), _text(""))


def live_tallies(programme: Programme, among: QuerySet[Participation] | None = None) -> Counter[Key]:
    """Every tally of the programme counted from its participations (or only from `among`)."""
    out: Counter[Key] = Counter()
    for query in _recounts(programme, among):
        for _programme, partner, month, measure, dimension, value, area, n in query:
            out[(partner, month, measure, dimension, value or "", area or "")] += n
    return out


def tallies_remove(programme: Programme, leaving: QuerySet[Participation]) -> None:
    """Take `leaving` (participations about to be deleted, in the caller's transaction, e.g. by
    retention) out of the programme's tallies: their share counted in grouped queries, subtracted
    in one upsert. The rows are locked first (by id, in order), so no writer changes them between
    the count and the delete."""
    if not connection.in_atomic_block:
        raise RuntimeError("tallies_remove() must run inside the deleting transaction")
    mine = leaving.filter(programme=programme)
    locked = list(mine.select_for_update().order_by("pk").values_list("pk", flat=True))
    if locked:
        tally_change(programme.pk, live_tallies(programme, Participation.objects.filter(pk__in=locked)), Counter())


def stored_tallies(programme: Programme) -> Counter[Key]:
    rows = ProgrammeTally.objects.filter(programme=programme).exclude(n=0)
    found = rows.values_list("partner_id", "month", "measure", "dimension", "value", "area", "n")
    return Counter({tuple(row[:6]): row[6] for row in found})  # type: ignore[misc]


def tallies_rebuild(programme: Programme) -> int:
    """Recount the programme's tallies from its participations, in the database (INSERT ... SELECT
    of each recount). Returns the rows written. On PostgreSQL the tally table is locked first, so a
    write meanwhile waits and then adds itself."""
    table = ProgrammeTally._meta.db_table
    columns = "programme_id, partner_id, month, measure, dimension, value, area, n"
    with transaction.atomic(), connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(f"LOCK TABLE {table} IN EXCLUSIVE MODE")
        ProgrammeTally.objects.filter(programme=programme).delete()
        written = 0
        for query in _recounts(programme):
            sql, params = query.query.sql_with_params()
            cursor.execute(f"INSERT INTO {table} ({columns}) {sql}", params)
            written += cursor.rowcount
    return written


def tallies_check(programme: Programme) -> dict[Key, tuple[int, int]]:
    """The tallies that disagree with a recount: {key: (stored, counted)}; empty when all agree."""
    stored, live = stored_tallies(programme), live_tallies(programme)
    return {k: (stored[k], live[k]) for k in set(stored) | set(live) if stored[k] != live[k]}
