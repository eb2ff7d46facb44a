"""Counts at any date at national scale, in the store (no HTTP): the kept running totals
(hub/store/as_of_counts.py) against the GROUP BY over the certificate intervals, on synthetic
certificates (N products in 34 provinces, decisions spread over 2018–2026, one in ten re-rated,
3% gone from their registry). Also the time the recount adds when every province is recounted.

    .venv/bin/python -m bench.as_of_bench --products 200000 --results bench/results/as_of.json
"""
from __future__ import annotations

import argparse
import json
import random
import statistics
import tempfile
import time
from datetime import date, timedelta
from pathlib import Path

from sqlalchemy import insert, select, text

from hub.store.certificates import last_day_in_force
from hub.store.engine import make_engine, session_scope
from hub.store.aggregates import recount
from hub.store.as_of_counts import counts_on, recount_as_of
from hub.store.models import Certificate, Product, Province, Source
from hub.units.reference import load_reference
from hub.store.schema import upgrade
from bench.api_bench import AS_OF_GROUP_BY_SQL

DAY = date(2023, 12, 31)


def build(url: str, n: int, seed: int) -> None:
    """A store with ``n`` products and their certificates, written directly (no ingest)."""
    engine = make_engine(url)
    upgrade(engine)
    with session_scope(engine) as s:
        load_reference(s)
    draw = random.Random(seed)
    with session_scope(engine) as s:
        provinces = list(s.scalars(select(Province.code)))
        source_id = s.execute(insert(Source).values(name="bench", kind="csv", province_text="")
                              .returning(Source.id)).scalar_one()
        products, certificates = [], []
        for pid in range(1, n + 1):
            province, stars = draw.choice(provinces), draw.choice((3, 3, 3, 4, 4, 5))
            decided = date(2018, 1, 1) + timedelta(days=draw.randrange(3200))
            products.append(dict(id=pid, identity_key=f"k{pid}", name=f"p{pid}", name_normalized=f"p{pid}",
                                 search_key=f"p{pid}", stars=stars, source_id=source_id, province_code=province,
                                 content_hash="x", decision_date=decided))
            rows = [(decided, stars)]
            if draw.random() < 0.1:  # re-rated by a later decision
                rows.append((decided + timedelta(days=draw.randrange(200, 900)), min(stars + 1, 5)))
            for i, (start, rating) in enumerate(rows):
                ended = rows[i + 1][0] if i + 1 < len(rows) else None
                reason = "superseded" if ended else None
                if ended is None and draw.random() < 0.03:
                    ended, reason = start + timedelta(days=draw.randrange(30, 1500)), "withdrawn"
                certificates.append(dict(product_id=pid, stars=rating, decision_date=start, valid_from=start,
                                         valid_to=last_day_in_force(start, None, start), ended_on=ended,
                                         end_reason=reason, province_code=province, source_id=source_id))
        s.execute(text("DELETE FROM stats_dirty"))  # recounted below, timed
        s.execute(insert(Product), products)
        s.execute(insert(Certificate), certificates)
        s.execute(text("DELETE FROM stats_dirty"))


def timed(call, repeat: int) -> float:
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        call()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--products", type=int, default=200_000)
    parser.add_argument("--seed", type=int, default=2026)
    parser.add_argument("--repeat", type=int, default=21)
    parser.add_argument("--results", type=Path, default=Path("bench/results/as_of.json"))
    args = parser.parse_args()
    folder = Path(tempfile.mkdtemp(prefix="as-of-bench-"))
    url = f"sqlite:///{folder / 'store.db'}"
    build(url, args.products, args.seed)
    engine = make_engine(url)
    with session_scope(engine) as s:
        codes = list(s.scalars(select(Province.code)))
        start = time.perf_counter()
        recount_as_of(s, codes)
        as_of_recount_s = time.perf_counter() - start
        start = time.perf_counter()
        recount(s, codes)  # every kept count, the as-of ones included
        recount_s = time.perf_counter() - start
    with engine.connect() as conn, session_scope(engine) as s:
        raw = conn.connection.driver_connection
        kept = {(r[0], r[3]): 0 for r in counts_on(s, DAY, ["active", "expired"])}
        for r in counts_on(s, DAY, ["active", "expired"]):
            kept[(r[0], r[3])] += r[5]
        grouped = {(r[0], r[3]): r[4] for r in raw.execute(AS_OF_GROUP_BY_SQL, (DAY, DAY, DAY))}
        assert kept == grouped, "the kept counts and the GROUP BY disagree"
        t_kept = timed(lambda: counts_on(s, DAY, ["active", "expired"]), args.repeat)
        t_group = timed(lambda: raw.execute(AS_OF_GROUP_BY_SQL, (DAY, DAY, DAY)).fetchall(), max(5, args.repeat // 4))
        rows = s.execute(text("SELECT count(*) FROM as_of_count")).scalar_one()
    result = {"products": args.products, "day": DAY.isoformat(), "as_of_count_rows": rows,
              "kept_p50_ms": round(t_kept * 1000, 2), "group_by_p50_ms": round(t_group * 1000, 2),
              "speedup": round(t_group / t_kept, 1), "as_of_recount_all_s": round(as_of_recount_s, 2),
              "recount_all_s": round(recount_s, 2), "products_counted": sum(kept.values())}
    args.results.parent.mkdir(parents=True, exist_ok=True)
    args.results.write_text(json.dumps(result, indent=2) + "\n", encoding="utf-8")
    print(json.dumps(result, indent=2))


if __name__ == "__main__":
    main()
