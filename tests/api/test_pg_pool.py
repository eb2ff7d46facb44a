"""On PostgreSQL a busy API worker keeps its connections: concurrent requests after warm-up open
no new database sessions (hub.store.engine.PG_POOL_SIZE). With SQLAlchemy's default pool of 5, the
overflow was opened and closed per request: a new backend process each time."""
from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest
import requests
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

from hub.api.cached_graphql import DEFAULT_MAX_RUNNING
from hub.store.engine import PG_POOL_SIZE
from tests.api.live import LiveServer, live_store_url  # noqa: F401  (fixture)

PAGE = {"query": "{ products(first: 5) { edges { node { name producer { name } provenance { sourceName } "
                 "province { code productCount } } } } }"}


def sessions_opened(url: str) -> int:
    """Sessions ever opened on the store's database (pg_stat_database, PostgreSQL 14+)."""
    database = make_url(url).database
    engine = create_engine(make_url(url).set(database="postgres"), isolation_level="AUTOCOMMIT")
    try:
        with engine.connect() as conn:
            conn.execute(text("SELECT pg_stat_clear_snapshot()"))
            return int(conn.execute(text("SELECT sessions FROM pg_stat_database WHERE datname = :d"),
                                    {"d": database}).scalar() or 0)
    finally:
        engine.dispose()


def test_the_pool_holds_what_a_busy_worker_uses() -> None:
    assert PG_POOL_SIZE >= DEFAULT_MAX_RUNNING * 3  # queries at once, each with its loaders in flight


def test_concurrent_requests_reuse_connections(live_store_url: str, tmp_path: Path) -> None:  # noqa: F811
    if not live_store_url.startswith("postgresql"):
        pytest.skip("PostgreSQL's connection pool; SQLite opens files, not server sessions")
    env = {"HUB_RATE_LIMIT_ANONYMOUS": "0", "HUB_RESPONSE_CACHE_MB": "0"}
    with LiveServer(live_store_url, tmp_path / "serve.log", env=env, workers=1) as server:
        with ThreadPoolExecutor(24) as pool:
            def burst() -> list[int]:
                return list(pool.map(lambda _: requests.post(f"{server.url}/graphql", json=PAGE, timeout=30).status_code,
                                     range(96)))

            assert set(burst()) == {200}  # warm-up: the pool fills
            before = sessions_opened(live_store_url)
            for _ in range(3):
                assert set(burst()) == {200}
            after = sessions_opened(live_store_url)
    assert after - before <= 2, f"{after - before} database sessions opened by 288 requests after warm-up"
