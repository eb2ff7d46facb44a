"""Creating and evolving the store: Alembic migrations, then the reference units."""
from __future__ import annotations

from pathlib import Path
from typing import Callable

from alembic import command
from alembic.config import Config
from sqlalchemy.engine import Engine

from hub.store.data_version import UNVERSIONED, has_version_table, schema_changed
from hub.store.engine import session_scope
from hub.store.aggregates import recount_marked

MIGRATIONS = Path(__file__).resolve().parent / "migrations"


def alembic_config(engine: Engine) -> Config:
    """An Alembic config bound to ``engine``: no alembic.ini to keep in step with the settings."""
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    config.set_main_option("sqlalchemy.url", engine.url.render_as_string(hide_password=False))
    return config


def upgrade(engine: Engine, revision: str = "head") -> None:
    """Apply migrations up to ``revision`` on SQLite or PostgreSQL alike, then count what
    migration 0005 marked for the aggregates (hub.store.aggregates)."""
    _migrate(engine, command.upgrade, revision)
    with engine.connect() as connection:
        counted = has_version_table(connection)
    if counted:  # what migration 0005 (or a writer that skipped the recount) left noted
        with session_scope(engine) as session:
            recount_marked(session)


def downgrade(engine: Engine, revision: str) -> None:
    """Undo migrations down to ``revision`` (operators and the migration tests)."""
    _migrate(engine, command.downgrade, revision)


def _migrate(engine: Engine, step: Callable[[Config, str], None], revision: str) -> None:
    """One transaction. On SQLite a batch step rebuilds a table (copy, drop, rename) that other
    tables' foreign keys refer to, and SQLite would check them on the drop: foreign keys are off
    for the migration (a pragma that only takes effect outside a transaction) and every reference
    is checked before the commit instead."""
    config = alembic_config(engine)
    with engine.connect() as connection:
        connection.info[UNVERSIONED] = True
        sqlite = connection.dialect.name == "sqlite"
        if sqlite:
            connection.connection.driver_connection.execute("PRAGMA foreign_keys=OFF")
        try:
            with connection.begin():
                config.attributes["connection"] = connection
                step(config, revision)
                if sqlite:
                    broken = connection.exec_driver_sql("PRAGMA foreign_key_check").all()
                    if broken:
                        raise RuntimeError(f"migration to {revision} broke foreign keys: {broken[:5]}")
        finally:
            connection.info.pop(UNVERSIONED, None)
            schema_changed(engine)
            if sqlite:
                connection.connection.driver_connection.execute("PRAGMA foreign_keys=ON")


def current_revision(engine: Engine) -> str | None:
    from alembic.runtime.migration import MigrationContext

    with engine.connect() as connection:
        return MigrationContext.configure(connection).get_current_revision()


def analyze(engine: Engine) -> None:
    """Refresh the planner's statistics after a harvest. Without them SQLite pages products by
    sorting the whole table (measured 122 ms vs 0.1 ms per page at 200k products, bench/README.md)."""
    with engine.begin() as connection:
        connection.exec_driver_sql("ANALYZE")
