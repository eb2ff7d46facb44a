"""National statistics: counts grouped by any combination of dimensions, in ONE GROUP BY.

Two measures per bucket: its products (``count``, from the counts kept at ingest when they can
answer) and the distinct producers of those products (``producerCount``, always one GROUP BY over
the products, or over the certificates held that day with ``asOf``/``knownAt``: the kept counts
hold no producers). A product whose registry named no producer counts as a product, never as a
producer.
"""
from __future__ import annotations

import asyncio
from datetime import date, datetime
from collections import defaultdict
from typing import TYPE_CHECKING, Any, Optional

import strawberry
from sqlalchemy import ColumnElement, Select, distinct, func, select
from sqlalchemy.orm import Session

from hub.api.enums import ProducerType, ProductGroup, ProductStatus, StatsDimension, canonical_dimensions, from_db
from hub.api.filters import (
    ProductFilter, held_conditions, product_conditions, resolve_province_filter, wanted_statuses,
)
from hub.api.stats_aggregates import counted_rows, merge
from hub.access.keys import Principal
from hub.api.types import Province
from hub.ingest.run import resolver_for
from hub.store.models import Producer as ProducerRow
from hub.store.models import Product as ProductRow
from hub.store.models import Province as ProvinceRow
from hub.store.certificates import current_date, expires_in_month_sql, status_sql
from hub.store.as_of import as_of_moment, certificates_on
from hub.store.as_of_counts import counts_on
from hub.units.resolver import UnitResolver

if TYPE_CHECKING:
    from hub.api.context import Context

def product_columns(dim: StatsDimension, on: date) -> tuple[ColumnElement[Any], ...]:
    """What a bucket of ``dim`` is keyed by, read from the products (statuses as of ``on``)."""
    if dim is StatsDimension.STATUS:
        return (status_sql(on),)
    return {
        StatsDimension.PROVINCE: (ProvinceRow.code, ProvinceRow.name, ProvinceRow.full_name),
        StatsDimension.LEGACY_PROVINCE: (ProductRow.legacy_province,),
        StatsDimension.STARS: (ProductRow.stars,),
        StatsDimension.GROUP: (ProductRow.group_code,),
        StatsDimension.PRODUCER_TYPE: (ProducerRow.producer_type,),
        StatsDimension.CERTIFIED_YEAR: (ProductRow.certified_year,),
    }[dim]


@strawberry.type(description="The values of one bucket; only the dimensions asked for are set.")
class StatsKey:
    province: Optional[Province] = strawberry.field(default=None, description="Current province.")
    legacy_province: Optional[str] = strawberry.field(
        default=None, description="Pre-reform province as written (null: the registry named none).")
    stars: Optional[int] = strawberry.field(default=None, description="Star rating.")
    group: Optional[ProductGroup] = strawberry.field(
        default=None, description="Product group (null in a GROUP bucket: products whose group is unknown).")
    producer_type: Optional[ProducerType] = strawberry.field(default=None, description=(
        "Kind of producer (null in a PRODUCER_TYPE bucket: no producer named, or its type unknown)."))
    certified_year: Optional[int] = strawberry.field(default=None, description="Certification year.")
    year: Optional[int] = strawberry.field(default=None, description="Certification year.",
                                           deprecation_reason="Use certifiedYear: one name for the certification "
                                                              "year everywhere; year goes in the next release.")
    status: Optional[ProductStatus] = strawberry.field(default=None, description="Certificate status.")


class ProducerCounts:
    """The producer counts of one `stats` answer: asked of the database once, by the first bucket
    whose ``producerCount`` is selected (a query that does not select it costs nothing more)."""

    def __init__(self, dims: list[StatsDimension], filter: ProductFilter | None, principal: Principal | None,
                 as_of: date | None, known_at: datetime | None) -> None:
        self.asked = (dims, filter, principal, as_of, known_at)
        self._answer: asyncio.Future[dict[tuple[Any, ...], int]] | None = None

    async def of(self, context: "Context", key: tuple[Any, ...]) -> int:
        if self._answer is None:
            self._answer = asyncio.ensure_future(context.db(
                lambda s: {tuple(r[:-1]): int(r[-1]) for r in producer_rows(s, *self.asked)}))
        return (await self._answer).get(key, 0)


@strawberry.type(description="One combination of dimension values, how many products have it and how many producers make them.")
class StatsBucket:
    key: StatsKey = strawberry.field(description="The dimension values of this bucket.")
    count: int = strawberry.field(description="Number of products.")
    row_key: strawberry.Private[tuple[Any, ...]] = ()
    producers: strawberry.Private[Optional[ProducerCounts]] = None

    @strawberry.field(description=(
        "Number of distinct producers with at least one of this bucket's products. Products whose "
        "registry names no producer are in `count` but add no producer, so this can be 0 where `count` "
        "is not; a producer with products in two buckets counts in both, so these do not add up to a "
        "national number of producers. Counted from the products (with asOf/knownAt, from the "
        "certificates held that day), never from the counts kept at ingest."))
    async def producer_count(self, info: strawberry.Info["Context", None]) -> int:
        assert self.producers is not None, "compute_stats gives every bucket its producer counts"
        return await self.producers.of(info.context, self.row_key)


def stats_statement(group_by: list[StatsDimension], filter: ProductFilter | None,
                    principal: Principal | None = None, resolver: UnitResolver | None = None,
                    on: date | None = None, producers: bool = False) -> Select[Any]:
    """The single GROUP BY over the products, for what the kept counts cannot answer; producer is joined only when PRODUCER_TYPE is asked for, and outer-joined:
    products whose registry names no producer, or whose producer's type is unknown, count in a
    bucket of their own with a null producerType (as products of unknown group do with a null group).
    Nulls sort last on every backend. ``producers``: count the distinct producers, not the products."""
    dims = canonical_dimensions(group_by)
    on = on or current_date()
    columns = [c for d in dims for c in product_columns(d, on)]
    measure = func.count(distinct(ProductRow.producer_id)) if producers else func.count(ProductRow.id)
    stmt = select(*columns, measure).select_from(ProductRow)
    if StatsDimension.PROVINCE in dims:
        stmt = stmt.join(ProvinceRow, ProvinceRow.code == ProductRow.province_code)
    if StatsDimension.PRODUCER_TYPE in dims:
        stmt = stmt.outerjoin(ProducerRow, ProducerRow.id == ProductRow.producer_id)
    stmt = stmt.where(*product_conditions(filter, principal, resolver))
    if columns:
        stmt = stmt.group_by(*columns).order_by(*(c.asc().nulls_last() for c in columns))
    return stmt


def _bucket(dims: list[StatsDimension], row: Any, producers: ProducerCounts) -> StatsBucket:
    values = iter(row)
    key = StatsKey()
    for dim in dims:
        if dim is StatsDimension.PROVINCE:
            code, name, full_name = next(values), next(values), next(values)
            key.province = Province(code=code, name=name, full_name=full_name)
        elif dim is StatsDimension.LEGACY_PROVINCE:
            key.legacy_province = next(values)
        elif dim is StatsDimension.STARS:
            key.stars = next(values)
        elif dim is StatsDimension.GROUP:
            key.group = from_db(ProductGroup, next(values))
        elif dim is StatsDimension.PRODUCER_TYPE:
            key.producer_type = from_db(ProducerType, next(values))
        elif dim is StatsDimension.CERTIFIED_YEAR:
            key.certified_year = key.year = next(values)
        elif dim is StatsDimension.STATUS:
            key.status = from_db(ProductStatus, next(values))
    return StatsBucket(key=key, count=int(next(values)), row_key=tuple(row[:-1]), producers=producers)


def as_of_statement(group_by: list[StatsDimension], filter: ProductFilter | None, principal: Principal | None,
                    resolver: UnitResolver | None, on: date, known_at: datetime | None,
                    producers: bool = False) -> Select[Any]:
    """The GROUP BY over each product's certificate on ``on`` as known at ``known_at``
    (hub.store.as_of): its stars, group, province, year and status that day; a product not yet
    certified that day is not counted. Producer type and the listing criteria (search, source…)
    are the product's and producer's as they are now. ``producers``: count the distinct producers."""
    dims = canonical_dimensions(group_by)
    held = certificates_on(on, known_at)
    by_dim = {
        StatsDimension.PROVINCE: (ProvinceRow.code, ProvinceRow.name, ProvinceRow.full_name),
        StatsDimension.LEGACY_PROVINCE: (held.c.legacy_province,), StatsDimension.STARS: (held.c.stars,),
        StatsDimension.GROUP: (held.c.group_code,), StatsDimension.PRODUCER_TYPE: (ProducerRow.producer_type,),
        StatsDimension.CERTIFIED_YEAR: (held.c.certified_year,), StatsDimension.STATUS: (held.c.status,),
    }
    columns = [c for d in dims for c in by_dim[d]]
    measure = func.count(distinct(ProductRow.producer_id)) if producers else func.count(held.c.product_id)
    stmt = select(*columns, measure).select_from(held) \
        .join(ProductRow, ProductRow.id == held.c.product_id)
    if StatsDimension.PROVINCE in dims:
        stmt = stmt.join(ProvinceRow, ProvinceRow.code == held.c.province_code)
    if StatsDimension.PRODUCER_TYPE in dims:
        stmt = stmt.outerjoin(ProducerRow, ProducerRow.id == ProductRow.producer_id)
    stmt = stmt.where(*held_conditions(held, filter, principal, resolver))
    if columns:
        stmt = stmt.group_by(*columns).order_by(*(c.asc().nulls_last() for c in columns))
    return stmt


_KEPT_AS_OF_DIMS = {StatsDimension.PROVINCE, StatsDimension.STARS, StatsDimension.STATUS}
_KEPT_AS_OF_FILTERS = {"province", "stars", "status"}


def _kept_answer(dims: list[StatsDimension], filter: ProductFilter | None) -> bool:
    """The counts kept at any date (hub/store/as_of_counts.py) hold these dimensions and criteria."""
    asked = {name for name, value in vars(filter).items() if value is not None} if filter else set()
    return set(dims) <= _KEPT_AS_OF_DIMS and asked <= _KEPT_AS_OF_FILTERS


def kept_as_of_rows(session: Session, dims: list[StatsDimension], filter: ProductFilter | None,
                    resolver: UnitResolver, on: date) -> list[tuple[Any, ...]]:
    """``as_of_statement``'s rows (as known now) from the kept counts: summed over the
    dimensions not asked for, in the same order."""
    f = filter or ProductFilter()
    provinces = resolve_province_filter(f.province, resolver) if f.province is not None else None
    totals: dict[tuple[Any, ...], int] = defaultdict(int)
    for code, name, full_name, stars, status, n in counts_on(session, on, wanted_statuses(f), provinces, f.stars):
        key: list[Any] = []
        for dim in dims:
            key += {StatsDimension.PROVINCE: [code, name, full_name], StatsDimension.STARS: [stars],
                    StatsDimension.STATUS: [status]}[dim]
        totals[tuple(key)] += n
    return [(*key, n) for key, n in sorted(totals.items())]


def compute_stats(session: Session, group_by: list[StatsDimension], filter: ProductFilter | None,
                  principal: Principal | None = None, as_of: date | None = None,
                  known_at: datetime | None = None) -> list[StatsBucket]:
    """The buckets of ``bucket_rows``, each able to tell its producers (``ProducerCounts``)."""
    dims = canonical_dimensions(group_by)
    producers = ProducerCounts(dims, filter, principal, as_of, known_at)
    return [_bucket(dims, row, producers) for row in bucket_rows(session, dims, filter, principal, as_of, known_at)]


def bucket_rows(session: Session, dims: list[StatsDimension], filter: ProductFilter | None,
                principal: Principal | None = None, as_of: date | None = None,
                known_at: datetime | None = None) -> list[tuple[Any, ...]]:
    """The product counts as rows (dimension columns, then the count): from the counts kept at
    ingest when they can answer (hub/api/stats_aggregates.py), else one GROUP BY over the
    products; both give the same buckets in the same order. With ``as_of`` or ``known_at``, from
    the certificates held that day as known at that moment."""
    if as_of is not None or known_at is not None:
        on, known_at = as_of_moment(as_of, known_at, current_date())
        resolver = resolver_for(session.get_bind())
        if known_at is None and _kept_answer(dims, filter):
            return kept_as_of_rows(session, dims, filter, resolver, on)
        return [tuple(r) for r in session.execute(as_of_statement(dims, filter, principal, resolver, on, known_at))]
    return stats_rows(session, dims, filter, principal)


def producer_rows(session: Session, dims: list[StatsDimension], filter: ProductFilter | None,
                  principal: Principal | None = None, as_of: date | None = None,
                  known_at: datetime | None = None) -> list[tuple[Any, ...]]:
    """The distinct producers per bucket, rows shaped as ``bucket_rows``' (only buckets with a
    producer): one GROUP BY over the products, or over the certificates held on ``as_of`` as
    known at ``known_at`` (the counts kept at any date hold no producers)."""
    resolver = resolver_for(session.get_bind())
    if as_of is not None or known_at is not None:
        on, known_at = as_of_moment(as_of, known_at, current_date())
        stmt = as_of_statement(dims, filter, principal, resolver, on, known_at, producers=True)
    else:
        stmt = stats_statement(dims, filter, principal, resolver, current_date(), producers=True)
    return [tuple(r) for r in session.execute(stmt) if r[-1]]


def stats_rows(session: Session, dims: list[StatsDimension], filter: ProductFilter | None,
               principal: Principal | None = None, use_counts: bool = True) -> list[tuple[Any, ...]]:
    """The buckets as rows (dimension columns, then the count); ``use_counts=False`` always groups
    the products (the consistency check compares the two)."""
    dims = canonical_dimensions(dims)
    resolver, on = resolver_for(session.get_bind()), current_date()
    counted = counted_rows(session, dims, filter, resolver, on) if use_counts else None
    if counted is None:
        return [tuple(r) for r in session.execute(stats_statement(dims, filter, principal, resolver, on))]
    if not counted.by_date:
        return counted.rows
    expiring = stats_statement(dims, filter, principal, resolver, on) \
        .where(ProductRow.status != ProductStatus.WITHDRAWN.value, expires_in_month_sql(on))
    return merge(counted.rows, (tuple(r) for r in session.execute(expiring)), grouped=bool(dims))
