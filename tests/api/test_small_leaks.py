"""Smaller leaks closed (issue 24): a failed batch's raw error, /healthz details, keyed responses
kept by a browser or proxy. On SQLite and PostgreSQL."""
from __future__ import annotations

import logging
from typing import Any, Iterator

import pytest
from sqlalchemy import text
from sqlalchemy.engine import Engine
from starlette.testclient import TestClient

from hub.server import create_app
from hub.access.keys import create_key
from hub.ingest import ingest_rows
from hub.vocabulary import Role
from hub.records import RawRow
from hub.registries.fetch import FetchError

LAST_ERROR = "{ coverage { province { code } sources { name lastError } } }"
SECRET = "Xóm Kín số 11"


def row() -> RawRow:
    values = {"product_name": "Chả mực", "producer_name": "HTX Hạ Long", "stars": "4", "group": "Thực phẩm"}
    return RawRow(2, values, raw=dict(values))


@pytest.fixture
def client(store: Engine) -> Iterator[TestClient]:
    with TestClient(create_app(store)) as client:
        yield client


@pytest.fixture
def keys(store: Engine) -> dict[str, dict[str, str]]:
    tokens = {"province": create_key(store, role=Role.PROVINCE, name="Sở NN Quảng Ninh", province_code="22")[1],
              "ministry": create_key(store, role=Role.MINISTRY, name="Văn phòng OCOP")[1]}
    return {"anonymous": {}, **{who: {"Authorization": f"Bearer {t}"} for who, t in tokens.items()}}


def last_errors(client: TestClient, headers: dict[str, str]) -> dict[str, Any]:
    data = client.post("/graphql", json={"query": LAST_ERROR}, headers=headers).json()["data"]["coverage"]
    return {s["name"]: s["lastError"] for p in data if p["province"]["code"] == "22" for s in p["sources"]}


def test_a_database_error_is_stored_as_a_plain_message_and_logged_whole(store: Engine, client: TestClient,
                                                                         keys: dict[str, dict[str, str]],
                                                                         caplog: pytest.LogCaptureFixture) -> None:
    def fail(session: Any, summary: Any) -> None:
        session.execute(text("SELECT secret FROM no_such_table WHERE address = :address"), {"address": SECRET})

    with caplog.at_level(logging.ERROR, logger="hub.ingest.run"):
        summary = ingest_rows(store, source_name="qn-push", source_kind="push", province="Quảng Ninh", rows=[row()],
                              before_commit=fail)
    assert summary.status == "failed"
    assert SECRET in caplog.text and "no_such_table" in caplog.text  # the operator's log keeps it whole
    shown = last_errors(client, keys["ministry"])["qn-push"]
    assert shown == summary.error and shown.endswith("nothing was applied (details in the server log)")
    assert SECRET not in shown and "no_such_table" not in shown and "SELECT" not in shown


def test_a_registry_error_keeps_its_message_for_people(store: Engine, client: TestClient,
                                                       keys: dict[str, dict[str, str]]) -> None:
    def unreachable() -> str:
        raise FetchError("https://qn.example.vn/ocop.xlsx: timed out after 3 attempts")

    summary = ingest_rows(store, source_name="qn-registry", source_kind="xlsx", province="Quảng Ninh", rows=[row()],
                          fingerprint=unreachable)
    assert summary.error == "FetchError: https://qn.example.vn/ocop.xlsx: timed out after 3 attempts"
    assert last_errors(client, keys["province"])["qn-registry"] == summary.error
    assert last_errors(client, keys["anonymous"])["qn-registry"] is None


@pytest.mark.parametrize("query", ["?detail=1", "?detail=", "?detail"])
def test_healthz_details_are_for_the_ministry_key_only(client: TestClient, keys: dict[str, dict[str, str]],
                                                       query: str) -> None:
    for who in ("anonymous", "province"):
        answer = client.get(f"/healthz{query}", headers=keys[who])
        assert answer.status_code == 200 and answer.json() == {"status": "ok", "database": "ok"}, who
    detail = client.get(f"/healthz{query}", headers=keys["ministry"]).json()
    assert {"worker", "cache", "heap_frozen_objects"} <= set(detail)


@pytest.mark.parametrize(("method", "path"), [
    ("POST", "/graphql"), ("GET", "/graphql?query={provinces{code}}"), ("GET", "/export/products.csv"),
    ("GET", "/export/conflicts.csv"), ("GET", "/healthz"), ("GET", "/"),
])
def test_keyed_responses_are_never_stored_and_anonymous_ones_revalidate(
        client: TestClient, keys: dict[str, dict[str, str]], method: str, path: str) -> None:
    body = {"json": {"query": "{ provinces { code } }"}} if method == "POST" else {}
    for who in ("province", "ministry"):
        answer = client.request(method, path, headers={"Accept": "application/json", **keys[who]}, **body)
        assert answer.status_code == 200, answer.text
        assert answer.headers.get_list("cache-control") == ["private, no-store"], who
    anonymous = client.request(method, path, headers={"Accept": "application/json"}, **body)
    assert "no-store" not in anonymous.headers.get("cache-control", "")
