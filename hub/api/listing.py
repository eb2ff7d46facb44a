"""The paged lists: products and producers, filtered, ordered, keyset-paginated.

A page of products is one statement joining each product's producer and province, plus one for
provenance and one for totalCount, whatever the page size (hub.api.nodes).
"""
from __future__ import annotations

from dataclasses import replace
from typing import Any

from sqlalchemy import ColumnElement, func, select
from sqlalchemy.orm import Session, aliased
from sqlalchemy.sql.util import ClauseAdapter

from hub.api.access import shown_name_sql
from hub.api.context import Context
from hub.access.keys import Principal
from hub.api.enums import OrderDirection, ProducerOrderField, ProductOrderField
from hub.ingest.run import resolver_for
from hub.units.resolver import UnitResolver
from hub.api.filters import ProducerFilter, ProductFilter, producer_conditions, product_conditions
from hub.api.nodes import product_nodes, products_with_parents
from hub.api.pagination import Ordering, page_info
from hub.normalize.fold import search_key
from hub.store.text_search import MIN_TRIGRAM_KEY
from hub.api.types import (Producer, ProducerConnection, ProducerEdge, Product, ProductConnection,
                           ProductEdge)
from hub.store.models import Producer as ProducerRow
from hub.store.models import Product as ProductRow

PRODUCT_KEYS = {
    ProductOrderField.NAME: ProductRow.name,
    ProductOrderField.STARS: ProductRow.stars,
    ProductOrderField.CERTIFIED_YEAR: func.coalesce(ProductRow.certified_year, 0),
    ProductOrderField.YEAR: func.coalesce(ProductRow.certified_year, 0),  # deprecated: CERTIFIED_YEAR
    ProductOrderField.UPDATED_AT: ProductRow.updated_at,
}
PRODUCER_KEYS = {
    ProducerOrderField.NAME: ProducerRow.name,
    ProducerOrderField.UPDATED_AT: ProducerRow.updated_at,
}


def product_ordering(field: ProductOrderField, direction: OrderDirection) -> Ordering:
    return Ordering(f"product:{field.value}:{direction.value}", PRODUCT_KEYS[field], ProductRow.id,
                    direction is OrderDirection.DESC)


def producer_ordering(field: ProducerOrderField, direction: OrderDirection,
                      principal: Principal | None = None) -> Ordering:
    """By name means by the name the caller sees: hidden household names sort (and page) as the
    neutral label, so neither the order nor a cursor gives a hidden name away."""
    key = shown_name_sql(principal) if field is ProducerOrderField.NAME else PRODUCER_KEYS[field]
    return Ordering(f"producer:{field.value}:{direction.value}", key, ProducerRow.id,
                    direction is OrderDirection.DESC)


def _resolver(ctx: Context, filter: ProductFilter | ProducerFilter | None) -> UnitResolver | None:
    """The store's unit resolver when the filter names provinces (built on first use: three
    statements, which a page that filters by none never pays)."""
    names = (getattr(filter, "province", None), getattr(filter, "legacy_province", None),
             getattr(getattr(filter, "has_product", None), "province", None),
             getattr(getattr(filter, "has_product", None), "legacy_province", None))
    return resolver_for(ctx.engine) if any(names) else None


def _search_first(ctx: Context, filter: ProductFilter | None) -> bool:
    """On PostgreSQL, a page of a search finds its matches by index first, then sorts them,
    rather than walk the order's index hoping to meet matches early: matching names cluster
    ("Mật ong …" all sort together), and for "mat ong" at 200,000 products that walk read 98,000
    rows for 21 (EXPLAIN ANALYZE: 70 ms, 9 ms by the trigram index). The bench's 15 search words
    through the API, in process: 40.9 → 23.6 ms on average, though dense words pay ("tra", 32,000
    matches: 9 → 63 ms). Shorter keys have no trigram index to find them by."""
    key = search_key(filter.search) if filter is not None and filter.search is not None else ""
    return ctx.engine.dialect.name == "postgresql" and len(key) >= MIN_TRIGRAM_KEY


def _searched_page(paged: list[Any], ordering: Ordering, first: int) -> Any:
    """The page's products chosen first, from the products alone (matches found by index, then
    the first ``first + 1`` of them in order), then joined to their producers and provinces: the
    sort holds product rows only, and the joins are made for one page."""
    chosen = (select(ProductRow).where(*paged).order_by(*ordering.order_by(index_free=True))
              .limit(first + 1).subquery("page"))
    adapt = ClauseAdapter(chosen).traverse
    page = aliased(ProductRow, chosen)
    order = [adapt(clause) for clause in ordering.order_by()]
    return products_with_parents(adapt(ordering.key.expression).label("sort_key"), product=page).order_by(*order)


def count_products(where: list[Any]) -> Any:
    return lambda session: session.scalar(select(func.count(ProductRow.id)).where(*where))


async def product_page(ctx: Context, filter: ProductFilter | None, ordering: Ordering, first: int,
                       after: str | None) -> ProductConnection:
    where = product_conditions(filter, ctx.principal, _resolver(ctx, filter))
    paged = where + ([ordering.after(after)] if after else [])
    if _search_first(ctx, filter):
        stmt = _searched_page(paged, ordering, first)
    else:
        stmt = products_with_parents(ordering.key.label("sort_key")).where(*paged) \
            .order_by(*ordering.order_by()).limit(first + 1)

    def fetch(session: Session) -> tuple[list[Product], list[Any], bool]:
        rows = list(session.execute(stmt).all())
        page = rows[:first]
        return product_nodes(session, page, ctx.principal), [r.sort_key for r in page], len(rows) > first

    nodes, keys, has_next = await ctx.db(fetch)
    edges = [ProductEdge(node=node, cursor=ordering.cursor(key, node.id)) for node, key in zip(nodes, keys)]
    return ProductConnection(edges=edges, page_info=page_info([e.cursor for e in edges], has_next, after),
                             counter=count_products(where))


async def producer_page(ctx: Context, filter: ProducerFilter | None, ordering: Ordering, first: int,
                        after: str | None, held: ColumnElement[bool] | None = None) -> ProducerConnection:
    """One page of producers; ``held``: only those (as_of_listing.producers_holding), whose
    ``hasProduct`` it has judged on that day's certificates already."""
    if held is not None and filter is not None:
        filter = replace(filter, has_product=None)
    where = producer_conditions(filter, ctx.principal, _resolver(ctx, filter)) + ([held] if held is not None else [])
    paged = where + ([ordering.after(after)] if after else [])
    stmt = (select(ProducerRow, ordering.key.label("sort_key")).where(*paged)
            .order_by(*ordering.order_by()).limit(first + 1))

    def fetch(session: Session) -> list[Any]:
        return list(session.execute(stmt).all())

    rows = await ctx.db(fetch)
    has_next = len(rows) > first
    edges = [ProducerEdge(node=Producer.from_row(p, ctx.principal), cursor=ordering.cursor(key, p.id)) for p, key in rows[:first]]
    return ProducerConnection(
        edges=edges, page_info=page_info([e.cursor for e in edges], has_next, after),
        counter=lambda session: session.scalar(select(func.count(ProducerRow.id)).where(*where)),
    )
