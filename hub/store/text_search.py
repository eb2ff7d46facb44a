"""Substring search over the folded names (``search_key``), by index where the store has one.

``LIKE '%mat ong%'`` reads every row: at 200,000 products a search cost about 160 ms and a fifth
of the API's load was searches (bench/README.md). Migration 0006 gives each searched table an
index that serves substrings: on SQLite an FTS5 table with the trigram tokenizer
(``product_search``, ``producer_search``, kept in step by triggers), on PostgreSQL a pg_trgm GIN
index, which the planner uses for the same LIKE. ``contains(column, key)`` is the one condition
both compile from: a trigram match on SQLite for keys of three characters or more (a trigram
index cannot serve shorter ones), LIKE everywhere else.
"""
from __future__ import annotations

from typing import Any

from sqlalchemy import ColumnElement, Select, literal
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.sql.expression import ColumnClause
from sqlalchemy.types import NullType

SEARCHED_TABLES = ("product", "producer")
MIN_TRIGRAM_KEY = 3


def like_pattern_of(key: str) -> str:
    """A LIKE pattern matching the folded key anywhere ('_' survives folding: escaped)."""
    return "%" + key.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"


class Contains(ColumnElement[bool]):
    """``column`` (a table's ``search_key``) contains the folded ``key``. Untyped on purpose: a
    Boolean-typed element is rendered ``(…) = 1`` on SQLite, which hides the ``IN`` from the planner."""

    type = NullType()
    inherit_cache = False  # the key is compiled into a bound parameter each time

    def __init__(self, column: ColumnClause[Any], key: str) -> None:
        self.column = column
        self.key = key


def contains(column: Any, key: str) -> ColumnElement[bool]:
    return Contains(column, key)


@compiles(Contains)
def _like(element: Contains, compiler: Any, **kw: Any) -> str:
    return compiler.process(element.column.like(like_pattern_of(element.key), escape="\\"), **kw)


@compiles(Contains, "sqlite")
def _trigram(element: Contains, compiler: Any, **kw: Any) -> str:
    table = element.column.table
    if len(element.key) < MIN_TRIGRAM_KEY or table.name not in SEARCHED_TABLES:
        return _like(element, compiler, **kw)
    phrase = compiler.process(literal('"' + element.key.replace('"', '""') + '"'), **kw)
    rowid = compiler.process(table.c.id, **kw)
    return f"{rowid} IN (SELECT rowid FROM {table.name}_search WHERE {table.name}_search MATCH {phrase})"


class OneOf(ColumnElement[bool]):
    """``column`` is one of the values ``values`` (a one-column SELECT) gives. Untyped, as Contains."""

    type = NullType()
    inherit_cache = False

    def __init__(self, column: Any, values: Select[Any]) -> None:
        self.column = column
        self.values = values


def one_of(column: Any, values: Select[Any]) -> ColumnElement[bool]:
    return OneOf(column, values)


@compiles(OneOf)
def _in(element: OneOf, compiler: Any, **kw: Any) -> str:
    return compiler.process(element.column.in_(element.values), **kw)


@compiles(OneOf, "postgresql")
def _any_array(element: OneOf, compiler: Any, **kw: Any) -> str:
    """``= ANY(ARRAY(…))``: an init plan run once, which the planner can OR with a trigram index
    scan (a bitmap OR); ``IN (…)`` in an OR is a hashed subplan that only a full scan can test."""
    column = compiler.process(element.column, **kw)
    values = compiler.process(element.values.scalar_subquery(), **kw)
    return f"{column} = ANY(ARRAY{values})"


def create_search_indexes(connection: Any) -> None:
    """What migration 0006 adds (also made for stores built by ``metadata.create_all``)."""
    for statement in (POSTGRES if connection.dialect.name == "postgresql" else SQLITE):
        connection.exec_driver_sql(statement)


def drop_search_indexes(connection: Any) -> None:
    for statement in (POSTGRES_DROP if connection.dialect.name == "postgresql" else SQLITE_DROP):
        connection.exec_driver_sql(statement)


SQLITE = [statement for table in SEARCHED_TABLES for statement in (
    f"CREATE VIRTUAL TABLE {table}_search USING fts5(search_key, content='{table}', content_rowid='id', "
    "tokenize='trigram')",
    f"CREATE TRIGGER {table}_search_insert AFTER INSERT ON {table} BEGIN "
    f"INSERT INTO {table}_search (rowid, search_key) VALUES (new.id, new.search_key); END",
    f"CREATE TRIGGER {table}_search_delete AFTER DELETE ON {table} BEGIN "
    f"INSERT INTO {table}_search ({table}_search, rowid, search_key) VALUES ('delete', old.id, old.search_key); END",
    f"CREATE TRIGGER {table}_search_update AFTER UPDATE OF search_key ON {table} BEGIN "
    f"INSERT INTO {table}_search ({table}_search, rowid, search_key) VALUES ('delete', old.id, old.search_key); "
    f"INSERT INTO {table}_search (rowid, search_key) VALUES (new.id, new.search_key); END",
    f"INSERT INTO {table}_search ({table}_search) VALUES ('rebuild')",
)]
SQLITE_DROP = [statement for table in SEARCHED_TABLES for statement in (
    f"DROP TRIGGER IF EXISTS {table}_search_insert", f"DROP TRIGGER IF EXISTS {table}_search_delete",
    f"DROP TRIGGER IF EXISTS {table}_search_update", f"DROP TABLE IF EXISTS {table}_search",
)]
POSTGRES = ["CREATE EXTENSION IF NOT EXISTS pg_trgm"] + [
    f"CREATE INDEX IF NOT EXISTS ix_{table}_search_trgm ON {table} USING gin (search_key gin_trgm_ops)"
    for table in SEARCHED_TABLES]
POSTGRES_DROP = [f"DROP INDEX IF EXISTS ix_{table}_search_trgm" for table in SEARCHED_TABLES]
"""The extension stays: other databases of the server may use it."""
SEARCH_OBJECTS = tuple(f"{t}_search" for t in SEARCHED_TABLES) + tuple(f"ix_{t}_search_trgm" for t in SEARCHED_TABLES)
"""Names the models do not declare (the migration test leaves them out of its comparison)."""
