"""Figures 4–6 and the load figures of issue 14, against one store (SQLite file or PostgreSQL).

Each server runs with its default worker count (``ocop-hub serve``: 1 on SQLite, the CPU count on
PostgreSQL). The uncached figures run with the response cache off (HUB_RESPONSE_CACHE_MB=0), so
they measure the work, not the cache; the cached figure runs with it on, against a bare Starlette
route returning the same bytes in the same run.
"""
from __future__ import annotations

import argparse
import http.client
import json
import os
import sys
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from bench import wrk_load
from bench.api_bench import RawSQL, bench_as_of, bench_page, bench_stats
from bench.common import REQUEST_TIMEOUT_S, log
from bench.dashboard_bench import dashboard_timings
from bench.export_bench import export_figures, export_results
from bench.load import dashboard_requests, run_load
from bench.server import api_server


def _answers(base: str, requests: list[tuple[str, bytes]]) -> list[list[str]]:
    """The hub's answer to each request, as [request, response] text pairs."""
    parts = urlsplit(base)
    conn = http.client.HTTPConnection(parts.hostname, parts.port, timeout=REQUEST_TIMEOUT_S)
    pairs = []
    for _, body in requests:
        conn.request("POST", "/graphql", body, {"Content-Type": "application/json"})
        pairs.append([body.decode("utf-8"), conn.getresponse().read().decode("utf-8")])
    conn.close()
    return pairs


def dashboard_load(base: str, provinces: list[str], args: argparse.Namespace, work: Path, label: str) -> dict[str, Any]:
    """The 20 dashboard questions by ``args.clients`` clients: wrk when installed, else bench.load."""
    if wrk_load.available():
        return wrk_load.run_wrk(base, [body for _, body in dashboard_requests(provinces)], args.clients,
                                args.load_seconds, work, label)
    log("  wrk is not installed (apt-get install wrk): the Python load generator drives this run")
    return {"tool": "bench.load", **run_load(base, "dashboard", provinces, args.clients, args.load_seconds)}


def consistency(url: str, as_of: bool = False) -> dict[str, Any]:
    """``ocop-hub db check``'s comparisons (hub.api.stats_check): the kept counts against the GROUP BY
    over the products today, or (``as_of``) stats(asOf, knownAt) against the certificates counted
    one by one."""
    from hub.api.stats_check import check_as_of, check_counts
    from hub.store.engine import make_engine

    engine = make_engine(url)
    try:
        result = (check_as_of if as_of else check_counts)(engine)
    finally:
        engine.dispose()
    return {"compared": result.compared, "errors": len(result.mismatches), "samples": result.mismatches[:5]}


def has_certificates(raw: RawSQL) -> bool:
    table = ("SELECT count(*) FROM information_schema.tables WHERE table_name = 'certificate'" if raw.pg
             else "SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name = 'certificate'")
    return bool(raw.query(table)[0][0])


def api_figures(url: str, work: Path, args: argparse.Namespace, label: str) -> dict[str, Any]:
    raw = RawSQL(url)
    try:
        provinces = [r[0] for r in raw.query("SELECT DISTINCT province_code FROM product ORDER BY 1")]
        log(f"{label}: page of 100 in process (statements, latency vs raw SQL + json.dumps)")
        page = bench_page(url, raw, args.samples)
        with api_server(url, work / f"serve-{label}-uncached.log", env={"HUB_RESPONSE_CACHE_MB": "0"}) as base:
            log(f"{label}: stats over HTTP vs the counts in raw SQL, and vs the GROUP BY over products")
            stats = bench_stats(base, raw, args.samples)
            # A --snapshot of a revision before certificates were kept (migration 0007) has none to ask.
            kept = bool(raw.query("SELECT count(*) FROM certificate")[0][0]) if has_certificates(raw) else False
            log(f"{label}: stats as of a past day, and as known at a past moment (issue 22)" if kept
                else f"{label}: no certificates kept by this revision: the as-of figures are not measured")
            as_of = bench_as_of(base, raw, args.samples) if kept else None
            log(f"{label}: uncached mix, 1 client then {args.clients} clients, {args.load_seconds:.0f} s each")
            single = run_load(base, "mix", provinces, 1, args.load_seconds)
            load = run_load(base, "mix", provinces, args.clients, args.load_seconds)
        with api_server(url, work / f"serve-{label}-cached.log") as base:
            log(f"{label}: {args.clients} clients repeating 20 dashboard questions, cache on")
            run_load(base, "dashboard", provinces, 4, 3)  # fill the cache
            cached = dashboard_load(base, provinces, args, work, f"{label}-cached")
            pairs = _answers(base, dashboard_requests(provinces))
            log(f"{label}: the national dashboard through the same server and cache")
            dashboard = {k: v for k, v in dashboard_timings(base).items() if k.startswith("dashboard_")}
    finally:
        raw.close()
    answers = work / f"bare-{label}.json"
    answers.write_text(json.dumps(pairs, ensure_ascii=False), encoding="utf-8")
    workers = "1" if url.startswith("sqlite") else str(os.cpu_count() or 1)
    with api_server(url, work / f"serve-{label}-bare.log", env={"BENCH_BARE_RESPONSES": str(answers)},
                    command=[sys.executable, "-m", "bench.bare_server", workers]) as base:
        log(f"{label}: the same {args.clients} clients against a bare Starlette route ({workers} worker(s))")
        bare = dashboard_load(base, provinces, args, work, f"{label}-bare")
    export = export_figures(url, work, label, args.export_runs, getattr(args, "export_baseline_code", None))
    log(f"{label}: consistency of the counts with the products")
    checked = consistency(url)
    if as_of is not None:
        log(f"{label}: as-of answers at 100 random dates against the certificates counted one by one")
        as_of["consistency"] = consistency(url, as_of=True)
    return {"as_of": as_of, "stats": stats, "page": page, "load": load, "single": single, "cached": cached, "bare": bare,
            "consistency": checked, "workers": int(workers), "dashboard": dashboard, "export": export}


def load_results(d: dict[str, Any]) -> dict[str, Any]:
    """The keys of latest.json from one store's figures (the caller prefixes PostgreSQL's)."""
    s, p, ld, one, c, b = d["stats"], d["page"], d["load"], d["single"], d["cached"], d["bare"]
    return {
        "stats_p50_ms": s["http_p50_ms"], "stats_p95_ms": s["http_p95_ms"], "stats_vs_raw_sql": s["ratio_p50"],
        "stats_aggregate_speedup": s["aggregate_speedup"],
        "page_sql_statements": p["statements"], "page_p50_ms": p["api_p50_ms"], "page_vs_raw_sql": p["ratio_p50"],
        "load_requests_per_s": ld["requests_per_s"], "load_p50_ms": ld["p50_ms"], "load_p99_ms": ld["p99_ms"],
        "load_errors": ld["errors"] + one["errors"] + c["errors"] + b["errors"],
        "load_single_client_requests_per_s": one["requests_per_s"],
        "load_vs_single_client": round(ld["requests_per_s"] / one["requests_per_s"], 2) if one["requests_per_s"] else None,
        "load_client_cpu_share": ld["client_cpu_share"],
        "cached_requests_per_s": c["requests_per_s"], "cached_p99_ms": c["p99_ms"],
        "cached_vs_bare_http": round(c["requests_per_s"] / b["requests_per_s"], 2) if b["requests_per_s"] else None,
        "cached_client_cpu_share": c["client_cpu_share"], "bare_requests_per_s": b["requests_per_s"],
        "stats_consistency_errors": d["consistency"]["errors"],
        **({"asof_stats_p50_ms": d["as_of"]["http_p50_ms"], "asof_vs_groupby": d["as_of"]["speedup"],
            "knownat_stats_p50_ms": d["as_of"]["known_at_p50_ms"],
            "asof_consistency_errors": d["as_of"]["consistency"]["errors"]} if d.get("as_of") else {}),
        **(export_results(d["export"]) if d.get("export") else {}),
    }
