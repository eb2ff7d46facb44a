"""The products export's rows, read from SQL in batches of the driver's tuples, column by column.

One statement streams the products with their producer, province and commune (and, for a dated
export, the certificate each held that day) through the DBAPI cursor (hub.store.driver_rows: no
SQLAlchemy result processing per row); each batch of BATCH_ROWS rows is then turned into columns,
personal data removed as hub.api.access decides, the sources and warnings of the batch's products
read by one more statement, and every column made an Arrow array of its type, dates and instants
converted per column as the dialect's driver gives them (hub.api.export_arrow) and enum values
labelled. No ORM object is made per row, and memory holds one batch whatever the size of the store.
"""
from __future__ import annotations

import enum
import json
from dataclasses import dataclass
from typing import Any, Callable, Iterator, Sequence

import pyarrow as pa
from sqlalchemy import select
from sqlalchemy.engine import Engine

from hub.api.access import may_see_personal, sees_address, sees_all, shown_name
from hub.api.export_arrow import arrow_column, labelled, named
from hub.api.export_columns import LIST_SEPARATOR, VI_TERMS, Column
from hub.api.export_params import ExportQuery, Lang
from hub.api.filters import ProductFilter, held_conditions, product_conditions
from hub.access.keys import Principal
from hub.store.certificates import current_date, status_sql
from hub.store.as_of import as_of_moment, certificates_on
from hub.ingest.run import resolver_for
from hub.store.driver_rows import driver_rows
from hub.store.models import Commune, Producer, Product, Province, Source, SourceRecord

BATCH_ROWS = 2_000
PROVENANCE_ROWS = 10_000
Batch = list[pa.Array]
"""One Arrow array per column, in the columns' order, of the column's type: what CSV and Parquet are written from."""


@dataclass(frozen=True)
class Tables:
    """What a Column's ``sql`` reads: the product, its producer, and its certificate fields
    (``cert``: the product's own columns today, the held certificate's for a dated export) with
    that day's ``status`` and ``expiry``."""

    product: Any
    producer: Any
    cert: Any
    status: Any
    expiry: Any


def _labels(enum_cls: type[enum.Enum], lang: Lang) -> dict[Any, str]:
    """Stored value → what exports write (hub.api.export_columns.term, as a lookup table)."""
    return {m.value: (VI_TERMS[m] if lang == "vi" else m.name) for m in enum_cls}


def _statement(query: ExportQuery[ProductFilter], principal: Principal | None, columns: list[Column],
               engine: Engine) -> Any:
    """The products asked for, in id order, with the columns' values then two more the rules
    need: the producer's province and the product's owner source (the producer's type and the
    product's province that day are columns already: not read twice). The province's and
    commune's names are not joined but looked up per batch (``_unit_names``): the two joins took
    1.2 s of the 3.0 s SQLite spent reading the 200,000 products of the benchmark's store."""
    if query.as_of is None and query.known_at is None:
        t = Tables(Product, Producer, Product, status_sql(current_date()), Product.expiry_date)
        where = product_conditions(query.filter, principal)
        base = select(*(c.sql(t) for c in columns if c.sql))  # type: ignore[misc]
    else:
        held = certificates_on(*as_of_moment(query.as_of, query.known_at, current_date()))
        t = Tables(Product, Producer, held.c, held.c.status, held.c.valid_to)
        where = held_conditions(held, query.filter, principal, resolver_for(engine))
        base = select(*(c.sql(t) for c in columns if c.sql)).select_from(Product)  # type: ignore[misc]
        base = base.join(held, held.c.product_id == Product.id)
    return (base.add_columns(Producer.province_code, Product.source_id)
            .outerjoin(Producer, Producer.id == Product.producer_id)
            .where(*where).order_by(Product.id))


def product_batches(engine: Engine, query: ExportQuery[ProductFilter], principal: Principal | None,
                    columns: list[Column]) -> Iterator[Batch]:
    """The export's values, one batch of columns at a time, read from the driver's cursor
    (hub.store.driver_rows) and typed a column at a time (hub.api.export_arrow)."""
    stmt = _statement(query, principal, columns, engine)
    read = [c for c in columns if c.sql]
    with engine.connect() as conn:
        source_names = dict(conn.execute(select(Source.id, Source.name)).all())
        names = _unit_names(conn)
        for rows in driver_rows(conn, stmt, BATCH_ROWS):
            values = list(zip(*rows))
            by_name: dict[str, Sequence[Any]] = dict(zip((c.name for c in read), values))
            producer_province, owner = values[len(read):]
            producer_type, province = by_name["producer_type"], by_name["province_code"]
            sources, warnings = _provenance(conn, by_name["id"], owner, source_names)
            by_name["sources"], by_name["warnings"] = sources, warnings
            _hide(by_name, columns, principal, producer_type, producer_province, province)
            arrays = {c.name: _typed(c, by_name[c.name], conn.dialect.name, query.lang)
                      for c in columns if c.name_of is None}
            yield [arrays[c.name] if c.name_of is None else names[c.name_of](arrays[c.name_of]) for c in columns]


UNITS = {"province_code": Province, "commune_code": Commune}
"""The unit tables whose names the export writes beside a code column."""


def _unit_names(conn: Any) -> dict[str, Callable[[pa.Array], pa.Array]]:
    """Per code column, what turns a column of codes into their units' names (the tables hold a
    few thousand units, read once per download)."""
    return {column: named(dict(conn.execute(select(table.code, table.name)).all()))  # type: ignore[attr-defined]
            for column, table in UNITS.items()}


def _typed(column: Column, values: Sequence[Any], dialect: str, lang: Lang) -> pa.Array:
    array = arrow_column(column.kind, values, dialect)
    return array if column.labels is None else labelled(array, _labels(column.labels, lang))


def _hide(by_name: dict[str, Any], columns: list[Column], principal: Principal | None,
          producer_type: tuple[Any, ...], producer_province: tuple[Any, ...], province: tuple[Any, ...]) -> None:
    """Hidden names, addresses and contacts where ``principal`` may not see them
    (hub.api.access: the same rule as the API, decided per row)."""
    if sees_all(principal):
        return
    by_name["producer_name"] = [
        None if name is None else shown_name(principal, name, kind, where)
        for name, kind, where in zip(by_name["producer_name"], producer_type, producer_province)]
    shown = [sees_address(principal, kind, where) for kind, where in zip(producer_type, province)]
    for c in columns:
        if c.address:
            by_name[c.name] = [v if ok else None for v, ok in zip(by_name[c.name], shown)]
        elif c.personal:
            by_name[c.name] = [v if may_see_personal(principal, where) else None
                               for v, where in zip(by_name[c.name], producer_province)]


def _provenance(conn: Any, ids: tuple[int, ...], owners: tuple[int, ...],
                source_names: dict[int, str]) -> tuple[list[str], list[str | None]]:
    """Each product's sources (its owner first, then by name) and its owner row's warnings as
    ``CODE:field``, for one batch in one statement. Codes and fields only: a warning's value and
    message may quote personal data, and are not exported.

    The batch's ids ascend, so one range of ix_source_record_product_id serves it, in index order
    (an IN list of 2,000 parameters cost more to bind than to run); rows of products between them
    that the filter left out are skipped here, and over a whole download the ranges read each row
    once. Source names come from ``source_names`` (a few dozen, read once per download). The rows
    are the driver's (hub.store.driver_rows): the warnings are JSON text on SQLite, parsed only
    for the owner's row, and already lists from psycopg2."""
    stmt = (select(SourceRecord.product_id, SourceRecord.source_id, SourceRecord.warnings)
            .where(SourceRecord.product_id.between(ids[0], ids[-1])))
    owner_of = dict(zip(ids, owners))
    others: dict[int, list[str]] = {}
    warned: dict[int, str | None] = {}
    for part in driver_rows(conn, stmt, PROVENANCE_ROWS, stream=False):
        for product_id, source_id, found in part:
            owner = owner_of.get(product_id)
            if owner is None:
                continue
            if source_id != owner:
                others.setdefault(product_id, []).append(source_names[source_id])
            elif found:  # most rows have none: no list is made for them
                found = json.loads(found) if isinstance(found, str) else found
                warned[product_id] = LIST_SEPARATOR.join(
                    f"{w.get('code')}:{w['field']}" if w.get("field") else str(w.get("code"))
                    for w in found or [] if isinstance(w, dict)) or None
    sources = [LIST_SEPARATOR.join([source_names[o], *sorted(others[i])]) if i in others else source_names[o]
               for i, o in zip(ids, owners)]
    return sources, [warned.get(i) for i in ids]
