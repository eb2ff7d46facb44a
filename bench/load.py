"""The load generator: several processes of keep-alive clients, so the client is not the bottleneck.

``run_load(base, mix, provinces, clients, seconds)`` starts ``min(clients, PROCESSES)`` processes
(spawned, each with its share of ``clients`` threads on ``http.client`` keep-alive connections,
far cheaper per request than ``requests``), releases them together, and reports throughput,
latency percentiles, errors, and the CPU the generator itself used (its share of the machine),
so a figure limited by the client shows as such.

Mixes:
- ``mix``: stats 30% (six groupings), filtered product pages 50%, searches 20% (the issue's mix);
- ``dashboard``: 20 distinct dashboard questions (stats and first pages), repeated: what a cache serves.
"""
from __future__ import annotations

import http.client
import json
import multiprocessing
import os
import random
import threading
import time
from typing import Any
from urllib.parse import urlsplit

from bench.common import REQUEST_TIMEOUT_S, ms, pct

PROCESSES = 4
SEARCH_WORDS = ("mat ong", "che", "ruou", "gao nep", "nuoc mam", "tra", "banh", "ca phe", "tinh dau", "nam huong",
                "htx", "nguyen van", "mien dong", "thai", "lan")
STATS_DIMS = ("[PROVINCE, STARS]", "[GROUP]", "[CERTIFIED_YEAR, STARS]", "[PRODUCER_TYPE]", "[PROVINCE, GROUP]", "[STATUS]")
LOAD_PAGE_QUERY = """query P($first: Int, $f: ProductFilter) { products(first: $first, filter: $f) {
  edges { node { id name stars group producer { id name } province { code name }
    provenance { sourceName rowNumber } } } pageInfo { hasNextPage endCursor } } }"""
LOAD_SEARCH_QUERY = """query S($f: ProductFilter) { products(first: 20, filter: $f) {
  edges { node { id name stars producer { name } } } } }"""


def mix_request(rng: random.Random, provinces: list[str]) -> tuple[str, bytes]:
    """One request of the issue's mix: (kind, JSON body)."""
    roll = rng.random()
    if roll < 0.3:
        return "stats", json.dumps({"query": "{ stats(groupBy: %s) { count key { stars year } } }"
                                             % rng.choice(STATS_DIMS)}).encode()
    if roll < 0.8:
        f: dict[str, Any] = {"province": [rng.choice(provinces)]}
        if rng.random() < 0.5:
            f["stars"] = [rng.choice((3, 4, 5))]
        return "page", json.dumps({"query": LOAD_PAGE_QUERY,
                                   "variables": {"first": rng.choice((20, 50, 100)), "f": f}}).encode()
    return "search", json.dumps({"query": LOAD_SEARCH_QUERY,
                                 "variables": {"f": {"search": rng.choice(SEARCH_WORDS)}}}).encode()


def dashboard_requests(provinces: list[str]) -> list[tuple[str, bytes]]:
    """The 20 distinct questions a dashboard asks: national stats and first pages of provinces."""
    stats = [json.dumps({"query": "{ stats(groupBy: %s) { count key { province { code name } stars group year "
                                  "producerType status } } }" % dims}).encode()
             for dims in ("[PROVINCE]", "[STARS]", "[GROUP]", "[PRODUCER_TYPE]", "[CERTIFIED_YEAR]", "[STATUS]",
                          "[PROVINCE, STARS]", "[CERTIFIED_YEAR, STARS]", "[PROVINCE, GROUP]", "[]")]
    pages = [json.dumps({"query": LOAD_PAGE_QUERY, "variables": {"first": 20, "f": {"province": [code]}}}).encode()
             for code in (provinces * 10)[:10]]
    return [("stats", body) for body in stats] + [("page", body) for body in pages]


def _client_process(base: str, mix: str, provinces: list[str], threads: int, first_index: int, seconds: float,
                    start_at: float, out: Any) -> None:
    """One generator process: ``threads`` clients from ``start_at`` (a shared wall-clock instant)."""
    parts = urlsplit(base)
    fixed = dashboard_requests(provinces) if mix == "dashboard" else None
    latencies: dict[str, list[float]] = {}
    errors: list[str] = []
    lock = threading.Lock()

    def client(index: int) -> None:
        rng = random.Random(f"7:{index}")
        conn = http.client.HTTPConnection(parts.hostname, parts.port, timeout=REQUEST_TIMEOUT_S)
        mine: dict[str, list[float]] = {}
        my_errors: list[str] = []
        while time.time() < start_at:
            time.sleep(0.001)
        deadline = start_at + seconds
        while time.time() < deadline:
            kind, body = rng.choice(fixed) if fixed else mix_request(rng, provinces)
            t = time.perf_counter()
            try:
                conn.request("POST", "/graphql", body, {"Content-Type": "application/json"})
                response = conn.getresponse()
                answer = response.read()
                if response.status != 200 or b'"errors":' in answer:
                    my_errors.append(f"{kind}: HTTP {response.status} {answer[:200]!r}")
                else:
                    mine.setdefault(kind, []).append(time.perf_counter() - t)
            except Exception as exc:  # timeouts, resets: errors, and a new connection
                my_errors.append(f"{kind}: {type(exc).__name__}: {exc}"[:300])
                conn.close()
                conn = http.client.HTTPConnection(parts.hostname, parts.port, timeout=REQUEST_TIMEOUT_S)
        conn.close()
        with lock:
            for k, v in mine.items():
                latencies.setdefault(k, []).extend(v)
            errors.extend(my_errors)

    cpu = os.times()
    workers = [threading.Thread(target=client, args=(first_index + i,), daemon=True) for i in range(threads)]
    for w in workers:
        w.start()
    for w in workers:
        w.join(seconds + REQUEST_TIMEOUT_S + 30)
    used = os.times()
    out.put({"latencies": latencies, "errors": errors,
             "cpu_s": (used.user - cpu.user) + (used.system - cpu.system)})


def run_load(base: str, mix: str, provinces: list[str], clients: int, seconds: float) -> dict[str, Any]:
    """``clients`` clients for ``seconds`` on ``mix``; the figures of the run."""
    processes = min(clients, PROCESSES)
    context = multiprocessing.get_context("spawn")
    queue = context.Queue()
    start_at = time.time() + 3.0 + 0.5 * processes  # spawned interpreters need a moment to import
    shares = [clients // processes + (1 if i < clients % processes else 0) for i in range(processes)]
    procs, first = [], 0
    for share in shares:
        procs.append(context.Process(target=_client_process,
                                     args=(base, mix, provinces, share, first, seconds, start_at, queue)))
        first += share
    for p in procs:
        p.start()
    reports = [queue.get(timeout=seconds + REQUEST_TIMEOUT_S + 120) for _ in procs]
    for p in procs:
        p.join(30)
    latencies: dict[str, list[float]] = {}
    for report in reports:
        for kind, values in report["latencies"].items():
            latencies.setdefault(kind, []).extend(values)
    everything = [x for v in latencies.values() for x in v]
    errors = [e for r in reports for e in r["errors"]]
    cpu_s = sum(r["cpu_s"] for r in reports)
    return {
        "mix": mix, "clients": clients, "processes": processes, "seconds": seconds,
        "requests_ok": len(everything), "errors": len(errors), "error_samples": errors[:5],
        "requests_per_s": round(len(everything) / seconds, 1),
        "p50_ms": ms(pct(everything, 50)) if everything else None,
        "p99_ms": ms(pct(everything, 99)) if everything else None,
        "client_cpu_s": round(cpu_s, 1),
        "client_cpu_share": round(cpu_s / (seconds * (os.cpu_count() or 1)), 3),
        "by_kind": {k: {"n": len(v), "p50_ms": ms(pct(v, 50)), "p99_ms": ms(pct(v, 99))}
                    for k, v in latencies.items() if v},
    }
