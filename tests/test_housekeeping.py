"""Small promises that keep the tool pleasant (issue 16, item 10) and have no other home."""
from __future__ import annotations

import gc

from hub.api.graphiql import EXAMPLE_DOCUMENT
from hub.ingest import run
from hub.store import init_store

GRAPHIQL_PANE_COLUMNS = 60


def test_the_graphiql_example_fits_its_pane() -> None:
    assert max(map(len, EXAMPLE_DOCUMENT.splitlines())) <= GRAPHIQL_PANE_COLUMNS


def test_a_unit_resolver_goes_away_with_its_engine(tmp_path) -> None:
    """Each resolver holds about 13,000 units: one kept for every store a process opened made
    pytest spend 16 s collecting garbage after its summary, a core at 100%."""
    engine = init_store(f"sqlite:///{tmp_path / 'hub.sqlite3'}")
    assert run.resolver_for(engine) is run.resolver_for(engine)  # built once per engine
    assert engine in run._resolvers
    engine.dispose()
    del engine
    gc.collect()
    assert len([e for e in run._resolvers if str(tmp_path) in str(e.url)]) == 0
