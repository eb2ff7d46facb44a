"""The benchmark suite: harvest, memory, stats, pages and load at national scale.

``python -m bench.run [--quick] [--products N] [--postgres-url URL | --no-postgres]``

Every figure is measured next to a baseline in the same run (same machine, same moment), and the
ratio is what the targets judge; absolute numbers are kept for reference. Results go to
``bench/results/latest.json`` and ``bench/results/latest.md``; the table is printed. See
bench/README.md for what each figure means.
"""
from __future__ import annotations

import argparse
import json
import math
import os
import platform
import random
import resource
import secrets
import shutil
import socket
import sqlite3
import statistics
import subprocess
import sys
import threading
import time
from contextlib import contextmanager
from pathlib import Path
from typing import Any, Callable, Iterator

ROOT = Path(__file__).resolve().parents[1]
RESULTS = ROOT / "bench" / "results"
DEFAULT_DATA = ROOT / ".ocop-hub" / "bench"
DEFAULT_PG = os.environ.get("HUB_TEST_DATABASE_URL", "postgresql+psycopg2://postgres@127.0.0.1:5432/test")
SERVER_START_TIMEOUT_S = 120
SERVER_STOP_TIMEOUT_S = 15
REQUEST_TIMEOUT_S = 30

TARGETS = {
    "harvest_rows_per_s": (">=", 20_000),
    "harvest_vs_bare_insert": ("<=", 3),
    "reharvest_speedup": (">=", 10),
    "harvest_peak_rss_mb": ("<=", 500),
    "harvest_rss_growth_exponent": ("<", 1),
    "stats_vs_raw_sql": ("<=", 1.5),
    "page_sql_statements": ("<=", 3),
    "page_vs_raw_sql": ("<=", 3),
    "load_errors": ("<=", 0),
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


# --- 1–3: harvest, re-harvest, memory (in a child process) --------------------------------------

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
    from hub.harvest import harvest_source
    from hub.registries import load_sources
    from hub.store import analyze, init_store

    specs = load_sources(sources)
    engine = init_store(url)
    out: dict[str, Any] = {"sources": len(specs), "rss_after_init_kb": vm_hwm_kb(),
                           "ru_maxrss_after_init_kb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss}
    phases: dict[str, Callable[[Any, Any], Any]] = {"first": harvest_source}
    if reharvest:
        phases.update(second=harvest_source, rows=harvest_rows_only)
    for phase, harvest in phases.items():
        totals = dict(rows_read=0, created=0, updated=0, unchanged=0, withdrawn=0, rejected=0)
        failed = []
        started = time.perf_counter()
        cpu = time.process_time()
        for spec in specs:
            summary = harvest(engine, spec)
            for key in totals:
                totals[key] += getattr(summary, key)
            if summary.failed:
                failed.append(f"{spec.name}: {summary.error}")
        out[phase] = dict(totals, seconds=time.perf_counter() - started, cpu_seconds=time.process_time() - cpu,
                          failed=failed, maxrss_kb=vm_hwm_kb(),
                          ru_maxrss_kb=resource.getrusage(resource.RUSAGE_SELF).ru_maxrss)
    # `ocop-hub harvest` ends with ANALYZE (hub.store.analyze): the API figures are taken on a
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


def bare_insert(src_db: Path, dst_url: str) -> dict[str, Any]:
    """Baseline: the harvested (already normalized) producers, products and source records
    inserted into a fresh store with ONE DBAPI executemany per table, one transaction."""
    from hub.db import make_engine
    from hub.store import init_store

    init_store(dst_url).dispose()  # same schema, indexes and reference data as the harvest's store
    src = sqlite3.connect(src_db)
    engine = make_engine(dst_url)  # same pragmas (WAL, synchronous=NORMAL, foreign keys)
    raw = engine.raw_connection()
    try:
        cur = raw.cursor()
        tables: dict[str, tuple[list[str], list[tuple[Any, ...]]]] = {}
        for table in ("source", "import_batch", "producer", "product", "source_record"):
            columns = [r[1] for r in src.execute(f"PRAGMA table_info({table})")]
            tables[table] = (columns, src.execute(f"SELECT {', '.join(columns)} FROM {table}").fetchall())

        def insert(table: str) -> None:
            columns, rows = tables[table]
            sql = f"INSERT INTO {table} ({', '.join(columns)}) VALUES ({', '.join('?' * len(columns))})"
            cur.executemany(sql, rows)

        # hub.db's connections run in autocommit (isolation_level None: the engine issues its own
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


# --- the API server and HTTP helpers -----------------------------------------------------------

def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@contextmanager
def api_server(url: str, log_path: Path) -> Iterator[str]:
    """``ocop-hub serve`` on a free loopback port over ``url``; bounded start and stop."""
    import requests

    port = free_port()
    # The 50 load clients all come from 127.0.0.1: the per-address rate limit would answer most
    # of them 429 and the figure would measure the limiter, not the server. Off for the bench.
    env = dict(os.environ, HUB_DATABASE_URL=url, HUB_RATE_LIMIT_ANONYMOUS="0", HUB_RATE_LIMIT_KEY="0")
    log_file = open(log_path, "w")
    proc = subprocess.Popen([sys.executable, "-m", "hub.cli", "serve", "--host", "127.0.0.1", "--port", str(port)],
                            cwd=ROOT, env=env, stdout=log_file, stderr=subprocess.STDOUT)
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + SERVER_START_TIMEOUT_S
        while True:
            if proc.poll() is not None:
                raise RuntimeError(f"ocop-hub serve exited with {proc.returncode}; see {log_path}")
            try:
                if requests.get(base + "/healthz", timeout=2).status_code == 200:
                    break
            except requests.RequestException:
                pass
            if time.monotonic() > deadline:
                raise RuntimeError(f"ocop-hub serve not healthy after {SERVER_START_TIMEOUT_S} s; see {log_path}")
            time.sleep(0.25)
        yield base
    finally:
        proc.terminate()
        try:
            proc.wait(SERVER_STOP_TIMEOUT_S)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait(SERVER_STOP_TIMEOUT_S)
        log_file.close()


STATS_QUERY = "{ stats(groupBy: [PROVINCE, STARS]) { key { province { code name fullName } stars } count } }"
STATS_SQL = (
    "SELECT province.code, province.name, province.full_name, product.stars, count(product.id) "
    "FROM product JOIN province ON province.code = product.province_code "
    "WHERE product.status IN ('active', 'expired') "
    "GROUP BY province.code, province.name, province.full_name, product.stars "
    "ORDER BY province.code, province.name, province.full_name, product.stars"
)
TRANSACTION_CONTROL = {"BEGIN", "COMMIT", "ROLLBACK", "SAVEPOINT", "RELEASE"}
PAGE_QUERY = """query Page($first: Int) { products(first: $first) {
  totalCount pageInfo { hasNextPage endCursor }
  edges { node { id name group stars certifiedYear status decisionNumber decisionDate
    producer { id name producerType } province { code name fullName }
    provenance { sourceName sourceKind rowNumber present lastSeenAt } } } } }"""


def graphql_ok(response: Any) -> bool:
    if response.status_code != 200:
        return False
    body = response.json()
    return not body.get("errors") and body.get("data") is not None


class RawSQL:
    """The baselines: the same statements through the same DBAPI driver, no ORM, no GraphQL."""

    def __init__(self, url: str):
        from hub.db import make_engine

        self.engine = make_engine(url)
        self.conn = self.engine.raw_connection()
        self.pg = not url.startswith("sqlite")

    def close(self) -> None:
        self.conn.close()
        self.engine.dispose()

    def query(self, sql: str, params: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
        cur = self.conn.cursor()
        cur.execute(sql.replace("?", "%s") if self.pg else sql, params)
        rows = cur.fetchall()
        cur.close()
        if self.pg:
            self.conn.commit()  # end the read transaction, as a pooled request would
        return rows

    def stats(self) -> list[tuple[Any, ...]]:
        return self.query(STATS_SQL)

    def page(self, first: int) -> str:
        """One page as the API gives it: page + provenance + count, then dicts and json.dumps."""
        rows = self.query(
            "SELECT p.id, p.name, p.group_code, p.stars, p.certified_year, p.status, p.decision_number, "
            "p.decision_date, pr.id, pr.name, pr.producer_type, pv.code, pv.name, pv.full_name "
            "FROM product p JOIN producer pr ON pr.id = p.producer_id "
            "LEFT JOIN province pv ON pv.code = p.province_code "
            "WHERE p.status IN ('active', 'expired') ORDER BY p.name, p.id LIMIT ?", (first + 1,))
        has_next, rows = len(rows) > first, rows[:first]
        ids = [r[0] for r in rows]
        provenance: dict[int, list[dict[str, Any]]] = {i: [] for i in ids}
        if ids:
            for pid, name, kind, row_number, present, seen in self.query(
                    "SELECT sr.product_id, s.name, s.kind, sr.row_number, sr.present, "
                    "coalesce(b.finished_at, b.started_at) FROM source_record sr "
                    "JOIN source s ON s.id = sr.source_id JOIN import_batch b ON b.id = sr.last_batch_id "
                    f"WHERE sr.product_id IN ({', '.join('?' * len(ids))}) "
                    "ORDER BY sr.product_id, s.name, sr.row_number", tuple(ids)):
                provenance[pid].append({"sourceName": name, "sourceKind": kind, "rowNumber": row_number,
                                        "present": bool(present), "lastSeenAt": str(seen)})
        total = self.query("SELECT count(product.id) FROM product WHERE product.status IN ('active', 'expired')")[0][0]
        edges = [{"node": {
            "id": r[0], "name": r[1], "group": r[2], "stars": r[3], "certifiedYear": r[4], "status": r[5],
            "decisionNumber": r[6], "decisionDate": str(r[7]) if r[7] else None,
            "producer": {"id": r[8], "name": r[9], "producerType": r[10]},
            "province": {"code": r[11], "name": r[12], "fullName": r[13]} if r[11] else None,
            "provenance": provenance[r[0]]}} for r in rows]
        return json.dumps({"data": {"products": {"totalCount": total, "pageInfo": {
            "hasNextPage": has_next, "endCursor": str(ids[-1]) if ids else None}, "edges": edges}}},
            ensure_ascii=False)


def interleaved(a: Callable[[], Any], b: Callable[[], Any], n: int, warmup: int = 3) -> tuple[list[float], list[float]]:
    """Time ``a`` and ``b`` in turn (A B A B …) so drift on a noisy machine hits both alike."""
    for _ in range(warmup):
        a()
        b()
    ta, tb = [], []
    for _ in range(n):
        t = time.perf_counter()
        a()
        ta.append(time.perf_counter() - t)
        t = time.perf_counter()
        b()
        tb.append(time.perf_counter() - t)
    return ta, tb


def bench_stats(base: str, raw: RawSQL, n: int) -> dict[str, Any]:
    """4. stats(groupBy: [PROVINCE, STARS]) over HTTP vs the same GROUP BY through the same driver."""
    import requests

    session = requests.Session()

    def http() -> Any:
        r = session.post(base + "/graphql", json={"query": STATS_QUERY}, timeout=REQUEST_TIMEOUT_S)
        if not graphql_ok(r):
            raise RuntimeError(f"stats failed: {r.status_code} {r.text[:300]}")
        return r.json()

    api_total = sum(b["count"] for b in http()["data"]["stats"])
    raw_total = sum(r[-1] for r in raw.stats())
    if api_total != raw_total:
        raise RuntimeError(f"stats disagree: API {api_total} products, raw SQL {raw_total}")
    t_api, t_raw = interleaved(http, raw.stats, n)
    p50_api, p50_raw = statistics.median(t_api), statistics.median(t_raw)
    return {"requests": n, "products_counted": api_total, "buckets": len(raw.stats()),
            "http_p50_ms": ms(p50_api), "http_p95_ms": ms(pct(t_api, 95)),
            "raw_sql_p50_ms": ms(p50_raw), "raw_sql_p95_ms": ms(pct(t_raw, 95)),
            "ratio_p50": round(p50_api / p50_raw, 2), "sql": STATS_SQL}


def bench_page(url: str, raw: RawSQL, n: int) -> dict[str, Any]:
    """5. A page of products with producer, province, provenance, in process (TestClient):
    SQL statements per request at several page sizes, and latency vs raw SQL + json.dumps."""
    from sqlalchemy import event
    from starlette.testclient import TestClient

    from hub.api.app import create_app
    from hub.db import make_engine

    engine = make_engine(url)
    statements: list[str] = []

    @event.listens_for(engine, "before_cursor_execute")
    def count(conn, cursor, statement, parameters, context, executemany):  # type: ignore[no-untyped-def]
        statements.append(statement)

    out: dict[str, Any] = {}
    try:
        with TestClient(create_app(engine)) as client:
            def request(first: int) -> Any:
                r = client.post("/graphql", json={"query": PAGE_QUERY, "variables": {"first": first}})
                if not graphql_ok(r):
                    raise RuntimeError(f"page failed: {r.status_code} {r.text[:300]}")
                return r

            per_size: dict[str, int] = {}
            per_size_all: dict[str, int] = {}
            for first in (10, 100, 500):
                request(first)  # warm the pool
                statements.clear()
                body = request(first).json()
                queries = [q for q in statements if q.split(None, 1)[0].upper() not in TRANSACTION_CONTROL]
                per_size[str(first)] = len(queries)
                per_size_all[str(first)] = len(statements)
                if first == 100:
                    out["statements_100"] = list(statements)
                    api_ids = [e["node"]["id"] for e in body["data"]["products"]["edges"]]
                    raw_ids = [e["node"]["id"] for e in json.loads(raw.page(100))["data"]["products"]["edges"]]
                    out["same_rows_as_raw"] = api_ids == raw_ids
            out["statements_by_page_size"] = per_size
            out["statements_with_begin_by_page_size"] = per_size_all
            t_api, t_raw = interleaved(lambda: request(100), lambda: raw.page(100), n)
    finally:
        engine.dispose()
    out.update(page_size=100, requests=n, api_p50_ms=ms(statistics.median(t_api)), api_p95_ms=ms(pct(t_api, 95)),
               raw_p50_ms=ms(statistics.median(t_raw)), raw_p95_ms=ms(pct(t_raw, 95)),
               ratio_p50=round(statistics.median(t_api) / statistics.median(t_raw), 2),
               statements=out["statements_by_page_size"]["100"])
    return out


SEARCH_WORDS = ("mat ong", "che", "ruou", "gao nep", "nuoc mam", "tra", "banh", "ca phe", "tinh dau", "nam huong",
                "htx", "nguyen van", "mien dong", "thai", "lan")
STATS_DIMS = ("[PROVINCE, STARS]", "[GROUP]", "[YEAR, STARS]", "[PRODUCER_TYPE]", "[PROVINCE, GROUP]", "[STATUS]")
LOAD_PAGE_QUERY = """query P($first: Int, $f: ProductFilter) { products(first: $first, filter: $f) {
  edges { node { id name stars group producer { id name } province { code name }
    provenance { sourceName rowNumber } } } pageInfo { hasNextPage endCursor } } }"""
LOAD_SEARCH_QUERY = """query S($f: ProductFilter) { products(first: 20, filter: $f) {
  edges { node { id name stars producer { name } } } } }"""


def bench_load(base: str, provinces: list[str], clients: int, seconds: float, seed: int = 7) -> dict[str, Any]:
    """6. ``clients`` threads, each with its own keep-alive session, on a mix of stats (30%),
    filtered product pages (50%) and searches (20%) for ``seconds``."""
    import requests

    deadline_holder: list[float] = []
    lock = threading.Lock()
    latencies: dict[str, list[float]] = {"stats": [], "page": [], "search": []}
    errors: list[str] = []
    start = threading.Barrier(clients + 1)

    def client(index: int) -> None:
        rng = random.Random(f"{seed}:{index}")
        session = requests.Session()
        mine: dict[str, list[float]] = {k: [] for k in latencies}
        my_errors: list[str] = []
        start.wait()
        deadline = deadline_holder[0]
        while time.monotonic() < deadline:
            roll = rng.random()
            if roll < 0.3:
                kind, payload = "stats", {"query": "{ stats(groupBy: %s) { count key { stars year } } }"
                                          % rng.choice(STATS_DIMS)}
            elif roll < 0.8:
                f: dict[str, Any] = {"province": [rng.choice(provinces)]}
                if rng.random() < 0.5:
                    f["stars"] = [rng.choice((3, 4, 5))]
                kind, payload = "page", {"query": LOAD_PAGE_QUERY,
                                         "variables": {"first": rng.choice((20, 50, 100)), "f": f}}
            else:
                kind, payload = "search", {"query": LOAD_SEARCH_QUERY,
                                           "variables": {"f": {"search": rng.choice(SEARCH_WORDS)}}}
            t = time.perf_counter()
            try:
                r = session.post(base + "/graphql", json=payload, timeout=REQUEST_TIMEOUT_S)
                ok = graphql_ok(r)
                if not ok:
                    my_errors.append(f"{kind}: HTTP {r.status_code} {r.text[:200]}")
            except Exception as exc:  # timeouts, resets: all count as errors
                ok = False
                my_errors.append(f"{kind}: {type(exc).__name__}: {exc}"[:300])
            if ok:
                mine[kind].append(time.perf_counter() - t)
        with lock:
            for k, v in mine.items():
                latencies[k].extend(v)
            errors.extend(my_errors)

    threads = [threading.Thread(target=client, args=(i,), daemon=True) for i in range(clients)]
    for t in threads:
        t.start()
    cpu0 = time.process_time()
    deadline_holder.append(time.monotonic() + seconds)
    began = time.perf_counter()
    start.wait()
    for t in threads:
        t.join(seconds + REQUEST_TIMEOUT_S + 10)
    elapsed = time.perf_counter() - began
    everything = [x for v in latencies.values() for x in v]
    done = len(everything)
    out: dict[str, Any] = {
        "clients": clients, "seconds": round(elapsed, 1), "requests_ok": done, "errors": len(errors),
        "error_samples": errors[:5], "requests_per_s": round(done / elapsed, 1),
        "p50_ms": ms(pct(everything, 50)) if everything else None,
        "p99_ms": ms(pct(everything, 99)) if everything else None,
        "client_cpu_s": round(time.process_time() - cpu0, 1),
        "by_kind": {k: {"n": len(v), "p50_ms": ms(pct(v, 50)) if v else None, "p99_ms": ms(pct(v, 99)) if v else None}
                    for k, v in latencies.items()},
    }
    return out


def single_request_baseline(base: str, n: int = 30) -> dict[str, Any]:
    """The load test's reference: one client, one request at a time, the same page query."""
    import requests

    session = requests.Session()
    payload = {"query": LOAD_PAGE_QUERY, "variables": {"first": 50, "f": {"stars": [4]}}}
    times = []
    for i in range(n + 3):
        t = time.perf_counter()
        r = session.post(base + "/graphql", json=payload, timeout=REQUEST_TIMEOUT_S)
        if i >= 3:
            times.append(time.perf_counter() - t)
        if not graphql_ok(r):
            raise RuntimeError(f"baseline request failed: {r.status_code} {r.text[:300]}")
    p50 = statistics.median(times)
    return {"p50_ms": ms(p50), "requests_per_s": round(1 / p50, 1)}


def api_figures(url: str, work: Path, args: argparse.Namespace, label: str) -> dict[str, Any]:
    """Figures 4–6 against one store (SQLite file or PostgreSQL database)."""
    raw = RawSQL(url)
    try:
        provinces = [r[0] for r in raw.query("SELECT DISTINCT province_code FROM product")]
        log(f"{label}: page of 100 in process (statements, latency vs raw SQL + json.dumps)")
        page = bench_page(url, raw, args.samples)
        with api_server(url, work / f"serve-{label}.log") as base:
            log(f"{label}: stats over HTTP vs raw GROUP BY ({args.samples} interleaved requests)")
            stats = bench_stats(base, raw, args.samples)
            single = single_request_baseline(base)
            log(f"{label}: load, {args.clients} clients for {args.load_seconds:.0f} s")
            load = bench_load(base, provinces, args.clients, args.load_seconds)
            load["single_client_baseline"] = single
    finally:
        raw.close()
    return {"stats": stats, "page": page, "load": load}


# --- 7: PostgreSQL -------------------------------------------------------------------------------

def pg_reachable(url: str) -> str | None:
    from sqlalchemy import create_engine, text

    try:
        engine = create_engine(url, connect_args={"connect_timeout": 5})
        with engine.connect() as conn:
            version = conn.execute(text("SHOW server_version")).scalar()
        engine.dispose()
        return str(version)
    except Exception as exc:
        log(f"PostgreSQL not reachable at {url}: {type(exc).__name__}: {str(exc).splitlines()[0]}")
        return None


@contextmanager
def pg_database(base_url: str) -> Iterator[str]:
    """A fresh database ocop_bench_<random>, dropped at the end whatever happens."""
    from sqlalchemy import create_engine, text
    from sqlalchemy.engine import make_url

    name = f"ocop_bench_{secrets.token_hex(4)}"
    admin = create_engine(base_url, isolation_level="AUTOCOMMIT", connect_args={"connect_timeout": 5})
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    try:
        yield make_url(base_url).set(database=name).render_as_string(hide_password=False)
    finally:
        with admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


def copy_store(src_url: str, dst_url: str) -> dict[str, Any]:
    """Load the harvested SQLite store into PostgreSQL (same rows and ids) table by table."""
    from sqlalchemy import func, insert, select, text
    from sqlmodel import SQLModel

    import hub.models  # noqa: F401  (registers the tables)
    from hub.db import make_engine
    from hub.store import init_store

    dst = init_store(dst_url)
    src = make_engine(src_url)
    counts: dict[str, int] = {}
    started = time.perf_counter()
    with src.connect() as s, dst.begin() as d:
        for table in SQLModel.metadata.sorted_tables:
            n = s.execute(select(func.count()).select_from(table)).scalar() or 0
            if not n or d.execute(select(func.count()).select_from(table)).scalar():
                continue  # empty, or reference data init_store already loaded
            result = s.execute(select(table)).mappings()
            while chunk := result.fetchmany(5000):
                d.execute(insert(table), [dict(r) for r in chunk])
            counts[table.name] = n
            if "id" in table.c:
                d.execute(text(f"SELECT setval(pg_get_serial_sequence('{table.name}', 'id'), "
                               f"(SELECT max(id) FROM {table.name}))"))
    with dst.connect().execution_options(isolation_level="AUTOCOMMIT") as d:
        d.execute(text("VACUUM ANALYZE"))
    src.dispose()
    dst.dispose()
    return {"rows": counts, "seconds": round(time.perf_counter() - started, 1)}


# --- report -------------------------------------------------------------------------------------

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
    add("1. harvest vs bare insert", "harvest_vs_bare_insert", f"{h['first_seconds']:.1f} s",
        f"{h['bare_seconds']:.2f} s", f"{r['harvest_vs_bare_insert']:.1f}×")
    add("2. re-harvest speed-up", "reharvest_speedup", f"{h['second_seconds']:.1f} s",
        f"first {h['first_seconds']:.1f} s", f"{r['reharvest_speedup']:.1f}×")
    add("2. re-harvest, every file taken as changed (row skip only)", "reharvest_rows_speedup",
        f"{h['rows_seconds']:.1f} s", f"first {h['first_seconds']:.1f} s", f"{r['reharvest_rows_speedup']:.1f}×")
    m = r["details"]["memory"]
    add("3. harvest peak RSS (MB)", "harvest_peak_rss_mb", f"{r['harvest_peak_rss_mb']:.0f} MB",
        f"{m['small_products']:,} products: {m['small_peak_rss_mb']:.0f} MB", f"{m['rss_ratio']:.2f}× for {m['size_ratio']:.1f}× rows")
    add("3. RSS growth exponent", "harvest_rss_growth_exponent", f"{r['harvest_rss_growth_exponent']:.2f}",
        "1 = linear", "")

    def api_rows(src: dict[str, Any], prefix: str) -> None:
        s, p, ld = src["stats"], src["page"], src["load"]
        pgd = {"stats_vs_raw_sql": s["ratio_p50"], "page_sql_statements": p["statements"],
               "page_vs_raw_sql": p["ratio_p50"], "load_errors": ld["errors"]}
        add(f"{prefix}4. stats PROVINCE×STARS over HTTP", "stats_vs_raw_sql",
            f"p50 {s['http_p50_ms']} ms, p95 {s['http_p95_ms']} ms", f"raw SQL p50 {s['raw_sql_p50_ms']} ms",
            f"{s['ratio_p50']:.2f}×", pgd)
        add(f"{prefix}5. page of 100: SQL statements", "page_sql_statements",
            f"{p['statements']} queries (sizes 10/100/500: "
            f"{'/'.join(str(v) for v in p['statements_by_page_size'].values())}); with BEGINs: "
            f"{p['statements_with_begin_by_page_size']['100']}", "", "", pgd)
        add(f"{prefix}5. page of 100: latency", "page_vs_raw_sql", f"p50 {p['api_p50_ms']} ms",
            f"raw SQL + json.dumps p50 {p['raw_p50_ms']} ms", f"{p['ratio_p50']:.2f}×", pgd)
        add(f"{prefix}6. load {ld['clients']} clients × {ld['seconds']:.0f} s", "load_errors",
            f"{fmt(ld['requests_per_s'])} req/s, p50 {ld['p50_ms']} ms, p99 {ld['p99_ms']} ms, {ld['errors']} errors",
            f"1 client: {ld['single_client_baseline']['requests_per_s']} req/s, p50 "
            f"{ld['single_client_baseline']['p50_ms']} ms",
            f"{ld['requests_per_s'] / ld['single_client_baseline']['requests_per_s']:.2f}× throughput", pgd)

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


# --- main ---------------------------------------------------------------------------------------

def run_snapshot(rev: str, args: argparse.Namespace, argv: list[str]) -> int:
    """Export ``rev`` (hub/, migrations, schema…) plus the working tree's bench/, run the suite there."""
    commit = subprocess.run(["git", "rev-parse", "--short", rev], cwd=ROOT, capture_output=True, text=True,
                            check=True).stdout.strip()
    target = (args.data / f"snapshot-{commit}").resolve()
    shutil.rmtree(target, ignore_errors=True)
    target.mkdir(parents=True)
    archive = subprocess.run(["git", "archive", commit], cwd=ROOT, capture_output=True, check=True).stdout
    subprocess.run(["tar", "-x", "-C", str(target)], input=archive, check=True)
    shutil.rmtree(target / "bench", ignore_errors=True)
    shutil.copytree(ROOT / "bench", target / "bench", ignore=shutil.ignore_patterns("results", "__pycache__"))
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
        f"peak RSS {first['maxrss_kb'] / 1024:.0f} MB")
    log(f"3: harvest of {small:,} products for the memory comparison (child process)")
    small_run = run_harvest_child(small_data / "sources.yaml", f"sqlite:///{work / 'small.sqlite3'}", reharvest=False)
    log("1: bare baseline: one executemany per table into a fresh store")
    bare = bare_insert(db, f"sqlite:///{work / 'bare.sqlite3'}")

    rss_full = first["maxrss_kb"] / 1024
    rss_small = small_run["first"]["maxrss_kb"] / 1024
    size_ratio = first["rows_read"] / max(1, small_run["first"]["rows_read"])
    results: dict[str, Any] = {
        "products": products,
        "harvest_rows_per_s": round(first["rows_read"] / first["seconds"], 1),
        "harvest_vs_bare_insert": round(first["seconds"] / bare["seconds"], 2),
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
                    "bare_rows": bare["rows"], "bare_rows_per_s": round(sum(bare["rows"].values()) / bare["seconds"]),
                    "stderr_errors": full["stderr_errors"]},
        "memory": {"peak_rss_mb": round(rss_full, 1), "after_init_store_mb": round(full["rss_after_init_kb"] / 1024, 1),
                   "children_ru_maxrss_mb": round(full["children_maxrss_kb"] / 1024, 1),
                   "measured_as": "VmHWM of the harvest child after its first harvest",
                   "small_products": small, "small_peak_rss_mb": round(rss_small, 1),
                   "small_after_init_store_mb": round(small_run["rss_after_init_kb"] / 1024, 1),
                   "size_ratio": round(size_ratio, 2), "rss_ratio": round(rss_full / rss_small, 2)},
    }

    log("4–6 on SQLite")
    details["sqlite"] = api_figures(url, work, args, "sqlite")
    s = details["sqlite"]
    results.update(
        stats_p50_ms=s["stats"]["http_p50_ms"], stats_p95_ms=s["stats"]["http_p95_ms"],
        stats_vs_raw_sql=s["stats"]["ratio_p50"], page_sql_statements=s["page"]["statements"],
        page_p50_ms=s["page"]["api_p50_ms"], page_vs_raw_sql=s["page"]["ratio_p50"],
        load_requests_per_s=s["load"]["requests_per_s"], load_p50_ms=s["load"]["p50_ms"],
        load_p99_ms=s["load"]["p99_ms"], load_errors=s["load"]["errors"],
    )

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
                postgres = {
                    "server_version": version, "copy": copied,
                    "stats_p50_ms": pd["stats"]["http_p50_ms"], "stats_p95_ms": pd["stats"]["http_p95_ms"],
                    "stats_vs_raw_sql": pd["stats"]["ratio_p50"], "page_sql_statements": pd["page"]["statements"],
                    "page_p50_ms": pd["page"]["api_p50_ms"], "page_vs_raw_sql": pd["page"]["ratio_p50"],
                    "load_requests_per_s": pd["load"]["requests_per_s"], "load_p50_ms": pd["load"]["p50_ms"],
                    "load_p99_ms": pd["load"]["p99_ms"], "load_errors": pd["load"]["errors"], "details": pd,
                }
            except Exception as exc:
                log(f"PostgreSQL figures failed: {type(exc).__name__}: {exc}")
                postgres = {"error": f"{type(exc).__name__}: {exc}"}
    results["postgres"] = postgres
    info["loadavg_end"] = os.getloadavg()
    results.update(machine=info, command=command, date=time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime()),
                   seconds=round(time.perf_counter() - began, 1), targets={k: list(v) for k, v in TARGETS.items()},
                   met={k: met(k, results.get(k)) for k in TARGETS}, details=details)

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
