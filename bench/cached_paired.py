"""Figure 6c for two revisions, alternated: the cached dashboard load against the bare route.

``python -m bench.cached_paired --db STORE.sqlite3 --before REV [--after .] [--rounds 4] [--seconds 8]``

The same 50 connections on the same 20 dashboard questions (bench.load.dashboard_requests, driven
by wrk as in ``make bench``) against ``ocop-hub serve`` with REV's code (``git archive``, as
bench.harvest_paired), with this working tree's (``.``), and against the bare Starlette route
(bench/bare_server.py) returning the same bytes; the order turns each round. Each side serves
its own copy of ``--db`` (``--before-db``: a store REV can serve, when its schema differs). Besides
requests per second, the server's CPU time per request (utime + stime of its process over the
run, /proc) is reported: on a shared machine it moves much less than the throughput. Results:
``--results``/cached-paired.json.
"""
from __future__ import annotations

import argparse
import json
import os
import shutil
import sqlite3
import statistics
import sys
import tempfile
from pathlib import Path
from typing import Any

from bench.api_figures import _answers
from bench.common import DEFAULT_DATA, RESULTS, ROOT, log
from bench.harvest_paired import WORKING_TREE, export_revision
from bench.load import dashboard_requests
from bench.server import api_server
from bench.wrk_load import available, run_wrk


def cpu_seconds(pid: int) -> float:
    """utime + stime of process ``pid`` so far."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def serve_command(code: Path) -> list[str]:
    """``ocop-hub serve`` of the code in ``code`` (the CLI moved in the relayout of hub/); the port comes last."""
    module = "hub.cli.main" if (code / "hub" / "cli" / "main.py").is_file() else "hub.cli"
    return [sys.executable, "-m", module, "serve", "--host", "127.0.0.1", "--no-access-log", "--port"]


def one_run(side: str, code: Path, db: Path | None, bodies: list[bytes], answers: Path, args: argparse.Namespace,
            work: Path) -> dict[str, Any]:
    pid: dict[str, int] = {}
    if db is None:  # the bare route
        server = api_server("sqlite:///unused", work / "bare.log", env={"BENCH_BARE_RESPONSES": str(answers)},
                            command=[sys.executable, "-m", "bench.bare_server", "1"], pid=pid)
    else:
        env = {"PYTHONPATH": str(code)}  # this virtualenv's editable install would import the working tree
        server = api_server(f"sqlite:///{db}", work / f"{side}.log", env=env, command=serve_command(code),
                            cwd=code, pid=pid)
    with server as base:
        if db is not None:
            _answers(base, [("", b) for b in bodies])  # fill the cache
        started = cpu_seconds(pid["pid"])
        out = run_wrk(base, bodies, args.clients, args.seconds, work, side)
        out["server_cpu_us_per_request"] = round(
            (cpu_seconds(pid["pid"]) - started) / max(1, out["requests_ok"] + out["errors"]) * 1e6, 1)
    return out


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.cached_paired", description=__doc__.splitlines()[0])
    parser.add_argument("--db", type=Path, required=True, help="a harvested SQLite store (copied, never written)")
    parser.add_argument("--before", required=True, metavar="REV")
    parser.add_argument("--after", default=WORKING_TREE, metavar="REV", help="default: the working tree")
    parser.add_argument("--before-db", type=Path, help="the store REV serves, when its schema differs")
    parser.add_argument("--rounds", type=int, default=4)
    parser.add_argument("--seconds", type=float, default=8.0)
    parser.add_argument("--clients", type=int, default=50)
    parser.add_argument("--data", type=Path, default=DEFAULT_DATA)
    parser.add_argument("--results", type=Path, default=RESULTS)
    args = parser.parse_args(argv)
    if not available():
        raise SystemExit("wrk is not installed (apt-get install wrk)")
    codes = {side: (ROOT, "working tree") if rev == WORKING_TREE else export_revision(rev, args.data)
             for side, rev in (("before", args.before), ("after", args.after))}
    runs: dict[str, list[dict[str, Any]]] = {"before": [], "after": [], "bare": []}
    with tempfile.TemporaryDirectory(prefix="cached-paired-") as tmp:
        work = Path(tmp)
        stores = {}
        for side, source in (("before", args.before_db or args.db), ("after", args.db)):
            stores[side] = work / f"{side}.sqlite3"
            shutil.copyfile(source, stores[side])
        with sqlite3.connect(stores["after"]) as conn:
            provinces = [r[0] for r in conn.execute("SELECT DISTINCT province_code FROM product ORDER BY 1")]
        requests = dashboard_requests(provinces)
        bodies = [body for _, body in requests]
        answers = work / "bare.json"
        with api_server(f"sqlite:///{stores['after']}", work / "answers.log", env={"PYTHONPATH": str(codes["after"][0])},
                        command=serve_command(codes["after"][0]), cwd=codes["after"][0]) as base:
            answers.write_text(json.dumps(_answers(base, requests), ensure_ascii=False), encoding="utf-8")
        log(f"before = {codes['before'][1]}, after = {codes['after'][1]}; {args.rounds} rounds of "
            f"{args.seconds:g} s, {args.clients} connections, load {os.getloadavg()[0]:.1f}")
        for i in range(args.rounds):
            order = ["before", "after", "bare"] if i % 2 == 0 else ["bare", "after", "before"]
            for side in order:
                out = one_run(side, codes.get(side, (ROOT, ""))[0], stores.get(side), bodies, answers, args, work)
                runs[side].append(out)
                log(f"  round {i + 1} {side:6s} {out['requests_per_s']:>9,.0f} req/s, p99 {out['p99_ms']} ms, "
                    f"server {out['server_cpu_us_per_request']} µs CPU/request, {out['errors']} errors")
    median = {side: {"requests_per_s": statistics.median(r["requests_per_s"] for r in rs),
                     "cpu_us": statistics.median(r["server_cpu_us_per_request"] for r in rs)} for side, rs in runs.items()}
    result = {"before": codes["before"][1], "after": codes["after"][1], "rounds": args.rounds, "seconds": args.seconds,
              "median": median,
              "cached_vs_bare_http": {side: round(median[side]["requests_per_s"] / median["bare"]["requests_per_s"], 2)
                                      for side in ("before", "after")},
              "bare_cpu_over_server_cpu": {side: round(median["bare"]["cpu_us"] / median[side]["cpu_us"], 2)
                                           for side in ("before", "after")},
              "loadavg_end": os.getloadavg(), "runs": runs}
    args.results.mkdir(parents=True, exist_ok=True)
    (args.results / "cached-paired.json").write_text(json.dumps(result, indent=1) + "\n", encoding="utf-8")
    for side in ("before", "after"):
        log(f"{side} ({result[side]}): {median[side]['requests_per_s']:,.0f} req/s = "
            f"{result['cached_vs_bare_http'][side]}× the bare route ({median['bare']['requests_per_s']:,.0f}); "
            f"{median[side]['cpu_us']} µs CPU/request = {result['bare_cpu_over_server_cpu'][side]}× the bare route's "
            f"({median['bare']['cpu_us']})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
