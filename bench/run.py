"""The benchmark suite: harvest, memory, stats, pages and load at national scale.

``python -m bench.run [--quick] [--products N] [--postgres-url URL | --no-postgres]``

Every figure is measured next to a baseline in the same run (same machine, same moment), and the
ratio is what the targets judge; absolute numbers are kept for reference. Results go to
``bench/results/latest.json`` and ``bench/results/latest.md``; the table is printed. See
bench/README.md for what each figure means. The parts: bench/harvest_bench.py (1–3),
bench/api_figures.py with bench/api_bench.py and bench/load.py (4–6 and the load figures),
bench/pg.py (7), bench/annex_bench.py and bench/dashboard_bench.py, bench/report.py.
"""
from __future__ import annotations

import argparse
import json
import math
import os
import shutil
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

from bench.api_figures import api_figures, load_results
from bench.common import DEFAULT_DATA, DEFAULT_PG, RESULTS, TARGETS, log, met
from bench.harvest_bench import bare_insert, child_harvest, run_harvest_child
from bench.harvest_paired import WORKING_TREE, export_revision, paired
from bench.pg import copy_store, pg_database, pg_reachable
from bench.report import machine, markdown


# --- main ---------------------------------------------------------------------------------------

def run_snapshot(rev: str, args: argparse.Namespace, argv: list[str]) -> int:
    """Export ``rev`` (hub/, migrations, schema…) plus the working tree's bench/, run the suite there."""
    target, commit = export_revision(rev, args.data)
    rest, skip = [], False
    for a in argv:
        if skip:
            skip = False
        elif a == "--snapshot":
            skip = True
        elif not a.startswith("--snapshot="):
            rest.append(a)
    rest += ["--data", str(args.data.resolve()), "--results", str(args.results.resolve())]
    log(f"benchmarking the code of {rev} ({commit}) from {target}")
    env = dict(os.environ, BENCH_COMMAND="python -m bench.run " + " ".join(argv), BENCH_CODE=f"{rev} ({commit})")
    return subprocess.run([sys.executable, "-m", "bench.run", *rest], cwd=target, env=env).returncode


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.run", description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="10,000 products, 10 s of load (about 1–2 min)")
    parser.add_argument("--products", type=int, help="data set size (default 200,000; 10,000 with --quick)")
    parser.add_argument("--postgres-url", default=DEFAULT_PG, help="server for figure 7 (a database is created)")
    parser.add_argument("--no-postgres", action="store_true")
    parser.add_argument("--data", type=Path, default=DEFAULT_DATA, help="where data sets and stores go")
    parser.add_argument("--results", type=Path, default=RESULTS)
    parser.add_argument("--clients", type=int, default=50)
    parser.add_argument("--load-seconds", type=float)
    parser.add_argument("--samples", type=int, help="interleaved requests per latency figure")
    parser.add_argument("--seed", type=int, default=2026)
    parser.add_argument("--harvest-baseline", metavar="REV", help=(
        "also time the first harvest against the code of REV, alternated in fresh children "
        "(bench/harvest_paired.py): figure 1b, this code's median over REV's"))
    parser.add_argument("--harvest-baseline-runs", type=int, default=5)
    parser.add_argument("--harvest-baseline-products", type=int, default=10_000)
    parser.add_argument("--export-baseline", metavar="REV", help=(
        "also serve the same store with the code of REV and time the same whole-store downloads: "
        "export_csv_speedup and export_parquet_speedup (bench/export_bench.py)"))
    parser.add_argument("--export-runs", type=int, help="downloads of each format per figure (default 3; 1 with --quick)")
    parser.add_argument("--snapshot", metavar="REV", help=(
        "benchmark the code of a git revision (e.g. HEAD): `git archive REV` into the data directory "
        "and run there with this bench/, so edits in the working tree cannot break a long run"))
    parser.add_argument("--child-harvest", help=argparse.SUPPRESS)
    parser.add_argument("--child-db", help=argparse.SUPPRESS)
    parser.add_argument("--child-reharvest", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.child_harvest:
        child_harvest(args.child_harvest, args.child_db, args.child_reharvest)
        return 0

    if args.snapshot:
        return run_snapshot(args.snapshot, args, argv if argv is not None else sys.argv[1:])

    from bench.generate import ensure

    products = args.products or (10_000 if args.quick else 200_000)
    small = max(1_000, products // 4)
    args.load_seconds = args.load_seconds or (10.0 if args.quick else 30.0)
    args.samples = args.samples or (20 if args.quick else 40)
    args.export_runs = args.export_runs or (1 if args.quick else 3)
    began = time.perf_counter()
    info = machine()
    command = os.environ.get("BENCH_COMMAND") or (
        "python -m bench.run" + (" " + " ".join(sys.argv[1:]) if argv is None and sys.argv[1:] else ""))
    info["code"] = os.environ.get("BENCH_CODE", "working tree")
    log(f"{products:,} products (memory comparison at {small:,}); {info.get('cpus')} CPUs, load {info['loadavg_start']}")

    data = args.data / f"data-{products}-{args.seed}"
    small_data = args.data / f"data-{small}-{args.seed}"
    work = args.data / f"run-{products}"
    shutil.rmtree(work, ignore_errors=True)
    work.mkdir(parents=True)
    t = time.perf_counter()
    manifest = ensure(data, products, args.seed)
    ensure(small_data, small, args.seed)
    log(f"data sets ready in {time.perf_counter() - t:.0f} s: {manifest['rows']:,} rows in {len(manifest['sources'])} "
        f"registries {manifest['kinds']}")

    db = work / "harvest.sqlite3"
    url = f"sqlite:///{db}"
    log("1–3: harvest into a fresh SQLite store, then re-harvest (child process)")
    full = run_harvest_child(data / "sources.yaml", url, reharvest=True)
    first, second, rows_only = full["first"], full["second"], full["rows"]
    log(f"  first {first['rows_read']:,} rows in {first['seconds']:.1f} s, re-harvest {second['seconds']:.1f} s "
        f"(same files; {rows_only['seconds']:.1f} s with every file taken as changed), "
        f"peak RSS {first['maxrss_kb'] / 1024:.0f} MB "
        f"+ {first.get('read_ahead_maxrss_kb', 0) / 1024:.0f} MB reading ahead")
    log(f"3: harvest of {small:,} products for the memory comparison (child process)")
    small_run = run_harvest_child(small_data / "sources.yaml", f"sqlite:///{work / 'small.sqlite3'}", reharvest=False)
    log("1: bare baseline: one executemany per table into a fresh store")
    bare = bare_insert(db, f"sqlite:///{work / 'bare.sqlite3'}")
    log("1: plain baseline: the same without the tables' triggers and derived indexes")
    plain = bare_insert(db, f"sqlite:///{work / 'plain.sqlite3'}", plain=True)

    # The harvesting process; its read-ahead process (hub.sources.read_ahead) is reported beside it.
    rss_full = first["maxrss_kb"] / 1024
    rss_small = small_run["first"]["maxrss_kb"] / 1024
    size_ratio = first["rows_read"] / max(1, small_run["first"]["rows_read"])
    results: dict[str, Any] = {
        "products": products,
        "harvest_rows_per_s": round(first["rows_read"] / first["seconds"], 1),
        "harvest_vs_bare_insert": round(first["seconds"] / bare["seconds"], 2),
        "plain_insert_s": round(plain["seconds"], 3),
        "harvest_vs_plain_insert": round(first["seconds"] / plain["seconds"], 2),
        "reharvest_speedup": round(first["seconds"] / second["seconds"], 2),
        "reharvest_rows_speedup": round(first["seconds"] / rows_only["seconds"], 2),
        "harvest_peak_rss_mb": round(rss_full, 1),
        "harvest_rss_growth_exponent": round(math.log(rss_full / rss_small) / math.log(size_ratio), 3)
        if size_ratio > 1 else None,
    }
    details: dict[str, Any] = {
        "data": {"rows": manifest["rows"], "producers": manifest["producers"], "bad_rows": manifest["bad_rows"],
                 "sources": len(manifest["sources"]), "kinds": manifest["kinds"], "stars": manifest["stars"],
                 "path": str(data)},
        "harvest": {"rows_read": first["rows_read"], "first_seconds": round(first["seconds"], 2),
                    "first_cpu_seconds": round(first["cpu_seconds"], 2), "second_seconds": round(second["seconds"], 2),
                    "rows_seconds": round(rows_only["seconds"], 2),
                    "analyze_seconds": round(full["analyze_seconds"], 2),
                    "first": first, "second": second, "rows": rows_only, "bare_seconds": round(bare["seconds"], 3),
                    "plain_seconds": round(plain["seconds"], 3),
                    "bare_rows": bare["rows"], "bare_rows_per_s": round(sum(bare["rows"].values()) / bare["seconds"]),
                    "stderr_errors": full["stderr_errors"]},
        "memory": {"peak_rss_mb": round(rss_full, 1), "after_init_store_mb": round(full["rss_after_init_kb"] / 1024, 1),
                   "children_ru_maxrss_mb": round(full["children_maxrss_kb"] / 1024, 1),
                   "read_ahead_peak_rss_mb": round(first.get("read_ahead_maxrss_kb", 0) / 1024, 1),
                   "measured_as": "VmHWM of the harvest child after its first harvest; read_ahead_peak_rss_mb: "
                                  "the peak RSS of its forked read-ahead process (ru_maxrss of its ended children), "
                                  "which counts the pages it shares with the harvest child since the fork",
                   "small_products": small, "small_peak_rss_mb": round(rss_small, 1),
                   "small_after_init_store_mb": round(small_run["rss_after_init_kb"] / 1024, 1),
                   "size_ratio": round(size_ratio, 2), "rss_ratio": round(rss_full / rss_small, 2)},
    }

    if args.harvest_baseline:
        log(f"1b: first harvest against {args.harvest_baseline}, {args.harvest_baseline_runs} alternated runs each")
        pair = paired(args.harvest_baseline, WORKING_TREE, args.harvest_baseline_runs,
                      args.harvest_baseline_products, args.seed, args.data)
        results["harvest_vs_baseline"] = pair["after_over_before"]
        details["harvest_paired"] = pair

    if args.export_baseline:
        code, commit = export_revision(args.export_baseline, args.data)
        args.export_baseline_code = (f"{args.export_baseline} ({commit})", code)

    log("annexes: a 2,000-row decision annex read as PDF and as Word")
    from bench.annex_bench import annex_rows_per_s

    results.update(annex_rows_per_s(work))

    log("4–6 on SQLite")
    details["sqlite"] = api_figures(url, work, args, "sqlite")
    results.update(load_results(details["sqlite"]))
    results.update(details["sqlite"]["dashboard"])

    postgres: dict[str, Any] = {}
    if args.no_postgres:
        postgres["skipped"] = "--no-postgres"
    else:
        version = pg_reachable(args.postgres_url)
        if version is None:
            postgres["skipped"] = f"not reachable at {args.postgres_url}"
        else:
            log(f"7: PostgreSQL {version}: fresh database, harvested rows copied in")
            try:
                with pg_database(args.postgres_url) as pg_url:
                    copied = copy_store(url, pg_url)
                    log(f"  copied {copied['rows']} in {copied['seconds']} s")
                    pd = api_figures(pg_url, work, args, "postgres")
                postgres = {"server_version": version, "copy": copied, **load_results(pd), **pd["dashboard"],
                            "details": pd}
                results.update({f"pg_{k}": v for k, v in postgres.items() if k in TARGETS or k.startswith(
                    ("load_", "cached_", "stats_", "dashboard_", "export_"))})
            except Exception as exc:
                log(f"PostgreSQL figures failed: {type(exc).__name__}: {exc}")
                postgres = {"error": f"{type(exc).__name__}: {exc}"}
    results["postgres"] = postgres
    info["loadavg_end"] = os.getloadavg()
    results.update(machine=info, command=command, date=time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime()),
                   seconds=round(time.perf_counter() - began, 1), targets={k: list(v) for k, v in TARGETS.items()},
                   met={k: met(k, results.get(k)) for k in TARGETS} | {
                       f"pg_{k}": met(k, results.get(f"pg_{k}")) for k in TARGETS if f"pg_{k}" in results},
                   details=details)

    args.results.mkdir(parents=True, exist_ok=True)
    (args.results / "latest.json").write_text(json.dumps(results, indent=1, default=str, ensure_ascii=False) + "\n",
                                              encoding="utf-8")
    text = markdown(results)
    (args.results / "latest.md").write_text(text, encoding="utf-8")
    print()
    print(text)
    log(f"done in {results['seconds']:.0f} s; wrote {args.results / 'latest.json'} and latest.md")
    return 0


if __name__ == "__main__":
    sys.exit(main())
