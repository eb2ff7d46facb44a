"""Issue 27, item 5: the whole store downloaded over HTTP, anonymously, as CSV and as Parquet.

``export_csv_rows_per_s`` and ``export_parquet_rows_per_s``: the rows of the whole store
(``?status=active,expired,withdrawn``) over the median time of ``runs`` downloads each, read to the
last byte by a client on the same machine. The rows are counted in what arrived (CSV lines, the
Parquet footer), so a short download cannot pass for a fast one. With a baseline revision the same
store is served by that revision's code too (``git archive``, as bench/harvest_paired.py does), in
the same run, the two servers up at once and their downloads taking turns (a shared machine's load
changes within minutes), and the ratio is reported. On SQLite (one worker) the server's peak RSS
after the downloads is reported beside its RSS before them: memory stays flat whatever the size.

``python -m bench.run`` reports these keys (``--export-baseline REV`` adds the ratio); alone,
``python -m bench.export_bench [--products N] [--baseline REV]`` harvests a data set of the
benchmark into a fresh SQLite store and measures only this figure (docs/performance.md).
"""
from __future__ import annotations

import argparse
import contextlib
import csv
import io
import json
import statistics
import sys
import time
from pathlib import Path
from typing import Any

import pyarrow.parquet as pq
import requests

from bench.common import DEFAULT_DATA, log
from bench.server import api_server

WHOLE = "?status=active,expired,withdrawn"
DOWNLOAD_TIMEOUT_S = 600


def _rss_mb(pid: int) -> dict[str, float]:
    """VmRSS and VmHWM (peak) of a process, in MB."""
    out = {}
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith(("VmRSS:", "VmHWM:")):
            out[line.split(":")[0]] = round(int(line.split()[1]) / 1024, 1)
    return out


def _download(base: str, path: str) -> tuple[float, bytes, str]:
    began = time.perf_counter()
    response = requests.get(base + path, timeout=DOWNLOAD_TIMEOUT_S)
    body = response.content
    seconds = time.perf_counter() - began
    response.raise_for_status()
    return seconds, body, response.headers.get("content-disposition", "")


def _rows(kind: str, body: bytes) -> int:
    if kind == "parquet":
        return pq.read_metadata(io.BytesIO(body)).num_rows
    return sum(1 for _ in csv.reader(io.StringIO(body.decode("utf-8-sig")))) - 1


def _measure(servers: dict[str, tuple[str, int]], runs: int) -> dict[str, dict[str, Any]]:
    """Each server's figures (``servers``: who → base URL, pid). The downloads take turns, run by
    run, this code's first: a load that changes during the run (the machine is shared) falls on
    both alike, not on whichever was measured second."""
    figures: dict[str, dict[str, Any]] = {who: {} for who in servers}
    for who, (base, pid) in servers.items():
        for kind in ("csv", "parquet"):  # first requests: unit tables, imports, compiled statements
            _download(base, f"/export/products.{kind}?stars=5")
        figures[who]["rss_before_mb"] = _rss_mb(pid).get("VmRSS")
    for kind in ("csv", "parquet"):
        seconds: dict[str, list[float]] = {who: [] for who in servers}
        last: dict[str, tuple[bytes, str]] = {}
        for _ in range(runs):
            for who, (base, _pid) in servers.items():
                s, body, name = _download(base, f"/export/products.{kind}{WHOLE}")
                seconds[who].append(s)
                last[who] = (body, name)
        for who in servers:
            body, name = last[who]
            rows, median = _rows(kind, body), statistics.median(seconds[who])
            figures[who][kind] = {"rows": rows, "bytes": len(body), "seconds": [round(s, 3) for s in seconds[who]],
                                  "median_s": round(median, 3), "rows_per_s": round(rows / median), "file": name}
    for who, (_base, pid) in servers.items():
        figures[who]["peak_rss_mb"] = _rss_mb(pid).get("VmHWM")
    return figures


def export_figures(url: str, work: Path, label: str, runs: int, baseline: tuple[str, Path] | None) -> dict[str, Any]:
    """This code's figures, and ``baseline`` (name, directory of its code) over the same store,
    both servers up at once and their downloads taking turns."""
    log(f"{label}: the whole store downloaded as CSV and Parquet, {runs} times each (issue 27, item 5)"
        + (f", taking turns with {baseline[0]}" if baseline else ""))
    with contextlib.ExitStack() as stack:
        servers: dict[str, tuple[str, int]] = {}
        for who, code in [("this", None), *([("baseline", baseline[1])] if baseline else [])]:
            pid: dict[str, int] = {}
            log_path = work / f"serve-{label}-export{'-baseline' if code else ''}.log"
            base = stack.enter_context(api_server(url, log_path, pid=pid, **({"cwd": code} if code else {})))
            servers[who] = (base, pid["pid"])
        figures = _measure(servers, runs)
    out: dict[str, Any] = {"runs": runs, "this": figures["this"]}
    if baseline is not None:
        out["baseline"] = {"code": baseline[0], **figures["baseline"]}
    return out


def export_results(d: dict[str, Any]) -> dict[str, Any]:
    """The keys of latest.json from export_figures (the caller prefixes PostgreSQL's)."""
    this, before = d["this"], d.get("baseline")
    out: dict[str, Any] = {"export_csv_rows_per_s": this["csv"]["rows_per_s"],
                           "export_parquet_rows_per_s": this["parquet"]["rows_per_s"],
                           "export_peak_rss_mb": this["peak_rss_mb"]}
    if before is not None:
        for kind in ("csv", "parquet"):
            out[f"export_{kind}_speedup"] = round(before[kind]["median_s"] / this[kind]["median_s"], 2)
    return out


def main(argv: list[str] | None = None) -> int:
    from bench.generate import ensure
    from bench.harvest_bench import run_harvest_child
    from bench.harvest_paired import export_revision

    parser = argparse.ArgumentParser(prog="python -m bench.export_bench", description=__doc__.splitlines()[0])
    parser.add_argument("--products", type=int, default=200_000)
    parser.add_argument("--baseline", metavar="REV", help="also serve the store with the code of REV")
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--seed", type=int, default=2026)
    parser.add_argument("--data", type=Path, default=DEFAULT_DATA)
    parser.add_argument("--reuse", action="store_true", help="measure the store a previous run harvested")
    args = parser.parse_args(argv)
    data = args.data / f"data-{args.products}-{args.seed}"
    work = args.data / f"export-{args.products}"
    work.mkdir(parents=True, exist_ok=True)
    db = work / "harvest.sqlite3"
    if not (args.reuse and db.exists()):
        ensure(data, args.products, args.seed)
        db.unlink(missing_ok=True)
        log(f"harvest of {args.products:,} products into {db} (child process)")
        run_harvest_child(data / "sources.yaml", f"sqlite:///{db}", reharvest=False)
    baseline = None
    if args.baseline:
        code, commit = export_revision(args.baseline, args.data)
        baseline = (f"{args.baseline} ({commit})", code)
    figures = export_figures(f"sqlite:///{db}", work, "sqlite", args.runs, baseline)
    print(json.dumps({**export_results(figures), "details": figures}, indent=1))
    return 0


if __name__ == "__main__":
    sys.exit(main())
