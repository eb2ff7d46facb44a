"""The results table (bench/results/latest.md) and the machine it was measured on."""
from __future__ import annotations

import os
import platform
import sqlite3
import subprocess
from typing import Any

from bench.common import ROOT, TARGETS, met

def machine() -> dict[str, Any]:
    info: dict[str, Any] = {"python": platform.python_version(), "platform": platform.platform(),
                            "cpus": os.cpu_count(), "sqlite": sqlite3.sqlite_version,
                            "loadavg_start": os.getloadavg()}
    try:
        for line in open("/proc/cpuinfo"):
            if line.startswith("model name"):
                info["cpu"] = line.split(":", 1)[1].strip()
                break
        for line in open("/proc/meminfo"):
            if line.startswith("MemTotal"):
                info["mem_total_mb"] = int(line.split()[1]) // 1024
                break
    except OSError:
        pass
    try:
        info["git_commit"] = subprocess.run(["git", "rev-parse", "--short", "HEAD"], cwd=ROOT, capture_output=True,
                                            text=True, timeout=10).stdout.strip()
    except Exception:
        pass
    return info


def fmt(value: Any, unit: str = "") -> str:
    if value is None:
        return "–"
    if isinstance(value, float):
        value = f"{value:,.2f}" if abs(value) < 100 else f"{value:,.0f}"
    elif isinstance(value, int):
        value = f"{value:,}"
    return f"{value}{unit}"


def table_rows(r: dict[str, Any]) -> list[tuple[str, str, str, str, str, str]]:
    """(figure, value, baseline, ratio, target, met) for the Markdown table."""
    h = r["details"]["harvest"]
    rows = []

    def add(figure: str, key: str | None, value: str, baseline: str, ratio: str, pg: dict[str, Any] | None = None) -> None:
        target = ("= 0" if key == "load_errors" else f"{TARGETS[key][0]} {TARGETS[key][1]:,}") if key in TARGETS else ""
        v = (pg or r).get(key) if key else None
        ok = met(key, v) if key else None
        rows.append((figure, value, baseline, ratio, target, "–" if ok is None else ("yes" if ok else "**no**")))

    add("1. harvest throughput (rows/s)", "harvest_rows_per_s",
        f"{fmt(r['harvest_rows_per_s'])} rows/s ({h['rows_read']:,} rows in {h['first_seconds']:.1f} s)",
        f"bare executemany {h['bare_seconds']:.2f} s", "", )
    add("1. harvest vs bare insert (with the triggers and indexes)", "harvest_vs_bare_insert",
        f"{h['first_seconds']:.1f} s", f"{h['bare_seconds']:.2f} s", f"{r['harvest_vs_bare_insert']:.1f}×")
    if "plain_insert_s" in r:
        add("1. harvest vs plain insert (no triggers, no derived indexes)", "harvest_vs_plain_insert",
            f"{h['first_seconds']:.1f} s", f"plain_insert_s {r['plain_insert_s']:.2f} s",
            f"{r['harvest_vs_plain_insert']:.1f}×")
    if "harvest_paired" in r["details"]:
        pair = r["details"]["harvest_paired"]
        add(f"1b. first harvest of {pair['rows']:,} rows vs {pair['before']} (median of {len(pair['seconds']['after'])} "
            "alternated runs each)", "harvest_vs_baseline",
            f"{pair['median_s']['after']:.2f} s (CPU {pair['median_cpu_s']['after']:.2f} s)",
            f"{pair['median_s']['before']:.2f} s (CPU {pair['median_cpu_s']['before']:.2f} s)",
            f"{pair['after_over_before']:.3f}× (CPU {pair['cpu_after_over_before']:.3f}×)")
    add("2. re-harvest speed-up", "reharvest_speedup", f"{h['second_seconds']:.1f} s",
        f"first {h['first_seconds']:.1f} s", f"{r['reharvest_speedup']:.1f}×")
    add("2. re-harvest, every file taken as changed (row skip only)", "reharvest_rows_speedup",
        f"{h['rows_seconds']:.1f} s", f"first {h['first_seconds']:.1f} s", f"{r['reharvest_rows_speedup']:.1f}×")
    m = r["details"]["memory"]
    add("3. harvest peak RSS (MB)", "harvest_peak_rss_mb", f"{r['harvest_peak_rss_mb']:.0f} MB",
        f"{m['small_products']:,} products: {m['small_peak_rss_mb']:.0f} MB", f"{m['rss_ratio']:.2f}× for {m['size_ratio']:.1f}× rows")
    if "read_ahead_peak_rss_mb" in m:
        add("3. its read-ahead process, peak RSS (MB; pages shared since the fork counted)", None,
            f"{m['read_ahead_peak_rss_mb']:.0f} MB", "", "")
    add("3. RSS growth exponent", "harvest_rss_growth_exponent", f"{r['harvest_rss_growth_exponent']:.2f}",
        "1 = linear", "")
    if "pdf_rows_per_s" in r:
        add("annex of 2,000 rows read (rows/s)", None, f"PDF {fmt(r['pdf_rows_per_s'])}, Word {fmt(r['docx_rows_per_s'])}",
            "", "")

    def api_rows(src: dict[str, Any], prefix: str) -> None:
        from bench.api_figures import load_results

        s, p, ld, one, c, b = src["stats"], src["page"], src["load"], src["single"], src["cached"], src["bare"]
        keyed = {**load_results(src), **src.get("dashboard", {})}
        add(f"{prefix}4. stats PROVINCE×STARS over HTTP", "stats_vs_raw_sql",
            f"p50 {s['http_p50_ms']} ms, p95 {s['http_p95_ms']} ms", f"the counts in raw SQL p50 {s['raw_sql_p50_ms']} ms",
            f"{s['ratio_p50']:.2f}×", keyed)
        add(f"{prefix}4. stats from the counts vs GROUP BY over products", "stats_aggregate_speedup",
            f"p50 {s['counts_p50_ms']} ms", f"over products p50 {s['group_by_products_p50_ms']} ms",
            f"{s['aggregate_speedup']:.1f}×", keyed)
        add(f"{prefix}4. counts consistent with the products", "stats_consistency_errors",
            f"{src['consistency']['errors']} mismatches", f"{src['consistency']['compared']} combinations", "", keyed)
        a = src.get("as_of") or {}
        if a:
            add(f"{prefix}4b. stats PROVINCE×STARS as of {a['day']} over HTTP (uncached)", "asof_stats_p50_ms",
                f"p50 {a['http_p50_ms']} ms", f"GROUP BY over the intervals p50 {a['group_by_p50_ms']} ms", "", keyed)
            add(f"{prefix}4b. as of a day vs the GROUP BY over the intervals", "asof_vs_groupby",
                f"{a['speedup']:.2f}×", "the API reads the counts kept at any date (HTTP included); the GROUP BY "
                "is raw SQL", "", keyed)
            add(f"{prefix}4b. the same as known at {a['known_at']}", "knownat_stats_p50_ms",
                f"p50 {a['known_at_p50_ms']} ms", "", "", keyed)
            add(f"{prefix}4b. as-of answers against the certificates counted one by one", "asof_consistency_errors",
                f"{a['consistency']['errors']} mismatches", f"{a['consistency']['compared']} dates and moments", "",
                keyed)
        add(f"{prefix}5. page of 100: SQL statements", "page_sql_statements",
            f"{p['statements']} queries (sizes 10/100/500: "
            f"{'/'.join(str(v) for v in p['statements_by_page_size'].values())}); with BEGINs: "
            f"{p['statements_with_begin_by_page_size']['100']}", "", "", keyed)
        add(f"{prefix}5. page of 100: latency", "page_vs_raw_sql", f"p50 {p['api_p50_ms']} ms",
            f"raw SQL + json.dumps p50 {p['raw_p50_ms']} ms", f"{p['ratio_p50']:.2f}×", keyed)
        add(f"{prefix}6. uncached mix, {ld['clients']} clients × {ld['seconds']:.0f} s ({src['workers']} worker(s))",
            "load_vs_single_client",
            f"{fmt(ld['requests_per_s'])} req/s, p50 {ld['p50_ms']} ms, {ld['errors']} errors; load generator "
            f"{ld['client_cpu_share']:.0%} of the CPUs",
            f"1 client: {fmt(one['requests_per_s'])} req/s, p50 {one['p50_ms']} ms",
            f"{keyed['load_vs_single_client']:.2f}×", keyed)
        add(f"{prefix}6. uncached mix, p99 at {ld['clients']} clients", "load_p99_ms", f"{ld['p99_ms']} ms", "", "", keyed)
        add(f"{prefix}6. cached: {c['clients']} clients, 20 dashboard questions", "cached_vs_bare_http",
            f"{fmt(c['requests_per_s'])} req/s, p50 {c['p50_ms']} ms; load generator ({c.get('tool', 'bench.load')}) "
            f"{c['client_cpu_share']:.0%} of the CPUs",
            f"bare Starlette route, same bytes: {fmt(b['requests_per_s'])} req/s ({b['client_cpu_share']:.0%})",
            f"{keyed['cached_vs_bare_http']:.2f}×", keyed)
        add(f"{prefix}6. cached: p99", "cached_p99_ms", f"{c['p99_ms']} ms", f"bare p99 {b['p99_ms']} ms", "", keyed)
        add(f"{prefix}6. load errors (all runs)", "load_errors", f"{keyed['load_errors']}", "", "", keyed)
        if src.get("export"):
            e = src["export"]
            for kind in ("csv", "parquet"):
                this, before = e["this"][kind], (e.get("baseline") or {}).get(kind)
                add(f"{prefix}9. whole store as {kind.upper()} over HTTP, anonymous (rows/s)",
                    f"export_{kind}_rows_per_s",
                    f"{fmt(this['rows_per_s'])} rows/s ({this['rows']:,} rows, {this['bytes'] / 1e6:.1f} MB in "
                    f"{this['median_s']:.2f} s)",
                    f"{e['baseline']['code']}: {fmt(before['rows_per_s'])} rows/s in {before['median_s']:.2f} s"
                    if before else "", f"{keyed[f'export_{kind}_speedup']:.2f}×" if before else "", keyed)
            add(f"{prefix}9. server RSS before / peak after the downloads", None,
                f"{e['this']['rss_before_mb']} / {e['this']['peak_rss_mb']} MB",
                f"{e['baseline']['rss_before_mb']} / {e['baseline']['peak_rss_mb']} MB" if e.get("baseline") else "",
                "", keyed)
        if src.get("dashboard"):
            dash = src["dashboard"]
            add(f"{prefix}8. national dashboard, complete page", "dashboard_p50_ms",
                f"p50 {dash.get('dashboard_p50_ms')} ms", f"first load {dash.get('dashboard_first_ms')} ms", "", keyed)
            add(f"{prefix}8. national dashboard, weight", "dashboard_kb", f"{dash.get('dashboard_kb')} KB", "", "", keyed)

    api_rows(r["details"]["sqlite"], "")
    if r.get("postgres", {}).get("details"):
        api_rows(r["postgres"]["details"], "PG ")
    return rows


def markdown(r: dict[str, Any]) -> str:
    lines = [f"Benchmark: {r['products']:,} products ({r['details']['data']['rows']:,} registry rows, "
             f"{r['details']['data']['producers']:,} producers, {r['details']['data']['sources']} registries), "
             f"{r['machine'].get('cpus')} CPUs, {r['date']}; `{r['command']}` ({r['seconds']:.0f} s)", "",
             "| figure | value | baseline | ratio | target | met? |", "|---|---|---|---|---|---|"]
    lines += ["| " + " | ".join(row) + " |" for row in table_rows(r)]
    if r.get("postgres", {}).get("skipped"):
        lines += ["", f"PostgreSQL: skipped ({r['postgres']['skipped']})."]
    return "\n".join(lines) + "\n"
