"""A store ready to use: migrated to head, with the administrative reference units loaded.

Above both the store (hub/store/) and the units (hub/units/), which it puts together."""
from __future__ import annotations

from sqlalchemy.engine import Engine

from hub.store.engine import make_engine, session_scope
from hub.store.schema import upgrade
from hub.units.reference import load_reference


def init_store(url: str | None = None) -> Engine:
    """Migrate to head and load the administrative reference data (idempotent)."""
    engine = make_engine(url)
    upgrade(engine)
    with session_scope(engine) as session:
        load_reference(session)
    return engine
