"""Migrations create the schema on SQLite and PostgreSQL alike, and match the models."""
from __future__ import annotations

from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import func, inspect, select
from sqlmodel import Session, SQLModel

from hub.models import Commune, LegacyUnit, Province
from hub.store import alembic_config, current_revision, init_store


def test_store_is_at_head_with_every_table(store) -> None:
    head = ScriptDirectory.from_config(alembic_config(store)).get_current_head()
    assert current_revision(store) == head
    tables = set(inspect(store).get_table_names())
    assert set(SQLModel.metadata.tables) <= tables


def test_migrations_match_the_models(store) -> None:
    """Fails when a model changes without a migration (autogenerate finds a difference)."""
    with store.connect() as conn:
        diff = compare_metadata(MigrationContext.configure(conn, opts={"compare_type": True}),
                                SQLModel.metadata)
    assert diff == [], f"models and migrations disagree; add a migration: {diff}"


def test_reference_units_loaded_once_even_when_initialised_twice(store_url) -> None:
    engine = init_store(store_url)  # second time: the fixture already initialised it
    with Session(engine) as session:
        provinces = session.execute(select(func.count()).select_from(Province)).scalar_one()
        communes = session.execute(select(func.count()).select_from(Commune)).scalar_one()
        legacy_provinces = session.execute(
            select(func.count()).select_from(LegacyUnit).where(LegacyUnit.level == "province")
        ).scalar_one()
    engine.dispose()
    assert (provinces, communes, legacy_provinces) == (34, 3321, 63)
