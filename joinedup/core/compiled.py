"""Querysets whose SQL Django builds once per database, for the reads every page makes (decision 011).

Building a query's SQL (filters, joins, ``select_related``, ``only``) cost the ORM more than
PostgreSQL took to run it: the memberships read that every signed-in request makes took 2.9 ms
through the ORM and 0.5-0.7 ms as the same SQL by hand. A ``CompiledQuery`` asks the ORM for a
queryset's SQL once, with sample values for its parameters, then runs that SQL with each call's
values and makes the instances as Django's ``ModelIterable`` does: the same columns, the same
converters (SQLite's dates and UUIDs), the same related objects from ``select_related``, the same
deferred fields from ``only``.

    case_by_key = CompiledQuery(
        lambda pk, partner: Case.objects.select_related("person").filter(pk=pk, delivery_partner=partner),
        pk=Case._meta.pk,
        partner=Case._meta.get_field("delivery_partner"),
    )
    case_by_key(pk=..., partner=...)  # a list of Case

Each named value is compared with one field (an integer or UUID key, a foreign key to one, or a
date), and is prepared for the database by that field exactly as the ORM prepares a lookup's value:
a value that is not a key raises TypeError, ValueError or ValidationError, as the ORM would. A
value may be several parameters of the SQL (a list and the count of it in a subquery, say);
compiling fails loudly when a sample is none of them. ``values_list()`` querysets give tuples (or,
``flat=True``, values). Not for querysets with ``prefetch_related``, ``extra``, ``values()`` or
annotations in a ``values_list()``: use the ORM. Each use has a test that it reads exactly what
its queryset reads.
"""

from __future__ import annotations

import itertools
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from typing import Any, Generic, TypeVar

from django.db import connections, router
from django.db.models import Field, Model, QuerySet
from django.db.models.query import (
    FlatValuesListIterable,
    ModelIterable,
    ValuesListIterable,
    get_related_populators,
)

# What a call gives: the model's instances, or for a values_list() its tuples or values.
R = TypeVar("R")

_samples = itertools.count(start=-7_300_001, step=-1)
_KEYS = ("AutoField", "BigAutoField", "IntegerField", "UUIDField")
_DAYS_BEFORE_SAMPLE_DATES = 7_000_000  # sample dates fall in the 9th century: no real parameter is one


@dataclass(frozen=True)
class _Compiled:
    sql: str
    slots: list[str | None]  # for each SQL parameter, the named value it takes, or None (fixed)
    fixed: list[object]
    select: list
    rows: str  # "instances", "tuples" (values_list) or "flat" (values_list(flat=True))
    model: type[Model] | None
    start: int  # the model's columns in a row: row[start:end]
    end: int
    init_list: list[str]  # their field names
    related: list  # Django's populators of select_related objects (no per-row state)
    annotations: dict[str, int]
    converted: list[int]  # the columns that have converters on this database


class CompiledQuery(Generic[R]):
    def __init__(self, build: Callable[..., QuerySet[Any, R]], **fields: Field) -> None:
        self.build = build
        self.fields = {name: field.target_field if field.is_relation else field for name, field in fields.items()}
        for name, field in self.fields.items():
            if field.get_internal_type() not in (*_KEYS, "DateField"):
                raise TypeError(f"CompiledQuery: {name} must be compared with an integer or UUID key, or a date")
        self._compiled: dict[str, _Compiled] = {}  # by database alias
        self._model: type[Model] | None = None

    def _sample(self, field: Field) -> object:
        kind = field.get_internal_type()
        if kind == "UUIDField":
            return uuid.UUID(int=-next(_samples))
        if kind == "DateField":
            return date.fromordinal(-next(_samples) - _DAYS_BEFORE_SAMPLE_DATES)
        return next(_samples)

    def _prepare(self, name: str, value: object, connection: Any) -> object:
        field = self.fields[name]
        return field.get_db_prep_value(field.get_prep_value(value), connection, prepared=True)

    def _compile(self, alias: str) -> _Compiled:
        connection = connections[alias]
        samples = {name: self._sample(field) for name, field in self.fields.items()}
        queryset = self.build(**samples)
        compiler = queryset.query.get_compiler(using=alias)
        sql, params = compiler.as_sql()
        if compiler.has_extra_select or queryset._prefetch_related_lookups:
            raise TypeError("CompiledQuery: not for querysets with extra() or prefetch_related()")
        rows = {ModelIterable: "instances", ValuesListIterable: "tuples", FlatValuesListIterable: "flat"}.get(
            queryset._iterable_class
        )
        if rows is None or (rows != "instances" and queryset.query.annotation_select):
            raise TypeError("CompiledQuery: not for values(), nor for annotations in values_list()")
        prepared = {name: self._prepare(name, value, connection) for name, value in samples.items()}
        slots = [next((n for n, v in prepared.items() if type(p) is type(v) and p == v), None) for p in params]
        for name in prepared:
            if name not in slots:
                raise ValueError(f"CompiledQuery: {name} is 0 parameters of the SQL")
        select = compiler.select
        converted = [
            i
            for i, (expression, _sql, _alias) in enumerate(select)
            if connection.ops.get_db_converters(expression) + expression.get_db_converters(connection)
        ]
        if rows != "instances":
            return _Compiled(sql, slots, list(params), select, rows, None, 0, len(select), [], [], {}, converted)
        info = compiler.klass_info
        start, end = info["select_fields"][0], info["select_fields"][-1] + 1
        return _Compiled(
            sql=sql,
            slots=slots,
            fixed=list(params),
            select=select,
            rows=rows,
            model=info["model"],
            start=start,
            end=end,
            init_list=[f[0].target.attname for f in select[start:end]],
            related=get_related_populators(info, select, alias),
            annotations=dict(compiler.annotation_col_map or {}),
            converted=converted,
        )

    def __call__(self, **values: object) -> list[R]:
        if values.keys() != self.fields.keys():
            raise TypeError(f"CompiledQuery: values for {sorted(self.fields)} expected, not {sorted(values)}")
        if self._model is None:
            self._model = self.build(**{name: self._sample(f) for name, f in self.fields.items()}).model
        return self._run(router.db_for_read(self._model), values)

    def _run(self, alias: str, values: dict[str, object]) -> list[R]:
        compiled = self._compiled.get(alias)
        if compiled is None:
            compiled = self._compiled[alias] = self._compile(alias)
        connection = connections[alias]
        prepared = {name: self._prepare(name, value, connection) for name, value in values.items()}
        params = [p if slot is None else prepared[slot] for slot, p in zip(compiled.slots, compiled.fixed, strict=True)]
        with connection.cursor() as cursor:
            cursor.execute(compiled.sql, params)
            rows = cursor.fetchall()
        select = compiled.select
        converters = []
        for i in compiled.converted:
            expression = select[i][0]
            functions = connection.ops.get_db_converters(expression) + expression.get_db_converters(connection)
            converters.append((i, functions, expression))
        if compiled.rows != "instances":
            if converters:
                rows = [list(r) for r in rows]
                for row in rows:
                    for i, functions, expression in converters:
                        for convert in functions:
                            row[i] = convert(row[i], expression, connection)
            return [r[0] for r in rows] if compiled.rows == "flat" else [tuple(r) for r in rows]
        model_cls, start, end, init_list = compiled.model, compiled.start, compiled.end, compiled.init_list
        result = []
        for values_row in rows:
            row = list(values_row)
            for i, functions, expression in converters:
                for convert in functions:
                    row[i] = convert(row[i], expression, connection)
            obj = model_cls.from_db(alias, init_list, row[start:end])
            for populator in compiled.related:
                populator.populate(row, obj)
            for name, position in compiled.annotations.items():
                setattr(obj, name, row[position])
            result.append(obj)
        return result
