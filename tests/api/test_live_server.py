"""A real `ocop-hub serve` (uvicorn) on loopback, driven by a real GraphQL client and plain HTTP.

The `gql` client fetches the schema by introspection, runs the standard introspection query and
the GraphiQL page's example queries; the CSV/Parquet exports are downloaded over HTTP. Once per
backend (SQLite; PostgreSQL when reachable), one server per module.
"""
from __future__ import annotations

import csv
import io
import re

import pyarrow.parquet as pq
import pytest
import requests
from gql import Client, gql
from gql.transport.requests import RequestsHTTPTransport
from graphql import GraphQLError, build_client_schema, get_introspection_query

from hub.api.graphiql import ASSET_FILES, ASSETS_PATH, EXAMPLE_DOCUMENT
from hub.access.keys import create_key
from hub.store.engine import make_engine
from hub.vocabulary import Role
from tests.api.live import (PRODUCERS, PRODUCTS, PROVINCE_NAMES, REJECTED, LiveServer, expected_stats,  # noqa: F401
                            live_server, live_store_url)

TIMEOUT = 15


@pytest.fixture(scope="module")
def client(live_server: LiveServer) -> Client:
    transport = RequestsHTTPTransport(url=f"{live_server.url}/graphql", timeout=TIMEOUT, retries=0)
    return Client(transport=transport, fetch_schema_from_transport=True, execute_timeout=TIMEOUT)


def run(client: Client, document: str, **variables: object) -> dict:
    request = gql(document)
    request.variable_values = variables or None
    with client as session:
        return session.execute(request)


def test_healthz(live_server: LiveServer, live_store_url: str) -> None:
    response = requests.get(f"{live_server.url}/healthz", timeout=TIMEOUT)
    assert response.status_code == 200
    assert response.json() == {"status": "ok", "database": "ok"}
    engine = make_engine(live_store_url)
    token = create_key(engine, role=Role.MINISTRY, name="Vận hành")[1]
    engine.dispose()
    detail = requests.get(f"{live_server.url}/healthz?detail=1", headers={"Authorization": f"Bearer {token}"},
                          timeout=TIMEOUT).json()
    assert detail["heap_frozen_objects"] > 10_000  # `ocop-hub serve` settled its heap at startup


def test_graphiql_page_loads_its_assets_from_the_hub(live_server: LiveServer) -> None:
    page = requests.get(f"{live_server.url}/graphql", headers={"Accept": "text/html"}, timeout=TIMEOUT)
    assert page.status_code == 200 and "text/html" in page.headers["content-type"]
    assert "unpkg.com" not in page.text and "NationalBreakdown" in page.text
    policy = page.headers["content-security-policy"]  # no other site may frame it; only its own script runs
    assert "frame-ancestors 'none'" in policy and "script-src 'self' 'sha256-" in policy
    assert "unsafe-inline" not in policy.split("script-src", 1)[1].split(";", 1)[0]
    assert page.headers["x-frame-options"] == "DENY"
    for name in ASSET_FILES:
        assert f'"{ASSETS_PATH}/{name}"' in page.text
        asset = requests.get(f"{live_server.url}{ASSETS_PATH}/{name}", timeout=TIMEOUT)
        assert asset.status_code == 200, name
        assert len(asset.content) > 500, name
        assert asset.headers["content-type"].split(";")[0] == ("text/css" if name.endswith(".css") else "text/javascript")
    bundle = requests.get(f"{live_server.url}{ASSETS_PATH}/graphiql.min.js", timeout=TIMEOUT).text
    assert "window.GraphiQL" in bundle and "createFetcher" in bundle  # the globals the page's script uses
    assert requests.get(f"{live_server.url}{ASSETS_PATH}/missing.js", timeout=TIMEOUT).status_code == 404


def test_standard_introspection_query(client: Client) -> None:
    result = run(client, get_introspection_query(descriptions=True))
    schema = build_client_schema(result)
    query = schema.query_type
    assert query is not None
    assert {"products", "producers", "product", "producer", "provinces", "stats", "coverage",
            "rejectedRecords"} <= set(query.fields)
    assert list(schema.get_type("StatsDimension").values) == [  # type: ignore[union-attr]
        "PROVINCE", "LEGACY_PROVINCE", "STARS", "GROUP", "PRODUCER_TYPE", "CERTIFIED_YEAR", "YEAR", "STATUS"]
    assert schema.get_type("StatsDimension").values["YEAR"].deprecation_reason  # type: ignore[union-attr]
    assert query.fields["stats"].description
    # fetch_schema_from_transport: the client validates documents against the server's schema
    assert client.schema is not None and client.schema.get_type("ProductConnection") is not None
    with pytest.raises(GraphQLError, match="bogusField"):
        run(client, "{ stats(groupBy: [PROVINCE]) { count bogusField } }")


def test_example_document_of_the_graphiql_page(client: Client) -> None:
    buckets = run(client, EXAMPLE_DOCUMENT)["stats"]
    got = {(b["key"]["province"]["code"], b["key"]["stars"]): b["count"] for b in buckets}
    assert got == expected_stats()  # withdrawn products are not counted
    names = {b["key"]["province"]["code"]: b["key"]["province"]["name"] for b in buckets}
    assert names == PROVINCE_NAMES


PRODUCTS_PAGE = """
query Page($filter: ProductFilter, $first: Int, $after: String) {
  products(filter: $filter, first: $first, after: $after, orderBy: NAME) {
    totalCount
    pageInfo { hasNextPage endCursor }
    edges { node {
      name stars status certifiedYear decisionNumber
      producer { name producerType province { code name } }
      province { code name }
      provenance { sourceName sourceKind rowNumber present }
    } }
  }
}
"""


def test_products_pages_with_producer_province_and_provenance(client: Client) -> None:
    visible = [p for p in PRODUCTS if p.status != "withdrawn"]
    first = run(client, PRODUCTS_PAGE, first=4)["products"]
    assert first["totalCount"] == len(visible) and first["pageInfo"]["hasNextPage"]
    rest = run(client, PRODUCTS_PAGE, first=50, after=first["pageInfo"]["endCursor"])["products"]
    assert not rest["pageInfo"]["hasNextPage"]
    nodes = [e["node"] for e in first["edges"] + rest["edges"]]
    assert sorted(n["name"] for n in nodes) == sorted(p.name for p in visible)
    by_name = {n["name"]: n for n in nodes}
    cha_muc = by_name["Chả mực Hạ Long"]
    assert cha_muc["stars"] == 5 and cha_muc["status"] == "ACTIVE" and cha_muc["certifiedYear"] == 2021
    assert cha_muc["producer"] == {"name": PRODUCERS[1][0], "producerType": "ENTERPRISE",
                                   "province": {"code": "22", "name": "Quảng Ninh"}}
    assert cha_muc["province"] == {"code": "22", "name": "Quảng Ninh"}
    assert cha_muc["provenance"] == [{"sourceName": "quang-ninh-push", "sourceKind": "push",
                                      "rowNumber": PRODUCTS.index(next(p for p in PRODUCTS if p.name == "Chả mực Hạ Long")) + 2,
                                      "present": True}]
    assert by_name["Chè hoa vàng Đồng Hỷ"]["provenance"][0]["sourceName"] == "thai-nguyen-registry"


@pytest.mark.parametrize("search, expected", [
    ("che hoa vang", ["Chè hoa vàng Đồng Hỷ"]),        # without diacritics
    ("Chả mực", ["Chả mực Hạ Long"]),                   # with them
    ("hai san ha long", ["Chả mực Hạ Long", "Rượu ba kích Quảng Ninh"]),  # the producer's name
])
def test_search(client: Client, search: str, expected: list[str]) -> None:
    page = run(client, PRODUCTS_PAGE, filter={"search": search}, first=20)["products"]
    assert sorted(e["node"]["name"] for e in page["edges"]) == sorted(expected)


def test_withdrawn_products_stay_queryable_by_status(client: Client) -> None:
    page = run(client, PRODUCTS_PAGE, filter={"status": ["WITHDRAWN"]}, first=20)["products"]
    assert [e["node"]["name"] for e in page["edges"]] == ["Miến dong Bình Liêu"]


def _csv(response: requests.Response) -> list[dict[str, str]]:
    assert response.status_code == 200, response.text
    assert response.headers["content-type"].startswith("text/csv")
    assert response.content.startswith(b"\xef\xbb\xbf")  # UTF-8 BOM for Excel
    return list(csv.DictReader(io.StringIO(response.content.decode("utf-8-sig"))))


def test_products_csv_over_http(live_server: LiveServer) -> None:
    rows = _csv(requests.get(f"{live_server.url}/export/products.csv", timeout=TIMEOUT))
    visible = [p for p in PRODUCTS if p.status != "withdrawn"]
    assert len(rows) == len(visible)
    names = {r["name"] for r in rows}
    assert "Chè hoa vàng Đồng Hỷ" in names and "Miến dong Bình Liêu" not in names
    assert "'=HYPERLINK(\"http://x\") Mật ong" in names  # formula neutralised
    assert not any("phone" in k or "email" in k for k in rows[0])  # no personal data
    only_22 = _csv(requests.get(f"{live_server.url}/export/products.csv", params={"province": "22", "stars": "5"},
                                timeout=TIMEOUT))
    assert [(r["name"], r["province_name"], r["producer_name"]) for r in only_22] == [
        ("Chả mực Hạ Long", "Quảng Ninh", PRODUCERS[1][0])]


def test_products_parquet_over_http(live_server: LiveServer) -> None:
    response = requests.get(f"{live_server.url}/export/products.parquet", params={"group": "BEVERAGE"}, timeout=TIMEOUT)
    assert response.status_code == 200 and response.content[:4] == b"PAR1"
    table = pq.read_table(io.BytesIO(response.content))
    beverages = [p for p in PRODUCTS if p.group == "BEVERAGE" and p.status != "withdrawn"]
    assert table.num_rows == len(beverages)
    assert sorted(table.column("name").to_pylist()) == sorted(p.name for p in beverages)
    assert set(table.column("province_name").to_pylist()) == {"Thái Nguyên"}


def test_rejected_csv_over_http(live_server: LiveServer) -> None:
    rows = _csv(requests.get(f"{live_server.url}/export/rejected.csv", params={"source": "thai-nguyen-registry"},
                             timeout=TIMEOUT))
    assert [(int(r["row_number"]), r["error_codes"]) for r in rows] == [(row, code) for row, code, _ in REJECTED]
    assert "'sáu' is not a star rating" in rows[0]["errors"]
    bad = requests.get(f"{live_server.url}/export/products.csv", params={"stars": "9"}, timeout=TIMEOUT)
    assert bad.status_code == 400 and "stars" in bad.json()["error"]


def test_access_log_shows_the_requests(live_server: LiveServer) -> None:
    requests.get(f"{live_server.url}/healthz", timeout=TIMEOUT)
    assert re.search(r'"GET /healthz HTTP/1\.1" 200', live_server.log())


# Where GraphiQL's assets come from (no server needed): HUB_GRAPHIQL_ASSETS, dagster-webserver, CDN.

@pytest.fixture
def page_app(tmp_path, monkeypatch):
    """A function building the app (fresh, so it locates the assets again) and its test client."""
    from starlette.testclient import TestClient

    from hub.api import graphiql
    from hub.server import create_app
    from hub.store.engine import make_engine

    monkeypatch.setattr(graphiql, "_warned", False)
    engine = make_engine(f"sqlite:///{tmp_path / 'empty.sqlite3'}")
    yield lambda: TestClient(create_app(engine))
    engine.dispose()


def _page(client) -> str:
    response = client.get("/graphql", headers={"Accept": "text/html"})
    assert response.status_code == 200
    return response.text


def test_assets_from_the_env_override(page_app, tmp_path, monkeypatch) -> None:
    import shutil

    from hub.api.graphiql import ASSETS_ENV, dagster_webserver_assets, locate_assets

    shipped = dagster_webserver_assets()
    assert shipped is not None and shipped.name == "graphiql"  # found without importing dagster
    folder = tmp_path / "assets"
    shutil.copytree(shipped, folder)
    (folder / "graphiql.min.css").write_text("/* ours */", encoding="utf-8")
    monkeypatch.setenv(ASSETS_ENV, str(folder))
    assert locate_assets() == folder
    client = page_app()
    assert "unpkg.com" not in _page(client)
    assert client.get(f"{ASSETS_PATH}/graphiql.min.css").text == "/* ours */"


def test_incomplete_override_falls_back_to_dagster_webserver(page_app, tmp_path, monkeypatch, caplog) -> None:
    from hub.api.graphiql import ASSETS_ENV, dagster_webserver_assets, locate_assets

    (tmp_path / "react.production.min.js").write_text("//", encoding="utf-8")
    monkeypatch.setenv(ASSETS_ENV, str(tmp_path))
    assert locate_assets() == dagster_webserver_assets()
    assert ASSETS_ENV in caplog.text


def test_without_assets_the_page_uses_the_cdn_and_warns_once(page_app, monkeypatch, caplog) -> None:
    from hub.api import graphiql

    monkeypatch.delenv(graphiql.ASSETS_ENV, raising=False)
    monkeypatch.setattr(graphiql.importlib.util, "find_spec", lambda name: None)
    client = page_app()
    page = _page(client)
    assert "https://unpkg.com/graphiql@3" in page and "NationalBreakdown" in page
    assert client.get(f"{ASSETS_PATH}/graphiql.min.js").status_code == 404
    page_app()
    assert caplog.text.count("GraphiQL assets not found") == 1


def test_the_rewrite_refuses_assets_it_does_not_serve() -> None:
    from hub.api.graphiql import localize

    with pytest.raises(RuntimeError, match="left-pad"):
        localize('<script src="https://unpkg.com/left-pad@1.3.0/index.js"></script>', ASSETS_PATH)
