"""The store's data version: a number that grows in every transaction that writes.

The API's response cache and ETags are keyed by it (hub/api/response_cache.py). It is bumped by
the engine itself, at commit, in any transaction that ran an INSERT, UPDATE or DELETE, whatever
code path wrote (harvest, push, revert, source mutations, push jobs, the status refresh): no
writer can forget it. The bump is the last statement before the commit, so on PostgreSQL the
row lock it takes is held for an instant, not for a whole harvest. A reader that sees version N
sees every write of the transactions that made it N: an answer computed after reading N may
reflect later writes too, never fewer.
"""
from __future__ import annotations

import asyncio
import threading
import weakref
from functools import partial
from typing import Any

import psycopg2
from psycopg2.extensions import POLL_OK, POLL_READ, POLL_WRITE
from sqlalchemy import event, text
from sqlalchemy.engine import Connection, Engine

from hub.store.wal_index import WalIndex, wal_index_of

WROTE = "hub_wrote"
"""``Connection.info`` key: this transaction has written."""
UNVERSIONED = "hub_unversioned"
"""``Connection.info`` key set by migrations: their writes bump nothing (the table may not exist yet)."""
BUMP = ("INSERT INTO data_version (id, version) VALUES (1, 1) "
        "ON CONFLICT (id) DO UPDATE SET version = data_version.version + 1")
"""An upsert: a store made by ``metadata.create_all`` has the table but not the row."""
_WRITES = ("INSERT", "UPDATE", "DELETE", "REPLACE")
_has_table: "weakref.WeakKeyDictionary[Any, bool]" = weakref.WeakKeyDictionary()
_lock = threading.Lock()


def _is_write(statement: str) -> bool:
    head = statement.lstrip()[:7].upper()
    return head.startswith(_WRITES) and "alembic_version" not in statement[:64]


def track_writes(engine: Engine) -> None:
    """Install the bump on ``engine`` (hub.store.engine.make_engine does, for every engine it makes)."""

    @event.listens_for(engine, "before_cursor_execute")
    def _note(conn: Connection, cursor: Any, statement: str, parameters: Any, context: Any,
              executemany: bool) -> None:
        if not conn.info.get(WROTE) and _is_write(statement):
            conn.info[WROTE] = True

    @event.listens_for(engine, "commit")
    def _bump(conn: Connection) -> None:
        if conn.info.pop(WROTE, False) and not conn.info.get(UNVERSIONED) and has_version_table(conn):
            cursor = conn.connection.cursor()
            try:
                cursor.execute(BUMP)
            finally:
                cursor.close()

    @event.listens_for(engine, "rollback")
    def _forget(conn: Connection) -> None:
        conn.info.pop(WROTE, None)


def has_version_table(conn: Connection) -> bool:
    """Whether the store has the data_version table (migration 0005); asked once per engine."""
    pool = conn.engine.pool  # shared by the engine and its writer() variant
    known = _has_table.get(pool)
    if known is None:
        cursor = conn.connection.cursor()
        try:
            if conn.dialect.name == "postgresql":
                cursor.execute("SELECT to_regclass('data_version') IS NOT NULL")
            else:
                cursor.execute("SELECT count(*) > 0 FROM sqlite_master WHERE type = 'table' AND name = 'data_version'")
            known = bool(cursor.fetchone()[0])
        finally:
            cursor.close()
        with _lock:
            _has_table[pool] = known
    return known


def schema_changed(engine: Engine) -> None:
    """After a migration: ask again whether the table exists."""
    with _lock:
        _has_table.pop(engine.pool, None)


def read_version(engine: Engine) -> int:
    """The current data version (0 for a store migrated below 0005)."""
    with engine.connect() as conn:
        if not has_version_table(conn):
            return 0
        row = conn.execute(text("SELECT version FROM data_version WHERE id = 1")).first()
    return int(row[0]) if row else 0


class VersionReader:
    """Reads the data version on one connection of its own, kept open (autocommit, so every read
    sees the latest commit): a primary-key lookup, without a pool checkout per request.
    Thread-safe; a broken connection is replaced on the next read.

    On SQLite in WAL mode the row is read again only when the WAL index says a commit may have
    happened since the last read began (hub.store.wal_index): the header is looked at *before*
    each read, so an unchanged header means no commit, from any process, since a read that
    returned the version kept; any change, even a checkpoint's, means a fresh read."""

    def __init__(self, engine: Engine) -> None:
        self.engine = engine
        self._conn: Any = None
        self._wal: WalIndex | None = None
        self._seen: tuple[bytes, int] | None = None  # WAL-index header before the last read, its version
        self._lock = threading.Lock()

    def read(self) -> int:
        with self._lock:
            try:
                return self._read()
            except Exception:
                self._close()
                return self._read()  # one retry on a fresh connection; a second failure propagates

    def _read(self) -> int:
        if self._conn is None:
            self._connect()
        if self._wal is None:
            return self._select()
        self._conn.total_changes  # raises on a closed connection, before its (gone) mapping is read
        header = self._wal.header()
        if self._seen is not None and self._seen[0] == header:
            return self._seen[1]
        version = self._select()
        self._seen = (header, version)
        return version

    def _connect(self) -> None:
        fairy = self.engine.raw_connection()
        conn = fairy.dbapi_connection
        fairy.detach()  # its own for good: never handed back to the pool in autocommit mode
        if self.engine.dialect.name == "postgresql":
            conn.autocommit = True
        self._conn = conn
        if self.engine.dialect.name == "sqlite":
            self._select()  # SQLite maps the WAL index on a connection's first read
            self._wal = wal_index_of(conn)  # valid while this connection is open

    def _select(self) -> int:
        cursor = self._conn.cursor()
        try:
            cursor.execute("SELECT version FROM data_version WHERE id = 1")
            row = cursor.fetchone()
        finally:
            cursor.close()
        return int(row[0]) if row else 0

    def _close(self) -> None:
        self._wal, self._seen = None, None  # the mapping's address is good only while the connection is open
        if self._conn is not None:
            try:
                self._conn.close()
            except Exception:  # already broken
                pass
            self._conn = None

    def close(self) -> None:
        with self._lock:
            self._wal, self._seen = None, None
            if self._conn is not None:
                self._conn.close()
                self._conn = None


class AsyncVersionReader:
    """PostgreSQL: the data version read on the event loop, over an asynchronous psycopg2
    connection of its own (autocommit, as every asynchronous connection is).

    Why not a thread: a read is one short round trip, and a worker thread adds a hand-over of
    the interpreter lock each way; here it is a socket write and a wake-up of the loop. (The
    cached p99 of 140 ms on PostgreSQL, first blamed on the thread, was garbage collection:
    hub.server.settled_heap; this reader alone changed little.) One read at a time (the caller
    shares them); a read that fails or takes longer than ``timeout_s`` drops the connection, and
    the next read opens a fresh one."""

    def __init__(self, engine: Engine, timeout_s: float = 10.0) -> None:
        args, params = engine.dialect.create_connect_args(engine.url)
        self._connect = partial(psycopg2.connect, *args, **params, async_=True)
        self.timeout_s = timeout_s
        self._conn: Any = None

    async def read(self) -> int:
        try:
            return await asyncio.wait_for(self._read(), self.timeout_s)
        except BaseException:
            self.close()
            raise

    async def _read(self) -> int:
        if self._conn is None:
            conn = self._connect()
            await _ready(conn)
            self._conn = conn
        cursor = self._conn.cursor()
        try:
            cursor.execute("SELECT version FROM data_version WHERE id = 1")
            await _ready(self._conn)
            row = cursor.fetchone()
        finally:
            cursor.close()
        return int(row[0]) if row else 0

    def close(self) -> None:
        conn, self._conn = self._conn, None
        if conn is not None:
            try:
                conn.close()
            except Exception:  # already broken
                pass


async def _ready(conn: Any) -> None:
    """Wait, without blocking the loop, until the asynchronous connection has finished its step."""
    loop = asyncio.get_running_loop()
    while True:
        state = conn.poll()
        if state == POLL_OK:
            return
        if state not in (POLL_READ, POLL_WRITE):
            raise RuntimeError(f"unexpected psycopg2 poll state {state}")
        fd = conn.fileno()
        woken = loop.create_future()
        watch, unwatch = (loop.add_reader, loop.remove_reader) if state == POLL_READ else \
            (loop.add_writer, loop.remove_writer)
        watch(fd, _wake, woken)
        try:
            await woken
        finally:
            unwatch(fd)


def _wake(woken: "asyncio.Future[None]") -> None:
    if not woken.done():
        woken.set_result(None)
