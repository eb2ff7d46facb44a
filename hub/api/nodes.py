"""Product nodes built whole: each with its producer, province and provenance attached.

Every query that returns products (a page, one product by id, a producer's products) selects
each product joined with its producer and province, then the provenance of all of them in one
more statement. Nothing under a product is left to resolve: awaiting three nested resolvers per
product cost more than the SQL (bench/README.md#profiles).
"""
from __future__ import annotations

from collections import defaultdict
from typing import Any, Sequence

from sqlalchemy import Select, func, select
from sqlalchemy.orm import Session

from hub.api.types import Product, Provenance, Province
from hub.access.keys import Principal
from hub.store.models import ImportBatch, Source, SourceRecord
from hub.store.models import Producer as ProducerRow
from hub.store.models import Product as ProductRow
from hub.store.models import Province as ProvinceRow
from hub.records import LOCATION_KEY


def products_with_parents(*extra: Any, product: Any = ProductRow) -> Select[Any]:
    """SELECT product, producer, province (and ``extra`` columns), outer-joined: a product whose
    registry names no producer is listed too, with a null producer. ``product``: the products'
    table or an alias of it (a page chosen beforehand, hub.api.listing)."""
    return (
        select(product, ProducerRow, ProvinceRow, *extra)
        .outerjoin(ProducerRow, ProducerRow.id == product.producer_id)
        .outerjoin(ProvinceRow, ProvinceRow.code == product.province_code)
    )


def provenance_of(session: Session, product_ids: Sequence[int]) -> dict[int, list[Provenance]]:
    """The source rows of these products, by product, source name and row number. Of each raw row
    only its place in an annex is read (the database extracts the key): whole raw rows would
    weigh on every page for a value most rows lack."""
    found: dict[int, list[Provenance]] = defaultdict(list)
    if not product_ids:
        return found
    stmt = (
        select(SourceRecord.product_id, Source.name.label("source_name"), Source.kind.label("source_kind"),
               SourceRecord.row_number, SourceRecord.present,
               func.coalesce(ImportBatch.finished_at, ImportBatch.started_at).label("last_seen_at"),
               SourceRecord.raw[LOCATION_KEY].as_string().label("location"))
        .join(Source, Source.id == SourceRecord.source_id)
        .join(ImportBatch, ImportBatch.id == SourceRecord.last_batch_id)
        .where(SourceRecord.product_id.in_(product_ids))
        .order_by(SourceRecord.product_id, Source.name, SourceRecord.row_number)
    )
    for row in session.execute(stmt):
        found[row.product_id].append(Provenance.from_row(row))
    return found


def product_nodes(session: Session, rows: Sequence[Any], viewer: Principal | None) -> list[Product]:
    """``rows`` of (product, producer, province, …) as nodes ``viewer`` may see, provenance included."""
    provenance = provenance_of(session, [r[0].id for r in rows])
    for product, *_ in rows:
        for listed in provenance[product.id] if product.field_sources else ():
            listed.gives = sorted(f for f, name in product.field_sources.items() if name == listed.source_name)
    return [
        Product.from_row(product, producer, Province.from_row(province) if province is not None else None,
                         provenance[product.id], viewer)
        for product, producer, province, *_ in rows
    ]
