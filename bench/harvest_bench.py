"""Figures 1–3: harvest, re-harvest and memory, each in a child process of its own."""
from __future__ import annotations

import json
import resource
import sqlite3
import subprocess
import sys
import time
from pathlib import Path
from typing import Any, Callable

from bench.common import ROOT

def vm_hwm_kb() -> int:
    """Peak RSS of this process image (VmHWM). Unlike ``ru_maxrss``, which Linux carries across
    fork+exec (a child starts with its parent's high-water mark), VmHWM belongs to the new image."""
    try:
        for line in open("/proc/self/status"):
            if line.startswith("VmHWM:"):
                return int(line.split()[1])
    except OSError:
        pass
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss


def harvest_rows_only(engine: Any, spec: Any) -> Any:
    """A re-harvest as if every file's bytes had changed but none of its rows: the ingest gets
    no fingerprint, so only the row-level skip (``source_record.raw_hash``) applies."""
    from hub.ingest import ingest_rows
    from hub.registries.read import RegistrySnapshot

    return ingest_rows(engine, source_name=spec.name, source_kind=spec.kind, province=spec.province,
                       location=spec.location, rows=RegistrySnapshot(spec), batch_kind="harvest", actor="harvest")


def child_harvest(sources: str, url: str, reharvest: bool) -> None:
    """Runs in the child: fresh store, harvest every source, optionally again (same files, then
    the same rows in files taken as changed); JSON on stdout."""
    from hub.sources.read_ahead import harvest_sources
    from hub.registries import load_sources
    from hub.store.schema import analyze
    from hub.store_setup import init_store

    specs = load_sources(sources)
    engine = init_store(url)
    out: dict[str, Any] = {"sources": len(specs), "rss_after_init_kb": vm_hwm_kb(),
                           "ru_maxrss_after_init_kb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss}
    # The first harvest and the second (same files) as `ocop-hub harvest` runs them: the next list
    # read ahead in a second process (its peak RSS: ru_maxrss of the children once it has ended).
    def one_by_one(engine: Any, specs: Any) -> Any:
        return ((spec, harvest_rows_only(engine, spec)) for spec in specs)

    phases: dict[str, Callable[[Any, Any], Any]] = {"first": harvest_sources}
    if reharvest:
        phases.update(second=harvest_sources, rows=one_by_one)
    for phase, harvest in phases.items():
        totals = dict(rows_read=0, created=0, updated=0, unchanged=0, withdrawn=0, rejected=0)
        failed = []
        started = time.perf_counter()
        cpu = time.process_time()
        for spec, summary in harvest(engine, specs):
            for key in totals:
                totals[key] += getattr(summary, key)
            if summary.failed:
                failed.append(f"{spec.name}: {summary.error}")
        out[phase] = dict(totals, seconds=time.perf_counter() - started, cpu_seconds=time.process_time() - cpu,
                          failed=failed, maxrss_kb=vm_hwm_kb(),
                          ru_maxrss_kb=resource.getrusage(resource.RUSAGE_SELF).ru_maxrss,
                          read_ahead_maxrss_kb=resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)
    # `ocop-hub harvest` ends with ANALYZE (hub.store.schema.analyze): the API figures are taken on a
    # store as the CLI leaves it. Timed apart, not part of the harvest figures.
    started = time.perf_counter()
    analyze(engine)
    out["analyze_seconds"] = time.perf_counter() - started
    print("BENCH-RESULT " + json.dumps(out), flush=True)


def run_harvest_child(sources: Path, url: str, reharvest: bool, profile: Path | None = None) -> dict[str, Any]:
    """Spawn the harvest child; it reports its own peak RSS (VmHWM of /proc/self/status, read
    after each phase). RUSAGE_CHILDREN is kept for reference but includes the parent's RSS at
    fork time (Linux keeps the high-water mark across exec), so it is not the headline."""
    cmd = [sys.executable, "-m", "bench.run", "--child-harvest", str(sources), "--child-db", url]
    if reharvest:
        cmd.append("--child-reharvest")
    proc = subprocess.Popen(cmd, cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    out_text, err_text = proc.communicate()  # communicate() reaps the child: read rusage around it
    rusage = resource.getrusage(resource.RUSAGE_CHILDREN)
    if proc.returncode != 0:
        raise RuntimeError(f"harvest child failed ({proc.returncode}):\n{err_text[-4000:]}")
    line = next(l for l in out_text.splitlines() if l.startswith("BENCH-RESULT "))
    result = json.loads(line[len("BENCH-RESULT "):])
    result["children_maxrss_kb"] = rusage.ru_maxrss  # largest child so far (KiB), see the docstring
    errors = [l for l in err_text.splitlines() if "ERROR" in l or "Traceback" in l]
    result["stderr_errors"] = errors[:5]
    return result


def bare_insert(src_db: Path, dst_url: str, plain: bool = False) -> dict[str, Any]:
    """Baseline: the harvested (already normalized) producers, products and source records
    inserted into a fresh store with ONE DBAPI executemany per table, one transaction.

    ``plain`` (issue 27's ``plain_insert_s``): the same, into the same tables after dropping their
    triggers (full-text and trigram indexes, dirty provinces) and every index that backs no
    constraint: what the machine takes to store the rows, without the derived structures."""
    from hub.store.engine import make_engine
    from hub.store_setup import init_store

    init_store(dst_url).dispose()  # same schema, indexes and reference data as the harvest's store
    src = sqlite3.connect(src_db)
    engine = make_engine(dst_url)  # same pragmas (WAL, synchronous=NORMAL, foreign keys)
    raw = engine.raw_connection()
    try:
        cur = raw.cursor()
        if plain:
            _drop_derived(cur, ("producer", "product", "source_record"))
        tables: dict[str, tuple[list[str], list[tuple[Any, ...]]]] = {}
        for table in ("source", "import_batch", "producer", "product", "source_record"):
            columns = [r[1] for r in src.execute(f"PRAGMA table_info({table})")]
            tables[table] = (columns, src.execute(f"SELECT {', '.join(columns)} FROM {table}").fetchall())

        def insert(table: str) -> None:
            columns, rows = tables[table]
            sql = f"INSERT INTO {table} ({', '.join(columns)}) VALUES ({', '.join('?' * len(columns))})"
            cur.executemany(sql, rows)

        # hub.store.engine's connections run in autocommit (isolation_level None: the engine issues its own
        # BEGIN), so raw.commit() would not end a transaction and each executemany row would be
        # its own: BEGIN and COMMIT explicitly, as the harvest's one transaction does.
        cur.execute("BEGIN")
        insert("source")
        insert("import_batch")
        cur.execute("COMMIT")
        started = time.perf_counter()
        cur.execute("BEGIN")
        for table in ("producer", "product", "source_record"):
            insert(table)
        cur.execute("COMMIT")
        seconds = time.perf_counter() - started
        counts = {t: len(tables[t][1]) for t in ("producer", "product", "source_record")}
    finally:
        raw.close()
        engine.dispose()
        src.close()
    return {"seconds": seconds, "rows": counts}


def _drop_derived(cur: Any, tables: tuple[str, ...]) -> None:
    """Drop the tables' triggers and their indexes that back no constraint (``sql`` is NULL for
    the indexes SQLite makes for a PRIMARY KEY or UNIQUE constraint; an explicit UNIQUE index is
    kept too)."""
    marks = ", ".join("?" * len(tables))
    for (name,) in cur.execute(f"SELECT name FROM sqlite_master WHERE type = 'trigger' AND tbl_name IN ({marks})",
                               tables).fetchall():
        cur.execute(f'DROP TRIGGER "{name}"')
    for name, sql in cur.execute(f"SELECT name, sql FROM sqlite_master WHERE type = 'index' AND tbl_name IN ({marks})",
                                 tables).fetchall():
        if sql is not None and not sql.lstrip().upper().startswith("CREATE UNIQUE"):
            cur.execute(f'DROP INDEX "{name}"')
