"""Pushes from several provinces plus harvests of the same provinces' registries, all at once, on
PostgreSQL (tests/api/test_push_concurrency.py covers pushes alone, over HTTP): no deadlock (every
thread finishes within a bound), no lost update, every product once, counts exact."""
from __future__ import annotations

import time
from concurrent.futures import ThreadPoolExecutor, wait
from pathlib import Path

import pytest
from sqlalchemy import func, select
from sqlalchemy.engine import Engine
from sqlmodel import Session

from hub.access.keys import Principal
from hub.sources.harvest import harvest_source
from hub.store.models import ImportBatch, Product
from hub.vocabulary import Role
from hub.push.submission import push_records
from hub.registries import SourceSpec
from tests.reliability.corpus import csv_bytes

pytestmark = pytest.mark.postgres
PROVINCES = {"22": "Quảng Ninh", "19": "Thái Nguyên", "24": "Bắc Ninh", "01": "Hà Nội"}
N = 120           # products per province
ROUNDS = 3        # pushes per province, each moving every product's stars
DEADLINE_S = 120


def products_of(code: str, stars: int, lo: int = 0, hi: int = N) -> list[dict]:
    return [{"product_name": f"Sản phẩm {code}-{i:03d}", "producer_name": f"HTX Số {i % 9} {code}",
             "stars": stars, "group": "Thực phẩm", "decision_date": "15/06/2024"} for i in range(lo, hi)]


def registry(code: str) -> bytes:
    header = ["STT", "Tên sản phẩm", "Chủ thể", "Hạng sao", "Nhóm sản phẩm", "Ngày quyết định"]
    # half the products overlap the pushes (same identity), half are the registry's own
    rows = [[str(i), f"Sản phẩm {code}-{i:03d}", f"HTX Số {i % 9} {code}", "3 sao", "Thực phẩm", "15/06/2024"]
            for i in range(N // 2, N + N // 2)]
    return csv_bytes([header, *rows])


def test_pushes_and_harvests_at_once_lose_nothing(store: Engine, tmp_path: Path) -> None:
    if store.dialect.name != "postgresql":
        pytest.skip("PostgreSQL: SQLite writers queue on one lock")
    specs = {}
    for code, name in PROVINCES.items():
        path = tmp_path / f"{code}.csv"
        path.write_bytes(registry(code))
        specs[code] = SourceSpec(name=f"registry-{code}", province=name, kind="csv", location=str(path))
    keys = {code: Principal(key_id=i + 1, name=f"office {code}", role=Role.PROVINCE, province_code=code)
            for i, code in enumerate(PROVINCES)}

    def push_rounds(code: str) -> list:
        out = []
        for stars in range(3, 3 + ROUNDS):  # 3★, then 4★, then 5★: the last push must win
            out.append(push_records(store, keys[code], province=code, records=products_of(code, stars)))
        return out

    def harvest_twice(code: str) -> list:
        return [harvest_source(store, specs[code]) for _ in range(2)]

    started = time.monotonic()
    with ThreadPoolExecutor(max_workers=2 * len(PROVINCES) + 2) as pool:
        futures = [pool.submit(push_rounds, c) for c in PROVINCES] + [pool.submit(harvest_twice, c) for c in PROVINCES]
        done, pending = wait(futures, timeout=DEADLINE_S)
    assert not pending, "a writer is stuck (deadlock?)"
    elapsed = time.monotonic() - started
    summaries = [s for f in futures for s in f.result()]
    assert all(s.status == "succeeded" for s in summaries), [s.error for s in summaries if s.failed]
    print(f"{len(summaries)} batches ({len(PROVINCES)} provinces × ({ROUNDS} pushes + 2 harvests)) in {elapsed:.1f} s")

    with Session(store) as s:
        for code in PROVINCES:
            rows = dict(s.execute(select(Product.name, Product.stars).where(Product.province_code == code)).all())
            assert len(rows) == N + N // 2  # pushed 0..N-1, harvested N/2..3N/2-1: union, each once
            # a push owns what it created or took over; the last push (5★) won wherever it pushed
            assert {rows[f"Sản phẩm {code}-{i:03d}"] for i in range(N)} == {2 + ROUNDS}
            assert {rows[f"Sản phẩm {code}-{i:03d}"] for i in range(N, N + N // 2)} == {3}
        total = s.execute(select(func.count()).select_from(Product)).scalar_one()
        batches = s.execute(select(func.count()).select_from(ImportBatch)).scalar_one()
    assert total == len(PROVINCES) * (N + N // 2)
    assert batches == len(summaries)
    assert sum(s.created for s in summaries) == total  # each product created exactly once
