"""Conflicts: sources listing one product disagree on a field (kept by hub.ingest.conflicts).

The product shows its owner's value; a conflict lists every source's value, the owner's first,
so people can review it. Public, except values that are personal (hub.api.access.conflict_value_hidden):
a producer's type and tax code, and the address of a producer that may be a person.
"""
from __future__ import annotations

from datetime import datetime
from typing import Any, Iterator, Optional

import strawberry
from sqlalchemy import ColumnElement, exists, func, select
from sqlalchemy.orm import Session

from hub.api.access import conflict_value_hidden
from hub.api.filters import PROVINCE_DOC, resolve_province_filter
from hub.api.nodes import product_nodes, products_with_parents
from hub.api.pagination import Ordering, PageInfo, page_info
from hub.api.types import Product, as_utc
from hub.access.keys import Principal
from hub.ingest.run import resolver_for
from hub.store.models import Producer as ProducerRow
from hub.store.models import Product as ProductRow
from hub.store.models import ProductConflict

ORDERING = Ordering("conflict:id", ProductConflict.id, ProductConflict.id, descending=False)
CONFLICT_FIELDS = ("stars", "group", "producer_type", "tax_code", "address", "commune", "decision_number", "decision_date")
"""The fields sources are compared on (hub.ingest.canonical.CanonicalRecord.facts)."""


@strawberry.input(description="Which conflicts to include. Every field narrows the set (AND); lists match any value.")
class ConflictFilter:
    province: Optional[list[str]] = strawberry.field(default=None, description=PROVINCE_DOC)
    field: Optional[str] = strawberry.field(default=None, description=f"Only this field: {', '.join(CONFLICT_FIELDS)}.")
    source: Optional[list[str]] = strawberry.field(
        default=None, description="Only conflicts in which one of these sources (by name) gives a value.")


@strawberry.type(description="What one source says about the field.")
class ConflictValue:
    source: str = strawberry.field(description="Source name.")
    value: Optional[str] = strawberry.field(description=(
        "Its normalized value; null when personal and the caller may not see the producer's personal data."))


@strawberry.type(description="Sources listing one product disagree on a field; the product shows its owner's value.")
class Conflict:
    product: Product = strawberry.field(description="The product.")
    field: str = strawberry.field(description=f"The field they disagree on: {', '.join(CONFLICT_FIELDS)}.")
    values: list[ConflictValue] = strawberry.field(description=(
        "Every source's value, the owner's first (the one the product shows), then by source name."))
    first_seen_at: datetime = strawberry.field(description="When the disagreement was first seen (UTC).")
    updated_at: datetime = strawberry.field(description="When the values last changed (UTC).")


@strawberry.type(description="A conflict and its cursor.")
class ConflictEdge:
    node: Conflict = strawberry.field(description="The conflict.")
    cursor: str = strawberry.field(description="Opaque position; pass it as `after` to continue.")


@strawberry.type(description="A page of conflicts, oldest first.")
class ConflictConnection:
    edges: list[ConflictEdge] = strawberry.field(description="Conflicts of this page, in the order they were found.")
    page_info: PageInfo = strawberry.field(description="Cursors and whether more pages follow.")
    total_count: int = strawberry.field(description="Conflicts matching the filter, over all pages.")


def _lists_source(names: list[str], dialect: str) -> ColumnElement[bool]:
    """SQL: one of ``names`` gives a value in the conflict's JSON list (no portable JSON search)."""
    if dialect == "postgresql":
        element = func.json_array_elements(ProductConflict.values).table_valued("value").alias("element")
        source = element.c.value.op("->>")("source")
    else:
        element = func.json_each(ProductConflict.values).table_valued("value").alias("element")
        source = func.json_extract(element.c.value, "$.source")
    return exists(select(1).select_from(element).where(source.in_(names)))


def conflict_conditions(session: Session, f: ConflictFilter | None) -> list[ColumnElement[bool]]:
    f = f or ConflictFilter()
    where: list[ColumnElement[bool]] = []
    if f.province is not None:
        codes = resolve_province_filter(f.province, resolver_for(session.get_bind()))
        where.append(ProductConflict.province_code.in_(codes))
    if f.field is not None:
        where.append(ProductConflict.field == f.field)
    if f.source is not None:
        where.append(_lists_source(f.source, session.get_bind().dialect.name))
    return where


def visible_values(principal: Principal | None, conflict: Any,
                   producer_type: str | None) -> list[ConflictValue]:
    """The conflict's values (of a ProductConflict, or a row of its columns) as ``principal`` may
    see them (personal ones null)."""
    hidden = conflict_value_hidden(principal, conflict.field, conflict.province_code, producer_type)
    return [ConflictValue(source=str(v.get("source")),
                          value=None if hidden or v.get("value") is None else str(v["value"]))
            for v in conflict.values or [] if isinstance(v, dict)]


def conflict_page(session: Session, f: ConflictFilter | None, first: int, after: str | None,
                  principal: Principal | None) -> ConflictConnection:
    """A page: one statement for the conflicts with their products, one for the products'
    provenance, one for the total."""
    where = conflict_conditions(session, f)
    paged = where + ([ORDERING.after(after)] if after else [])
    stmt = (products_with_parents(ProductConflict).join(ProductConflict, ProductConflict.product_id == ProductRow.id)
            .where(*paged).order_by(*ORDERING.order_by()).limit(first + 1))
    rows = session.execute(stmt).all()
    page = rows[:first]
    edges = []
    for (_, producer, _, c), node in zip(page, product_nodes(session, page, principal)):
        values = visible_values(principal, c, producer.producer_type if producer else None)
        edges.append(ConflictEdge(node=Conflict(product=node, field=c.field, values=values,
                                                first_seen_at=as_utc(c.first_seen_at), updated_at=as_utc(c.updated_at)),
                                  cursor=ORDERING.cursor(c.id, c.id)))
    total = session.scalar(select(func.count(ProductConflict.id)).where(*where))
    return ConflictConnection(edges=edges, page_info=page_info([e.cursor for e in edges], len(rows) > first, after),
                              total_count=total or 0)


def iter_conflicts(session: Session, f: ConflictFilter | None,
                   principal: Principal | None) -> Iterator[tuple[Any, str, list[ConflictValue]]]:
    """Every matching conflict (a row of the table's columns, no ORM object) with its product's
    name and the values ``principal`` may see, streamed."""
    stmt = (select(*ProductConflict.__table__.c, ProductRow.name.label("product_name"), ProducerRow.producer_type)
            .join(ProductRow, ProductRow.id == ProductConflict.product_id)
            .outerjoin(ProducerRow, ProducerRow.id == ProductRow.producer_id)
            .where(*conflict_conditions(session, f)).order_by(*ORDERING.order_by()))
    for row in session.execute(stmt.execution_options(yield_per=500)):
        yield row, row.product_name, visible_values(principal, row, row.producer_type)
