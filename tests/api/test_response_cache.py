"""The response cache and ETags (hub/api/cached_graphql.py, hub/api/conditional.py) over a real
store: an answer is reused only while the data version and the day are the same, a write is
visible to the very next request, callers never share answers, and GET downloads revalidate."""
from __future__ import annotations

import asyncio
from typing import Any

import psycopg2
import pytest
from sqlalchemy import text
from starlette.testclient import TestClient

from hub.server import create_app
from hub.api.response_cache import ResponseCache, cache_for
from hub.store.data_version import AsyncVersionReader, read_version
from hub.store.engine import session_scope
from hub.store.models import Province
from hub.access.keys import create_key
from hub.vocabulary import Role

COUNT = "{ stats(groupBy: []) { count } }"
PHONES = "{ producers(first: 50) { edges { node { name phone } } } }"


def push(client: TestClient, token: str, name: str, phone: str = "0912 000 111") -> None:
    mutation = """mutation($input: PushProductsInput!) { pushProducts(input: $input) { created } }"""
    record = {"productName": name, "producerName": "Hộ kinh doanh Lê Văn Tám", "producerType": "household",
              "stars": 4, "group": "Thực phẩm", "year": 2025, "phone": phone}
    body = client.post("/graphql", json={"query": mutation, "variables": {"input": {"province": "22", "records": [record]}}},
                       headers={"Authorization": f"Bearer {token}"}).json()
    assert body["data"]["pushProducts"]["created"] == 1, body


@pytest.fixture
def app_client(store) -> Any:
    with TestClient(create_app(store)) as client:
        yield client


@pytest.fixture
def province_token(store) -> str:
    return create_key(store, role=Role.PROVINCE, name="Sở NN Quảng Ninh", province_code="22")[1]


def count(client: TestClient, **headers: str) -> int:
    return client.post("/graphql", json={"query": COUNT}, headers=headers).json()["data"]["stats"][0]["count"]


def test_a_push_is_visible_to_the_very_next_request(store, app_client, province_token) -> None:
    cache = cache_for(store)
    assert count(app_client) == 0
    hits = cache.stats.hits
    assert count(app_client) == 0
    assert cache.stats.hits == hits + 1  # the same question, the same version: answered from the cache
    push(app_client, province_token, "Chả mực Hạ Long")
    assert count(app_client) == 1  # the next request: a new version, so a new answer
    push(app_client, province_token, "Sá sùng Vân Đồn")
    assert count(app_client) == 2
    ministry = create_key(store, role=Role.MINISTRY, name="Vận hành")[1]
    detail = app_client.get("/healthz?detail=1", headers={"Authorization": f"Bearer {ministry}"}).json()
    assert detail["cache"]["hits"] >= 1 and 0 < detail["cache"]["hit_rate"] < 1
    assert app_client.get("/healthz").json() == {"status": "ok", "database": "ok"}


def test_get_queries_carry_an_etag_and_revalidate_with_304(store, app_client, province_token, monkeypatch) -> None:
    first = app_client.get("/graphql", params={"query": COUNT}, headers={"Accept": "application/json"})
    assert first.status_code == 200 and first.json() == {"data": {"stats": [{"count": 0}]}}
    etag = first.headers["etag"]
    assert first.headers["cache-control"] == "no-cache"
    again = app_client.get("/graphql", params={"query": COUNT}, headers={"If-None-Match": etag})
    assert again.status_code == 304 and again.content == b"" and again.headers["etag"] == etag
    other_query = app_client.get("/graphql", params={"query": "{ stats(groupBy: [STARS]) { count } }"},
                                 headers={"If-None-Match": etag})
    assert other_query.status_code == 200 and other_query.headers["etag"] != etag

    push(app_client, province_token, "Chả mực Hạ Long")
    changed = app_client.get("/graphql", params={"query": COUNT}, headers={"If-None-Match": etag})
    assert changed.status_code == 200 and changed.json()["data"]["stats"][0]["count"] == 1
    assert changed.headers["etag"] != etag

    monkeypatch.setenv("HUB_TODAY", "2099-01-01")  # the day changes: statuses may have, so the ETag does
    next_day = app_client.get("/graphql", params={"query": COUNT}, headers={"If-None-Match": changed.headers["etag"]})
    assert next_day.status_code == 200 and next_day.headers["etag"] != changed.headers["etag"]


def test_callers_never_share_answers(store, app_client, province_token) -> None:
    push(app_client, province_token, "Chả mực Hạ Long", phone="0912 345 678")
    keyed = app_client.post("/graphql", json={"query": PHONES}, headers={"Authorization": f"Bearer {province_token}"})
    assert keyed.json()["data"]["producers"]["edges"][0]["node"]["phone"] == "0912 345 678"
    anonymous = app_client.post("/graphql", json={"query": PHONES})
    assert anonymous.json()["data"]["producers"]["edges"][0]["node"]["phone"] is None
    assert keyed.headers["etag"] != anonymous.headers["etag"]
    again = app_client.get("/graphql", params={"query": PHONES}, headers={"If-None-Match": keyed.headers["etag"]})
    assert again.status_code == 200 and "0912" not in again.text  # an anonymous GET cannot revalidate a key's answer


def test_mutations_errors_and_graphiql_are_never_cached(store, app_client) -> None:
    cache = cache_for(store)
    stored = cache.stats.stored
    bad = app_client.post("/graphql", json={"query": '{ products(filter: {province: ["Atlantis"]}) { totalCount } }'})
    assert bad.json()["errors"] and "etag" not in bad.headers
    assert app_client.get("/graphql", headers={"Accept": "text/html"}).text.lstrip().startswith("<!")
    refused = app_client.get("/graphql", params={"query": 'mutation { revertBatch(batchId: 1) { batchId } }'},
                             headers={"Accept": "application/json"})
    assert refused.status_code in (400, 405) and "etag" not in refused.headers
    assert cache.stats.stored == stored


def test_exports_carry_an_etag_and_revalidate_with_304(store, app_client, province_token) -> None:
    push(app_client, province_token, "Chả mực Hạ Long")
    first = app_client.get("/export/products.csv?province=22")
    assert first.status_code == 200 and "Chả mực Hạ Long" in first.text
    etag = first.headers["etag"]
    assert app_client.get("/export/products.csv?province=22", headers={"If-None-Match": etag}).status_code == 304
    assert app_client.get("/export/products.csv?province=24", headers={"If-None-Match": etag}).status_code == 200
    push(app_client, province_token, "Sá sùng Vân Đồn")
    after = app_client.get("/export/products.csv?province=22", headers={"If-None-Match": etag})
    assert after.status_code == 200 and "Sá sùng Vân Đồn" in after.text


def test_a_cache_of_zero_bytes_keeps_etags_and_stores_nothing(store, monkeypatch) -> None:
    from hub.api.response_cache import ResponseCache
    monkeypatch.setenv("HUB_RESPONSE_CACHE_MB", "0")
    cache = ResponseCache(store)
    assert not cache.enabled
    cache.put("k", "1.20261201", b"{}")
    assert cache.get("k", "1.20261201") is None and cache.snapshot()["entries"] == 0
    cache.close()


def _postgres_only(store) -> None:
    if store.dialect.name != "postgresql":
        pytest.skip("PostgreSQL's reader: SQLite reads the version on the loop, synchronously")


def test_the_asynchronous_reader_sees_every_commit_and_survives_a_dropped_connection(store) -> None:
    _postgres_only(store)
    reader = AsyncVersionReader(store)
    try:
        first = asyncio.run(reader.read())
        assert first == read_version(store)
        with session_scope(store) as session:  # any committed write bumps the version
            session.add(Province(code="99", name="Thử", full_name="Tỉnh Thử", search_key="thu"))
        assert asyncio.run(reader.read()) == first + 1
        pid = asyncio.run(_backend_pid(reader))
        with store.connect() as conn:
            assert conn.execute(text("SELECT pg_terminate_backend(:pid)"), {"pid": pid}).scalar()
        with pytest.raises(psycopg2.Error):
            asyncio.run(reader.read())  # the dropped connection is reported, then forgotten
        assert asyncio.run(reader.read()) == first + 1  # on a fresh connection
        assert asyncio.run(_backend_pid(reader)) != pid
    finally:
        reader.close()


async def _backend_pid(reader: AsyncVersionReader) -> int:
    await reader.read()  # connected
    return int(reader._conn.get_backend_pid())


def test_concurrent_requests_share_version_reads(store) -> None:
    _postgres_only(store)
    cache = ResponseCache(store, max_bytes=0)
    reads = 0
    original = cache.versions.read

    async def counted() -> int:
        nonlocal reads
        reads += 1
        return await original()

    cache.versions.read = counted  # type: ignore[method-assign]

    async def many() -> set[str]:
        return set(await asyncio.gather(*(cache.version() for _ in range(200))))

    try:
        versions = asyncio.run(many())
    finally:
        cache.close()
    assert len(versions) == 1 and versions.pop().startswith(f"{read_version(store)}.")
    assert 1 <= reads <= 2  # the first read, and the one the others share
