"""Shared fixtures: a fresh, migrated store with reference data, on SQLite and on PostgreSQL.

Migrating and loading ~13,000 reference units once per session and copying that template per
test keeps the suite fast: SQLite copies the file, PostgreSQL uses CREATE DATABASE ... TEMPLATE.
On PostgreSQL two threads make the next copies ahead and drops the used ones (DROP DATABASE waits
for a checkpoint), so a test neither waits for its database nor for the last one's removal: each
test still gets a database of its own, fresh from the template.
"""
from __future__ import annotations

import os
import queue
import shutil
import threading
import uuid
from contextlib import contextmanager
from pathlib import Path
from typing import Iterator

import pytest
from sqlalchemy import create_engine, text
from sqlalchemy.engine import Engine, make_url

from hub.store.engine import make_engine

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
    from hub.store_setup import init_store

    path = tmp_path_factory.mktemp("template") / "hub.sqlite3"
    engine = init_store(f"sqlite:///{path}")
    with engine.connect() as conn:
        conn.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")
    engine.dispose()
    return path


class _PostgresCopies:
    """Fresh copies of the template, made ahead by two threads, which also drop the used ones."""

    AHEAD = 2
    THREADS = 2

    def __init__(self, template: str) -> None:
        self.template = template
        self.admin = _pg_admin()
        self.failed_drops: list[str] = []
        self.ready: queue.Queue[str | BaseException] = queue.Queue()
        self.jobs: queue.Queue[tuple[str, str] | None] = queue.Queue()
        self.threads = [threading.Thread(target=self._work, name=f"postgres-copies-{i}", daemon=True)
                        for i in range(self.THREADS)]
        for thread in self.threads:
            thread.start()
        for _ in range(self.AHEAD):
            self.jobs.put(("create", ""))

    def _work(self) -> None:
        while (job := self.jobs.get()) is not None:
            action, name = job
            try:
                with self.admin.connect() as conn:
                    if action == "create":
                        name = f"ocop_t_{uuid.uuid4().hex[:12]}"
                        conn.execute(text(f'CREATE DATABASE "{name}" TEMPLATE "{self.template}"'))
                    else:
                        conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
            except BaseException as exc:  # a failed copy goes to the test that waits for it
                if action == "create":
                    self.ready.put(exc)
                else:
                    self.failed_drops.append(f"{name}: {exc}")
                continue
            if action == "create":
                self.ready.put(name)

    def take(self) -> str:
        """A database no one has used, copied from the template; the next copy is ordered."""
        self.jobs.put(("create", ""))
        name = self.ready.get(timeout=300)
        if isinstance(name, BaseException):
            raise name
        return name

    def give_back(self, name: str) -> None:
        self.jobs.put(("drop", name))

    def close(self) -> None:
        """Drop the used copies and those made ahead."""
        for thread in self.threads:
            self.jobs.put(None)
        for thread in self.threads:
            thread.join(timeout=300)
        names = []
        while not self.ready.empty():
            name = self.ready.get()
            if isinstance(name, str):
                names.append(name)
        with self.admin.connect() as conn:
            for name in names:
                conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        self.admin.dispose()
        assert not self.failed_drops, f"test databases not dropped: {self.failed_drops}"


@contextmanager
def empty_postgres_database(prefix: str) -> Iterator[str]:
    """A new, empty database on the test server, named ``<prefix>_<random>``; dropped on exit."""
    name = f"{prefix}_{uuid.uuid4().hex[:10]}"
    admin = _pg_admin()
    try:
        with admin.connect() as conn:
            conn.execute(text(f'CREATE DATABASE "{name}"'))
        yield name
        with admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    finally:
        admin.dispose()


@pytest.fixture(scope="session")
def postgres_template() -> Iterator[str]:
    if _PG_REASON:
        pytest.skip(_PG_REASON)
    from hub.store_setup import init_store

    with empty_postgres_database("ocop_tmpl") as name:
        init_store(_pg_url_for(name)).dispose()
        yield name


@pytest.fixture(scope="session")
def postgres_copies(postgres_template: str) -> Iterator[_PostgresCopies]:
    copies = _PostgresCopies(postgres_template)
    yield copies
    copies.close()


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def store_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    """URL of a fresh store (migrated, reference units loaded), once per backend."""
    if request.param == "sqlite":
        template: Path = request.getfixturevalue("sqlite_template")
        path = tmp_path / "hub.sqlite3"
        shutil.copyfile(template, path)
        yield f"sqlite:///{path}"
        return
    copies: _PostgresCopies = request.getfixturevalue("postgres_copies")
    name = copies.take()
    yield _pg_url_for(name)
    copies.give_back(name)


@pytest.fixture
def store(store_url: str) -> Iterator[Engine]:
    """An engine on a fresh store; disposed after the test."""
    engine = make_engine(store_url)
    yield engine
    engine.dispose()


# `make test` runs the suite on pytest-xdist workers (-n 2 --dist loadgroup). A work unit, sent whole
# to one worker and run there in order, is a test module, so its module-scoped fixtures (a seeded
# store, a live server) are built once, as in a serial run; or one of these groups of modules, which
# must not run at the same time as each other. (xdist's own ``xdist_group`` marks do not group
# anything under pytest 9.2: xdist renames ``item._nodeid``, which pytest no longer reads.)
XDIST_GROUPS = {
    # Start the Dagster of `make dagster` on the repository's own instance folder (.ocop-hub/dagster).
    "tests/pipelines/test_dev.py": "dagster-instance",
    # The production profile: five processes (code server, daemon, webserver, `ocop-hub serve` and
    # its runs) on PostgreSQL, for a minute or two: a group of its own.
    "tests/pipelines/test_production.py": "production",
    # Headless chromium: one browser at a time on a 2-core machine.
    "tests/api/test_graphiql_browser.py": "browser",
    "tests/dashboard/test_dashboard_browser.py": "browser",
    "tests/submit/test_submit_browser.py": "browser",
    # `ocop-hub serve` subprocesses with answer-time bounds (workers, a cut database, hostile clients):
    # one live server module at a time.
    "tests/api/test_live_server.py": "live-server",
    "tests/api/test_client_input.py": "live-server",
    "tests/api/test_pg_pool.py": "live-server",
    "tests/api/test_province_filters.py": "live-server",
    "tests/api/test_push_file_bounds.py": "live-server",
    "tests/api/test_sources_api.py": "live-server",
    "tests/api/test_workers.py": "live-server",
    "tests/reliability/test_db_outage.py": "live-server",
    "tests/reliability/test_live_hostile.py": "live-server",
    "tests/reliability/test_slow_clients.py": "live-server",
    # A harvest SIGKILLed at a row count, with a time bound: alone in its group, never beside another.
    "tests/reliability/test_kill.py": "kill",
}


def xdist_work_unit(nodeid: str) -> str:
    """The work unit of a test: its group (XDIST_GROUPS), else its module."""
    module = nodeid.split("::", 1)[0]
    return XDIST_GROUPS.get(module, module)


def pytest_xdist_make_scheduler(config: pytest.Config, log: object) -> object | None:
    """Under ``--dist loadgroup``, xdist's load-scope scheduler with ``xdist_work_unit`` as the scope."""
    if config.getvalue("dist") != "loadgroup":
        return None
    from xdist.scheduler import LoadScopeScheduling

    class ModulesAndGroups(LoadScopeScheduling):
        def _split_scope(self, nodeid: str) -> str:
            return xdist_work_unit(nodeid)

    return ModulesAndGroups(config, log)


def pytest_report_header(config: pytest.Config) -> str:
    return "postgres: " + ("reachable, PostgreSQL tests run" if not _PG_REASON else f"SKIPPED ({_PG_REASON})")
