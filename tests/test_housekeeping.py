"""Small promises that keep the tool pleasant (issue 16, item 10) and have no other home."""
from __future__ import annotations

import gc

from hub.api.graphiql import EXAMPLE_DOCUMENT
from hub.ingest import run
from hub.store_setup import init_store

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


def test_a_unit_resolver_is_shared_by_stores_with_the_same_reference_data(sqlite_template, tmp_path) -> None:
    """Keyed by a fingerprint of the reference rows too: a new engine on the same units (each CLI
    command, each test's fresh store) does not build the resolver again; other units get their own,
    and only the last few are kept."""
    import shutil

    from sqlalchemy import update

    from hub.store.engine import make_engine
    from hub.store.models import Province

    engines = []
    for name in ("a", "b", "changed"):
        shutil.copyfile(sqlite_template, tmp_path / f"{name}.sqlite3")
        engines.append(make_engine(f"sqlite:///{tmp_path / name}.sqlite3"))
    with engines[2].begin() as connection:
        connection.execute(update(Province).where(Province.code == "01").values(name="Hà Nội (đổi tên)"))
    a, b, changed = (run.resolver_for(engine) for engine in engines)
    assert a is b and changed is not a
    assert changed.province_name("01") == "Hà Nội (đổi tên)" and a.province_name("01") == "Hà Nội"
    assert len(run._by_reference) <= run._KEPT_REFERENCES
    for engine in engines:
        engine.dispose()
