"""``products(asOf, knownAt)``: a page of products as they were on a day, as the hub knew them at
a moment (hub.store.as_of): each shows the certificate it held then (stars, decision, group,
year, status that day); a product not yet certified that day is not listed. ``producers(asOf,
knownAt)``: the producers of such products."""
from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy import ColumnElement, func, select
from sqlalchemy.orm import Session

from hub.api.context import Context
from hub.api.enums import ProductGroup, ProductStatus, from_db
from hub.api.filters import ProductFilter, held_conditions
from hub.api.nodes import product_nodes, products_with_parents
from hub.api.pagination import Ordering, page_info
from hub.api.types import ProductConnection, ProductEdge
from hub.store.certificates import current_date
from hub.store.as_of import as_of_moment, certificates_on
from hub.ingest.run import resolver_for
from hub.store.models import Producer as ProducerRow
from hub.store.models import Product as ProductRow


def producers_holding(ctx: Context, filter: ProductFilter | None, as_of: date | None,
                      known_at: datetime | None) -> ColumnElement[bool]:
    """``producers(asOf, knownAt)``: the producers with a product certified that day, as known at
    that moment, matching ``filter`` (``hasProduct``; by default ACTIVE or EXPIRED that day)."""
    held = certificates_on(*as_of_moment(as_of, known_at, current_date()))
    holding = select(ProductRow.producer_id).join(held, held.c.product_id == ProductRow.id) \
        .where(*held_conditions(held, filter, ctx.principal, resolver_for(ctx.engine)))
    return ProducerRow.id.in_(holding)


async def as_of_product_page(ctx: Context, filter: ProductFilter | None, ordering: Ordering, first: int,
                             after: str | None, as_of: date | None, known_at: datetime | None) -> ProductConnection:
    """One page in ``ordering`` (its keys are the products' as they are now)."""
    held = certificates_on(*as_of_moment(as_of, known_at, current_date()))
    where = held_conditions(held, filter, ctx.principal, resolver_for(ctx.engine))
    paged = where + ([ordering.after(after)] if after else [])
    stmt = (products_with_parents(ordering.key.label("sort_key"), *held.c)
            .join(held, held.c.product_id == ProductRow.id).where(*paged)
            .order_by(*ordering.order_by()).limit(first + 1))

    def fetch(session: Session) -> tuple[list[Any], list[Any], bool]:
        rows = list(session.execute(stmt).all())
        page = rows[:first]
        nodes = product_nodes(session, page, ctx.principal)
        for node, row in zip(nodes, page):
            that_day = row._mapping
            node.stars, node.proposed_five_star = that_day[held.c.stars], bool(that_day[held.c.proposed_five_star])
            node.group = from_db(ProductGroup, that_day[held.c.group_code])
            node.certified_year, node.decision_date = that_day[held.c.certified_year], that_day[held.c.decision_date]
            node.decision_number = that_day[held.c.decision_number]
            node.expiry_date, node.status = that_day[held.c.valid_to], from_db(ProductStatus, that_day[held.c.status])
            node.legacy_province = that_day[held.c.legacy_province]
        return nodes, [r.sort_key for r in page], len(rows) > first

    nodes, keys, has_next = await ctx.db(fetch)
    edges = [ProductEdge(node=node, cursor=ordering.cursor(key, node.id)) for node, key in zip(nodes, keys)]
    counted = select(func.count(held.c.product_id)).select_from(held) \
        .join(ProductRow, ProductRow.id == held.c.product_id)
    return ProductConnection(edges=edges, page_info=page_info([e.cursor for e in edges], has_next, after),
                             counter=lambda session: session.scalar(counted.where(*where)))
