"""Hostile or broken requests: depth, tokens, aliases, body size, masked internal errors, health."""
from __future__ import annotations

import json
import logging

from sqlalchemy.exc import OperationalError
from starlette.testclient import TestClient

from hub.api import limits, schema as schema_module
from hub.server import create_app
from hub.store.engine import make_engine


def nested(depth: int) -> str:
    inner = "id"
    for level in range(depth):
        inner = f"producer {{ products {{ {inner} }} }}" if level % 2 == 0 else inner
    return "{ products(first: 1) { edges { node { " + inner + " } } } }"


def test_query_depth_is_limited(gql):
    body = gql(nested(limits.MAX_QUERY_DEPTH))
    assert "exceeds maximum operation depth" in body["errors"][0]["message"]
    assert "errors" not in gql("{ products(first: 1) { edges { node { producer { products { province { name } } } } } } }")


def test_token_count_is_limited(gql):
    body = gql("{ provinces { " + "code " * (limits.MAX_QUERY_TOKENS + 1) + "} }")
    assert "more than 2000 tokens" in body["errors"][0]["message"]


def test_limits_hold_for_queries_the_parser_cache_has_seen(gql):
    """Parsed documents are cached (ParserCache): a repeated query is still limited every time."""
    too_deep, too_long = nested(limits.MAX_QUERY_DEPTH), "{ provinces { " + "code " * (limits.MAX_QUERY_TOKENS + 1) + "} }"
    for _ in range(3):
        assert "exceeds maximum operation depth" in gql(too_deep)["errors"][0]["message"]
        assert "more than 2000 tokens" in gql(too_long)["errors"][0]["message"]
        ok = gql("{ provinces { code } }")
        assert "errors" not in ok and ok["data"]["provinces"]


def test_aliases_are_limited(gql):
    query = "{ " + " ".join(f"a{i}: provinces {{ code }}" for i in range(limits.MAX_ALIASES + 1)) + " }"
    body = gql(query)
    assert "aliases found" in body["errors"][0]["message"].lower()
    ok = "{ " + " ".join(f"a{i}: provinces {{ code }}" for i in range(limits.MAX_ALIASES)) + " }"
    assert "errors" not in gql(ok)


def test_rejected_records_page_size_is_limited(gql):
    body = gql('{ rejectedRecords(source: "thai-nguyen-registry", first: 10000) { totalCount } }')
    assert "between 0 and 500" in body["errors"][0]["message"]


def test_internal_errors_are_masked_and_logged(gql, monkeypatch, caplog):
    def broken(*args, **kwargs):
        raise OperationalError("SELECT secret_column FROM secret_table", {}, Exception("disk I/O error"))

    monkeypatch.setattr(schema_module, "compute_stats", broken)
    with caplog.at_level(logging.ERROR):
        body = gql("{ stats(groupBy: [STARS]) { count } }")
    assert body["errors"][0]["message"] == limits.MASKED_MESSAGE
    assert "secret" not in json.dumps(body)
    assert "secret_table" in caplog.text and "Traceback" in caplog.text


def test_client_errors_are_not_masked(gql):
    body = gql('{ rejectedRecords(source: "no-such-source") { totalCount } }')
    assert body["errors"][0]["message"].startswith("Unknown source 'no-such-source'")


def test_request_body_size_is_limited(client):
    big = json.dumps({"query": "{ provinces { code } }", "padding": "x" * limits.MAX_BODY_BYTES})
    response = client.post("/graphql", content=big, headers={"content-type": "application/json"})
    assert response.status_code == 413
    assert "too large" in response.json()["error"]

    def chunks():
        for _ in range(limits.MAX_BODY_BYTES // 10_000 + 2):
            yield b" " * 10_000

    response = client.post("/graphql", content=chunks(), headers={"content-type": "application/json"})
    assert response.status_code == 413
    assert client.post("/graphql", json={"query": "{ provinces { code } }"}).status_code == 200


def test_healthz(client):
    assert client.get("/healthz").json() == {"status": "ok", "database": "ok"}


def test_healthz_reports_a_dead_database_clearly(caplog):
    engine = make_engine("postgresql+psycopg2://postgres@127.0.0.1:1/nowhere")
    with TestClient(create_app(engine)) as client, caplog.at_level(logging.ERROR):
        response = client.get("/healthz")
    assert response.status_code == 503
    assert response.json()["status"] == "unavailable" and response.json()["database"] == "unreachable"
    assert "database unreachable" in caplog.text


def test_graphiql_opens_on_the_national_breakdown(client):
    page = client.get("/graphql", headers={"accept": "text/html"})
    assert page.status_code == 200 and "graphiql" in page.text.lower()
    assert "stats(groupBy: [PROVINCE, STARS])" in page.text
    assert "Welcome to GraphiQL" not in page.text


def test_standard_introspection_passes_the_limits(gql):
    from graphql import get_introspection_query

    query = get_introspection_query(descriptions=True, specified_by_url=True, directive_is_repeatable=True,
                                    schema_description=True, input_value_deprecation=True)
    body = gql(query)
    assert "errors" not in body
    assert any(t["name"] == "StatsBucket" for t in body["data"]["__schema"]["types"])
