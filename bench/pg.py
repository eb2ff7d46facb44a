"""Figure 7: the same API figures on PostgreSQL, in a fresh database holding the harvested rows."""
from __future__ import annotations

import secrets
import time
from contextlib import contextmanager
from typing import Any, Iterator

from bench.common import log

def pg_reachable(url: str) -> str | None:
    from sqlalchemy import create_engine, text

    try:
        engine = create_engine(url, connect_args={"connect_timeout": 5})
        with engine.connect() as conn:
            version = conn.execute(text("SHOW server_version")).scalar()
        engine.dispose()
        return str(version)
    except Exception as exc:
        log(f"PostgreSQL not reachable at {url}: {type(exc).__name__}: {str(exc).splitlines()[0]}")
        return None


@contextmanager
def pg_database(base_url: str) -> Iterator[str]:
    """A fresh database ocop_bench_<random>, dropped at the end whatever happens."""
    from sqlalchemy import create_engine, text
    from sqlalchemy.engine import make_url

    name = f"ocop_bench_{secrets.token_hex(4)}"
    admin = create_engine(base_url, isolation_level="AUTOCOMMIT", connect_args={"connect_timeout": 5})
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    try:
        yield make_url(base_url).set(database=name).render_as_string(hide_password=False)
    finally:
        with admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


def copy_store(src_url: str, dst_url: str) -> dict[str, Any]:
    """Load the harvested SQLite store into PostgreSQL (same rows and ids) table by table."""
    from sqlalchemy import func, insert, select, text
    from sqlmodel import SQLModel

    import hub.store.models  # noqa: F401  (registers the tables)
    from hub.store.engine import make_engine
    from hub.store_setup import init_store

    dst = init_store(dst_url)
    src = make_engine(src_url)
    counts: dict[str, int] = {}
    started = time.perf_counter()
    with src.connect() as s, dst.begin() as d:
        for table in SQLModel.metadata.sorted_tables:
            n = s.execute(select(func.count()).select_from(table)).scalar() or 0
            if not n or d.execute(select(func.count()).select_from(table)).scalar():
                continue  # empty, or reference data init_store already loaded
            result = s.execute(select(table)).mappings()
            while chunk := result.fetchmany(5000):
                d.execute(insert(table), [dict(r) for r in chunk])
            counts[table.name] = n
            if "id" in table.c:
                d.execute(text(f"SELECT setval(pg_get_serial_sequence('{table.name}', 'id'), "
                               f"(SELECT max(id) FROM {table.name}))"))
    with dst.connect().execution_options(isolation_level="AUTOCOMMIT") as d:
        d.execute(text("VACUUM ANALYZE"))
    src.dispose()
    dst.dispose()
    return {"rows": counts, "seconds": round(time.perf_counter() - started, 1)}
