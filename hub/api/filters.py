"""ProductFilter / ProducerFilter → SQLAlchemy WHERE clauses.

The one code path for products, producers, stats, coverage counts and the exports: whatever a
client filters on, every view of the data counts the same rows.
"""
from __future__ import annotations

from datetime import datetime, timezone
from typing import Optional

import strawberry
from sqlalchemy import ColumnElement, select, true

from hub.api.access import name_searchable_sql
from hub.api.errors import ClientError
from hub.api.enums import ProducerType, ProductGroup, ProductStatus
from hub.auth import Principal
from hub.models import Producer, Product, Source, SourceRecord
from hub.normalize.fold import search_key

DEFAULT_STATUSES = (ProductStatus.ACTIVE, ProductStatus.EXPIRED)


@strawberry.input(description=(
    "Which products to include. Every field narrows the set (AND); list fields match any of "
    "their values (OR). Without `status`, withdrawn products are left out."
))
class ProductFilter:
    province: Optional[list[str]] = strawberry.field(
        default=None, description="Current province codes (two digits, e.g. \"19\").")
    legacy_province: Optional[list[str]] = strawberry.field(
        default=None, description="Pre-reform province names exactly as the registry wrote them.")
    stars: Optional[list[int]] = strawberry.field(default=None, description="Star ratings (1–5).")
    group: Optional[list[ProductGroup]] = strawberry.field(default=None, description="Product groups.")
    producer_type: Optional[list[ProducerType]] = strawberry.field(default=None, description="Producer kinds.")
    status: Optional[list[ProductStatus]] = strawberry.field(
        default=None, description="Certificate statuses; default ACTIVE and EXPIRED (not WITHDRAWN).")
    year_from: Optional[int] = strawberry.field(default=None, description="Certified in this year or later.")
    year_to: Optional[int] = strawberry.field(default=None, description="Certified in this year or earlier.")
    source: Optional[list[str]] = strawberry.field(
        default=None, description="Names of sources the product came from (any of them).")
    search: Optional[str] = strawberry.field(default=None, description=(
        "Words in the product or producer name, with or without diacritics: "
        "\"che hoa vang\" finds \"Chè hoa vàng\", \"dak\" finds \"Đắk\"."))
    updated_since: Optional[datetime] = strawberry.field(
        default=None, description="Changed in the hub at or after this instant (incremental sync).")


@strawberry.input(description="Which producers to include. Every field narrows the set (AND).")
class ProducerFilter:
    province: Optional[list[str]] = strawberry.field(default=None, description="Current province codes.")
    producer_type: Optional[list[ProducerType]] = strawberry.field(default=None, description="Producer kinds.")
    search: Optional[str] = strawberry.field(
        default=None, description="Words in the producer name, with or without diacritics.")
    updated_since: Optional[datetime] = strawberry.field(
        default=None, description="Changed in the hub at or after this instant (incremental sync).")
    has_product: Optional[ProductFilter] = strawberry.field(default=None, description=(
        "Only producers with at least one product matching this product filter "
        "(e.g. {stars: [5]}, or {legacyProvince: [\"Bắc Kạn\"]})."))


def to_store_time(value: datetime) -> datetime:
    """The store's columns take aware instants: a naive one is read as UTC."""
    if value.utcoffset() is None:
        return value.replace(tzinfo=timezone.utc)
    return value.astimezone(timezone.utc)


MAX_SEARCH_CHARS = 200


def like_pattern(text: str) -> str:
    """A LIKE pattern matching the folded text anywhere; '_' survives folding, so it is escaped."""
    if len(text) > MAX_SEARCH_CHARS:
        raise ClientError(f"search text is {len(text)} characters long; at most {MAX_SEARCH_CHARS}")
    key = search_key(text).replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return f"%{key}%"


def product_conditions(f: ProductFilter | None, principal: Principal | None = None) -> list[ColumnElement[bool]]:
    """WHERE clauses for a product filter; producer and source criteria are id subqueries, so no
    join is ever needed and the caller may join whatever it selects.

    ``principal`` is the caller (None: anonymous): a search matches a household producer's name
    only for callers allowed to see it (hub.api.access)."""
    f = f or ProductFilter()
    statuses = f.status if f.status is not None else DEFAULT_STATUSES
    where: list[ColumnElement[bool]] = [Product.status.in_([s.value for s in statuses])]
    if f.province is not None:
        where.append(Product.province_code.in_(f.province))
    if f.legacy_province is not None:
        where.append(Product.legacy_province.in_(f.legacy_province))
    if f.stars is not None:
        where.append(Product.stars.in_(f.stars))
    if f.group is not None:
        where.append(Product.group_code.in_([g.value for g in f.group]))
    if f.year_from is not None:
        where.append(Product.certified_year >= f.year_from)
    if f.year_to is not None:
        where.append(Product.certified_year <= f.year_to)
    if f.producer_type is not None:
        types = [t.value for t in f.producer_type]
        where.append(Product.producer_id.in_(select(Producer.id).where(Producer.producer_type.in_(types))))
    if f.source is not None:
        sourced = select(SourceRecord.product_id).join(Source, Source.id == SourceRecord.source_id)
        where.append(Product.id.in_(sourced.where(Source.name.in_(f.source))))
    if f.search is not None and search_key(f.search):
        pattern = like_pattern(f.search)
        by_producer = select(Producer.id).where(Producer.search_key.like(pattern, escape="\\"),
                                                name_searchable_sql(principal))
        where.append(Product.search_key.like(pattern, escape="\\") | Product.producer_id.in_(by_producer))
    if f.updated_since is not None:
        where.append(Product.updated_at >= to_store_time(f.updated_since))
    return where


def producer_conditions(f: ProducerFilter | None, principal: Principal | None = None) -> list[ColumnElement[bool]]:
    """WHERE clauses for a producer filter; ``principal`` as in product_conditions."""
    f = f or ProducerFilter()
    where: list[ColumnElement[bool]] = []
    if f.province is not None:
        where.append(Producer.province_code.in_(f.province))
    if f.producer_type is not None:
        where.append(Producer.producer_type.in_([t.value for t in f.producer_type]))
    if f.search is not None and search_key(f.search):
        where.append(Producer.search_key.like(like_pattern(f.search), escape="\\"))
        where.append(name_searchable_sql(principal))
    if f.updated_since is not None:
        where.append(Producer.updated_at >= to_store_time(f.updated_since))
    if f.has_product is not None:
        where.append(Producer.id.in_(select(Product.producer_id).where(*product_conditions(f.has_product, principal))))
    return where or [true()]
