"""Product counts kept current in the ingest transaction, so `stats` never groups 200,000 products.

Triggers on ``product`` and ``producer`` (migration 0005) note every province whose counted
columns changed in ``stats_dirty``; before any session commits a transaction that wrote, the
provinces noted are recounted into ``stats_count`` (delete, then one GROUP BY per cube over that
province's products) and the notes removed, in the same transaction. Harvest, push, revert,
withdrawal and source removal all go through here without knowing it.

A cube is a set of dimensions; every cube also has the province and whether the product is
withdrawn. Statuses are not counted: ``expiry_month`` (YYYYMM of the effective expiry) lets the
reader derive ACTIVE or EXPIRED for the day it answers (hub/api/stats_aggregates.py).
"""
from __future__ import annotations

from functools import cache
from typing import Any

from sqlalchemy import (
    ColumnElement, Insert, Integer, bindparam, cast, delete, event, func, insert, literal, null, select, union_all,
)
from sqlalchemy.orm import Session

from hub.store.data_version import WROTE, has_version_table
from sqlmodel import SQLModel

from hub.store.aggregate_triggers import create_triggers
from hub.store.as_of_counts import recount_as_of
from hub.store.models import Certificate, Producer, Product, StatsCount, StatsDirty
from hub.vocabulary import ProductStatus
from hub.store.text_search import create_search_indexes
from hub.store.certificates import expiry_month_sql

DIMENSIONS: dict[str, ColumnElement[Any]] = {
    "legacy_province": Product.legacy_province,
    "stars": Product.stars,
    "group_code": Product.group_code,
    "producer_type": Producer.producer_type,
    "certified_year": Product.certified_year,
    "expiry_month": expiry_month_sql(),
}
CUBES: dict[int, tuple[str, ...]] = {
    # Smallest first: a reader takes the first cube holding every dimension it needs.
    1: ("stars",),
    2: ("group_code",),
    3: ("producer_type",),
    4: ("certified_year",),
    5: ("legacy_province",),
    6: ("expiry_month",),
    7: ("certified_year", "stars"),
    8: ("stars", "group_code"),
    9: ("stars", "producer_type"),
    10: ("certified_year", "stars", "expiry_month"),
    11: tuple(DIMENSIONS),  # every dimension: answers any combination, at about a row per 3 products
}


def _withdrawn() -> ColumnElement[bool]:
    return Product.status == ProductStatus.WITHDRAWN.value


def recount(session: Session, province_codes: list[str]) -> None:
    """Replace the counts of these provinces by counting their products now: one pass over the
    products groups them by every dimension (cube 11), and each smaller cube sums those groups,
    in one statement (eleven GROUP BYs over the products cost twice as much). Their counts at any
    date are rebuilt from their certificates (hub/store/as_of_counts.py)."""
    if not province_codes:
        return
    session.execute(_DELETE_COUNTS, {"codes": province_codes})
    session.execute(_count_statement(), {"codes": province_codes})
    recount_as_of(session, province_codes)


_COUNTS = StatsCount.__table__  # Core, not the entity: the ORM would take a parameter dict for a bulk insert
_DELETE_COUNTS = delete(_COUNTS).where(_COUNTS.c.province_code.in_(bindparam("codes", expanding=True)))


@cache
def _count_statement() -> Insert:
    """The INSERT … SELECT of ``recount``, built once: building its eleven SELECTs each time took
    about as long as SQLite took to run it (bench data, 34 provinces of about 300 products each:
    0.29 s of building against 0.31 s for the 34 recounts, docs/performance.md)."""
    finest = select(Product.province_code, _withdrawn().label("withdrawn"),
                    *(column.label(name) for name, column in DIMENSIONS.items()), func.count().label("n")) \
        .select_from(Product).outerjoin(Producer, Producer.id == Product.producer_id) \
        .where(Product.province_code.in_(bindparam("codes", expanding=True))) \
        .group_by(Product.province_code, _withdrawn(), *DIMENSIONS.values()).cte("finest")
    counts = []
    for cube, dims in CUBES.items():
        grouped = [finest.c.province_code, finest.c.withdrawn, *(finest.c[d] for d in dims)]
        columns = [finest.c[d] if d in dims else cast(null(), StatsCount.__table__.c[d].type) for d in DIMENSIONS]
        n = finest.c.n if dims == tuple(DIMENSIONS) else cast(func.sum(finest.c.n), Integer)
        count = select(literal(cube), finest.c.province_code, finest.c.withdrawn, *columns, n)
        counts.append(count if dims == tuple(DIMENSIONS) else count.group_by(*grouped))
    targets = ["cube", "province_code", "withdrawn", *DIMENSIONS, "n"]
    return insert(_COUNTS).from_select(targets, union_all(*counts))


def recount_marked(session: Session) -> list[str]:
    """Recount the provinces the triggers noted in this transaction; return them."""
    codes = list(session.scalars(select(StatsDirty.province_code)))
    if codes:
        recount(session, codes)
        session.execute(delete(StatsDirty).where(StatsDirty.province_code.in_(codes)))
    return codes


def _before_commit(session: Session) -> None:
    """Every session that wrote recounts what it changed before it commits."""
    if session.get_transaction() is None:
        return
    conn = session.connection()
    if conn.info.get(WROTE) and has_version_table(conn):  # migration 0005 made both tables
        recount_marked(session)


def recount_all(session: Session) -> None:
    """Count every province again (``ocop-hub db check --repair``)."""
    provinces = set(session.scalars(select(Product.province_code).distinct()))
    recount(session, sorted(provinces | set(session.scalars(select(Certificate.province_code).distinct()))))


_installed = False


def _after_create_all(metadata: Any, connection: Any, tables: Any = None, **_: Any) -> None:
    """A store made by ``metadata.create_all`` (not by migrations) gets what 0005 and 0006 make
    beyond tables: the triggers that note changed provinces, and the search indexes."""
    if tables is None or StatsDirty.__table__ in tables:
        create_triggers(connection)
        create_search_indexes(connection)


def install() -> None:
    """Register the recount on every Session (once per process)."""
    global _installed
    if not _installed:
        event.listen(Session, "before_commit", _before_commit)
        event.listen(SQLModel.metadata, "after_create", _after_create_all)
        _installed = True
