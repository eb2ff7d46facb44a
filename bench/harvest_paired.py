"""The first harvest of two revisions, paired: is the harvest slower than before, and does it store the same?

``python -m bench.harvest_paired --before REV [--after REV|.] [--runs 5] [--products 10000]``

Each revision's code is exported (``git archive``, as ``bench.run --snapshot``; ``.`` is the
working tree as it is). Runs alternate before/after, each in a child process of its own: a fresh
migrated SQLite store and the unit resolver built (neither timed), then every source of the bench
data set (``bench.generate``) harvested as ``ocop-hub harvest`` does (``harvest_sources``: the next
list read ahead in a second process; ``harvest_source`` one at a time in revisions before it),
timed. The figure is the ratio of the medians, measured in the same run on the same machine; the
absolute seconds are kept for reference. Each child also digests its store (every table row for
row, by rowid, clock columns left out), so two revisions that must store the same can be checked
to: ``same_store`` is true when every table the two schemas share digests alike in every run.
Results: ``--results``/harvest-paired.json.

On a machine too busy for timings to mean much, count instructions instead (deterministic):
``valgrind --tool=cachegrind --cache-sim=no python -m bench.harvest_paired --child SOURCES --db
FILE`` in each revision's exported directory, once as is and once with ``--skip-harvest``; the
harvest's count is the difference (docs/performance.md).
"""
from __future__ import annotations

import argparse
import hashlib
import json
import os
import shutil
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from bench.common import DEFAULT_DATA, RESULTS, ROOT, log

WORKING_TREE = "."


def export_revision(rev: str, data: Path) -> tuple[Path, str]:
    """``git archive rev`` under ``data``; (directory, short commit). A revision that has this
    module keeps its own bench/ (the child imports that revision's packages, which moved in the
    relayout of hub/); an older one gets this working tree's."""
    commit = subprocess.run(["git", "rev-parse", "--short", rev], cwd=ROOT, capture_output=True, text=True,
                            check=True).stdout.strip()
    target = (data / f"snapshot-{commit}").resolve()
    shutil.rmtree(target, ignore_errors=True)
    target.mkdir(parents=True)
    archive = subprocess.run(["git", "archive", commit], cwd=ROOT, capture_output=True, check=True).stdout
    subprocess.run(["tar", "-x", "-C", str(target)], input=archive, check=True)
    if not (target / "bench" / "harvest_paired.py").is_file():
        shutil.rmtree(target / "bench", ignore_errors=True)
        shutil.copytree(ROOT / "bench", target / "bench", ignore=shutil.ignore_patterns("results", "__pycache__"))
    return target, commit


# --- the child: one timed harvest --------------------------------------------------------------

def store_digest(db: Path) -> dict[str, str]:
    """sha256 of every table's rows in rowid order, without the columns that hold the clock
    (DATETIME): two harvests of the same data by code that stores the same digest alike."""
    con = sqlite3.connect(db)
    try:
        digests = {}
        tables = con.execute(
            "SELECT name, sql FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name")
        for table, sql in tables.fetchall():
            columns = [f'"{r[1]}"' for r in con.execute(f'PRAGMA table_info("{table}")')
                       if "TIME" not in (r[2] or "").upper()]
            order = "rowid" if "WITHOUT ROWID" not in (sql or "").upper() else ", ".join(columns)
            h = hashlib.sha256()
            for row in con.execute(f'SELECT {", ".join(columns)} FROM "{table}" ORDER BY {order}'):
                h.update(repr(row).encode("utf-8"))
            digests[table] = h.hexdigest()
        return digests
    finally:
        con.close()


def child(sources: str, db: str, harvest: bool = True) -> dict[str, Any]:
    """Runs in the revision's directory: fresh store, resolver built, then every source harvested
    (not with ``harvest`` False: what the child costs besides, to subtract from an instruction count)."""
    import hub
    from hub.ingest.run import resolver_for
    from hub.registries import load_sources
    try:
        from hub.sources.harvest import harvest_source
        from hub.store_setup import init_store
    except ImportError:  # a revision before hub/ was grouped by concern (6f7701b, for example)
        from hub.harvest import harvest_source  # type: ignore[no-redef]
        from hub.store import init_store  # type: ignore[no-redef]

    try:  # both cores, as `ocop-hub harvest` (issue 27 item 6); a source at a time before
        from hub.sources.read_ahead import harvest_sources
    except ImportError:
        def harvest_sources(engine: Any, specs: Any) -> Any:  # type: ignore[misc]
            return ((spec, harvest_source(engine, spec)) for spec in specs)

    specs = load_sources(sources)
    url = db if "://" in db else f"sqlite:///{db}"  # a PostgreSQL database's URL, or an SQLite file
    engine = init_store(url)
    resolver_for(engine)
    rows = rejected = 0
    failed = []
    started, cpu = time.perf_counter(), time.process_time()
    for spec, summary in harvest_sources(engine, specs if harvest else []):
        rows += summary.rows_read
        rejected += summary.rejected
        if summary.failed:
            failed.append(f"{spec.name}: {summary.error}")
    seconds, cpu_seconds = time.perf_counter() - started, time.process_time() - cpu
    engine.dispose()
    return {"seconds": seconds, "cpu_seconds": cpu_seconds, "rows_read": rows, "rejected": rejected,
            "failed": failed, "hub": str(Path(hub.__file__).parent),
            "digest": store_digest(Path(db)) if "://" not in db else {}}


def run_child(code: Path, sources: Path, work: Path, postgres_url: str | None = None) -> dict[str, Any]:
    """One harvest in a fresh child: into a new SQLite file under ``work``, or into a new database
    on the PostgreSQL server of ``postgres_url`` (dropped after; its digest is not taken)."""
    if postgres_url:
        from bench.pg import pg_database

        with pg_database(postgres_url) as url:
            return _child_process(code, sources, url)
    db = work / "paired.sqlite3"
    for suffix in ("", "-wal", "-shm"):
        Path(f"{db}{suffix}").unlink(missing_ok=True)
    return _child_process(code, sources, str(db))


def _child_process(code: Path, sources: Path, db: str) -> dict[str, Any]:
    proc = subprocess.run([sys.executable, "-m", "bench.harvest_paired", "--child", str(sources), "--db", db],
                          cwd=code, capture_output=True, text=True)
    if proc.returncode != 0:
        raise RuntimeError(f"harvest child in {code} failed ({proc.returncode}):\n{proc.stderr[-4000:]}")
    line = next(l for l in proc.stdout.splitlines() if l.startswith("PAIRED-RESULT "))
    result = json.loads(line[len("PAIRED-RESULT "):])
    if not result["hub"].startswith(str(code)):
        raise RuntimeError(f"the child in {code} imported another hub: {result['hub']}")
    return result


# --- the parent: alternate, compare -------------------------------------------------------------

def paired(before: str, after: str, runs: int, products: int, seed: int, data: Path,
           postgres_url: str | None = None) -> dict[str, Any]:
    from bench.generate import ensure

    manifest = ensure(data / f"data-{products}-{seed}", products, seed)
    sources = (data / f"data-{products}-{seed}" / "sources.yaml").resolve()
    codes: dict[str, tuple[Path, str]] = {}
    for side, rev in (("before", before), ("after", after)):
        codes[side] = (ROOT, "working tree") if rev == WORKING_TREE else export_revision(rev, data)
    log(f"{manifest['rows']:,} rows in {len(manifest['sources'])} registries; before = {codes['before'][1]}, "
        f"after = {codes['after'][1]}; {runs} alternated runs each")
    results: dict[str, list[dict[str, Any]]] = {"before": [], "after": []}
    with tempfile.TemporaryDirectory(prefix="harvest-paired-") as tmp:
        for i in range(runs):
            order = ("before", "after") if i % 2 == 0 else ("after", "before")
            for side in order:
                result = run_child(codes[side][0], sources, Path(tmp), postgres_url)
                results[side].append(result)
                log(f"  run {i + 1} {side:6} {result['seconds']:.2f} s ({result['rows_read']:,} rows, "
                    f"{len(result['failed'])} failed)")
    medians = {side: statistics.median(r["seconds"] for r in rs) for side, rs in results.items()}
    cpu = {side: statistics.median(r["cpu_seconds"] for r in rs) for side, rs in results.items()}
    shared = sorted(set(results["before"][0]["digest"]) & set(results["after"][0]["digest"]))
    differing = sorted({t for b in results["before"] for a in results["after"] for t in shared
                        if b["digest"][t] != a["digest"][t]})
    return {
        "date": time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime()),
        "cpus": os.cpu_count(), "loadavg": os.getloadavg(),
        "rows": manifest["rows"], "sources": len(manifest["sources"]),
        "store": "postgresql" if postgres_url else "sqlite",
        "before": codes["before"][1], "after": codes["after"][1],
        "seconds": {side: [round(r["seconds"], 3) for r in rs] for side, rs in results.items()},
        "cpu_seconds": {side: [round(r["cpu_seconds"], 3) for r in rs] for side, rs in results.items()},
        "median_s": {side: round(m, 3) for side, m in medians.items()},
        "after_over_before": round(medians["after"] / medians["before"], 3),
        "median_cpu_s": {side: round(m, 3) for side, m in cpu.items()},
        "cpu_after_over_before": round(cpu["after"] / cpu["before"], 3),
        "rows_read": {side: rs[0]["rows_read"] for side, rs in results.items()},
        "failed": {side: rs[0]["failed"] for side, rs in results.items()},
        "tables_compared": shared,
        "tables_only_one_side": sorted(set(results["before"][0]["digest"]) ^ set(results["after"][0]["digest"])),
        "tables_differing": differing,
        "same_store": None if postgres_url else not differing,  # None: PostgreSQL stores are not compared
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.harvest_paired", description=__doc__.splitlines()[0])
    parser.add_argument("--before", help="the revision to compare against (git rev, or . for the working tree)")
    parser.add_argument("--after", default=WORKING_TREE, help="default: the working tree (.)")
    parser.add_argument("--runs", type=int, default=5, help="runs of each side, alternated")
    parser.add_argument("--products", type=int, default=10_000)
    parser.add_argument("--seed", type=int, default=2026)
    parser.add_argument("--data", type=Path, default=DEFAULT_DATA)
    parser.add_argument("--results", type=Path, default=RESULTS)
    parser.add_argument("--child", help=argparse.SUPPRESS)
    parser.add_argument("--postgres-url", help="harvest into a new database on this PostgreSQL server "
                        "(e.g. postgresql+psycopg2://127.0.0.1:5432/test) instead of an SQLite file; "
                        "wall time counts the server's work, CPU only the child's")
    parser.add_argument("--db", help=argparse.SUPPRESS)
    parser.add_argument("--skip-harvest", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.child:
        print("PAIRED-RESULT " + json.dumps(child(args.child, args.db, not args.skip_harvest)), flush=True)
        return 0
    if not args.before:
        parser.error("--before REV is required")
    out = {"command": "python -m bench.harvest_paired " + " ".join(sys.argv[1:] if argv is None else argv),
           **paired(args.before, args.after, args.runs, args.products, args.seed, args.data, args.postgres_url)}
    args.results.mkdir(parents=True, exist_ok=True)
    path = args.results / "harvest-paired.json"
    path.write_text(json.dumps(out, indent=1) + "\n", encoding="utf-8")
    log(f"median before ({out['before']}) {out['median_s']['before']:.2f} s, after ({out['after']}) "
        f"{out['median_s']['after']:.2f} s: after/before {out['after_over_before']:.3f} "
        f"(CPU {out['median_cpu_s']['before']:.2f} vs {out['median_cpu_s']['after']:.2f} s: "
        f"{out['cpu_after_over_before']:.3f}); "
        f"same store: {out['same_store']} ({len(out['tables_compared'])} tables compared"
        f"{', differing: ' + ', '.join(out['tables_differing']) if out['tables_differing'] else ''}); wrote {path}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
