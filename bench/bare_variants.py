"""The bare-insert baseline of figure 1 under store variants, to see what bounds the writes.

``python -m bench.bare_variants SRC.sqlite3 default|cache|noindex``

``SRC`` is a harvested store (e.g. .ocop-hub/bench/run-200000/harvest.sqlite3). ``default`` is the
baseline as the suite runs it; ``cache`` adds ``PRAGMA cache_size=-262144`` (256 MB) on every
connection; ``noindex`` drops the secondary indexes of producer, product and source_record first.
"""
from __future__ import annotations

import os
import sqlite3
import sys
from pathlib import Path

from sqlalchemy import event

import hub.store.engine as hub_db
import hub.store.schema as hub_store
from bench.harvest_bench import bare_insert


def main() -> None:
    src, mode = Path(sys.argv[1]), sys.argv[2]
    original = hub_db.make_engine

    def make_engine(url=None):  # type: ignore[no-untyped-def]
        engine = original(url)
        if mode == "cache":
            @event.listens_for(engine, "connect")
            def _cache(dbapi_conn, _record):  # type: ignore[no-untyped-def]
                dbapi_conn.execute("PRAGMA cache_size=-262144")
        return engine

    hub_db.make_engine = make_engine
    dst = f"/tmp/bench-bare-{mode}.sqlite3"
    for f in (dst, dst + "-wal", dst + "-shm"):
        if os.path.exists(f):
            os.remove(f)
    if mode == "noindex":
        hub_store.init_store("sqlite:///" + dst).dispose()
        conn = sqlite3.connect(dst)
        for (name,) in conn.execute("SELECT name FROM sqlite_master WHERE type = 'index' AND sql IS NOT NULL "
                                    "AND tbl_name IN ('product', 'producer', 'source_record')").fetchall():
            conn.execute(f"DROP INDEX {name}")
        conn.commit()
        conn.close()
        hub_store.init_store = lambda url=None: hub_db.make_engine(url)  # keep the stripped schema
    result = bare_insert(src, "sqlite:///" + dst)
    print(mode, round(result["seconds"], 2), "s", result["rows"])


if __name__ == "__main__":
    main()
