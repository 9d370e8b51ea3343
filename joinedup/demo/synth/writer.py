"""Writing the declared rows: COPY on PostgreSQL (indexes and foreign keys dropped and put back),
batched INSERTs on SQLite. The rows are lines of COPY text; the SQLite path splits them."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass

from django.db import connection
from django.db.models import Field, Model

from joinedup.demo.synthetic import columns, declarations, row_maker

from .base import NULL, SynthError

BATCH = 5000


@dataclass
class Table:
    model: type[Model]
    fields: list[Field]
    rows: Callable[[], Iterable[str]]

    @property
    def label(self) -> str:
        return self.model._meta.label


def tables(plan) -> list[Table]:
    """Each declared model with its columns and its rows for this plan, in load order."""
    result = []
    for d in declarations():
        row = row_maker(d.model)
        result.append(Table(d.model, columns(d.model), lambda d=d, row=row: _rows(d, plan, row)))
    return result


def _rows(declaration, plan, row: Callable[..., str]) -> Iterator[str]:
    try:
        yield from declaration.rows(plan, row)
    except TypeError as exc:  # a field with no default left out, or a name that is not a field
        raise SynthError(
            f"{declaration.label}: {exc}. Teach its declaration in joinedup/demo/synthetic/ to fill it."
        ) from exc


def write_rows(plan, phase: Callable[[str], None]) -> None:
    qn = connection.ops.quote_name
    with connection.cursor() as cur:
        for table in tables(plan):
            bools = [k for k, f in enumerate(table.fields) if f.get_internal_type() == "BooleanField"]
            names = ", ".join(qn(f.column) for f in table.fields)
            sql = (
                f"INSERT INTO {qn(table.model._meta.db_table)} ({names}) "  # noqa: S608
                f"VALUES ({', '.join(['%s'] * len(table.fields))})"
            )
            batch: list[list] = []
            count = 0
            for line in table.rows():
                values = [None if v == NULL else v for v in line[:-1].split("\t")]
                for k in bools:
                    values[k] = values[k] == "t"
                batch.append(values)
                if len(batch) >= BATCH:
                    cur.executemany(sql, batch)
                    count += len(batch)
                    batch.clear()
            if batch:
                cur.executemany(sql, batch)
                count += len(batch)
            _done(plan, table, count, phase)


def write_postgresql(plan, phase: Callable[[str], None]) -> None:
    from psycopg.copy import QueuedLibpqWriter

    qn = connection.ops.quote_name
    todo = tables(plan)
    db_tables = [t.model._meta.db_table for t in todo]
    with connection.cursor() as cur:
        cur.execute("SET LOCAL TIME ZONE 'UTC'")
        cur.execute("SET LOCAL maintenance_work_mem = '512MB'")
        cur.execute("SET LOCAL synchronous_commit = off")
        cur.execute("SET CONSTRAINTS ALL IMMEDIATE")  # check the staff rows now: no pending triggers
        cur.execute("SET CONSTRAINTS ALL DEFERRED")
        restore = drop_secondary(cur, db_tables)
        phase("drop indexes")
        raw = cur.cursor  # the psycopg 3 cursor under Django's wrapper
        for table in todo:
            count = 0
            names = ", ".join(qn(f.column) for f in table.fields)
            sql = f"COPY {qn(table.model._meta.db_table)} ({names}) FROM STDIN"
            # The queued writer sends from a thread, so PostgreSQL ingests while Python generates.
            with raw.copy(sql, writer=QueuedLibpqWriter(raw)) as copy:
                chunk: list[str] = []
                for line in table.rows():
                    chunk.append(line)
                    if len(chunk) >= BATCH:
                        copy.write("".join(chunk))
                        count += len(chunk)
                        chunk.clear()
                if chunk:
                    copy.write("".join(chunk))
                    count += len(chunk)
            _done(plan, table, count, phase)
        for sql in restore:
            cur.execute(sql)
        phase("indexes and foreign keys")
        for name in db_tables:
            cur.execute(f"ANALYZE {qn(name)}")
        phase("analyze")


def _done(plan, table: Table, count: int, phase: Callable[[str], None]) -> None:
    plan.rows[table.label] = count
    phase(table.label)
    plan.log(f"  {table.label}: {count:,} rows")


def drop_secondary(cur, tables: list[str]) -> list[str]:
    """Drop the constraints and indexes of `tables`; return the SQL that puts them back.

    Loading into a table without indexes and building each once afterwards is much faster than
    maintaining them row by row (PostgreSQL documentation, "Populating a Database"). Foreign keys
    go first; primary keys and unique constraints go too unless a table outside `tables` refers to
    them. Putting them back checks every row, so a duplicate or a dangling key still fails the load.
    """
    cur.execute(
        """
        SELECT conrelid::regclass::text, conname, pg_get_constraintdef(oid)
        FROM pg_constraint WHERE contype = 'f' AND conrelid = ANY(%s::regclass[]) ORDER BY 1, 2
        """,
        [tables],
    )
    fks = cur.fetchall()
    cur.execute(
        """
        SELECT k.conrelid::regclass::text, k.conname, pg_get_constraintdef(k.oid)
        FROM pg_constraint k
        WHERE k.contype IN ('p', 'u') AND k.conrelid = ANY(%s::regclass[])
          AND NOT EXISTS (
            SELECT 1 FROM pg_constraint f
            WHERE f.contype = 'f' AND f.confrelid = k.conrelid AND NOT f.conrelid = ANY(%s::regclass[])
          )
        ORDER BY 1, 2
        """,
        [tables, tables],
    )
    keys = cur.fetchall()
    cur.execute(
        """
        SELECT i.indexrelid::regclass::text, pg_get_indexdef(i.indexrelid)
        FROM pg_index i
        WHERE i.indrelid = ANY(%s::regclass[])
          AND NOT EXISTS (SELECT 1 FROM pg_constraint c WHERE c.conindid = i.indexrelid)
        ORDER BY 1
        """,
        [tables],
    )
    indexes = cur.fetchall()
    for table, name, _definition in fks + keys:
        cur.execute(f'ALTER TABLE {table} DROP CONSTRAINT "{name}"')
    for name, _definition in indexes:
        cur.execute(f"DROP INDEX {name}")
    return (
        [f'ALTER TABLE {table} ADD CONSTRAINT "{name}" {definition}' for table, name, definition in keys]
        + [definition for _name, definition in indexes]
        + [f'ALTER TABLE {table} ADD CONSTRAINT "{name}" {definition}' for table, name, definition in fks]
    )
