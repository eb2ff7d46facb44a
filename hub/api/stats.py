"""National statistics: counts grouped by any combination of dimensions, in ONE GROUP BY."""
from __future__ import annotations

from typing import Any, Optional

import strawberry
from sqlalchemy import Select, func, select
from sqlalchemy.orm import Session

from hub.api.enums import ProducerType, ProductGroup, ProductStatus, StatsDimension, from_db
from hub.api.filters import ProductFilter, product_conditions
from hub.auth import Principal
from hub.api.types import Province
from hub.ingest.run import resolver_for
from hub.models import Producer as ProducerRow
from hub.models import Product as ProductRow
from hub.models import Province as ProvinceRow
from hub.units import UnitResolver

COLUMNS = {
    StatsDimension.PROVINCE: (ProvinceRow.code, ProvinceRow.name, ProvinceRow.full_name),
    StatsDimension.LEGACY_PROVINCE: (ProductRow.legacy_province,),
    StatsDimension.STARS: (ProductRow.stars,),
    StatsDimension.GROUP: (ProductRow.group_code,),
    StatsDimension.PRODUCER_TYPE: (ProducerRow.producer_type,),
    StatsDimension.YEAR: (ProductRow.certified_year,),
    StatsDimension.STATUS: (ProductRow.status,),
}


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
    year: Optional[int] = strawberry.field(default=None, description="Certification year.")
    status: Optional[ProductStatus] = strawberry.field(default=None, description="Certificate status.")


@strawberry.type(description="One combination of dimension values and how many products have it.")
class StatsBucket:
    key: StatsKey = strawberry.field(description="The dimension values of this bucket.")
    count: int = strawberry.field(description="Number of products.")


def stats_statement(group_by: list[StatsDimension], filter: ProductFilter | None,
                    principal: Principal | None = None, resolver: UnitResolver | None = None) -> Select[Any]:
    """The single GROUP BY; producer is joined only when PRODUCER_TYPE is asked for, and outer-joined:
    products whose registry names no producer, or whose producer's type is unknown, count in a
    bucket of their own with a null producerType (as products of unknown group do with a null group).
    Nulls sort last on every backend."""
    dims = list(dict.fromkeys(group_by))
    columns = [c for d in dims for c in COLUMNS[d]]
    stmt = select(*columns, func.count(ProductRow.id)).select_from(ProductRow)
    if StatsDimension.PROVINCE in dims:
        stmt = stmt.join(ProvinceRow, ProvinceRow.code == ProductRow.province_code)
    if StatsDimension.PRODUCER_TYPE in dims:
        stmt = stmt.outerjoin(ProducerRow, ProducerRow.id == ProductRow.producer_id)
    stmt = stmt.where(*product_conditions(filter, principal, resolver))
    if columns:
        stmt = stmt.group_by(*columns).order_by(*(c.asc().nulls_last() for c in columns))
    return stmt


def _bucket(dims: list[StatsDimension], row: Any) -> StatsBucket:
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
        elif dim is StatsDimension.YEAR:
            key.year = next(values)
        elif dim is StatsDimension.STATUS:
            key.status = from_db(ProductStatus, next(values))
    return StatsBucket(key=key, count=next(values))


def compute_stats(session: Session, group_by: list[StatsDimension], filter: ProductFilter | None,
                  principal: Principal | None = None) -> list[StatsBucket]:
    dims = list(dict.fromkeys(group_by))
    stmt = stats_statement(dims, filter, principal, resolver_for(session.get_bind()))
    return [_bucket(dims, row) for row in session.execute(stmt)]
