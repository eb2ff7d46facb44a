"""/export/stats.csv and /export/stats.parquet: the `stats` query as a table to download.

The same dimensions (``groupBy``) and filters as ``stats(groupBy:, filter:, asOf:, knownAt:)``,
read by the products export's parser (hub.api.export_params), counted by the same code
(hub.api.stats: the kept counts, or the certificates held that day), and written with the same CSV
conventions (hub.api.exports: BOM, formulas neutralised, ``?lang=vi``). Unlike ``stats``, which
answers only the buckets that hold products, the table lists every unit of each dimension, zeros
included: all 34 provinces, every star rating, group, producer type and status asked for, every
year of the span. A researcher's sum, mean or map then sees the units with nothing. ``asOf`` may be
repeated (``asOf=2023-12-31&asOf=2024-12-31``): one block of rows per day, as the dashboard's
year-end series. See docs/exports-stats.md.
"""
from __future__ import annotations

import io
import itertools
from dataclasses import dataclass
from typing import Any, Iterator

import pyarrow as pa
import pyarrow.parquet as pq
from sqlalchemy import select
from sqlalchemy.engine import Engine
from sqlalchemy.orm import Session
from starlette.datastructures import QueryParams

from hub.api.enums import DIMENSIONS, ProducerType, ProductGroup, StatsDimension, canonical_dimensions
from hub.api.errors import ClientError
from hub.api.export_params import ExportQuery, Lang, filter_from_params
from hub.api.export_columns import STATS_COLUMNS, Column, term
from hub.api.filters import (ProductFilter, resolve_legacy_province_filter, resolve_province_filter,
                             wanted_statuses)
from hub.api.stats import bucket_rows, producer_rows
from hub.access.keys import Principal
from hub.store.certificates import current_date
from hub.store.as_of import as_of_moment
from hub.ingest.run import resolver_for
from hub.store.models import LegacyUnit
from hub.store.models import Province as ProvinceRow

GROUP_BY = ("groupBy", "group_by")
AS_OF = ("asOf", "as_of")
MAX_DAYS = 40
"""Days one download may ask for: the year-end series since 2018 and more, not a daily series."""
MAX_ROWS = 200_000
"""Rows one download may hold (every unit of every dimension asked for, per day)."""
CERTIFIED_STARS = (3, 4, 5)
"""Only 3★ and up are OCOP products (the ingest rejects the rest): the star units without a star filter."""


@dataclass(frozen=True)
class StatsQuery:
    """What a stats download asked for: its dimensions, and one products query per day."""

    dims: list[StatsDimension]
    days: list[ExportQuery[ProductFilter]]

    @property
    def lang(self) -> Lang:
        return self.days[0].lang


def _dimension(label: str, text: str) -> StatsDimension:
    wanted = text.strip().replace("_", "").lower()
    for dim in StatsDimension:
        if wanted == dim.name.replace("_", "").lower():
            return canonical_dimensions([dim])[0]  # YEAR: CERTIFIED_YEAR's deprecated name
    raise ClientError(f"Parameter {label!r}: unknown dimension {text!r}; expected any of "
                      f"{', '.join(d.name for d in DIMENSIONS)}.")


def stats_query_from_params(params: QueryParams) -> StatsQuery:
    """``groupBy`` (repeated or comma-separated, as ``stats``' names: PROVINCE, legacyProvince…),
    repeated ``asOf``, and every products filter, read by hub.api.export_params; anything wrong is
    a ClientError naming the parameter."""
    items = params.multi_items()
    dims = [_dimension(k, v) for k, text in items if k in GROUP_BY for v in text.split(",") if v.strip()]
    days = [(k, v) for k, v in items if k in AS_OF]
    if len(days) > MAX_DAYS:
        raise ClientError(f"Parameter 'asOf' given {len(days)} times; at most {MAX_DAYS} days in one download.")
    rest = [(k, v) for k, v in items if k not in GROUP_BY and k not in AS_OF]
    queries = [filter_from_params(QueryParams(rest + ([day] if day else []))) for day in (days or [None])]
    return StatsQuery(list(dict.fromkeys(dims)), queries)


def _column(name: str) -> Column:
    """A column of the stats table (hub.api.export_columns.STATS_COLUMNS: one definition, in the
    data package too)."""
    return next(c for c in STATS_COLUMNS if c.name == name)


DIMENSION_COLUMNS: dict[StatsDimension, list[Column]] = {
    StatsDimension.PROVINCE: [_column("province_code"), _column("province_name")],
    StatsDimension.LEGACY_PROVINCE: [_column("legacy_province")],
    StatsDimension.STARS: [_column("stars")],
    StatsDimension.GROUP: [_column("group")],
    StatsDimension.PRODUCER_TYPE: [_column("producer_type")],
    StatsDimension.CERTIFIED_YEAR: [_column("certified_year")],
    StatsDimension.STATUS: [_column("status")],
}
AS_OF_COLUMN = _column("as_of")
MEASURES = [_column("product_count"), _column("producer_count")]


def columns_of(dims: list[StatsDimension]) -> list[Column]:
    return [AS_OF_COLUMN, *(c for d in dims for c in DIMENSION_COLUMNS[d]), *MEASURES]


def _units(session: Session, dim: StatsDimension, f: ProductFilter, found: set[tuple[Any, ...]]) -> list[tuple[Any, ...]]:
    """Every unit of ``dim`` the filter allows, as the counted rows key it, then any other the
    counts found (the null bucket of an unknown group, type, year or pre-reform province)."""
    resolver = resolver_for(session.get_bind())
    provinces = resolve_province_filter(f.province, resolver) if f.province is not None else None
    if dim is StatsDimension.PROVINCE:
        stmt = select(ProvinceRow.code, ProvinceRow.name, ProvinceRow.full_name).order_by(ProvinceRow.code)
        units = [tuple(r) for r in session.execute(stmt) if provinces is None or r[0] in provinces]
    elif dim is StatsDimension.LEGACY_PROVINCE:
        stmt = select(LegacyUnit.name, LegacyUnit.current_province_code).where(LegacyUnit.level == "province")
        named = resolve_legacy_province_filter(f.legacy_province, resolver) if f.legacy_province is not None else None
        units = sorted({(name,) for name, code in session.execute(stmt)
                        if (provinces is None or code in provinces) and (named is None or name in named)})
    elif dim is StatsDimension.STARS:
        units = [(s,) for s in sorted(set(f.stars if f.stars is not None else CERTIFIED_STARS))]
    elif dim is StatsDimension.GROUP:
        units = [(g.value,) for g in (f.group if f.group is not None else ProductGroup)]
    elif dim is StatsDimension.PRODUCER_TYPE:
        units = [(t.value,) for t in (f.producer_type if f.producer_type is not None else ProducerType)]
    elif dim is StatsDimension.CERTIFIED_YEAR:
        years = [k[0] for k in found if k[0] is not None]
        first = f.year_from if f.year_from is not None else min(years, default=None)
        last = f.year_to if f.year_to is not None else max(years, default=None)
        units = [(y,) for y in range(first, last + 1)] if first is not None and last is not None else []
    else:
        units = [(s,) for s in wanted_statuses(f)]
    listed = set(units)
    return list(dict.fromkeys(units)) + sorted((k for k in found if k not in listed),
                                               key=lambda k: tuple((v is None, v) for v in k))


def _split(dims: list[StatsDimension], key: tuple[Any, ...]) -> list[tuple[Any, ...]]:
    """A counted row's key cut into each dimension's part (a province is code, name and full name,
    which the file leaves out)."""
    parts, at = [], 0
    for dim in dims:
        size = 3 if dim is StatsDimension.PROVINCE else 1
        parts.append(key[at:at + size])
        at += size
    return parts


def stats_rows_of_day(session: Session, dims: list[StatsDimension], query: ExportQuery[ProductFilter],
                      principal: Principal | None) -> Iterator[list[Any]]:
    """One day's table: every combination of units, its products and its producers."""
    on, _ = as_of_moment(query.as_of, query.known_at, current_date())
    asked = (session, dims, query.filter, principal, query.as_of, query.known_at)
    products = {tuple(r[:-1]): int(r[-1]) for r in bucket_rows(*asked)}
    producers = {tuple(r[:-1]): int(r[-1]) for r in producer_rows(*asked)}
    found = [_split(dims, key) for key in (*products, *producers)]
    units = [_units(session, dim, query.filter, {parts[i] for parts in found}) for i, dim in enumerate(dims)]
    size = 1
    for listed in units:
        size *= len(listed)
    if size > MAX_ROWS:
        raise ClientError(f"groupBy {', '.join(d.name for d in dims)} makes {size:,} rows a day; at most "
                          f"{MAX_ROWS:,}: ask for fewer dimensions, or narrow them with filters.")
    for combination in itertools.product(*units):
        key = tuple(v for part in combination for v in part)
        shown = [v for dim, part in zip(dims, combination) for v in part[:len(DIMENSION_COLUMNS[dim])]]
        yield [on, *shown, products.get(key, 0), producers.get(key, 0)]


def stats_table(engine: Engine, query: StatsQuery, principal: Principal | None) -> list[list[Any]]:
    """Every row of the download, computed before the first byte is sent (a refusal is a 400),
    with enum values labelled for ``query.lang``."""
    columns = columns_of(query.dims)
    rows: list[list[Any]] = []
    with Session(engine) as session:
        for day in query.days:
            rows += [[term(c.labels, v, query.lang) if c.labels else v for c, v in zip(columns, row)]
                     for row in stats_rows_of_day(session, query.dims, day, principal)]
    if len(rows) > MAX_ROWS:
        raise ClientError(f"{len(rows):,} rows over {len(query.days)} days; at most {MAX_ROWS:,} in one download.")
    return rows


def stats_parquet(columns: list[Column], rows: list[list[Any]], lang: Lang,
                  metadata: dict[str, str] | None = None) -> bytes:
    """The table as one Parquet file, with the download's key-value metadata (hub.api.export_meta)."""
    schema = pa.schema([(c.header(lang), c.arrow_type) for c in columns], metadata=metadata)
    table = pa.Table.from_pydict({c.header(lang): [row[i] for row in rows] for i, c in enumerate(columns)},
                                 schema=schema)
    sink = io.BytesIO()
    pq.write_table(table, sink)
    return sink.getvalue()
