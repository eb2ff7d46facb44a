"""No N+1: a page of products with producer, province and provenance costs a fixed number of
SQL statements, whatever the page size."""
from __future__ import annotations

from contextlib import contextmanager
from typing import Iterator

import pytest
from sqlalchemy import event

PAGE = """query($n: Int!) { products(first: $n, filter: {status: [ACTIVE, EXPIRED, WITHDRAWN]}) {
  totalCount
  edges { node {
    id name stars
    producer { id name producerType }
    province { code name }
    provenance { sourceName sourceKind rowNumber lastSeenAt present }
  } }
  pageInfo { hasNextPage endCursor }
} }"""


@contextmanager
def counting(engine) -> Iterator[list[str]]:
    statements: list[str] = []

    def record(conn, cursor, statement, parameters, context, executemany) -> None:
        if statement.split(" ", 1)[0].upper() not in ("BEGIN", "COMMIT", "ROLLBACK"):
            statements.append(statement)  # transaction control (SQLite's explicit BEGIN) is not a query

    event.listen(engine, "before_cursor_execute", record)
    try:
        yield statements
    finally:
        event.remove(engine, "before_cursor_execute", record)


def count_for(engine, gql, query: str, variables: dict) -> int:
    with counting(engine) as statements:
        body = gql(query, variables)
    assert not body.get("errors"), body
    return len(statements)


@pytest.mark.parametrize("sizes", [(5, 100)])
def test_product_page_statement_count_is_constant(engine, gql, sizes):
    counts = {n: count_for(engine, gql, PAGE, {"n": n}) for n in sizes}
    print(f"statements per products page by page size: {counts}")
    assert len(set(counts.values())) == 1, counts
    assert counts[sizes[0]] <= 4  # page (with producer and province joined) + provenance + totalCount


def test_nested_producer_products_and_province_counts_are_batched(engine, gql):
    query = """query($n: Int!) { producers(first: $n) { edges { node {
        name province { code legacyPredecessors productCount } commune { name } products { id name }
    } } } }"""
    counts = {n: count_for(engine, gql, query, {"n": n}) for n in (2, 12)}
    print(f"statements per producers page by page size: {counts}")
    # one statement per kind (page, provinces, legacy names, counts, communes, products and their
    # provenance: products are built whole, hub.api.nodes), never per row; a small page may need one
    # fewer (no producer in it has a commune)
    assert counts[2] <= counts[12] <= 7, counts


def test_product_warnings_are_one_statement_for_the_page(engine, gql):
    query = """query($n: Int!) { products(first: $n) { edges { node {
        id producer { id } warnings { code field message rawValue } } } } }"""
    counts = {n: count_for(engine, gql, query, {"n": n}) for n in (5, 100)}
    print(f"statements per products page with warnings by page size: {counts}")
    assert len(set(counts.values())) == 1 and counts[5] <= 3, counts  # page, provenance, warnings
