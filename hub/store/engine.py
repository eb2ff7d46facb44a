"""Engines and sessions for the store: SQLite file by default, PostgreSQL by URL."""
from __future__ import annotations

from contextlib import contextmanager
from pathlib import Path
from typing import Iterator

from sqlalchemy import event, text
from sqlalchemy.engine import Engine
from sqlmodel import Session, create_engine

from hub.store.aggregates import install as install_recount
from hub.store.data_version import track_writes
from hub.store.jsontext import json_column_text
from hub.settings import load_settings


PG_POOL_SIZE = 24
"""PostgreSQL connections kept open per process: at least what a busy API worker holds at once
(8 queries running, hub.api.cached_graphql, each with up to 3 loaders in flight). With
SQLAlchemy's default of 5, the overflow was opened and closed per request under load: a new
backend process each time (top: fresh postgres pids every second, issue 14)."""
PG_POOL_OVERFLOW = 16
"""Beyond the pool, for bursts (harvest threads, exports); opened and closed as needed."""
SQLITE_BUSY_TIMEOUT_MS = 30_000
"""How long a SQLite writer waits for another writer's lock before 'database is locked'."""


def make_engine(url: str | None = None) -> Engine:
    """Create an engine with the pragmas/timeouts the hub relies on.

    SQLite: WAL so readers never block the harvest writer, foreign keys on, a busy timeout.
    PostgreSQL: a statement timeout on every connection (no query runs forever).
    Both: every committed write bumps the data version (hub.store.data_version) and recounts the
    aggregates of the provinces it changed (hub.store.aggregates).
    """
    engine = _make_engine(url)
    track_writes(engine)
    install_recount()
    return engine


def _make_engine(url: str | None) -> Engine:
    settings = load_settings()
    url = url or settings.database_url
    if url.startswith("sqlite"):
        path = url.split("///", 1)[-1]
        if path and path != ":memory:":
            Path(path).parent.mkdir(parents=True, exist_ok=True)
        engine = create_engine(url, json_serializer=json_column_text,
                               connect_args={"check_same_thread": False, "timeout": SQLITE_BUSY_TIMEOUT_MS / 1000})

        @event.listens_for(engine, "connect")
        def _sqlite_pragmas(dbapi_conn, _record) -> None:  # type: ignore[no-untyped-def]
            dbapi_conn.isolation_level = None  # transactions are begun by the listener below
            cur = dbapi_conn.cursor()
            cur.execute("PRAGMA journal_mode=WAL")
            cur.execute("PRAGMA foreign_keys=ON")
            cur.execute("PRAGMA synchronous=NORMAL")
            cur.close()

        @event.listens_for(engine, "begin")
        def _sqlite_begin(conn) -> None:  # type: ignore[no-untyped-def]
            # Writers take the write lock up front (BEGIN IMMEDIATE) so two writers queue on
            # the busy timeout instead of failing when a read lock cannot be upgraded.
            immediate = conn.get_execution_options().get(WRITER_OPTION)
            conn.exec_driver_sql("BEGIN IMMEDIATE" if immediate else "BEGIN")

        return engine
    timeout = settings.statement_timeout_ms
    return create_engine(
        url,
        json_serializer=json_column_text,
        pool_pre_ping=True,
        pool_size=PG_POOL_SIZE,
        max_overflow=PG_POOL_OVERFLOW,
        connect_args={"options": f"-c statement_timeout={timeout}", "connect_timeout": 10},
    )


WRITER_OPTION = "hub_writer"


def writer(engine: Engine) -> Engine:
    """The same engine, marked so that its transactions take SQLite's write lock at BEGIN."""
    return engine.execution_options(**{WRITER_OPTION: True})


def lock_province(session: Session, province_code: str | None) -> None:
    """Serialise writers of one province on PostgreSQL (a transaction-scoped advisory lock):
    harvests and pushes of the same province then never race on the same producer or product.
    A source of many provinces (``None``) takes every province's lock, in code order, as one
    statement. SQLite needs nothing more: writer transactions already hold its single write lock."""
    if session.get_bind().dialect.name != "postgresql":
        return
    if province_code is not None:
        session.execute(text("SELECT pg_advisory_xact_lock(:namespace, :province)"),
                        {"namespace": 7107, "province": int(province_code)})
        return
    session.execute(text("SELECT pg_advisory_xact_lock(7107, CAST(code AS integer)) FROM "
                         "(SELECT code FROM province ORDER BY code) AS provinces"))


@contextmanager
def session_scope(engine: Engine) -> Iterator[Session]:
    """One transaction: commit on success, roll back on any error."""
    with Session(engine, expire_on_commit=False) as session:
        try:
            yield session
            session.commit()
        except BaseException:
            session.rollback()
            raise
