"""The query budget, the response-size cap and the deadline (hub.api.budget, issue 24 part 2),
and the capped nested lists Producer.products(first:) and Product.history(last:), on SQLite and
PostgreSQL. Live runs on loopback (a heavy query while /healthz is polled) are in
tests/reliability/test_budget_live.py."""
from __future__ import annotations

import time
from datetime import datetime, timedelta, timezone
from types import SimpleNamespace
from typing import Any, Iterator

import pytest
from graphql import get_introspection_query, parse
from sqlalchemy import select
from sqlalchemy.engine import Engine
from starlette.testclient import TestClient

from hub.api import budget, plain_fields
from hub.api.budget import PLANS, query_limits, reload_limits
from hub.api.cached_graphql import MAX_CACHED_QUERY_CHARS
from hub.api.graphiql import EXAMPLE_DOCUMENT
from hub.api.limits import MAX_PAGE_SIZE
from hub.api.query_cost import compile_plan
from hub.api.schema import schema
from hub.access.keys import create_key
from hub.dashboard import queries as dashboard
from hub.dashboard.params import PAGE_SIZE
from hub.store.engine import session_scope
from hub.store.models import ImportBatch, Product, ProductChange, Source
from hub.vocabulary import Role
from tests.api.test_statement_count import counting

ISSUE_QUERY = ("{ products(first: 500) { edges { node { name history { at action before after } producer { name "
               "products { name history { at action } producer { name products { name } } } } } } } }")
PAGE = "query($n: Int) { products(first: $n) { edges { node { name history { at action before after } } } } }"


def cost(query: str, variables: dict[str, Any] | None = None) -> int:
    plan = compile_plan(schema._schema, parse(query), None)
    assert plan is not None
    return plan.evaluate(variables).total


@pytest.fixture
def limits(monkeypatch: pytest.MonkeyPatch) -> Iterator[pytest.MonkeyPatch]:
    """Change HUB_QUERY_*/HUB_MAX_RESPONSE_BYTES for one test; the settings are read again after."""
    yield monkeypatch
    monkeypatch.undo()
    reload_limits()


def set_limits(monkeypatch: pytest.MonkeyPatch, **values: str) -> None:
    for name, value in values.items():
        monkeypatch.setenv(f"HUB_{name.upper()}", value)
    reload_limits()


@pytest.fixture(scope="module")
def ministry(engine: Engine, client: TestClient) -> dict[str, str]:
    return {"Authorization": f"Bearer {create_key(engine, role=Role.MINISTRY, name='Budget')[1]}"}


# --- the budget -------------------------------------------------------------------------------------

def test_the_issues_query_is_refused_before_any_sql_naming_the_field_to_page(engine: Engine, gql) -> None:
    with counting(engine) as statements:
        body = gql(ISSUE_QUERY)
    assert statements == [], "the budget is checked before any SQL runs"
    assert body["data"] is None
    [error] = body["errors"]
    extensions = error["extensions"]
    assert extensions["code"] == "QUERY_TOO_COSTLY"
    assert extensions["budget"] == query_limits(None).budget < extensions["cost"] == cost(ISSUE_QUERY)
    assert extensions["field"] == "products" and extensions["pageSize"] == 500
    fields = [c["field"] for c in extensions["costliestLists"]]
    assert "products.edges.node.producer.products" in fields, fields
    assert "`products` (500 items" in error["message"] and "page with `after`" in error["message"]
    assert f"{extensions['cost']:,}" in error["message"] and f"{extensions['budget']:,}" in error["message"]


def test_the_budget_holds_on_strawberrys_own_path_too(gql) -> None:
    """A document too long for the response cache's path goes to Strawberry's view
    (hub.api.cached_graphql): the same schema, so the same budget."""
    padded = "# " + "x" * (MAX_CACHED_QUERY_CHARS + 10) + "\n" + ISSUE_QUERY
    assert gql(padded)["errors"][0]["extensions"]["code"] == "QUERY_TOO_COSTLY"


def test_nested_lists_multiply_and_page_sizes_count() -> None:
    one = cost("{ products(first: 1) { edges { node { name } } } }")
    assert cost("{ products(first: 100) { edges { node { name } } } }") - 2 == 100 * (one - 2)  # products, edges
    flat = cost("{ producers(first: 10) { edges { node { name } } } }")
    nested = cost("{ producers(first: 10) { edges { node { name products(first: 20) { name } } } } }")
    assert nested - flat == 10 * (1 + 20)  # each producer: the list field, then 20 names
    deeper = cost("{ producers(first: 10) { edges { node { name products(first: 20) { name history(last: 5) "
                  "{ action } } } } } }")
    assert deeper - nested == 10 * 20 * (1 + 5)


@pytest.mark.parametrize("query, variables, expected", [
    ("{ provinces { code } }", {}, 1 + 34),
    ("query { provinces { ...P } } fragment P on Province { code name }", {}, 1 + 34 * 2),
    ("{ provinces { ... on Province { code name } } }", {}, 1 + 34 * 2),
    ("{ stats(groupBy: [PROVINCE, STARS]) { count } }", {}, 1 + 34 * 5),
    ("query($g: [StatsDimension!]!) { stats(groupBy: $g) { count } }", {"g": ["YEAR", "STATUS"]}, 1 + 20 * 3),
    ("{ stats(groupBy: [PROVINCE, LEGACY_PROVINCE, YEAR]) { count } }", {}, 1 + 5_000),  # at most 5,000 buckets
    ("{ __schema { types { name fields { name } } } }", {}, 1_000),
    ('{ rejectedRecords(source: "x") { edges { cursor } } }', {}, 1 + 1 + 500),  # its default page is 500
    ("{ products(first: 100000) { edges { cursor } } }", {}, 1 + 1 + 500),  # page_size refuses it; counted at 500
])
def test_what_lists_count(query: str, variables: dict[str, Any], expected: int) -> None:
    assert cost(query, variables) == expected


def test_a_page_size_from_a_variable_counts_and_the_plan_is_kept(gql) -> None:
    """One plan per document: the variables change the cost, not the cached plan."""
    assert "errors" not in gql(PAGE, {"n": 2})
    kept = len(PLANS)
    refused = gql(PAGE, {"n": 500})
    assert refused["errors"][0]["extensions"]["code"] == "QUERY_TOO_COSTLY"
    assert refused["errors"][0]["extensions"]["cost"] == cost(PAGE, {"n": 500})
    assert "errors" not in gql(PAGE, {"n": 3})
    assert len(PLANS) == kept
    default = PAGE.replace("$n: Int", "$n: Int = 500")
    assert gql(default)["errors"][0]["extensions"]["code"] == "QUERY_TOO_COSTLY"  # the variable's default counts


def test_a_key_has_a_larger_budget(client: TestClient, ministry: dict[str, str], gql) -> None:
    anonymous, keyed = query_limits(None).budget, budget.query_limits(object()).budget  # type: ignore[arg-type]
    assert keyed > anonymous
    query = "{ producers(first: 12) { edges { node { name products(first: 100) { name history { before after } } } } } }"
    assert anonymous < cost(query) <= keyed
    assert gql(query)["errors"][0]["extensions"]["code"] == "QUERY_TOO_COSTLY"
    answer = client.post("/graphql", json={"query": query}, headers=ministry).json()
    assert "errors" not in answer and answer["data"]["producers"]["edges"]


def test_the_budget_is_a_setting(limits: pytest.MonkeyPatch, gql) -> None:
    query = "{ provinces { code name } }"
    assert "errors" not in gql(query)
    set_limits(limits, query_budget_anonymous=str(cost(query) - 1))
    assert gql(query + " ")["errors"][0]["extensions"] == {
        "code": "QUERY_TOO_COSTLY", "cost": cost(query), "budget": cost(query) - 1, "field": "provinces",
        "pageSize": 34, "costliestLists": [{"field": "provinces", "pageSize": 34, "cost": cost(query)}]}


def test_mutations_are_not_budgeted(limits: pytest.MonkeyPatch, client: TestClient, ministry: dict[str, str]) -> None:
    set_limits(limits, query_budget_key="1")
    answer = client.post("/graphql", headers=ministry, json={"query": 'mutation { pushProducts(input: {province: "19", '
                         'dryRun: true, records: [{productName: "Chè thử", stars: 3}]}) { created rejected } }'}).json()
    assert "errors" not in answer, answer


# --- the queries the hub itself writes stay within the anonymous budget ---------------------------------

def dashboard_documents() -> dict[str, tuple[str, dict[str, Any]]]:
    """Every document of hub.dashboard.queries, with the largest variables the dashboard passes."""
    found = {name: (value, {}) for name, value in vars(dashboard).items()
             if isinstance(value, str) and value.lstrip().startswith("query")}
    found["PRODUCT_TABLE"] = (dashboard.PRODUCT_TABLE, {"first": PAGE_SIZE})
    for dimension in dashboard.STATS_FIELDS:
        found[f"stats_document({dimension})"] = (dashboard.stats_document(dimension), {})
    return found


@pytest.mark.parametrize("name", sorted(dashboard_documents()))
def test_the_dashboards_queries_are_within_the_anonymous_budget(name: str) -> None:
    document, variables = dashboard_documents()[name]
    assert cost(document, variables) <= query_limits(None).budget, name


def test_graphiqls_queries_are_within_the_anonymous_budget(gql) -> None:
    for document in (EXAMPLE_DOCUMENT, get_introspection_query(descriptions=True)):
        assert cost(document) <= query_limits(None).budget
        assert "errors" not in gql(document)


# --- the capped nested lists -----------------------------------------------------------------------------

def test_producer_products_takes_first_and_enforces_its_cap(data, gql) -> None:
    query = "query($n: Int) { producer(id: %d) { products(first: $n) { name } } }"
    some = data("{ producers(first: 1, orderBy: NAME) { edges { node { id } } } }")
    producer_id = some["producers"]["edges"][0]["node"]["id"]
    everything = data(query % producer_id, {"n": MAX_PAGE_SIZE})["producer"]["products"]
    assert len(everything) > 3
    assert data(query % producer_id, {"n": 3})["producer"]["products"] == everything[:3]
    assert data(query % producer_id, {"n": 0})["producer"]["products"] == []
    refused = gql(query % producer_id, {"n": MAX_PAGE_SIZE + 1})
    assert f"between 0 and {MAX_PAGE_SIZE}" in refused["errors"][0]["message"]


def test_producer_products_is_capped_in_sql_per_producer(engine: Engine, data) -> None:
    """Each producer of a page gets its own first N (a window), in one statement for them all."""
    query = "{ producers(first: 12) { edges { node { id products(first: 2) { id } } } } }"
    with counting(engine) as statements:
        nodes = [e["node"] for e in data(query)["producers"]["edges"]]
    assert all(len(n["products"]) == 2 for n in nodes)
    assert sum("over (partition by product.producer_id" in s.lower() for s in statements) == 1
    with session_scope(engine) as s:
        for node in nodes:
            ids = s.execute(select(Product.id).where(Product.producer_id == node["id"],
                                                     Product.status.in_(["active", "expired"]))
                            .order_by(Product.name, Product.id).limit(2)).scalars().all()
            assert [p["id"] for p in node["products"]] == ids


@pytest.fixture(scope="module")
def changed(engine: Engine) -> int:
    """A product with seven changes, at days 0..6."""
    at = datetime(2025, 5, 1, tzinfo=timezone.utc)
    with session_scope(engine) as s:
        product = s.execute(select(Product).order_by(Product.id)).scalars().first()
        source = s.get(Source, product.source_id)
        for day in range(7):
            batch = ImportBatch(source_id=source.id, kind="push", status="succeeded", actor=f"day-{day}",
                                started_at=at + timedelta(days=day), finished_at=at + timedelta(days=day))
            s.add(batch)
            s.flush()
            s.add(ProductChange(batch_id=batch.id, product_id=product.id, action="created" if day == 0 else "updated",
                                after={"stars": 3 + day % 3}, at=at + timedelta(days=day)))
        return product.id


def test_history_takes_the_last_changes_oldest_first(changed: int, data, gql) -> None:
    query = "query($n: Int) { product(id: %d) { history(last: $n) { actor action } } }" % changed
    assert [h["actor"] for h in data(query, {})["product"]["history"]] == [f"day-{d}" for d in range(7)]
    assert [h["actor"] for h in data(query, {"n": 3})["product"]["history"]] == ["day-4", "day-5", "day-6"]
    assert data(query, {"n": 0})["product"]["history"] == []
    assert f"between 0 and {MAX_PAGE_SIZE}" in gql(query, {"n": -1})["errors"][0]["message"]


# --- the response-size cap and the deadline --------------------------------------------------------------

def test_an_answer_over_the_size_cap_is_refused_whole(limits: pytest.MonkeyPatch, gql) -> None:
    query = "{ products(first: 100) { edges { node { id name } } } }"
    size = len(__import__("orjson").dumps(gql(query)["data"]))
    set_limits(limits, max_response_bytes=str(size - 1))
    body = gql(query + " ")  # not the cached answer
    assert body["data"] is None
    assert body["errors"][0]["extensions"] == {"code": "RESPONSE_TOO_LARGE", "size": size, "limit": size - 1}
    set_limits(limits, max_response_bytes=str(size))
    assert "errors" not in gql(query + "  ")


def test_a_query_past_its_deadline_is_stopped(limits: pytest.MonkeyPatch, gql) -> None:
    set_limits(limits, query_deadline_s="0.000001")
    body = gql("{ products(first: 50) { edges { node { name commune { name } } } } }")
    assert body["data"] is None
    assert [e["extensions"]["code"] for e in body["errors"]] == ["QUERY_DEADLINE_EXCEEDED"]
    set_limits(limits, query_deadline_s="30")
    assert "errors" not in gql("{ products(first: 50) { edges { node { name commune { name } } } } }")


def test_work_without_an_await_stops_at_the_deadline_too(monkeypatch: pytest.MonkeyPatch, gql) -> None:
    """The execution checks the deadline at every object (hub.api.plain_fields), so a stretch of
    Python work with no await in it, which asyncio's timeout cannot interrupt, ends there too.
    The clock the execution reads jumps past the deadline after a few objects."""
    reads = {"n": 0}

    def clock() -> float:
        reads["n"] += 1
        return time.monotonic() + (3600 if reads["n"] > 3 else 0)

    monkeypatch.setattr(plain_fields, "time", SimpleNamespace(monotonic=clock))
    query = "{ provinces { code legacyPredecessors } }"
    body = gql(query)
    assert reads["n"] > 3 and body["data"] is None
    assert [e["extensions"]["code"] for e in body["errors"]] == ["QUERY_DEADLINE_EXCEEDED"]
    monkeypatch.setattr(plain_fields, "time", time)
    assert "errors" not in gql(query + " ")
