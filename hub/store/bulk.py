"""Many rows into one table at once, as cheaply as the database allows.

SQLAlchemy's Core insert of a list of rows costs, per row and column, more than SQLite takes to
store them: it builds each row's parameters by name, then batches them again as multi-row
``VALUES`` (10,000-row bench data: about a quarter of the apply stage, docs/performance.md). On
SQLite these functions hand the driver the rows as tuples instead, each value converted by the
column type's own bind processor, the one SQLAlchemy applies: the stored values are the same by
construction, in the same order, with no second copy of a dialect's formats. PostgreSQL keeps
SQLAlchemy's insert, which batches for psycopg2 better than its ``executemany`` does.
"""
from __future__ import annotations

import weakref
from collections.abc import Sequence
from typing import Any, Callable

from sqlalchemy import Table, insert
from sqlalchemy.engine import Connection, Dialect
from sqlalchemy.orm import Session

_VALUES_PER_STATEMENT = 30_000
"""A multi-row ``VALUES`` takes at most this many parameters (SQLite's limit is 32,766)."""

Processor = Callable[[Any], Any] | None
Plan = tuple[tuple[str, ...], tuple[Processor, ...], tuple[Any, ...]]
# By dialect (an engine's: its JSON serializer is its own), then table and the columns given.
_plans: weakref.WeakKeyDictionary[Dialect, dict[tuple[str, tuple[str, ...]], Plan]] = weakref.WeakKeyDictionary()


def insert_rows(session: Session, table: Table, rows: Sequence[dict[str, Any]]) -> None:
    """Insert ``rows`` (dicts with the same keys) into ``table``: one executemany on SQLite.
    A table with triggers should use ``insert_rows_returning``: SQLite opens a statement journal
    for every statement that fires one, once per row in an executemany."""
    if not rows:
        return
    conn = session.connection()
    if conn.dialect.name != "sqlite":
        session.execute(insert(table), list(rows))
        return
    columns, params = _plan(conn.dialect, table, rows)
    names = ", ".join(f'"{c}"' for c in columns)
    conn.exec_driver_sql(f'INSERT INTO "{table.name}" ({names}) VALUES ({", ".join("?" * len(columns))})', params)


def insert_rows_returning(session: Session, table: Table, rows: Sequence[dict[str, Any]],
                          returning: tuple[str, ...]) -> list[tuple[Any, ...]]:
    """Insert ``rows`` and return ``returning``'s columns of each, in no set order (SQLite does
    not promise the order of RETURNING): return a key with the id. On SQLite, multi-row
    ``VALUES`` statements of up to 30,000 parameters, so triggers run once per statement."""
    if not rows:
        return []
    conn = session.connection()
    if conn.dialect.name != "sqlite":
        stmt = insert(table).returning(*(table.c[c] for c in returning))
        return [tuple(row) for row in session.execute(stmt, list(rows))]
    columns, params = _plan(conn.dialect, table, rows)
    names = ", ".join(f'"{c}"' for c in columns)
    tail = " RETURNING " + ", ".join(f'"{c}"' for c in returning)
    one = "(" + ", ".join("?" * len(columns)) + ")"
    per_statement = max(1, _VALUES_PER_STATEMENT // len(columns))
    out: list[tuple[Any, ...]] = []
    for start in range(0, len(params), per_statement):
        page = params[start:start + per_statement]
        sql = f'INSERT INTO "{table.name}" ({names}) VALUES {", ".join([one] * len(page))}{tail}'
        out.extend(tuple(row) for row in _execute(conn, sql, tuple(v for row in page for v in row)))
    return out


def _execute(conn: Connection, sql: str, params: tuple[Any, ...]) -> list[Any]:
    return conn.exec_driver_sql(sql, params).fetchall()


def _plan(dialect: Dialect, table: Table,
          rows: Sequence[dict[str, Any]]) -> tuple[tuple[str, ...], list[tuple[Any, ...]]]:
    """The columns to write and each row's values, converted as SQLAlchemy converts them. A column
    the rows leave out takes its scalar default, as Core's insert gives it; one with a callable
    default must be given (none of the callers leaves one out)."""
    given = tuple(rows[0])
    plans = _plans.setdefault(dialect, {})
    plan = plans.get((table.name, given))
    if plan is None:
        defaulted = [c for c in table.columns if c.name not in given and c.default is not None]
        if any(not c.default.is_scalar for c in defaulted):  # type: ignore[union-attr]
            raise ValueError(f"insert into {table.name}: give {[c.name for c in defaulted]}, "
                             "whose defaults are computed")
        columns = given + tuple(c.name for c in defaulted)
        processors = tuple(table.c[c].type.dialect_impl(dialect).bind_processor(dialect) for c in columns)
        defaults = tuple(c.default.arg for c in defaulted)  # type: ignore[union-attr]
        plan = plans[(table.name, given)] = (columns, processors, defaults)
    columns, processors, defaults = plan
    converted = [_converted([row[c] for row in rows], p) for c, p in zip(given, processors)]
    converted += [[p(d) if p is not None else d] * len(rows) for d, p in zip(defaults, processors[len(given):])]
    return columns, list(zip(*converted))


def _converted(values: list[Any], processor: Processor) -> list[Any]:
    """A column's values through its processor, a column at a time; a value the same object as
    the one before (a batch's one ``now``, runs of None) is converted once."""
    if processor is None:
        return values
    out: list[Any] = []
    last: Any = out  # a sentinel no value is
    done: Any = None
    for value in values:
        if value is not last:
            last, done = value, processor(value)
        out.append(done)
    return out
