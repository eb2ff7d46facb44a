"""`stats` from the counts kept at ingest (hub/store/aggregates.py) instead of the products.

Any combination of dimensions and any filter but search, source and updatedSince is answered
from the smallest cube that holds what it needs, in rows of the same shape and order as the
GROUP BY over the products. Statuses are derived for the day asked: a count whose certificates
expire in an earlier month is EXPIRED, in a later month ACTIVE; the certificates expiring in the
current month, the one month that changes by the day, are counted from the products
(``CountedRows.by_date``) and merged in.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any, Iterable

from sqlalchemy import ColumnElement, case, false, func, not_, or_, select
from sqlalchemy.orm import Session

from hub.api.enums import ProductStatus, StatsDimension
from hub.api.filters import DEFAULT_STATUSES, ProductFilter, counted_conditions
from hub.store.aggregates import CUBES
from hub.store.models import Province as ProvinceRow
from hub.store.models import StatsCount as Counts
from hub.store.models import StatsDirty
from hub.normalize.fold import search_key
from hub.units.resolver import UnitResolver

COUNTED = {
    StatsDimension.LEGACY_PROVINCE: "legacy_province",
    StatsDimension.STARS: "stars",
    StatsDimension.GROUP: "group_code",
    StatsDimension.PRODUCER_TYPE: "producer_type",
    StatsDimension.CERTIFIED_YEAR: "certified_year",
}


@dataclass
class CountedRows:
    """Buckets read from the counts; when ``by_date``, the products expiring this month are
    still to be counted from the products and merged (``merge``)."""

    rows: list[tuple[Any, ...]]
    by_date: bool


def answerable(f: ProductFilter) -> bool:
    """Whether the counts can answer this filter: they hold no names, sources, change times or
    expiry days (only months)."""
    return (f.source is None and f.updated_since is None and f.expiry_from is None and f.expiry_to is None
            and not (f.search is not None and search_key(f.search)))


def counted_rows(session: Session, dims: list[StatsDimension], f: ProductFilter | None,
                 resolver: UnitResolver, on: date) -> CountedRows | None:
    """The buckets from the counts, or None when the filter needs the products (or a writer left
    provinces uncounted, which the ingest never does: the products are then the truth)."""
    f = f or ProductFilter()
    if not answerable(f):
        return None
    wanted = {s.value for s in (f.status if f.status is not None else DEFAULT_STATUSES)}
    by_date = StatsDimension.STATUS in dims or \
        (ProductStatus.ACTIVE.value in wanted) != (ProductStatus.EXPIRED.value in wanted)
    needed = {COUNTED[d] for d in dims if d in COUNTED} | _filtered(f) | ({"expiry_month"} if by_date else set())
    cube = next(c for c, held in CUBES.items() if needed <= set(held))
    month = on.year * 100 + on.month
    status = case((Counts.withdrawn, ProductStatus.WITHDRAWN.value),
                  (Counts.expiry_month < month, ProductStatus.EXPIRED.value), else_=ProductStatus.ACTIVE.value)
    where = [Counts.cube == cube, *_conditions(f, resolver)]
    if by_date:
        not_this_month = or_(Counts.withdrawn, Counts.expiry_month.is_(None), Counts.expiry_month != month)
        where += [status.in_(sorted(wanted)), not_this_month]
    elif wanted:
        if ProductStatus.WITHDRAWN.value not in wanted:
            where.append(not_(Counts.withdrawn))
        elif len(wanted) == 1:
            where.append(Counts.withdrawn)
    else:
        where.append(false())
    columns: list[ColumnElement[Any]] = []
    for dim in dims:
        if dim is StatsDimension.PROVINCE:
            columns += [ProvinceRow.code, ProvinceRow.name, ProvinceRow.full_name]
        elif dim is StatsDimension.STATUS:
            columns.append(status)
        else:
            columns.append(getattr(Counts, COUNTED[dim]))
    stmt = select(*columns, func.sum(Counts.n)).select_from(Counts)
    if StatsDimension.PROVINCE in dims:
        stmt = stmt.join(ProvinceRow, ProvinceRow.code == Counts.province_code)
    # Counts are read only while no province is left noted, checked in the same statement (the
    # same snapshot, one round trip). When nothing was counted (no bucket; or, grouped by nothing,
    # the one total of no rows, null), one more question tells "none" from "provinces noted".
    noted = select(StatsDirty.province_code).exists()
    stmt = stmt.where(*where, ~noted)
    if columns:
        stmt = stmt.group_by(*columns).order_by(*(c.asc().nulls_last() for c in columns))
    found = session.execute(stmt).all()
    if (not found or found[0][-1] is None) and session.scalar(select(noted)):
        return None
    return CountedRows(rows=[(*r[:-1], int(r[-1] or 0)) for r in found], by_date=by_date)


def _filtered(f: ProductFilter) -> set[str]:
    """The counted dimensions a filter narrows by."""
    named = {"legacy_province": f.legacy_province, "stars": f.stars, "group_code": f.group,
             "producer_type": f.producer_type, "certified_year": f.year_from if f.year_from is not None else f.year_to}
    return {column for column, value in named.items() if value is not None}


def _conditions(f: ProductFilter, resolver: UnitResolver) -> list[ColumnElement[bool]]:
    """product_conditions (hub/api/filters.py) on the counts, status aside: the shared columns by
    the same code, and the producer type, which the counts hold as a column."""
    where = counted_conditions(f, resolver, Counts)
    if f.producer_type is not None:
        where.append(Counts.producer_type.in_([t.value for t in f.producer_type]))
    return where


def merge(counted: list[tuple[Any, ...]], extra: Iterable[tuple[Any, ...]], grouped: bool) -> list[tuple[Any, ...]]:
    """Two sets of bucket rows added key by key, in the GROUP BY's order (nulls last); not
    ``grouped`` (no dimension), the one bucket of the total."""
    totals: dict[tuple[Any, ...], int] = {}
    for row in (*counted, *extra):
        key = tuple(row[:-1])
        totals[key] = totals.get(key, 0) + int(row[-1])
    if not grouped:
        return [(sum(totals.values()),)]
    return sorted(((*k, n) for k, n in totals.items() if n), key=lambda r: tuple((v is None, v) for v in r[:-1]))
