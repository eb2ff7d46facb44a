"""Managing sources over HTTP (a real ``ocop-hub serve``), SQLite and PostgreSQL: the ministry's
`sources` query and disable/enable/remove mutations, FORBIDDEN for anyone else, and coverage's
health of a disabled source and of one that never succeeded."""
from __future__ import annotations

from pathlib import Path
from typing import Any, Iterator

import pytest
import requests
from sqlalchemy import func, select
from sqlmodel import Session

from hub.access.keys import create_key
from hub.store.engine import make_engine
from hub.ingest import ingest_rows
from hub.store.models import ImportBatch, Product, ProductChange
from hub.vocabulary import Role
from hub.records import RawRow
from hub.registries import FetchError
from tests.api.live import LiveServer

TIMEOUT = 30
SOURCES = "query($all: Boolean!) { sources(includeRemoved: $all) { name kind enabled disabledAt removedAt presentRows soleProducts lastBatch { kind status error } } }"
DISABLE = "mutation($n: String!) { disableSource(name: $n) { name enabled disabledAt } }"
ENABLE = "mutation($n: String!) { enableSource(name: $n) { name enabled disabledAt } }"
REMOVE = """mutation($n: String!, $w: Boolean!) { removeSource(name: $n, withdrawProducts: $w) {
    batchId rowsUnlisted productsWithdrawn source { name enabled removedAt } } }"""
COVERAGE = """{ coverage { province { code } stale sources { name stale health disabledAt lastError
    latestBatch { status } } } }"""


def row(number: int, name: str) -> RawRow:
    return RawRow(row_number=number, values={"product_name": name, "producer_name": "HTX Hải Yến",
                                             "stars": "4 sao", "group": "Thực phẩm"})


def unreachable() -> Iterator[RawRow]:
    raise FetchError("/srv/registries/qn-broken.csv: file not found")
    yield  # a generator: the error comes when the ingest reads it


@pytest.fixture
def hub(store_url: str, tmp_path: Path) -> Iterator[dict[str, Any]]:
    """Quảng Ninh with qn-a (products A and B), qn-b (B again), qn-broken (never succeeded) and its
    push channel; keys for the ministry and for Quảng Ninh; a live server."""
    engine = make_engine(store_url)
    ingest_rows(engine, source_name="qn-a", source_kind="csv", province="Quảng Ninh",
                rows=[row(2, "Dầu lạc Hải Yến"), row(3, "Chả mực Hạ Long")])
    ingest_rows(engine, source_name="qn-b", source_kind="csv", province="Quảng Ninh", rows=[row(2, "Chả mực Hạ Long")])
    assert ingest_rows(engine, source_name="qn-broken", source_kind="csv", province="Quảng Ninh",
                       rows=unreachable()).status == "failed"
    ingest_rows(engine, source_name="push-22", source_kind="push", province="Quảng Ninh", rows=[row(1, "Nước mắm Cái Rồng")],
                replace_all=False)
    _, ministry = create_key(engine, role=Role.MINISTRY, name="Bộ NN&MT")
    _, province = create_key(engine, role=Role.PROVINCE, name="Sở NN Quảng Ninh", province_code="22")
    with LiveServer(store_url, tmp_path / "server.log") as server:
        yield {"url": server.url, "engine": engine, "ministry": ministry, "province": province}
    engine.dispose()


def gql(hub: dict[str, Any], query: str, token: str | None = None, **variables: Any) -> dict[str, Any]:
    headers = {"Authorization": f"Bearer {hub[token]}"} if token else {}
    response = requests.post(f"{hub['url']}/graphql", json={"query": query, "variables": variables},
                             headers=headers, timeout=TIMEOUT)
    assert response.status_code == 200, response.text
    return response.json()


def data(hub: dict[str, Any], query: str, token: str | None = "ministry", **variables: Any) -> Any:
    body = gql(hub, query, token, **variables)
    assert not body.get("errors"), body["errors"]
    return body["data"]


def code(body: dict[str, Any]) -> str:
    return body["errors"][0]["extensions"]["code"]


@pytest.mark.parametrize("token", [None, "province"])
def test_only_the_ministry_manages_sources(hub: dict[str, Any], token: str | None) -> None:
    assert code(gql(hub, SOURCES, token, all=False)) == "FORBIDDEN"
    assert code(gql(hub, DISABLE, token, n="qn-a")) == "FORBIDDEN"
    assert code(gql(hub, ENABLE, token, n="qn-a")) == "FORBIDDEN"
    assert code(gql(hub, REMOVE, token, n="qn-broken", w=True)) == "FORBIDDEN"
    sources = {s["name"]: s for s in data(hub, SOURCES, all=True)["sources"]}
    assert all(s["enabled"] and s["removedAt"] is None for s in sources.values())  # nothing changed


def test_the_ministry_lists_disables_enables_and_removes(hub: dict[str, Any]) -> None:
    sources = {s["name"]: s for s in data(hub, SOURCES, all=False)["sources"]}
    assert set(sources) == {"qn-a", "qn-b", "qn-broken", "push-22"}
    assert (sources["qn-a"]["presentRows"], sources["qn-a"]["soleProducts"]) == (2, 1)  # B is qn-b's too
    assert (sources["qn-b"]["presentRows"], sources["qn-b"]["soleProducts"]) == (1, 0)
    assert sources["qn-broken"]["lastBatch"] == {"kind": "harvest", "status": "failed",
                                                 "error": "FetchError: /srv/registries/qn-broken.csv: file not found"}

    disabled = data(hub, DISABLE, n="qn-a")["disableSource"]
    assert disabled["enabled"] is False and disabled["disabledAt"]
    qn_a = next(s for c in data(hub, COVERAGE)["coverage"] for s in c["sources"] if s["name"] == "qn-a")
    assert (qn_a["health"], qn_a["stale"], qn_a["disabledAt"]) == ("DISABLED", False, disabled["disabledAt"])
    assert data(hub, ENABLE, n="qn-a")["enableSource"] == {"name": "qn-a", "enabled": True, "disabledAt": None}

    refused = gql(hub, REMOVE, "ministry", n="qn-a", w=False)
    assert code(refused) == "SOURCE_IN_USE" and "alone lists 1 product" in refused["errors"][0]["message"]
    assert code(gql(hub, REMOVE, "ministry", n="push-22", w=True)) == "PUSH_CHANNEL"
    assert code(gql(hub, DISABLE, "ministry", n="nope")) == "NOT_FOUND"

    removal = data(hub, REMOVE, n="qn-a", w=True)["removeSource"]
    assert (removal["rowsUnlisted"], removal["productsWithdrawn"]) == (2, 1)
    assert removal["source"]["name"] == "qn-a" and removal["source"]["removedAt"] and not removal["source"]["enabled"]
    assert "qn-a" not in {s["name"] for s in data(hub, SOURCES, all=False)["sources"]}
    assert "qn-a" in {s["name"] for s in data(hub, SOURCES, all=True)["sources"]}
    assert "qn-a" not in {s["name"] for c in data(hub, COVERAGE)["coverage"] for s in c["sources"]}
    assert code(gql(hub, REMOVE, "ministry", n="qn-a", w=True)) == "SOURCE_REMOVED"
    with Session(hub["engine"]) as session:
        batch = session.get(ImportBatch, removal["batchId"])
        assert (batch.kind, batch.actor.startswith("key:"), batch.status, batch.withdrawn) == (
            "removal", True, "succeeded", 1)
        actions = sorted(session.scalars(select(ProductChange.action).where(ProductChange.batch_id == batch.id)))
        assert actions == ["unlisted", "withdrawn"]
        statuses = dict(session.execute(select(Product.name, Product.status)).all())
        assert statuses["Dầu lạc Hải Yến"] == "withdrawn" and statuses["Chả mực Hạ Long"] == "active"

    assert data(hub, REMOVE, n="qn-broken", w=False)["removeSource"]["rowsUnlisted"] == 0  # nothing depends on it


def test_coverage_says_never_succeeded_and_why_to_those_who_may_know(hub: dict[str, Any]) -> None:
    def broken(token: str | None) -> dict[str, Any]:
        coverage = data(hub, COVERAGE, token)["coverage"]
        return next(s for c in coverage for s in c["sources"] if s["name"] == "qn-broken")

    ministry = broken("ministry")
    assert (ministry["health"], ministry["stale"], ministry["latestBatch"]) == (
        "NEVER_SUCCEEDED", False, {"status": "failed"})
    assert ministry["lastError"] == "FetchError: /srv/registries/qn-broken.csv: file not found"
    assert broken("province")["lastError"] == ministry["lastError"]
    assert broken(None)["lastError"] is None and broken(None)["health"] == "NEVER_SUCCEEDED"
    with Session(hub["engine"]) as session:  # the failure left no product and no row behind
        assert session.execute(select(func.count()).select_from(Product)).scalar_one() == 3
