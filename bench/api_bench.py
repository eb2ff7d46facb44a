"""Figures 4–6 against one store: stats and pages against raw SQL, and the load runs."""
from __future__ import annotations

import json
import statistics
import time
from typing import Any, Callable

from bench.common import REQUEST_TIMEOUT_S, ms, pct

STATS_QUERY = "{ stats(groupBy: [PROVINCE, STARS]) { key { province { code name fullName } stars } count } }"
STATS_SQL = (  # the counts kept at ingest, read as stats reads them (cube 1: province, stars)
    "SELECT province.code, province.name, province.full_name, stats_count.stars, sum(stats_count.n) "
    "FROM stats_count JOIN province ON province.code = stats_count.province_code "
    "WHERE stats_count.cube = 1 AND NOT stats_count.withdrawn "
    "GROUP BY province.code, province.name, province.full_name, stats_count.stars "
    "ORDER BY province.code, province.name, province.full_name, stats_count.stars"
)
STATS_BY_PRODUCTS_QUERY = ('{ stats(groupBy: [PROVINCE, STARS], filter: {updatedSince: "1970-01-01T00:00:00Z"}) '
                           '{ key { province { code name fullName } stars } count } }')
"""The same buckets, but a filter the counts cannot answer: the GROUP BY over the products."""
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
        from hub.store.engine import make_engine

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
    """4. stats(groupBy: [PROVINCE, STARS]) over HTTP vs reading the kept counts in raw SQL
    through the same driver, and vs the GROUP BY over the products (same HTTP path)."""
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

    def by_products() -> Any:
        r = session.post(base + "/graphql", json={"query": STATS_BY_PRODUCTS_QUERY}, timeout=REQUEST_TIMEOUT_S)
        if not graphql_ok(r):
            raise RuntimeError(f"stats over products failed: {r.status_code} {r.text[:300]}")
        return r.json()

    if by_products()["data"]["stats"] != http()["data"]["stats"]:
        raise RuntimeError("stats from the counts and from the products disagree")
    t_products, t_counts = interleaved(by_products, http, max(5, n // 4))
    p50_products, p50_counts = statistics.median(t_products), statistics.median(t_counts)
    return {"requests": n, "products_counted": api_total, "buckets": len(raw.stats()),
            "http_p50_ms": ms(p50_api), "http_p95_ms": ms(pct(t_api, 95)),
            "raw_sql_p50_ms": ms(p50_raw), "raw_sql_p95_ms": ms(pct(t_raw, 95)),
            "ratio_p50": round(p50_api / p50_raw, 2), "sql": STATS_SQL,
            "group_by_products_p50_ms": ms(p50_products), "counts_p50_ms": ms(p50_counts),
            "aggregate_speedup": round(p50_products / p50_counts, 1)}


AS_OF_DAY = "2023-12-31"
AS_OF_QUERY = ('query($knownAt: DateTime) { stats(groupBy: [PROVINCE, STARS], asOf: "%s", knownAt: $knownAt) '
               '{ key { province { code name fullName } stars } count } }' % AS_OF_DAY)
# The plain GROUP BY over the certificate intervals that the kept counts must beat: each product's
# latest certificate started by the day (as known now), joined to its province.
AS_OF_GROUP_BY_SQL = (
    "SELECT pv.code, pv.name, pv.full_name, c.stars, count(*) FROM certificate c "
    "JOIN province pv ON pv.code = c.province_code WHERE c.retracted_at IS NULL AND c.valid_from <= ? "
    "AND NOT EXISTS (SELECT 1 FROM certificate later WHERE later.product_id = c.product_id "
    "AND later.retracted_at IS NULL AND later.valid_from <= ? AND (later.valid_from > c.valid_from "
    "OR (later.valid_from = c.valid_from AND later.id > c.id))) "
    "AND (c.end_reason IS NULL OR c.end_reason NOT IN ('withdrawn', 'revoked') OR c.ended_on > ?) "
    "GROUP BY pv.code, pv.name, pv.full_name, c.stars ORDER BY pv.code, c.stars")


def bench_as_of(base: str, raw: RawSQL, n: int) -> dict[str, Any]:
    """Issue 22: stats PROVINCE×STARS as of a past day over HTTP (uncached), the same as known at a
    past moment, against the plain GROUP BY over the certificate intervals in raw SQL."""
    import requests

    session = requests.Session()
    moment = raw.query("SELECT min(recorded_at) FROM certificate")[0][0]
    known_at = (moment.isoformat() if hasattr(moment, "isoformat") else str(moment).replace(" ", "T"))

    def ask(variables: dict[str, Any]) -> Callable[[], Any]:
        def post() -> Any:
            r = session.post(base + "/graphql", json={"query": AS_OF_QUERY, "variables": variables},
                             timeout=REQUEST_TIMEOUT_S)
            if not graphql_ok(r):
                raise RuntimeError(f"as-of stats failed: {r.status_code} {r.text[:300]}")
            return r.json()
        return post

    def group_by() -> Any:
        return raw.query(AS_OF_GROUP_BY_SQL, (AS_OF_DAY, AS_OF_DAY, AS_OF_DAY))

    api_total = sum(b["count"] for b in ask({})()["data"]["stats"])
    sql_total = sum(r[-1] for r in group_by())
    if api_total != sql_total:
        raise RuntimeError(f"as-of stats disagree: API {api_total}, GROUP BY over the intervals {sql_total}")
    t_api, t_sql = interleaved(ask({}), group_by, n)
    t_known = [_timed(ask({"knownAt": known_at})) for _ in range(max(5, n // 2))]
    return {"day": AS_OF_DAY, "known_at": known_at, "products_counted": api_total,
            "http_p50_ms": ms(statistics.median(t_api)), "group_by_p50_ms": ms(statistics.median(t_sql)),
            "speedup": round(statistics.median(t_sql) / statistics.median(t_api), 2),
            "known_at_p50_ms": ms(statistics.median(t_known))}


def _timed(call: Callable[[], Any]) -> float:
    start = time.perf_counter()
    call()
    return time.perf_counter() - start


def bench_page(url: str, raw: RawSQL, n: int) -> dict[str, Any]:
    """5. A page of products with producer, province, provenance, in process (TestClient):
    SQL statements per request at several page sizes, and latency vs raw SQL + json.dumps."""
    from sqlalchemy import event
    from starlette.testclient import TestClient

    from hub.server import create_app
    from hub.store.engine import make_engine

    engine = make_engine(url)
    statements: list[str] = []

    @event.listens_for(engine, "before_cursor_execute")
    def count(conn, cursor, statement, parameters, context, executemany):  # type: ignore[no-untyped-def]
        statements.append(statement)

    out: dict[str, Any] = {}
    from hub.api.response_cache import ResponseCache

    uncached = ResponseCache(engine, max_bytes=0)  # the work of a page, not the cache
    try:
        with TestClient(create_app(engine, cache=uncached)) as client:
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
