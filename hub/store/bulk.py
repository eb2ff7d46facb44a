"""Many rows into one table at once, as cheaply as the database allows.

SQLAlchemy's Core insert of a list of rows costs, per row and column, more than SQLite takes to
store them: it builds each row's parameters by name, then batches them again as multi-row
``VALUES`` (10,000-row bench data: about a quarter of the apply stage, docs/performance.md). On
SQLite these functions hand the driver the rows as tuples instead, each value converted by the
column type's own bind processor, the one SQLAlchemy applies: the stored values are the same by
construction, in the same order, with no second copy of a dialect's formats. On PostgreSQL the
same converted values go in by ``COPY … FROM STDIN`` (text format): straight into the table, or,
where ids come back, into a session-local staging table and then one ``INSERT … SELECT …
RETURNING`` (COPY returns nothing). Other databases keep SQLAlchemy's insert.
"""
from __future__ import annotations

import io
import weakref
import zlib
from collections.abc import Sequence
from datetime import date, datetime, time
from decimal import Decimal
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
    if conn.dialect.name == "postgresql":
        columns, params = _plan(conn.dialect, table, rows)
        _copy(conn, table.name, columns, params)
        return
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
    if conn.dialect.name == "postgresql":
        columns, params = _plan(conn.dialect, table, rows)
        return _copy_returning(conn, table.name, columns, params, returning)
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


def _copy(conn: Connection, table: str, columns: tuple[str, ...], params: list[tuple[Any, ...]]) -> None:
    """``COPY table (columns) FROM STDIN`` of the converted rows, on the session's own connection
    (so inside its transaction)."""
    names = ", ".join(f'"{c}"' for c in columns)
    buffer = io.StringIO("".join("\t".join(map(_copy_text, row)) + "\n" for row in params))
    with conn.connection.dbapi_connection.cursor() as cursor:  # type: ignore[union-attr]
        cursor.copy_expert(f'COPY "{table}" ({names}) FROM STDIN', buffer)


def _copy_returning(conn: Connection, table: str, columns: tuple[str, ...], params: list[tuple[Any, ...]],
                    returning: tuple[str, ...]) -> list[tuple[Any, ...]]:
    """The rows copied into a staging table, then moved into ``table`` by one statement that
    returns ``returning`` of each. The staging table is a temporary one of the connection, with
    exactly these columns' types and no constraints, emptied at every commit and before each use."""
    names = ", ".join(f'"{c}"' for c in columns)
    stage = f"_stage_{table}_{zlib.crc32(names.encode()):08x}"
    conn.exec_driver_sql(f'CREATE TEMPORARY TABLE IF NOT EXISTS "{stage}" ON COMMIT DELETE ROWS AS '
                         f'SELECT {names} FROM "{table}" WITH NO DATA')
    conn.exec_driver_sql(f'TRUNCATE "{stage}"')
    _copy(conn, stage, columns, params)
    back = ", ".join(f'"{c}"' for c in returning)
    return [tuple(row) for row in conn.exec_driver_sql(
        f'INSERT INTO "{table}" ({names}) SELECT {names} FROM "{stage}" RETURNING {back}')]


_COPY_ESCAPES = str.maketrans({"\\": "\\\\", "\t": "\\t", "\n": "\\n", "\r": "\\r"})


def _copy_text(value: Any) -> str:
    """A converted value as COPY's text format writes it: \\N for NULL, backslash escapes."""
    if value is None:
        return "\\N"
    if isinstance(value, str):
        return value.translate(_COPY_ESCAPES)
    if isinstance(value, bool):
        return "t" if value else "f"
    if isinstance(value, (int, float, Decimal)):
        return str(value)
    if isinstance(value, (datetime, date, time)):
        return value.isoformat()
    raise TypeError(f"COPY: no text form for {type(value).__name__} {value!r}")


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
