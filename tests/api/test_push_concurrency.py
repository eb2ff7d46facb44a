"""Several provinces (and the ministry) push overlapping batches at the same time, through the API,
on real PostgreSQL connections: afterwards every product exists exactly once and the counts of
the import summaries add up exactly."""
from __future__ import annotations

import threading
from concurrent.futures import ThreadPoolExecutor
from typing import Any

import pytest
from sqlalchemy import func, select
from sqlalchemy.engine import Engine
from sqlmodel import Session
from starlette.testclient import TestClient

from hub.server import create_app
from hub.access.keys import create_key
from hub.store.models import Product, Province
from hub.vocabulary import Role

pytestmark = pytest.mark.postgres

PUSH = """mutation($input: PushProductsInput!) { pushProducts(input: $input) {
    status created updated unchanged withdrawn rejected rowsRead } }"""
PER_PROVINCE = 150
WINDOW, STEP = 50, 20          # batches [0,50) [20,70) … [100,150): each product in up to 3 batches
WRITERS_PER_PROVINCE = 2       # two connections of the same office, racing on the same windows


def record(province: str, i: int) -> dict[str, Any]:
    return {"productName": f"Sản phẩm {province}-{i:03d}", "producerName": f"HTX Nông nghiệp số {i % 17} tỉnh {province}",
            "stars": 3 + i % 3, "group": "Thực phẩm", "decisionDate": "15/06/2024"}


def windows(province: str) -> list[list[dict[str, Any]]]:
    return [[record(province, i) for i in range(start, min(start + WINDOW, PER_PROVINCE))]
            for start in range(0, PER_PROVINCE - WINDOW + 1, STEP)]


def test_concurrent_pushes_lose_and_duplicate_nothing(store_url: str, store: Engine) -> None:
    if not store_url.startswith("postgresql"):
        pytest.skip("concurrency is tested on PostgreSQL")
    with Session(store) as s:
        codes = list(s.execute(select(Province.code).order_by(Province.code).limit(4)).scalars())
    tokens = {code: create_key(store, role=Role.PROVINCE, name=f"Sở NN {code}", province_code=code)[1] for code in codes}
    ministry = create_key(store, role=Role.MINISTRY, name="Văn phòng OCOP")[1]

    # (token, province, batches): each writer has its own client (its own app and event loop thread)
    plan: list[tuple[str, str, list[list[dict[str, Any]]]]] = []
    for code in codes:
        for writer in range(WRITERS_PER_PROVINCE):
            batches = windows(code)
            plan.append((tokens[code], code, batches if writer == 0 else batches[::-1]))
        plan.append((ministry, code, [[record(code, i) for i in range(60, 90)]]))
    start = threading.Barrier(len(plan))

    def run(token: str, province: str, batches: list[list[dict[str, Any]]]) -> list[dict[str, Any]]:
        out = []
        with TestClient(create_app(store)) as client:
            start.wait(timeout=60)
            for records in batches:
                response = client.post("/graphql", headers={"Authorization": f"Bearer {token}"},
                                       json={"query": PUSH, "variables": {"input": {"province": province, "records": records}}})
                assert response.status_code == 200, response.text
                body = response.json()
                assert not body.get("errors"), body["errors"]
                out.append(body["data"]["pushProducts"])
        return out

    with ThreadPoolExecutor(max_workers=len(plan)) as pool:
        results = [s for f in [pool.submit(run, *p) for p in plan] for s in f.result()]

    sent = sum(len(batch) for _, _, batches in plan for batch in batches)
    assert all(r["status"] == "succeeded" for r in results), results
    assert sum(r["rejected"] for r in results) == 0
    assert sum(r["rowsRead"] for r in results) == sent
    total = len(codes) * PER_PROVINCE
    # every product created exactly once, every other sighting unchanged, nothing withdrawn
    assert sum(r["created"] for r in results) == total
    assert sum(r["unchanged"] for r in results) == sent - total
    assert sum(r["updated"] for r in results) == 0 and sum(r["withdrawn"] for r in results) == 0
    with Session(store) as s:
        assert s.execute(select(func.count(Product.id))).scalar_one() == total
        assert s.execute(select(func.count(func.distinct(Product.name)))).scalar_one() == total
        per_province = dict(s.execute(select(Product.province_code, func.count(Product.id))
                                      .group_by(Product.province_code)).all())
    assert per_province == {code: PER_PROVINCE for code in codes}
    with TestClient(create_app(store)) as client:
        body = client.post("/graphql", json={"query": "{ stats(groupBy: [PROVINCE]) { key { province { code } } count } "
                                                      "importBatches(kind: \"push\") { totalCount } }"}).json()["data"]
    assert {b["key"]["province"]["code"]: b["count"] for b in body["stats"]} == per_province
    assert body["importBatches"]["totalCount"] == len(results)
