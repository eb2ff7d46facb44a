"""Engines and sessions for the store: SQLite file by default, PostgreSQL by URL."""
from __future__ import annotations

from contextlib import contextmanager
from pathlib import Path
from typing import Iterator

from sqlalchemy import event
from sqlalchemy.engine import Engine
from sqlmodel import Session, create_engine

from hub.settings import load_settings


def make_engine(url: str | None = None) -> Engine:
    """Create an engine with the pragmas/timeouts the hub relies on.

    SQLite: WAL so readers never block the harvest writer, foreign keys on, a busy timeout.
    PostgreSQL: a statement timeout on every connection (no query runs forever).
    """
    settings = load_settings()
    url = url or settings.database_url
    if url.startswith("sqlite"):
        path = url.split("///", 1)[-1]
        if path and path != ":memory:":
            Path(path).parent.mkdir(parents=True, exist_ok=True)
        engine = create_engine(url, connect_args={"check_same_thread": False, "timeout": 30})

        @event.listens_for(engine, "connect")
        def _sqlite_pragmas(dbapi_conn, _record) -> None:  # type: ignore[no-untyped-def]
            cur = dbapi_conn.cursor()
            cur.execute("PRAGMA journal_mode=WAL")
            cur.execute("PRAGMA foreign_keys=ON")
            cur.execute("PRAGMA synchronous=NORMAL")
            cur.close()

        return engine
    timeout = settings.statement_timeout_ms
    return create_engine(
        url,
        pool_pre_ping=True,
        connect_args={"options": f"-c statement_timeout={timeout}", "connect_timeout": 10},
    )


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
