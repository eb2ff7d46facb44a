"""A Core statement's rows as the database driver returns them, in lists, for bulk readers.

SQLAlchemy's results make a Row per row and run each column's result processors (text to
``date`` on SQLite, the aware-datetime decorator of ``UTCDateTime``): right for the API, a third
of the time of a whole-store export, which converts a column at a time instead
(hub/api/export_arrow.py). Here SQLAlchemy only compiles the statement and processes its bound
parameters (SQLCompiler.construct_expanded_state); the statement runs on the DBAPI cursor of the
caller's connection, inside its transaction, so it reads the same snapshot as the caller's other
statements. On PostgreSQL a named (server-side) cursor streams it: memory holds one list.
"""
from __future__ import annotations

import itertools
from typing import Any, Iterator

from sqlalchemy.engine import Connection
from sqlalchemy.sql import Executable

SERVER_CURSOR = "hub_driver_rows"
"""A server-side cursor's name; numbered, as a connection may hold two at once."""
_cursor_numbers = itertools.count()


def driver_statement(conn: Connection, stmt: Executable) -> tuple[str, Any]:
    """The SQL text and the driver's parameters (bound values processed as SQLAlchemy would)."""
    compiled = stmt.compile(dialect=conn.dialect)  # type: ignore[attr-defined]
    state = compiled.construct_expanded_state()
    params = {k: state.processors[k](v) if k in state.processors else v for k, v in state.parameters.items()}
    if state.positiontup is not None:
        return state.statement, tuple(params[k] for k in state.positiontup)
    return state.statement, params


def driver_rows(conn: Connection, stmt: Executable, size: int,
                stream: bool = True) -> Iterator[list[tuple[Any, ...]]]:
    """The statement's rows as the driver's tuples, ``size`` at a time (the last list shorter).
    ``stream=False`` for a result small enough to hold (PostgreSQL sends it whole, and another
    statement may run while the cursor is open)."""
    sql, params = driver_statement(conn, stmt)
    if not conn.in_transaction():
        conn.begin()  # the hub's BEGIN (hub.store.engine), as conn.execute would
    dbapi = conn.connection.driver_connection
    assert dbapi is not None
    server_side = stream and conn.dialect.name == "postgresql"
    cursor = dbapi.cursor(name=f"{SERVER_CURSOR}_{next(_cursor_numbers)}") if server_side else dbapi.cursor()
    try:
        if server_side:
            cursor.itersize = size
        cursor.execute(sql, params)
        while rows := cursor.fetchmany(size):
            yield rows
    finally:
        cursor.close()
