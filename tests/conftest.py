"""Shared fixtures: a fresh, migrated store with reference data, on SQLite and on PostgreSQL.

Migrating and loading ~13,000 reference units once per session and copying that template per
test keeps the suite fast: SQLite copies the file, PostgreSQL uses CREATE DATABASE ... TEMPLATE.
"""
from __future__ import annotations

import os
import shutil
import uuid
from pathlib import Path
from typing import Iterator

import pytest
from sqlalchemy import create_engine, text
from sqlalchemy.engine import Engine, make_url

from hub.db import make_engine

# The suite drives the API far faster than any client may: rate limits are tested on their own
# (tests/reliability/test_ratelimit.py) and switched off here, for child servers too.
os.environ.setdefault("HUB_RATE_LIMIT_ANONYMOUS", "0")
os.environ.setdefault("HUB_RATE_LIMIT_KEY", "0")

DEFAULT_PG_URL = "postgresql+psycopg2://postgres@127.0.0.1:5432/test"


def postgres_admin_url() -> str:
    return os.environ.get("HUB_TEST_DATABASE_URL", DEFAULT_PG_URL)


def postgres_unreachable_reason() -> str | None:
    """None when PostgreSQL answers; otherwise the reason, printed in the skip message."""
    try:
        engine = create_engine(postgres_admin_url(), connect_args={"connect_timeout": 3})
        with engine.connect() as conn:
            conn.execute(text("SELECT 1"))
        engine.dispose()
        return None
    except Exception as exc:  # any failure to connect means "skip", with the reason
        return f"PostgreSQL not reachable at {make_url(postgres_admin_url()).render_as_string()}: {exc.__class__.__name__}: {str(exc).strip()[:200]}"


_PG_REASON = postgres_unreachable_reason()


def _pg_admin() -> Engine:
    return create_engine(postgres_admin_url(), isolation_level="AUTOCOMMIT")


def _pg_url_for(database: str) -> str:
    return make_url(postgres_admin_url()).set(database=database).render_as_string(hide_password=False)


@pytest.fixture(scope="session")
def samples_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The sample registries of ``python -m hub.samples``, generated once per session (and worker):
    read them in place; copy them (``shutil.copytree``) to change them."""
    from hub.samples import generate

    out = tmp_path_factory.mktemp("samples")
    generate(out)
    return out


@pytest.fixture(scope="session")
def sqlite_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    from hub.store import init_store

    path = tmp_path_factory.mktemp("template") / "hub.sqlite3"
    engine = init_store(f"sqlite:///{path}")
    with engine.connect() as conn:
        conn.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")
    engine.dispose()
    return path


@pytest.fixture(scope="session")
def postgres_template() -> Iterator[str]:
    if _PG_REASON:
        pytest.skip(_PG_REASON)
    from hub.store import init_store

    name = f"ocop_tmpl_{uuid.uuid4().hex[:10]}"
    admin = _pg_admin()
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    engine = init_store(_pg_url_for(name))
    engine.dispose()
    yield name
    with admin.connect() as conn:
        conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    admin.dispose()


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def store_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    """URL of a fresh store (migrated, reference units loaded), once per backend."""
    if request.param == "sqlite":
        template: Path = request.getfixturevalue("sqlite_template")
        path = tmp_path / "hub.sqlite3"
        shutil.copyfile(template, path)
        yield f"sqlite:///{path}"
        return
    template_name: str = request.getfixturevalue("postgres_template")
    name = f"ocop_t_{uuid.uuid4().hex[:12]}"
    admin = _pg_admin()
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}" TEMPLATE "{template_name}"'))
    yield _pg_url_for(name)
    with admin.connect() as conn:
        conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    admin.dispose()


@pytest.fixture
def store(store_url: str) -> Iterator[Engine]:
    """An engine on a fresh store; disposed after the test."""
    engine = make_engine(store_url)
    yield engine
    engine.dispose()


@pytest.hookimpl(tryfirst=True)
def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """``make test`` runs the suite on pytest-xdist workers with ``--dist loadgroup``: a test goes
    with its xdist group to one worker. A test without an explicit group is grouped with its
    module, so module-scoped fixtures (a seeded store, a live server) are built once, on one worker,
    as in a serial run. Explicit groups (``pytest.mark.xdist_group``) gather tests that must not run
    at the same time as each other (the repository's Dagster instance, browsers, live servers,
    SIGKILLed harvests). Without xdist the marks do nothing."""
    for item in items:
        if item.get_closest_marker("xdist_group") is None:
            item.add_marker(pytest.mark.xdist_group(item.nodeid.split("::", 1)[0]))


def pytest_report_header(config: pytest.Config) -> str:
    return "postgres: " + ("reachable, PostgreSQL tests run" if not _PG_REASON else f"SKIPPED ({_PG_REASON})")
