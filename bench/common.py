"""What every part of the benchmark suite shares: paths, targets, timing helpers."""
from __future__ import annotations

import math
import os
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
RESULTS = ROOT / "bench" / "results"
DEFAULT_DATA = ROOT / ".ocop-hub" / "bench"
DEFAULT_PG = os.environ.get("HUB_TEST_DATABASE_URL", "postgresql+psycopg2://postgres@127.0.0.1:5432/test")
SERVER_START_TIMEOUT_S = 120
SERVER_STOP_TIMEOUT_S = 15
REQUEST_TIMEOUT_S = 30

TARGETS = {
    "harvest_rows_per_s": (">=", 20_000),
    "harvest_vs_plain_insert": ("<=", 3),
    "harvest_vs_baseline": ("<=", 1.0),
    "reharvest_speedup": (">=", 10),
    "harvest_peak_rss_mb": ("<=", 500),
    "harvest_rss_growth_exponent": ("<", 1),
    "stats_vs_raw_sql": ("<=", 1.5),
    "page_sql_statements": ("<=", 3),
    "page_vs_raw_sql": ("<=", 3),
    "load_errors": ("<=", 0),
    "load_vs_single_client": (">=", 1.0),
    "load_p99_ms": ("<=", 1000),
    "cached_vs_bare_http": (">=", 0.5),
    "cached_p99_ms": ("<=", 50),
    "stats_aggregate_speedup": (">=", 20),
    "stats_consistency_errors": ("<=", 0),
    "asof_stats_p50_ms": ("<=", 20),
    "asof_vs_groupby": (">=", 10),
    "knownat_stats_p50_ms": ("<=", 500),
    "asof_consistency_errors": ("<=", 0),
    "dashboard_kb": ("<=", 500),
    "dashboard_p50_ms": ("<", 1000),
    "export_csv_rows_per_s": (">=", 100_000),
    "export_parquet_rows_per_s": (">=", 100_000),
}


def log(message: str) -> None:
    print(f"[bench {time.strftime('%H:%M:%S')}] {message}", flush=True)


def pct(values: list[float], q: float) -> float:
    """Nearest-rank percentile (q in 0..100) of a non-empty list."""
    ordered = sorted(values)
    rank = max(1, math.ceil(q / 100 * len(ordered)))
    return ordered[min(rank, len(ordered)) - 1]


def ms(seconds: float) -> float:
    return round(seconds * 1000, 2)


def met(key: str, value: float | None) -> bool | None:
    if value is None or key not in TARGETS:
        return None
    op, bound = TARGETS[key]
    return {"<=": value <= bound, ">=": value >= bound, "<": value < bound}[op]
